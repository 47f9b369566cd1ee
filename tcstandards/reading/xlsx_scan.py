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
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from tcstandards.common.errors import UnreadableInputError

# Override with the environment variables of the same name (documented in docs/bad-input.md).
MAX_PART_MB = int(os.environ.get("TCSTANDARDS_MAX_PART_MB", "512"))  # one decompressed part
MAX_CELLS = int(os.environ.get("TCSTANDARDS_MAX_CELLS", "20000000"))  # a sheet's used area, rows x columns

BLOCK = 1 << 22
ROW_REF = re.compile(rb'<row r="([0-9]{1,7})"')
# A row or cell not written the plain way (<row r="N"> up to row 99,999; <c r="A1"> in columns A-Z): rare
ODD_ROW = re.compile(rb'<row(?! r="[0-9]{1,5}")[\s/>]')
ODD_CELL = re.compile(rb'<c(?! r="[A-Z][0-9]{1,5}")[\s/>]')
FAR_ROW = re.compile(rb'<row r="([0-9]{6,7})"')
FAR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
PREFIXED = re.compile(rb":(?:row|c)[\s/>]")  # <x:row ...>: ":" is rare in a sheet, so this is cheap
ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
R_ATTR = re.compile(rb'(?:^|\s)r\s*=\s*["\']([A-Z]{0,3})([0-9]{1,7})["\']')
HIDDEN = re.compile(rb'\shidden\s*=\s*["\'](?:1|true)["\']')
HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"[^>]*?\bhidden="(?:1|true)"')
HIDDEN_ROW_LATE = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]{1,7})"')
COL = re.compile(rb"<col\b([^>]*)/?>")
ATTR = re.compile(rb'([A-Za-z:]+)="([^"]*)"')
FORMULA = re.compile(rb"<f[ >/]")
CACHED = re.compile(rb"<v>[^<]+</v>")
SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b([^>]*)/?>")
RELATION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)/?>")
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
                _too_large(info.filename, info.file_size)
        book = _read_small(archive, "xl/workbook.xml")
        names = _sheet_names(archive, book)
        scan.date1904 = bool(DATE1904.search(book))
        parts = set(names) or {i.filename for i in infos if i.filename.endswith(".xml")}  # else: every part
        for info in infos:
            if info.filename in parts:  # the sheets the reader will read, wherever they sit in the zip
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


def _sheet_names(archive: zipfile.ZipFile, book: bytes) -> dict[str, str]:
    """Part name (``xl/worksheets/sheet3.xml``) -> sheet name, from the workbook and its relations."""
    targets = {}
    for match in RELATION.finditer(_read_small(archive, "xl/_rels/workbook.xml.rels")):
        attrs = _attrs(match[1])
        target = attrs.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[attrs.get("Id", "")] = part
    names = {}
    for match in SHEET.finditer(book):
        attrs = _attrs(match[1])
        relation = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        if relation in targets and "name" in attrs:
            names[targets[relation]] = attrs["name"]
    return names


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetScan:
    """The used area must stay under MAX_CELLS; hidden rows, columns and formulas are noted.

    A sheet written the usual way (every row and cell carries its reference,
    as Excel, LibreOffice and openpyxl write them) is scanned cheaply: the
    last row is the largest ``<row r="...">``, and only cells in two- or
    three-letter columns are matched.  Any other sheet (references left out,
    namespace prefixes) is walked element by element, as the reader would
    place its cells.  Blocks are cut after their last complete row, so that
    no element is split.
    """
    sheet = SheetScan()
    area = _Area()
    rest = b""
    hidden_rows: set[int] = set()
    first = True
    unpacked = 0
    with archive.open(info) as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            unpacked += len(block)
            if unpacked > MAX_PART_MB * 1024 * 1024:  # the directory understated the size
                _too_large(info.filename, unpacked)
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
            area.add(done, hidden_rows)
            first = False
        _scan_block(rest, sheet, hidden_rows, first)
        area.add(rest, hidden_rows)
    sheet.hidden_rows = sorted(hidden_rows)
    rows, columns = area.rows, max(area.columns, 26 if area.rows else 0)
    if rows * columns > MAX_CELLS:
        raise UnreadableInputError(
            "too large",
            code="too-large",
            detail=f"{info.filename} has cells up to row {rows:,} and column {columns:,} "
            f"({rows * columns:,} cells to read, over the limit of {MAX_CELLS:,}, TCSTANDARDS_MAX_CELLS); "
            "delete stray cells far from the data",
        )
    return sheet


class _Area:
    """The last row and column the reader will place, block after block."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.row = 0  # the current row and column, for elements that leave out their reference
        self.column = 0

    def add(self, done: bytes, hidden_rows: set[int]) -> None:
        if self._plain(done):
            tail = [int(m[1]) for m in ROW_REF.finditer(done, max(0, len(done) - 65536))]
            self.rows = self.row = max([self.rows, *tail])
            return
        self._walk(done, hidden_rows)

    def _plain(self, done: bytes) -> bool:
        """Every row and cell written the plain way, as Excel, LibreOffice and openpyxl write them
        (far rows and columns aside, which are noted here): then the cheap patterns suffice."""
        if PREFIXED.search(done):
            return False
        for match in ODD_ROW.finditer(done):
            far = FAR_ROW.match(done, match.start())
            if far is None:
                return False
            self.rows = max(self.rows, int(far[1]))
        for match in ODD_CELL.finditer(done):
            far = FAR_CELL.match(done, match.start())
            if far is None:
                return False
            self.columns = max(self.columns, column_number(far[1]))
            self.rows = max(self.rows, int(far[2]))
        return True

    def _walk(self, done: bytes, hidden_rows: set[int]) -> None:
        """Element by element, placing rows and cells that leave out their reference."""
        for match in ELEMENT.finditer(done):
            name, attrs = match[1], match[2]
            ref = R_ATTR.search(attrs)
            if name == b"row":
                self.row = int(ref[2]) if ref and not ref[1] else self.row + 1
                self.column = 0
                self.rows = max(self.rows, self.row)
                if HIDDEN.search(attrs):
                    hidden_rows.add(self.row)
            else:
                if ref and ref[1]:
                    self.column = column_number(ref[1])
                    self.rows = max(self.rows, int(ref[2]))
                else:
                    self.column += 1
                self.columns = max(self.columns, self.column)


def _too_large(part: str, size: int) -> None:
    raise UnreadableInputError(
        "too large",
        code="too-large",
        detail=f"{part}: {size // 2**20} MB unpacked, over the limit of {MAX_PART_MB} MB "
        "(TCSTANDARDS_MAX_PART_MB)",
    )


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
