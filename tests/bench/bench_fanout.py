"""Fan-out benchmark: 10,000 personalised digests through deliver() vs a bare smtplib client.

    .venv/bin/python tests/bench/bench_fanout.py [--messages 10000] [--connections 4]

A lean aiosmtpd server in its own process only counts what it receives, so the client side is
what is measured. "ours" renders each watch set once, fills in every subscriber's address and
unsubscribe link, writes the wire bytes and sends them over a few connections with deliver();
"bare" sends already-built messages one after another over one smtplib connection. Not
collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import smtplib
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiosmtpd.controller import Controller

from alerts.delivery import Job, deliver
from alerts.mail import SmtpTransport, message_bytes
from alerts.models import Digest, DigestArticle, Source, WatchDigest
from alerts.render import (
    RenderedSections,
    make_environment,
    render_digest_from,
    render_sections,
)
from tests.test_render import welfare_digest

SENDER = "Daily Alerts <alerts@alerts.example>"
DAY = date(2025, 6, 25)


# --- the server: counts messages and bytes, nothing else --------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 OK"


class _Controller(Controller):
    """aiosmtpd's controller on a port that several processes share (SO_REUSEPORT)."""

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, host=self.hostname,
                                       port=self.port, reuse_port=True)

    def _trigger_server(self) -> None:
        # No test connection: with a shared port it may reach another process. Readiness is
        # the listening socket itself; the factory is checked by the first real connection.
        listening = cast(asyncio.Server, self.server)
        self.port = listening.sockets[0].getsockname()[1]
        self.smtpd = self.factory()  # type: ignore[no-untyped-call]
        self._factory_invoked.set()


def _serve(pipe: Connection, port: int) -> None:
    counter = _Counter()
    controller = _Controller(counter, hostname="127.0.0.1", port=port, ready_timeout=5.0)
    controller.start()
    pipe.send(controller.port)
    while pipe.recv() == "count":
        pipe.send((counter.messages, counter.bytes))
    controller.stop()


@dataclass
class Server:
    """Server processes sharing one port (SO_REUSEPORT): the kernel spreads the connections."""

    port: int
    pipes: list[Connection]
    processes: list[multiprocessing.process.BaseProcess]

    def count(self) -> tuple[int, int]:
        for pipe in self.pipes:
            pipe.send("count")
        counts = [cast(tuple[int, int], pipe.recv()) for pipe in self.pipes]
        return sum(c[0] for c in counts), sum(c[1] for c in counts)

    def stop(self) -> None:
        for pipe in self.pipes:
            pipe.send("stop")
        for process in self.processes:
            process.join(10)


def start_server(processes: int) -> Server:
    server = Server(0, [], [])
    for _ in range(processes):
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(theirs, server.port), daemon=True)
        process.start()
        if not ours.poll(20):
            raise RuntimeError("the benchmark's SMTP server process did not start")
        server.port = ours.recv()
        server.pipes.append(ours)
        server.processes.append(process)
    return server


# --- realistic digests: five watch sets ---------------------------------------------------------


def watch_sets() -> list[tuple[WatchDigest, ...]]:
    welfare = welfare_digest().sections[0]
    seen = datetime(2025, 6, 25, 6, 30, tzinfo=UTC)
    papers = tuple(Source(f"Regional Paper {n}", "Carers allowance overpayments",
                          f"https://paper{n}.example/carers", seen) for n in range(12))
    carers = WatchDigest("Carer's Allowance", articles=tuple(
        DigestArticle(f"Carers face repayment demands, case {n}", f"https://news.example/c/{n}",
                      "BBC News", seen, "Thousands of unpaid carers were told to repay money "
                      "after earning slightly over the weekly limit, a review found.",
                      also=papers[: n + 2])
        for n in range(6)))
    pip = replace(welfare, watch="PIP changes", counts=welfare.counts[:1])
    housing = WatchDigest("Housing benefit", articles=welfare.articles[:1])
    return [(welfare,), (welfare, pip), (carers,), (welfare, carers, housing), (pip, housing)]


def subscribers(count: int, variants: int) -> list[tuple[str, int]]:
    return [(f"reader{n:05d}@example.org", n % variants) for n in range(count)]


# --- the two clients --------------------------------------------------------------------------


def personalised_jobs(shared: Sequence[RenderedSections], people: list[tuple[str, int]],
                      when: datetime) -> Iterator[Job]:
    """Each subscriber's digest from their watch set's shared rendering, built when asked for."""
    for number, (address, variant) in enumerate(people):
        url = f"https://alerts.example/unsubscribe/{address}/3f9c2a7be1d04c55"
        email = render_digest_from(shared[variant], Digest(address, DAY), unsubscribe_url=url)
        data = message_bytes(email, sender=SENDER, recipient=address, unsubscribe_url=url,
                             date=when)
        yield Job(number, address, data)


def ours(server: Server, count: int, connections: int, *, lazily: bool) -> tuple[float, int]:
    """Seconds to render, build and send every digest; messages sent.

    ``lazily``: messages are built as the connections ask for them (building overlaps with
    waiting for the server), else all are built first and then sent.
    """
    started = time.perf_counter()
    env = make_environment()
    shared = [render_sections(env, sections, DAY) for sections in watch_sets()]
    jobs: Iterable[Job] = personalised_jobs(shared, subscribers(count, len(shared)),
                                            datetime.now(UTC))
    if not lazily:
        jobs = list(jobs)
    outcomes = deliver(jobs, lambda: SmtpTransport("127.0.0.1", server.port),
                       connections=connections)
    return time.perf_counter() - started, sum(o.sent for o in outcomes)


def bare(server: Server, messages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", server.port) as smtp:
        for recipient, data in messages:
            smtp.sendmail("alerts@alerts.example", [recipient], data)
    return time.perf_counter() - started


def prebuilt(count: int) -> list[tuple[str, bytes]]:
    env = make_environment()
    shared = [render_sections(env, sections, DAY) for sections in watch_sets()]
    jobs = personalised_jobs(shared, subscribers(count, len(shared)), datetime.now(UTC))
    return [(job.recipient, job.message) for job in jobs]


def received(server: Server, run: Callable[[], object]) -> int:
    """How many messages the server received while ``run`` ran."""
    before = server.count()[0]
    run()
    return server.count()[0] - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--servers", type=int, default=1, help="server processes on the port")
    args = parser.parse_args()
    count, connections = args.messages, args.connections
    server = start_server(args.servers)
    times: dict[str, float] = {}
    try:
        messages = prebuilt(count)
        size = sum(len(data) for _, data in messages) / len(messages)
        print(f"{count} messages, {size / 1024:.1f} KiB each on average, 5 watch-set variants, "
              f"{args.servers} server process(es) on 127.0.0.1:{server.port}")

        def run_bare() -> None:
            times["bare"] = bare(server, messages)

        def run_ours(lazily: bool) -> None:
            times["lazy" if lazily else "eager"], sent = ours(server, count, connections,
                                                              lazily=lazily)
            assert sent == count

        assert received(server, run_bare) == count
        assert received(server, lambda: run_ours(lazily=True)) == count
        assert received(server, lambda: run_ours(lazily=False)) == count
    finally:
        server.stop()
    rows = [
        ("bare smtplib, 1 connection, messages pre-built", times["bare"]),
        (f"ours, deliver(), {connections} connections, render+build+send", times["lazy"]),
        (f"ours, deliver(), {connections} connections, build all first, then send",
         times["eager"]),
    ]
    for label, seconds in rows:
        print(f"{label:<68} {count / seconds:7.0f} msg/s  ({seconds:.2f} s)")


if __name__ == "__main__":
    main()
