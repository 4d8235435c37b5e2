"""Which entries of a changed feed body are new, before any parsing.

A feed that changed usually gained a few entries and kept the rest byte for byte. Each entry is
cut out of the body as bytes (``<item>`` or ``<entry>``) and fingerprinted; the entries whose
fingerprints the last parsed body also had are known already, so only the others go to
feedparser, in a document made of the body's head, those entries and its tail. Three new
entries of thirty-three cost a tenth of a whole parse, and a body whose only change is its
build date costs none.

Anything unusual is parsed whole, as before: a body that is not UTF-8 (its charset is judged on
the whole body), entries that do not sit side by side (markup between them, or an entry's text
holding ``</item>``), a prefixed or unknown layout, or no fingerprints from last time.
Pure: bytes in, bytes out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_ENTRY = re.compile(rb"<(item|entry)(?=[\s/>])[^>]*>.*?</\1\s*>", re.DOTALL)
_TAG = re.compile(rb"</?(?:item|entry)(?=[\s/>])")
_BETWEEN = re.compile(rb"\s*")


@dataclass(frozen=True)
class NewEntries:
    """``document``: what to parse (None: nothing new); ``fingerprints``: the body's entries,
    to keep for next time (empty when the body was not cut into entries)."""

    document: bytes | None
    fingerprints: str


def new_entries(body: bytes, seen: str | None) -> NewEntries:
    """The part of ``body`` worth parsing, given the fingerprints ``seen`` in the last body."""
    entries = _entries(body)
    if entries is None:
        return NewEntries(body, "")
    prints = [_fingerprint(body[start:end]) for start, end in entries]
    fingerprints = " ".join(prints)
    known = set(seen.split()) if seen else set()
    fresh = [(start, end) for (start, end), mark in zip(entries, prints, strict=True)
             if mark not in known]
    if not known or len(fresh) == len(entries):
        return NewEntries(body, fingerprints)
    if not fresh:
        return NewEntries(None, fingerprints)
    head, tail = body[: entries[0][0]], body[entries[-1][1] :]
    return NewEntries(head + b"".join(body[s:e] for s, e in fresh) + tail, fingerprints)


def _entries(body: bytes) -> list[tuple[int, int]] | None:
    """Where each entry starts and ends, or None when the body cannot be cut safely."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    spans = [match.span() for match in _ENTRY.finditer(body)]
    if not spans:
        return None
    gaps = zip((end for _, end in spans), (start for start, _ in spans[1:]), strict=False)
    if any(not _BETWEEN.fullmatch(body, end, start) for end, start in gaps):
        return None
    if _TAG.search(body, 0, spans[0][0]) or _TAG.search(body, spans[-1][1]):
        return None
    return spans


def _fingerprint(entry: bytes) -> str:
    return hashlib.blake2b(entry, digest_size=8).hexdigest()
