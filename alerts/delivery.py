"""Sending many messages fast and safely: a few SMTP connections at once, retries with backoff.

    outcomes = deliver(jobs, lambda: SmtpTransport(host, port), connections=4,
                       on_outcome=record)  # record() runs on the calling thread, as each ends

Each of ``connections`` threads opens one transport (one SMTP connection) and sends job after job
over it. A temporary refusal (SMTP 4xx, a dropped or refused connection) is tried again after
``backoff`` seconds, up to ``retries`` more times; a permanent one (SMTP 5xx) is not. Every job
ends as one :class:`Outcome`; a failing recipient never stops the others.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from types import TracebackType
from typing import Protocol, Self

from alerts.errors import SendError


@dataclass(frozen=True)
class Job:
    """One message to send: ``message`` is in wire form (see ``alerts.mail.message_bytes``).

    ``sender`` is the envelope sender (bounce address); by default the message's From address.
    """

    id: int
    recipient: str
    message: bytes
    sender: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How a job ended: ``sent``, or failed with ``reason`` (``permanent`` for SMTP 5xx)."""

    job_id: int
    recipient: str
    sent: bool
    attempts: int
    permanent: bool = False
    reason: str = ""


class ByteTransport(Protocol):
    """A connection that sends wire-form messages; as a context manager it stays open."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

    def send_bytes(self, message: bytes, *, recipient: str, sender: str | None = None) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    retries: int
    backoff: Sequence[float]
    sleep: Callable[[float], None]

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return self.backoff[min(attempt, len(self.backoff)) - 1] if self.backoff else 0.0


def deliver(
    jobs: Iterable[Job],
    make_transport: Callable[[], ByteTransport],
    *,
    connections: int = 4,
    retries: int = 3,
    backoff: Sequence[float] = (1, 4, 16),
    sleep: Callable[[float], None] = time.sleep,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Send every job; the outcomes come back in the order of ``jobs``.

    ``jobs`` may be a lazy iterable (a generator that builds each message when it is asked for):
    building then overlaps with waiting for the server. ``on_outcome`` is called on the calling
    thread as soon as each job ends, so the caller can record a sent message at once (a crash
    later must not send it again). If a transport cannot be made, the other connections carry
    on and the error is raised once they are done, every outcome reported first (a job without
    one was not sent). If ``on_outcome`` or the ``jobs`` iterable raises, the threads stop after
    their current message and the error is raised.
    """
    todo = _Queue(jobs)
    if isinstance(jobs, Sequence):
        if not jobs:
            return []
        connections = min(connections, len(jobs))
    done: queue.SimpleQueue[_Report] = queue.SimpleQueue()
    stop = threading.Event()
    policy = RetryPolicy(retries, tuple(backoff), sleep)
    threads = [
        threading.Thread(target=_work, args=(todo, done, stop, make_transport, policy),
                         name=f"deliver-{n}", daemon=True)
        for n in range(max(1, connections))
    ]
    for thread in threads:
        thread.start()
    try:
        outcomes = _collect(done, len(threads), on_outcome)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return [outcomes[index] for index in range(len(outcomes))]


def send_with_retries(job: Job, transport: ByteTransport, policy: RetryPolicy) -> Outcome:
    """Send one job, trying a temporary failure again after the policy's delays."""
    for attempt in count(1):
        try:
            transport.send_bytes(job.message, recipient=job.recipient, sender=job.sender)
        except SendError as error:
            if error.permanent or attempt > policy.retries:
                return Outcome(job.id, job.recipient, sent=False, attempts=attempt,
                               permanent=error.permanent, reason=error.reason)
            policy.sleep(policy.delay(attempt))
        else:
            return Outcome(job.id, job.recipient, sent=True, attempts=attempt)
    raise AssertionError("unreachable")  # pragma: no cover


_Report = tuple[int, Outcome] | BaseException | None  # None: a thread has finished


class _Queue:
    """The jobs, numbered, handed out one at a time to whichever thread asks."""

    def __init__(self, jobs: Iterable[Job]) -> None:
        self._jobs: Iterator[tuple[int, Job]] = enumerate(jobs)
        self._lock = threading.Lock()

    def take(self) -> tuple[int, Job] | None:
        with self._lock:
            return next(self._jobs, None)


def _work(
    todo: _Queue,
    done: queue.SimpleQueue[_Report],
    stop: threading.Event,
    make_transport: Callable[[], ByteTransport],
    policy: RetryPolicy,
) -> None:
    try:
        with make_transport() as transport:
            while not stop.is_set() and (item := todo.take()) is not None:
                index, job = item
                done.put((index, send_with_retries(job, transport, policy)))
    except BaseException as error:  # reported to the calling thread, which raises it
        done.put(error)
    finally:
        done.put(None)


def _collect(
    done: queue.SimpleQueue[_Report],
    threads: int,
    on_outcome: Callable[[Outcome], None] | None,
) -> dict[int, Outcome]:
    """Every outcome as it arrives, until every thread has finished; then the first error."""
    outcomes: dict[int, Outcome] = {}
    errors: list[BaseException] = []
    while threads:
        item = done.get()
        if item is None:
            threads -= 1
        elif isinstance(item, BaseException):
            errors.append(item)
        else:
            outcomes[item[0]] = item[1]
            if on_outcome is not None:
                on_outcome(item[1])
    if errors:
        raise errors[0]
    return outcomes
