"""The service end to end: a real feed server and a real SMTP server on loopback, a real SQLite
file, the `alerts` command as a user runs it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from alerts.cli import main
from tests.feedserver import FeedServer, make_rss
from tests.smtpserver import SmtpServer

NOW = datetime.now(UTC)
PAGE = """<html><head><title>{title}</title></head><body><nav>Home | Politics</nav>
<article><h1>{title}</h1><p>{body}</p></article>
<aside>READ MORE: Something else entirely</aside></body></html>"""


def page(title: str, body: str) -> bytes:
    return PAGE.format(title=title, body=body).encode()


def serve_news(server: FeedServer) -> None:
    """Two outlets: one with two on-topic stories and one off-topic, one rail-only feed."""
    server.add("/a/rebels.html", page(
        "Labour rebels grow",
        "More than 120 Labour MPs have signed an amendment to the welfare bill. "
        "\u201cThis bill must be stopped,\u201d said Rachael Maskell, the MP for York Central."))
    server.add("/a/pip.html", page("PIP cuts", "Ministers defend the PIP changes."))
    server.add("/politics.xml", make_rss([
        {"title": "Labour rebels grow against welfare bill", "guid": "a-1",
         "link": server.url("/a/rebels.html"), "description": "The revolt widens.",
         "published": NOW - timedelta(hours=2)},
        {"title": "Ministers defend PIP changes", "guid": "a-2",
         "link": server.url("/a/pip.html") + "?utm_source=rss",
         "description": "<p>Disability benefit cuts <b>defended</b>.</p>",
         "published": NOW - timedelta(hours=1)},
        {"title": "New railway timetable announced", "guid": "a-3",
         "link": server.url("/a/rail.html"), "description": "Trains.",
         "published": NOW - timedelta(hours=3)},
    ], title="Loopback Politics"), etag='"politics-v1"')
    server.add("/transport.xml", make_rss([
        {"title": "Railway strike called off", "guid": "t-1", "link": server.url("/t/1.html"),
         "description": "Rail unions agree a deal.", "published": NOW},
    ], title="Loopback Transport"))
    server.add("/broken.xml", b"oops", status=500)


def write_config(tmp_path: Path, feeds: FeedServer, smtp: SmtpServer) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(f"""
[mail]
host = "{smtp.host}"
port = {smtp.port}
from = "Alerts <alerts@example.org>"

[storage]
url = "sqlite:///{tmp_path / 'alerts.db'}"

[fetch]
allow_private = true  # the feed server is on loopback

[web]
port = 0  # any free port

[[feeds]]
name = "Loopback Politics"
url = "{feeds.url('/politics.xml')}"

[[feeds]]
name = "Loopback Transport"
url = "{feeds.url('/transport.xml')}"

[[feeds]]
name = "Broken"
url = "{feeds.url('/broken.xml')}"

[[watches]]
name = "welfare-bill"
any = ["welfare bill", "PIP", "disability benefit"]

[[watches]]
name = "rail"
any = ["railway", "rail"]

[[subscribers]]
email = "reader@example.org"
watches = ["welfare-bill"]

[[subscribers]]
email = "commuter@example.org"
watches = ["rail", "welfare-bill"]
""", "utf-8")
    return path


@pytest.fixture
def service(tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer) -> Path:
    serve_news(feed_server)
    return write_config(tmp_path, feed_server, smtp_server)


def by_recipient(messages: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {str(m["To"]).rpartition("<")[2].rstrip(">"): m for m in messages}


def body(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def test_poll_then_digest_sends_one_digest_per_subscriber_with_their_news(
    service: Path, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--config", str(service), "poll"]) == 0
    report = capsys.readouterr().out
    assert "1 failed" in report and "broken.xml" in report and "HTTP 500" in report
    assert main(["--config", str(service), "digest", "--now"]) == 0
    mails = by_recipient(smtp_server.messages)
    assert sorted(mails) == ["commuter@example.org", "reader@example.org"]
    reader = mails["reader@example.org"]
    assert reader.get_content_type() == "multipart/alternative"
    assert "welfare-bill" in str(reader["Subject"])
    text = body(reader, "plain")
    assert "Labour rebels grow against welfare bill" in text
    assert "Ministers defend PIP changes" in text
    assert "railway" not in text.lower()
    assert "120" in text and "Rachael Maskell" in text
    html = body(reader, "html")
    assert "Labour rebels grow against welfare bill" in html
    commuter = body(mails["commuter@example.org"], "plain")
    assert "Railway strike called off" in commuter and "New railway timetable" in commuter


def test_second_poll_and_digest_send_nothing_new(
    service: Path, feed_server: FeedServer, smtp_server: SmtpServer,
) -> None:
    for _ in range(2):
        assert main(["--config", str(service), "poll"]) == 0
        assert main(["--config", str(service), "digest", "--now"]) == 0
    assert len(smtp_server.messages) == 2
    politics = [h for _, path, h in feed_server.requests if path == "/politics.xml"]
    assert politics[1].get("if-none-match") == '"politics-v1"'
    assert feed_server.count("/a/rebels.html") == 1


def test_a_new_article_after_a_restart_is_the_only_news_in_the_next_digest(
    service: Path, feed_server: FeedServer, smtp_server: SmtpServer,
) -> None:
    assert main(["--config", str(service), "poll"]) == 0
    assert main(["--config", str(service), "digest", "--now"]) == 0
    feed_server.add("/transport.xml", make_rss([
        {"title": "Railway strike called off", "guid": "t-1", "link": feed_server.url("/t/1.html"),
         "description": "Rail unions agree a deal.", "published": NOW - timedelta(days=3)},
        {"title": "Rail fares frozen", "guid": "t-2", "link": feed_server.url("/t/2.html"),
         "description": "Fares stay put.", "published": NOW},
    ]))
    assert main(["--config", str(service), "poll"]) == 0
    assert main(["--config", str(service), "digest", "--now"]) == 0
    assert len(smtp_server.messages) == 3
    latest = body(smtp_server.messages[-1], "plain")
    assert "Rail fares frozen" in latest
    assert "Railway strike called off" not in latest
    assert str(smtp_server.messages[-1]["To"]).endswith("commuter@example.org>") or str(
        smtp_server.messages[-1]["To"]) == "commuter@example.org"


def test_dry_run_prints_the_digest_and_sends_nothing(
    service: Path, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--config", str(service), "poll"]) == 0
    capsys.readouterr()
    assert main(["--config", str(service), "digest", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Labour rebels grow against welfare bill" in out
    assert "Subject: welfare-bill:" in out and "To: reader@example.org" in out
    assert "nothing was sent" in out
    assert smtp_server.messages == []
    assert main(["--config", str(service), "digest", "--now"]) == 0
    assert len(smtp_server.messages) == 2


def test_scheduled_digest_goes_out_once_a_day(service: Path, smtp_server: SmtpServer) -> None:
    assert main(["--config", str(service), "poll"]) == 0
    from alerts.config import load_config
    from alerts.digest import send_digests
    from alerts.store import Store

    config = load_config(service, {})
    store = Store(config.storage_url)
    assert send_digests(config, store).sent == 2
    assert send_digests(config, store).built == 0
    [edition] = store.editions("welfare-bill")  # the day's news, kept for the web archive
    assert "Labour rebels grow against welfare bill" in edition.html
    store.close()
    assert len(smtp_server.messages) == 2


def test_smtp_outage_keeps_the_digest_for_the_next_run(
    service: Path, smtp_server: SmtpServer,
) -> None:
    assert main(["--config", str(service), "poll"]) == 0
    smtp_server.fail_next("rcpt", 451, times=6)  # every retry of both digests
    assert main(["--config", str(service), "digest", "--now"]) == 1
    assert smtp_server.messages == []
    assert main(["--config", str(service), "digest", "--now"]) == 0
    assert len(smtp_server.messages) == 2


def alerts_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "alerts.cli", *args]


def test_the_commands_a_user_runs_deliver_exactly_once(
    service: Path, smtp_server: SmtpServer,
) -> None:
    env = {**os.environ, "ALERTS_CONFIG": str(service)}
    for _ in range(2):
        for command in (["poll"], ["digest", "--now"]):
            done = subprocess.run(alerts_command(*command), env=env, capture_output=True,
                                  text=True, timeout=60, check=False)
            assert done.returncode == 0, done.stderr
    assert sorted(by_recipient(smtp_server.messages)) == ["commuter@example.org",
                                                          "reader@example.org"]
    assert len(smtp_server.messages) == 2


def test_run_polls_at_once_and_stops_cleanly_on_sigterm(
    service: Path, feed_server: FeedServer,
) -> None:
    process = subprocess.Popen(alerts_command("--config", str(service), "run"),
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while feed_server.count("/politics.xml") == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert feed_server.count("/politics.xml") == 1
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "service.stopped" in stderr
    assert "Traceback" not in stderr


def wait_for(predicate: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_running_service_applies_config_edits_and_keeps_the_last_good_one(
    service: Path, feed_server: FeedServer, tmp_path: Path,
) -> None:
    log = tmp_path / "service.log"
    good = service.read_text("utf-8")
    with log.open("w") as stderr:
        process = subprocess.Popen(alerts_command("--config", str(service), "run"),
                                   stderr=stderr, text=True)
        try:
            assert wait_for(lambda: feed_server.count("/politics.xml") == 1)
            found = re.search(r"web.listening url=(\S+)", log.read_text())
            assert found is not None
            health = f"{found.group(1)}/healthz"
            assert httpx.get(health).json()["config"]["error"] is None
            service.write_text(good.replace("[[subscribers]]", "[[subscriber]]", 1), "utf-8")
            assert wait_for(lambda: "config.rejected" in log.read_text())
            answer = httpx.get(health).json()
            assert "subscriber" in answer["config"]["error"]
            assert answer["status"] == "degraded"
            service.write_text(good.replace('[mail]', '[schedule]\npoll_every = "10s"\n\n[mail]'),
                               "utf-8")
            assert wait_for(lambda: "config.reloaded" in log.read_text())
            # the service reschedules after the reload is logged: wait for it, do not race it
            assert wait_for(lambda: "schedule.changed" in log.read_text())
            assert wait_for(lambda: feed_server.count("/politics.xml") == 2, seconds=30)
            assert process.poll() is None
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert "subscribers" in log.read_text()
    assert process.returncode == 0


def test_a_passing_smtp_refusal_is_retried_within_the_run(
    service: Path, smtp_server: SmtpServer,
) -> None:
    assert main(["--config", str(service), "poll"]) == 0
    smtp_server.fail_next("rcpt", 421)
    assert main(["--config", str(service), "digest", "--now"]) == 0
    assert len(smtp_server.messages) == 2


def test_an_address_refused_permanently_is_marked_failing_after_three_digests(
    service: Path, smtp_server: SmtpServer, feed_server: FeedServer,
) -> None:
    from alerts.config import load_config
    from alerts.store import Store

    assert main(["--config", str(service), "poll"]) == 0  # both readers' first digests go out
    assert main(["--config", str(service), "digest", "--now"]) == 0
    for n in range(3):  # then only the commuter has news, and the server refuses it each time
        feed_server.add("/transport.xml", make_rss([
            {"title": f"Railway news {n}", "guid": f"rail-{n}",
             "link": feed_server.url(f"/t/{n}.html"), "description": "Trains.",
             "published": NOW},
        ]))
        assert main(["--config", str(service), "poll"]) == 0
        smtp_server.fail_next("rcpt", 550)
        assert main(["--config", str(service), "digest", "--now"]) == 1
    store = Store(load_config(service, {}).storage_url)
    refused = [r for r in ("commuter@example.org", "reader@example.org")
               if (record := store.subscriber(r)) is not None and record.status == "failing"]
    assert refused == ["commuter@example.org"]
    assert store.digest_counts().get("failed") == 3
    store.close()


def test_an_article_page_can_bring_it_into_a_further_watch(
    service: Path, feed_server: FeedServer, smtp_server: SmtpServer,
) -> None:
    feed_server.add("/a/strike.html", page("PIP and the trains",
                                           "The welfare bill vote clashes with a railway strike."))
    feed_server.add("/politics.xml", make_rss([
        {"title": "PIP vote timetable set", "guid": "p-1",
         "link": feed_server.url("/a/strike.html"), "description": "MPs will vote next week.",
         "published": NOW},
    ]))
    assert main(["--config", str(service), "poll"]) == 0
    assert main(["--config", str(service), "digest", "--now"]) == 0
    commuter = body(by_recipient(smtp_server.messages)["commuter@example.org"], "plain")
    rail = commuter.split("RAIL\n")[1].split("WELFARE-BILL\n")[0]  # the rail watch's section
    assert "PIP vote timetable set" in rail
