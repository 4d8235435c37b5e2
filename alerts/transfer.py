"""Move every table from one database to another: SQLite for one box → PostgreSQL for several.

The target gets the current schema first; it must hold no data yet, so nothing is mixed or
duplicated. Rows keep their ids; PostgreSQL's id sequences are moved past them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from alerts.errors import AlertsError
from alerts.schema import metadata
from alerts.store import Store

BATCH = 1000


class TransferError(AlertsError):
    """The target database cannot take the data."""


def copy_data(source: Store, target: Store,
              progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of every table; returns the number of rows per table."""
    tables = [t for t in metadata.sorted_tables if t.name != "migrations"]
    with target.engine.connect() as conn:
        busy = [t.name for t in tables
                if conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()]
    if busy:
        raise TransferError(f"the target already holds data in {', '.join(busy)}: copy into "
                            "an empty database")
    copied = {}
    with source.engine.connect() as reading, target.engine.begin() as writing:
        for table in tables:
            rows = 0
            for batch in reading.execute(sa.select(table)).mappings().partitions(BATCH):
                writing.execute(table.insert(), [dict(row) for row in batch])
                rows += len(batch)
                if progress:
                    progress(table.name, rows)
            copied[table.name] = rows
        if writing.dialect.name == "postgresql":
            _move_sequences(writing)
    return copied


def _move_sequences(conn: sa.Connection) -> None:
    for table in metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ))
