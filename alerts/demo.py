"""The demo's sample news: three fictional outlets' feeds and article pages, served on loopback.

The files in ``alerts/demo/`` write ``{base}`` wherever a URL of the server belongs; the server
replaces it with its own address, so feed links lead to pages it serves. Feeds are served at
``/feeds/<name>.xml`` and pages at ``/articles/<slug>.html``, with ETags for conditional GET.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from alerts.models import Feed

PLACEHOLDER = "{base}"
DEMO_FEEDS = (
    ("westminster-wire", "The Westminster Wire"),
    ("northern-courier", "The Northern Courier"),
    ("lobby-daily", "Lobby Daily"),
)
WATCH_TERMS = (
    "Universal Credit and Personal Independence Payment Bill",
    "welfare bill", "welfare reform", "welfare reforms", "welfare cuts", "welfare rebellion",
    "benefit cuts", "disability benefits", "Personal Independence Payment", "PIP",
    "Timms review",
)
_TYPES = {".xml": "application/xml; charset=utf-8", ".html": "text/html; charset=utf-8"}
_FOLDERS = {".xml": "/feeds/", ".html": "/articles/"}


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    etag: str


def demo_feeds(base_url: str) -> tuple[Feed, ...]:
    """The demo's feeds as served under ``base_url``."""
    return tuple(Feed(url=f"{base_url}/feeds/{slug}.xml", name=name) for slug, name in DEMO_FEEDS)


def site(base_url: str) -> dict[str, Resource]:
    """Every sample file keyed by the URL path it is served at, ``{base}`` filled in."""
    folder = resources.files("alerts") / "demo"
    served: dict[str, Resource] = {}
    for entry in folder.iterdir():
        suffix = Path(entry.name).suffix
        if suffix in _FOLDERS and entry.is_file():
            body = entry.read_bytes().replace(PLACEHOLDER.encode(), base_url.encode())
            served[_FOLDERS[suffix] + entry.name] = Resource(body, _TYPES[suffix], _etag(body))
    return served


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weak or strong, or ``*``)."""
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


class DemoHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the sample site; 304 when the client already has the current body."""

    server_version = "alerts-demo/1"

    def __init__(self, pages: Mapping[str, Resource], *args: Any, **kwargs: Any) -> None:
        self.pages = pages
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        page = self.pages.get(self.path.split("?", 1)[0])
        if page is None:
            self.send_error(404, "No such sample file")
            return
        fresh = etag_matches(self.headers.get("If-None-Match"), page.etag)
        self.send_response(304 if fresh else 200)
        self.send_header("ETag", page.etag)
        self.send_header("Cache-Control", "no-cache")
        if fresh:
            self.end_headers()
            return
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the demo prints its own summary."""


@contextmanager
def serve_demo() -> Iterator[str]:
    """Serve the sample site on 127.0.0.1 at a free port; yields the base URL, stops on exit."""
    pages: dict[str, Resource] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(DemoHandler, pages))
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    pages.update(site(base_url))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="alerts-demo", daemon=True
    )
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def demo_config(base_url: str, workdir: Path) -> str:
    """A complete config (TOML text) for the demo: its feeds, outbox and database in ``workdir``."""
    workdir = workdir.absolute()
    feeds = "".join(
        f"[[feeds]]\nname = {_string(feed.name)}\nurl = {_string(feed.url)}\n\n"
        for feed in demo_feeds(base_url)
    )
    return f"""# The `alerts demo` config: sample feeds on loopback, digests written to an outbox.

[schedule]
poll_every = "15m"
digest_at = "07:00"
timezone = "Europe/London"

[mail]
transport = "outbox"
outbox_dir = {_string(str(workdir / "outbox"))}
from = "alerts@localhost"

[storage]
url = {_string("sqlite:///" + (workdir / "alerts.db").as_posix())}

[fetch]
allow_private = true  # the demo's feeds are served on this machine

[web]
enabled = false

{feeds}[[watches]]
name = "welfare-bill"
any = {_array(WATCH_TERMS)}
all = []
none = ["animal welfare"]

[[watches]]
name = "transport"
any = ["rail", "bus", "buses", "Heathrow", "runway"]

[[subscribers]]
email = "reader@example.org"
watches = ["welfare-bill"]

[[subscribers]]
email = "editor@example.org"
watches = ["welfare-bill", "transport"]
"""


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are valid TOML."""
    return json.dumps(text, ensure_ascii=False)


def _array(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_string(item) for item in items) + "]"
