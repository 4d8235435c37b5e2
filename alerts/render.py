"""Digests to email text: Jinja2 templates in, (subject, text, HTML) out. Pure: no DB, no network.

The templates are a triplet in ``templates/``: ``digest.subject.txt``, ``digest.txt`` and
``digest.html``. They get the digest records themselves plus the small filters defined here, which
turn counts, days and timelines into words and bars. Autoescaping is on for every ``.html`` name,
and the HTML's ``<style>`` rules are inlined into ``style`` attributes (css-inline) for mail
clients.

Fan-out: everyone following the same watches on the same day gets the same digest but for two
personal parts, their address and their unsubscribe link. :func:`render_sections` renders the
shared digest once, with slots where those go; :func:`render_digest_from` fills the slots per
recipient with a few string replacements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import css_inline
import jinja2
from markupsafe import escape

import alerts
from alerts.models import (
    Count,
    CountChange,
    Digest,
    RenderedEmail,
    Source,
    Timeline,
    WatchDigest,
)
from alerts.text import one_line

SUBJECT_LIMIT = 140
TEXT_BAR_WIDTH = 20
ALSO_LIMIT = 4  # outlets named under a story before "and N more"
_PACKAGE = Path(alerts.__file__).resolve().parent
TEMPLATE_DIRS = (_PACKAGE.parent / "templates", _PACKAGE / "templates")

# Stand-ins for the personal parts while the shared digest is rendered: plain ASCII that survives
# autoescaping, css-inline and ``safe_url`` unchanged and that no feed text can contain by chance.
RECIPIENT_SLOT = "recipient-slot-7c1e@alerts-slot.invalid"
UNSUBSCRIBE_SLOT = "https://alerts-slot.invalid/unsubscribe-slot-7c1e"
_SPACE = re.compile(r"\s")
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False)

_QUALIFIER_WORDS = {
    "more_than": "more than ", "at_least": "at least ", "about": "about ", "up_to": "up to ",
    "nearly": "nearly ", "fewer_than": "fewer than ",
}


@dataclass(frozen=True)
class RenderedSections:
    """One watch set's digest for one day, rendered once; the personal parts are slots."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Bar:
    """One day of a timeline, ready to draw: ``percent`` of the widest bar, ``blocks`` for text."""

    day: date
    count: int
    percent: int
    blocks: str


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's private temp folder, so a short-lived
    ``alerts digest`` does not compile them again (~60 ms); keyed by the template's source, so an
    edited template is compiled afresh. None (compile every time) where that folder is unusable."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def make_environment(template_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment for the digest templates, wherever `alerts` is started from.

    Without ``template_dir`` it looks in the repository's ``templates/`` and then in a copy shipped
    inside the package (``alerts/templates``), so an installed wheel works too.
    """
    search = [template_dir] if template_dir is not None else list(TEMPLATE_DIRS)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        count_phrase=count_phrase, change_phrase=change_phrase, news_summary=news_summary,
        bars=bars, day=format_day, when=format_when, safe_url=safe_url, outlets=outlets,
        first_upper=first_upper, one_line=one_line, also_reported=also_reported,
    )
    return env


def render_digest(
    env: jinja2.Environment,
    digest: Digest,
    *,
    unsubscribe_url: str | None = None,
    archive_url: str | None = None,
) -> RenderedEmail:
    """The subject, plain text and HTML of one subscriber's digest."""
    if unsubscribe_url is not None:
        shared = render_sections(env, digest.sections, digest.day, archive_url=archive_url)
        return render_digest_from(shared, digest, unsubscribe_url=unsubscribe_url)
    rendered = _render(env, digest.sections, digest.day, archive_url=archive_url,
                       recipient=digest.recipient, unsubscribe_url="")
    return RenderedEmail(rendered.subject, rendered.text, rendered.html)


def render_sections(
    env: jinja2.Environment,
    sections: Sequence[WatchDigest],
    day: date,
    *,
    archive_url: str | None = None,
) -> RenderedSections:
    """The digest everyone with these sections gets on ``day``, rendered once, with slots."""
    return _render(env, sections, day, archive_url=archive_url, recipient=RECIPIENT_SLOT,
                   unsubscribe_url=UNSUBSCRIBE_SLOT)


def render_digest_from(
    shared: RenderedSections, digest: Digest, *, unsubscribe_url: str
) -> RenderedEmail:
    """One subscriber's digest from the shared rendering: their address and unsubscribe link."""
    url = safe_url(unsubscribe_url)
    if not url:
        raise ValueError(f"not a web link to unsubscribe with: {unsubscribe_url!r}")
    recipient = one_line(digest.recipient)
    return RenderedEmail(
        subject=shared.subject,
        text=_fill(shared.text, recipient, url),
        html=_fill(shared.html, str(escape(recipient)), str(escape(url))),
    )


def inline_css(html: str) -> str:
    """The HTML with its ``<style>`` rules moved into ``style`` attributes, for mail clients."""
    return _INLINER.inline(html)


def _render(
    env: jinja2.Environment,
    sections: Sequence[WatchDigest],
    day: date,
    *,
    archive_url: str | None,
    recipient: str,
    unsubscribe_url: str,
) -> RenderedSections:
    shown = [section for section in sections if not section.empty]
    context: dict[str, object] = {
        "digest": Digest(recipient=recipient, day=day, sections=tuple(shown)),
        "sections": shown,
        "lead": lead_section(shown),
        "recipient": recipient,
        "unsubscribe_url": safe_url(unsubscribe_url),
        "archive_url": safe_url(archive_url or ""),
    }
    subject = one_line(env.get_template("digest.subject.txt").render(context), SUBJECT_LIMIT)
    context["subject"] = subject
    return RenderedSections(
        subject=subject,
        text=env.get_template("digest.txt").render(context),
        html=inline_css(env.get_template("digest.html").render(context)),
    )


def _fill(rendered: str, recipient: str, unsubscribe_url: str) -> str:
    return rendered.replace(RECIPIENT_SLOT, recipient).replace(UNSUBSCRIBE_SLOT, unsubscribe_url)


def lead_section(sections: Sequence[WatchDigest]) -> WatchDigest | None:
    """The section the subject is about: the first with a changed count, else the first."""
    return next((s for s in sections if s.counts), sections[0] if sections else None)


def headline(section: WatchDigest) -> CountChange | None:
    """The count change worth a subject line: the biggest figure, rebels before supporters."""
    return max(section.counts, key=lambda c: (c.count.rebel, c.count.count or 0), default=None)


def news_summary(section: WatchDigest) -> list[str]:
    """["162 MPs signed the amendment (up from 126)", "3 new articles, 1 new statement"]."""
    parts: list[str] = []
    top = headline(section)
    if top is not None:
        change = change_phrase(top)
        parts.append(one_line(count_phrase(top.count), 90) + (f" ({change})" if change else ""))
    tally = [
        _plural(len(section.articles), "new article"),
        _plural(len(section.statements), "new statement"),
    ]
    if any(tally):
        parts.append(", ".join(t for t in tally if t))
    return parts


def count_phrase(count: Count) -> str:
    """"more than 120 Labour MPs signed the amendment"; the reported words if there is no figure."""
    if count.count is None or count.qualifier in ("fraction", "vague"):
        said = one_line(count.span)
        return said if count.action.lower() in said.lower() else f"{said} {count.action}".strip()
    figure = _QUALIFIER_WORDS.get(count.qualifier, "") + str(count.count)
    if count.qualifier == "increment":
        figure += " more"
    return one_line(" ".join(part for part in (figure, count.group, count.action) if part))


def change_phrase(change: CountChange) -> str:
    """"up from 126", "down from 40", or "" when there is no earlier figure to compare."""
    now, before = change.count.count, change.previous
    if now is None or before is None or now == before:
        return ""
    return f"{'up' if now > before else 'down'} from {before}"


def bars(timeline: Timeline) -> list[Bar]:
    """A timeline's days scaled against its largest count, for an HTML table or text lines."""
    widest = max((point.count for point in timeline.points), default=0) or 1
    return [
        Bar(
            day=point.day,
            count=point.count,
            percent=max(1, round(100 * point.count / widest)),
            blocks="█" * max(1, round(TEXT_BAR_WIDTH * point.count / widest)),
        )
        for point in sorted(timeline.points, key=lambda p: p.day)
    ]


def outlets(sources: Sequence[object], limit: int | None = None) -> str:
    """"BBC News, Sky News and The Guardian" from anything with an ``outlet``; past ``limit``
    names, "BBC News, Sky News and 3 more"."""
    names = list(dict.fromkeys(str(getattr(source, "outlet", "")) for source in sources))
    names = [name for name in names if name]
    if limit is not None and len(names) > limit:
        names = [*names[:limit], f"{len(names) - limit} more"]
    return names[0] if len(names) < 2 else ", ".join(names[:-1]) + " and " + names[-1]


def also_reported(sources: Sequence[Source], limit: int = ALSO_LIMIT) -> tuple[list[Source], int]:
    """The sources to name under a story and how many more there are."""
    return list(sources[:limit]), max(0, len(sources) - limit)


def first_upper(text: str) -> str:
    """"MPs signed" from "mPs signed"; unlike Jinja's ``capitalize`` it keeps the other letters."""
    return text[:1].upper() + text[1:]


def format_day(day: date) -> str:
    """"24 Jun"."""
    return f"{day.day} {day:%b}"


def format_when(moment: datetime | None) -> str:
    """"24 Jun, 07:30 BST"; empty when the time is unknown."""
    if moment is None:
        return ""
    zone = moment.tzname()
    return f"{format_day(moment)}, {moment:%H:%M}" + (f" {zone}" if zone else "")


def safe_url(url: str) -> str:
    """The URL if it is a plain web link, else "" (no ``javascript:`` or ``data:`` in a digest)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    ok = parts.scheme in ("http", "https") and parts.netloc and not _SPACE.search(url)
    return url if ok else ""


def _plural(number: int, noun: str) -> str:
    return "" if number == 0 else f"{number} {noun}{'' if number == 1 else 's'}"
