"""The web endpoints over real HTTP: uvicorn on 127.0.0.1, a SQLite file, aiosmtpd for the mail."""

from __future__ import annotations

import base64
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from alerts.config import Config, parse_config
from alerts.mail import SmtpTransport, build_message
from alerts.models import RenderedEmail
from alerts.store import FeedFetched, Store
from alerts.tokens import TokenError, make_token, read_token
from alerts.web import (
    Limit,
    RateLimits,
    TokenBucket,
    WebServer,
    make_app,
    secret_for,
    serve,
    unsubscribe_url,
)
from tests.smtpserver import SmtpServer

START = datetime(2025, 6, 3, 9, 0, tzinfo=UTC)
SECRET = "a test secret that is long enough"
READER = "reader@example.org"
CONFIG = """
[mail]
host = "127.0.0.1"
port = {smtp_port}
from = "News alerts <alerts@example.org>"

[storage]
url = "sqlite:///{db}"

[web]
base_url = "{base_url}"

[[feeds]]
name = "Loopback Politics"
url = "http://127.0.0.1:9/politics.xml"

[[watches]]
name = "welfare-bill"
any = ["welfare bill", "PIP"]

[[watches]]
name = "rail"
any = ["railway"]

[[watches]]
name = "Tax & <benefits>"
any = ["tax credits"]

[[subscribers]]
email = "Reader@example.org"
watches = ["welfare-bill"]
"""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Web:
    server: WebServer
    store: Store
    smtp: SmtpServer
    clock: Clock
    configs: list[Config]
    http: httpx.Client
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def config(self) -> Config:
        return self.configs[-1]

    def subscribe(self, email: str, *watches: str) -> httpx.Response:
        return self.http.post("/subscribe", data={"email": email, "watch": list(watches)})

    def status(self, email: str) -> str | None:
        record = self.store.subscriber(email)
        return None if record is None else record.status

    def watches(self, email: str) -> tuple[str, ...]:
        record = self.store.subscriber(email)
        assert record is not None
        return record.subscriber.watches


StartWeb = Callable[..., Web]


def smtp_to(config: Config) -> SmtpTransport:
    return SmtpTransport(config.mail.host, config.mail.port)


def start(tmp_path: Path, smtp: SmtpServer, environ: dict[str, str] | None = None,
          limits: RateLimits | None = None) -> Web:
    """The app on a free port over the SQLite file in ``tmp_path``, mailing through ``smtp``."""
    store = Store(f"sqlite:///{tmp_path / 'alerts.db'}")
    configs: list[Config] = []
    clock = Clock(START)
    extra: dict[str, str] = {}
    app = make_app(lambda: configs[-1], store, lambda: smtp_to(configs[-1]), clock,
                   limits=limits, health_extra=lambda: extra)
    server = serve(app, "127.0.0.1", 0)
    text = CONFIG.format(smtp_port=smtp.port, db=tmp_path / "alerts.db", base_url=server.url)
    environ = {"ALERTS_SECRET": SECRET} if environ is None else environ
    configs.append(parse_config(tomllib.loads(text), str(tmp_path / "alerts.toml"), environ))
    store.sync_subscribers(configs[-1].subscribers)
    client = httpx.Client(base_url=server.url, timeout=10)
    return Web(server, store, smtp, clock, configs, client, extra)


def stop(web: Web) -> None:
    web.http.close()
    web.server.stop()
    web.store.close()


@pytest.fixture
def start_web(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[StartWeb]:
    """Start the app; ``environ`` and ``limits`` as the test needs. Stopped after the test."""
    started: list[Web] = []

    def start_one(environ: dict[str, str] | None = None,
                  limits: RateLimits | None = None) -> Web:
        started.append(start(tmp_path, smtp_server, environ, limits))
        return started[-1]

    yield start_one
    for web in started:
        stop(web)


@pytest.fixture
def web(start_web: StartWeb) -> Web:
    return start_web()


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def confirm_link(message: EmailMessage) -> str:
    found = re.search(r"https?://\S+/confirm\?token=[\w.-]+", text_part(message))
    assert found, text_part(message)
    return found.group(0)


def metrics(web: Web) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = web.http.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


# Subscribe and confirm -------------------------------------------------------------------------

def test_subscribing_sends_exactly_one_confirmation_and_keeps_the_address_pending(
    web: Web,
) -> None:
    response = web.subscribe("new.reader@example.org", "rail", "welfare-bill")
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    [message] = web.smtp.messages
    assert str(message["To"]) == "new.reader@example.org"
    assert "Confirm" in str(message["Subject"])
    assert message.get_content_type() == "multipart/alternative"
    assert confirm_link(message).startswith(f"{web.server.url}/confirm?token=")
    assert web.status("new.reader@example.org") == "pending"
    assert "new.reader@example.org" not in [s.email for s, _ in web.store.active_subscribers()]


def test_opening_the_link_changes_nothing_and_the_button_confirms(web: Web) -> None:
    web.subscribe("new.reader@example.org", "rail", "welfare-bill")
    link = confirm_link(web.smtp.messages[0])
    page = web.http.get(link)
    assert page.status_code == 200
    assert 'method="post"' in page.text and "Confirm my subscription" in page.text
    assert web.status("new.reader@example.org") == "pending"
    confirmed = web.http.post(link)
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    assert web.status("new.reader@example.org") == "active"
    assert web.watches("new.reader@example.org") == ("rail", "welfare-bill")
    assert len(web.smtp.messages) == 1


def test_an_active_address_changes_its_watches_only_through_a_confirmation(web: Web) -> None:
    web.subscribe(READER, "rail")
    assert web.status(READER) == "active"
    assert web.watches(READER) == ("welfare-bill",)
    web.http.post(confirm_link(web.smtp.messages[0]))
    assert web.status(READER) == "active"
    assert web.watches(READER) == ("rail",)


def test_the_form_does_not_reveal_whether_an_address_is_subscribed(web: Web) -> None:
    known = web.subscribe(READER, "rail")
    unknown = web.subscribe("stranger@example.org", "rail")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(READER, "X") == unknown.text.replace("stranger@example.org", "X")


@pytest.mark.parametrize("form", [
    {"email": "not-an-address", "watch": ["rail"]},
    {"email": "reader@example.org", "watch": []},
    {"email": "reader@example.org", "watch": ["no-such-watch"]},
    {"email": "reader@example.org\r\nBcc: victim@example.org", "watch": ["rail"]},
    {"email": "reader@example.org\u2028Bcc: victim@example.org", "watch": ["rail"]},
])
def test_an_invalid_form_is_refused_and_sends_nothing(web: Web, form: dict[str, object]) -> None:
    response = web.http.post("/subscribe", data=form)
    assert response.status_code == 400
    assert '<form method="post" action="/subscribe">' in response.text
    assert web.smtp.messages == []


def test_an_oversized_form_is_refused(web: Web) -> None:
    response = web.http.post("/subscribe", content=b"email=" + b"a" * 20_000,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert web.smtp.messages == []


def test_a_form_with_too_many_fields_is_refused(web: Web) -> None:
    response = web.http.post("/subscribe", content=b"&".join([b"watch=rail"] * 200),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert web.smtp.messages == []


def test_a_refused_confirmation_email_is_reported_and_counted(web: Web) -> None:
    web.smtp.fail_next("rcpt", 550)
    response = web.subscribe("new.reader@example.org", "rail")
    assert response.status_code == 503
    assert "could not send" in response.text
    assert metrics(web)[("alerts_emails_failed_total", (("kind", "confirmation"),))] == 1


def test_the_subscribe_page_lists_the_watches_escaped(web: Web) -> None:
    page = web.http.get("/")
    assert page.status_code == 200
    assert 'value="welfare-bill"' in page.text and 'value="rail"' in page.text
    assert "Tax &amp; &lt;benefits&gt;" in page.text
    assert "<benefits>" not in page.text


# Tokens ----------------------------------------------------------------------------------------

def forged_tokens() -> dict[str, Callable[[str], str]]:
    return {
        "tampered signature": lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        "other secret": lambda t: make_token("another secret", "confirm", "x@example.org",
                                             ["rail"], START),
        "no signature": lambda t: t.partition(".")[0],
        "garbage": lambda t: "%%%.###",
        "empty": lambda t: "",
    }


@pytest.mark.parametrize("forge", forged_tokens().values(), ids=forged_tokens().keys())
def test_a_forged_confirmation_link_is_refused(web: Web, forge: Callable[[str], str]) -> None:
    web.subscribe("new.reader@example.org", "rail")
    token = confirm_link(web.smtp.messages[0]).partition("token=")[2]
    for method in ("GET", "POST"):
        response = web.http.request(method, "/confirm", params={"token": forge(token)})
        assert response.status_code == 400
        assert "This link does not work" in response.text
    assert web.status("new.reader@example.org") == "pending"


def test_a_token_for_one_address_cannot_be_rewritten_for_another(web: Web) -> None:
    web.subscribe("attacker@example.org", "rail")
    token = confirm_link(web.smtp.messages[0]).partition("token=")[2]
    signature = token.partition(".")[2]
    victim = make_token("guess", "confirm", "victim@example.org", ["rail"], START)
    forged = f"{victim.partition('.')[0]}.{signature}"
    response = web.http.post("/confirm", params={"token": forged})
    assert response.status_code == 400
    assert web.status("victim@example.org") is None


def test_a_confirmation_token_cannot_unsubscribe(web: Web) -> None:
    token = make_token(SECRET, "confirm", READER, ["welfare-bill"], START)
    response = web.http.post("/unsubscribe", params={"token": token},
                             content=b"List-Unsubscribe=One-Click")
    assert response.status_code == 400
    assert web.status(READER) == "active"


def test_an_unsubscribe_token_cannot_confirm(web: Web) -> None:
    web.subscribe("new.reader@example.org", "rail")
    token = make_token(SECRET, "unsubscribe", "new.reader@example.org", now=START)
    assert web.http.post("/confirm", params={"token": token}).status_code == 400
    assert web.status("new.reader@example.org") == "pending"


def test_a_confirmation_link_expires_after_a_week(web: Web) -> None:
    web.subscribe("new.reader@example.org", "rail")
    link = confirm_link(web.smtp.messages[0])
    web.clock.advance(days=7, minutes=1)
    response = web.http.post(link)
    assert response.status_code == 400 and "expired" in response.text
    assert web.status("new.reader@example.org") == "pending"


def test_tokens_bind_purpose_address_and_watches() -> None:
    token = make_token(SECRET, "confirm", "Reader@Example.org", ["rail"], START)
    data = read_token(SECRET, "confirm", token, START + timedelta(days=6))
    assert (data.purpose, data.email, data.watches, data.issued) == (
        "confirm", "reader@example.org", ("rail",), START)
    with pytest.raises(TokenError, match="for confirm, not unsubscribe"):
        read_token(SECRET, "unsubscribe", token, START)
    with pytest.raises(TokenError, match="signature"):
        read_token("another secret", "confirm", token, START)
    with pytest.raises(TokenError, match="expired"):
        read_token(SECRET, "confirm", token, START + timedelta(days=8))


def test_a_token_has_exactly_one_valid_spelling() -> None:
    token = make_token(SECRET, "unsubscribe", READER, now=START)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    index = alphabet.index(token[-1])  # the last of 43 characters carries 4 bits and 2 spare
    variants = [token[:-1] + alphabet[index + spare] for spare in (1, 2, 3)]
    assert all(base64.urlsafe_b64decode(v.partition(".")[2] + "=")
               == base64.urlsafe_b64decode(token.partition(".")[2] + "=") for v in variants)
    for variant in variants:
        with pytest.raises(TokenError):
            read_token(SECRET, "unsubscribe", variant, START)


def test_unsubscribe_tokens_do_not_expire() -> None:
    token = make_token(SECRET, "unsubscribe", READER, now=START)
    later = START + timedelta(days=3650)
    assert read_token(SECRET, "unsubscribe", token, later).email == READER


def test_the_secret_kept_in_the_database_survives_a_restart(start_web: StartWeb) -> None:
    first = start_web(environ={})
    secret = secret_for(first.config, first.store)
    assert len(secret) >= 32
    first.subscribe("new.reader@example.org", "rail")
    link = confirm_link(first.smtp.messages[0]).replace(first.server.url, "")
    first.server.stop()
    second = start_web(environ={})
    assert secret_for(second.config, second.store) == secret
    assert second.http.post(link).status_code == 200
    assert second.status("new.reader@example.org") == "active"


# Unsubscribe -----------------------------------------------------------------------------------

def test_one_click_post_unsubscribes_and_get_does_not(web: Web) -> None:
    url = unsubscribe_url(web.config, SECRET, READER)
    page = web.http.get(url)
    assert page.status_code == 200 and 'method="post"' in page.text
    assert web.status(READER) == "active"
    for _ in range(2):  # idempotent
        done = httpx.post(url, content=b"List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert web.status(READER) == "unsubscribed"
    assert READER not in [s.email.lower() for s, _ in web.store.active_subscribers()]


def test_the_list_unsubscribe_header_of_a_digest_works_in_one_click(web: Web) -> None:
    secret = secret_for(web.config, web.store)
    message = build_message(RenderedEmail("Digest", "text", "<p>html</p>"),
                            sender=web.config.mail.sender, recipient=READER,
                            unsubscribe_url=unsubscribe_url(web.config, secret, READER))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(message["List-Unsubscribe"]).strip("<>")
    response = httpx.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert web.status(READER) == "unsubscribed"


def test_an_unsubscribed_address_stays_so_across_config_sync_and_restart(
    start_web: StartWeb,
) -> None:
    first = start_web()
    first.http.post(unsubscribe_url(first.config, SECRET, READER))
    first.store.sync_subscribers(first.config.subscribers)
    assert first.status(READER) == "unsubscribed"
    first.server.stop()
    first.store.close()
    second = start_web()  # a restart: a new store on the same file, the config synced again
    assert second.status(READER) == "unsubscribed"
    assert second.store.active_subscribers() == []


def test_unsubscribing_an_unknown_address_says_the_same_and_creates_nothing(web: Web) -> None:
    url = unsubscribe_url(web.config, SECRET, "nobody@example.org")
    response = web.http.post(url)
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    assert web.status("nobody@example.org") is None


# Rate limits -----------------------------------------------------------------------------------

def test_too_many_signups_from_one_client_get_429(start_web: StartWeb) -> None:
    web = start_web(limits=RateLimits(per_client=Limit(2, 60.0), per_address=Limit(5, 60.0)))
    codes = [web.subscribe(f"r{i}@example.org", "rail").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    limited = web.subscribe("r9@example.org", "rail")
    assert limited.status_code == 429
    assert "Too many requests" in limited.text
    assert int(limited.headers["Retry-After"]) > 0
    assert len(web.smtp.messages) == 2
    web.clock.advance(seconds=61)
    assert web.subscribe("r9@example.org", "rail").status_code == 200


def test_too_many_signups_for_one_address_get_429(start_web: StartWeb) -> None:
    web = start_web(limits=RateLimits(per_client=Limit(10, 60.0), per_address=Limit(1, 3600.0)))
    assert web.subscribe("target@example.org", "rail").status_code == 200
    assert web.subscribe("TARGET@example.org", "rail").status_code == 429
    assert web.subscribe("other@example.org", "rail").status_code == 200
    assert len(web.smtp.messages) == 2


def test_a_token_bucket_refills_over_time() -> None:
    bucket = TokenBucket(Limit(burst=2, every=10.0))
    assert [bucket.take("k", 0.0) for _ in range(3)] == [0.0, 0.0, 10.0]
    assert bucket.take("k", 5.0) == pytest.approx(5.0)
    assert bucket.take("k", 10.0) == 0.0
    assert bucket.take("other", 10.0) == 0.0


# Health and metrics ----------------------------------------------------------------------------

def test_healthz_is_ok_on_a_fresh_service(web: Web) -> None:
    response = web.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "config": {"path": str(web.config.path)}, "database": "ok",
        "feeds": {"total": 1, "failing": 0, "disabled": 0},
        "outbox": {"pending": 0, "failed": 0},
    }


def test_healthz_is_degraded_by_a_failing_feed_or_a_failed_reload(web: Web) -> None:
    url = web.config.feeds[0].url
    web.store.sync_feeds(web.config.feeds)
    web.store.record_failure(url, START, "HTTP 500")
    assert web.http.get("/healthz").json()["feeds"]["failing"] == 1
    assert web.http.get("/healthz").json()["status"] == "degraded"
    web.store.record_fetched([FeedFetched(url, None, None, None)], START)
    assert web.http.get("/healthz").json()["status"] == "ok"
    web.extra["error"] = "alerts.toml: watches[0].any: missing"
    report = web.http.get("/healthz").json()
    assert report["status"] == "degraded"
    assert report["config"]["error"] == "alerts.toml: watches[0].any: missing"


def test_healthz_answers_503_when_the_database_is_gone(web: Web, tmp_path: Path) -> None:
    web.store.close()
    for path in tmp_path.glob("alerts.db*"):
        path.unlink()
    (tmp_path / "alerts.db").mkdir()
    response = web.http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"].startswith("error")


def test_metrics_parse_and_count_what_the_store_holds(web: Web) -> None:
    web.store.sync_feeds(web.config.feeds)
    web.store.record_failure(web.config.feeds[0].url, START, "HTTP 500")
    web.subscribe("new.reader@example.org", "rail")
    found = metrics(web)
    names = {name for name, _ in found}
    assert {"alerts_feeds", "alerts_feeds_failing", "alerts_articles", "alerts_claims",
            "alerts_digests", "alerts_subscribers", "alerts_polls_total",
            "alerts_feed_fetches_total", "alerts_emails_sent_total",
            "alerts_emails_failed_total"} <= names
    assert found[("alerts_feeds", ())] == 1
    assert found[("alerts_feeds_failing", ())] == 1
    assert found[("alerts_subscribers", (("status", "pending"),))] == 1
    assert found[("alerts_subscribers", (("status", "active"),))] == 1
    assert found[("alerts_claims", (("kind", "count"),))] == 0
    assert found[("alerts_emails_sent_total", (("kind", "confirmation"),))] == 1


# Archive and headers ---------------------------------------------------------------------------

HOSTILE = ('<h2>welfare-bill</h2><p onclick="steal()">Vote <b>tonight</b></p>'
           '<script>alert(1)</script><a href="javascript:alert(2)">bad</a>'
           '<a href="https://example.org/story">good</a><img src="https://tracker.example/p.gif">'
           '<form action="https://evil.example"><input name="x"></form>')


def test_the_archive_lists_watches_and_editions(web: Web) -> None:
    web.store.add_edition("welfare-bill", date(2025, 6, 2), "<p>old</p>", "old", START)
    web.store.add_edition("welfare-bill", date(2025, 6, 3), "<p>new</p>", "new", START)
    index = web.http.get("/archive")
    assert index.status_code == 200
    assert 'href="/archive/welfare-bill"' in index.text
    assert "Tax &amp; &lt;benefits&gt;" in index.text
    listing = web.http.get("/archive/welfare-bill")
    assert listing.status_code == 200
    assert listing.text.index("3 June 2025") < listing.text.index("2 June 2025")
    assert web.http.get("/archive/no-such-watch").status_code == 404


def test_an_edition_is_served_sanitised_under_a_sandboxing_policy(web: Web) -> None:
    edition_id = web.store.add_edition("welfare-bill", date(2025, 6, 3), HOSTILE, "text", START)
    page = web.http.get(f"/archive/welfare-bill/{edition_id}")
    assert page.status_code == 200
    assert "Vote <b>tonight</b>" in page.text and 'href="https://example.org/story"' in page.text
    for banned in ("<script", "onclick", "javascript:", "<img", "<form", "evil.example"):
        assert banned not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert web.http.get(f"/archive/rail/{edition_id}").status_code == 404
    assert web.http.get("/archive/welfare-bill/999").status_code == 404


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("POST", "/subscribe"), ("GET", "/confirm?token=x"), ("GET", "/healthz"),
    ("GET", "/metrics"), ("GET", "/archive"), ("GET", "/no-such-page"),
])
def test_every_response_carries_the_security_headers(web: Web, method: str, path: str) -> None:
    response = web.http.request(method, path)
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "server" not in response.headers


def test_a_confirmed_reader_gets_digests_until_one_click_unsubscribe(web: Web) -> None:
    from alerts.digest import send_digests
    from alerts.models import Article

    def news(n: int) -> None:
        [stored] = web.store.add_articles([Article(
            f"guid:{n}", "http://127.0.0.1:9/politics.xml", f"Welfare bill story {n}",
            f"https://news.example/{n}", web.clock(), "Labour MPs and the PIP cuts.")],
            web.clock())
        web.store.add_all_matches({stored.id: ["welfare-bill"]}, web.clock())

    web.subscribe("newbie@example.org", "welfare-bill")
    link = confirm_link(web.smtp.messages[-1])
    assert web.http.post(link).status_code == 200
    news(1)
    send_digests(web.config, web.store, web.clock(), force=True)
    digest = next(m for m in web.smtp.messages if str(m["To"]) == "newbie@example.org"
                  and "Welfare bill story 1" in text_part(m))
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(digest["List-Unsubscribe"]).strip("<>")
    answer = httpx.post(unsubscribe, content=b"List-Unsubscribe=One-Click",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200
    assert web.status("newbie@example.org") == "unsubscribed"

    before = len(web.smtp.messages)
    web.clock.advance(hours=1)
    news(2)
    send_digests(web.config, web.store, web.clock(), force=True)
    later = [str(m["To"]) for m in web.smtp.messages[before:]]
    assert "newbie@example.org" not in later
    assert any("reader@example.org" in to.lower() for to in later)
