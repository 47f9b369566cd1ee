"""The store's tables, once, for every engine (SQLAlchemy Core): the ledger, findings, conflicts, the
portal's accounts, actions, uploads and settings, and one table of records per record type.

Record tables have one column per field of every version of the standard the
package ships (a field added by a newer standard is added as a column when the
store is opened: :func:`missing_columns`), so a store keeps every version's
records.  The Alembic migrations (``migrations/versions``) made these tables
step by step; this module is what they add up to, which the store reads and
writes through.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    inspect,
    text,
)
from sqlalchemy.types import TypeEngine

from tcstandards.common.errors import StandardError
from tcstandards.standard import Standard, available_versions, load_standard

SQL_TYPES: dict[str, type[TypeEngine[Any]]] = {
    "money": Float,
    "decimal": Float,
    "pct": Float,
    "int": Integer,
    "bool": Integer,
}
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
CURRENT_ONLY = text("current = 1")

metadata = MetaData()

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("files", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("office", Text),
    Column("period", Text),
    Column("standard_version", Text),
    Column("received_at", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("records", Integer, nullable=False),
    Column("current", Integer, nullable=False, server_default="0"),
    Column("superseded_by", Integer, ForeignKey("submissions.id")),
    Column("source_path", Text),
    Column("prepared_on", Text),
    Column("revision", Integer),
    Column("submitted_by", Text),
    CheckConstraint("outcome IN ('merged', 'quarantined')", name="submissions_outcome"),
)
Index("submissions_sha256", submissions.c.sha256)
Index("submissions_office_period", submissions.c.office, submissions.c.period)
Index(
    "submissions_one_current",  # one version in force per office and quarter, whatever runs at once
    submissions.c.office,
    submissions.c.period,
    unique=True,
    sqlite_where=CURRENT_ONLY,
    postgresql_where=CURRENT_ONLY,
)

findings = Table(
    "findings",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("rule", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("location", Text),
    Column("file", Text),
    Column("sheet", Text),
    Column("row", Integer),
    Column("col", Integer),
    Column("pointer", Text),
    Column("record", Text),
    Column("field", Text),
    Column("value", Text),
    PrimaryKeyConstraint("submission_id", "seq"),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("other_submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("office", Text, nullable=False),
    Column("other_office", Text, nullable=False),
    Column("owner", Text),
    Column("differences", Text),
)

accounts = Table(
    "accounts",
    metadata,
    Column("name", Text, primary_key=True),
    Column("role", Text, nullable=False),
    Column("office", Text),
    Column("password_hash", Text, nullable=False),
    Column("token_hash", Text, unique=True),
    Column("disabled", Integer, nullable=False, server_default="0"),
    Column("created_at", Text, nullable=False),
    CheckConstraint("role IN ('office', 'hq', 'admin')", name="accounts_role"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("account", Text),
    Column("action", Text, nullable=False),
    Column("subject", Text),
    Column("detail", Text),
)
Index("events_action_subject", events.c.action, events.c.subject, events.c.at)

uploads = Table(
    "uploads",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    PrimaryKeyConstraint("submission_id", "seq"),
)

settings = Table(
    "settings",
    metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

LEDGER_TABLES = (submissions, findings, conflicts, accounts, events, uploads, settings)


def identifier(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise StandardError(f"not a usable column name: {name!r}")
    return name


def record_table_name(record: str) -> str:
    return f"rec_{identifier(record)}"


def provenance_columns() -> list[Column[object]]:
    return [
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("office", Text),
        Column("return_period", Text),
        Column("position", Integer, nullable=False),
        Column("location", Text),
    ]


def field_columns(standard: Standard, record: str) -> list[Column[object]]:
    return [
        Column(identifier(f.name), SQL_TYPES.get(f.type, Text)) for f in standard.record_type(record).fields
    ]


def record_tables() -> dict[str, Table]:
    """Record type -> its table: provenance, then every field of every version shipped, in the order
    the migrations added them (the oldest version's first).  Made once, whichever of the portal's
    threads asks first (a table is defined once in the metadata)."""
    with _MAKING:
        return _record_tables()


_MAKING = threading.Lock()


@functools.cache
def _record_tables() -> dict[str, Table]:
    tables = {}
    versions = available_versions()
    for record in load_standard(versions[-1]).record_types:
        columns = {c.name: c for c in provenance_columns()}
        for version in versions:
            standard = load_standard(version)
            if record in standard.record_types:
                for column in field_columns(standard, record):
                    columns.setdefault(column.name, column)
        table = Table(record_table_name(record), metadata, *columns.values())
        Index(f"{table.name}_submission", table.c.submission_id)
        tables[record] = table
    return tables


def all_tables() -> list[Table]:
    return [*LEDGER_TABLES, *record_tables().values()]


def missing_columns(
    connection: Connection, standards: list[Standard] | None = None
) -> list[tuple[str, Column[object]]]:
    """(table, column) of each field of ``standards`` (default: every version shipped, the columns of
    :func:`record_tables`) that a record table of the store lacks.  Asked at every opening of a store:
    one look at each table."""
    if standards is None:
        wanted = [(table.name, list(table.c)) for table in record_tables().values()]
    else:
        wanted = [
            (record_table_name(record), field_columns(standard, record))
            for standard in standards
            for record in standard.record_types
        ]
    inspector = inspect(connection)
    names = set(inspector.get_table_names())
    missing = []
    for table, columns in wanted:
        if table in names:
            have = {c["name"] for c in inspector.get_columns(table)}
            missing += [(table, c) for c in columns if c.name not in have]
    return missing


def add_missing_columns(connection: Connection, standards: list[Standard] | None = None) -> None:
    """Add a column for every field of ``standards`` that a record table lacks."""
    quote = connection.dialect.identifier_preparer.quote
    for table, column in missing_columns(connection, standards):
        kind = column.type.compile(dialect=connection.dialect)
        connection.exec_driver_sql(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column.name)} {kind}")
