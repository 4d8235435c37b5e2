"""The store on a real SQLite file: only new articles come back, state survives a restart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from alerts.models import Article, Feed, Subscriber
from alerts.schema import MIGRATIONS
from alerts.store import FeedFetched, Store, make_engine

NOW = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)


def article(n: int, feed: str = "https://news.example/rss") -> Article:
    return Article(identity=f"guid:{n}", feed_url=feed, title=f"Story {n}",
                   link=f"https://news.example/{n}", published=NOW, summary="s")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    opened.close()


def test_adding_articles_returns_only_the_ones_not_known_before(store: Store) -> None:
    assert [s.article.identity for s in store.add_articles([article(1), article(2)], NOW)] == [
        "guid:1", "guid:2"]
    again = store.add_articles([article(2), article(3), article(1)], NOW)
    assert [s.article.identity for s in again] == ["guid:3"]
    assert store.article_count() == 3


def test_state_survives_closing_and_reopening_the_database(store_url: str) -> None:
    store = Store(store_url)
    store.sync_feeds([Feed("https://news.example/rss", "News")])
    store.record_fetched([FeedFetched("https://news.example/rss", '"v1"', None, "h1")], NOW)
    store.add_articles([article(1)], NOW)
    store.close()
    reopened = Store(store_url)
    assert reopened.migrate() == []
    assert reopened.add_articles([article(1)], NOW) == []
    [state] = reopened.feed_states()
    assert (state.etag, state.articles, state.last_success) == ('"v1"', 1, NOW)
    reopened.close()


def test_failures_are_counted_and_reset_by_a_success(store: Store) -> None:
    store.sync_feeds([Feed("https://news.example/rss", "News")])
    store.record_failure("https://news.example/rss", NOW, "HTTP 500")
    store.record_failure("https://news.example/rss", NOW, "HTTP 500")
    assert store.feed_states()[0].failures == 2
    store.record_fetched([FeedFetched("https://news.example/rss", None, None, None)], NOW)
    assert (store.feed_states()[0].failures, store.feed_states()[0].last_error) == (0, None)


def test_unsubscribed_config_subscriber_stays_unsubscribed_after_a_resync(store: Store) -> None:
    store.sync_subscribers([Subscriber("Reader@Example.org", ("w",))])
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE subscribers SET status = 'unsubscribed'")
    store.sync_subscribers([Subscriber("Reader@Example.org", ("w", "x"))])
    assert store.active_subscribers() == []


def test_outbox_records_before_sending_and_moves_the_cutoff(store: Store) -> None:
    store.sync_subscribers([Subscriber("reader@example.org", ("w",))])
    later = NOW + timedelta(hours=1)
    digest_id = store.enqueue_digest("reader@example.org", date(2025, 6, 24), b"msg", later, later,
                                     scheduled=True)
    assert digest_id is not None
    assert store.enqueue_digest("reader@example.org", date(2025, 6, 24), b"again", later, later,
                                scheduled=True) is None
    assert [e.id for e in store.pending_digests()] == [digest_id]
    assert store.active_subscribers()[0][1] == later
    assert store.has_digest("READER@example.org", date(2025, 6, 24))
    store.mark_failed(digest_id, "421 try later", permanent=False)
    assert [e.attempts for e in store.pending_digests()] == [1]
    store.mark_sent(digest_id, later)
    assert store.pending_digests() == []
    assert store.digest_counts() == {"sent": 1}


# The schema as the first release created it: what an existing database looks like.
FIRST_RELEASE = [
    """CREATE TABLE feeds (url VARCHAR(2048) PRIMARY KEY, name TEXT NOT NULL, etag TEXT,
       last_modified TEXT, last_attempt TIMESTAMP, last_success TIMESTAMP, last_error TEXT,
       failures INTEGER NOT NULL)""",
    """CREATE TABLE subscribers (email VARCHAR(320) PRIMARY KEY, address VARCHAR(320) NOT NULL,
       watches TEXT NOT NULL, status VARCHAR(20) NOT NULL, source VARCHAR(20) NOT NULL,
       last_cutoff TIMESTAMP)""",
    "CREATE TABLE migrations (name VARCHAR(200) PRIMARY KEY, applied_at TIMESTAMP NOT NULL)",
    "INSERT INTO migrations VALUES ('0001_initial', '2025-06-01 00:00:00')",
    "INSERT INTO feeds VALUES ('https://news.example/rss', 'News', '\"e1\"', NULL, NULL, NULL,"
    " NULL, 2)",
    "INSERT INTO subscribers VALUES ('r@example.org', 'r@example.org', '[\"w\"]', 'active',"
    " 'config', NULL)",
]


def test_an_existing_database_is_upgraded_in_place_keeping_its_data(store_url: str) -> None:
    engine = make_engine(store_url)
    with engine.begin() as conn:
        for statement in FIRST_RELEASE:
            conn.exec_driver_sql(statement)
    engine.dispose()
    store = Store(store_url)
    [state] = store.feed_states()
    assert (state.etag, state.failures, state.next_attempt, state.fetch_url) == (
        '"e1"', 2, None, None)
    assert store.subscriber("r@example.org") is not None
    assert store.subscriber("r@example.org").bounces == 0  # type: ignore[union-attr]
    assert store.add_articles([article(1)], NOW) != []
    with store.engine.connect() as conn:
        names = list(conn.scalars(sa.text("SELECT name FROM migrations ORDER BY name")))
    assert names == [name for name, _ in MIGRATIONS]
    store.close()


def test_each_feed_is_claimed_by_one_replica_per_interval(store: Store) -> None:
    urls = ["https://a.example/rss", "https://b.example/rss"]
    lease = timedelta(minutes=5)
    assert store.claim_feeds(urls, 100, "replica-1", NOW, lease) == urls
    assert store.claim_feeds(urls, 100, "replica-2", NOW, lease) == []
    store.finish_feeds(urls[:1], 100)
    # replica-1 died before finishing b: after the lease, another replica takes it over
    later = NOW + timedelta(minutes=6)
    assert store.claim_feeds(urls, 100, "replica-2", later, lease) == urls[1:]
    assert store.claim_feeds(urls, 101, "replica-3", later, lease) == urls


def test_a_pending_digest_is_leased_to_one_sender_at_a_time(store: Store) -> None:
    store.sync_subscribers([Subscriber("reader@example.org", ("w",))])
    store.enqueue_digest("reader@example.org", date(2025, 6, 24), b"m", NOW, NOW, scheduled=True)
    lease = timedelta(minutes=10)
    assert len(store.claim_pending("one", NOW, lease)) == 1
    assert store.claim_pending("two", NOW, lease) == []
    assert len(store.claim_pending("two", NOW + timedelta(minutes=11), lease)) == 1
