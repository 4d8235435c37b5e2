"""A real HTTP server on 127.0.0.1 that serves feeds to the tests, and helpers that write feeds.

    from tests.feedserver import FeedServer, feed_server, make_rss

    def test_something(feed_server: FeedServer) -> None:
        feed_server.add("/news.xml", make_rss([{"title": "Vote tonight", "guid": "1"}]))
        ...fetch feed_server.url("/news.xml")...
        assert len(feed_server.requests) == 1

Each route can carry an ETag and a Last-Modified (a matching conditional GET gets a bare 304),
a delay before the answer and a drip (the body sent in pieces with a pause between them). Every
request is logged, and ``max_in_flight`` records how many were ever served at the same time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
Logged = tuple[str, str, dict[str, str]]


@dataclass(frozen=True)
class Route:
    body: bytes
    content_type: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    drip: float = 0.0


class FeedServer:
    """A threaded HTTP/1.1 server on a free loopback port; use as a context manager.

    ``host`` may be any 127.0.0.0/8 address, to stand for a second, third... host.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Logged] = []
        self.max_in_flight = 0
        self.connections = 0  # TCP connections accepted
        self._in_flight = 0
        self._lock = threading.Lock()
        self.host = host
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.feeds = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(
        self,
        path: str,
        body: bytes,
        content_type: str = RSS_TYPE,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
        drip: float = 0.0,
    ) -> str:
        """Serve ``body`` at ``path`` (replacing what was there); returns the full URL."""
        route = Route(body, content_type, status, dict(headers or {}), etag, last_modified,
                      delay, drip)
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        """Answer ``path`` with a redirect to ``to`` (a path on this server or a full URL)."""
        target = self.url(to) if to.startswith("/") else to
        return self.add(path, b"", "text/plain", status, {"Location": target})

    def count(self, path: str) -> int:
        """How many requests asked for ``path``."""
        return sum(1 for _, asked, _ in self.requests if asked == path)

    def _route(self, path: str) -> Route | None:
        with self._lock:
            return self.routes.get(path)

    def _enter(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((method, path, headers))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512
    feeds: FeedServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.feeds._connected()

    def do_GET(self) -> None:
        feeds = self.server.feeds
        feeds._enter("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        self._in_flight = True
        try:
            self._answer(feeds._route(self.path))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test); nothing to do
        finally:
            self._answered()

    def _answered(self) -> None:
        """Out of ``max_in_flight`` once the answer starts: after its last byte the client may
        send its next request before this thread runs again."""
        if self._in_flight:
            self._in_flight = False
            self.server.feeds._leave()

    def _answer(self, route: Route | None) -> None:
        if route is None:
            return self._send(404, {"Content-Type": "text/plain"}, b"no such feed")
        time.sleep(route.delay)
        validators = _validators(route)
        if _not_modified(route, self.headers.get("If-None-Match"),
                         self.headers.get("If-Modified-Since")):
            return self._send(304, validators, b"")
        headers = {"Content-Type": route.content_type, **validators, **route.headers}
        self._send(route.status, headers, route.body, route.drip)

    def _send(self, status: int, headers: Mapping[str, str], body: bytes, drip: float = 0) -> None:
        self._answered()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for piece in _pieces(body, 10 if drip else 1):
            self.wfile.write(piece)
            self.wfile.flush()
            time.sleep(drip)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is ``FeedServer.requests``."""


def _validators(route: Route) -> dict[str, str]:
    found = {"ETag": route.etag, "Last-Modified": route.last_modified}
    return {name: value for name, value in found.items() if value}


def _not_modified(route: Route, if_none_match: str | None, if_modified_since: str | None) -> bool:
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return route.etag is not None and (route.etag in tags or "*" in tags)
    return route.last_modified is not None and if_modified_since == route.last_modified


def _pieces(body: bytes, count: int) -> Iterator[bytes]:
    size = max(1, -(-len(body) // count))
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running FeedServer, stopped after the test."""
    with FeedServer() as server:
        yield server


def http_date(moment: datetime) -> str:
    """An HTTP/RSS date: ``Tue, 03 Jun 2025 07:00:00 GMT``."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def make_rss(
    items: list[dict[str, Any]], title: str = "Loopback Politics", link: str = "https://example.org/"
) -> bytes:
    """An RSS 2.0 feed. Item keys: title, link, guid, permalink (bool), description, published
    (a datetime or a preformatted string), extra (raw XML appended to the item)."""
    body = "".join(_rss_item(item) for item in items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>Feed for tests</description>{body}</channel></rss>\n"
    ).encode()


def _rss_item(item: dict[str, Any]) -> str:
    parts = [_element("title", item.get("title")), _element("link", item.get("link"))]
    if "guid" in item:
        permalink = "" if item.get("permalink", True) else ' isPermaLink="false"'
        parts.append(f"<guid{permalink}>{escape(item['guid'])}</guid>")
    parts.append(_element("description", item.get("description")))
    if "published" in item:
        parts.append(_element("pubDate", _date(item["published"], http_date)))
    parts.append(item.get("extra", ""))
    return "<item>" + "".join(parts) + "</item>"


def make_atom(
    entries: list[dict[str, Any]], title: str = "Loopback Atom", feed_id: str = "urn:test:feed"
) -> bytes:
    """An Atom 1.0 feed. Entry keys: title, link, id, summary, updated (datetime or string)."""
    body = "".join(_atom_entry(entry) for entry in entries)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{escape(feed_id)}</id>"
        f"<updated>2025-06-03T07:00:00Z</updated>{body}</feed>\n"
    ).encode()


def _atom_entry(entry: dict[str, Any]) -> str:
    link = entry.get("link")
    parts = [
        _element("title", entry.get("title")),
        f"<link rel=\"alternate\" href={quoteattr(link)}/>" if link else "",
        _element("id", entry.get("id")),
        _element("summary", entry.get("summary")),
        _element("updated", _date(entry.get("updated"), lambda moment: moment.isoformat())),
    ]
    return "<entry>" + "".join(parts) + "</entry>"


def _element(name: str, value: str | None) -> str:
    return "" if value is None else f"<{name}>{escape(value)}</{name}>"


def _date(value: datetime | str | None, style: Callable[[datetime], str]) -> str | None:
    return style(value) if isinstance(value, datetime) else value
