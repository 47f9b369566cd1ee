"""What every reader returns: raw cells and where each came from.

Readers know files, not rules: they return the cells as the file holds them
(strings, numbers, dates, booleans; ``""`` for an empty cell) with the place
the user sees (sheet and row/column, CSV line, JSON pointer).  Matching sheet
names and headers to the standard happens later, in :mod:`tcstandards.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

PlaceKind = Literal["sheet", "csv", "json"]


@dataclass(frozen=True)
class Place:
    """A sheet of a workbook, a CSV file, or an array of a JSON document."""

    file: str
    kind: PlaceKind
    sheet: str | None = None
    pointer: str | None = None


@dataclass
class Grid:
    """A header row and the data rows under it, column by column.

    ``rows[i]`` is the sheet row (workbook), the line (CSV) or the array index
    (JSON) of record ``i``; ``header_columns[j]`` the 1-based column number of
    header ``j``.  ``columns[j][i]`` is the raw value of record ``i``.
    """

    place: Place
    name: str
    header: list[str]
    header_row: int
    header_columns: list[int]
    columns: list[list[Any]]
    rows: list[int]

    @property
    def size(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class CoverEntry:
    """One ``field -> value`` pair of a Cover, with the place of the value."""

    key: str
    value: Any
    place: Place
    row: int | None = None
    column: int | None = None
    pointer: str | None = None


@dataclass(frozen=True)
class PlaceHit:
    """A rule broken at one place: a file, a sheet, a header cell or a Cover entry.

    Readers report what they see this way (a hidden sheet, a merged cell), and
    the checks what they find about headers and the Cover. With ``Hits`` (the
    records of a table that break a rule, :mod:`tcstandards.validation.tables`)
    it is one of the two shapes of a hit; both become findings in one place,
    :mod:`tcstandards.validation.builder`.
    """

    rule: str
    place: Place
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: int | None = None
    pointer: str | None = None  # else the place's own
    record: str | None = None
    field: str | None = None
    value: Any = None


@dataclass
class RawReturn:
    """Everything read from one return, before it meets the standard."""

    files: tuple[str, ...]
    grids: list[Grid] = field(default_factory=list)
    cover: list[CoverEntry] | None = None
    cover_place: Place | None = None
    notes: list[PlaceHit] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    """Cover values given by file names (CSV), by role: ``office``, ``period``."""
    date1904: bool = False
    """The workbook counts dates from 1904 (old Mac Excel): serial numbers typed in date fields shift."""
    claimed: dict[str, str] = field(default_factory=dict)
    """Office and period (by role) that a workbook or JSON file name claims: checked only."""
    document: Any = None
    """A JSON return: the document as parsed, for the published JSON Schema (``json_contract``)."""
