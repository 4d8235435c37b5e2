"""alerts.health: what each fetch result means for its feed, and when to try it again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.fetch import FetchResult
from alerts.health import (
    MAX_DELAY,
    Outcome,
    after_failure,
    classify,
    next_attempt,
    should_fetch,
)
from alerts.store import FeedState

NOW = datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
URL = "https://news.example/feed.xml"


def error(code: int | None, reason: str, *, permanent: bool = False,
          retry_after: float | None = None) -> FetchResult:
    return FetchResult(URL, "error", error=reason, permanent=permanent, http_status=code,
                       retry_after=retry_after)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (FetchResult(URL, "ok", body=b"<rss/>"), Outcome("ok")),
        (FetchResult(URL, "not_modified"), Outcome("not_modified")),
        (FetchResult(URL, "ok", moved_to="https://new.example/feed"),
         Outcome("ok", moved_to="https://new.example/feed")),
        (FetchResult(URL, "not_modified", moved_to="https://new.example/feed"),
         Outcome("not_modified", moved_to="https://new.example/feed")),
        (FetchResult(URL, "ok", moved_to=URL), Outcome("ok")),
        (error(500, "HTTP 500 Internal Server Error"),
         Outcome("transient", "HTTP 500 Internal Server Error")),
        (error(None, "timed out after 60 s (whole fetch deadline)"),
         Outcome("transient", "timed out after 60 s (whole fetch deadline)")),
        (error(404, "HTTP 404 Not Found", permanent=True),
         Outcome("permanent", "HTTP 404 Not Found")),
        (error(None, "blocked: 10.0.0.5 is a private address", permanent=True),
         Outcome("permanent", "blocked: 10.0.0.5 is a private address")),
        (error(429, "HTTP 429 Too Many Requests", retry_after=120),
         Outcome("rate_limited", "HTTP 429 Too Many Requests", retry_after=120)),
        (error(503, "HTTP 503 Service Unavailable", retry_after=600),
         Outcome("rate_limited", "HTTP 503 Service Unavailable", retry_after=600)),
        (error(503, "HTTP 503 Service Unavailable"),
         Outcome("transient", "HTTP 503 Service Unavailable")),
        (error(None, "rate limited by host news.example until 07:02:00 UTC", retry_after=90),
         Outcome("rate_limited", "rate limited by host news.example until 07:02:00 UTC",
                 retry_after=90)),
    ],
)
def test_each_fetch_result_is_classified(result: FetchResult, expected: Outcome) -> None:
    assert classify(result) == expected


def test_a_gone_feed_is_classified_gone_with_a_reason_for_the_operator() -> None:
    outcome = classify(error(410, "HTTP 410 Gone", permanent=True))

    assert outcome.kind == "gone" and outcome.failed
    assert outcome.reason == (
        "HTTP 410 Gone: the publisher removed this feed; not fetched again until it is re-enabled"
    )


def test_backoff_doubles_from_the_base_and_stops_at_the_cap() -> None:
    base = timedelta(minutes=10)
    delays = [next_attempt(n, NOW, base=base) - NOW for n in range(0, 12)]

    assert delays[:5] == [timedelta(0), base, base * 2, base * 4, base * 8]
    assert delays[-1] == MAX_DELAY
    assert next_attempt(10_000, NOW) - NOW == MAX_DELAY


def test_jitter_is_fixed_per_feed_and_spreads_feeds_apart() -> None:
    first = next_attempt(3, NOW, key="https://a.example/feed")

    assert next_attempt(3, NOW, key="https://a.example/feed") == first
    assert next_attempt(3, NOW, key="https://b.example/feed") != first
    assert timedelta(hours=1) <= first - NOW <= timedelta(hours=1, minutes=6)


@pytest.mark.parametrize(
    ("retry_after", "delay"),
    [
        (7200, timedelta(hours=2)),
        (1, timedelta(minutes=1)),
        (0, timedelta(minutes=1)),
        (10**12, timedelta(hours=24)),
    ],
)
def test_retry_after_is_honoured_but_clamped(retry_after: float, delay: timedelta) -> None:
    assert next_attempt(0, NOW, retry_after) - NOW == delay


def test_retry_after_never_shortens_the_backoff() -> None:
    assert next_attempt(5, NOW, 60) - NOW == timedelta(hours=4)


def test_after_a_failure_the_next_attempt_counts_that_failure() -> None:
    outcome = classify(error(500, "HTTP 500 Internal Server Error"))

    when, disabled = after_failure(outcome, 2, NOW, base=timedelta(minutes=5))

    assert (when, disabled) == (NOW + timedelta(minutes=20), None)


def test_a_gone_feed_is_disabled_with_no_next_attempt() -> None:
    outcome = classify(error(410, "HTTP 410 Gone", permanent=True))

    assert after_failure(outcome, 0, NOW) == (None, outcome.reason)


def state(next_try: datetime | None = None, disabled: str | None = None) -> FeedState:
    return FeedState(URL, "News", None, None, None, None, None, 0, 0, next_try, None, disabled)


def test_a_feed_is_fetched_when_its_backoff_has_run_out_and_it_is_enabled() -> None:
    assert should_fetch(state(), NOW)
    assert should_fetch(state(NOW), NOW)
    assert not should_fetch(state(NOW + timedelta(seconds=1)), NOW)
    assert not should_fetch(state(disabled="HTTP 410 Gone"), NOW)
