"""The SQLite store: one file, one transaction per submission.

Concurrency: every write is ``BEGIN IMMEDIATE`` with a generous busy
timeout, so two ``consolidate`` runs on one store take turns and both
complete.  A process killed mid-write leaves the last committed state: SQLite
rolls the unfinished transaction back on the next open.  The journal is
SQLite's default rollback journal with ``synchronous = FULL`` (no ``-wal``
files beside the store, and a store in a read-only folder can still be read).
The reading commands open the store read-only and never change it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tcstandards.common.errors import UnreadableInputError, UsageError
from tcstandards.hq.store.base import (
    MERGED,
    PROVENANCE,
    QUARANTINED,
    Conflict,
    NewSubmission,
    Store,
    Submission,
    version_order,
)
from tcstandards.hq.store.migrations import LATEST, MIGRATIONS, ensure_columns, identifier, record_table
from tcstandards.hq.store.sqlite_portal import SqlitePortalPart
from tcstandards.hq.store.sqlite_rows import (
    SUBMISSION_COLUMNS,
    conflict_from_row,
    sql_values,
    submission_from_row,
)
from tcstandards.standard import available_versions, load_standard
from tcstandards.validation.findings import Finding

if TYPE_CHECKING:
    import pandas as pd

BUSY_TIMEOUT_S = 120.0
# check_same_thread=False: the portal opens a store in one thread of its pool and uses it in others
# (FastAPI runs a request's sync dependencies, its endpoint and the dependency's exit each on a pool
# thread, one after another, never at once); a store is never shared by two requests.


class SqliteStore(SqlitePortalPart, Store):
    def __init__(self, path: Path, *, writable: bool = True) -> None:
        self.path = path
        self.location = str(path)
        self.writable = writable
        try:
            if writable:
                self.conn = sqlite3.connect(
                    path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
                )
            else:
                uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
                self.conn = sqlite3.connect(
                    uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
                )
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            version = self._version()  # reads only: another application's database is left as it is
        except sqlite3.DatabaseError as error:
            raise UnreadableInputError(
                f"{path} is not a tcstandards store (SQLite said: {error})",
                code="not-a-store",
                path=str(path),
            ) from error
        if version == LATEST and not self._missing_columns():
            return
        if not writable:
            if version > LATEST:
                raise UsageError(
                    _too_new(path, version),
                    code="store-too-new",
                    path=str(path),
                    version=version,
                    known=LATEST,
                )
            raise UsageError(
                f"the store {path} was made by an older tcstandards: consolidating into it upgrades it",
                code="store-too-old",
                path=str(path),
            )
        self._migrate()

    # --- schema ---------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _version(self) -> int:
        """The schema version; 0 for a new, empty file; an error for another application's database."""
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_migrations" not in names:
            if names:
                raise UnreadableInputError(
                    f"{self.path} is an SQLite database but not a tcstandards store",
                    code="other-database",
                    path=str(self.path),
                )
            return 0
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        try:
            with self._transaction() as conn:
                current = self._version()  # again, under the lock: another process may have migrated
                if current > LATEST:
                    raise UsageError(
                        _too_new(self.path, current),
                        code="store-too-new",
                        path=str(self.path),
                        version=current,
                        known=LATEST,
                    )
                if current == 0:
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations "
                        "(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
                    )
                for version, description, function in MIGRATIONS:
                    if version > current:
                        function(conn)
                        conn.execute(
                            "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, description, _now())
                        )
                for known in available_versions():
                    ensure_columns(conn, load_standard(known))
        except sqlite3.DatabaseError as error:
            raise UnreadableInputError(
                f"{self.path} is not a tcstandards store (SQLite said: {error})",
                code="not-a-store",
                path=str(self.path),
            ) from error

    def _missing_columns(self) -> bool:
        for known in available_versions():
            for record in load_standard(known).record_types.values():
                have = {
                    row[1] for row in self.conn.execute(f"PRAGMA table_info({record_table(record.name)})")
                }
                if not set(record.field_names) <= have:
                    return True
        return False

    def schema_version(self) -> int:
        return self._version()

    def close(self) -> None:
        self.conn.close()

    # --- ledger ---------------------------------------------------------------

    def find_sha(self, sha256: str) -> Submission | None:
        """The latest submission of these bytes, if any."""
        row = self.conn.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
            (sha256,),
        ).fetchone()
        return submission_from_row(row) if row else None

    def record_counts(self, submission_id: int) -> dict[str, int]:
        counts = {}
        for name in self.standard.record_types:
            row = self.conn.execute(
                f"SELECT count(*) FROM {record_table(name)} WHERE submission_id = ?", (submission_id,)
            ).fetchone()
            counts[name] = int(row[0])
        return counts

    def add_submission(
        self,
        new: NewSubmission,
        findings: Sequence[Finding],
        tables: Mapping[str, pd.DataFrame],
        conflicts: Sequence[Conflict],
        *,
        recheck: bool = False,
    ) -> tuple[Submission, bool, int | None]:
        replaced = None
        with self._transaction() as conn:
            known = self.find_sha(new.sha256)
            if known is not None and (known.current or (known.outcome == QUARANTINED and not recheck)):
                return known, False, None  # known, or another process ingested the same bytes meanwhile
            cursor = conn.execute(
                "INSERT INTO submissions (file_name, files, sha256, office, period, standard_version, "
                "received_at, outcome, errors, warnings, records, current, source_path, prepared_on, "
                "revision, submitted_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                (
                    new.file_name,
                    json.dumps(list(new.files), ensure_ascii=False),
                    new.sha256,
                    new.office,
                    new.period,
                    new.standard_version,
                    new.received_at,
                    new.outcome,
                    new.errors,
                    new.warnings,
                    new.records,
                    new.source_path,
                    new.prepared_on,
                    new.revision,
                    new.submitted_by,
                ),
            )
            sid = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO uploads VALUES (?, ?, ?, ?)",
                [(sid, seq, name, content) for seq, (name, content) in enumerate(new.contents)],
            )
            conn.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        sid,
                        i,
                        f.rule,
                        f.severity,
                        f.message,
                        f.location,
                        f.file,
                        f.sheet,
                        f.row,
                        f.column,
                        f.pointer,
                        f.record,
                        f.field,
                        f.value,
                    )
                    for i, f in enumerate(findings)
                ],
            )
            if new.outcome == MERGED:
                for name, frame in tables.items():
                    self._insert_records(name, sid, new, frame)
                before = conn.execute(
                    "SELECT id, revision, prepared_on, received_at FROM submissions "
                    "WHERE office IS ? AND period IS ? AND current = 1",
                    (new.office, new.period),
                ).fetchone()
                if (
                    before is not None and version_order(*before[1:]) > new.version_order()
                ):  # an earlier version
                    conn.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (before[0], sid))
                else:
                    replaced = before[0] if before else None
                    conn.execute(
                        "UPDATE submissions SET current = 0, superseded_by = ? WHERE id = ?", (sid, replaced)
                    )
                    conn.execute("UPDATE submissions SET current = 1 WHERE id = ?", (sid,))
                conn.executemany(
                    "INSERT INTO conflicts (record, period, key, submission_id, other_submission_id, "
                    "office, other_office, owner, differences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            c.record,
                            c.period,
                            c.key,
                            sid,
                            c.other_submission_id,
                            c.office,
                            c.other_office,
                            c.owner,
                            json.dumps([list(d) for d in c.differences], ensure_ascii=False),
                        )
                        for c in conflicts
                    ],
                )
            row = conn.execute(
                f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = ?", (sid,)
            ).fetchone()
        return submission_from_row(row), True, replaced

    def _insert_records(self, name: str, sid: int, new: NewSubmission, frame: pd.DataFrame) -> None:
        if not len(frame):
            return
        columns = [c for c in frame.columns if c not in PROVENANCE]
        values = sql_values(frame[columns])
        header = ", ".join(['"submission_id"', '"office"', '"return_period"', '"position"', '"location"'])
        header += "".join(f', "{c}"' for c in columns)
        marks = ", ".join("?" * (5 + len(columns)))
        locations = frame["location"] if "location" in frame else [None] * len(frame)
        rows = (
            (sid, new.office, new.period, i, loc, *vals)
            for i, (loc, vals) in enumerate(zip(locations, values, strict=True))
        )
        self.conn.executemany(f"INSERT INTO {record_table(name)} ({header}) VALUES ({marks})", rows)

    def submissions(self, *, office: str | None = None, period: str | None = None) -> list[Submission]:
        where, params = [], []
        if office:
            where.append("office = ?")
            params.append(office)
        if period:
            where.append("period = ?")
            params.append(period)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(f"SELECT {SUBMISSION_COLUMNS} FROM submissions{clause} ORDER BY id", params)
        return [submission_from_row(r) for r in rows]

    def submission(self, submission_id: int) -> Submission | None:
        row = self.conn.execute(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()
        return submission_from_row(row) if row else None

    def findings(self, submission_id: int) -> list[dict[str, Any]]:
        cursor = self.conn.execute(
            "SELECT rule, severity, message, location, file, sheet, row, col, pointer, record, field, value "
            "FROM findings WHERE submission_id = ? ORDER BY seq",
            (submission_id,),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def conflicts(self, *, period: str | None = None) -> list[Conflict]:
        clause, params = (" WHERE c.period = ?", [period]) if period else ("", [])
        rows = self.conn.execute(
            "SELECT c.record, c.period, c.key, c.submission_id, c.other_submission_id, c.office, "
            "c.other_office, c.owner, c.differences, s.file_name, o.file_name FROM conflicts c "
            "JOIN submissions s ON s.id = c.submission_id JOIN submissions o ON o.id = c.other_submission_id"
            f"{clause} ORDER BY c.id",
            params,
        )
        return [conflict_from_row(row) for row in rows]

    def records(
        self, record: str, *, project_codes: Sequence[str] | None = None, period: str | None = None
    ) -> pd.DataFrame:
        import pandas as pd

        table = record_table(record)
        sql = (
            f"SELECT r.*, s.received_at, s.file_name AS source_file, s.sha256 FROM {table} r "
            "JOIN submissions s ON s.id = r.submission_id WHERE s.current = 1"
        )
        params: list[Any] = []
        if period is not None:
            sql += " AND r.return_period = ?"
            params.append(period)
        if project_codes is not None:
            codes = sorted(set(project_codes))
            if not codes:
                sql += " AND 0"
            else:
                self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (code TEXT PRIMARY KEY)")
                self.conn.execute("DELETE FROM wanted")
                self.conn.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", [(c,) for c in codes])
                project = identifier(self.standard.roles.project)
                sql += f' AND r."{project}" IN (SELECT code FROM wanted)'
        sql += " ORDER BY r.submission_id, r.position"
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=names)


def _too_new(path: Path, version: int) -> str:
    return (
        f"the store {path} has schema version {version}, newer than this tcstandards knows ({LATEST}); "
        "upgrade tcstandards"
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
