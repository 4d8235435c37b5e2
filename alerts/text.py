"""Text cleaning: HTML to plain text, mojibake repair, boilerplate removal. Pure functions."""

from __future__ import annotations

import html as htmllib
import re
from email.message import Message

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "header", "footer", "tr", "table", "figure", "figcaption", "pre", "hr",
    "dd", "dt",
})
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")


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
    stripped = text.strip(" \n")
    if _tidy(stripped):
        return stripped  # the common case, checked in C: nothing to do line by line
    if "\n\n" in stripped:  # blank lines between paragraphs, often the only fault
        joined = "\n".join(filter(None, stripped.split("\n")))
        if _tidy(joined):
            return joined
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    return "\n".join(filter(None, map(_clean_line, text.splitlines())))  # no empty lines


def _tidy(text: str) -> bool:
    """Whether ``text`` is already collapsed: printable (so its only white space is " " and
    "\n"), no doubled spaces, no space at a line's ends, no blank line. With its line breaks
    read as spaces, every fault but an unprintable character is a doubled space or a space at
    an end: checks in C over the whole text, quicker than a loop over its lines."""
    flat = text.replace("\n", " ")
    return bool(flat) and "  " not in flat and flat[0] != " " and flat[-1] != " " and (
        flat.isprintable())


def _clean_line(line: str) -> str:
    """One line with single spaces (str.split knows every Unicode space) and no control chars."""
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line  # the common case: already clean (a printable line's only space is " ")
    line = " ".join(line.split())
    if not line.isprintable():
        line = " ".join("".join(c for c in line if c.isprintable()).split())
    return line


def one_line(text: str, limit: int = 300) -> str:
    """Text safe for a single line (a header, a title): no line breaks of any kind, capped."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- repair -----------------------------------------------------------------------------------

# UTF-8 read as Latin-1 / Windows-1252 leaves a lead byte (Â..ô) before a continuation byte.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# Every byte but the lead bytes above: what is left of a text's Latin-1 characters once these are
# deleted says whether the hint can match at all, in two quick passes (a regex scan is slower).
_NOT_LEAD_BYTES = bytes(b for b in range(256) if not 0xC2 <= b <= 0xF4)


def _may_be_mojibake(text: str) -> bool:
    if not text.encode("latin-1", "ignore").translate(None, _NOT_LEAD_BYTES):
        return False  # the common case: no character from "Â" to "ô"
    return _MOJIBAKE_HINT.search(text) is not None


# UTF-8 punctuation read as Windows-1252: undone by a table, as ftfy is slow ("â€™" -> "’").
_PUNCTUATION = {
    mark.encode("utf-8").decode("cp1252", errors="replace"): mark
    for mark in "\u2018\u2019\u201c\u2013\u2014\u2026\u2022"
} | {"\u00e2\u20ac\u009d": "\u201d", "\u00e2\u20ac\ufffd": "\u201d"}
_PUNCTUATION_MOJIBAKE = re.compile("|".join(map(re.escape, _PUNCTUATION)))
# A closing quote (E2 80 9D) whose last byte was dropped: 0x9D has no Windows-1252 character, so
# some readers lose it and leave a bare "â€" before a space or the end of a line.
_LOST_CLOSING_QUOTE = re.compile("\u00e2\u20ac(?=\\s|$)", re.MULTILINE)

# UTF-8 punctuation (E2 80 xx) read through the Thai code page: "โ€™", "โ\x80\x9c", "โ€“".
_THAI_CONT = "\u0080-\u00bf\u20ac\u2018-\u201d\u2022\u2013\u2014\u2026\u0e01-\u0e3a\u0e3f-\u0e5b"
_THAI_TRIPLE = re.compile(f"\u0e42[{_THAI_CONT}][{_THAI_CONT}]")
# The lossy variant: only the lead byte (and perhaps the euro sign) survived.
_THAI_LOSSY = re.compile("\u0e42\u20ac?[\ufffd\u0080-\u009f]?")
_THAI_LETTER = re.compile("[\u0e01-\u0e5b]")
_THAI_NEXT_TO_LATIN = re.compile("[A-Za-z]\u0e42|\u0e42[A-Za-z]")


def _thai_byte(char: str) -> bytes:
    for codec in ("cp874", "tis-620", "latin-1"):
        try:
            return char.encode(codec)
        except UnicodeEncodeError:
            continue
    return b"?"


def _undo_thai_triple(match: re.Match[str]) -> str:
    raw = b"".join(_thai_byte(c) for c in match.group())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()


def _is_thai(text: str, index: int) -> bool:
    return 0 <= index < len(text) and bool(_THAI_LETTER.match(text, index))


def _lossy_mark(before: str, after: str, quote_open: bool) -> tuple[str, bool]:
    """The punctuation a lost mark most likely was, judged by its neighbours."""
    if before.isalnum() and after.isalpha():
        return "\u2019", quote_open
    if not before or before.isspace() or before in "([{\u2014\u2013-/":
        return ("\u201c", True) if after and not after.isspace() else ("\u201d", False)
    return ("\u201d", False) if quote_open else ("\u2019", False)


def _undo_thai_lossy(text: str) -> str:
    pieces: list[str] = []
    last, quote_open = 0, False
    for match in _THAI_LOSSY.finditer(text):
        start, end = match.span()
        if _is_thai(text, start - 1) or _is_thai(text, end):
            continue  # real Thai: a leading vowel sits next to Thai letters
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        mark, quote_open = _lossy_mark(before, after, quote_open)
        pieces += [text[last:start], mark]
        last = end
    return "".join(pieces) + text[last:]


def repair(text: str) -> str:
    """Mojibake undone: ftfy for the classic cases, and UTF-8 quotes read as Thai (TIS-620)."""
    if "\u00e2\u20ac" in text:  # the commonest case, curly punctuation read as Windows-1252
        text = _PUNCTUATION_MOJIBAKE.sub(lambda m: _PUNCTUATION[m.group()], text)
        text = _LOST_CLOSING_QUOTE.sub("\u201d", text)
    if _may_be_mojibake(text):  # ftfy is slow: give it only the lines that still need it
        text = "\n".join(
            _ftfy(line) if _MOJIBAKE_HINT.search(line) else line for line in text.split("\n")
        )
    if "\u0e42" in text:
        text = _THAI_TRIPLE.sub(_undo_thai_triple, text)
        if _THAI_NEXT_TO_LATIN.search(text):
            text = _undo_thai_lossy(text)
    return text


# --- boilerplate --------------------------------------------------------------------------------

_MARKER = (
    r"read more|read next|more on this story|you may also like|you might also like|related"
    r"|related articles?|related stories|related topics|related content|most read|most popular"
    r"|more stories|(?:read[ ])?more from [\w ]{1,30}"  # "Read more from Sky News:"
    r"|recommended|recommended for you|trending|also read"
    r"|see also|top stories|latest news|more news|don'?t miss|must read"
)
_MARKER_LINE = re.compile(rf"(?i)^\s*(?:{_MARKER})\s*[:\-\u2013\u2014>»]*\s*$")
_INLINE_PLUG = re.compile(rf"(?i)^\s*(?:{_MARKER})\s*[:\-\u2013\u2014>»|]+\s*\S")
_SENTENCE_END = ('.', '."', ".\u201d", ".'", ".\u2019")
_ANY_MARKER = re.compile(rf"\n[ \t]*(?=[rRmMyYtTlLsSdDaA])(?i:{_MARKER})")  # quick first letter
_MARKER_AT_START = re.compile(rf"[ \t]*(?i:{_MARKER})")


def _has_marker(text: str) -> bool:
    return _ANY_MARKER.search(text) is not None or _MARKER_AT_START.match(text) is not None


def _unplugged(text: str) -> str:
    """``strip_boilerplate`` for text about to be collapsed: unchanged when it has no marker."""
    return strip_boilerplate(text) if _has_marker(text) else text


def _headline_like(line: str) -> bool:
    """A related-link line: short and not ending like a sentence of body text."""
    stripped = line.strip()
    return len(stripped) <= 200 and not stripped.endswith(_SENTENCE_END)


def strip_boilerplate(text: str) -> str:
    """Related-links blocks ("READ MORE:", "You may also like" and their headlines) removed."""
    if not _has_marker(text):  # a quick look first: most articles have none
        return "\n".join(text.splitlines())
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        if _MARKER_LINE.match(line):
            skipping = True
        elif _INLINE_PLUG.match(line) or (skipping and _headline_like(line)):
            continue
        else:
            skipping = False
            kept.append(line)
    return "\n".join(kept)


# --- whole articles -----------------------------------------------------------------------------

_HTML_HINT = re.compile(
    r"(?i)<(?:!doctype|html|head|body|p|div|article|section|br|span|a|h[1-6]|ul|li|main)\b[^>]{0,500}>"
)


def looks_like_html(raw: str) -> bool:
    return bool(_HTML_HINT.search(raw, 0, 20_000))


def _ftfy(line: str) -> str:
    import ftfy  # imported on first use: most text never needs it, and it is slow to load

    return ftfy.fix_text(line, ftfy.TextFixerConfig(uncurl_quotes=False, explain=False))


_META_CHARSET = re.compile(rb"(?i)<meta[^>]{0,200}?charset=[\"']?([\w.:-]+)")


def decode(data: bytes, content_type: str | None = None) -> str:
    """Text of a page or file: UTF-8 when the bytes are UTF-8, whatever a label says (a UTF-8
    page labelled tis-620 would turn every curly quote into a Thai letter); else the charset
    the server or the page declares; else Windows-1252, the usual code page of the rest."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data, 0, 4096)
    for charset in (declared_charset(content_type), meta and meta.group(1).decode("ascii")):
        if charset:
            try:
                return data.decode(charset, "replace")
            except LookupError:  # a label no codec answers to
                continue
    return data.decode("cp1252", "replace")


def declared_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, lower-cased; None without one."""
    if not content_type:
        return None
    header = Message()
    header["content-type"] = content_type
    charset = header.get_param("charset")
    if not isinstance(charset, str) or not charset.strip():
        return None
    return charset.strip().lower()


def main_text(markup: str, url: str | None = None, *, headline: bool = False) -> str:
    """The article body of a page: trafilatura's main text, else all of the page's text. With
    ``headline``, the page's headline first unless the body's opening lines already hold it (a
    page on its own; the poll has the feed entry's title instead)."""
    import trafilatura  # imported on first use: a poll with no new pages never loads it
    from trafilatura.settings import Document

    try:
        page = trafilatura.bare_extraction(
            markup, url=url, include_comments=False, include_tables=False, include_links=False,
            include_images=False, deduplicate=True, with_metadata=headline,
        )
    except Exception:  # a page trafilatura cannot read falls back to all of its text
        page = None
    found = page if isinstance(page, Document) else Document()
    text = found.text if found.text and found.text.strip() else html_to_text(markup)
    title = (found.title or "").strip() if headline else ""
    if title and title not in text[: len(title) + 200]:
        text = f"{title}\n{text}"
    return collapse_whitespace(_unplugged(repair(text)))


def clean_article(raw: str) -> str:
    """Clean plain text from an article given as HTML or as plain text."""
    if looks_like_html(raw):
        return main_text(raw, headline=True)
    return collapse_whitespace(_unplugged(repair(raw)))
