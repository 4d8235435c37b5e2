"""Feed bytes → the project's own articles. feedparser reads the bytes; this module owns identity.

Pure: no network. ``parse_feed`` hands feedparser a stream (a ``bytes`` value would be tried as a
file name first) and never a URL, so feedparser does no I/O of its own. A DOCTYPE that declares
entities is cut out before parsing, so no entity is ever expanded (billion laughs) or fetched
from a file or URL (XXE), whatever feedparser or the XML library would do with it.

``alerts.feedpool`` runs it on every core while a poll's fetches go on.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from alerts.errors import ParseError
from alerts.models import Article
from alerts.text import declared_charset, html_to_text, one_line
from alerts.urls import canonical_url

TITLE_LIMIT = 300
SUMMARY_LIMIT = 2000
IDENTITY_LIMIT = 512  # the store's column; longer identities are replaced by their hash
LINK_LIMIT = 2048
_DOCTYPE_START = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE\b[^\[>]*(?:\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_HTML_SIGNS = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    articles: tuple[Article, ...]
    warning: str | None


def parse_feed(body: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
    """The articles in a feed document. Raises ParseError for bytes that are not a feed at all.

    Malformed XML still yields whatever parsed, with the reason in ``warning``.
    """
    if not body.strip():
        raise ParseError(f"{feed_url}: empty body, not a feed")
    body, stripped = without_entity_declarations(body)
    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers={"content-type": _reading_type(body, content_type)},
            sanitize_html=False,
            resolve_relative_uris=False,  # summaries become plain text; links are joined here
        )
        feed_title = one_line(html_to_text(_text(result.feed, "title")), TITLE_LIMIT)
        articles = tuple(_unique(_articles(result.entries, feed_url)))
    except Exception as error:  # feedparser and lxml raise many kinds on hostile input
        reason = f"unreadable feed ({type(error).__name__}: {error})"
        raise ParseError(f"{feed_url}: {reason}") from error
    if not result.entries and not feed_title:
        raise ParseError(f"{feed_url}: {_not_a_feed_reason(body, result)}")
    warnings = [w for w in (stripped, _warning(result)) if w]
    return ParsedFeed(feed_title, articles, "; ".join(warnings) or None)


def without_entity_declarations(body: bytes) -> tuple[bytes, str | None]:
    """``body`` minus a DOCTYPE that declares entities, and a warning saying so.

    A DOCTYPE starts before the first element; one without entity declarations stays.
    """
    element = _FIRST_ELEMENT.search(body)
    start = _DOCTYPE_START.search(body, 0, element.start() if element else len(body))
    if start is None:
        return body, None
    doctype = _DOCTYPE.match(body, start.start())
    end = doctype.end() if doctype else (element.start() if element else len(body))
    if b"<!entity" not in body[start.start() : end].lower():
        return body, None
    kept = body[: start.start()] + body[end:]
    return kept, "removed a DOCTYPE declaring entities (entities are never expanded)"


def article_identity(guid: str | None, link: str | None, title: str, summary: str) -> str:
    """What makes an article unique: its guid, else its canonical link, else a content hash.

    A guid that is an http(s) URL is canonicalised too, so a feed moving to https keeps its ids.
    """
    if guid and guid.strip():
        return _bounded("guid:" + canonical_url(guid))
    if link and link.strip():
        return _bounded("link:" + canonical_url(link))
    return "hash:" + _sha256(f"{title}\n{summary}")


def _bounded(identity: str) -> str:
    """``identity``, or for one too long to store, a hash of it that keeps its kind."""
    if len(identity) <= IDENTITY_LIMIT:
        return identity
    kind, _, rest = identity.partition(":")
    return f"{kind}-sha256:{_sha256(rest)}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _reading_type(body: bytes, content_type: str | None) -> str:
    """The Content-Type feedparser should believe.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the label says (a UTF-8 feed labelled
    tis-620 would otherwise turn every curly quote into Thai letters). Otherwise the server's
    charset is passed on; with none, feedparser follows the XML declaration.
    """
    charset = "utf-8" if _is_utf8(body) else declared_charset(content_type)
    return f"application/xml; charset={charset}" if charset else "application/xml"


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _articles(entries: list[Any], feed_url: str) -> Iterator[Article]:
    for entry in entries:
        article = _article(entry, feed_url)
        if article is not None:
            yield article


def _article(entry: Mapping[str, Any], feed_url: str) -> Article | None:
    title = one_line(html_to_text(_text(entry, "title")), TITLE_LIMIT)
    summary = _cap(html_to_text(_summary_markup(entry)), SUMMARY_LIMIT)
    guid = _text(entry, "id").strip()
    link = _link(entry, feed_url)
    if not (guid or link or title or summary):
        return None
    identity = article_identity(guid, link, title, summary)
    return Article(identity, feed_url, title, link, _published(entry), summary)


def _link(entry: Mapping[str, Any], feed_url: str) -> str:
    """The entry's link made absolute; a bare guid that feedparser copied into ``link`` is none."""
    raw = _text(entry, "link").strip()
    if not raw or (entry.get("guidislink") and not _is_web_url(raw)):
        return ""
    absolute = urljoin(feed_url, raw)
    return absolute if _is_web_url(absolute) and len(absolute) <= LINK_LIMIT else ""


def _is_web_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _summary_markup(entry: Mapping[str, Any]) -> str:
    summary = _text(entry, "summary")
    if summary:
        return summary
    content = entry.get("content")
    if isinstance(content, list) and content and isinstance(content[0], Mapping):
        return _text(content[0], "value")
    return ""


def _published(entry: Mapping[str, Any]) -> datetime | None:
    """When the entry was published (else updated, else created), as an aware UTC datetime."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _unique(articles: Iterator[Article]) -> Iterator[Article]:
    """The articles with each identity once: the first occurrence in the feed wins."""
    seen: set[str] = set()
    for article in articles:
        if article.identity not in seen:
            seen.add(article.identity)
            yield article


def _text(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def _warning(result: Mapping[str, Any]) -> str | None:
    if not result.get("bozo"):
        return None
    return f"malformed feed, used what parsed: {result.get('bozo_exception')}"


def _not_a_feed_reason(body: bytes, result: Mapping[str, Any]) -> str:
    head = body[:1024].lstrip().lower()
    if any(sign in head for sign in _HTML_SIGNS):
        return "an HTML page, not a feed (no RSS, Atom or RDF elements)"
    problem = result.get("bozo_exception")
    detail = f" ({problem})" if problem else ""
    return f"not a feed: no entries and no feed title{detail}"
