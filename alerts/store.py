"""Everything `alerts` keeps: feeds' fetch state, articles, claims, subscribers and the outbox.

SQLAlchemy Core, so the same code runs on SQLite (the default) and PostgreSQL. "What is new" is
answered by uniqueness constraints: adding articles returns only those not known before. Every
timestamp is UTC and passed in by the caller, so a test can simulate days.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection, Engine

from alerts.models import (
    Article,
    Count,
    CountPoint,
    Feed,
    NewStatement,
    Source,
    Statement,
    Subscriber,
    Timeline,
)
from alerts.novelty import CountJudgement, CountKey, statement_key
from alerts.schema import (
    MIGRATION_LOCK,
    MIGRATIONS,
    articles,
    counts,
    digest_runs,
    digests,
    editions,
    feeds,
    matches,
    metadata,
    migrations,
    poll_claims,
    settings,
    statements,
    subscribers,
)


@dataclass(frozen=True)
class StoredArticle:
    id: int
    article: Article
    outlet: str
    first_seen: datetime
    body: str | None


@dataclass(frozen=True)
class FeedState:
    url: str
    name: str
    etag: str | None
    last_modified: str | None
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None
    failures: int
    articles: int
    next_attempt: datetime | None = None
    fetch_url: str | None = None
    disabled: str | None = None
    moved_to: str | None = None
    content_hash: str | None = None
    entry_prints: str | None = None

    @property
    def source(self) -> str:
        """Where to fetch from: the configured URL, or where it has permanently moved."""
        return self.fetch_url or self.url


@dataclass(frozen=True)
class FeedFetched:
    """A fetch that worked: the validators to send next time, the hash of the body parsed and
    its entries' fingerprints (the stored ones again when nothing changed), any parse warning."""

    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    entry_prints: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class SubscriberRecord:
    subscriber: Subscriber
    status: str
    source: str
    last_cutoff: datetime | None
    bounces: int
    last_error: str | None


@dataclass(frozen=True)
class Edition:
    id: int
    watch: str
    day: date
    html: str
    text: str


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    recipient: str
    day: date
    message: bytes
    attempts: int


@dataclass(frozen=True)
class CountRow:
    count: Count
    verdict: str
    previous: int | None
    total: int | None
    source: Source


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were stored as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _must(value: datetime | None) -> datetime:
    aware = utc(value)
    assert aware is not None
    return aware


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL syncs at checkpoints, not at every commit; a power cut may lose the last
    # commits but never corrupts the database, and a lost poll is simply polled again.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


CLAIM_BATCH = 2000  # pending articles taken at a time


class Store:
    """The one door to the database. Each method is one transaction."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.migrate()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded; returns the names applied."""
        applied = []
        with self._tx() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": MIGRATION_LOCK})
            fresh = not sa.inspect(conn).has_table("migrations")
            migrations.create(conn, checkfirst=True)
            if fresh and not sa.inspect(conn).has_table("articles"):
                metadata.create_all(conn)
            done = set(conn.scalars(sa.select(migrations.c.name)))
            for name, step in MIGRATIONS:
                if name in done:
                    continue
                if not fresh:
                    step(conn)
                conn.execute(migrations.insert().values(name=name, applied_at=datetime.now(UTC)))
                applied.append(name)
        return applied

    def _insert_ignore(self, conn: Connection, table: sa.Table, keys: list[str]) -> Any:
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects import postgresql  # only PostgreSQL pays for its import

            return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)

    def setting(self, name: str, default: str) -> str:
        """A value kept in the database; the first caller's ``default`` is stored and wins."""
        with self._tx() as conn:
            conn.execute(self._insert_ignore(conn, settings, ["name"]),
                         [{"name": name, "value": default}])
            return str(conn.scalar(sa.select(settings.c.value).where(settings.c.name == name)))

    # Feeds ---------------------------------------------------------------------------------

    def sync_feeds(self, configured: Sequence[Feed]) -> None:
        with self._tx() as conn:
            conn.execute(
                self._insert_ignore(conn, feeds, ["url"]),
                [{"url": f.url, "name": f.name, "failures": 0} for f in configured],
            )
            renamed = feeds.update().where(
                feeds.c.url == sa.bindparam("b_url"), feeds.c.name != sa.bindparam("b_name"),
            ).values(name=sa.bindparam("b_name"))
            conn.execute(renamed, [{"b_url": f.url, "b_name": f.name} for f in configured])

    def feed_states(self, urls: Sequence[str] | None = None, *,
                    count_articles: bool = True) -> list[FeedState]:
        """The feeds' fetch state; ``count_articles=False`` leaves ``articles`` at 0 and skips
        counting every stored article (a poll has no use for the figure)."""
        if count_articles:
            per_feed = (
                sa.select(articles.c.feed_url, sa.func.count().label("n"))
                .group_by(articles.c.feed_url).subquery()
            )
            query = sa.select(feeds, sa.func.coalesce(per_feed.c.n, 0)).outerjoin(
                per_feed, per_feed.c.feed_url == feeds.c.url
            ).order_by(feeds.c.url)
        else:
            query = sa.select(feeds, sa.literal(0)).order_by(feeds.c.url)
        if urls is not None:
            query = query.where(feeds.c.url.in_(urls))
        with self.engine.connect() as conn:
            return [
                FeedState(
                    url=r.url, name=r.name, etag=r.etag, last_modified=r.last_modified,
                    last_attempt=utc(r.last_attempt), last_success=utc(r.last_success),
                    last_error=r.last_error, failures=r.failures, articles=r[-1],
                    next_attempt=utc(r.next_attempt), fetch_url=r.fetch_url, disabled=r.disabled,
                    moved_to=r.moved_to, content_hash=r.content_hash, entry_prints=r.entry_prints,
                )
                for r in conn.execute(query)
            ]

    def record_fetched(self, fetched: Sequence[FeedFetched], now: datetime) -> None:
        """Record many working fetches in one transaction (one statement, many rows)."""
        if not fetched:
            return
        statement = feeds.update().where(feeds.c.url == sa.bindparam("b_url")).values(
            etag=sa.bindparam("b_etag"), last_modified=sa.bindparam("b_last_modified"),
            content_hash=sa.bindparam("b_hash"), entry_prints=sa.bindparam("b_prints"),
            last_error=sa.bindparam("b_warning"),
            last_attempt=now, last_success=now, failures=0, next_attempt=None,
        )
        rows = [{"b_url": f.url, "b_etag": f.etag, "b_last_modified": f.last_modified,
                 "b_hash": f.content_hash, "b_prints": f.entry_prints, "b_warning": f.warning}
                for f in fetched]
        with self._tx() as conn:
            conn.execute(statement, rows)

    def record_failure(self, url: str, now: datetime, error: str,
                       next_attempt: datetime | None = None, disabled: str | None = None) -> None:
        with self._tx() as conn:
            conn.execute(feeds.update().where(feeds.c.url == url).values(
                last_attempt=now, last_error=error, failures=feeds.c.failures + 1,
                next_attempt=next_attempt, disabled=disabled,
            ))

    def record_move(self, url: str, target: str | None, *, after: int) -> bool:
        """Note a permanent redirect; once the same one is seen ``after`` times, fetch from the
        target from then on. Returns True when the stored fetch URL changed. ``None`` forgets."""
        with self._tx() as conn:
            row = conn.execute(sa.select(feeds.c.moved_to, feeds.c.moves_seen)
                               .where(feeds.c.url == url)).first()
            if row is None:
                return False
            if target is None:
                conn.execute(feeds.update().where(feeds.c.url == url)
                             .values(moved_to=None, moves_seen=0))
                return False
            seen = row.moves_seen + 1 if row.moved_to == target else 1
            values: dict[str, Any] = {"moved_to": target, "moves_seen": seen}
            if seen >= after:
                values.update(fetch_url=target, moved_to=None, moves_seen=0, etag=None,
                              last_modified=None)
            conn.execute(feeds.update().where(feeds.c.url == url).values(**values))
            return seen >= after

    def enable_feed(self, url: str) -> None:
        with self._tx() as conn:
            conn.execute(feeds.update().where(feeds.c.url == url).values(
                disabled=None, next_attempt=None, failures=0,
            ))

    # Articles ------------------------------------------------------------------------------

    def add_articles(self, new: Sequence[Article], now: datetime) -> list[StoredArticle]:
        """Store the articles; return only those whose identity was not known before. They stay
        pending until ``mark_processed``."""
        by_identity: dict[str, Article] = {}
        for a in new:
            by_identity.setdefault(a.identity, a)  # the first of a repeated identity wins
        rows = [
            {"identity": a.identity, "feed_url": a.feed_url, "title": a.title, "link": a.link,
             "published": a.published, "summary": a.summary, "first_seen": now, "pending": True}
            for a in by_identity.values()
        ]
        if not rows:
            return []
        with self._tx() as conn:
            statement = self._insert_ignore(conn, articles, ["identity"]).returning(
                articles.c.id, articles.c.identity
            )
            inserted = {r.identity: r.id for r in conn.execute(statement, rows)}
        return [
            StoredArticle(id=i, article=by_identity[ident], outlet="", first_seen=now, body=None)
            for ident, i in inserted.items()
        ]

    def claim_unprocessed(self, owner: str, now: datetime, lease: timedelta,
                          limit: int | None = None) -> list[StoredArticle]:
        """Take pending articles nobody is working on (or whose worker died), oldest first: at
        most ``limit`` (default ``CLAIM_BATCH``), so a large backlog is taken in batches."""
        limit = limit or CLAIM_BATCH
        free = sa.or_(articles.c.claimed_until.is_(None), articles.c.claimed_until < now,
                      articles.c.claimed_by == owner)
        chosen = sa.select(articles.c.id).where(articles.c.pending.is_(True), free).order_by(
            articles.c.id).limit(limit).scalar_subquery()
        statement = articles.update().where(articles.c.id.in_(chosen), free).values(
            claimed_by=owner, claimed_until=now + lease).returning(articles.c.id)
        with self._tx() as conn:
            ids = list(conn.scalars(statement))
            if not ids:
                return []
            rows = conn.execute(self._article_query().where(articles.c.id.in_(ids)))
            return sorted((_stored(r) for r in rows), key=lambda s: s.id)

    def mark_processed(self, ids: Sequence[int]) -> None:
        if ids:
            with self._tx() as conn:
                conn.execute(articles.update().where(articles.c.id.in_(ids)).values(
                    pending=False, claimed_by=None, claimed_until=None))

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(articles)) or 0)

    def set_body(self, article_id: int, body: str | None, error: str | None = None) -> None:
        with self._tx() as conn:
            conn.execute(articles.update().where(articles.c.id == article_id).values(
                body=body, page_error=error,
            ))

    def add_all_matches(self, matched: Mapping[int, Sequence[str]], now: datetime) -> None:
        """Record which watches each article matches, in one transaction."""
        rows = [{"watch": w, "article_id": article_id, "first_seen": now}
                for article_id, names in matched.items() for w in names]
        if rows:
            with self._tx() as conn:
                conn.execute(self._insert_ignore(conn, matches, ["watch", "article_id"]), rows)

    def _article_query(self) -> sa.Select[Any]:
        return sa.select(articles, sa.func.coalesce(feeds.c.name, "").label("outlet")).outerjoin(
            feeds, feeds.c.url == articles.c.feed_url
        )

    def recent_articles(self, limit: int) -> list[StoredArticle]:
        query = self._article_query().order_by(articles.c.first_seen.desc(), articles.c.id.desc())
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(query.limit(limit))]

    def matched_articles(self, watch: str, since: datetime | None, until: datetime,
                         limit: int) -> list[StoredArticle]:
        query = self._article_query().join(matches, matches.c.article_id == articles.c.id).where(
            matches.c.watch == watch, matches.c.first_seen <= until
        )
        if since is not None:
            query = query.where(matches.c.first_seen > since)
        query = query.order_by(
            articles.c.published.desc().nulls_last(), articles.c.id.desc()
        ).limit(limit)
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(query)]

    # Claims --------------------------------------------------------------------------------

    def count_state(self, watch: str) -> tuple[dict[CountKey, int], set[tuple[CountKey, int]]]:
        """The latest figure per (group, action) and the increments already applied."""
        query = sa.select(
            counts.c.group_key, counts.c.action_key, counts.c.total, counts.c.figure,
            counts.c.qualifier,
        ).where(counts.c.watch == watch, counts.c.verdict == "new").order_by(counts.c.id)
        state: dict[CountKey, int] = {}
        increments: set[tuple[CountKey, int]] = set()
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                key = (r.group_key, r.action_key)
                if r.total is not None:
                    state[key] = r.total
                if r.qualifier == "increment":
                    increments.add((key, r.figure))
        return state, increments

    def add_counts(self, watch: str, article_id: int, judged: Sequence[CountJudgement],
                   now: datetime) -> None:
        rows = [
            {"watch": watch, "article_id": article_id, "figure": j.count.count,
             "qualifier": j.count.qualifier, "grp": j.count.group, "action": j.count.action,
             "span": j.count.span, "rebel": j.count.rebel, "group_key": j.key[0],
             "action_key": j.key[1], "verdict": j.verdict, "previous": j.previous,
             "total": j.total, "first_seen": now}
            for j in judged
        ]
        if rows:
            with self._tx() as conn:
                conn.execute(counts.insert(), rows)

    def claim_counts(self) -> dict[str, int]:
        """How many counts and statements are stored, for the metrics."""
        with self.engine.connect() as conn:
            return {
                kind: int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
                for kind, table in (("count", counts), ("statement", statements))
            }

    def known_statements(self, watch: str) -> list[tuple[str, str]]:
        query = sa.select(statements.c.speaker_key, statements.c.words).where(
            statements.c.watch == watch
        )
        with self.engine.connect() as conn:
            return [(r.speaker_key, r.words) for r in conn.execute(query)]

    def add_statements(self, watch: str, article_id: int, new: Sequence[Statement],
                       now: datetime) -> None:
        rows = []
        for s in new:
            speaker_key, words = statement_key(s)
            rows.append({
                "watch": watch, "article_id": article_id, "speaker": s.speaker, "role": s.role,
                "text": s.text, "fragment": s.fragment, "speaker_key": speaker_key,
                "words": words, "first_seen": now,
            })
        if rows:
            with self._tx() as conn:
                conn.execute(statements.insert(), rows)

    def count_rows(self, watch: str, since: datetime | None, until: datetime) -> list[CountRow]:
        query = self._claim_query(counts, watch, since, until).order_by(counts.c.id)
        with self.engine.connect() as conn:
            return [
                CountRow(
                    count=Count(count=r.figure, qualifier=r.qualifier, group=r.grp,
                                action=r.action, span=r.span, rebel=r.rebel),
                    verdict=r.verdict, previous=r.previous, total=r.total, source=_source(r),
                )
                for r in conn.execute(query)
            ]

    def new_statements(self, watch: str, since: datetime | None,
                       until: datetime) -> list[NewStatement]:
        query = self._claim_query(statements, watch, since, until).where(
            statements.c.fragment.is_(False)
        ).order_by(statements.c.id)
        with self.engine.connect() as conn:
            return [
                NewStatement(
                    Statement(speaker=r.speaker, text=r.text, fragment=r.fragment, role=r.role),
                    _source(r),
                )
                for r in conn.execute(query)
            ]

    def _claim_query(self, table: sa.Table, watch: str, since: datetime | None,
                     until: datetime) -> sa.Select[Any]:
        query = (
            sa.select(table, articles.c.title, articles.c.link,
                      sa.func.coalesce(feeds.c.name, "").label("outlet"))
            .join(articles, articles.c.id == table.c.article_id)
            .outerjoin(feeds, feeds.c.url == articles.c.feed_url)
            .where(table.c.watch == watch, table.c.first_seen <= until)
        )
        return query if since is None else query.where(table.c.first_seen > since)

    def timeline(self, watch: str, key: CountKey, group: str, action: str,
                 zone: Any) -> Timeline:
        """The figure of one count at the end of each day it was reported, in the digest's zone."""
        reported = sa.func.coalesce(articles.c.published, counts.c.first_seen)
        query = sa.select(counts.c.total, reported.label("reported")).join(
            articles, articles.c.id == counts.c.article_id
        ).where(
            counts.c.watch == watch, counts.c.group_key == key[0], counts.c.action_key == key[1],
            counts.c.verdict == "new", counts.c.total.is_not(None),
        ).order_by(counts.c.id)
        per_day: dict[date, int] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                per_day[_must(r.reported).astimezone(zone).date()] = r.total
        points = tuple(CountPoint(day=d, count=n) for d, n in sorted(per_day.items()))
        return Timeline(group=group, action=action, points=points)

    # Subscribers ---------------------------------------------------------------------------

    def sync_subscribers(self, configured: Sequence[Subscriber]) -> None:
        """Add config subscribers and update their watches; never revive an unsubscribed one."""
        if not configured:
            return
        rows = [{"email": s.email.lower(), "address": s.email,
                 "watches": json.dumps(list(s.watches))} for s in configured]
        changed = subscribers.update().where(
            subscribers.c.email == sa.bindparam("b_email"),
        ).values(address=sa.bindparam("b_address"), watches=sa.bindparam("b_watches"))
        with self._tx() as conn:
            conn.execute(self._insert_ignore(conn, subscribers, ["email"]),
                         [{**r, "status": "active", "source": "config", "bounces": 0}
                          for r in rows])
            conn.execute(changed, [{"b_email": r["email"], "b_address": r["address"],
                                    "b_watches": r["watches"]} for r in rows])

    def subscriber(self, email: str) -> SubscriberRecord | None:
        query = sa.select(subscribers).where(subscribers.c.email == email.lower())
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return SubscriberRecord(
            subscriber=Subscriber(email=row.address, watches=tuple(json.loads(row.watches))),
            status=row.status, source=row.source, last_cutoff=utc(row.last_cutoff),
            bounces=row.bounces, last_error=row.last_error,
        )

    def add_pending(self, email: str, watches: Sequence[str], now: datetime) -> None:
        """A self-service sign-up awaiting confirmation; an active subscriber is left as is."""
        with self._tx() as conn:
            conn.execute(self._insert_ignore(conn, subscribers, ["email"]), [{
                "email": email.lower(), "address": email, "watches": json.dumps(list(watches)),
                "status": "pending", "source": "web", "created": now, "bounces": 0,
            }])

    def confirm(self, email: str, watches: Sequence[str]) -> bool:
        """Activate (or re-activate) an address with these watches; False if unknown."""
        with self._tx() as conn:
            done = conn.execute(subscribers.update().where(subscribers.c.email == email.lower())
                                .values(status="active", watches=json.dumps(list(watches)),
                                        bounces=0, last_error=None))
        return done.rowcount > 0

    def set_status(self, email: str, status: str, error: str | None = None) -> bool:
        values: dict[str, Any] = {"status": status}
        if error is not None:
            values["last_error"] = error
        with self._tx() as conn:
            done = conn.execute(subscribers.update()
                                .where(subscribers.c.email == email.lower()).values(**values))
        return done.rowcount > 0

    def record_bounce(self, email: str, error: str, *, limit: int) -> int:
        """Count a permanent refusal; the address is marked failing at ``limit``."""
        key = email.lower()
        with self._tx() as conn:
            bounces = conn.scalar(sa.select(subscribers.c.bounces)
                                  .where(subscribers.c.email == key))
            if bounces is None:
                return 0
            values: dict[str, Any] = {"bounces": bounces + 1, "last_error": error}
            if bounces + 1 >= limit:
                values["status"] = "failing"
            conn.execute(subscribers.update().where(subscribers.c.email == key).values(**values))
        return int(bounces + 1)

    def subscribers_by_status(self) -> dict[str, int]:
        query = sa.select(subscribers.c.status, sa.func.count()).group_by(subscribers.c.status)
        with self.engine.connect() as conn:
            return {row[0]: int(row[1]) for row in conn.execute(query)}

    def active_subscribers(self) -> list[tuple[Subscriber, datetime | None]]:
        query = sa.select(subscribers).where(subscribers.c.status == "active").order_by(
            subscribers.c.email
        )
        with self.engine.connect() as conn:
            return [
                (Subscriber(email=r.address, watches=tuple(json.loads(r.watches))),
                 utc(r.last_cutoff))
                for r in conn.execute(query)
            ]

    # Outbox --------------------------------------------------------------------------------

    def has_digest(self, recipient: str, day: date) -> bool:
        query = sa.select(digests.c.id).where(
            digests.c.recipient == recipient.lower(), digests.c.day == day
        )
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def enqueue_digest(self, recipient: str, day: date, message: bytes, cutoff: datetime,
                       now: datetime, *, scheduled: bool) -> int | None:
        """Record a digest before sending it and move the subscriber's cutoff, atomically.

        The daily digest takes sequence 0, so a second daily digest for the same day is refused
        by the database (None); extra ``--now`` digests take the next free number.
        """
        key = recipient.lower()
        with self._tx() as conn:
            seq = 0 if scheduled else conn.scalar(
                sa.select(sa.func.coalesce(sa.func.max(digests.c.seq), 0) + 1).where(
                    digests.c.recipient == key, digests.c.day == day
                )
            )
            row = {"recipient": key, "day": day, "seq": seq, "status": "pending",
                   "message": message, "cutoff": cutoff, "created": now, "attempts": 0}
            statement = self._insert_ignore(conn, digests, ["recipient", "day", "seq"])
            digest_id = conn.execute(statement.returning(digests.c.id), [row]).scalar()
            if digest_id is None:
                return None
            conn.execute(
                subscribers.update().where(subscribers.c.email == key).values(last_cutoff=cutoff)
            )
        return int(digest_id)

    def add_edition(self, watch: str, day: date, html: str, text: str, now: datetime) -> int:
        """Keep one watch's section of a digest run for the web archive."""
        with self._tx() as conn:
            return int(conn.execute(editions.insert().values(
                watch=watch, day=day, html=html, text=text, created=now,
            ).returning(editions.c.id)).scalar_one())

    def editions(self, watch: str, limit: int = 60) -> list[Edition]:
        query = sa.select(editions).where(editions.c.watch == watch).order_by(
            editions.c.day.desc(), editions.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [Edition(r.id, r.watch, r.day, r.html, r.text) for r in conn.execute(query)]

    def edition(self, edition_id: int) -> Edition | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(editions).where(editions.c.id == edition_id)).first()
        return None if r is None else Edition(r.id, r.watch, r.day, r.html, r.text)

    def digest_ran(self, day: date) -> bool:
        """Has the daily digest run for this local day finished?"""
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(digest_runs.c.day).where(digest_runs.c.day == day)) \
                is not None

    def record_digest_run(self, day: date, now: datetime) -> None:
        with self._tx() as conn:
            conn.execute(self._insert_ignore(conn, digest_runs, ["day"]),
                         [{"day": day, "finished": now}])

    def pending_digests(self) -> list[OutboxEntry]:
        query = sa.select(digests).where(digests.c.status == "pending").order_by(digests.c.id)
        with self.engine.connect() as conn:
            return [_entry(r) for r in conn.execute(query)]

    def claim_pending(self, owner: str, now: datetime, lease: timedelta) -> list[OutboxEntry]:
        """Take the pending digests no live replica holds; a dead replica's lease runs out."""
        free = sa.or_(digests.c.claimed_until.is_(None), digests.c.claimed_until < now,
                      digests.c.claimed_by == owner)
        statement = digests.update().where(digests.c.status == "pending", free).values(
            claimed_by=owner, claimed_until=now + lease,
        ).returning(*digests.c)
        with self._tx() as conn:
            return sorted((_entry(r) for r in conn.execute(statement)), key=lambda e: e.id)

    def claim_owners(self) -> set[str]:
        """Everyone holding a claim on unfinished work (digests, articles, feeds)."""
        queries = (
            sa.select(digests.c.claimed_by).where(digests.c.status == "pending"),
            sa.select(articles.c.claimed_by).where(articles.c.pending.is_(True)),
            sa.select(poll_claims.c.owner).where(poll_claims.c.done.is_(False)),
        )
        with self.engine.connect() as conn:
            return {owner for q in queries for owner in conn.scalars(q.distinct()) if owner}

    def release_claims(self, owners: Sequence[str]) -> None:
        """Free the work of claimants known to be dead, for others to take at once."""
        if not owners:
            return
        with self._tx() as conn:
            conn.execute(digests.update().where(digests.c.claimed_by.in_(owners))
                         .values(claimed_by=None, claimed_until=None))
            conn.execute(articles.update().where(articles.c.claimed_by.in_(owners))
                         .values(claimed_by=None, claimed_until=None))
            conn.execute(poll_claims.delete().where(poll_claims.c.owner.in_(owners),
                                                    poll_claims.c.done.is_(False)))

    # Poll claims: with several replicas, each feed is fetched by one of them per interval ------

    def claim_feeds(self, urls: Sequence[str], slot: int, owner: str, now: datetime,
                    lease: timedelta) -> list[str]:
        """The feeds this replica fetches in interval ``slot``: those nobody claimed, and those
        whose claimant did not finish within ``lease`` (it died)."""
        if not urls:
            return []
        with self._tx() as conn:
            conn.execute(self._insert_ignore(conn, poll_claims, ["feed_url", "slot"]), [
                {"feed_url": u, "slot": slot, "owner": owner, "claimed_at": now, "done": False}
                for u in urls
            ])
            taken = poll_claims.update().where(
                poll_claims.c.slot == slot, poll_claims.c.feed_url.in_(urls),
                poll_claims.c.done.is_(False),
                sa.or_(poll_claims.c.owner == owner, poll_claims.c.claimed_at < now - lease),
            ).values(owner=owner, claimed_at=now).returning(poll_claims.c.feed_url)
            mine = set(conn.scalars(taken))
            conn.execute(poll_claims.delete().where(poll_claims.c.slot < slot - 96))
        return [u for u in urls if u in mine]

    def finish_feeds(self, urls: Sequence[str], slot: int) -> None:
        if urls:
            with self._tx() as conn:
                conn.execute(poll_claims.update().where(
                    poll_claims.c.slot == slot, poll_claims.c.feed_url.in_(urls),
                ).values(done=True))

    def mark_sent(self, digest_id: int, now: datetime) -> None:
        with self._tx() as conn:
            conn.execute(digests.update().where(digests.c.id == digest_id).values(
                status="sent", sent_at=now, attempts=digests.c.attempts + 1, error=None,
            ))

    def mark_failed(self, digest_id: int, error: str, *, permanent: bool) -> None:
        status = "failed" if permanent else "pending"
        with self._tx() as conn:
            conn.execute(digests.update().where(digests.c.id == digest_id).values(
                status=status, attempts=digests.c.attempts + 1, error=error,
                claimed_by=None, claimed_until=None,
            ))

    def digest_counts(self) -> dict[str, int]:
        query = sa.select(digests.c.status, sa.func.count()).group_by(digests.c.status)
        with self.engine.connect() as conn:
            return {row[0]: int(row[1]) for row in conn.execute(query)}


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(id=row.id, recipient=row.recipient, day=row.day, message=row.message,
                       attempts=row.attempts)


def _stored(row: Any) -> StoredArticle:
    article = Article(
        identity=row.identity, feed_url=row.feed_url, title=row.title, link=row.link,
        published=utc(row.published), summary=row.summary,
    )
    return StoredArticle(id=row.id, article=article, outlet=row.outlet,
                         first_seen=_must(row.first_seen), body=row.body)


def _source(row: Any) -> Source:
    return Source(outlet=row.outlet, title=row.title, link=row.link, seen=_must(row.first_seen))
