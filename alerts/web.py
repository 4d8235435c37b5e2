"""The web side of `alerts run`: subscribe, confirm, unsubscribe, health, metrics, archive.

Double opt-in: the subscribe form stores a *pending* address and sends it exactly one email, whose
signed link carries the chosen watches; only pressing the button behind that link makes the
address active. Opening an emailed link (GET) never changes anything, because mail scanners fetch
links; every change is a POST, and the signed token in the URL is the authority for it — which is
also what RFC 8058 one-click unsubscribe needs (a POST with no cookie and no login).

The form never tells whether an address is already subscribed, and is rate-limited per client
address and per email address. Every page is an autoescaped template under ``templates/web/``
served with a strict Content-Security-Policy that allows no script at all.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs

import jinja2
import nh3
import sqlalchemy as sa
import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alerts.config import Config
from alerts.errors import SendError
from alerts.mail import Transport, build_message, header_text
from alerts.metrics import CONTENT_TYPE, Metrics
from alerts.models import RenderedEmail
from alerts.render import make_environment
from alerts.store import Store
from alerts.tokens import Purpose, TokenData, TokenError, make_token, read_token

log = logging.getLogger("alerts.web")

SECRET_SETTING = "web.secret"
FORM_LIMIT = 16_384
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
EDITION_CSP = (PAGE_CSP + "; sandbox allow-popups allow-popups-to-escape-sandbox "
               "allow-top-navigation-by-user-activation")
SECURITY_HEADERS = {
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}
EDITION_TAGS = nh3.ALLOWED_TAGS - {"img"}
_EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]{1,64}@[\w-]+(?:\.[\w-]+)+$")

ConfigSource = Callable[[], Config]
Clock = Callable[[], datetime]
HealthExtra = Callable[[], Mapping[str, Any]]


# Rate limiting ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limit:
    """``burst`` actions at once, then one more every ``every`` seconds."""

    burst: int
    every: float


@dataclass(frozen=True)
class RateLimits:
    per_client: Limit = Limit(burst=10, every=60.0)
    per_address: Limit = Limit(burst=3, every=3600.0)


class TokenBucket:
    """A token bucket per key, in memory; the least recently used keys are forgotten first."""

    def __init__(self, limit: Limit, max_keys: int = 10_000) -> None:
        self.limit, self.max_keys = limit, max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float) -> float:
        """Spend one token: 0.0 if allowed, else the seconds until one is available."""
        burst, every = float(self.limit.burst), self.limit.every
        with self._lock:
            tokens, then = self._buckets.pop(key, (burst, now))
            tokens = min(burst, tokens + max(0.0, now - then) / every)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return 0.0 if allowed else (1.0 - tokens) * every


# What a request can end in besides a page ----------------------------------------------------

class PageError(Exception):
    """Stop handling the request and answer with a message page (400, 404, 413, 429, 503)."""

    def __init__(self, status: int, title: str, *paragraphs: str,
                 headers: Mapping[str, str] | None = None) -> None:
        self.status, self.title, self.paragraphs = status, title, paragraphs
        self.headers = dict(headers or {})
        super().__init__(title)


@dataclass(frozen=True)
class Signup:
    email: str
    watches: tuple[str, ...]


# Pure helpers ----------------------------------------------------------------------------------

def read_signup(form: Mapping[str, Sequence[str]], offered: Sequence[str]) -> Signup:
    """The address and watches of a subscribe form, or PageError(400) saying what to fix."""
    email = (form.get("email") or [""])[0].strip()
    chosen = tuple(dict.fromkeys(w for w in form.get("watch", ()) if w in offered))
    if not is_email(email):
        raise PageError(400, "Please check the address",
                        "That does not look like an email address: write it as name@example.org.")
    if not chosen:
        raise PageError(400, "Please pick a topic", "Tick at least one topic to follow.")
    return Signup(email, chosen)


def is_email(text: str) -> bool:
    return len(text) <= 254 and header_text(text) == text and bool(_EMAIL.match(text))


def unsubscribe_url(config: Config, secret: str, email: str) -> str:
    """The one-click unsubscribe link for a digest's List-Unsubscribe header and footer."""
    return f"{config.web.public_url}/unsubscribe?token={make_token(secret, 'unsubscribe', email)}"


def confirm_url(config: Config, secret: str, signup: Signup, now: datetime) -> str:
    token = make_token(secret, "confirm", signup.email, signup.watches, now)
    return f"{config.web.public_url}/confirm?token={token}"


def confirmation_email(env: jinja2.Environment, config: Config, secret: str, signup: Signup,
                       now: datetime) -> EmailMessage:
    """The one email an unconfirmed address ever gets: a link to confirm these watches."""
    context = {"watches": signup.watches, "confirm_url": confirm_url(config, secret, signup, now)}
    rendered = RenderedEmail(
        subject=env.get_template("web/confirm_email.subject.txt").render(context).strip(),
        text=env.get_template("web/confirm_email.txt").render(context),
        html=env.get_template("web/confirm_email.html").render(context),
    )
    return build_message(rendered, sender=config.mail.sender, recipient=signup.email, date=now)


def health_report(config: Config, store: Store, extra: Mapping[str, Any]) -> dict[str, Any]:
    """What /healthz says. ``extra`` joins the config section (e.g. loaded_at, error)."""
    report: dict[str, Any] = {"status": "ok", "config": {"path": str(config.path), **extra}}
    try:
        states = store.feed_states([f.url for f in config.feeds])
        outbox = store.digest_counts()
    except (sa.exc.SQLAlchemyError, OSError) as error:
        report.update(status="error", database=f"error: {type(error).__name__}")
        return report
    failing = sum(1 for s in states if s.failures)
    report.update(
        database="ok",
        feeds={"total": len(config.feeds), "failing": failing,
               "disabled": sum(1 for s in states if s.disabled)},
        outbox={"pending": outbox.get("pending", 0), "failed": outbox.get("failed", 0)},
    )
    if failing or extra.get("error"):
        report["status"] = "degraded"
    return report


def clean_edition(html: str) -> str:
    """An archived digest section, sanitised once more: no script, form, image or head."""
    return nh3.clean(html, tags=EDITION_TAGS, attributes={"*": {"style"}, "a": {"href"}},
                     clean_content_tags={"script", "style", "head", "title"},
                     url_schemes={"http", "https", "mailto"})


def secret_for(config: Config, store: Store) -> str:
    """$ALERTS_SECRET, else a random secret made once and kept in the database."""
    return config.web.secret or store.setting(SECRET_SETTING, secrets.token_urlsafe(32))


# The application -------------------------------------------------------------------------------

@dataclass
class Site:
    """The endpoints, sharing the store, the templates and the rate limits."""

    config_source: ConfigSource
    store: Store
    transport_factory: Callable[[], Transport]
    now: Clock
    limits: RateLimits
    metrics: Metrics
    health_extra: HealthExtra
    env: jinja2.Environment = field(default_factory=make_environment)
    _secret: str | None = None

    def __post_init__(self) -> None:
        self.by_client = TokenBucket(self.limits.per_client)
        self.by_address = TokenBucket(self.limits.per_address)

    def secret(self, config: Config) -> str:
        if config.web.secret:
            return config.web.secret
        if self._secret is None:
            self._secret = secret_for(config, self.store)
        return self._secret

    def page(self, name: str, status: int = 200, headers: Mapping[str, str] | None = None,
             **context: Any) -> HTMLResponse:
        html = self.env.get_template(f"web/{name}").render(context)
        return HTMLResponse(html, status_code=status, headers=dict(headers or {}))

    def message(self, title: str, *paragraphs: str, status: int = 200,
                link: Mapping[str, str] | None = None) -> HTMLResponse:
        return self.page("message.html", status, title=title, paragraphs=paragraphs, link=link)

    # Subscribe ---------------------------------------------------------------------------------

    async def subscribe_page(self, request: Request) -> Response:
        return self.subscribe_form(self.config_source(), email="", chosen=())

    def subscribe_form(self, config: Config, *, email: str, chosen: Sequence[str],
                       error: str = "", status: int = 200) -> HTMLResponse:
        return self.page("subscribe.html", status, title="Subscribe", watches=config.watches,
                         email=email, chosen=chosen, error=error)

    async def subscribe(self, request: Request) -> Response:
        config = self.config_source()
        self.limit(self.by_client, request.client.host if request.client else "unknown")
        form = await read_form(request)
        try:
            signup = read_signup(form, [w.name for w in config.watches])
        except PageError as problem:
            return self.subscribe_form(config, email=(form.get("email") or [""])[0],
                                       chosen=form.get("watch", []),
                                       error=" ".join(problem.paragraphs), status=400)
        self.limit(self.by_address, signup.email.lower())
        await run_in_threadpool(self.sign_up, config, signup)
        return self.message(
            "Check your inbox",
            f"We have sent a link to {signup.email}. Open it and press the button to start "
            "your daily digest.", "No email within a few minutes? Look in the spam folder.")

    def limit(self, bucket: TokenBucket, key: str) -> None:
        wait = bucket.take(key, self.now().timestamp())
        if wait:
            raise PageError(429, "Too many requests",
                            "Too many sign-ups came from here or for this address. "
                            f"Please try again in {_minutes(wait)}.",
                            headers={"Retry-After": str(math.ceil(wait))})

    def sign_up(self, config: Config, signup: Signup) -> None:
        """Record the address as pending (an active one stays active) and send the one email."""
        now = self.now()
        self.store.add_pending(signup.email, signup.watches, now)
        message = confirmation_email(self.env, config, self.secret(config), signup, now)
        try:
            self.transport_factory().send(message)
        except SendError as error:
            log.warning("web.confirmation_failed permanent=%s error=%r",
                        error.permanent, error.reason)
            self.metrics.emails("confirmation", failed=1)
            raise PageError(503, "We could not send the email",
                            "Our mail server did not take the message just now. "
                            "Please try again in a few minutes.") from error
        self.metrics.emails("confirmation", sent=1)
        log.info("web.confirmation_sent")

    # Confirm and unsubscribe -------------------------------------------------------------------

    def token(self, request: Request, purpose: Purpose) -> TokenData:
        config = self.config_source()
        return read_token(self.secret(config), purpose, request.query_params.get("token", ""),
                          self.now())

    async def confirm_page(self, request: Request) -> Response:
        data = self.token(request, "confirm")
        return self.page(
            "action.html", title="Confirm your subscription", button="Confirm my subscription",
            danger=False, one_click=False,
            paragraphs=(f"Start a daily digest for {data.email} on: {', '.join(data.watches)}.",))

    async def confirm(self, request: Request) -> Response:
        data = self.token(request, "confirm")
        offered = {w.name for w in self.config_source().watches}
        watches = tuple(w for w in data.watches if w in offered)
        if not watches:
            raise PageError(400, "Those topics are gone",
                            "The topics in this link are no longer offered. Please subscribe "
                            "again and choose from the current list.")
        await run_in_threadpool(self.activate, data.email, watches)
        return self.message(
            "You are subscribed",
            f"{data.email} will get one digest a day on: {', '.join(watches)}.",
            "To change topics later, subscribe again with the same address.",
            link={"url": "/", "text": "Back to the subscribe page"})

    def activate(self, email: str, watches: tuple[str, ...]) -> None:
        self.store.add_pending(email, watches, self.now())  # in case the row is gone
        self.store.confirm(email, watches)
        log.info("web.confirmed watches=%s", ",".join(watches))

    async def unsubscribe_page(self, request: Request) -> Response:
        data = self.token(request, "unsubscribe")
        return self.page(
            "action.html", title="Unsubscribe", button="Unsubscribe", danger=True, one_click=True,
            paragraphs=(f"Stop the daily digest for {data.email}?",))

    async def unsubscribe(self, request: Request) -> Response:
        """RFC 8058 one-click and the page's button alike: the signed token is the authority."""
        data = self.token(request, "unsubscribe")
        await run_in_threadpool(self.store.set_status, data.email, "unsubscribed")
        log.info("web.unsubscribed")
        return self.message("You are unsubscribed",
                            f"No more digests will be sent to {data.email}.",
                            link={"url": "/", "text": "Subscribe again"})

    # Operator ----------------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        report = await run_in_threadpool(
            health_report, self.config_source(), self.store, self.health_extra())
        return JSONResponse(report, status_code=503 if report["status"] == "error" else 200)

    async def metrics_page(self, request: Request) -> Response:
        body = await run_in_threadpool(self.metrics.exposition)
        return Response(body, media_type=CONTENT_TYPE)

    # Archive -----------------------------------------------------------------------------------

    async def archive(self, request: Request) -> Response:
        return self.page("archive.html", title="Past digests",
                         watches=self.config_source().watches)

    async def archive_watch(self, request: Request) -> Response:
        watch = request.path_params["watch"]
        editions = await run_in_threadpool(self.store.editions, watch)
        if not editions and watch not in {w.name for w in self.config_source().watches}:
            raise HTTPException(404)
        return self.page("watch.html", title=watch, watch=watch, editions=editions)

    async def archive_edition(self, request: Request) -> Response:
        edition = await run_in_threadpool(self.store.edition, request.path_params["id"])
        if edition is None or edition.watch != request.path_params["watch"]:
            raise HTTPException(404)
        return self.page("edition.html", headers={"Content-Security-Policy": EDITION_CSP},
                         title=f"{edition.watch}, {edition.day:%d %B %Y}", edition=edition,
                         content=clean_edition(edition.html))

    # Errors ------------------------------------------------------------------------------------

    async def page_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, PageError)
        response = self.message(error.title, *error.paragraphs, status=error.status)
        response.headers.update(error.headers)
        return response

    async def bad_link(self, request: Request, error: Exception) -> Response:
        reason = str(error)
        return self.message("This link does not work", f"{reason[:1].upper()}{reason[1:]}.",
                            "Links in our emails must be used as they are; confirmation links "
                            "last 7 days. You can always subscribe again.", status=400,
                            link={"url": "/", "text": "Go to the subscribe page"})

    async def http_error(self, request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        titles = {404: "Page not found", 405: "Not allowed here"}
        return self.message(titles.get(status, "Something went wrong"), status=status)


def make_app(
    config_source: ConfigSource,
    store: Store,
    transport_factory: Callable[[], Transport],
    now: Clock = lambda: datetime.now(UTC),
    *,
    limits: RateLimits | None = None,
    metrics: Metrics | None = None,
    health_extra: HealthExtra = dict,
) -> Starlette:
    """The ASGI app. ``config_source`` is asked on each request, so a reloaded config applies."""
    site = Site(config_source, store, transport_factory, now, limits or RateLimits(),
                metrics or Metrics(store), health_extra)
    routes = [
        Route("/", site.subscribe_page, methods=["GET"]),
        Route("/subscribe", site.subscribe_page, methods=["GET"]),  # a reload after posting
        Route("/subscribe", site.subscribe, methods=["POST"]),
        Route("/confirm", site.confirm_page, methods=["GET"]),
        Route("/confirm", site.confirm, methods=["POST"]),
        Route("/unsubscribe", site.unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe", site.unsubscribe, methods=["POST"]),
        Route("/healthz", site.healthz, methods=["GET"]),
        Route("/metrics", site.metrics_page, methods=["GET"]),
        Route("/archive", site.archive, methods=["GET"]),
        Route("/archive/{watch}", site.archive_watch, methods=["GET"]),
        Route("/archive/{watch}/{id:int}", site.archive_edition, methods=["GET"]),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        PageError: site.page_error, TokenError: site.bad_link, HTTPException: site.http_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.add_middleware(SecurityHeaders)
    return app


async def read_form(request: Request, limit: int = FORM_LIMIT) -> dict[str, list[str]]:
    """A small urlencoded form body; PageError(413) past ``limit`` bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PageError(413, "Too much data", "That form was far larger than ours.")
    try:
        return parse_qs(body.decode("utf-8", "replace"), max_num_fields=100)
    except ValueError:
        raise PageError(400, "Too many fields", "That form had far more than ours.") from None


class SecurityHeaders:
    """Adds the security headers to every response that did not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


# Serving ---------------------------------------------------------------------------------------

class WebServer:
    """uvicorn in a background thread; the service keeps its scheduler in the main thread."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, lifespan="off", access_log=False,
                                log_level="warning", server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="alerts-web", daemon=True)
        self.host = host

    def start(self, timeout: float = 10.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"the web server could not listen on {self.host}:"
                              f"{self.server.config.port}")
            time.sleep(0.01)

    @property
    def port(self) -> int:
        return int(self.server.servers[0].sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the requests in flight, then stop listening."""
        self.server.should_exit = True
        self.thread.join(timeout)


def serve(app: ASGIApp, host: str, port: int) -> WebServer:
    """Start serving ``app`` (port 0: any free port, see ``.port``); ``.stop()`` ends it."""
    server = WebServer(app, host, port)
    server.start()
    log.info("web.listening url=%s", server.url)
    return server


def _minutes(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"
