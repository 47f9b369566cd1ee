"""Workbooks (.xlsx, .xlsm, .ods) read with python-calamine.

Calamine reads the cached values of formula cells and never runs macros or
follows external links; it is also several times faster than openpyxl.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..errors import UnreadableInputError
from .base import Grid, Note, Place, RawReturn
from .grid import cover_from_rows, grid_from_rows

ZIP_MAGIC = b"PK\x03\x04"
# Limits against hostile workbooks (zip bombs, a stray cell at XFD1048576 that makes the reader allocate
# the whole sheet). Override with the environment variables of the same name.
MAX_PART_MB = int(os.environ.get("TCSTANDARDS_MAX_PART_MB", "512"))  # one decompressed part
MAX_CELLS = int(os.environ.get("TCSTANDARDS_MAX_CELLS", "20000000"))  # a sheet's used area, rows x columns
WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')  # a column beyond Z: rare in a return, so few matches
ROW_REF = re.compile(rb'<row r="([0-9]{1,7})"')
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


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_limits(path: Path) -> None:
    """Refuse a workbook whose parts would take the reader beyond the limits, before it reads them."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # the reader says what is wrong with it
    with archive:
        for info in archive.infolist():
            if info.file_size > MAX_PART_MB * 1024 * 1024:
                size = info.file_size // 2**20
                raise UnreadableInputError(
                    "too large",
                    code="too-large",
                    detail=f"{info.filename}: {size} MB unpacked, over the limit of {MAX_PART_MB} MB "
                    "(TCSTANDARDS_MAX_PART_MB)",
                )
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _check_area(archive, info)


def _check_area(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The used area (last row x last column) must stay under MAX_CELLS.

    One pass over the sheet's XML, cheap because a return's columns fit in A-Z:
    only cells in two- or three-letter columns are matched, and the last row
    is read from the last block (rows come in order).
    """
    columns = 0
    last = b""
    tail = b""
    with archive.open(info) as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            chunk = tail + block
            for match in WIDE_CELL.finditer(chunk):
                columns = max(columns, _column_number(match[1]))
            tail = chunk[-32:]
            last = last[-(1 << 16) :] + block  # the end of the sheet, even when the last block is short
    rows = max((int(m[1]) for m in ROW_REF.finditer(last)), default=0)
    columns = max(columns, 26 if rows else 0)
    if rows * columns > MAX_CELLS:
        raise UnreadableInputError(
            "too large",
            code="too-large",
            detail=f"{info.filename} has cells up to row {rows:,} and column {columns:,} "
            f"({rows * columns:,} cells to read, over the limit of {MAX_CELLS:,}, TCSTANDARDS_MAX_CELLS); "
            "delete stray cells far from the data",
        )


def read_workbook(path: Path, display: str, cover_names: set[str]) -> RawReturn:
    """Read every sheet; ``cover_names`` are the normalized names of the Cover sheet."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    from ..standard import normalize_label

    _check_container(path)
    check_limits(path)
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
