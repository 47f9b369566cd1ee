"""``tcstandards store copy``: a whole store into an empty one, on any engine, verified.

Every table is copied row by row in the order of its key (ids are kept, so the
ledger, its findings and conflicts, and every record keep their links), in one
transaction of the target; then each table's rows are counted and hashed on
both sides, values written the same way whatever the engine, and any
difference is an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from tcstandards.common.errors import StandardError, UsageError
from tcstandards.hq.store import schema as t
from tcstandards.hq.store.sql import SqlStore

BATCH = 5_000
SETVAL = (  # PostgreSQL: the next id of a table after the ids copied
    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
    "coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
)
SERIALS = (t.submissions, t.conflicts, t.events)  # PostgreSQL: their sequences follow the ids copied


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int
    checksum: str


def copy_store(
    source: SqlStore, target: SqlStore, progress: Callable[[str], None] | None = None
) -> list[Copied]:
    """Copy ``source`` into ``target`` (a store with no submissions, accounts or actions yet)."""
    if _holds_anything(target):
        raise UsageError(
            f"the store {target.location} is not empty: copy into a new store", code="store-not-empty",
            path=target.location,
        )  # fmt: skip
    tables = copied_tables()
    sums = {}
    # the source as it is at one moment (others may write to it), into the target in one transaction
    with source.snapshot() as reading, target.transaction() as conn:
        for table in tables:
            if progress is not None:
                progress(table.name)
            sums[table.name] = _copy_table(reading, conn, table)
        if conn.dialect.name == "postgresql":
            for table in SERIALS:
                conn.execute(text(SETVAL.format(table=table.name)))
    copied = []
    for table in tables:
        mine, theirs = sums[table.name], summary(target.conn, table)
        if mine != theirs:
            raise StandardError(
                f"the copy of table {table.name} differs: {mine} in the source, {theirs} in the copy"
            )
        copied.append(Copied(table.name, *mine))
    return copied


def copied_tables() -> list[Table]:
    """Every table but the settings: the session secret of a portal stays with its store (a copy sent
    elsewhere must not let its holder sign sessions for the original)."""
    return [table for table in t.all_tables() if table is not t.settings]


def _holds_anything(store: SqlStore) -> bool:
    return any(
        store.conn.execute(select(func.count()).select_from(table)).scalar()
        for table in (t.submissions, t.accounts, t.events)
    )


def _order(table: Table) -> list[Any]:
    key = list(table.primary_key.columns)
    return key or [table.c.submission_id, table.c.position]


def _rows(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = conn.execute(select(table).order_by(*_order(table)))
    for batch in result.mappings().partitions(BATCH):
        yield [dict(row) for row in batch]


def _copy_table(source: Connection, target: Connection, table: Table) -> tuple[int, str]:
    """Copy a table's rows; their summary (:func:`summary`), made as they are read."""
    later = []  # superseded_by may name a later submission: set once every submission is in
    summed = _Summary(table)
    for batch in _rows(source, table):
        summed.add(batch)
        if table is t.submissions:
            later += [(row["id"], row["superseded_by"]) for row in batch if row["superseded_by"] is not None]
            batch = [{**row, "superseded_by": None} for row in batch]
        target.execute(table.insert(), batch)
    for sid, by in later:
        target.execute(t.submissions.update().where(t.submissions.c.id == sid).values(superseded_by=by))
    return summed.result()


def summary(conn: Connection, table: Table) -> tuple[int, str]:
    """The number of rows of a table and a SHA-256 of their values, the same on every engine."""
    summed = _Summary(table)
    for batch in _rows(conn, table):
        summed.add(batch)
    return summed.result()


class _Summary:
    def __init__(self, table: Table) -> None:
        self.names = [c.name for c in table.c]
        self.digest = hashlib.sha256()
        self.count = 0

    def add(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.digest.update(("\x1f".join(_value(row[name]) for name in self.names) + "\x1e").encode())
        self.count += len(rows)

    def result(self) -> tuple[int, str]:
        return self.count, self.digest.hexdigest()


def _value(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)
