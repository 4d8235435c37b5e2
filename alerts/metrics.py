"""Prometheus metrics for the operator, on a private registry.

Two kinds of numbers:

* **From the store, read at scrape time** (:class:`StoreCollector`): feeds and how many are
  failing, articles, claims, digests by outbox status, subscribers by status. Every process that
  shares the database reports the same figures, and they survive restarts.
* **Counted in this process** (:class:`Metrics`): polls run, feed fetches by result, emails sent or
  failed by kind. The pipeline bumps them through :meth:`Metrics.poll_done` and
  :meth:`Metrics.emails`; they restart from zero with the process, as Prometheus counters may.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from alerts.store import Store

CONTENT_TYPE = CONTENT_TYPE_LATEST
EmailKind = Literal["digest", "confirmation"]


class StoreCollector(Collector):
    """Reads the current figures from the database on every scrape."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        states = self.store.feed_states()
        yield _gauge("alerts_feeds", "Feeds known to the service.", len(states))
        yield _gauge("alerts_feeds_failing", "Feeds whose last fetch failed.",
                     sum(1 for s in states if s.failures))
        per_feed = GaugeMetricFamily(
            "alerts_feed_consecutive_failures", "Failed fetches in a row, per feed.",
            labels=["feed"],
        )
        for state in states:
            per_feed.add_metric([state.url], state.failures)
        yield per_feed
        yield _gauge("alerts_articles", "Articles stored.", self.store.article_count())
        yield _labelled("alerts_claims", "Claims stored, by kind.", "kind",
                        self.store.claim_counts().items())
        yield _labelled("alerts_digests", "Digests in the outbox, by status.", "status",
                        _with_zeros(self.store.digest_counts(), "pending", "sent", "failed"))
        yield _labelled("alerts_subscribers", "Subscribers, by status.", "status",
                        _with_zeros(self.store.subscribers_by_status(),
                                    "pending", "active", "unsubscribed", "failing"))


class Metrics:
    """The registry served at /metrics, plus the counters this process bumps."""

    def __init__(self, store: Store) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(StoreCollector(store))
        self.polls = Counter("alerts_polls", "Poll cycles run by this process.",
                             registry=self.registry)
        self.fetches = Counter("alerts_feed_fetches", "Feed fetches by this process, by result.",
                               ["result"], registry=self.registry)
        self.sent = Counter("alerts_emails_sent", "Emails delivered by this process, by kind.",
                            ["kind"], registry=self.registry)
        self.failed = Counter("alerts_emails_failed",
                              "Emails this process failed to deliver, by kind.", ["kind"],
                              registry=self.registry)
        for result in ("fetched", "not_modified", "failed"):
            self.fetches.labels(result)
        for kind in ("digest", "confirmation"):
            self.sent.labels(kind)
            self.failed.labels(kind)

    def poll_done(self, *, fetched: int, not_modified: int, failed: int) -> None:
        """Count one poll cycle and its fetches (call with a PollSummary's figures)."""
        self.polls.inc()
        self.fetches.labels("fetched").inc(fetched)
        self.fetches.labels("not_modified").inc(not_modified)
        self.fetches.labels("failed").inc(failed)

    def emails(self, kind: EmailKind, *, sent: int = 0, failed: int = 0) -> None:
        self.sent.labels(kind).inc(sent)
        self.failed.labels(kind).inc(failed)

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _labelled(name: str, documentation: str, label: str,
              values: Iterable[tuple[str, int]]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in values:
        family.add_metric([key], value)
    return family


def _with_zeros(found: dict[str, int], *expected: str) -> list[tuple[str, int]]:
    """Every expected label appears, at 0 when absent, so a dashboard's series never vanish."""
    return sorted({**dict.fromkeys(expected, 0), **found}.items())
