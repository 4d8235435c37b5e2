"""The operator's daily summary: broken feeds and failed deliveries, once a day, to config."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from alerts.live import LiveConfig
from alerts.operator import operator_report, render_operator
from alerts.render import make_environment
from alerts.service import Service
from alerts.store import FeedState, Store
from tests.smtpserver import SmtpServer
from tests.test_config import MINIMAL, write

NOW = datetime(2025, 7, 1, 7, 0, tzinfo=UTC)


def feed(url: str, failures: int = 0, disabled: str | None = None) -> FeedState:
    return FeedState(url=url, name=url.split("/")[2], etag=None, last_modified=None,
                     last_attempt=NOW, last_success=None,
                     last_error="HTTP 500" if failures else None, failures=failures, articles=0,
                     disabled=disabled)


def test_no_report_when_nothing_is_wrong() -> None:
    assert operator_report(date(2025, 7, 1), [feed("https://ok.example/rss")], {"sent": 3},
                           {"active": 2}) is None


def test_report_lists_failing_and_disabled_feeds_and_failed_deliveries() -> None:
    report = operator_report(
        date(2025, 7, 1),
        [feed("https://ok.example/rss"), feed("https://down.example/rss", failures=3),
         feed("https://gone.example/rss", failures=1, disabled="HTTP 410 Gone")],
        {"failed": 2, "pending": 1}, {"failing": 1},
    )
    assert report is not None and report.problems == 5
    rendered = render_operator(make_environment(), report)
    assert rendered.subject == "alerts: 5 problems on 2025-07-01 · 1 feed disabled"
    assert "down.example: 3 failures in a row" in rendered.text
    assert "HTTP 410 Gone" in rendered.text and "HTTP 410 Gone" in rendered.html
    assert "2 digests refused permanently" in rendered.text


def test_the_service_mails_the_summary_to_operators_once_a_day(
    tmp_path: Path, smtp_server: SmtpServer,
) -> None:
    text = MINIMAL + f"""
[operator]
emails = ["ops@example.org"]
[mail]
host = "{smtp_server.host}"
port = {smtp_server.port}
[storage]
url = "sqlite:///{tmp_path / 'a.db'}"
[web]
enabled = false
"""
    live = LiveConfig(write(tmp_path, text), {})
    store = Store(live.current.storage_url)
    store.sync_feeds(live.current.feeds)
    store.record_failure(live.current.feeds[0].url, NOW, "HTTP 503 Service Unavailable")
    for _ in range(2):
        Service(live, store).operator_summary(live.current)
    [summary] = smtp_server.messages
    assert str(summary["To"]) == "ops@example.org"
    assert "HTTP 503" in summary.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    store.close()
