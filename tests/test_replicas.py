"""Three `alerts run` replicas on one PostgreSQL, over three simulated days: each feed fetched
once per poll interval, each subscriber one digest a day, and a replica killed with SIGKILL
mid-run changes neither."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.feedserver import FeedServer, make_rss
from tests.smtpserver import SmtpServer

START = datetime(2025, 6, 24, 4, 0, tzinfo=UTC)  # 05:00 in London; digests go at 07:00
SPEED = 7200  # one simulated hour every half second
DAYS = 3


def feed(server: FeedServer, name: str, day: int) -> None:
    """An outlet's feed as it stands on a day: one new welfare story per day so far."""
    items = [
        {"title": f"{name}: welfare bill rebels, day {d}", "guid": f"{name}-{d}",
         "link": server.url(f"/{name}/{d}.html"), "description": "Labour MPs and the PIP cuts.",
         "published": START + timedelta(days=d, hours=1)}
        for d in range(day + 1)
    ]
    server.add(f"/{name}.xml", make_rss(items, title=name))
    for d in range(day + 1):
        server.add(f"/{name}/{d}.html", f"<p>Day {d}: {30 + d} Labour MPs have signed.</p>"
                   .encode(), "text/html")


def test_three_replicas_share_the_work_and_send_each_digest_once(
    postgres_url: str, feed_server: FeedServer, smtp_server: SmtpServer, tmp_path: Path,
) -> None:
    outlets = ["wire", "courier", "daily"]
    for name in outlets:
        feed(feed_server, name, 0)
    config = tmp_path / "alerts.toml"
    config.write_text(f"""
[schedule]
poll_every = "1h"
digest_at = "07:00"
[mail]
host = "{smtp_server.host}"
port = {smtp_server.port}
from = "alerts@example.org"
[storage]
url = "{postgres_url}"
[fetch]
allow_private = true
timeout = 1  # claims of a killed replica run out after 6 deadlines: 18 s here
[web]
enabled = false
{''.join(f'[[feeds]]{chr(10)}url = "{feed_server.url(f"/{n}.xml")}"{chr(10)}' for n in outlets)}
[[watches]]
name = "welfare-bill"
any = ["welfare bill"]
[[subscribers]]
email = "a@example.org"
watches = ["welfare-bill"]
[[subscribers]]
email = "b@example.org"
watches = ["welfare-bill"]
""", "utf-8")
    anchor = time.time() + 10  # the simulated clock stands still while the replicas start
    env = {**os.environ, "ALERTS_CLOCK": f"{START.isoformat()},{SPEED},{anchor}",
           "ALERTS_CONFIG": str(config)}
    logs = [(tmp_path / f"replica-{i}.log").open("w") for i in range(4)]
    command = [sys.executable, "-m", "alerts.cli", "run"]
    replicas = [subprocess.Popen(command, env=env, stderr=logs[i]) for i in range(3)]

    def simulated_day() -> float:
        return max(0.0, time.time() - anchor) * SPEED / 86400

    try:
        for day in range(1, DAYS):
            while simulated_day() < day - 0.5:  # the afternoon before: new stories appear
                time.sleep(0.05)
            for name in outlets:
                feed(feed_server, name, day)
            if day == 1:
                time.sleep(0.3)
                replicas[1].send_signal(signal.SIGKILL)  # mid-cycle, holding whatever it holds
        while simulated_day() < DAYS - 0.5:
            time.sleep(0.05)
    finally:
        for replica in replicas:
            if replica.poll() is None:
                replica.send_signal(signal.SIGTERM)
        for replica in replicas:
            replica.wait(timeout=60)
        elapsed_hours = max(0.0, time.time() - anchor) * SPEED / 3600 + 1
        for log in logs:
            log.close()
    survivors = [replicas[0].returncode, replicas[2].returncode]
    assert survivors == [0, 0], [p.read_text() for p in tmp_path.glob("replica-*.log")]

    days_seen = Counter()
    for message in smtp_server.messages:
        text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        day = re.search(r"Your digest for (\w+ \d+ \w+ \d+)", text)
        assert day is not None, text[:200]
        days_seen[(str(message["To"]), day.group(1))] += 1
    assert set(days_seen.values()) == {1}, days_seen
    assert sorted(days_seen) == sorted(
        (who, (START + timedelta(days=d)).strftime("%A %-d %B %Y"))
        for who in ("a@example.org", "b@example.org") for d in range(DAYS)
    )
    for name in outlets:
        assert feed_server.count(f"/{name}.xml") <= elapsed_hours + 1
        assert feed_server.count(f"/{name}.xml") >= elapsed_hours / 2
        for d in range(DAYS):
            # The replica killed on day 1 may have fetched that day's page without recording it
            # yet: the replica that takes its claim over fetches it again. Otherwise once.
            assert 1 <= feed_server.count(f"/{name}/{d}.html") <= (2 if d == 1 else 1)
