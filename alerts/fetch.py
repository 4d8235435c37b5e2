"""Fetching feeds and pages over HTTP: conditional GET, limits, redirects, errors as values.

One shared ``httpx.AsyncClient`` serves a whole poll. Every URL ends as a ``FetchResult``; nothing
about one URL ever raises out of ``fetch_all``, so one broken feed never stops the others.
HTTP statuses become error reasons in exactly one place, ``status_problem``.

Bodies are decompressed here, not by httpx, so that the size cap holds while decoding: httpx
would inflate a whole network chunk (up to ~1000x its size) before any check could see it.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Literal
from urllib.parse import urlsplit

import httpx

from alerts import USER_AGENT

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_MB = 1024 * 1024
# Client errors that retrying will not cure; 408, 425 and 429 are about timing, not the URL.
_TEMPORARY_4XX = frozenset({408, 425, 429})
# httpcore's pool does work quadratic in its idle connections on every request: 50 idle ones made
# 300 loopback fetches cost 3 s of CPU, 20 cost 0.7 s (with per_host=50).
_KEEP_ALIVE = 20


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


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10 * _MB
    concurrency: int = 50
    per_host: int = 4
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


class _TooLarge(Exception):
    """The body grew past the cap (raw or decoded)."""


class _Undecodable(Exception):
    """The body's Content-Encoding is unknown or its bytes do not inflate."""


async def fetch_all(
    requests: Sequence[FeedRequest],
    limits: FetchLimits = DEFAULT_LIMITS,
    on_result: Callable[[FetchResult], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[FetchResult]:
    """Fetch every feed concurrently; results in request order, ``on_result`` as each finishes.

    At most ``limits.concurrency`` fetches run at once and ``limits.per_host`` to any one host.
    """
    everywhere = asyncio.Semaphore(limits.concurrency)
    hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
        lambda: asyncio.Semaphore(limits.per_host)
    )

    async def one(client: httpx.AsyncClient, request: FeedRequest) -> FetchResult:
        # The host slot first, so fetches queued behind a busy host hold no global slot.
        async with hosts[_host(request.url)], everywhere:
            result = await fetch_feed(client, request, limits)
        if on_result is not None:
            on_result(result)
        return result

    async with open_client(limits, transport) as client:
        return list(await asyncio.gather(*(one(client, request) for request in requests)))


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
    """The one client a poll shares: HTTP/1.1, capped redirects, our User-Agent.

    Bodies stay compressed on the way in (``_read_body`` inflates them under the cap), so only
    the encodings it can inflate are offered.
    """
    return httpx.AsyncClient(
        http2=False,
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=limits.deadline,
        ),
        limits=httpx.Limits(
            max_connections=limits.concurrency,
            max_keepalive_connections=min(limits.concurrency, _KEEP_ALIVE),
        ),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        transport=transport,
    )


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
    async with client.stream("GET", url, headers=headers) as response:
        found = FetchResult(
            url,
            "ok",
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            final_url=str(response.url),
            content_type=response.headers.get("content-type"),
            http_status=response.status_code,
        )
        if response.status_code == HTTPStatus.NOT_MODIFIED:
            return replace(found, status="not_modified")
        problem = status_problem(response.status_code)
        if problem is not None:
            return replace(found, status="error", error=problem[0], permanent=problem[1])
        return replace(found, body=await _read_body(response, limits.max_bytes))


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
        case TimeoutError():
            return f"timed out after {limits.deadline:g} s (whole fetch deadline)", False
        case httpx.ConnectTimeout():
            return f"timed out after {limits.connect_timeout:g} s connecting", False
        case httpx.ReadTimeout() | httpx.WriteTimeout():
            return f"timed out after {limits.read_timeout:g} s waiting for data", False
        case httpx.PoolTimeout():
            return "timed out waiting for a free connection", False
        case httpx.TooManyRedirects():
            return f"more than {limits.max_redirects} redirects", False
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
    inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # 32: accept a gzip or a zlib header

    def inflate(raw: bytes, room: int) -> bytes:
        try:
            return inflater.decompress(raw, max(room, 0) + 1)
        except zlib.error as error:
            raise _Undecodable(f"corrupt {encoding} body ({error})") from error

    return inflate


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _size(count: int) -> str:
    return f"{count // _MB} MB" if count % _MB == 0 else f"{count} bytes"
