"""The poll, wiring I/O to the pure core. Reads top to bottom like the data flow:

poll:   fetch → parse → store new articles → match watches → article pages → extract → claims

(The digest's half of the flow is ``alerts.digest``.)

A poll does only the work that changed: a feed answered 304, or with the very bytes parsed last
time, is not parsed; of a changed feed only the entries not seen last time are parsed, on another
core as soon as it arrives, while the other fetches are still out; the feeds' states are written
in one transaction. The modules a run may not need (parsing, extraction, page text, rendering,
mail, the web pages) are imported where they are first used, so an unchanged poll starts fast.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from alerts.claims import Worker, release_dead_claims, worker_for
from alerts.config import Config
from alerts.entries import new_entries
from alerts.errors import ParseError
from alerts.feedpool import Document, FeedPool, Parsed
from alerts.fetch import FeedRequest, FetchLimits, FetchResult, fetch_all_sync
from alerts.health import (
    MOVES_BEFORE_ADOPTING,
    Outcome,
    after_failure,
    classify,
    should_fetch,
)
from alerts.models import (
    Article,
    Extraction,
)
from alerts.novelty import (
    CountKey,
    is_known_statement,
    judge_counts,
    statement_key,
)
from alerts.rules import article_text, watches_matching
from alerts.store import FeedFetched, FeedState, Store, StoredArticle

log = logging.getLogger("alerts.pipeline")
Progress = Callable[[FetchResult], None]


@dataclass
class PollSummary:
    feeds: int = 0
    resting: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    new_articles: int = 0
    matched: int = 0
    pages: int = 0
    counts: int = 0
    statements: int = 0


def fetch_limits(config: Config) -> FetchLimits:
    timeout = config.fetch.timeout
    return FetchLimits(
        connect_timeout=min(10.0, timeout), read_timeout=timeout,
        deadline=config.fetch_deadline(), cycle_deadline=config.fetch_cycle(),
        concurrency=config.fetch.concurrency, per_host=config.fetch.per_host,
        allow_private=config.fetch.allow_private,
    )


# Poll ------------------------------------------------------------------------------------------

def poll(config: Config, store: Store, now: datetime | None = None,
         progress: Progress | None = None, worker: Worker | None = None) -> PollSummary:
    """One poll cycle: fetch the feeds (a shared worker: its share of them), store what is new,
    then match and read every pending article, including any a dead replica left behind."""
    now = now or datetime.now(UTC)
    worker = worker or worker_for(config)
    release_dead_claims(store)
    store.sync_feeds(config.feeds)
    urls = [f.url for f in config.feeds]
    slot = int(now.timestamp() // config.schedule.poll_every.total_seconds())
    if worker.shared:
        urls = store.claim_feeds(urls, slot, worker.owner, now, worker.lease)
    states = {s.source: s for s in store.feed_states(urls, count_articles=False)
              if should_fetch(s, now)}
    summary = PollSummary(feeds=len(urls), resting=len(urls) - len(states))
    requests = [FeedRequest(s.source, s.etag, s.last_modified) for s in states.values()]
    with FeedPool(len(requests)) as pool:
        changed: dict[str, Changed] = {}

        def arrived(result: FetchResult) -> None:
            if progress is not None:
                progress(result)
            if (started := start_parsing(pool, states[result.url], result)) is not None:
                changed[result.url] = started

        results = fetch_all_sync(requests, fetch_limits(config), on_result=arrived)
        summary.new_articles += len(ingest(config, store, states, results, changed, now, summary))
    if worker.shared:
        store.finish_feeds(urls, slot)
    while pending := store.claim_unprocessed(worker.owner, now, worker.lease):
        process(config, store, pending, now, summary)
    log.info(
        "poll.done feeds=%d fetched=%d not_modified=%d failed=%d new=%d matched=%d pages=%d "
        "counts=%d statements=%d", summary.feeds, summary.fetched, summary.not_modified,
        len(summary.failed), summary.new_articles, summary.matched, summary.pages,
        summary.counts, summary.statements,
    )
    return summary


def process(config: Config, store: Store, pending: list[StoredArticle], now: datetime,
            summary: PollSummary) -> None:
    """Match, read and extract, oldest report first, so the story's state moves in order."""
    pending.sort(key=lambda s: (s.article.published or s.first_seen, s.id))
    matched = [(s, names) for s in pending if (names := match(config, s))]
    store.add_all_matches({s.id: names for s, names in matched}, now)
    summary.matched += len(matched)
    if matched:
        from alerts.extract import extract

        bodies = fetch_bodies(config, store, [s for s, _ in matched]) if config.fetch.pages else {}
        summary.pages += len(bodies)
        stories = Stories(store)
        for stored, names in matched:
            text = article_text(stored.article, bodies.get(stored.id, ""))
            if stored.id in bodies:  # the full text may belong to further watches
                more = tuple(n for n in watches_matching(config.watches, text) if n not in names)
                store.add_all_matches({stored.id: more}, now)
                names += more
            record_claims(store, stories, stored.id, names, extract(text), now, summary)
    store.mark_processed([s.id for s in pending])


@dataclass(frozen=True)
class Changed:
    """A body unlike the last one parsed: its hash, its entries' fingerprints, and the parse of
    its new entries (a wait for the result; None when no entry is new)."""

    digest: str
    entry_prints: str
    parsed: Parsed | None


def start_parsing(pool: FeedPool, state: FeedState, result: FetchResult) -> Changed | None:
    """For a body unlike the last one parsed, start parsing its new entries on the pool, at once,
    while the other fetches go on. None for a feed that did not change."""
    if result.status != "ok" or (digest := _body_hash(result.body)) == state.content_hash:
        return None
    entries = new_entries(result.body, state.entry_prints)
    if entries.document is None:
        return Changed(digest, entries.fingerprints, None)
    where = result.final_url or result.url
    document = Document(entries.document, where, result.content_type)
    return Changed(digest, entries.fingerprints, pool.submit(document))


def ingest(config: Config, store: Store, states: dict[str, FeedState],
           results: Sequence[FetchResult], changed: dict[str, Changed], now: datetime,
           summary: PollSummary) -> list[StoredArticle]:
    """Record every feed's fetch; return the articles they brought that were not known before.

    Only ``changed`` bodies were parsed; the articles are stored before the feeds' new states,
    so a crash in between means a second parse, never a loss."""
    fetched: list[FeedFetched] = []
    found: list[Article] = []
    for result in results:
        state = states[result.url]
        outcome = classify(result)
        if outcome.failed:
            _failed(config, store, state, outcome, now, summary)
            continue
        if (outcome.moved_to or state.moved_to) and store.record_move(
                state.url, outcome.moved_to, after=MOVES_BEFORE_ADOPTING):
            log.warning("feed.moved url=%s now=%s", state.url, outcome.moved_to)
        body = changed.get(result.url)
        if body is None:
            summary.not_modified += 1
            fetched.append(FeedFetched(state.url, result.etag, result.last_modified,
                                       state.content_hash, state.entry_prints))
            continue
        parsed = body.parsed() if body.parsed is not None else None
        if isinstance(parsed, ParseError):
            _failed(config, store, state, Outcome("transient", f"not a feed: {parsed}"), now,
                    summary)
            continue
        summary.fetched += 1
        warning = parsed.warning if parsed is not None else None
        if warning:
            log.warning("feed.warning url=%s warning=%r", state.url, warning)
        fetched.append(FeedFetched(state.url, result.etag, result.last_modified, body.digest,
                                   body.entry_prints, warning))
        found.extend(a if a.feed_url == state.url else replace(a, feed_url=state.url)
                     for a in (parsed.articles if parsed is not None else ()))
    new = store.add_articles(found, now)
    store.record_fetched(fetched, now)
    return new


def _body_hash(body: bytes) -> str:
    """What identifies a body: the same bytes as last time need no parsing."""
    return hashlib.sha256(body).hexdigest()


def _failed(config: Config, store: Store, state: FeedState, outcome: Outcome, now: datetime,
            summary: PollSummary) -> list[StoredArticle]:
    """Record the failure; the feed rests (backing off, or disabled when gone) before a retry."""
    error = outcome.reason or "unknown error"
    when, disabled = after_failure(outcome, state.failures, now,
                                   base=config.schedule.poll_every, key=state.url)
    level = logging.ERROR if disabled else logging.WARNING
    log.log(level, "feed.failed url=%s error=%r next_attempt=%s disabled=%s", state.url, error,
            when.isoformat() if when else "-", bool(disabled))
    summary.failed[state.url] = error
    store.record_failure(state.url, now, error, next_attempt=when, disabled=disabled)
    return []


def match(config: Config, stored: StoredArticle) -> tuple[str, ...]:
    return watches_matching(config.watches, article_text(stored.article))


def fetch_bodies(config: Config, store: Store, wanted: Sequence[StoredArticle]) -> dict[int, str]:
    """Fetch each matching article's page once and keep its main text."""
    from alerts.text import decode, main_text

    by_link = {s.article.link: s for s in wanted if s.article.link.startswith("http")}
    requests = [FeedRequest(link) for link in by_link]
    bodies: dict[int, str] = {}
    for result in fetch_all_sync(requests, fetch_limits(config)):
        stored = by_link[result.url]
        if result.status != "ok":
            store.set_body(stored.id, None, result.error or result.status)
            continue
        text = main_text(decode(result.body, result.content_type), result.final_url or result.url)
        store.set_body(stored.id, text)
        bodies[stored.id] = text
    return bodies


@dataclass
class Story:
    """What a watch's story holds so far: the latest figure per count, the increments already
    applied and the statements made. Read once per batch, then kept up to date here."""

    totals: dict[CountKey, int]
    increments: set[tuple[CountKey, int]]
    statements: list[tuple[str, str]]


class Stories:
    """Each watch's ``Story``, read from the store the first time it is needed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._stories: dict[str, Story] = {}

    def __getitem__(self, watch: str) -> Story:
        if watch not in self._stories:
            totals, increments = self._store.count_state(watch)
            self._stories[watch] = Story(totals, increments, self._store.known_statements(watch))
        return self._stories[watch]


def record_claims(store: Store, stories: Stories, article_id: int, watch_names: Iterable[str],
                  extraction: Extraction, now: datetime, summary: PollSummary) -> None:
    """Judge the article's counts and statements against each watch's story so far."""
    for watch in watch_names:
        story = stories[watch]
        judged = judge_counts(story.totals, story.increments, extraction.counts)
        store.add_counts(watch, article_id, judged, now)
        for j in judged:
            if j.verdict != "new":
                continue
            summary.counts += 1
            if j.total is not None:
                story.totals[j.key] = j.total
            if j.count.qualifier == "increment" and j.count.count is not None:
                story.increments.add((j.key, j.count.count))
        known = story.statements
        fresh = []
        for statement in extraction.statements:
            if not is_known_statement(statement, known):
                fresh.append(statement)
                known.append(statement_key(statement))
        store.add_statements(watch, article_id, fresh, now)
        summary.statements += len(fresh)
