"""OPML, the feed-list format of feed readers: import into and export from the config. Pure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from alerts.errors import AlertsError
from alerts.models import Feed


class OpmlError(AlertsError):
    """A file that is not an OPML feed list."""


def read_opml(data: bytes) -> list[Feed]:
    """Every outline with an http(s) xmlUrl, in document order, without duplicates."""
    if b"<!ENTITY" in data:
        raise OpmlError("entity declarations are not allowed in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not valid XML: {exc}") from None
    if root.tag != "opml":
        raise OpmlError(f"the root element is <{root.tag}>, not <opml>")
    feeds: dict[str, Feed] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if urlsplit(url).scheme in ("http", "https") and url not in feeds:
            name = outline.get("title") or outline.get("text") or urlsplit(url).hostname or ""
            feeds[url] = Feed(url=url, name=name.strip())
    return list(feeds.values())


def write_opml(feeds: Sequence[Feed], title: str = "alerts feeds") -> str:
    outlines = "\n".join(
        f"    <outline type=\"rss\" text={quoteattr(f.name or f.url)} "
        f"title={quoteattr(f.name or f.url)} xmlUrl={quoteattr(f.url)}/>"
        for f in feeds
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n'
        f"  <head><title>{_text(title)}</title></head>\n  <body>\n{outlines}\n  </body>\n</opml>\n"
    )


def feeds_toml(feeds: Sequence[Feed]) -> str:
    """[[feeds]] tables to append to a config file (appending keeps the file's comments)."""
    return "".join(
        f'\n[[feeds]]\nname = {_toml_string(f.name)}\nurl = {_toml_string(f.url)}\n'
        for f in feeds
    )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'
