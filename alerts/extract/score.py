"""How good the extractor is, against hand annotations.

Gold comes as a JSON list (``seeds.gold.json``: each case names a ``source`` file beside it) or as
JSON lines (``tests/devset/*.jsonl``: each case carries its ``text``). A case has ``gold_counts``
(count, qualifier, group), ``not_counts`` (figures that must not come out), ``gold_quotes``
(speaker, quote) and ``short_fragments`` (scare-quotes nobody is rewarded or blamed for). A case
without ``gold_counts`` (or ``gold_quotes``) does not score that half.

    python -m alerts.extract.score [--misses] [GOLD.json | CASES.jsonl ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alerts.models import Count, Extraction, Statement

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = (ROOT.parent / "shared" / "devset" / "seeds.gold.json",)
DEFAULT_DEVSET = ROOT / "tests" / "devset"
QUOTE_MATCH = 0.8


@dataclass(frozen=True)
class GoldCount:
    count: int | None
    qualifier: str
    group: str
    span: str = ""


@dataclass(frozen=True)
class GoldQuote:
    speaker: str | None
    quote: str


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    gold_counts: tuple[GoldCount, ...] | None = None
    not_counts: tuple[str, ...] = ()
    gold_quotes: tuple[GoldQuote, ...] | None = None
    short_fragments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scores:
    """Tallies over any number of cases; add two together to pool them."""

    counts_predicted: int = 0
    counts_gold: int = 0
    counts_matched: int = 0
    groups_matched: int = 0
    distractor_hits: int = 0
    statements_predicted: int = 0
    statements_gold: int = 0
    statements_matched: int = 0
    speakers_right: int = 0
    misses: tuple[str, ...] = field(default=(), compare=False)

    def __add__(self, other: Scores) -> Scores:
        def both(name: str) -> int:
            return int(getattr(self, name)) + int(getattr(other, name))

        return Scores(
            counts_predicted=both("counts_predicted"), counts_gold=both("counts_gold"),
            counts_matched=both("counts_matched"), groups_matched=both("groups_matched"),
            distractor_hits=both("distractor_hits"),
            statements_predicted=both("statements_predicted"),
            statements_gold=both("statements_gold"),
            statements_matched=both("statements_matched"), speakers_right=both("speakers_right"),
            misses=self.misses + other.misses,
        )

    @property
    def count_precision(self) -> float:
        return _ratio(self.counts_matched, self.counts_predicted)

    @property
    def count_recall(self) -> float:
        return _ratio(self.counts_matched, self.counts_gold)

    @property
    def group_rate(self) -> float:
        return _ratio(self.groups_matched, self.counts_matched)

    @property
    def statement_precision(self) -> float:
        return _ratio(self.statements_matched, self.statements_predicted)

    @property
    def statement_recall(self) -> float:
        return _ratio(self.statements_matched, self.statements_gold)

    @property
    def speaker_accuracy(self) -> float:
        return _ratio(self.speakers_right, self.statements_matched)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


# --- reading gold -------------------------------------------------------------------------------


def load_cases(path: Path) -> list[Case]:
    """The cases in a gold ``.json`` list or a ``.jsonl`` file."""
    raw = path.read_text("utf-8")
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    else:
        records = json.loads(raw)
    return [case_from_record(r, path.parent) for r in records]


def case_from_record(record: dict[str, object], base: Path) -> Case:
    text = record.get("text")
    if not isinstance(text, str):
        text = _source(base, str(record["source"])).read_text("utf-8")
    counts, quotes = record.get("gold_counts"), record.get("gold_quotes")
    return Case(
        id=str(record.get("id", "")),
        text=text,
        gold_counts=None if counts is None else tuple(_gold_count(c) for c in _list(counts)),
        not_counts=tuple(str(s) for s in _list(record.get("not_counts", []))),
        gold_quotes=None if quotes is None else tuple(_gold_quote(q) for q in _list(quotes)),
        short_fragments=tuple(str(s) for s in _list(record.get("short_fragments", []))),
    )


def _source(base: Path, name: str) -> Path:
    """A case's source file, named relative to the gold file's folder or one of its parents."""
    for folder in (base, *base.parents):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{name}: not found beside {base} or above it")


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _gold_count(item: object) -> GoldCount:
    d = item if isinstance(item, dict) else {}
    count = d.get("count")
    return GoldCount(count if isinstance(count, int) else None, str(d.get("qualifier", "")),
                     str(d.get("group", "")), str(d.get("span", "")))


def _gold_quote(item: object) -> GoldQuote:
    d = item if isinstance(item, dict) else {}
    speaker = d.get("speaker")
    return GoldQuote(None if speaker is None else str(speaker), str(d.get("quote", "")))


# --- scoring ------------------------------------------------------------------------------------


def score(cases: Iterable[Case], predict: Callable[[str], Extraction]) -> Scores:
    """Precision and recall of ``predict`` over ``cases``."""
    total = Scores()
    for case in cases:
        total += score_case(case, predict(case.text))
    return total


def score_case(case: Case, predicted: Extraction) -> Scores:
    return _score_counts(case, predicted.counts) + _score_statements(case, predicted.statements)


def _score_counts(case: Case, counts: Sequence[Count]) -> Scores:
    if case.gold_counts is None:
        return Scores()
    unmatched = list(case.gold_counts)
    matched = groups = 0
    misses: list[str] = []
    for count in counts:
        gold = next((g for g in unmatched
                     if g.count == count.count and g.qualifier == count.qualifier), None)
        if gold is None:
            misses.append(f"{case.id}: extra count {count.qualifier} {count.count} «{count.span}»")
            continue
        unmatched.remove(gold)
        matched += 1
        groups += same_group(gold.group, count.group)
    misses += [f"{case.id}: missed count {g.qualifier} {g.count} «{g.span}»" for g in unmatched]
    hits = sum(any(_norm(n) in _norm(c.span) for n in case.not_counts) for c in counts)
    return Scores(counts_predicted=len(counts), counts_gold=len(case.gold_counts),
                  counts_matched=matched, groups_matched=groups, distractor_hits=hits,
                  misses=tuple(misses))


def _score_statements(case: Case, statements: Sequence[Statement]) -> Scores:
    if case.gold_quotes is None:
        return Scores()
    unmatched = list(case.gold_quotes)
    predicted = matched = speakers = 0
    misses: list[str] = []
    for st in statements:
        gold = max(unmatched, key=lambda g: quote_overlap(g.quote, st.text), default=None)
        if gold is not None and quote_overlap(gold.quote, st.text) >= QUOTE_MATCH:
            unmatched.remove(gold)
            predicted, matched = predicted + 1, matched + 1
            right = same_speaker(gold.speaker, st.speaker)
            speakers += right
            if not right:
                misses.append(f"{case.id}: speaker {st.speaker!r} for {gold.speaker!r}")
        elif not (st.fragment and _listed(st.text, case.short_fragments)):
            predicted += 1
            misses.append(f"{case.id}: extra statement «{st.text[:60]}»")
    misses += [f"{case.id}: missed statement «{g.quote[:60]}»" for g in unmatched]
    return Scores(statements_predicted=predicted, statements_gold=len(case.gold_quotes),
                  statements_matched=matched, speakers_right=speakers, misses=tuple(misses))


def _listed(text: str, fragments: Sequence[str]) -> bool:
    return any(quote_overlap(f, text) >= QUOTE_MATCH for f in fragments)


# --- lenient comparisons ------------------------------------------------------------------------

_QUOTE_CHARS = str.maketrans({c: None for c in "\"'“”‘’„«»\u0e42"})
_WORD = re.compile(r"\w+")
_PARENTHESES = re.compile(r"\([^)]*\)")
_FILLER = frozenset({"a", "an", "the", "mr", "mrs", "ms", "sir", "dame", "dr", "lord", "lady"})


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTE_CHARS).lower().split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'").replace("'", ""))


def quote_overlap(gold: str, predicted: str) -> float:
    """Token F1 of two quotes, quote marks, case and whitespace ignored."""
    a, b = Counter(_words(gold)), Counter(_words(predicted))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(b.values()), common / sum(a.values())
    return 2 * precision * recall / (precision + recall)


def _name_words(name: str) -> list[str]:
    return [w for w in _words(_PARENTHESES.sub(" ", name)) if w not in _FILLER]


def same_speaker(gold: str | None, predicted: str | None) -> bool:
    """Lenient: case, titles and articles ignored; a shared surname or a word subset is enough."""
    if gold is None or predicted is None:
        return gold is predicted
    g, p = _name_words(gold), _name_words(predicted)
    if not g or not p:
        return g == p
    return g[-1] == p[-1] or set(g) <= set(p) or set(p) <= set(g)


def same_group(gold: str, predicted: str) -> bool:
    """The same people counted: same head noun, and one description inside the other."""
    g, p = _name_words(gold), _name_words(predicted)
    if not g or not p:
        return False
    return g[-1] == p[-1] or set(g) <= set(p) or set(p) <= set(g)


# --- command line -------------------------------------------------------------------------------


def default_inputs() -> list[Path]:
    gold = [p for p in DEFAULT_GOLD if p.exists()]
    return gold + sorted(DEFAULT_DEVSET.glob("*.jsonl"))


def table(rows: Sequence[tuple[str, int, Scores]]) -> str:
    """One line per input: counts and statements precision and recall."""
    head = (f"{'input':28} {'cases':>5} {'count P':>8} {'count R':>8} {'group':>6} {'distr':>5}"
            f" {'stmt P':>7} {'stmt R':>7} {'speaker':>8}")
    lines = [head, "-" * len(head)]
    for name, cases, s in rows:
        lines.append(
            f"{name[:28]:28} {cases:5d} {s.count_precision:8.3f}"
            f" {s.count_recall:8.3f} {s.group_rate:6.2f} {s.distractor_hits:5d}"
            f" {s.statement_precision:7.3f} {s.statement_recall:7.3f} {s.speaker_accuracy:8.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from alerts.extract import extract

    parser = argparse.ArgumentParser(prog="python -m alerts.extract.score", description=__doc__)
    parser.add_argument("inputs", nargs="*", type=Path, help="gold .json or .jsonl files")
    parser.add_argument("--misses", action="store_true", help="list every miss and extra")
    args = parser.parse_args(argv)
    inputs: list[Path] = args.inputs or default_inputs()
    if not inputs:
        print("no gold files found; name some", file=sys.stderr)
        return 2
    loaded = [(p.name, load_cases(p)) for p in inputs]
    rows = [(name, len(cases), score(cases, extract)) for name, cases in loaded]
    total = sum((s for _, _, s in rows), Scores())
    print(table([*rows, ("all", sum(n for _, n, _ in rows), total)]))
    if args.misses:
        print("\n".join(total.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
