"""The service's clock: real time, or a simulated one for rehearsals and tests.

$ALERTS_CLOCK="START,SPEED,ANCHOR" makes the service believe it is START (an ISO time) until the
Unix time ANCHOR, and from then on time runs SPEED times faster: days of polls and digests in
minutes. Several processes given the same value agree on the simulated time.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ENV_CLOCK = "ALERTS_CLOCK"


@dataclass(frozen=True)
class Clock:
    start: datetime | None = None
    speed: float = 1.0
    anchor: float = 0.0

    def now(self) -> datetime:
        if self.start is None:
            return datetime.now(UTC)
        elapsed = max(0.0, time.time() - self.anchor)
        return self.start + timedelta(seconds=elapsed * self.speed)

    def real_seconds(self, span: timedelta) -> float:
        """How long ``span`` of the clock's time lasts in real seconds."""
        return span.total_seconds() / self.speed


REAL_TIME = Clock()


def clock_from(environ: Mapping[str, str]) -> Clock:
    value = environ.get(ENV_CLOCK, "").strip()
    if not value:
        return Clock()
    try:
        start, speed, anchor = value.split(",")
        moment = datetime.fromisoformat(start)
        if moment.tzinfo is None or float(speed) <= 0:
            raise ValueError
        return Clock(moment, float(speed), float(anchor))
    except ValueError:
        raise ValueError(
            f"{ENV_CLOCK}={value!r}: write START,SPEED,ANCHOR, like "
            "2025-06-24T05:00:00+00:00,3600,1750741200"
        ) from None
