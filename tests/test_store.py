"""The store on a real SQLite file: only new articles come back, state survives a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alerts.models import Article, Feed, Subscriber
from alerts.store import Store

NOW = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)


def article(n: int, feed: str = "https://news.example/rss") -> Article:
    return Article(identity=f"guid:{n}", feed_url=feed, title=f"Story {n}",
                   link=f"https://news.example/{n}", published=NOW, summary="s")


def store_at(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'alerts.db'}")


def test_adding_articles_returns_only_the_ones_not_known_before(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    assert [s.article.identity for s in store.add_articles([article(1), article(2)], NOW)] == [
        "guid:1", "guid:2"]
    again = store.add_articles([article(2), article(3), article(1)], NOW)
    assert [s.article.identity for s in again] == ["guid:3"]
    assert store.article_count() == 3


def test_state_survives_closing_and_reopening_the_file(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.sync_feeds([Feed("https://news.example/rss", "News")])
    store.record_success("https://news.example/rss", NOW, etag='"v1"', last_modified=None)
    store.add_articles([article(1)], NOW)
    store.close()
    reopened = store_at(tmp_path)
    assert reopened.migrate() == []
    assert reopened.add_articles([article(1)], NOW) == []
    [state] = reopened.feed_states()
    assert (state.etag, state.articles, state.last_success) == ('"v1"', 1, NOW)


def test_failures_are_counted_and_reset_by_a_success(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.sync_feeds([Feed("https://news.example/rss", "News")])
    store.record_failure("https://news.example/rss", NOW, "HTTP 500")
    store.record_failure("https://news.example/rss", NOW, "HTTP 500")
    assert store.feed_states()[0].failures == 2
    store.record_not_modified("https://news.example/rss", NOW)
    assert (store.feed_states()[0].failures, store.feed_states()[0].last_error) == (0, None)


def test_unsubscribed_config_subscriber_stays_unsubscribed_after_a_resync(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    store.sync_subscribers([Subscriber("Reader@Example.org", ("w",))])
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE subscribers SET status = 'unsubscribed'")
    store.sync_subscribers([Subscriber("Reader@Example.org", ("w", "x"))])
    assert store.active_subscribers() == []


def test_outbox_records_before_sending_and_moves_the_cutoff(tmp_path: Path) -> None:
    store = store_at(tmp_path)
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
