"""Extractor benchmark: articles of 5 KB per second through ``alerts.extract.extract``, one core.

    .venv/bin/python tests/bench/bench_extract.py [--articles 2000] [--size 5000] [--rounds 3]
                                                  [--stages]

The articles are cut from real reporting and annotated passages: the seed articles in
../shared/seeds (when present) and the devset passages in tests/devset, shuffled with a fixed seed
and joined passage by passage until each article reaches the size (an article is cut
at the size, mid-sentence, as a page's main text may be). Cleaning (mojibake repair,
boilerplate removal) is included, as in ``alerts extract``. The best of a few rounds is reported,
so a busy machine reads low, never high. ``--stages`` also prints the microseconds per article
of each stage (cleaning, counts, statements). Not collected by pytest.

Those articles reuse passages, as syndicated copy repeats paragraphs, which helps the
extractor's caches of pure functions (words, speaker phrases). A second figure reads text the
caches have not seen: articles that use each passage once, every cache emptied before each round.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import alerts.extract.counts  # noqa: E402
import alerts.extract.statements  # noqa: E402
import alerts.text  # noqa: E402
from alerts.extract import extract, find_counts, find_statements  # noqa: E402
from alerts.text import clean_article  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
DEVSET = ROOT / "tests" / "devset"


def passages() -> list[str]:
    """The seed articles and the devset passages, each whole."""
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    for path in sorted(DEVSET.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["text"]))
    return texts


def articles(count: int, size: int, seed: int = 7) -> list[str]:
    """``count`` articles of about ``size`` characters, each a shuffled run of passages."""
    pool, rng = passages(), random.Random(seed)
    made: list[str] = []
    for _ in range(count):
        picked: list[str] = []
        while sum(len(p) + 1 for p in picked) < size:
            picked.append(rng.choice(pool))
        made.append("\n".join(picked)[:size])
    return made


def unseen_articles(size: int, seed: int = 7) -> list[str]:
    """Articles of about ``size`` characters that use each passage at most once."""
    pool = passages()
    random.Random(seed).shuffle(pool)
    made: list[str] = []
    picked: list[str] = []
    for passage in pool:
        picked.append(passage)
        if sum(len(p) + 1 for p in picked) >= size:
            made.append("\n".join(picked)[:size])
            picked = []
    return made


def cold_rate(batch: Sequence[str]) -> float:
    """Articles per second through ``extract`` with every cache of the extractor emptied first."""
    for module in (alerts.extract.counts, alerts.extract.statements, alerts.text):
        for value in vars(module).values():
            if callable(clear := getattr(value, "cache_clear", None)):
                clear()
    return rate(batch)


def rate(batch: Sequence[str], step: Callable[[str], object] = extract) -> float:
    """Articles per second through ``step``."""
    started = time.perf_counter()
    for article in batch:
        step(article)
    return len(batch) / (time.perf_counter() - started)


def stages(batch: Sequence[str], rounds: int) -> str:
    """Microseconds per article of each stage, the best of ``rounds``."""
    cleaned = [clean_article(article) for article in batch]
    timed = [("cleaning", clean_article, batch), ("counts", find_counts, cleaned),
             ("statements", find_statements, cleaned)]
    return ", ".join(
        f"{name} {1e6 / max(rate(texts, step) for _ in range(rounds)):,.0f} µs"
        for name, step, texts in timed
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stages", action="store_true", help="also time each stage")
    args = parser.parse_args(argv)
    batch = articles(args.articles, args.size)
    extract(batch[0])  # warm up: imports and compiled patterns
    best = max(rate(batch) for _ in range(args.rounds))
    print(f"{best:,.0f} articles/s ({args.articles} articles of {args.size:,} characters,"
          f" best of {args.rounds} rounds, one core)")
    unseen = unseen_articles(args.size)
    cold = max(cold_rate(unseen) for _ in range(max(5, args.rounds)))
    print(f"{cold:,.0f} articles/s on text the caches have not seen ({len(unseen)} articles, "
          "each passage once, caches emptied before each round, best of "
          f"{max(5, args.rounds)})")
    if args.stages:
        print(f"per article: {stages(batch, args.rounds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
