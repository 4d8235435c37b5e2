"""Watch rules: does an article belong to a watch? Pure functions.

A watch matches text that contains any of its ``any`` terms, every one of its ``all`` terms and
none of its ``none`` terms. Terms are whole words or phrases, case-insensitive; the spaces in a
phrase match any run of whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from alerts.models import Article, Watch


@dataclass(frozen=True)
class Matcher:
    watch: Watch
    any: re.Pattern[str]
    all: tuple[re.Pattern[str], ...]
    none: re.Pattern[str] | None

    def matches(self, text: str) -> bool:
        return (
            self.any.search(text) is not None
            and all(p.search(text) for p in self.all)
            and (self.none is None or self.none.search(text) is None)
        )

    def terms_found(self, text: str) -> list[str]:
        """The distinct ``any`` and ``all`` terms present in the text, as written there."""
        found: dict[str, str] = {}
        for pattern in (self.any, *self.all):
            for m in pattern.finditer(text):
                found.setdefault(m.group(0).lower(), m.group(0))
        return list(found.values())


def _alternation(terms: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(terms, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, t.split())) for t in longest_first)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=256)
def matcher(watch: Watch) -> Matcher:
    return Matcher(
        watch=watch,
        any=_alternation(watch.any),
        all=tuple(_alternation((t,)) for t in watch.all),
        none=_alternation(watch.none) if watch.none else None,
    )


def article_text(article: Article, body: str = "") -> str:
    return "\n".join(part for part in (article.title, article.summary, body) if part)


def watches_matching(watches: tuple[Watch, ...], text: str) -> tuple[str, ...]:
    """Names of the watches whose rules match the text."""
    return tuple(w.name for w in watches if matcher(w).matches(text))
