"""A digest run killed with SIGKILL halfway and started again: every subscriber ends up with
exactly one digest, and the restart does not wait for the dead run's leases to run out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alerts.cli import main
from tests.feedserver import FeedServer, make_rss
from tests.smtpserver import _Controller

READERS = [f"reader{n:02}@example.org" for n in range(20)]


class SlowInbox:
    """Takes a while over each recipient, so a run can be killed in the middle; once it holds
    ``hold_after`` messages, it keeps every further recipient waiting until ``release()``.

    The hold puts the kill between messages. SMTP itself cannot do better than at least once: a
    run killed in the milliseconds between the server's "250 accepted" and the run's record of
    it sends that message again on restart (the README says so)."""

    def __init__(self, hold_after: int) -> None:
        self.received: list[str] = []
        self.hold_after = hold_after

    def release(self) -> None:
        self.hold_after = sys.maxsize

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        await asyncio.sleep(0.15)
        while len(self.received) >= self.hold_after:
            await asyncio.sleep(0.01)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.extend(envelope.rcpt_tos)
        return "250 accepted"


@pytest.fixture
def slow_inbox() -> Iterator[tuple[SlowInbox, int]]:
    inbox = SlowInbox(hold_after=5)
    controller = _Controller(inbox, hostname="127.0.0.1", port=0, ready_timeout=5.0)
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_a_killed_digest_run_resumes_without_duplicates(
    tmp_path: Path, feed_server: FeedServer, slow_inbox: tuple[SlowInbox, int],
) -> None:
    inbox, port = slow_inbox
    feed_server.add("/feed.xml", make_rss([
        {"title": "Labour rebels threaten welfare bill", "guid": "1",
         "link": feed_server.url("/1.html"), "description": "The rebellion grows."}]))
    subscribers = "".join(
        f'[[subscribers]]\nemail = "{who}"\nwatches = ["welfare-bill"]\n' for who in READERS)
    config = tmp_path / "alerts.toml"
    config.write_text(f"""
[mail]
host = "127.0.0.1"
port = {port}
[storage]
url = "sqlite:///{tmp_path / 'alerts.db'}"
[fetch]
allow_private = true
pages = false
[web]
enabled = false
[[feeds]]
url = "{feed_server.url('/feed.xml')}"
[[watches]]
name = "welfare-bill"
any = ["welfare bill"]
{subscribers}""", "utf-8")
    assert main(["--config", str(config), "poll"]) == 0
    command = [sys.executable, "-m", "alerts.cli", "--config", str(config), "digest", "--now"]
    first = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(inbox.received) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # the run records what was accepted; its next recipients are kept waiting
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert 5 <= len(inbox.received) < len(READERS)
    inbox.release()

    started = time.monotonic()
    again = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    assert time.monotonic() - started < 30
    assert Counter(inbox.received) == Counter(READERS)
