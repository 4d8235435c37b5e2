"""Text cleaning: HTML to plain text, mojibake repair, boilerplate removal. Pure functions."""

from __future__ import annotations

import html as htmllib
import re

import lxml.html
from lxml import etree

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article header footer tr table"
    " figure figcaption pre hr dd dt".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, one paragraph per line."""
    if "<" not in markup:
        return collapse_whitespace(htmllib.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return collapse_whitespace(htmllib.unescape(re.sub(r"<[^>]*>", " ", markup)))
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return collapse_whitespace(root.text_content())


def collapse_whitespace(text: str) -> str:
    """Single spaces inside lines, no blank lines, no stray control characters."""
    text = "".join(c for c in text if c in "\n\t" or c.isprintable())
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def one_line(text: str, limit: int = 300) -> str:
    """Text safe for a single line (a header, a title): no line breaks of any kind, capped."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
