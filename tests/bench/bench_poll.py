"""Poll and digest benchmark: `alerts` against rss2email on the same loopback feeds.

    .venv/bin/pip install -e '.[bench]'    # rss2email, beside alerts
    .venv/bin/python tests/bench/bench_poll.py [--feeds 200] [--entries 30] [--latency 100]
        [--new 3] [--hosts 1] [--scales 100,1000,5000] [--no-rss2email] [--write]

A lean asyncio feed server (ETag / 304, an artificial latency before every answer, feeds spread
over ``--hosts`` loopback addresses 127.0.0.x) and a lean aiosmtpd server that only counts run
in this process. Each tool runs as its real command in a child process with its own temporary
folder: ``alerts poll`` then ``alerts digest --now`` (pages = false, web disabled, one
subscriber), and ``r2e run`` (digest mode, SMTP to the loopback server, one address). Each does
a first cycle (every entry new), a changed cycle (``--new`` entries added to every feed) and an
unchanged cycle (every conditional GET answered 304). Wall time, CPU (user + sys of the child
and its reaped children, from wait4), peak memory (the larger of the biggest process's max RSS
and the sampled PSS sum of the process tree) and emails received are measured per cycle.

``alerts`` alone: the same cycles at each of ``--scales`` feeds, CPU per unchanged feed (the
slope between scales), start-up time, extraction throughput on 5 KB articles and the
10,000-subscriber fan-out of tests/bench/bench_fanout.py. ``--write`` puts the table in
BENCHMARKS.md. Not collected by pytest: the file name does not start with test_.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PYCACHE = Path(tempfile.gettempdir()) / "alerts-bench-pycache"
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

EPOCH = datetime(2025, 6, 25, 6, 0, tzinfo=UTC)
TOPICS = (
    "Council approves a new cycle lane on the high street",
    "Local library extends its weekend opening hours",
    "Harbour repairs finish two weeks ahead of schedule",
)
WELFARE = (
    "{n} Labour MPs have now signed the amendment to the welfare bill, organisers of the revolt "
    "said on {day}. \u201cWe cannot vote for cuts that push disabled people into poverty,\u201d "
    "said one of the signatories, the MP for a northern seat."
)
FILLER = (
    "The item number {k} of this feed describes ordinary local news at some length, so that the "
    "summary is about as long as a real one: who spoke, what was decided and what happens next."
)


# --- the feed site: N feeds of E entries, each cycle adds `new` entries to every feed ----------

@dataclass
class FeedSite:
    feeds: int
    entries: int
    new: int
    latency: float
    hosts: int
    generation: int = 0
    answers: dict[int, int] = field(default_factory=dict)

    def url(self, port: int, index: int) -> str:
        return f"http://127.0.0.{2 + index % self.hosts}:{port}/feed/{index}.xml"

    def etag(self, index: int) -> str:
        return f'"f{index}-g{self.generation}"'

    def answer(self, target: str, if_none_match: str | None) -> tuple[int, bytes, str]:
        match = re.fullmatch(r"/feed/(\d+)\.xml", target)
        if match is None or int(match[1]) >= self.feeds:
            return 404, b"not found", ""
        index = int(match[1])
        etag = self.etag(index)
        status = 304 if if_none_match == etag else 200
        self.answers[status] = self.answers.get(status, 0) + 1
        return status, b"" if status == 304 else self.rss(index), etag

    def rss(self, index: int) -> bytes:
        newest = self.generation * self.new + self.entries - 1
        items = "".join(self.item(index, k) for k in range(newest, newest - self.entries, -1))
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Loopback Outlet {index}</title><link>http://outlet{index}.test/</link>"
            f"<description>Bench feed {index}</description>{items}</channel></rss>"
        ).encode()

    def item(self, index: int, k: int) -> str:
        when = EPOCH + timedelta(minutes=k)
        if (index + k) % 10 == 0:
            title = f"Welfare bill revolt grows: report {k} from outlet {index}"
            text = WELFARE.format(n=40 + k % 90, day=when.strftime("%A"))
        else:
            title = f"{TOPICS[(index + k) % len(TOPICS)]} ({index}.{k})"
            text = FILLER.format(k=k)
        return (
            f"<item><title>{title}</title><link>http://outlet{index}.test/story/{k}</link>"
            f'<guid isPermaLink="false">outlet{index}-story{k}</guid>'
            f"<pubDate>{format_datetime(when)}</pubDate><description>{text}</description></item>"
        )


async def _serve_http(site: FeedSite, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            target = head[0].split(" ")[1]
            headers = {k.strip().lower(): v.strip() for k, _, v in
                       (line.partition(":") for line in head[1:] if line)}
            await asyncio.sleep(site.latency)
            status, body, etag = site.answer(target, headers.get("if-none-match"))
            reason = {200: "OK", 304: "Not Modified"}.get(status, "Not Found")
            close = headers.get("connection", "").lower() == "close"
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/rss+xml; charset=utf-8"
                f"\r\nContent-Length: {len(body)}\r\nETag: {etag}\r\n"
                f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n".encode() + body)
            await writer.drain()
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError, IndexError):
        pass
    finally:
        writer.close()


@contextmanager
def feed_server(site: FeedSite) -> Iterator[int]:
    """Serve ``site`` on 127.0.0.2 ... 127.0.0.(hosts+1), one port; yields the port."""
    loop = asyncio.new_event_loop()
    ready: list[int] = []

    async def start() -> list[asyncio.Server]:
        def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> Any:
            return _serve_http(site, r, w)
        servers = [await asyncio.start_server(handle, "127.0.0.2", 0, backlog=4096)]
        ready.append(servers[0].sockets[0].getsockname()[1])
        for h in range(1, site.hosts):
            servers.append(await asyncio.start_server(handle, f"127.0.0.{2 + h}", ready[0],
                                                      backlog=4096))
        return servers

    servers = loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield ready[0]
    finally:
        for server in servers:
            loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)


class _Counter:
    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 OK"


class _Controller(Controller):
    def _trigger_server(self) -> None:
        self.port = cast(asyncio.Server, self.server).sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@contextmanager
def smtp_server() -> Iterator[tuple[_Counter, int]]:
    counter = _Counter()
    controller = _Controller(counter, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield counter, int(controller.port)
    finally:
        controller.stop()


# --- measuring one child process ----------------------------------------------------------------

@dataclass
class Usage:
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    emails: int = 0

    def plus(self, other: Usage) -> Usage:
        return Usage(self.wall + other.wall, self.cpu + other.cpu,
                     max(self.peak_mb, other.peak_mb), self.emails + other.emails)


def _tree_pss_kb(root: int) -> int:
    """The PSS of ``root`` and every descendant (shared pages counted once overall)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M)[1])  # type: ignore[index]
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except (OSError, TypeError):
            continue
        todo.extend(int(c) for c in children)
    return total


def child_environment(**extra: str) -> dict[str, str]:
    """The children's environment: bytecode cached (in a folder of its own, outside the tree) as
    an installed package has it, whatever PYTHONDONTWRITEBYTECODE says here."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(PYCACHE), **extra}


def warm_bytecode_cache() -> None:
    """Compile both tools' modules once, so that no measured run pays for it."""
    code = ("import pkgutil, importlib, alerts, rss2email\n"
            "for pkg in (alerts, rss2email):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        try:\n"
            "            importlib.import_module(m.name)\n"
            "        except ImportError:\n"
            "            pass  # an optional extra (rss2email's prettify needs bs4)\n")
    subprocess.run([sys.executable, "-c", code], env=child_environment(), check=True,
                   cwd=ROOT, capture_output=True)


def run_child(argv: Sequence[str], env: dict[str, str], log: Path) -> Usage:
    """Run ``argv`` to the end; its wall time, CPU (with its reaped children) and peak memory."""
    start = time.perf_counter()
    with log.open("ab") as out:
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=out)
    peak_kb = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak_kb[0] = max(peak_kb[0], _tree_pss_kb(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {child.returncode}; see {log}")
    peak_mb = max(usage.ru_maxrss, peak_kb[0]) / 1024
    return Usage(wall, usage.ru_utime + usage.ru_stime, peak_mb)


# --- the two tools ------------------------------------------------------------------------------

Cycle = Callable[[], Usage]


def alerts_config(folder: Path, site: FeedSite, port: int, smtp_port: int) -> Path:
    feeds = "".join(f'[[feeds]]\nname = "Outlet {i}"\nurl = "{site.url(port, i)}"\n\n'
                    for i in range(site.feeds))
    path = folder / "alerts.toml"
    path.write_text(f"""
[mail]
host = "127.0.0.1"
port = {smtp_port}
from = "Alerts <alerts@bench.test>"

[storage]
url = "sqlite:///{folder / 'alerts.db'}"

[fetch]
allow_private = true
pages = false

[web]
enabled = false

{feeds}
[[watches]]
name = "welfare-bill"
any = ["welfare bill"]

[[subscribers]]
email = "reader@bench.test"
watches = ["welfare-bill"]
""", "utf-8")
    return path


def alerts_cycle(folder: Path, config: Path, smtp: _Counter) -> Cycle:
    env = child_environment(ALERTS_CONFIG=str(config))
    log = folder / "alerts.log"

    def cycle() -> Usage:
        before = smtp.messages
        used = run_child([str(BIN / "alerts"), "poll"], env, log).plus(
            run_child([str(BIN / "alerts"), "digest", "--now"], env, log))
        used.emails = smtp.messages - before
        return used

    return cycle


def rss2email_cycle(folder: Path, site: FeedSite, port: int, smtp: _Counter,
                    smtp_port: int) -> Cycle:
    feeds = "".join(f"[feed.outlet{i}]\nurl = {site.url(port, i)}\n\n" for i in range(site.feeds))
    config = folder / "rss2email.cfg"
    config.write_text(f"""[DEFAULT]
to = reader@bench.test
from = r2e@bench.test
digest = True
email-protocol = smtp
smtp-server = 127.0.0.1
smtp-port = {smtp_port}
verbose = warning

{feeds}""", "utf-8")
    env = child_environment(XDG_RUNTIME_DIR=str(folder))
    argv = [str(BIN / "r2e"), "-c", str(config), "-d", str(folder / "r2e.json"), "run"]

    def cycle() -> Usage:
        before = smtp.messages
        used = run_child(argv, env, folder / "r2e.log")
        used.emails = smtp.messages - before
        return used

    return cycle


def three_cycles(site: FeedSite, make: Callable[[Path], Cycle]) -> dict[str, Usage]:
    """First (everything new), changed (``site.new`` more per feed), unchanged (all 304)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        cycle = make(Path(tmp))
        site.generation = 0
        first = cycle()
        site.generation = 1
        return {"first": first, "changed": cycle(), "unchanged": cycle()}


# --- alerts alone ---------------------------------------------------------------------------------


def extraction_rate() -> float:
    """Articles of 5 KB per second through alerts.extract.extract: bench_extract.py's figure."""
    from tests.bench.bench_extract import articles, rate

    batch = articles(500, 5000)
    rate(batch[:10])  # warm up: imports and compiled patterns
    return max(rate(batch) for _ in range(3))


def fanout_rate(skip: bool) -> str:
    if skip:
        return "not measured in this run (--no-fanout)"
    script = ROOT / "tests" / "bench" / "bench_fanout.py"
    if not script.exists():
        return "not measured: tests/bench/bench_fanout.py does not exist yet"
    try:
        done = subprocess.run([sys.executable, str(script), "--messages", "10000"],
                              capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        return "bench_fanout.py did not finish within 300 s"
    line = next((x for x in done.stdout.splitlines() if x.startswith("ours")), None)
    if done.returncode or line is None:
        return f"bench_fanout.py failed (exit {done.returncode}): {done.stderr[-300:]}"
    return line.strip()


def _burn(n: int) -> int:
    return sum(i * i for i in range(n))


def parallel_speedup(n: int = 3_000_000) -> float:
    """How much faster two CPU-bound processes finish two jobs than one process does: 2.0 on
    two real cores, 1.0 where the cores share one core's throughput."""
    import multiprocessing

    start = time.perf_counter()
    _burn(n)
    _burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_burn, [n, n])
        parallel = time.perf_counter() - start
    return serial / parallel


def startup_seconds(runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(BIN / "alerts"), "--help"], capture_output=True, check=True,
                       env=child_environment())
        best = min(best, time.perf_counter() - start)
    return best


# --- the table --------------------------------------------------------------------------------

@dataclass
class Row:
    what: str
    cycle: str
    usage: Usage
    feeds: int


def table(rows: list[Row], rivals: dict[str, Usage]) -> list[str]:
    lines = [
        "| tool | feeds | cycle | wall s | CPU s | CPU ms/feed | peak MB | emails | "
        "rss2email ÷ alerts (wall) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        u = r.usage
        rival = rivals.get(r.cycle) if r.what == "alerts" else None
        ratio = f"{rival.wall / u.wall:.0f}×" if rival and r.feeds == rivals_feeds(rows) else ""
        lines.append(f"| {r.what} | {r.feeds} | {r.cycle} | {u.wall:.2f} | {u.cpu:.2f} | "
                     f"{1000 * u.cpu / r.feeds:.2f} | {u.peak_mb:.0f} | {u.emails} | {ratio} |")
    return lines


def rivals_feeds(rows: list[Row]) -> int:
    return next((r.feeds for r in rows if r.what == "rss2email"), -1)


def slope(rows: list[Row], cycle: str) -> str:
    """CPU per extra feed between the smallest and the largest scale of ``cycle``."""
    points = sorted((r.feeds, r.usage.cpu) for r in rows
                    if r.what == "alerts" and r.cycle == cycle)
    if len(points) < 2 or points[0][0] == points[-1][0]:
        return "n/a"
    (n0, c0), (n1, c1) = points[0], points[-1]
    return f"{1000 * (c1 - c0) / (n1 - n0):.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=30)
    parser.add_argument("--latency", type=float, default=100.0, help="milliseconds")
    parser.add_argument("--new", type=int, default=3, help="new entries per feed per change")
    parser.add_argument("--hosts", type=int, default=1,
                        help="loopback addresses to spread the feeds over (default: all on one)")
    parser.add_argument("--scales", default="100,1000,5000", help="alerts alone: feed counts")
    parser.add_argument("--no-rss2email", action="store_true")
    parser.add_argument("--no-fanout", action="store_true", help="skip bench_fanout.py")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args()

    rows: list[Row] = []
    warm_bytecode_cache()
    with smtp_server() as (smtp, smtp_port):
        def measure(what: str, feeds: int) -> dict[str, Usage]:
            site = FeedSite(feeds, args.entries, args.new, args.latency / 1000, args.hosts)
            with feed_server(site) as port:
                if what == "alerts":
                    def make(folder: Path) -> Cycle:
                        config = alerts_config(folder, site, port, smtp_port)
                        return alerts_cycle(folder, config, smtp)
                else:
                    def make(folder: Path) -> Cycle:
                        return rss2email_cycle(folder, site, port, smtp, smtp_port)
                found = three_cycles(site, make)
            for cycle, usage in found.items():
                rows.append(Row(what, cycle, usage, feeds))
                print(f"{what:9} {feeds:5} feeds {cycle:9} wall {usage.wall:7.2f} s  "
                      f"cpu {usage.cpu:7.2f} s  peak {usage.peak_mb:5.0f} MB  "
                      f"emails {usage.emails}", flush=True)
            return found

        measure("alerts", args.feeds)
        rivals = {} if args.no_rss2email else measure("rss2email", args.feeds)
        for n in (int(x) for x in args.scales.split(",") if x):
            if n != args.feeds:
                measure("alerts", n)
    rows.sort(key=lambda r: (r.what != "alerts" or r.feeds != args.feeds, r.what, r.feeds))
    extra = [
        "",
        f"- alerts CPU per extra unchanged feed (slope between scales): {slope(rows, 'unchanged')}"
        f"; per extra changed feed: {slope(rows, 'changed')}",
        f"- alerts start-up (`alerts --help`, best of 5): {startup_seconds():.3f} s",
        f"- this machine's parallel speed-up, two CPU-bound processes: "
        f"{parallel_speedup():.2f}× (2.0 on two real cores)",
        f"- extraction (alerts.extract.extract, 500 articles of 5 KB from tests/bench/"
        f"bench_extract.py, best of 3, one core): {extraction_rate():.0f} articles/s",
        "- 10,000-subscriber digest fan-out (tests/bench/bench_fanout.py): "
        + fanout_rate(args.no_fanout),
    ]
    lines = table(rows, rivals) + extra
    print("\n".join(lines))
    if args.write:
        write_markdown(lines, args)


def write_markdown(lines: list[str], args: argparse.Namespace) -> None:
    command = "python tests/bench/bench_poll.py " + " ".join(sys.argv[1:])
    head = [
        "# Benchmarks",
        "",
        "Written by `tests/bench/bench_poll.py --write`; rerun it to refresh.",
        "",
        f"- command: `{command}`",
        f"- machine: {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- feeds: {args.entries} entries each, {args.new} new per feed in a changed cycle, "
        f"{args.latency:g} ms latency per response, spread over {args.hosts} loopback "
        "addresses; default fetch settings otherwise",
        "- alerts: `alerts poll` then `alerts digest --now` (two processes, times added), "
        "SQLite, `[fetch] pages = false`, `[web] enabled = false`, one subscriber",
        "- rss2email: `r2e run`, digest = True (one email per feed with news), SMTP, one address",
        "- CPU = user + sys of the process and its reaped children (wait4); peak MB = the larger "
        "of the biggest process's max RSS and the sampled PSS sum of the process tree",
        "",
    ]
    path = ROOT / "BENCHMARKS.md"
    old = path.read_text("utf-8") if path.exists() else ""
    kept = old[old.index("\n## "):] if "\n## " in old else ""  # the other benchmarks' sections
    path.write_text("\n".join(head + lines) + "\n" + kept, "utf-8")


if __name__ == "__main__":
    main()
