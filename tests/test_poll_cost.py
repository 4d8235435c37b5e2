"""A poll does only the work that changed: what it skips, batches and spreads over processes.

Each test pins one optimisation of tests/bench/bench_poll.py's figures (see BENCHMARKS.md) to the
behaviour that makes it: an unchanged body is not parsed, many bodies are parsed in processes
with the same result, a poll's writes do not grow in transactions with its feeds, a backlog is
worked through, and a run with nothing to do loads neither the parser nor the mail machinery.
"""

from __future__ import annotations

import importlib.abc
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa

import alerts.parse
import alerts.store
from alerts.cli import main
from alerts.config import Config, load_config
from alerts.errors import ParseError
from alerts.feedpool import POOL_FROM, Document, FeedPool, parse_document
from alerts.fetch import FeedRequest, FetchLimits, fetch_all_sync
from alerts.parse import ParsedFeed
from alerts.pipeline import PollSummary, poll
from alerts.schema import counts
from alerts.store import Store
from tests.feedserver import FeedServer, make_rss
from tests.smtpserver import SmtpServer

NOW = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)
REVOLT = ("More than {n} Labour MPs have signed an amendment to the welfare bill, the organisers "
          "said.")


def stories(count: int, prefix: str = "s") -> list[dict[str, object]]:
    return [{"title": f"Welfare bill story {i}", "guid": f"{prefix}-{i}",
             "link": f"https://news.example/{prefix}/{i}", "description": f"Report {i}.",
             "published": NOW - timedelta(minutes=i)} for i in range(count)]


def configure(tmp_path: Path, urls: Sequence[str], smtp_port: int = 1) -> Config:
    feeds = "".join(f'[[feeds]]\nname = "Feed {i}"\nurl = "{u}"\n\n' for i, u in enumerate(urls))
    path = tmp_path / "alerts.toml"
    path.write_text(f"""
[mail]
host = "127.0.0.1"
port = {smtp_port}
from = "alerts@example.org"
[storage]
url = "sqlite:///{tmp_path / 'alerts.db'}"
[fetch]
allow_private = true
pages = false
[web]
enabled = false

{feeds}
[[watches]]
name = "welfare-bill"
any = ["welfare bill"]

[[subscribers]]
email = "reader@example.org"
watches = ["welfare-bill"]
""", "utf-8")
    return load_config(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'alerts.db'}")
    yield opened
    opened.close()


def polled(config: Config, store: Store, at: datetime = NOW) -> PollSummary:
    return poll(config, store, now=at)


# Unchanged feeds are not parsed --------------------------------------------------------------

@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every body handed to the feed parser (polls of a few feeds parse in this process)."""
    bodies: list[bytes] = []
    real_parse = alerts.parse.parse_feed

    def keeping(body: bytes, feed_url: str, content_type: str | None = None) -> ParsedFeed:
        bodies.append(body)
        return real_parse(body, feed_url, content_type)

    monkeypatch.setattr(alerts.parse, "parse_feed", keeping)
    return bodies


def test_a_feed_sending_the_same_bytes_again_is_not_parsed_again(
    feed_server: FeedServer, tmp_path: Path, store: Store, parsed: list[bytes],
) -> None:
    url = feed_server.add("/news.xml", make_rss(stories(3)))  # no ETag: always a full 200
    config = configure(tmp_path, [url])
    first = polled(config, store)
    again = polled(config, store, NOW + timedelta(minutes=15))
    assert (first.fetched, first.new_articles, len(parsed)) == (1, 3, 1)
    assert (again.fetched, again.not_modified, again.new_articles, len(parsed)) == (0, 1, 0, 1)

    feed_server.add("/news.xml", make_rss(stories(4)))
    changed = polled(config, store, NOW + timedelta(minutes=30))
    assert (changed.fetched, changed.new_articles, len(parsed)) == (1, 1, 2)


def test_of_a_changed_feed_only_the_entries_not_seen_before_are_parsed(
    feed_server: FeedServer, tmp_path: Path, store: Store, parsed: list[bytes],
) -> None:
    url = feed_server.add("/news.xml", make_rss(stories(3, prefix="old")))
    config = configure(tmp_path, [url])
    bodies = parsed
    assert polled(config, store).new_articles == 3
    feed_server.add("/news.xml", make_rss(stories(2, prefix="new") + stories(3, prefix="old"),
                                          title="Rebuilt at 06:15"))
    changed = polled(config, store, NOW + timedelta(minutes=15))

    assert (changed.fetched, changed.new_articles) == (1, 2)
    assert bodies[-1].count(b"<item>") == 2 and b"old-" not in bodies[-1]
    feed_server.add("/news.xml", make_rss(stories(2, prefix="new") + stories(3, prefix="old"),
                                          title="Rebuilt at 06:30"))
    rebuilt = polled(config, store, NOW + timedelta(minutes=30))
    assert (rebuilt.fetched, rebuilt.new_articles, len(bodies)) == (1, 0, 2)
    assert len(store.recent_articles(10)) == 5


def test_a_feed_that_was_not_a_feed_is_parsed_again_until_it_is_one(
    feed_server: FeedServer, tmp_path: Path, store: Store,
) -> None:
    url = feed_server.add("/news.xml", b"<html><body>maintenance</body></html>", "text/html")
    config = configure(tmp_path, [url])
    assert url in polled(config, store).failed
    feed_server.add("/news.xml", make_rss(stories(2)))
    later = NOW + timedelta(days=1)  # past any backoff
    assert (polled(config, store, later).new_articles, store.feed_states()[0].failures) == (2, 0)


# Changed feeds are parsed in processes ---------------------------------------------------------

def test_parsing_many_feeds_in_processes_gives_what_parsing_one_by_one_gives() -> None:
    documents = [Document(make_rss(stories(5, prefix=f"f{i}")), f"https://feed{i}.example/")
                 for i in range(POOL_FROM + 2)]
    documents.insert(3, Document(b"not a feed at all", "https://broken.example/"))
    one_by_one = [parse_document(d) for d in documents]

    with FeedPool(len(documents), workers=2) as pool:
        waits = [pool.submit(d) for d in documents]
        in_processes = [wait() for wait in waits]

    assert [_comparable(r) for r in in_processes] == [_comparable(r) for r in one_by_one]
    assert isinstance(in_processes[3], ParseError)
    assert sum(isinstance(r, ParsedFeed) for r in in_processes) == POOL_FROM + 2


def _comparable(result: ParsedFeed | ParseError) -> object:
    return str(result) if isinstance(result, ParseError) else result


# The store's work does not grow in transactions with the feeds ------------------------------

def commits_during(store: Store, action: object) -> int:
    count = [0]

    def counted(_conn: sa.Connection) -> None:
        count[0] += 1

    sa.event.listen(store.engine, "commit", counted)
    try:
        assert callable(action)
        action()
    finally:
        sa.event.remove(store.engine, "commit", counted)
    return count[0]


@pytest.mark.parametrize("feeds", [2, 12])
def test_an_unchanged_poll_commits_as_often_for_twelve_feeds_as_for_two(
    feeds: int, feed_server: FeedServer, tmp_path: Path, store: Store,
) -> None:
    urls = [feed_server.add(f"/f{i}.xml", make_rss(stories(2, prefix=f"f{i}")), etag=f'"{i}"')
            for i in range(feeds)]
    config = configure(tmp_path, urls)
    polled(config, store)

    commits = commits_during(store, lambda: polled(config, store, NOW + timedelta(minutes=15)))

    assert commits == 3  # sync the feeds, record every fetch, claim pending articles (none)


def test_a_poll_works_through_a_backlog_larger_than_one_claim(
    feed_server: FeedServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(alerts.store, "CLAIM_BATCH", 2)
    config = configure(tmp_path, [feed_server.add("/news.xml", make_rss(stories(5)))])

    summary = polled(config, store)

    assert (summary.new_articles, summary.matched) == (5, 5)
    assert store.claim_unprocessed("anyone", NOW, timedelta(minutes=1)) == []


def test_counts_in_one_poll_are_judged_against_each_other_as_across_polls(
    feed_server: FeedServer, tmp_path: Path,
) -> None:
    reports = [{"title": f"Welfare bill revolt {n}", "guid": f"r-{i}",
                "link": f"https://news.example/r/{i}", "description": REVOLT.format(n=n),
                "published": NOW + timedelta(minutes=i)}
               for i, n in enumerate([120, 120, 130])]
    feed_server.add("/together.xml", make_rss(reports))
    together = verdicts(tmp_path / "together", feed_server.url("/together.xml"), [3])

    apart = verdicts(tmp_path / "apart", feed_server.url("/apart.xml"), [1, 2, 3],
                     lambda n: feed_server.add("/apart.xml", make_rss(reports[:n])))

    assert together == apart == [(120, "new"), (120, "corroboration"), (130, "new")]


def verdicts(folder: Path, url: str, sizes: list[int],
             serve: object = None) -> list[tuple[int, str]]:
    """Poll ``url`` once per size (``serve(size)`` first, if given); the counts' verdicts."""
    folder.mkdir()
    config = configure(folder, [url])
    store = Store(config.storage_url)
    try:
        for i, size in enumerate(sizes):
            if callable(serve):
                serve(size)
            polled(config, store, NOW + timedelta(hours=i))
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(counts.c.figure, counts.c.verdict)
                                .order_by(counts.c.id))
            return [(int(r.figure), str(r.verdict)) for r in rows]
    finally:
        store.close()


def test_fetching_many_feeds_asks_the_import_system_nothing(feed_server: FeedServer) -> None:
    requests = [FeedRequest(feed_server.add(f"/f{i}.xml", make_rss(stories(1)))) for i in range(20)]
    limits = FetchLimits(allow_private=True)
    fetch_all_sync(requests, limits)  # the first run may import what it uses

    with _counting_finder() as lookups:
        results = fetch_all_sync(requests, limits)

    assert [r.status for r in results] == ["ok"] * 20
    assert lookups == []


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_spec(self, fullname: str, path: object, target: ModuleType | None = None) -> None:
        self.asked.append(fullname)


@contextmanager
def _counting_finder() -> Iterator[list[str]]:
    """The names the import system is asked to find while the block runs."""
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    try:
        yield finder.asked
    finally:
        sys.meta_path.remove(finder)


# A run with nothing to do starts light; what it imported is kept from the collector ---------------

LOADED = """
import gc
import sys
from alerts.cli import main
for command in (["poll"], ["digest", "--now"]):
    main(["--config", sys.argv[1], "--log-level", "WARNING", *command])
    print("frozen after", command[0], gc.get_freeze_count() > 10_000)
    gc.unfreeze()
heavy = ["feedparser", "alerts.parse", "alerts.extract", "alerts.render", "alerts.mail",
         "alerts.web", "jinja2", "trafilatura"]
print("loaded:", *(m for m in heavy if m in sys.modules))
"""


def test_an_unchanged_poll_and_an_empty_digest_load_no_parser_templates_or_mail(
    feed_server: FeedServer, smtp_server: SmtpServer, tmp_path: Path,
) -> None:
    url = feed_server.add("/news.xml", make_rss(stories(2)), etag='"v1"')
    config = configure(tmp_path, [url], smtp_server.port)
    for command in (["poll"], ["digest", "--now"]):
        assert main(["--config", str(config.path), *command]) == 0
    assert len(smtp_server.messages) == 1

    run = subprocess.run([sys.executable, "-c", LOADED, str(config.path)], capture_output=True,
                         text=True, cwd=Path(__file__).parents[1], timeout=60, check=True)

    assert "0 fetched, 1 unchanged" in run.stdout
    # what the imports made is kept from the collector (gc.freeze): no full collection walks it
    assert "frozen after poll True" in run.stdout
    assert "frozen after digest True" in run.stdout
    assert run.stdout.splitlines()[-1] == "loaded:"
    assert len(smtp_server.messages) == 1
