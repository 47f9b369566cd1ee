"""Turn a rectangle of rows (as a sheet or a CSV holds them) into a Grid or a Cover."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tcstandards.reading.base import CoverEntry, Grid, Place


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def grid_from_rows(
    place: Place, name: str, rows: Sequence[Sequence[Any]], row_numbers: Sequence[int]
) -> Grid | None:
    """The first non-empty row is the header; empty rows below it are skipped.

    Returns None when every row is empty (an empty sheet: nothing to report).
    """
    header_at = next((i for i, row in enumerate(rows) if not _blank_row(row)), None)
    if header_at is None:
        return None
    header_cells = rows[header_at]
    width = max((len(r) for r in rows[header_at:]), default=0)
    body = rows[header_at + 1 :]
    numbers = row_numbers[header_at + 1 :]
    keep = [
        i
        for i, row in enumerate(body)
        if (row and row[0] != "" and row[0] is not None) or not _blank_row(row)
    ]
    if len(keep) != len(body):
        body = [body[i] for i in keep]
        numbers = [numbers[i] for i in keep]
    if any(len(r) != width for r in body):
        body = [list(r) + [""] * (width - len(r)) for r in body]
    columns = [list(c) for c in zip(*body, strict=True)] if body else [[] for _ in range(width)]
    header = [cell_text(header_cells[j]) if j < len(header_cells) else "" for j in range(width)]
    return Grid(
        place=place,
        name=name,
        header=header,
        header_row=row_numbers[header_at],
        header_columns=list(range(1, width + 1)),
        columns=columns,
        rows=list(numbers),
    )


def _blank_row(row: Sequence[Any]) -> bool:
    """Fast path first: list.count runs in C; only rows with other values are looked at closely."""
    if isinstance(row, list) and row.count("") + row.count(None) == len(row):
        return True
    return all(is_blank(v) for v in row)


def grid_from_columns(
    place: Place, name: str, header: list[str], columns: list[list[Any]], rows: list[int], header_row: int
) -> Grid:
    """A grid whose columns were parsed already (the fast CSV path)."""
    return Grid(
        place=place,
        name=name,
        header=[cell_text(h) for h in header],
        header_row=header_row,
        header_columns=list(range(1, len(header) + 1)),
        columns=columns,
        rows=rows,
    )


def cover_from_rows(
    place: Place, rows: Sequence[Sequence[Any]], row_numbers: Sequence[int]
) -> list[CoverEntry]:
    """Key/value rows: the first non-empty cell is the key, the cell to its right the value."""
    entries = []
    for row, number in zip(rows, row_numbers, strict=True):
        at = next((j for j, v in enumerate(row) if not is_blank(v)), None)
        if at is None:
            continue
        value = row[at + 1] if at + 1 < len(row) else ""
        entries.append(
            CoverEntry(key=cell_text(row[at]), value=value, place=place, row=number, column=at + 2)
        )
    return entries


def cell_text(value: Any) -> str:
    """A header or key cell as text: 2024.0 -> "2024", stripped; None -> ""."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""
