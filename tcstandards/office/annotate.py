"""``validate --annotate OUT.xlsx``: a copy of the office's workbook with every finding on its cell.

Each finding becomes a comment on its cell (several findings on one cell
share the comment), the cell is filled by severity, and a ``Findings`` sheet
lists them all with a hyperlink to each cell.  The input is only read:
openpyxl loads it without its external links and without macros (an ``.xlsm``
is annotated into an ``.xlsx``), and the copy is written atomically to
another path.  Text from the office's workbook that starts with ``= + - @``
stays text in the copy: openpyxl keeps the type a cell was read with, and
every value written to the Findings sheet is a text cell.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.hyperlink import Hyperlink

from tcstandards.common.errors import UnreadableInputError, UsageError
from tcstandards.common.i18n import ui
from tcstandards.common.outputs import write_with
from tcstandards.common.xlsx_cells import write_text
from tcstandards.standard import LANGUAGES, Standard, load_standard, newest_standard, stable_version
from tcstandards.validation.findings import ERROR, Finding, ReturnResult, column_letter

AUTHOR = "tcstandards"
SEPARATOR = "-- tcstandards --"
FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
WAIVED_FILL = PatternFill("solid", fgColor="DDEBF7")


def check_target(target: Path, source: Path | None = None) -> None:
    """Refuse, before any work, a copy that could not be written or would replace the input."""
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name", code="annotate-folder", target=target)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(
            f"{target}: the annotated copy is an .xlsx workbook", code="annotate-suffix", target=target
        )
    if source is not None and os.path.realpath(target) == os.path.realpath(source):
        raise UsageError(
            "the annotated copy must be a new file: the input is never modified", code="annotate-input"
        )


def annotate(source: Path, result: ReturnResult, target: Path, lang: str) -> int:
    """Write the annotated copy; the number of findings placed on a cell."""
    check_target(target, source)
    unreadable = (
        InvalidFileException,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        OSError,
        KeyError,
        ValueError,
    )
    try:
        with warnings.catch_warnings():  # parts openpyxl cannot keep (extended validations) are dropped
            warnings.simplefilter("ignore")
            book = load_workbook(source, keep_links=False, rich_text=False)
    except unreadable as error:
        raise UnreadableInputError(f"cannot open {source} for annotation: {error}", code="corrupt") from error
    standard = load_standard(result.standard_version or stable_version())
    _clear_earlier_annotation(book, standard)
    by_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    for f in result.findings:
        if f.sheet is not None and f.sheet in book.sheetnames and f.row:
            by_cell[(f.sheet, f.row, f.column or 1)].append(f)
    for (sheet, row, column), findings in by_cell.items():
        cell = _anchor(book[sheet], row, column)
        text = "\n".join(_line(f, lang) for f in findings)
        if cell.comment is not None:  # the office's own comment stays, above the findings
            text = f"{cell.comment.text}\n{SEPARATOR}\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 40 + 30 * len(findings)
        cell.comment = comment
        worst = "error" if any(f.severity == ERROR and f.counts for f in findings) else findings[0].severity
        cell.fill = WAIVED_FILL if all(not f.counts for f in findings) else FILLS.get(worst, FILLS["warning"])
    _findings_sheet(book, result, standard.tool_sheet("findings", lang), lang)
    write_with(target, book.save)
    return sum(len(v) for v in by_cell.values())


def _anchor(sheet: Any, row: int, column: int) -> Any:
    """The cell that holds a comment: a merged range's top-left cell."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return sheet.cell(row=merged.min_row, column=merged.min_col)
    return sheet.cell(row=row, column=column)


def _clear_earlier_annotation(book: Workbook, standard: Standard) -> None:
    """Annotating an annotated copy again: drop the earlier findings sheet (any language), notes and fills."""
    ours = {fill.fgColor.rgb for fill in (*FILLS.values(), WAIVED_FILL)}
    headers = {ui("annotate.column.location", lang) for lang in LANGUAGES}
    names = standard.tool_sheets["findings"].values()
    for name in [n for n in book.sheetnames if any(n == s or n.startswith(f"{s} (") for s in names)]:
        if book[name]["A1"].value in headers:
            del book[name]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                comment = cell.comment
                if comment is None or AUTHOR not in (comment.author or ""):
                    continue
                own = comment.text.split(f"\n{SEPARATOR}\n")[0] if SEPARATOR in comment.text else None
                cell.comment = Comment(own, "") if own else None
                if cell.fill is not None and cell.fill.fgColor.rgb in ours:
                    cell.fill = PatternFill()


def _line(f: Finding, lang: str) -> str:
    severity = ui("text.waived" if f.waived else f"text.{f.severity}", lang)
    waived = " " + ui("text.waived-reason", lang, reason=f.waived) if f.waived else ""
    return ui("annotate.comment", lang, severity=severity, rule=f.rule, message=f.message) + waived


def _field_label(f: Finding, lang: str) -> str | None:
    """A finding's field by its label in the language (the office's template shows labels)."""
    if not f.field or not f.record:
        return f.field
    return newest_standard().label_of(f.record, f.field, lang)


def _findings_sheet(book: Workbook, result: ReturnResult, title: str, lang: str) -> None:
    name = title if title not in book.sheetnames else f"{title} (tcstandards)"
    sheet = book.create_sheet(name)  # the last sheet: the Cover stays first
    headers = ("location", "severity", "rule", "message", "field", "value")
    for j, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=j, value=ui(f"annotate.column.{header}", lang))
        cell.font = Font(bold=True)
    for i, f in enumerate(result.findings, start=2):
        where = sheet.cell(row=i, column=1)
        write_text(where, f.location or f.file)
        if f.sheet and f.row and f.sheet in book.sheetnames:  # a header-row finding links to its row
            target = f"{column_letter(f.column or 1)}{f.row}"
            where.hyperlink = Hyperlink(ref=where.coordinate, location=f"{quote_sheetname(f.sheet)}!{target}")
            where.font = Font(color="0563C1", underline="single")
        severity = ui("text.waived" if f.waived else f"text.{f.severity}", lang)
        for j, value in enumerate((severity, f.rule, f.message, _field_label(f, lang), f.value), start=2):
            write_text(sheet.cell(row=i, column=j), value)
    for letter, width in zip("ABCDEF", (16, 10, 26, 90, 24, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
