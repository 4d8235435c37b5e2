"""Fetching feeds and pages over HTTP: conditional GET, limits, redirects, errors as values.

One shared ``httpx.AsyncClient`` serves a whole poll. Every URL ends as a ``FetchResult``; nothing
about one URL ever raises out of ``fetch_all``, so one broken feed never stops the others.
HTTP statuses become error reasons in exactly one place, ``status_problem``.

Redirects are followed here, hop by hop, so that each hop's status is known: ``moved_to`` is set
only when every hop was permanent (301/308), a URL seen twice is a loop, and only http(s) targets
are followed. Every connection, the first and each redirect's, goes through
``alerts.netguard``, which refuses private and metadata addresses after DNS resolution unless
``FetchLimits.allow_private``. A 429/503 with ``Retry-After`` holds its host for the rest of the
``fetch_all``: later requests to it are skipped, not sent. ``cycle_deadline`` bounds a whole
``fetch_all``; what has not finished by then becomes an error result.

Bodies are decompressed here, not by httpx, so that the size cap holds while decoding: httpx
would inflate a whole network chunk (up to ~1000x its size) before any check could see it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Literal
from urllib.parse import urlsplit

import httpx

from alerts import USER_AGENT
from alerts.netguard import (
    AddressPolicy,
    BlockedAddress,
    GuardedTransport,
    Resolver,
    system_resolver,
)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_MB = 1024 * 1024
# Client errors that retrying will not cure; 408, 425 and 429 are about timing, not the URL.
_TEMPORARY_4XX = frozenset({408, 425, 429})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})
_HOLDING = frozenset({429, 503})  # statuses whose Retry-After holds the whole host


def _fail_fast_on_missing_sniffio() -> None:
    """httpcore 1.0 runs ``import sniffio`` on every request and recent anyio no longer installs
    it; each failed import searched all of sys.path again (six finder lookups, ~0.3 ms of CPU per
    request). Recording the module as missing, as the import system allows, fails it at once."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_fail_fast_on_missing_sniffio()
# Connections kept open between requests. Past about 32, httpcore's pool costs more CPU on every
# request than new connections would (1,000 loopback 304s at per_host=50: 1.5 ms of CPU each
# keeping 32, 2.5 ms keeping 40, 8.8 ms keeping 50). At the default per_host=100, an unchanged
# poll of 200 feeds on one host took about 0.55 s of CPU keeping 8 or 32, and 2.3 s keeping 100.
_KEEP_ALIVE = 32


@dataclass(frozen=True)
class FeedRequest:
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: Literal["ok", "not_modified", "error"]
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None
    content_type: str | None = None
    error: str | None = None
    permanent: bool = False
    http_status: int | None = None
    retry_after: float | None = None  # seconds the server asked us to wait (429/503...)
    moved_to: str | None = None  # the final URL, when every redirect hop was 301/308


@dataclass(frozen=True)
class FetchLimits:
    """``deadline`` bounds one URL, ``cycle_deadline`` a whole ``fetch_all``.

    ``allow_private`` lets fetches reach loopback, private and metadata addresses (config
    ``[fetch] allow_private``); ``allowed_networks`` (CIDR strings) lets only those through.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    cycle_deadline: float = 300.0
    max_bytes: int = 10 * _MB
    concurrency: int = 100
    per_host: int = 100
    max_redirects: int = 5
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = field(default=())


DEFAULT_LIMITS = FetchLimits()


class _TooLarge(Exception):
    """The body grew past the cap (raw or decoded)."""


class _Undecodable(Exception):
    """The body's Content-Encoding is unknown or its bytes do not inflate."""


class _BadRedirect(Exception):
    """A redirect that must not be followed: a loop, too many hops, or a non-http(s) target."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class HostHolds:
    """Hosts that answered 429/503 with Retry-After, and until when (monotonic seconds)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._until: dict[str, float] = {}
        self._clock = clock

    def note(self, result: FetchResult) -> None:
        if result.http_status in _HOLDING and result.retry_after:
            host = _host(result.final_url or result.url)
            until = self._clock() + result.retry_after
            self._until[host] = max(until, self._until.get(host, 0.0))

    def skipped(self, url: str) -> FetchResult | None:
        """An error result for ``url`` if its host is held, else None (go ahead)."""
        host = _host(url)
        left = self._until.get(host, 0.0) - self._clock()
        if left <= 0:
            return None
        until = datetime.now(UTC) + timedelta(seconds=left)
        reason = f"rate limited by host {host} until {until:%H:%M:%S} UTC (Retry-After); not sent"
        return FetchResult(url, "error", error=reason, retry_after=left)


async def fetch_all(
    requests: Sequence[FeedRequest],
    limits: FetchLimits = DEFAULT_LIMITS,
    on_result: Callable[[FetchResult], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[FetchResult]:
    """Fetch every feed concurrently; results in request order, ``on_result`` as each finishes.

    At most ``limits.concurrency`` fetches run at once and ``limits.per_host`` to any one host.
    A host that asked to be left alone (429/503 with Retry-After) gets no more requests; whatever
    is unfinished at ``limits.cycle_deadline`` is given up with an error result.
    """
    everywhere = asyncio.Semaphore(limits.concurrency)
    hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
        lambda: asyncio.Semaphore(limits.per_host)
    )
    holds = HostHolds()

    def report(result: FetchResult) -> FetchResult:
        if on_result is not None:
            on_result(result)
        return result

    async def one(client: httpx.AsyncClient, request: FeedRequest) -> FetchResult:
        # The host slot first, so fetches queued behind a busy host hold no global slot.
        async with hosts[_host(request.url)], everywhere:
            result = holds.skipped(request.url) or await fetch_feed(client, request, limits)
        holds.note(result)
        return report(result)

    async with open_client(limits, transport) as client:
        tasks = [asyncio.ensure_future(one(client, request)) for request in requests]
        if not tasks:
            return []
        done, pending = await asyncio.wait(tasks, timeout=limits.cycle_deadline)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return [
        task.result() if task in done else report(_unfinished(request.url, limits))
        for task, request in zip(tasks, requests, strict=True)
    ]


def _unfinished(url: str, limits: FetchLimits) -> FetchResult:
    reason = f"not finished within the poll's {limits.cycle_deadline:g} s deadline"
    return FetchResult(url, "error", error=reason)


def fetch_all_sync(
    requests: Sequence[FeedRequest],
    limits: FetchLimits = DEFAULT_LIMITS,
    on_result: Callable[[FetchResult], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[FetchResult]:
    """``fetch_all`` for callers outside an event loop."""
    return asyncio.run(fetch_all(requests, limits, on_result, transport))


def open_client(
    limits: FetchLimits = DEFAULT_LIMITS,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """The one client a poll shares: HTTP/1.1, our User-Agent, connections through the address
    guard (``guarded_transport``) unless a ``transport`` is given. Redirects are followed by
    ``_get``, not by httpx.

    Bodies stay compressed on the way in (``_read_body`` inflates them under the cap), so only
    the encodings it can inflate are offered.
    """
    return httpx.AsyncClient(
        http2=False,
        follow_redirects=False,
        timeout=httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.deadline,
        ),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        transport=transport or guarded_transport(limits),
    )


def guarded_transport(
    limits: FetchLimits = DEFAULT_LIMITS, resolver: Resolver = system_resolver
) -> httpx.AsyncBaseTransport:
    """A transport whose every connection is checked by ``alerts.netguard`` for ``limits``."""
    policy = AddressPolicy.of(limits.allow_private, limits.allowed_networks)
    pool = httpx.Limits(
        max_connections=limits.concurrency,
        max_keepalive_connections=min(limits.concurrency, _KEEP_ALIVE),
    )
    return GuardedTransport(policy, pool, resolver)


async def fetch_feed(
    client: httpx.AsyncClient, request: FeedRequest, limits: FetchLimits = DEFAULT_LIMITS
) -> FetchResult:
    """One conditional GET of a feed. "not_modified" when the server answers 304."""
    headers = {"Accept": FEED_ACCEPT}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    result = await _fetch(client, request.url, headers, limits)
    if result.status != "not_modified":
        return result
    etag = result.etag or request.etag
    return replace(result, etag=etag, last_modified=result.last_modified or request.last_modified)


async def fetch_page(
    client: httpx.AsyncClient, url: str, limits: FetchLimits = DEFAULT_LIMITS
) -> FetchResult:
    """One GET of an article page (HTML), with the same limits and error values as feeds."""
    return await _fetch(client, url, {"Accept": PAGE_ACCEPT}, limits)


async def _fetch(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], limits: FetchLimits
) -> FetchResult:
    try:
        async with asyncio.timeout(limits.deadline):
            return await _get(client, url, headers, limits)
    except Exception as error:  # every failure of one URL becomes a value
        reason, permanent = exception_problem(error, limits)
        return FetchResult(url, "error", error=reason, permanent=permanent)


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], limits: FetchLimits
) -> FetchResult:
    """GET ``url``, following redirects hop by hop; the result of the last hop."""
    hops: list[int] = []
    visited = [url]
    while True:
        request = client.build_request("GET", visited[-1], headers=headers)
        response = await client.send(request, stream=True)
        try:
            target = _redirect_target(response)
            if target is None:
                moved = all(code in _PERMANENT_REDIRECTS for code in hops)
                return await _answer(url, response, limits, moved=bool(hops) and moved)
        finally:
            await response.aclose()
        hops.append(response.status_code)
        _check_hop(visited, target, limits)
        visited.append(target)


def _redirect_target(response: httpx.Response) -> str | None:
    """The absolute URL a redirect points to; None for any other answer."""
    location = response.headers.get("location", "").strip()
    if response.status_code not in _REDIRECTS or not location:
        return None
    try:
        return str(response.url.join(location))
    except httpx.InvalidURL as error:
        raise _BadRedirect(f"redirect to an invalid URL {location!r}", permanent=False) from error


def _check_hop(visited: list[str], target: str, limits: FetchLimits) -> None:
    scheme = urlsplit(target).scheme
    if scheme not in ("http", "https"):
        reason = f"redirect to a {scheme}: URL; only http and https are followed"
        raise _BadRedirect(reason, permanent=True)
    if target in visited:
        chain = " → ".join([*visited[visited.index(target):], target])
        raise _BadRedirect(f"redirect loop: {chain}", permanent=False)
    if len(visited) > limits.max_redirects:
        raise _BadRedirect(f"more than {limits.max_redirects} redirects", permanent=False)


async def _answer(
    url: str, response: httpx.Response, limits: FetchLimits, *, moved: bool
) -> FetchResult:
    code = response.status_code
    found = FetchResult(
        url,
        "ok",
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        final_url=str(response.url),
        content_type=response.headers.get("content-type"),
        http_status=code,
        moved_to=str(response.url) if moved else None,
    )
    if code == HTTPStatus.NOT_MODIFIED:
        await response.aread()  # a 304 has no body; reading its end keeps the connection for reuse
        return replace(found, status="not_modified")
    problem = status_problem(code)
    if problem is not None:
        wait = retry_after_seconds(response.headers.get("retry-after"), datetime.now(UTC))
        return replace(
            found, status="error", error=problem[0], permanent=problem[1], retry_after=wait
        )
    return replace(found, body=await _read_body(response, limits.max_bytes))


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date), never < 0."""
    text = (value or "").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def status_problem(code: int) -> tuple[str, bool] | None:
    """The error reason and permanence of an HTTP status; None for a usable response."""
    if 200 <= code < 300:
        return None
    try:
        reason = f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        reason = f"HTTP {code}"
    if 300 <= code < 400:
        return f"{reason} (a redirect without a usable Location)", False
    return reason, 400 <= code < 500 and code not in _TEMPORARY_4XX


def exception_problem(error: Exception, limits: FetchLimits) -> tuple[str, bool]:
    """The error reason and permanence of an exception raised while fetching one URL."""
    match error:
        case _TooLarge():
            return f"body over {_size(limits.max_bytes)} cap", False
        case _Undecodable():
            return str(error), False
        case _BadRedirect():
            return str(error), error.permanent
        case BlockedAddress():
            return str(error), True
        case TimeoutError():
            return f"timed out after {limits.deadline:g} s (whole fetch deadline)", False
        case httpx.ConnectTimeout():
            return f"timed out after {limits.connect_timeout:g} s connecting", False
        case httpx.ReadTimeout() | httpx.WriteTimeout():
            return f"timed out after {limits.read_timeout:g} s waiting for data", False
        case httpx.PoolTimeout():
            return "timed out waiting for a free connection", False
        case httpx.UnsupportedProtocol() | httpx.InvalidURL():
            return f"not a fetchable URL ({error})", True
        case httpx.ConnectError():
            return f"could not connect ({str(error) or type(error).__name__})", False
        case httpx.HTTPError():
            return f"{type(error).__name__}: {error}", False
    return f"unexpected {type(error).__name__}: {error}", False


async def _read_body(response: httpx.Response, cap: int) -> bytes:
    """The decoded body, refusing more than ``cap`` bytes before or after decompression."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _TooLarge
    inflate = _decoder(response.headers.get("content-encoding", ""))
    chunks: list[bytes] = []
    raw_size = size = 0
    async for raw in response.aiter_raw():
        raw_size += len(raw)
        chunk = inflate(raw, cap - size)
        size += len(chunk)
        if raw_size > cap or size > cap:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _decoder(encoding: str) -> Callable[[bytes, int], bytes]:
    """A function (raw bytes, room left) → decoded bytes, never inflating past room + 1."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda raw, room: raw
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise _Undecodable(f"unsupported Content-Encoding {encoding!r}")
    # 32: accept a gzip or a zlib header; "deflate" is sometimes sent raw, with no header at all.
    inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)
    may_be_raw = encoding == "deflate"

    def inflate(raw: bytes, room: int) -> bytes:
        nonlocal inflater, may_be_raw
        try:
            decoded = inflater.decompress(raw, max(room, 0) + 1)
        except zlib.error as error:
            if not may_be_raw:
                raise _Undecodable(f"corrupt {encoding} body ({error})") from error
            inflater, may_be_raw = zlib.decompressobj(-zlib.MAX_WBITS), False
            return inflate(raw, room)
        may_be_raw = False
        return decoded

    return inflate


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _size(count: int) -> str:
    return f"{count // _MB} MB" if count % _MB == 0 else f"{count} bytes"
