"""The operator's daily summary: which feeds are failing or disabled, which deliveries failed.
Pure: the service reads the store and sends the message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import jinja2

from alerts.models import RenderedEmail
from alerts.store import FeedState


@dataclass(frozen=True)
class OperatorReport:
    day: date
    failing: tuple[FeedState, ...]
    disabled: tuple[FeedState, ...]
    failed_digests: int
    pending_digests: int
    failing_subscribers: int

    @property
    def problems(self) -> int:
        return (len(self.failing) + len(self.disabled) + self.failed_digests
                + self.failing_subscribers)


def operator_report(day: date, feeds: Sequence[FeedState], digests: Mapping[str, int],
                    subscribers: Mapping[str, int]) -> OperatorReport | None:
    """The day's report, or None when there is nothing the operator needs to act on."""
    report = OperatorReport(
        day=day,
        failing=tuple(f for f in feeds if f.failures and not f.disabled),
        disabled=tuple(f for f in feeds if f.disabled),
        failed_digests=digests.get("failed", 0),
        pending_digests=digests.get("pending", 0),
        failing_subscribers=subscribers.get("failing", 0),
    )
    return report if report.problems else None


def render_operator(env: jinja2.Environment, report: OperatorReport) -> RenderedEmail:
    subject = env.get_template("operator.subject.txt").render(report=report)
    return RenderedEmail(
        subject=" ".join(subject.split()),
        text=env.get_template("operator.txt").render(report=report),
        html=env.get_template("operator.html").render(report=report),
    )
