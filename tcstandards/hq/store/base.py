"""What every store back end offers; the commands use only this."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tcstandards.standard import Standard, newest_standard
from tcstandards.validation.findings import Finding

if TYPE_CHECKING:
    import pandas as pd

MERGED = "merged"
QUARANTINED = "quarantined"
OUTCOMES = (MERGED, QUARANTINED)


@dataclass(frozen=True)
class NewSubmission:
    """A validated return about to enter the ledger."""

    file_name: str
    files: tuple[str, ...]
    sha256: str
    office: str | None
    period: str | None
    standard_version: str | None
    received_at: str  # ISO 8601, UTC, e.g. 1997-10-20T09:00:00Z
    outcome: str  # merged | quarantined
    errors: int
    warnings: int
    records: int
    source_path: str | None = None
    prepared_on: str | None = None  # the Cover's date (YYYY-MM-DD), when the return gives one
    revision: int | None = None  # the Cover's revision number, when the return gives one
    submitted_by: str | None = None  # the portal account that uploaded it (None: the command line)
    contents: tuple[tuple[str, bytes], ...] = ()  # the files as uploaded, kept with the submission

    def version_order(self) -> tuple[int, str, str]:
        """How versions of one office's return for one quarter are ordered: see :func:`version_order`."""
        return version_order(self.revision, self.prepared_on, self.received_at)


def version_order(revision: int | None, prepared_on: str | None, received_at: str) -> tuple[int, str, str]:
    """The later of two versions of a return is the one with the higher revision number (a first
    version has none: 1), then the later day it was prepared, then the one HQ received later:
    the order the office made them in, whatever order the files reach HQ."""
    return (revision or 1, prepared_on or "", received_at)


@dataclass(frozen=True)
class Submission:
    """One line of the ledger."""

    id: int
    file_name: str
    files: tuple[str, ...]
    sha256: str
    office: str | None
    period: str | None
    standard_version: str | None
    received_at: str
    outcome: str
    errors: int
    warnings: int
    records: int
    current: bool
    superseded_by: int | None
    source_path: str | None = None
    prepared_on: str | None = None
    revision: int | None = None
    submitted_by: str | None = None

    def version_order(self) -> tuple[int, str, str]:
        return version_order(self.revision, self.prepared_on, self.received_at)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "office": self.office,
            "period": self.period,
            "received_at": self.received_at,
            "file_name": self.file_name,
            "files": list(self.files),
            "sha256": self.sha256,
            "standard_version": self.standard_version,
            "outcome": self.outcome,
            "errors": self.errors,
            "warnings": self.warnings,
            "records": self.records,
            "current": self.current,
            "superseded_by": self.superseded_by,
            "prepared_on": self.prepared_on,
            "revision": self.revision,
            "submitted_by": self.submitted_by,
        }


@dataclass(frozen=True)
class Account:
    """A portal account: an office user (one office), HQ, or an administrator."""

    name: str
    role: str  # office | hq | admin
    office: str | None
    password_hash: str
    disabled: bool
    created_at: str
    token_hash: str | None = None


@dataclass(frozen=True)
class Event:
    """One action in the ledger of actions: who did what, to what, when."""

    id: int
    at: str
    account: str | None
    action: str
    subject: str | None
    detail: str | None


@dataclass(frozen=True)
class Conflict:
    """A key reported for one period by two offices."""

    record: str
    period: str
    key: str  # the key values joined with " | "
    submission_id: int  # the newer submission (0 until it is written)
    other_submission_id: int
    office: str
    other_office: str
    owner: str | None  # the office that owns the record (admin_unit of the project)
    # (field, this office's value, the other office's value) for each field whose values differ
    differences: tuple[tuple[str, str, str], ...] = ()
    file: str | None = None  # the file of each submission, as the ledger names it (when read back)
    other_file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "period": self.period,
            "key": self.key,
            "submission": self.submission_id,
            "office": self.office,
            "other_submission": self.other_submission_id,
            "other_office": self.other_office,
            "owner": self.owner,
            "differences": [{"field": f, "value": v, "other_value": o} for f, v, o in self.differences],
            "file": self.file,
            "other_file": self.other_file,
        }


class Store:
    """A ledger of submissions with their findings and the records of merged returns."""

    location: str

    @property
    def standard(self) -> Standard:
        """The version the store holds its records in: the newest shipped, whatever version a return
        followed (fields are stored under their newest names; store migration 2 moved older values)."""
        return newest_standard()

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        raise NotImplementedError

    def find_sha(self, sha256: str) -> Submission | None:
        """The submission of exactly these bytes, if any was ingested before."""
        raise NotImplementedError

    def add_submission(
        self,
        new: NewSubmission,
        findings: Sequence[Finding],
        tables: Mapping[str, pd.DataFrame],
        conflicts: Sequence[Conflict],
        *,
        recheck: bool = False,
    ) -> tuple[Submission, bool, int | None]:
        """Record a submission in one transaction: ``(submission, recorded, replaced id)``.

        ``recorded`` is False when the same bytes are already the current
        version, or a quarantined one (unless ``recheck``): the known
        submission comes back.  A merged submission becomes the current one of
        its office and period, unless HQ received it before the current one
        (an archive loaded out of order); the one it replaces stays in the
        ledger, marked superseded.
        """
        raise NotImplementedError

    def record_counts(self, submission_id: int) -> dict[str, int]:
        """Record type -> number of records stored for a submission."""
        raise NotImplementedError

    def submissions(self, *, office: str | None = None, period: str | None = None) -> list[Submission]:
        raise NotImplementedError

    def submission(self, submission_id: int) -> Submission | None:
        raise NotImplementedError

    def findings(self, submission_id: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    def conflicts(self, *, period: str | None = None) -> list[Conflict]:
        raise NotImplementedError

    def records(
        self, record: str, *, project_codes: Sequence[str] | None = None, period: str | None = None
    ) -> pd.DataFrame:
        """Records of the current submissions, with provenance columns (see :data:`PROVENANCE`),
        ``received_at`` and ``source_file``; duplicates between offices are not resolved here
        (:func:`tcstandards.consolidated.current_records` does that)."""
        raise NotImplementedError

    # --- the portal's part: accounts, the ledger of actions, uploaded files, settings ---------

    def add_account(self, account: Account) -> None:
        """A new account; a :class:`~tcstandards.common.errors.UsageError` when the name is taken."""
        raise NotImplementedError

    def account(self, name: str) -> Account | None:
        raise NotImplementedError

    def accounts(self) -> list[Account]:
        raise NotImplementedError

    def update_account(self, name: str, **values: Any) -> None:
        """Change ``disabled``, ``password_hash`` or ``token_hash`` of an account."""
        raise NotImplementedError

    def account_by_token(self, token_hash: str) -> Account | None:
        raise NotImplementedError

    def log(
        self, account: str | None, action: str, subject: str | None = None, detail: str | None = None
    ) -> None:
        """Add an action to the ledger of actions."""
        raise NotImplementedError

    def events(
        self,
        *,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Actions, newest first."""
        raise NotImplementedError

    def uploads(self, submission_id: int) -> list[tuple[str, bytes]]:
        """The files of a submission as they were uploaded through the portal (none for the command line)."""
        raise NotImplementedError

    def setting(self, name: str, default: str) -> str:
        """A setting shared by every process on the store; ``default`` is kept when there is none yet."""
        raise NotImplementedError


PROVENANCE = ("submission_id", "office", "return_period", "position", "location")
