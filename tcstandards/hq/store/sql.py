"""The store on SQLAlchemy Core: one implementation for SQLite (embedded, the default) and PostgreSQL.

Concurrency: every write is one transaction that first takes the store's write
lock, ``BEGIN IMMEDIATE`` on SQLite (with a generous busy timeout) and a
transaction-scoped advisory lock on PostgreSQL, so two ``consolidate`` runs,
or portal workers, take turns and both complete; a return is never recorded
twice (it is looked up by its bytes under the lock) and the unique index of
the version in force holds whatever happens.  A process killed mid-write
leaves the last committed state: the database rolls the unfinished
transaction back.  SQLite keeps its default rollback journal with
``synchronous = FULL`` (no ``-wal`` files beside the store).  The reading
commands open the store read-only and never change it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Integer, func, select

from tcstandards.hq.store import schema as t
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
from tcstandards.hq.store.failures import guarded
from tcstandards.hq.store.rows import conflict_from_row, sql_values, submission_from_row
from tcstandards.hq.store.sql_portal import SqlPortalPart
from tcstandards.validation.findings import Finding

if TYPE_CHECKING:
    import pandas as pd

WRITE_LOCK = 0x7C57  # PostgreSQL: the advisory lock every write of the store takes ("TCST")
CHUNK = 10_000  # values of one IN (...): well under SQLite's limit of bound parameters


@guarded
class SqlStore(SqlPortalPart, Store):
    """A store on an engine (see :mod:`tcstandards.hq.store.engines` for how one is opened)."""

    def __init__(self, engine: Engine, location: str, *, writable: bool, shared: bool = False) -> None:
        self.engine = engine
        self.shared = shared  # an engine of the process (PostgreSQL's pool): closing the store keeps it
        self.location = location
        self.writable = writable
        self.conn: Connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction, under the store's write lock, on the store's one connection (a
        second one a write would double what a portal's many requests at once ask of the pool)."""
        self.conn.exec_driver_sql("BEGIN IMMEDIATE" if self.sqlite else "BEGIN")
        try:
            if not self.sqlite:
                self.conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))
            yield self.conn
        except BaseException:
            self.conn.exec_driver_sql("ROLLBACK")
            raise
        self.conn.exec_driver_sql("COMMIT")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """Reads that all see the store at one moment (a copy while others write to it)."""
        self.conn.exec_driver_sql(
            "BEGIN" if self.sqlite else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        )
        try:
            yield self.conn
        finally:
            self.conn.exec_driver_sql("ROLLBACK")  # nothing was written: nothing to keep

    def close(self) -> None:
        self.conn.close()
        if not self.shared:
            self.engine.dispose()

    def schema_version(self) -> int:
        from tcstandards.hq.store.upgrade import REVISIONS, revision_of

        revision = revision_of(self.conn)
        return REVISIONS.index(revision) + 1 if revision in REVISIONS else 0

    # --- ledger ---------------------------------------------------------------

    def find_sha(self, sha256: str) -> Submission | None:
        return self._find_sha(self.conn, sha256)

    @staticmethod
    def _find_sha(conn: Connection, sha256: str) -> Submission | None:
        s = t.submissions
        row = conn.execute(select(s).where(s.c.sha256 == sha256).order_by(s.c.id.desc()).limit(1)).first()
        return submission_from_row(row) if row else None

    def record_counts(self, submission_id: int) -> dict[str, int]:
        counts = {}
        for name, table in t.record_tables().items():
            if name in self.standard.record_types:
                query = select(func.count()).select_from(table).where(table.c.submission_id == submission_id)
                counts[name] = int(self.conn.execute(query).scalar() or 0)
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
        s = t.submissions
        with self.transaction() as conn:
            known = self._find_sha(conn, new.sha256)
            if known is not None and _still_known(conn, known, new, recheck):
                return known, False, None  # known, or another process ingested the same bytes meanwhile
            sid = int(conn.execute(s.insert().values(**_ledger_line(new)).returning(s.c.id)).scalar_one())
            if new.contents:
                conn.execute(
                    t.uploads.insert(),
                    [
                        {"submission_id": sid, "seq": n, "name": name, "content": data}
                        for n, (name, data) in enumerate(new.contents)
                    ],
                )
            if findings:
                conn.execute(t.findings.insert(), [_finding_row(sid, n, f) for n, f in enumerate(findings)])
            if new.outcome == MERGED:
                for name, frame in tables.items():
                    self._insert_records(conn, name, sid, new, frame)
                replaced = self._take_over(conn, sid, new)
                if conflicts:
                    conn.execute(t.conflicts.insert(), [_conflict_row(sid, c) for c in conflicts])
            row = conn.execute(select(s).where(s.c.id == sid)).one()
        return submission_from_row(row), True, replaced

    @staticmethod
    def _take_over(conn: Connection, sid: int, new: NewSubmission) -> int | None:
        """The new version becomes the one in force, unless HQ received it before the current one."""
        s = t.submissions
        before = conn.execute(
            select(s.c.id, s.c.revision, s.c.prepared_on, s.c.received_at).where(
                _is(s.c.office, new.office), _is(s.c.period, new.period), s.c.current == 1
            )
        ).first()
        if before is not None and version_order(*before[1:]) > new.version_order():  # an earlier version
            conn.execute(s.update().where(s.c.id == sid).values(superseded_by=before[0]))
            return None
        replaced = before[0] if before else None
        if replaced is not None:
            conn.execute(s.update().where(s.c.id == replaced).values(current=0, superseded_by=sid))
        conn.execute(s.update().where(s.c.id == sid).values(current=1))
        return replaced

    @staticmethod
    def _insert_records(
        conn: Connection, name: str, sid: int, new: NewSubmission, frame: pd.DataFrame
    ) -> None:
        if not len(frame):
            return
        columns = [c for c in frame.columns if c not in PROVENANCE]
        locations = frame["location"].tolist() if "location" in frame else [None] * len(frame)
        rows = [
            (sid, new.office, new.period, i, where, *values)
            for i, (where, values) in enumerate(zip(locations, sql_values(frame[columns]), strict=True))
        ]
        # the driver's own bulk path, with positional values: thousands of lines a return, where
        # SQLAlchemy's processing of each row as a dictionary would cost more than writing it
        quote = conn.dialect.identifier_preparer.quote
        provenance = ("submission_id", "office", "return_period", "position", "location")
        names = ", ".join(quote(c) for c in (*provenance, *columns))
        table = quote(t.record_tables()[name].name)
        if conn.dialect.name == "postgresql":  # COPY: one stream of CSV, not a statement a line
            whole = [
                5 + n for n, c in enumerate(columns) if isinstance(t.record_tables()[name].c[c].type, Integer)
            ]
            if whole:  # a count typed as float (its column has gaps): 11.0 is 11, as SQLite's affinity has it
                rows = [_whole(row, whole) for row in rows]
            with (
                conn.connection.driver_connection.cursor() as cursor,  # type: ignore[union-attr]
                cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv, NULL '\\N')") as copy,
            ):
                copy.write(_csv(rows))
            return
        marks = ", ".join(["?"] * (5 + len(columns)))
        conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def submissions(self, *, office: str | None = None, period: str | None = None) -> list[Submission]:
        s = t.submissions
        query = select(s).order_by(s.c.id)
        if office:
            query = query.where(s.c.office == office)
        if period:
            query = query.where(s.c.period == period)
        return [submission_from_row(row) for row in self.conn.execute(query)]

    def submission(self, submission_id: int) -> Submission | None:
        row = self.conn.execute(select(t.submissions).where(t.submissions.c.id == submission_id)).first()
        return submission_from_row(row) if row else None

    def findings(self, submission_id: int) -> list[dict[str, Any]]:
        f = t.findings
        shown = [c for c in f.c if c.name not in ("submission_id", "seq")]
        rows = self.conn.execute(select(*shown).where(f.c.submission_id == submission_id).order_by(f.c.seq))
        return [dict(row._mapping) for row in rows]

    def conflicts(self, *, period: str | None = None) -> list[Conflict]:
        c, s = t.conflicts, t.submissions
        mine, other = s.alias("s"), s.alias("o")
        query = (
            select(
                c.c.record,
                c.c.period,
                c.c.key,
                c.c.submission_id,
                c.c.other_submission_id,
                c.c.office,
                c.c.other_office,
                c.c.owner,
                c.c.differences,
                mine.c.file_name,
                other.c.file_name,
            )
            .join(mine, mine.c.id == c.c.submission_id)
            .join(other, other.c.id == c.c.other_submission_id)
            .order_by(c.c.id)
        )
        if period:
            query = query.where(c.c.period == period)
        return [conflict_from_row(tuple(row)) for row in self.conn.execute(query)]

    def records(
        self, record: str, *, project_codes: Sequence[str] | None = None, period: str | None = None
    ) -> pd.DataFrame:
        import pandas as pd

        table = t.record_tables()[record]
        quote = self.engine.dialect.identifier_preparer.quote
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        names = [c.name for c in table.c] + ["received_at", "source_file", "sha256"]
        sql = (  # run on the driver's own cursor: hundreds of calls a run, plain tuples back
            f"SELECT {', '.join('r.' + quote(c.name) for c in table.c)}, s.received_at, "
            f"s.file_name AS source_file, s.sha256 FROM {quote(table.name)} r "
            f"JOIN submissions s ON s.id = r.submission_id WHERE s.{quote('current')} = 1"
        )
        params: list[Any] = []
        if period is not None:
            sql += f" AND r.return_period = {mark}"
            params.append(period)
        order = " ORDER BY r.submission_id, r.position"
        if project_codes is None:
            return pd.DataFrame.from_records(self._rows(sql + order, params), columns=names)
        codes = sorted(set(project_codes))
        project = quote(t.identifier(self.standard.roles.project))
        rows: list[tuple[Any, ...]] = []
        if self.engine.dialect.name == "postgresql":  # one array, not a placeholder a code
            rows = self._rows(f"{sql} AND r.{project} = ANY({mark}){order}", [*params, codes])
            return pd.DataFrame.from_records(rows, columns=names)
        for start in range(0, len(codes), CHUNK):
            chunk = codes[start : start + CHUNK]
            rows += self._rows(
                f"{sql} AND r.{project} IN ({', '.join([mark] * len(chunk))}){order}", params + chunk
            )
        frame = pd.DataFrame.from_records(rows, columns=names)
        return frame.sort_values(["submission_id", "position"], kind="stable").reset_index(drop=True)

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            if self.engine.dialect.name == "postgresql":  # planned for its values: the codes vary a lot
                cursor.execute(sql, params, prepare=False)
            else:
                cursor.execute(sql, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()


def _whole(row: tuple[Any, ...], places: list[int]) -> tuple[Any, ...]:
    values = list(row)
    for place in places:
        value = values[place]
        if isinstance(value, float) and value.is_integer():
            values[place] = int(value)
    return tuple(values)


def _csv(rows: list[tuple[Any, ...]]) -> str:
    """Rows as COPY's CSV reads them (``NULL '\\N'``): every text quoted (an empty text stays text),
    numbers as Python writes them (exactly), None as an unquoted ``\\N``. None goes through the writer
    as NUL, which no PostgreSQL text can hold."""
    buffer = io.StringIO()
    marked = [tuple("\x00" if v is None else v for v in row) for row in rows]
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(marked)
    return buffer.getvalue().replace('"\x00"', "\\N")


def _still_known(conn: Connection, known: Submission, new: NewSubmission, recheck: bool) -> bool:
    """These bytes, already in the ledger, are not to be recorded again: the version in force, a
    quarantined return (unless checked again), or an earlier version that would not take over now."""
    if known.current or (known.outcome == QUARANTINED and not recheck):
        return True
    if known.outcome != MERGED:
        return False
    s = t.submissions
    current = conn.execute(
        select(s.c.revision, s.c.prepared_on, s.c.received_at).where(
            _is(s.c.office, new.office), _is(s.c.period, new.period), s.c.current == 1
        )
    ).first()
    return current is not None and version_order(*current) > new.version_order()


def _is(column: Any, value: Any) -> Any:
    return column.is_(None) if value is None else column == value


def _ledger_line(new: NewSubmission) -> dict[str, Any]:
    return {
        "file_name": new.file_name,
        "files": json.dumps(list(new.files), ensure_ascii=False),
        "sha256": new.sha256,
        "office": new.office,
        "period": new.period,
        "standard_version": new.standard_version,
        "received_at": new.received_at,
        "outcome": new.outcome,
        "errors": new.errors,
        "warnings": new.warnings,
        "records": new.records,
        "current": 0,
        "source_path": new.source_path,
        "prepared_on": new.prepared_on,
        "revision": new.revision,
        "submitted_by": new.submitted_by,
    }


def _finding_row(sid: int, seq: int, f: Finding) -> dict[str, Any]:
    return {
        "submission_id": sid,
        "seq": seq,
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "location": f.location,
        "file": f.file,
        "sheet": f.sheet,
        "row": f.row,
        "col": f.column,
        "pointer": f.pointer,
        "record": f.record,
        "field": f.field,
        "value": f.value,
    }


def _conflict_row(sid: int, c: Conflict) -> dict[str, Any]:
    return {
        "record": c.record,
        "period": c.period,
        "key": c.key,
        "submission_id": sid,
        "other_submission_id": c.other_submission_id,
        "office": c.office,
        "other_office": c.other_office,
        "owner": c.owner,
        "differences": json.dumps([list(d) for d in c.differences], ensure_ascii=False),
    }


__all__ = ["SqlStore"]
