"""One pass over a workbook's XML before calamine reads it: limits, and what calamine does not tell.

The pass refuses hostile workbooks early (a part that unpacks beyond
``MAX_PART_MB``; a sheet whose used area, last row x last column, exceeds
``MAX_CELLS``: calamine would allocate all of it), and notes per sheet what
the office should hear about but the cell values do not show:

* hidden rows and columns (they are read all the same);
* formulas with no saved result (a workbook written by a script and never
  opened in Excel): calamine reads them as empty cells;
* the 1904 date system of the workbook (old Mac Excel), for dates typed as
  plain numbers.

It reads the XML as bytes with regular expressions, never with an XML parser:
no entity is expanded, no external reference is followed.  Only ``.xlsx`` and
``.xlsm`` are scanned; an ``.ods`` gets the limits on its parts only.
"""

from __future__ import annotations

import html
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import UnreadableInputError

# Override with the environment variables of the same name (documented in docs/bad-input.md).
MAX_PART_MB = int(os.environ.get("TCSTANDARDS_MAX_PART_MB", "512"))  # one decompressed part
MAX_CELLS = int(os.environ.get("TCSTANDARDS_MAX_CELLS", "20000000"))  # a sheet's used area, rows x columns

BLOCK = 1 << 22
WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')  # a column beyond Z: rare in a return, so few matches
ROW_REF = re.compile(rb'<row r="([0-9]{1,7})"')
HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"[^>]*?\bhidden="(?:1|true)"')
HIDDEN_ROW_LATE = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]{1,7})"')
COL = re.compile(rb"<col\b([^>]*)/?>")
ATTR = re.compile(rb'([A-Za-z:]+)="([^"]*)"')
FORMULA = re.compile(rb"<f[ >/]")
CACHED = re.compile(rb"<v>[^<]+</v>")
SHEET = re.compile(rb"<sheet\b([^>]*)/?>")
RELATION = re.compile(rb"<Relationship\b([^>]*)/?>")
DATE1904 = re.compile(rb'<workbookPr\b[^>]*\bdate1904="(?:1|true)"')
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)
CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@dataclass
class SheetScan:
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)  # (row, column)


@dataclass
class WorkbookScan:
    date1904: bool = False
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # by sheet name


def column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + letter - 64
    return number


def scan_workbook(path: Path) -> WorkbookScan:
    """Check the limits and scan the sheets; raises UnreadableInputError beyond a limit."""
    scan = WorkbookScan()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return scan  # the reader says what is wrong with it
    with archive:
        infos = archive.infolist()
        for info in infos:
            if info.file_size > MAX_PART_MB * 1024 * 1024:
                size = info.file_size // 2**20
                raise UnreadableInputError(
                    "too large",
                    code="too-large",
                    detail=f"{info.filename}: {size} MB unpacked, over the limit of {MAX_PART_MB} MB "
                    "(TCSTANDARDS_MAX_PART_MB)",
                )
        names = _sheet_names(archive)
        scan.date1904 = bool(DATE1904.search(_read_small(archive, "xl/workbook.xml")))
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    sheet = _scan_sheet(archive, info)
                except DAMAGED as exc:  # a bad header, CRC or deflate stream, an encrypted entry...
                    detail = f"{info.filename}: {exc}"
                    raise UnreadableInputError("corrupt", code="corrupt", detail=detail) from exc
                scan.sheets[names.get(info.filename, info.filename)] = sheet
    return scan


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)  # bounded by MAX_PART_MB, checked above
    except (KeyError, *DAMAGED):
        return b""  # the reader says what is wrong with it


def _attrs(text: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in ATTR.findall(text)}


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name (``xl/worksheets/sheet3.xml``) -> sheet name, from the workbook and its relations."""
    targets = {}
    for match in RELATION.finditer(_read_small(archive, "xl/_rels/workbook.xml.rels")):
        attrs = _attrs(match[1])
        target = attrs.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[attrs.get("Id", "")] = part
    names = {}
    for match in SHEET.finditer(_read_small(archive, "xl/workbook.xml")):
        attrs = _attrs(match[1])
        relation = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        if relation in targets and "name" in attrs:
            names[targets[relation]] = attrs["name"]
    return names


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetScan:
    """The used area must stay under MAX_CELLS; hidden rows, columns and formulas are noted.

    Cheap because a return's columns fit in A-Z (only cells in two- or
    three-letter columns are matched) and the other patterns are looked for
    only in blocks that hold them.  Blocks are cut after their last complete
    row, so that no element is split.
    """
    sheet = SheetScan()
    columns = 0
    last = b""
    rest = b""
    hidden_rows: set[int] = set()
    first = True
    with archive.open(info) as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            last = last[-(1 << 16) :] + block  # the end of the sheet, even when the last block is short
            chunk = rest + block
            cut = chunk.rfind(b"</row>")
            if cut >= 0:
                end = cut + 6
            elif len(chunk) > 4 * BLOCK:
                end = len(chunk)  # a giant row: scanned as it comes
            else:
                rest = chunk  # no complete row yet: read on
                continue
            done, rest = chunk[:end], chunk[end:]
            _scan_block(done, sheet, hidden_rows, first)
            first = False
            for match in WIDE_CELL.finditer(done):
                columns = max(columns, column_number(match[1]))
        _scan_block(rest, sheet, hidden_rows, first)
        for match in WIDE_CELL.finditer(rest):
            columns = max(columns, column_number(match[1]))
    sheet.hidden_rows = sorted(hidden_rows)
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
    return sheet


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 8 else 0


def _scan_block(done: bytes, sheet: SheetScan, hidden_rows: set[int], first: bool) -> None:
    if first:  # <cols> comes before <sheetData>, in the first block
        head = done[: done.find(b"<sheetData")] if b"<sheetData" in done[:65536] else done[:65536]
        for match in COL.finditer(head):
            attrs = _attrs(match[1])
            if attrs.get("hidden") in ("1", "true"):
                low, high = _number(attrs.get("min")), _number(attrs.get("max"))
                sheet.hidden_columns += range(max(low, 1), min(high, 16384) + 1)
    if b'hidden="' in done:
        for pattern in (HIDDEN_ROW, HIDDEN_ROW_LATE):
            hidden_rows.update(int(m[1]) for m in pattern.finditer(done))
    if b"<f" in done:
        for match in FORMULA.finditer(done):
            start = done.rfind(b"<c ", 0, match.start())
            close = done.find(b"</c>", match.start())
            opened = done.find(b">", start)
            if start < 0 or close < 0 or opened < 0:
                continue
            attrs, inner = _attrs(done[start + 3 : opened]), done[opened:close]
            if CACHED.search(inner) or (attrs.get("t") == "str" and b"<v" in inner):
                continue  # a saved result (an empty text result is a result too)
            ref = CELL_REF.fullmatch(attrs.get("r", ""))
            if ref:
                sheet.formulas_without_value.append((int(ref[2]), column_number(ref[1])))
