"""The `alerts` command. The only place where errors become exit codes:
0 success, 1 a run-time failure (feeds or mail), 2 a usage or config error.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alerts import __version__
from alerts.config import Config, config_path, load_config
from alerts.errors import AlertsError, ConfigError

if TYPE_CHECKING:
    from alerts.digest import DigestSummary
    from alerts.fetch import FetchResult
    from alerts.pipeline import PollSummary
    from alerts.store import FeedState, Store

log = logging.getLogger("alerts")

DESCRIPTION = """\
alerts polls news feeds, finds what is new on the topics you watch (articles, new counts
such as "162 MPs have signed", new quoted statements) and emails each subscriber one digest a day.

commands:
  run            run the service in the foreground: poll every poll_every, digest daily at
                 digest_at; stops cleanly on SIGTERM or Ctrl-C
  poll           poll every feed once now and print a summary
  digest         send the digests that are due (--now: send pending news whatever the hour;
                 --dry-run: print them instead of sending)
  check-config   check the config file and say what is wrong and how to fix it
  rules test     show which stored articles each watch would match, terms highlighted
  feeds import   add the feeds of an OPML file to the config; feeds export prints OPML;
                 feeds enable URL fetches a disabled or backing-off feed again
  copy-data      copy everything into another database (SQLite to PostgreSQL, say)
  status         list every feed with its last success, last error and article count
  extract        print the counts and statements found in text or HTML files
  demo           a self-contained tour: serves sample feeds on this machine, polls them and
                 writes a digest into an outbox folder

The config file is config/alerts.toml unless --config or $ALERTS_CONFIG says otherwise.
SMTP credentials come from $ALERTS_SMTP_USERNAME and $ALERTS_SMTP_PASSWORD.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alerts", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"alerts {__version__}")
    parser.add_argument("-c", "--config", metavar="PATH",
                        help="config file (default: $ALERTS_CONFIG or config/alerts.toml)")
    parser.add_argument("--log-level", default=os.environ.get("ALERTS_LOG_LEVEL", "INFO"),
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="how much to log to stderr (default: INFO)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("run", help="run the service until SIGTERM/SIGINT")
    commands.add_parser("poll", help="poll every feed once now")
    digest = commands.add_parser("digest", help="send the digests that are due")
    digest.add_argument("--now", action="store_true",
                        help="send every subscriber's pending news now, whatever the hour")
    digest.add_argument("--dry-run", action="store_true",
                        help="print the digests instead of sending them; changes nothing")
    check = commands.add_parser("check-config", help="check the config file")
    check.add_argument("--strict", action="store_true",
                       help="exit 1 on warnings too (a watch nobody in the file follows)")
    rules = commands.add_parser("rules", help="try watch rules on stored articles")
    rules_commands = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    rules_test = rules_commands.add_parser(
        "test", help="show which recent stored articles each watch matches, terms highlighted")
    rules_test.add_argument("watch", nargs="?", help="only this watch (default: every watch)")
    rules_test.add_argument("--limit", type=int, default=500, metavar="N",
                            help="look at the N most recent articles (default: 500)")
    feeds_cmd = commands.add_parser("feeds", help="import or export the feed list as OPML")
    feeds_commands = feeds_cmd.add_subparsers(dest="feeds_command", metavar="ACTION",
                                              required=True)
    feeds_import = feeds_commands.add_parser(
        "import", help="add the feeds of an OPML file to the config file (keeps its comments)")
    feeds_import.add_argument("opml", metavar="FILE", help="an OPML file, or - for stdin")
    feeds_commands.add_parser("export", help="print the configured feeds as OPML")
    feeds_enable = feeds_commands.add_parser(
        "enable", help="fetch a disabled (gone) or backing-off feed again from the next poll")
    feeds_enable.add_argument("url", metavar="URL", help="the feed's url as in the config")
    copy = commands.add_parser(
        "copy-data", help="copy everything from the configured database into another one",
        description="Copy every table from the configured database ([storage] url) into an "
                    "empty one, e.g. from SQLite to PostgreSQL. Stop the service first.")
    copy.add_argument("target", metavar="URL",
                      help="the database to fill, e.g. postgresql://alerts@db-host/alerts")
    commands.add_parser("status", help="list every feed and its health")
    extract_cmd = commands.add_parser(
        "extract", help="print counts and statements found in files",
        description="Print the counts and statements found in text or HTML files.",
    )
    extract_cmd.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for stdin")
    extract_cmd.add_argument("--json", action="store_true",
                             help="one JSON object per file, on its own line")
    demo = commands.add_parser("demo", help="a self-contained tour on sample feeds")
    demo.add_argument("--dir", metavar="DIR", help="where to put the demo's data and outbox "
                      "(default: a new temporary folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr,
        format="%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
    )
    for chatty in ("httpx", "apscheduler"):  # their routine lines would drown ours
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    handler = COMMANDS[args.command]
    try:
        return handler(args)
    except ConfigError as exc:
        print(f"alerts: config error: {exc}", file=sys.stderr)
        return 2
    except AlertsError as exc:
        print(f"alerts: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _loaded() -> None:
    """A one-shot command has imported what it needs: the objects made so far (SQLAlchemy's
    alone number hundreds of thousands) are put out of the garbage collector's reach, so no full
    collection during the run or at exit walks them again (~50 ms of an `alerts poll`), and the
    forked parse workers share them untouched."""
    gc.freeze()


def _config(args: argparse.Namespace) -> Config:
    return load_config(config_path(args.config, os.environ))


@contextmanager
def _store(config: Config) -> Iterator[Store]:
    from alerts.store import Store

    store = Store(config.storage_url)
    try:
        yield store
    finally:
        store.close()


def cmd_check_config(args: argparse.Namespace) -> int:
    config = _config(args)
    print(
        f"{config.path}: OK — {len(config.feeds)} feeds, {len(config.watches)} watches, "
        f"{len(config.subscribers)} subscribers; mail via {config.mail.transport}, "
        f"storage {config.storage_url}"
    )
    used = {name for s in config.subscribers for name in s.watches}
    unused = [w.name for w in config.watches if w.name not in used]
    for name in unused:
        print(f"warning: no subscriber in the file follows watch '{name}' (only readers who "
              "subscribe on the web page can get it); subscribe someone or remove it")
    return 1 if unused and args.strict else 0


def cmd_poll(args: argparse.Namespace) -> int:
    from alerts.pipeline import poll

    _loaded()
    config = _config(args)
    with _store(config) as store, _progress(len(config.feeds)) as advance:
        summary = poll(config, store, progress=advance)
    print(_poll_report(summary))
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from alerts.digest import send_digests

    _loaded()
    config = _config(args)
    if not (args.now or args.dry_run or _digest_due(config)):
        print(f"no digest is due before {config.schedule.digest_at:%H:%M} "
              f"{config.schedule.timezone.key}; use --now to send pending news now")
        return 0
    with _store(config) as store:
        summary = send_digests(config, store, force=args.now or args.dry_run,
                               dry_run=args.dry_run)
    if args.dry_run:
        for message in summary.previews:
            print(_preview(message))
    print(_digest_report(summary, args.dry_run))
    return 1 if summary.failed else 0


def cmd_status(args: argparse.Namespace) -> int:
    config = _config(args)
    with _store(config) as store:
        store.sync_feeds(config.feeds)
        states = store.feed_states([f.url for f in config.feeds])
    for state in states:
        print(_feed_report(state))
    return 1 if any(s.failures or s.disabled for s in states) else 0


def _digest_due(config: Config) -> bool:
    from alerts.scheduler import digest_due  # the scheduler's imports are for `alerts run`

    return digest_due(config, datetime.now(UTC))


def _feed_report(state: FeedState) -> str:
    health = ("DISABLED" if state.disabled else "FAILING" if state.failures
              else "ok" if state.last_success else "never polled")
    lines = [f"{health:12} {state.name or state.url}", f"  url:          {state.url}"]
    if state.fetch_url:
        lines.append(f"  moved to:     {state.fetch_url} (a permanent redirect, seen repeatedly)")
    lines += [
        f"  last success: {_when(state.last_success)}",
        f"  last error:   {state.last_error or '-'}"
        f"{f' ({state.failures} in a row)' if state.failures else ''}",
    ]
    if state.disabled:
        lines.append(f"  disabled:     {state.disabled}")
    elif state.next_attempt:
        lines.append(f"  backing off:  next attempt {_when(state.next_attempt)}")
    lines.append(f"  articles:     {state.articles}")
    return "\n".join(lines)


def cmd_extract(args: argparse.Namespace) -> int:
    from alerts.extract import extract, extraction_record
    from alerts.text import decode

    status = 0
    for path in args.files:
        try:
            raw = decode(sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes())
        except OSError as exc:
            print(f"alerts: cannot read {path}: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        result = extract(raw)
        if args.json:
            print(json.dumps(extraction_record(path, result), ensure_ascii=False))
            continue
        print(f"== {path}")
        for count in result.counts:
            kind = "" if count.rebel else "  [supporters, not rebels]"
            print(f"  count  {count.qualifier:10} {count.count!s:>5}  {count.group} — "
                  f"{count.action}{kind}\n         “{count.span}”")
        for statement in result.statements:
            tag = " (fragment)" if statement.fragment else ""
            print(f"  quote  {statement.speaker or 'unknown'}{tag}: “{statement.text}”")
    return status


def cmd_run(args: argparse.Namespace) -> int:
    from alerts.clock import clock_from
    from alerts.live import LiveConfig
    from alerts.service import Service

    live = LiveConfig(config_path(args.config, os.environ))
    try:
        clock = clock_from(os.environ)
    except ValueError as exc:
        print(f"alerts: {exc}", file=sys.stderr)
        return 2
    with _store(live.current) as store:
        Service(live, store, clock).run()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile
    import tomllib

    from alerts.config import parse_config
    from alerts.demo import demo_config, serve_demo
    from alerts.digest import send_digests
    from alerts.pipeline import poll

    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="alerts-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    with serve_demo() as base_url:
        text = demo_config(base_url, workdir)
        (workdir / "alerts.toml").write_text(text, "utf-8")
        config = parse_config(tomllib.loads(text), str(workdir / "alerts.toml"), os.environ)
        with _store(config) as store:
            polled = poll(config, store)
            sent = send_digests(config, store, force=True)
    print(_poll_report(polled))
    print(_digest_report(sent, dry_run=False))
    outbox = config.mail.outbox_dir
    print(f"\nThe demo's digests are in {outbox}/ — open the .html files in a browser,"
          f"\nor the .eml files in a mail client. Its config: {workdir / 'alerts.toml'}")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from alerts.rules import article_text, matcher

    config = _config(args)
    chosen = [w for w in config.watches if args.watch in (None, w.name)]
    if not chosen:
        names = ", ".join(w.name for w in config.watches)
        print(f"alerts: no watch is named '{args.watch}'; try one of: {names}", file=sys.stderr)
        return 2
    with _store(config) as store:
        recent = store.recent_articles(args.limit)
    for watch in chosen:
        rule = matcher(watch)
        hits = [s for s in recent if rule.matches(article_text(s.article, s.body or ""))]
        print(f"== {watch.name}: {len(hits)} of the {len(recent)} most recent articles match")
        for stored in hits:
            text = article_text(stored.article, stored.body or "")
            terms = ", ".join(rule.terms_found(text))
            print(f"  {_highlight(stored.article.title, rule.any)}\n"
                  f"    {stored.outlet or stored.article.feed_url} · matched: {terms}\n"
                  f"    {stored.article.link}")
    return 0


def _highlight(text: str, pattern: re.Pattern[str]) -> str:
    """Matching terms in bold on a terminal, in [brackets] otherwise."""
    before, after = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    return pattern.sub(lambda m: f"{before}{m.group(0)}{after}", text)


def _enable_feed(config: Config, url: str) -> int:
    if url not in {f.url for f in config.feeds}:
        print(f"alerts: {url} is not a feed in {config.path}; `alerts status` lists them",
              file=sys.stderr)
        return 2
    with _store(config) as store:
        store.enable_feed(url)
    print(f"{url} will be fetched again at the next poll")
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from alerts.opml import feeds_toml, read_opml, write_opml

    if args.feeds_command == "export":
        print(write_opml(_config(args).feeds), end="")
        return 0
    if args.feeds_command == "enable":
        return _enable_feed(_config(args), args.url)
    path = config_path(args.config, os.environ)
    config = load_config(path)
    try:
        data = sys.stdin.buffer.read() if args.opml == "-" else Path(args.opml).read_bytes()
    except OSError as exc:
        print(f"alerts: cannot read {args.opml}: {exc.strerror}", file=sys.stderr)
        return 1
    known = {f.url for f in config.feeds}
    listed = read_opml(data)
    new = [f for f in listed if f.url not in known]
    if new:
        original = path.read_text("utf-8")
        path.write_text(original.rstrip("\n") + "\n" + feeds_toml(new), "utf-8")
        try:
            load_config(path)
        except ConfigError:
            path.write_text(original, "utf-8")
            raise
    print(f"added {len(new)} of the {len(listed)} feeds in {args.opml} to {path}; "
          f"{len(listed) - len(new)} were there already")
    return 0


def cmd_copy_data(args: argparse.Namespace) -> int:
    from alerts.store import Store
    from alerts.transfer import copy_data

    config = _config(args)
    with _store(config) as source, closing(Store(args.target)) as target:
        copied = copy_data(source, target)
    total = sum(copied.values())
    print(f"copied {total} rows into {args.target}: "
          + ", ".join(f"{name} {rows}" for name, rows in copied.items() if rows))
    print("now point [storage] url at it and start the service")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run, "poll": cmd_poll, "digest": cmd_digest, "check-config": cmd_check_config,
    "status": cmd_status, "extract": cmd_extract, "demo": cmd_demo, "rules": cmd_rules,
    "feeds": cmd_feeds, "copy-data": cmd_copy_data,
}


@contextmanager
def _progress(total: int) -> Iterator[Callable[[FetchResult], None] | None]:
    """A progress bar on a terminal; nothing when output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("polling feeds", total=total)
        yield lambda _result: bar.advance(task)


def _preview(message: bytes) -> str:
    """A digest as a reader would see it: who, the subject, and the plain-text part."""
    import email
    import email.policy
    from email.message import EmailMessage

    parsed = email.message_from_bytes(message, policy=email.policy.default)
    text = parsed.get_body(preferencelist=("plain",))
    content = text.get_content() if isinstance(text, EmailMessage) else ""
    return (f"To: {parsed['To']}\nSubject: {parsed['Subject']}\n\n{content}\n"
            + "-" * 72)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def _poll_report(s: PollSummary) -> str:
    lines = [
        f"polled {s.feeds} feeds: {s.fetched} fetched, {s.not_modified} unchanged, "
        f"{len(s.failed)} failed, {s.resting} resting after failures",
        f"{s.new_articles} new articles, {s.matched} on a watch, {s.pages} pages read, "
        f"{s.counts} new counts, {s.statements} new statements",
    ]
    lines += [f"  failed: {url}: {error}" for url, error in s.failed.items()]
    return "\n".join(lines)


def _digest_report(s: DigestSummary, dry_run: bool) -> str:
    if dry_run:
        return f"dry run: {s.built} digests would be sent; nothing was sent or recorded"
    lines = [f"{s.built} digests built, {s.sent} sent, {len(s.failed)} failed"]
    lines += [f"  failed: {who}: {why}" for who, why in s.failed.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
