"""The records that flow through `alerts`. Frozen dataclasses; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Qualifier = Literal[
    "exact", "more_than", "at_least", "about", "up_to", "nearly", "fewer_than",
    "increment", "fraction", "vague",
]


@dataclass(frozen=True)
class Feed:
    url: str
    name: str = ""


@dataclass(frozen=True)
class Watch:
    """A topic: an article matches when it has any ``any`` term, every ``all`` term, no ``none``."""

    name: str
    any: tuple[str, ...]
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subscriber:
    email: str
    watches: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """One feed entry, in the project's own terms. ``identity`` is what makes it unique."""

    identity: str
    feed_url: str
    title: str
    link: str
    published: datetime | None
    summary: str


@dataclass(frozen=True)
class Count:
    """A number of people doing something: "more than 120 Labour MPs signed the amendment".

    ``rebel`` is False for counts of the government's supporters, kept apart from the rebels.
    """

    count: int | None
    qualifier: Qualifier
    group: str
    action: str
    span: str
    rebel: bool = True


@dataclass(frozen=True)
class Statement:
    """A direct quote and who said it. ``fragment`` marks scare-quotes of a few words."""

    speaker: str | None
    text: str
    fragment: bool = False
    role: str | None = None


@dataclass(frozen=True)
class Extraction:
    counts: tuple[Count, ...] = ()
    statements: tuple[Statement, ...] = ()


@dataclass(frozen=True)
class Source:
    """Where a development was first reported."""

    outlet: str
    title: str
    link: str
    seen: datetime


@dataclass(frozen=True)
class CountChange:
    """A count that changed the state of the story; ``previous`` is the figure it replaces."""

    count: Count
    previous: int | None
    source: Source
    corroborations: int = 0


@dataclass(frozen=True)
class CountPoint:
    """One day on a count's timeline."""

    day: date
    count: int


@dataclass(frozen=True)
class Timeline:
    group: str
    action: str
    points: tuple[CountPoint, ...]


@dataclass(frozen=True)
class NewStatement:
    statement: Statement
    source: Source


@dataclass(frozen=True)
class DigestArticle:
    title: str
    link: str
    outlet: str
    published: datetime | None
    summary: str
    also: tuple[Source, ...] = ()


@dataclass(frozen=True)
class WatchDigest:
    """What is new for one watch since a subscriber's last digest."""

    watch: str
    counts: tuple[CountChange, ...] = ()
    timelines: tuple[Timeline, ...] = ()
    statements: tuple[NewStatement, ...] = ()
    articles: tuple[DigestArticle, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.counts or self.statements or self.articles)


@dataclass(frozen=True)
class Digest:
    recipient: str
    day: date
    sections: tuple[WatchDigest, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
