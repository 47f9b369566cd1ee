"""Workbooks (.xlsx, .xlsm, .ods) read with python-calamine.

Calamine reads the cached values of formula cells and never runs macros or
follows external links; it is also several times faster than openpyxl.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tcstandards.common.cells import column_letter
from tcstandards.common.errors import UnreadableInputError
from tcstandards.reading.base import Grid, Place, PlaceHit, RawReturn
from tcstandards.reading.grid import cover_from_rows, grid_from_rows
from tcstandards.reading.xlsx_scan import SheetScan, scan_workbook
from tcstandards.standard.rule_ids import (
    CELLS_MERGED,
    COLUMNS_HIDDEN,
    FORMULA_NO_VALUE,
    ROWS_HIDDEN,
    SHEET_HIDDEN,
)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_container(path: Path) -> None:
    if not path.is_file():  # a FIFO or device would block or never end
        raise UnreadableInputError("not a regular file", code="not-a-file")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableInputError(str(exc), code="os-error", detail=exc.strerror or str(exc)) from exc
    if not head:
        raise UnreadableInputError("empty file", code="empty")
    if head.startswith(OLE_MAGIC):
        # An OLE container is a legacy .xls, or an .xlsx encrypted with a password: the encrypted one
        # holds an "EncryptionInfo" stream, whose name its directory stores in UTF-16.
        with path.open("rb") as handle:
            encrypted = "EncryptionInfo".encode("utf-16-le") in handle.read(8 << 20)
        code = "encrypted" if encrypted else "legacy-xls"
        raise UnreadableInputError(code, code=code)
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableInputError("not a zip container", code="not-a-workbook")


def read_workbook(path: Path, display: str, cover_names: set[str]) -> RawReturn:
    """Read every sheet; ``cover_names`` are the normalized names of the Cover sheet."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    from tcstandards.standard import normalize_label

    _check_container(path)
    scan = scan_workbook(path)
    raw = RawReturn(files=(display,), date1904=scan.date1904)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = list(workbook.sheets_metadata)
    except (CalamineError, OSError, ValueError, RuntimeError) as exc:
        raise UnreadableInputError(str(exc), code="corrupt", detail=str(exc)) from exc
    for meta in metadata:
        name = meta.name
        place = Place(file=display, kind="sheet", sheet=name)
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except (CalamineError, ValueError, RuntimeError) as exc:
            raise UnreadableInputError(str(exc), code="corrupt", detail=f"{name}: {exc}") from exc
        numbers = range(1, len(rows) + 1)
        if meta.visible != SheetVisibleEnum.Visible:
            raw.notes.append(PlaceHit(SHEET_HIDDEN, place, {"sheet": name}))
        raw.notes += _layout_notes(place, scan.sheets.get(name), _merged(sheet))
        if normalize_label(name) in cover_names:
            raw.cover = cover_from_rows(place, rows, numbers)
            raw.cover_place = place
            continue
        grid: Grid | None = grid_from_rows(place, name, rows, numbers)
        if grid is not None:
            raw.grids.append(grid)
    return raw


def _merged(sheet: Any) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    try:
        return list(sheet.merged_cell_ranges or [])
    except Exception:  # merged ranges are a courtesy; the cells were read already
        return []


def _layout_notes(
    place: Place, scan: SheetScan | None, merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[PlaceHit]:
    """What the cell values do not show: hidden rows and columns, formulas never calculated, merges."""
    sheet = place.sheet
    notes = []
    if scan is not None:
        if scan.hidden_rows:
            rows = spans(scan.hidden_rows, str)
            hidden = {"sheet": sheet, "rows": rows}
            notes.append(PlaceHit(ROWS_HIDDEN, place, hidden, row=scan.hidden_rows[0]))
        if scan.hidden_columns:
            columns = spans(scan.hidden_columns, column_letter)
            notes.append(PlaceHit(COLUMNS_HIDDEN, place, {"sheet": sheet, "columns": columns}))
        for row, column in scan.formulas_without_value:
            notes.append(PlaceHit(FORMULA_NO_VALUE, place, {"sheet": sheet}, row=row, column=column))
    if merged:
        ranges = [f"{column_letter(a + 1)}{r + 1}:{column_letter(b + 1)}{s + 1}" for (r, a), (s, b) in merged]
        shown = ", ".join(ranges[:5]) + (f" (+{len(ranges) - 5})" if len(ranges) > 5 else "")
        (r1, c1), _ = merged[0]
        params = {"sheet": sheet, "ranges": shown}
        notes.append(PlaceHit(CELLS_MERGED, place, params, row=r1 + 1, column=c1 + 1))
    return notes


def spans(numbers: list[int], show: Callable[[int], str], limit: int = 8) -> str:
    """[3, 7, 8, 9] -> "3, 7-9" (at most ``limit`` spans, then "...")."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = [show(a) if a == b else f"{show(a)}-{show(b)}" for a, b in runs[:limit]]
    return ", ".join(text) + (", ..." if len(runs) > limit else "")
