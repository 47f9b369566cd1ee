"""Who submits through the portal, and what of their upload the ledger keeps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tcstandards.common.errors import UsageError
from tcstandards.reading.sources import Source
from tcstandards.validation.findings import ReturnResult


@dataclass(frozen=True)
class Sender:
    """Who submits through the portal: the account's name, and the office it may submit for (None: any).
    Their uploaded files are kept with the submission."""

    account: str
    office: str | None = None


def contents(source: Source) -> tuple[tuple[str, bytes], ...]:
    return tuple((display, Path(path).read_bytes()) for path, display in source.files)


class NotAReturn(UsageError):
    """What a sender uploaded says no quarter (not in its name, not in a Cover): it is not recorded,
    and its findings say why."""

    def __init__(self, result: ReturnResult) -> None:
        super().__init__("this is not a return of an office and a quarter", code="not-a-return")
        self.result = result
