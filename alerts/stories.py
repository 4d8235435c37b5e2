"""Stories, not duplicates: articles about the same story across outlets become one entry.

Two articles tell the same story when they share a canonical link, when their headlines use
nearly the same words, or when their summaries share long runs of words (an agency story that
each outlet headlines its own way) and their headlines overlap a little too. Two stories about
the same bill share topic words ("welfare", "bill") but neither most of their headline words
nor runs of their summaries, so they stay apart. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from alerts.models import DigestArticle, Source
from alerts.urls import canonical_url

SAME_HEADLINE = 0.7  # Jaccard of headline words: nearly the same headline
SHARED_TEXT = 0.6  # share of the shorter summary's word triples found in the other
RELATED_HEADLINE = 0.2  # with shared text, the headlines must still overlap this much
MIN_TRIPLES = 8  # summaries shorter than this say too little to compare

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOPWORDS = frozenset({
    "a", "after", "amid", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from",
    "has", "have", "he", "her", "his", "in", "into", "is", "it", "its", "new", "of", "on", "or",
    "over", "said", "says", "that", "the", "their", "they", "this", "to", "was", "were", "will",
    "with",
})
_UNKNOWN_TIME = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Profile:
    """What an article is compared by, computed once."""

    link: str
    headline: frozenset[str]
    triples: frozenset[tuple[str, str, str]]


def group_stories(articles: Sequence[DigestArticle]) -> tuple[DigestArticle, ...]:
    """One article per story, in the order stories first appear; the rest become ``also``.

    The lead of a story is its earliest article (the most complete summary breaks a tie); the
    other outlets' copies become its ``also`` sources, one per outlet, earliest first.
    """
    profiles = [_profile(article) for article in articles]
    parent = list(range(len(articles)))
    for i in range(len(articles)):
        for j in range(i):
            if _find(parent, i) != _find(parent, j) and _same_story(profiles[i], profiles[j]):
                parent[_find(parent, i)] = _find(parent, j)
    stories: dict[int, list[DigestArticle]] = {}
    for index, article in enumerate(articles):
        stories.setdefault(_find(parent, index), []).append(article)
    return tuple(_merge(members) for members in stories.values())


def _same_story(first: _Profile, second: _Profile) -> bool:
    if first.link and first.link == second.link:
        return True
    overlap = _jaccard(first.headline, second.headline)
    if overlap >= SAME_HEADLINE:
        return True
    shared = _containment(first.triples, second.triples)
    return overlap >= RELATED_HEADLINE and shared >= SHARED_TEXT


def words(text: str, outlet: str = "") -> list[str]:
    """Lowercase content words, possessives and plurals folded: "MPs' votes" -> ["mp", "vote"].

    A trailing " - Outlet" or " | Outlet" naming the article's own outlet is dropped first.
    """
    if outlet:
        text = re.sub(rf"\s+[-–—|:]\s*{re.escape(outlet)}\s*$", "", text, flags=re.IGNORECASE)
    found = (_fold(word) for word in _WORD.findall(text.lower()))
    return [word for word in found if word not in _STOPWORDS]


def _profile(article: DigestArticle) -> _Profile:
    summary = words(article.summary)
    triples = frozenset(zip(summary, summary[1:], summary[2:], strict=False))
    return _Profile(
        link=canonical_url(article.link),
        headline=frozenset(words(article.title, article.outlet)),
        triples=triples if len(triples) >= MIN_TRIPLES else frozenset(),
    )


def _fold(word: str) -> str:
    word = re.sub(r"['’]s?$", "", word)
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _containment(first: frozenset[tuple[str, str, str]],
                 second: frozenset[tuple[str, str, str]]) -> float:
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


def _find(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def _merge(members: list[DigestArticle]) -> DigestArticle:
    lead = min(members, key=_lead_order)
    seen = {lead.outlet.casefold()}
    also: list[Source] = []
    for _, source in sorted(_sources(members, lead), key=lambda pair: pair[0]):
        if source.outlet.casefold() not in seen:
            seen.add(source.outlet.casefold())
            also.append(source)
    return replace(lead, also=tuple(also))


def _lead_order(article: DigestArticle) -> tuple[bool, datetime, int]:
    """Earliest first, unknown times last, then the longest summary."""
    published = article.published
    return (published is None, published or _UNKNOWN_TIME, -len(article.summary))


def _sources(members: list[DigestArticle],
             lead: DigestArticle) -> list[tuple[tuple[bool, datetime, str], Source]]:
    """Every other outlet's source with its place in line: earliest first, undated last."""
    sources = [
        ((False, source.seen, source.outlet.casefold()), source)
        for member in members for source in member.also
    ]
    for member in members:
        if member is not lead:
            seen = member.published or lead.published or _UNKNOWN_TIME
            key = (member.published is None, seen, member.outlet.casefold())
            sources.append((key, Source(member.outlet, member.title, member.link, seen)))
    return sources
