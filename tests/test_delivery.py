"""Sending many digests over a few SMTP connections to a real server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alerts.delivery import Job, Outcome, deliver
from alerts.mail import OutboxTransport, SmtpTransport, message_bytes
from alerts.models import RenderedEmail
from tests.smtpserver import SmtpServer, smtp_server

__all__ = ["smtp_server"]  # the fixture, imported for pytest

SENDER = "Daily Alerts <alerts@alerts.example>"
DIGEST = RenderedEmail("Welfare bill: 3 new articles", "Three new articles.\n",
                       "<p>Three new articles.</p>\n")


def job(number: int, recipient: str | None = None) -> Job:
    address = recipient or f"reader{number}@example.org"
    data = message_bytes(DIGEST, sender=SENDER, recipient=address,
                         unsubscribe_url=f"https://alerts.example/u/{number}")
    return Job(id=number, recipient=address, message=data)


class Transports:
    """make_transport for deliver(): SMTP transports to the test server, counted."""

    def __init__(self, server: SmtpServer) -> None:
        self.server, self.made = server, 0
        self._lock = threading.Lock()

    def __call__(self) -> SmtpTransport:
        with self._lock:
            self.made += 1
        return SmtpTransport(self.server.host, self.server.port, timeout=5)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_every_job_is_sent_once_over_a_few_connections(smtp_server: SmtpServer) -> None:
    jobs = [job(n) for n in range(40)]
    transports = Transports(smtp_server)
    outcomes = deliver(jobs, transports, connections=4)
    assert [o.job_id for o in outcomes] == list(range(40))
    assert all(o.sent and o.attempts == 1 for o in outcomes)
    received = sorted(r.rcpt_tos[0] for r in smtp_server.received)
    assert received == sorted(j.recipient for j in jobs)
    assert transports.made == 4
    assert 1 <= smtp_server.connections <= 4
    assert {r.mail_from for r in smtp_server.received} == {"alerts@alerts.example"}


def test_a_temporary_refusal_is_retried_after_the_backoff(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next("rcpt", 451, times=2)
    sleeps = Sleeps()
    (outcome,) = deliver([job(1)], Transports(smtp_server), sleep=sleeps, backoff=(1, 4, 16))
    assert outcome == Outcome(1, "reader1@example.org", sent=True, attempts=3)
    assert sleeps == [1, 4]
    assert len(smtp_server.received) == 1


def test_a_permanent_refusal_is_not_retried(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next("rcpt", 550)
    sleeps = Sleeps()
    first, second = deliver([job(1), job(2)], Transports(smtp_server), connections=1,
                            sleep=sleeps)
    assert (first.sent, first.permanent, first.attempts) == (False, True, 1)
    assert first.reason.startswith("SMTP 550")
    assert second.sent
    assert sleeps == []
    assert [r.rcpt_tos for r in smtp_server.received] == [("reader2@example.org",)]


def test_temporary_refusals_give_up_after_the_retries(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next("data", 452, times=4)
    sleeps = Sleeps()
    (outcome,) = deliver([job(1)], Transports(smtp_server), retries=3, sleep=sleeps)
    assert (outcome.sent, outcome.permanent, outcome.attempts) == (False, False, 4)
    assert outcome.reason.startswith("SMTP 452")
    assert sleeps == [1, 4, 16]
    assert smtp_server.received == []


def test_the_last_backoff_repeats_when_there_are_more_retries(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next("rcpt", 421, times=5)
    sleeps = Sleeps()
    (outcome,) = deliver([job(1)], Transports(smtp_server), retries=5, backoff=(2, 8),
                         sleep=sleeps)
    assert outcome.sent and outcome.attempts == 6
    assert sleeps == [2, 8, 8, 8, 8]


def test_outcomes_are_reported_on_the_calling_thread_as_they_happen(
    smtp_server: SmtpServer,
) -> None:
    seen: list[tuple[int, str]] = []

    def record(outcome: Outcome) -> None:
        seen.append((outcome.job_id, threading.current_thread().name))

    outcomes = deliver([job(n) for n in range(12)], Transports(smtp_server), connections=3,
                       on_outcome=record)
    assert sorted(job_id for job_id, _ in seen) == list(range(12))
    assert {name for _, name in seen} == {threading.current_thread().name}
    assert len(outcomes) == 12


def test_an_unreachable_server_fails_every_job_without_raising() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before anyone connects: nothing listens
    sleeps = Sleeps()
    outcomes = deliver([job(1), job(2)], lambda: SmtpTransport("127.0.0.1", port, timeout=2),
                       retries=1, sleep=sleeps)
    assert [(o.sent, o.permanent, o.attempts) for o in outcomes] == [(False, False, 2)] * 2
    assert "cannot deliver through 127.0.0.1" in outcomes[0].reason


def test_a_transport_that_cannot_be_made_is_raised_after_the_others_finish(
    smtp_server: SmtpServer,
) -> None:
    transports = Transports(smtp_server)
    calls = iter(range(100))

    def flaky() -> SmtpTransport:
        if next(calls) == 0:
            raise RuntimeError("no transport today")
        return transports()

    reported: list[Outcome] = []
    with pytest.raises(RuntimeError, match="no transport today"):
        deliver([job(n) for n in range(10)], flaky, connections=2, on_outcome=reported.append)
    assert sorted(o.job_id for o in reported) == list(range(10))
    assert len(smtp_server.received) == 10


def test_an_error_in_the_callback_stops_the_run(smtp_server: SmtpServer) -> None:
    def explode(outcome: Outcome) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        deliver([job(n) for n in range(50)], Transports(smtp_server), connections=2,
                on_outcome=explode)
    assert len(smtp_server.received) < 50


def test_no_jobs_make_no_connection(smtp_server: SmtpServer) -> None:
    transports = Transports(smtp_server)
    assert deliver([], transports) == []
    assert transports.made == 0


def test_a_job_may_name_its_own_bounce_address(smtp_server: SmtpServer) -> None:
    bounce = Job(7, "reader7@example.org", job(7).message, sender="bounces@alerts.example")
    deliver([bounce], Transports(smtp_server))
    assert smtp_server.received[0].mail_from == "bounces@alerts.example"


def test_the_outbox_folder_works_as_a_transport_too(tmp_path: Path) -> None:
    outcomes = deliver([job(n) for n in range(3)], lambda: OutboxTransport(tmp_path))
    assert all(o.sent for o in outcomes)
    assert len(list(tmp_path.glob("*.eml"))) == 3


def test_jobs_may_be_built_while_others_are_sent(smtp_server: SmtpServer) -> None:
    built: list[int] = []

    def lazily() -> Iterator[Job]:
        for number in range(20):
            built.append(number)
            yield job(number)

    outcomes = deliver(lazily(), Transports(smtp_server), connections=3)
    assert [o.job_id for o in outcomes] == built == list(range(20))
    assert len(smtp_server.received) == 20


def test_an_error_while_building_jobs_is_raised_after_what_was_sent(
    smtp_server: SmtpServer,
) -> None:
    def broken() -> Iterator[Job]:
        yield job(1)
        raise ValueError("not an email address: 'nobody'")

    reported: list[Outcome] = []
    with pytest.raises(ValueError, match="not an email address"):
        deliver(broken(), Transports(smtp_server), connections=2, on_outcome=reported.append)
    assert [o.job_id for o in reported] == [1]
    assert len(smtp_server.received) == 1
