"""The SQLite store's schema, as numbered migrations recorded in ``schema_migrations``.

A migration is never edited once released: a later version of the package
adds a new one, and opening an older store applies what it lacks, in one
transaction.  Record tables get one column per field of the standard; a field
added by a newer standard is added as a column when the store is opened
(:func:`ensure_columns`), so a store keeps every version's records.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from tcstandards.common.errors import StandardError
from tcstandards.standard import Standard

SQL_TYPES = {"money": "REAL", "decimal": "REAL", "pct": "REAL", "int": "INTEGER", "bool": "INTEGER"}
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

BASE_TABLES = """
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name TEXT NOT NULL,
    files TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    office TEXT,
    period TEXT,
    standard_version TEXT,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('merged', 'quarantined')),
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    records INTEGER NOT NULL,
    current INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id),
    source_path TEXT
);
CREATE INDEX submissions_sha256 ON submissions(sha256);
CREATE INDEX submissions_office_period ON submissions(office, period);
CREATE UNIQUE INDEX submissions_one_current ON submissions(office, period) WHERE current = 1;
CREATE TABLE findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    seq INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    location TEXT,
    file TEXT,
    sheet TEXT,
    row INTEGER,
    col INTEGER,
    pointer TEXT,
    record TEXT,
    field TEXT,
    value TEXT,
    PRIMARY KEY (submission_id, seq)
);
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record TEXT NOT NULL,
    period TEXT NOT NULL,
    key TEXT NOT NULL,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    other_submission_id INTEGER NOT NULL REFERENCES submissions(id),
    office TEXT NOT NULL,
    other_office TEXT NOT NULL,
    owner TEXT
);
"""


def record_table(name: str) -> str:
    return f"rec_{identifier(name)}"


def identifier(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise StandardError(f"not a usable column name: {name!r}")
    return name


def _record_tables(conn: sqlite3.Connection, standard: Standard) -> None:
    for record in standard.record_types.values():
        table = record_table(record.name)
        columns = [f'"{identifier(f.name)}" {SQL_TYPES.get(f.type, "TEXT")}' for f in record.fields]
        conn.execute(
            f"CREATE TABLE {table} (submission_id INTEGER NOT NULL REFERENCES submissions(id), "
            "office TEXT, return_period TEXT, position INTEGER NOT NULL, location TEXT, "
            + ", ".join(columns)
            + ")"
        )
        conn.execute(f"CREATE INDEX {table}_submission ON {table}(submission_id)")
        project = standard.roles.project
        if project in record.field_names:
            conn.execute(f'CREATE INDEX {table}_project ON {table}("{identifier(project)}")')


def _initial(conn: sqlite3.Connection) -> None:
    from tcstandards.standard import load_standard

    for statement in _statements(BASE_TABLES):  # not executescript: it would commit mid-migration
        conn.execute(statement)
    _record_tables(conn, load_standard("1.0"))


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _tcds_1_1(conn: sqlite3.Connection) -> None:
    """Records are kept in the newest version's field names: move the values of renamed fields."""
    from tcstandards.standard import load_standard
    from tcstandards.standard.versions import field_names

    ensure_columns(conn, load_standard("1.1"))
    for record in load_standard("1.1").record_types:
        table = record_table(record)
        for old, new in field_names(record, "1.0", "1.1").items():
            conn.execute(
                f'UPDATE {table} SET "{identifier(new)}" = "{identifier(old)}" '
                f'WHERE "{identifier(new)}" IS NULL AND "{identifier(old)}" IS NOT NULL'
            )
            conn.execute(f'UPDATE {table} SET "{identifier(old)}" = NULL')


def _conflict_differences(conn: sqlite3.Connection) -> None:
    """Each conflict keeps the fields whose values differ (JSON: [[field, value, other value], ...])."""
    conn.execute("ALTER TABLE conflicts ADD COLUMN differences TEXT")


def _version_order(conn: sqlite3.Connection) -> None:
    """Submissions keep what orders an office's versions: the Cover's prepared-on day and revision."""
    conn.execute("ALTER TABLE submissions ADD COLUMN prepared_on TEXT")
    conn.execute("ALTER TABLE submissions ADD COLUMN revision INTEGER")


def _portal(conn: sqlite3.Connection) -> None:
    """The portal: accounts and their API tokens (hashes only), the ledger of actions, each
    submission's uploaded files, who submitted it, and settings shared by every worker."""
    conn.execute("ALTER TABLE submissions ADD COLUMN submitted_by TEXT")
    for statement in _statements(PORTAL_TABLES):
        conn.execute(statement)


PORTAL_TABLES = """
CREATE TABLE accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('office', 'hq', 'admin')),
    office TEXT,
    password_hash TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    account TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT
);
CREATE INDEX events_action_subject ON events(action, subject, at);
CREATE TABLE uploads (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (submission_id, seq)
);
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""

# (version, description, function): append only.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "ledger, findings, conflicts and record tables of TCDS 1.0", _initial),
    (2, "records in the field names of TCDS 1.1 (evidence -> verification_source)", _tcds_1_1),
    (3, "conflicts name the fields whose values differ", _conflict_differences),
    (4, "submissions keep the day a return was prepared and its revision number", _version_order),
    (5, "the portal: accounts, the ledger of actions, uploaded files, who submitted", _portal),
]
LATEST = MIGRATIONS[-1][0]


def ensure_columns(conn: sqlite3.Connection, standard: Standard) -> None:
    """Add a column for every field of ``standard`` that a record table lacks."""
    for record in standard.record_types.values():
        table = record_table(record.name)
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not have:
            continue
        for f in record.fields:
            if f.name not in have:
                conn.execute(
                    f'ALTER TABLE {table} ADD COLUMN "{identifier(f.name)}" {SQL_TYPES.get(f.type, "TEXT")}'
                )
