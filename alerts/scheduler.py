"""APScheduler 3.x wiring for `alerts run`: poll every N minutes, digest daily at HH:MM local.

The scheduler keeps its jobs in memory only; whether today's digest went out is known from the
database, so a digest missed during downtime is sent once at start and never twice.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from alerts.clock import REAL_TIME, Clock
from alerts.config import Config
from alerts.errors import AlertsError

log = logging.getLogger("alerts.scheduler")


def digest_due(config: Config, now: datetime) -> bool:
    """Is it past today's digest time in the configured zone (DST included)?"""
    local = now.astimezone(config.schedule.timezone)
    return local.time() >= config.schedule.digest_at


def poll_trigger(config: Config, clock: Clock = REAL_TIME) -> IntervalTrigger:
    return IntervalTrigger(seconds=clock.real_seconds(config.schedule.poll_every),
                           timezone=config.schedule.timezone)


def digest_trigger(config: Config) -> CronTrigger:
    at = config.schedule.digest_at
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=config.schedule.timezone)


def make_scheduler(config: Config, poll_job: Callable[[], None],
                   digest_job: Callable[[], None], clock: Clock = REAL_TIME) -> BackgroundScheduler:
    # One worker: a poll and a digest never overlap inside one process; other jobs (config
    # reloads) get their own executor so an edit is noticed while a long poll runs.
    scheduler = BackgroundScheduler(timezone=config.schedule.timezone, executors={
        "default": ThreadPoolExecutor(1), "side": ThreadPoolExecutor(1),
    })
    scheduler.add_job(
        poll_job, poll_trigger(config, clock), id="poll", name="poll every feed",
        next_run_time=datetime.now(UTC), max_instances=1, coalesce=True, misfire_grace_time=None,
    )
    scheduler.add_job(
        digest_job, digest_trigger(config), id="digest", name="daily digest",
        max_instances=1, coalesce=True, misfire_grace_time=None,
    )
    return scheduler


def guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """A job that logs its failure instead of dying, so the next run still happens."""

    def run() -> None:
        try:
            job()
        except AlertsError as exc:
            log.error("job.failed job=%s error=%r", name, str(exc))
        except Exception:
            log.exception("job.crashed job=%s", name)

    return run


def run_until_stopped(scheduler: BackgroundScheduler, stop: threading.Event) -> None:
    """Run the scheduler in the foreground until SIGTERM/SIGINT or ``stop`` is set."""

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("service.stopping signal=%s", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    scheduler.start()
    try:
        stop.wait()
    finally:
        scheduler.shutdown(wait=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        log.info("service.stopped")
