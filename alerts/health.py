"""Per-feed health: what a fetch result means for its feed, and when to try the feed again. Pure.

    classify(result)                    → Outcome: ok, not_modified, transient, permanent,
                                          gone (410) or rate_limited (429/503 + Retry-After)
    next_attempt(failures, now, ...)    → exponential backoff from ``base``, capped, with a fixed
                                          per-feed jitter; a Retry-After is honoured, clamped
    after_failure(outcome, failures...) → (next_attempt, disabled) for ``Store.record_failure``
    should_fetch(state, now)            → is the feed due (and not disabled)?

A permanent redirect is not a failure: it rides on an ok or not_modified outcome as
``moved_to``, and the store adopts the new URL once the same move has been seen
``MOVES_BEFORE_ADOPTING`` times in a row (a temporary redirect never sets it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from alerts.fetch import FetchResult
    from alerts.store import FeedState

Kind = Literal["ok", "not_modified", "transient", "permanent", "gone", "rate_limited"]

BASE_DELAY = timedelta(minutes=15)
MAX_DELAY = timedelta(hours=24)
RETRY_AFTER_MIN = timedelta(minutes=1)
RETRY_AFTER_MAX = timedelta(hours=24)
JITTER = 0.1  # up to 10% longer, the same fraction for the same feed every time
MOVES_BEFORE_ADOPTING = 3
_RATE_LIMITING = frozenset({429, 503})


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    reason: str | None = None
    moved_to: str | None = None
    retry_after: float | None = None

    @property
    def failed(self) -> bool:
        return self.kind not in ("ok", "not_modified")


def classify(result: FetchResult) -> Outcome:
    """What one fetch says about its feed."""
    if result.status != "error":
        moved = result.moved_to if result.moved_to and result.moved_to != result.url else None
        return Outcome(result.status, moved_to=moved)
    reason = result.error or "unknown error"
    if result.http_status == 410:
        return Outcome("gone", f"{reason}: the publisher removed this feed; not fetched again "
                               "until it is re-enabled")
    # No status: fetch_all did not send it, the host had asked for a pause (Retry-After).
    if result.retry_after is not None and result.http_status in (*_RATE_LIMITING, None):
        return Outcome("rate_limited", reason, retry_after=result.retry_after)
    return Outcome("permanent" if result.permanent else "transient", reason)


def next_attempt(
    failures: int,
    now: datetime,
    retry_after: float | None = None,
    *,
    base: timedelta = BASE_DELAY,
    cap: timedelta = MAX_DELAY,
    key: str = "",
) -> datetime:
    """When to try a feed after ``failures`` failures in a row (0: now).

    ``base × 2^(failures-1)``, stretched by a jitter fixed by ``key`` (the feed URL) so feeds that
    failed together spread out, and capped at ``cap``. A server's ``retry_after`` (seconds) is
    clamped to [RETRY_AFTER_MIN, RETRY_AFTER_MAX] and waited at least.
    """
    delay = timedelta(0)
    if failures > 0:
        doubled = base * 2 ** min(failures - 1, 32)
        delay = min(cap, doubled * (1 + JITTER * _fraction(key)))
    if retry_after is not None:
        asked = timedelta(seconds=min(retry_after, RETRY_AFTER_MAX.total_seconds()))
        delay = max(delay, asked, RETRY_AFTER_MIN)
    return now + delay


def after_failure(
    outcome: Outcome,
    failures: int,
    now: datetime,
    *,
    base: timedelta = BASE_DELAY,
    cap: timedelta = MAX_DELAY,
    key: str = "",
) -> tuple[datetime | None, str | None]:
    """``(next_attempt, disabled)`` for a failed fetch of a feed that had ``failures`` before it.

    Gone feeds are disabled (the reason tells the operator) and get no next attempt.
    """
    if outcome.kind == "gone":
        return None, outcome.reason
    when = next_attempt(failures + 1, now, outcome.retry_after, base=base, cap=cap, key=key)
    return when, None


def should_fetch(state: FeedState, now: datetime) -> bool:
    """True when the feed is enabled and its backoff (if any) has run out."""
    if state.disabled:
        return False
    return state.next_attempt is None or now >= state.next_attempt


def _fraction(key: str) -> float:
    """A number in [0, 1) fixed by ``key``; 0 for no key (no jitter)."""
    if not key:
        return 0.0
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
