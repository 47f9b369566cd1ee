"""Consolidation at HQ: validate returns against the store, then merge or quarantine each one.

For each return, in order of period then office (so that the cross-quarter
rules see earlier quarters first):

1. the same bytes ingested before: a no-op, reported as a duplicate;
2. validated with the consolidated register and history of the store;
3. errors: **quarantined** (ledger and findings stored, no record merged);
   otherwise **merged** in one transaction, replacing the office's earlier
   version for that period as a whole (which stays in the ledger);
4. keys already reported for the period by another office: a
   ``key-conflict`` warning naming both submissions (:mod:`tcstandards.consolidated`
   says which line the consolidated data keep).

A return whose only trouble is a project registered by another office of the
same run is checked again once the others are merged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

import pandas as pd

from tcstandards.common.errors import UnreadableInputError, UsageError
from tcstandards.hq.conflicts import find_conflicts
from tcstandards.hq.consolidated import StoreReference
from tcstandards.hq.sender import NotAReturn, Sender, contents
from tcstandards.hq.store import Conflict, NewSubmission, Store, Submission
from tcstandards.hq.store.base import MERGED, QUARANTINED, version_order
from tcstandards.reading.sources import Source, discover, display_name
from tcstandards.standard import Standard, load_standard, periods, versions
from tcstandards.standard.roles import ROLE
from tcstandards.standard.rule_ids import ANNOTATED_COPY, RESUBMISSION_INCOMPLETE
from tcstandards.validation import engine
from tcstandards.validation.engine import Prepared, Progress, name_claims
from tcstandards.validation.findings import Finding, ReturnResult, make_finding
from tcstandards.validation.implementations import UNKNOWN_PROJECT
from tcstandards.validation.run_checks import Seen, returns_twice, seen, with_twice
from tcstandards.validation.tables import Return, Table

NAME = re.compile(rf"(?P<office>[A-Z]{{2,10}})_(?P<period>{periods.QUARTER})", re.IGNORECASE)
DUPLICATE = "duplicate"
MTIME = "mtime"  # received_at: each file's modification time (loading an archive)


@dataclass(frozen=True)
class Outcome:
    """What consolidation did with one return."""

    result: ReturnResult
    status: str  # merged | quarantined | duplicate
    submission: Submission
    replaced: int | None = None  # the submission this one superseded
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True)
class Consolidation:
    outcomes: tuple[Outcome, ...]
    store: str

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def errors(self) -> int:
        return sum(o.result.errors for o in self.outcomes if o.status != DUPLICATE)

    @property
    def warnings(self) -> int:
        return sum(o.result.warnings for o in self.outcomes if o.status != DUPLICATE)

    @property
    def conflicts(self) -> int:
        return sum(len(o.conflicts) for o in self.outcomes)


def _order(source: Source) -> tuple[str, str]:
    match = NAME.search(Path(source.files[0][0]).name)
    if match is None:
        return ("9999", "")
    return (match["period"].upper(), match["office"].upper())


def source_sha256(source: Source) -> str:
    """The bytes of a return: one file, or the CSV files of a group by name."""
    if len(source.files) == 1:
        return _file_sha(source.files[0][0])
    digest = hashlib.sha256()
    for path, _ in sorted(source.files, key=lambda f: f[0].name):
        digest.update(path.name.encode() + b"\0" + _file_sha(path).encode() + b"\n")
    return digest.hexdigest()


def _claims(source: Source, standard: Standard) -> dict[str, str]:
    if source.csv_names:
        return {ROLE.office: source.csv_names[0].office, ROLE.period: source.csv_names[0].period}
    return name_claims(Path(source.files[0][0]), standard)


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    if not path.is_file():
        raise UnreadableInputError(f"{path} is not a regular file", code="not-a-file")
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise UnreadableInputError(f"cannot read {path}: {error.strerror}", code="os-error") from error
    return digest.hexdigest()


def _locations(table: Table) -> list[str]:
    place = table.place
    if place.kind == "json":
        return [f"{place.pointer}/{row}" for row in table.rows]
    if place.kind == "csv":
        return [f"{place.file}:{row}" for row in table.rows]
    return [f"{place.sheet}!{row}" for row in table.rows]


class _Consolidator:
    def __init__(
        self,
        store: Store,
        lang: str,
        today: dt.date | None,
        received_at: dt.datetime | str | None,
        recheck: bool = False,
        sender: Sender | None = None,
    ):
        self.sender = sender
        self.recheck = recheck
        self.store = store
        self.lang = lang
        self.today = today
        self.received_at = received_at
        self.reference = StoreReference(store)
        self.standard = store.standard
        self.prepared: dict[str, Prepared | ReturnResult] = {}  # source -> read, typed and batch-checked
        self.twice: dict[
            str, list[Seen]
        ] = {}  # source -> the other returns of this run for its office and quarter

    def received(self, source: Source) -> str:
        if isinstance(self.received_at, dt.datetime):
            moment = self.received_at
        elif self.received_at == MTIME:
            newest = max(Path(p).stat().st_mtime for p, _ in source.files)
            moment = dt.datetime.fromtimestamp(newest, dt.UTC)
        else:
            moment = dt.datetime.now(dt.UTC)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def prepare(self, sources: Sequence[Source], progress: Progress | None) -> None:
        """Read, type and batch-check the returns of the run at once (the store plays no part in that)."""
        prepared = engine.prepare(sources, lang=self.lang, today=self.today, progress=progress)
        self.prepared.update(zip((s.display for s in sources), prepared, strict=True))
        twice = returns_twice([_seen(one, source) for one, source in zip(prepared, sources, strict=True)])
        self.twice = {sources[n].display: others for n, others in twice.items()}

    def check(self, source: Source) -> tuple[ReturnResult, Return | None]:
        """The return's checks against the store as it is now (the register, the history, conflicts)."""
        prepared = self.prepared.get(source.display)
        if prepared is None:
            return engine.check_source(source, lang=self.lang, today=self.today, reference=self.reference)
        return engine.check_prepared(prepared, lang=self.lang, today=self.today, reference=self.reference)

    def ingest(self, source: Source, sha: str, *, final: bool) -> Outcome | None:
        """Check and record one return; None when it should wait for the others (not ``final``)."""
        result, typed = self.check(source)
        if source.display in self.twice:
            result = with_twice(result, self.twice[source.display], self.lang)
        merged = typed is not None and result.errors == 0 and not result.unreadable
        if not merged and not final and any(f.rule == UNKNOWN_PROJECT for f in result.findings):
            return None
        if result.office is None or result.period is None:  # unreadable: the file name says who sent it
            claims = _claims(source, self.standard)
            result = dataclasses.replace(
                result,
                office=result.office or claims.get(ROLE.office) or self.sender_office(),
                period=result.period or claims.get(ROLE.period),
            )
        self.check_sender(result.office)
        if self.sender is not None and result.period is None:
            raise NotAReturn(result)
        conflicts: list[Conflict] = []
        tables: dict[str, pd.DataFrame] = {}
        if merged and typed is not None:
            conflicts, extra = find_conflicts(
                self.store, typed, result.office, result.period, self.lang, result.standard_version
            )
            extra += self.dropped(result, typed)
            if extra:
                result = dataclasses.replace(result, findings=(*result.findings, *extra))
            stored = self.store.standard.version
            for name, table in typed.tables.items():
                fields = [f for f in table.record.field_names if f in table.frame]
                frame = table.frame[fields].assign(location=_locations(table))
                # stored in the field names of the store's version, whatever version the return follows
                renamed = versions.field_names(name, result.standard_version or stored, stored)
                tables[name] = frame.rename(columns=renamed)
        new = NewSubmission(
            file_name=source.name,
            files=tuple(d for _, d in source.files),
            sha256=sha,
            office=result.office,
            period=result.period,
            standard_version=result.standard_version,
            received_at=self.received(source),
            outcome=MERGED if merged else QUARANTINED,
            errors=result.errors,
            warnings=result.warnings,
            records=result.records,
            source_path=None if self.sender else display_name(os.path.realpath(source.files[0][0])),
            submitted_by=self.sender.account if self.sender else None,
            contents=contents(source) if self.sender else (),
            **_version_marks(typed, result.standard_version or self.standard.version),
        )
        submission, fresh, replaced = self.store.add_submission(
            new, result.findings, tables, conflicts, recheck=self.recheck
        )
        if not fresh:
            return Outcome(result, DUPLICATE, submission)
        return Outcome(result, submission.outcome, submission, replaced, tuple(conflicts))

    def sender_office(self) -> str | None:
        return self.sender.office if self.sender else None

    def check_sender(self, office: str | None) -> None:
        """A sender bound to an office submits that office's returns only: nothing else is recorded."""
        own = self.sender_office()
        if own is not None and office != own:
            raise UsageError(
                f"this return is for office {office}; this account submits returns for {own} only",
                code="wrong-office",
                office=office,
                own=own,
            )

    def dropped(self, result: ReturnResult, typed: Return) -> list[Finding]:
        """A resubmission without records of a type the version in force has: they leave the data."""
        current = [s for s in self.store.submissions(office=result.office, period=result.period) if s.current]
        if not current:
            return []
        rule = self.standard.rule(RESUBMISSION_INCOMPLETE)
        before = self.store.record_counts(current[0].id)
        findings = []
        for name, count in before.items():
            table = typed.tables.get(name)
            if count and (table is None or not len(table)):
                params = {
                    "record": self.standard.sheet_of(name, self.lang),
                    "replaced": f"#{current[0].id}",
                    "count": count,
                }
                findings.append(make_finding(rule, self.lang, params, file=result.files[0], record=name))
        return findings


def _seen(prepared: Prepared | ReturnResult, source: Source) -> Seen:
    if isinstance(prepared, ReturnResult):
        return seen(prepared)
    annotated = any(hit.rule == ANNOTATED_COPY for hit in prepared.typed.place_hits)
    return Seen(prepared.typed.office, prepared.typed.period, source.display, annotated)


def _version_marks(typed: Return | None, version: str) -> dict[str, Any]:
    """What the Cover says of the version: the day it was prepared and its revision number (when valid)."""
    cover = typed.cover if typed is not None else None
    if cover is None or not len(cover):
        return {}
    roles = load_standard(version).roles
    marks: dict[str, Any] = {}
    if cover.has(roles.prepared_on):
        day = cover.col(roles.prepared_on).iloc[0]
        marks["prepared_on"] = None if pd.isna(day) else pd.Timestamp(day).date().isoformat()
    if cover.has(roles.revision):
        number = cover.col(roles.revision).iloc[0]
        marks["revision"] = None if pd.isna(number) else int(number)
    return marks


class Options(TypedDict, total=False):
    """The options of :func:`consolidate_sources`, which :func:`consolidate` passes on."""

    lang: str
    today: dt.date | None
    received_at: dt.datetime | str | None
    recheck: bool
    progress: Progress | None
    sender: Sender | None


def consolidate(paths: Sequence[str | Path], store: Store, **options: Unpack[Options]) -> Consolidation:
    """Consolidate every return found under ``paths`` into ``store`` (see :func:`consolidate_sources`)."""
    return consolidate_sources(discover(paths), store, **options)


def consolidate_sources(
    found: Sequence[Source],
    store: Store,
    *,
    lang: str = "en",
    today: dt.date | None = None,
    received_at: dt.datetime | str | None = None,
    recheck: bool = False,
    progress: Progress | None = None,
    sender: Sender | None = None,
) -> Consolidation:
    """Consolidate returns already found (the portal names its uploads itself) into ``store``.

    ``received_at``: when HQ received the returns; None for now, or
    :data:`MTIME` for each file's modification time.  ``recheck``: check
    again the returns whose bytes are in the ledger as quarantined.  ``sender``:
    the portal account submitting (its returns keep their files and its name;
    one bound to an office may submit only that office's returns, a
    :class:`UsageError` ``wrong-office`` otherwise).
    """
    sources = sorted(found, key=_order)
    work = _Consolidator(store, lang, today, received_at, recheck, sender)
    outcomes: dict[int, Outcome] = {}
    waiting: list[tuple[int, Source, str]] = []
    shas = [_sha(source) for source in sources]
    fresh = [s for s, sha in zip(sources, shas, strict=True) if _duplicate(work, s, sha) is None]
    work.prepare(fresh, progress)  # the progress of reading: the longest part
    for number, (source, sha) in enumerate(zip(sources, shas, strict=True), start=1):
        outcome = _one(work, source, sha, number, waiting)
        if outcome is not None:
            outcomes[number] = outcome
    for number, source, sha in waiting:  # their projects may have arrived with a later return
        outcome = work.ingest(source, sha, final=True)
        if outcome is not None:
            outcomes[number] = outcome
    return Consolidation(tuple(outcomes[n] for n in sorted(outcomes)), store.location)


def _sha(source: Source) -> str:
    try:
        return source_sha256(source)
    except UnreadableInputError:  # not even its bytes: recorded by name, quarantined by the checks
        return "unreadable:" + hashlib.sha256(source.display.encode()).hexdigest()


def _duplicate(work: _Consolidator, source: Source, sha: str) -> Outcome | None:
    """The return is in the ledger already (as it is now): nothing to check or record."""
    known = work.store.find_sha(sha)
    recheck = work.recheck and known is not None and known.outcome == QUARANTINED
    if known is not None and not known.current and (_takes_over(work, source, known) or recheck):
        known = None  # an earlier version sent again that takes over, or a quarantined one to check again
    if known is None:
        return None
    work.check_sender(known.office)
    result = ReturnResult(
        files=tuple(d for _, d in source.files),
        office=known.office,
        period=known.period,
        standard_version=known.standard_version,
        findings=(),
    )
    return Outcome(result, DUPLICATE, known)


def _takes_over(work: _Consolidator, source: Source, known: Submission) -> bool:
    """A merged version sent again takes over when, received now, it orders after the version in force
    or with it (the same Cover as the one in force: the later receipt, then the later ingestion decide)."""
    if known.outcome != MERGED:
        return False
    current = [s for s in work.store.submissions(office=known.office, period=known.period) if s.current]
    again = version_order(known.revision, known.prepared_on, work.received(source))
    return not current or again >= current[0].version_order()  # a tie: the one ingested last, as when merging


def _one(
    work: _Consolidator, source: Source, sha: str, number: int, waiting: list[tuple[int, Source, str]]
) -> Outcome | None:
    duplicate = _duplicate(work, source, sha)  # again: the same file may come twice in one run
    if duplicate is not None:
        return duplicate
    outcome = work.ingest(source, sha, final=False)
    if outcome is None:
        waiting.append((number, source, sha))
    return outcome


__all__ = ["DUPLICATE", "Consolidation", "Outcome", "Sender", "consolidate", "consolidate_sources"]
