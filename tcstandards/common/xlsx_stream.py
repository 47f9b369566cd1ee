"""A workbook of plain tables written as a stream: one sheet per table, a bold header, typed cells.

The export writes hundreds of thousands of cells; openpyxl spends about 5 µs
on each, even in write-only mode.  A table needs none of what openpyxl
offers beyond typed cells and four styles, so the sheets' XML is written
here directly, row by row, into the zip (SpreadsheetML as ECMA-376 defines
it; Excel, LibreOffice and openpyxl read it).  The cells are as
:mod:`tcstandards.common.xlsx_cells` makes them for openpyxl:

* a number is a number; a ``money`` number shows ``#,##0.00``;
* a ``date`` text that is an ISO date is a real date (``yyyy-mm-dd``);
* text is text, never a formula: text that starts with ``= + - @`` gets
  Excel's quote prefix, so it is shown and never evaluated;
* characters XML cannot hold (control characters) are left out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from tcstandards.common.outputs import FORMULA_STARTS

EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (past its 1900 leap-year bug)
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# cellXfs indexes of styles.xml below
PLAIN, BOLD, DATE, MONEY, QUOTED = range(5)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
{sheets}</Types>"""
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets>{sheets}</sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}<Relationship Id="rIdStyles" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/></Relationships>"""
SHEET_REL = (
    '<Relationship Id="rId{n}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet{n}.xml"/>'
)
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>\
</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""


def write_tables(
    path: Path | IO[bytes],
    tables: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[str]]],
) -> None:
    """Write ``tables`` -- (sheet name, header, rows, the field type of each column) -- as a workbook."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        numbers = range(1, len(tables) + 1)
        book.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(sheets="".join(SHEET_TYPE.format(n=n) for n in numbers)),
        )
        book.writestr("_rels/.rels", ROOT_RELS)
        entries = "".join(
            f'<sheet name="{_attribute(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (name, *_) in zip(numbers, tables, strict=True)
        )
        book.writestr("xl/workbook.xml", WORKBOOK.format(sheets=entries))
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.format(sheets="".join(SHEET_REL.format(n=n) for n in numbers)),
        )
        book.writestr("xl/styles.xml", STYLES)
        for n, (_, header, rows, kinds) in zip(numbers, tables, strict=True):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as sheet:
                _sheet(sheet, header, rows, kinds)


def _sheet(
    out: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]], kinds: Sequence[str]
) -> None:
    out.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    letters = [_letters(j) for j in range(1, len(header) + 1)]
    out.write(_row(1, [_text(f"{c}1", h, BOLD) for c, h in zip(letters, header, strict=True)]))
    chunk: list[bytes] = []
    for r, values in enumerate(rows, start=2):
        cells = [_cell(f"{c}{r}", v, k) for c, v, k in zip(letters, values, kinds, strict=True)]
        chunk.append(_row(r, cells))
        if len(chunk) >= 1000:
            out.write(b"".join(chunk))
            chunk.clear()
    out.write(b"".join(chunk) + b"</sheetData></worksheet>")


def _row(number: int, cells: list[str]) -> bytes:
    return f'<row r="{number}">{"".join(cells)}</row>'.encode()


def _cell(ref: str, value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""  # an empty cell
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):
        style = f' s="{MONEY}"' if kind == "money" else ""
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    text = str(value)
    if kind == "date":
        try:
            day = dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
        else:
            return f'<c r="{ref}" s="{DATE}"><v>{(day - EPOCH).days}</v></c>'
    return _text(ref, text, QUOTED if text.startswith(FORMULA_STARTS) else PLAIN)


def _text(ref: str, text: str, style: int) -> str:
    shown = escape(ILLEGAL.sub("", text))
    space = ' xml:space="preserve"' if shown != shown.strip() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{shown}</t></is></c>'


def _attribute(text: str) -> str:
    return escape(ILLEGAL.sub("", text), {'"': "&quot;"})


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
