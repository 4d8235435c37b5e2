"""The database schema `alerts` keeps, and its named migrations. Any engine SQLAlchemy Core
speaks; the tests run it on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

metadata = sa.MetaData()
UtcDateTime = sa.DateTime(timezone=True)

feeds = sa.Table(
    "feeds", metadata,
    sa.Column("url", sa.String(2048), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, default=""),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_attempt", UtcDateTime),
    sa.Column("last_success", UtcDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("failures", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt", UtcDateTime),
    sa.Column("fetch_url", sa.String(2048)),
    sa.Column("moved_to", sa.String(2048)),
    sa.Column("moves_seen", sa.Integer, nullable=False, default=0),
    sa.Column("disabled", sa.Text),
    # The SHA-256 of the last body parsed: the same bytes again are not parsed again.
    sa.Column("content_hash", sa.String(64)),
    # Fingerprints of that body's entries: entries seen before are not parsed again.
    sa.Column("entry_prints", sa.Text),
)
articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("identity", sa.String(512), nullable=False, unique=True),
    sa.Column("feed_url", sa.String(2048), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("published", UtcDateTime),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("body", sa.Text),
    sa.Column("page_error", sa.Text),
    sa.Column("first_seen", UtcDateTime, nullable=False),
    # True until matched and read: a replica that dies mid-poll leaves it for the next poll.
    sa.Column("pending", sa.Boolean),
    sa.Column("claimed_by", sa.String(200)),
    sa.Column("claimed_until", UtcDateTime),
)
matches = sa.Table(
    "matches", metadata,
    sa.Column("watch", sa.String(200), primary_key=True),
    sa.Column("article_id", sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("first_seen", UtcDateTime, nullable=False, index=True),
)
counts = sa.Table(
    "counts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("watch", sa.String(200), nullable=False, index=True),
    sa.Column("article_id", sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("figure", sa.Integer),
    sa.Column("qualifier", sa.String(20), nullable=False),
    sa.Column("grp", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("span", sa.Text, nullable=False),
    sa.Column("rebel", sa.Boolean, nullable=False),
    sa.Column("group_key", sa.Text, nullable=False),
    sa.Column("action_key", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("previous", sa.Integer),
    sa.Column("total", sa.Integer),
    sa.Column("first_seen", UtcDateTime, nullable=False),
)
statements = sa.Table(
    "statements", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("watch", sa.String(200), nullable=False, index=True),
    sa.Column("article_id", sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("fragment", sa.Boolean, nullable=False),
    sa.Column("speaker_key", sa.Text, nullable=False),
    sa.Column("words", sa.Text, nullable=False),
    sa.Column("first_seen", UtcDateTime, nullable=False),
)
subscribers = sa.Table(
    "subscribers", metadata,
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("address", sa.String(320), nullable=False),
    sa.Column("watches", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, default="active"),
    sa.Column("source", sa.String(20), nullable=False, default="config"),
    sa.Column("last_cutoff", UtcDateTime),
    sa.Column("created", UtcDateTime),
    sa.Column("bounces", sa.Integer, nullable=False, default=0),
    sa.Column("last_error", sa.Text),
)
editions = sa.Table(
    "editions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("watch", sa.String(200), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Index("editions_watch_day", "watch", "day"),
)
digests = sa.Table(
    "digests", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("message", sa.LargeBinary, nullable=False),
    sa.Column("cutoff", UtcDateTime, nullable=False),
    sa.Column("created", UtcDateTime, nullable=False),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("error", sa.Text),
    sa.Column("claimed_by", sa.String(200)),
    sa.Column("claimed_until", UtcDateTime),
    sa.UniqueConstraint("recipient", "day", "seq"),
)
poll_claims = sa.Table(
    "poll_claims", metadata,
    sa.Column("feed_url", sa.String(2048), primary_key=True),
    sa.Column("slot", sa.BigInteger, primary_key=True),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("claimed_at", UtcDateTime, nullable=False),
    sa.Column("done", sa.Boolean, nullable=False, default=False),
)
digest_runs = sa.Table(
    "digest_runs", metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("finished", UtcDateTime, nullable=False),
)
settings = sa.Table(
    "settings", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
migrations = sa.Table(
    "migrations", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("applied_at", UtcDateTime, nullable=False),
)


def add_missing(conn: Connection) -> None:
    """Create missing tables, indexes and (nullable or defaulted) columns, on any engine."""
    metadata.create_all(conn, checkfirst=True)
    inspector = sa.inspect(conn)
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=conn.dialect)
                default = getattr(column.default, "arg", None)
                tail = f" NOT NULL DEFAULT {default!r}" if isinstance(default, int) else ""
                conn.exec_driver_sql(
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{tail}')
        for index in table.indexes:
            index.create(conn, checkfirst=True)


# Named schema changes, applied once each and recorded. A new database gets the current schema
# at once and every name recorded; an existing one is upgraded in place by the steps it lacks.
MIGRATIONS: tuple[tuple[str, Callable[[Connection], None]], ...] = (
    ("0001_initial", lambda conn: metadata.create_all(conn)),
    ("0002_feed_health_subscriptions_editions", add_missing),
    ("0003_replica_claims", add_missing),
    ("0004_feed_content_hash", add_missing),
    ("0005_feed_entry_prints", add_missing),
)
MIGRATION_LOCK = 7_201_931  # a PostgreSQL advisory-lock key: one migrating replica at a time
