"""Who submits through the portal, and what of their upload the ledger keeps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tcstandards.reading.sources import Source


@dataclass(frozen=True)
class Sender:
    """Who submits through the portal: the account's name, and the office it may submit for (None: any).
    Their uploaded files are kept with the submission."""

    account: str
    office: str | None = None


def contents(source: Source) -> tuple[tuple[str, bytes], ...]:
    return tuple((display, Path(path).read_bytes()) for path, display in source.files)
