"""The schedule: 07:00 London every day across the clock changes; digest-due is local time."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from alerts.config import load_config
from alerts.scheduler import digest_due, make_scheduler
from tests.test_config import MINIMAL, write


def test_daily_digest_stays_at_seven_local_across_both_clock_changes(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), {})
    scheduler = make_scheduler(config, lambda: None, lambda: None)
    trigger = scheduler.get_job("digest").trigger
    fire = trigger.get_next_fire_time(None, datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    fires = []
    for _ in range(3):
        fires.append(fire.astimezone(UTC))
        fire = trigger.get_next_fire_time(fire, fire)
    # 28 March is GMT (07:00Z); from 29 March London is on BST (06:00Z).
    assert [f.isoformat() for f in fires] == [
        "2026-03-28T07:00:00+00:00", "2026-03-29T06:00:00+00:00", "2026-03-30T06:00:00+00:00"]
    autumn = trigger.get_next_fire_time(None, datetime(2026, 10, 25, 3, 0, tzinfo=UTC))
    assert autumn.astimezone(UTC).isoformat() == "2026-10-25T07:00:00+00:00"


def test_jobs_never_give_up_on_a_late_start_and_never_pile_up(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), {})
    scheduler = make_scheduler(config, lambda: None, lambda: None)
    for job in scheduler.get_jobs():
        assert job.misfire_grace_time is None
        assert job.coalesce is True
        assert job.max_instances == 1
    assert scheduler.get_job("poll").trigger.interval.total_seconds() == 900


def test_digest_is_due_from_seven_local_time(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL), {})
    assert config.schedule.digest_at == time(7)
    assert not digest_due(config, datetime(2026, 7, 1, 5, 59, tzinfo=UTC))  # 06:59 BST
    assert digest_due(config, datetime(2026, 7, 1, 6, 0, tzinfo=UTC))  # 07:00 BST
    assert not digest_due(config, datetime(2026, 1, 5, 6, 30, tzinfo=UTC))  # 06:30 GMT
