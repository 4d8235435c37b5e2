"""What is genuinely new in a story: pure judgements against the known state.

Counts: the state of a watch's story is the latest figure per (group, action). A figure that
differs from the state is news (reported with the previous figure); the same figure again is a
corroboration; an increment ("six further") moves the total on. Signatures only grow, so a lower
signature figure is stale; a vote is an event, so the next vote's lower figure is news.
Statements: new unless the same speaker's same words, give or take small editing differences,
are already known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from alerts.models import Count, Statement

CountKey = tuple[str, str]
Verdict = Literal["new", "corroboration", "stale", "context"]

_GROUP_WORDS = {"backbenchers": "mps", "backbench mps": "mps", "members of parliament": "mps",
                "rebels": "mps", "rebel mps": "mps", "mp": "mps"}
_FILLER = re.compile(r"\b(?:the|a|an|group of|of|his|her|their|own|labour's|other)\b")
_ACTIONS = (
    ("letter", "signed a letter"),
    ("amendment", "backed the amendment"),
    ("against", "voted against"),
    ("oppos", "voted against"),
    ("rebel", "voted against"),
    ("abstain", "abstained"),
    ("campaign", "joined the campaign"),
)
CUMULATIVE = frozenset({"signed a letter", "backed the amendment", "joined the campaign"})
_SIMILAR = 0.85


@dataclass(frozen=True)
class CountJudgement:
    count: Count
    key: CountKey
    verdict: Verdict
    previous: int | None
    total: int | None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def group_key(group: str) -> str:
    key = _FILLER.sub(" ", _fold(group))
    key = " ".join(key.split())
    for word, canonical in _GROUP_WORDS.items():
        key = re.sub(rf"\b{word}\b", canonical, key)
    return key or "people"


def action_key(action: str) -> str:
    folded = _fold(action)
    return next((label for word, label in _ACTIONS if word in folded), folded or "named")


def count_key(count: Count) -> CountKey:
    return group_key(count.group), action_key(count.action)


def judge_counts(
    state: Mapping[CountKey, int], seen_increments: set[tuple[CountKey, int]],
    counts: Iterable[Count],
) -> list[CountJudgement]:
    """Judge one article's counts against the state; the state moves on as news is found.

    An article's first figure for a group and action is its own; a later one for the same group
    and action is context ("two fewer than the 49 at second reading"), judged no further.
    Increments are always judged: "six further" follows the figure it adds to.
    """
    figures = dict(state)
    increments = set(seen_increments)
    judgements = []
    stated: set[CountKey] = set()
    for count in counts:
        key = count_key(count)
        previous = figures.get(key)
        if count.qualifier != "increment" and count.count is not None:
            if key in stated:
                judgements.append(CountJudgement(count, key, "context", previous, None))
                continue
            stated.add(key)
        if count.count is None:
            verdict: Verdict = "corroboration" if key in figures else "new"
            judgements.append(CountJudgement(count, key, verdict, previous, None))
            continue
        if count.qualifier == "increment":
            if (key, count.count) in increments:
                judgements.append(CountJudgement(count, key, "corroboration", previous, previous))
                continue
            increments.add((key, count.count))
            total = None if previous is None else previous + count.count
        else:
            total = count.count
        verdict = _verdict(previous, total, count, key)
        if verdict == "new" and total is not None:
            figures[key] = total
        judgements.append(CountJudgement(count, key, verdict, previous, total))
    return judgements


def _verdict(previous: int | None, total: int | None, count: Count, key: CountKey) -> Verdict:
    if count.qualifier == "increment" or previous is None or total is None:
        return "new"
    if total == previous:
        return "corroboration"
    if total > previous:
        return "new"
    # Signatures only grow: a lower figure is an outlet catching up. A vote is an event: the
    # next vote's lower figure is news.
    return "stale" if key[1] in CUMULATIVE else "new"


def statement_key(statement: Statement) -> tuple[str, str]:
    """Speaker (by surname, so 'Sir Keir Starmer' and 'Starmer' agree) and folded words."""
    speaker = _fold(statement.speaker or "")
    surname = speaker.split()[-1] if speaker else ""
    return surname, _fold(statement.text)


def is_known_statement(statement: Statement, known: Iterable[tuple[str, str]]) -> bool:
    speaker, words = statement_key(statement)
    for known_speaker, known_words in known:
        if known_speaker != speaker:
            continue
        if words in known_words or known_words in words:
            return True
        if SequenceMatcher(None, words, known_words, autojunk=False).ratio() >= _SIMILAR:
            return True
    return False
