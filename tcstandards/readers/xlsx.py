"""Workbooks (.xlsx, .xlsm, .ods) read with python-calamine.

Calamine reads the cached values of formula cells and never runs macros or
follows external links; it is also several times faster than openpyxl.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UnreadableInputError
from .base import Grid, Note, Place, RawReturn
from .grid import cover_from_rows, grid_from_rows

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_container(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableInputError(str(exc), code="os-error", detail=exc.strerror or str(exc)) from exc
    if not head:
        raise UnreadableInputError("empty file", code="empty")
    if head.startswith(OLE_MAGIC):
        # An OLE container is a legacy .xls, or an .xlsx encrypted with a password.
        code = "encrypted" if path.suffix.lower() in (".xlsx", ".xlsm") else "legacy-xls"
        raise UnreadableInputError(code, code=code)
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableInputError("not a zip container", code="not-a-workbook")


def read_workbook(path: Path, display: str, cover_names: set[str]) -> RawReturn:
    """Read every sheet; ``cover_names`` are the normalized names of the Cover sheet."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    from ..standard import normalize_label

    _check_container(path)
    raw = RawReturn(files=(display,))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        metadata = list(workbook.sheets_metadata)
    except (CalamineError, OSError, ValueError, RuntimeError) as exc:
        raise UnreadableInputError(str(exc), code="corrupt", detail=str(exc)) from exc
    for meta in metadata:
        name = meta.name
        place = Place(file=display, kind="sheet", sheet=name)
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, RuntimeError) as exc:
            raise UnreadableInputError(str(exc), code="corrupt", detail=f"{name}: {exc}") from exc
        numbers = range(1, len(rows) + 1)
        if meta.visible != SheetVisibleEnum.Visible:
            raw.notes.append(Note("sheet-hidden", place, {"sheet": name}))
        if normalize_label(name) in cover_names:
            raw.cover = cover_from_rows(place, rows, numbers)
            raw.cover_place = place
            continue
        grid: Grid | None = grid_from_rows(place, name, rows, numbers)
        if grid is not None:
            raw.grids.append(grid)
    return raw
