"""The report as a workbook: a sheet per table, values (never formulas), a native Excel chart beside each.

Each sheet is named in the report's language (catalogue entries
``sheet.<table id>``; a table without one is named by its id) and holds the
table's title in A1, the column labels in row 3 (bold, panes frozen below
them) and the rows from row 4, with the JSON figures as they are (USD in
dollars with a thousands format, percentages as numbers 0-100).  Columns are
as wide as the text they show.  The chart's references point at those cells;
its value axis is titled in the reader's language and shows USD in millions
(Excel's scaling format: the cells keep the exact dollars).  Text is written
as text, with Excel's quote prefix when it starts with ``= + - @``.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, NumRef, StrRef
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tcstandards.common.outputs import write_with
from tcstandards.common.xlsx_cells import write_text
from tcstandards.report.editorial import as_shown
from tcstandards.report.render.labels import cell, column_label, text

HEADER_ROW = 3
FORMATS = {"usd": "#,##0", "pct": "0.0", "count": "#,##0", "number": "#,##0.##"}
NUMERIC = (*FORMATS, "year")

MAX_SHEET_NAME = 31  # Excel's limit
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
RESERVED_SHEET_NAMES = ("history",)  # Excel keeps it for its change log

MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
PADDING = 2  # characters either side of the text, with the filter button's room
BOLD = 1.1  # a bold header is a little wider than its characters
WRAP_FROM = 1.5  # a header this many times longer than the widest cell wraps onto lines
MAX_HEADER_LINES = 2
LINE_HEIGHT = 15  # points, of an 11 pt line

LONG_CATEGORY = 12  # characters: longer names are drawn across, on lines at the bars' left
MAX_CHART = 55.0  # centimetres: Excel draws a chart up to 22 inches

MILLIONS = "#,##0,,"  # Excel's scaling format: 169500000 shows as 170 (the cell keeps the dollars)
MILLIONS_DECIMAL = "#,##0.0,,"  # below ten millions: 2200000 shows as 2.2


# --- sheet names ------------------------------------------------------------------------


def _safe_sheet_name(candidate: str) -> str:
    """A text Excel accepts as a sheet name: no ``[]:*?/\\``, no edge apostrophe, at most 31 characters."""
    cleaned = " ".join(NOT_IN_SHEET_NAMES.sub(" ", candidate).split())
    cleaned = cleaned[:MAX_SHEET_NAME].strip().strip("'").strip()
    return cleaned


def sheet_name(table_id: str, lang: str) -> str:
    """The sheet of a table in a language, before it is made unique in its workbook."""
    key = f"sheet.{table_id}"
    label = text(key, lang)
    named = _safe_sheet_name(label) if label != key else ""
    return named or _safe_sheet_name(table_id) or "Table"


def sheet_names(table_ids: Iterable[str], lang: str) -> list[str]:
    """The sheets of the tables, in order, unique in the workbook (Excel ignores case): ``Name (2)``."""
    taken: set[str] = {reserved.casefold() for reserved in RESERVED_SHEET_NAMES}
    names: list[str] = []
    for table_id in table_ids:
        base = sheet_name(table_id, lang)
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[: MAX_SHEET_NAME - len(suffix)].rstrip().rstrip("'") + suffix
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def quote_sheet(title: str) -> str:
    """A sheet name as a formula or chart reference spells it: ``'Taux d''exécution'``."""
    return "'" + title.replace("'", "''") + "'"


# --- the workbook -----------------------------------------------------------------------


def render_xlsx(report: dict[str, Any], lang: str, target: Path) -> None:
    def write(path: Path) -> None:
        book = Workbook()
        book.remove(book.active)
        tables = report["tables"]
        for table, title in zip(tables, sheet_names((t["id"] for t in tables), lang), strict=True):
            _sheet(book.create_sheet(title), as_shown(table), lang)
        book.save(path)

    write_with(target, write)


def _sheet(sheet: Worksheet, table: dict[str, Any], lang: str) -> None:
    sheet["A1"] = text(f"table.{table['id']}", lang)  # wider than column A: it overflows to the right
    sheet["A1"].data_type = "s"
    sheet["A1"].font = Font(bold=True, size=13)
    columns = table["columns"]
    if any(c["kind"] == "usd" for c in columns):
        sheet["A2"] = "USD"
    for j, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=j, value=column_label(column["id"], lang))
        cell.data_type = "s"
        cell.font = Font(bold=True)
    shown = _rows(sheet, table, lang)
    _fit(sheet, columns, shown)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1).coordinate
    chart = _chart(sheet, table, lang, shown)
    if chart is not None:
        sheet.add_chart(chart, f"{get_column_letter(len(columns) + 2)}{HEADER_ROW}")


def _rows(sheet: Worksheet, table: dict[str, Any], lang: str) -> list[list[str]]:
    """Write the rows from row 4; the text of each column's cells as Excel shows them."""
    columns = table["columns"]
    shown: list[list[str]] = [[] for _ in columns]
    for i, row in enumerate(table["rows"], start=HEADER_ROW + 1):
        for j, (value, column) in enumerate(zip(row, columns, strict=True), start=1):
            target = sheet.cell(row=i, column=j)
            if value is None:
                continue
            if column["kind"] in NUMERIC:
                target.value = value  # the JSON figure itself
                if column["kind"] in FORMATS:
                    target.number_format = FORMATS[column["kind"]]
                shown[j - 1].append(_displayed(value, column["kind"]))
            else:
                written = cell(value, column["kind"], lang, column.get("codelist"))  # names, quarters
                write_text(target, written)
                shown[j - 1].append(written)
    return shown


def _fit(sheet: Worksheet, columns: list[dict[str, Any]], shown: list[list[str]]) -> None:
    """Each column as wide as its widest text, within bounds; longer text wraps, its row made taller."""
    lines: dict[int, int] = {}  # row -> lines of its tallest cell
    for j, cells in enumerate(shown, start=1):
        header = sheet.cell(row=HEADER_ROW, column=j)
        width, header_lines = _width(str(header.value), cells)
        sheet.column_dimensions[get_column_letter(j)].width = width
        if header_lines > 1:
            header.alignment = Alignment(wrap_text=True, vertical="bottom")
            lines[HEADER_ROW] = max(lines.get(HEADER_ROW, 1), header_lines)
        if columns[j - 1]["kind"] in NUMERIC:
            continue
        for i, value in enumerate(cells, start=HEADER_ROW + 1):
            if len(value) > width - PADDING:  # longer than the widest column: on lines
                sheet.cell(row=i, column=j).alignment = Alignment(wrap_text=True, vertical="top")
                count = len(textwrap.wrap(value, width=int(width - PADDING))) or 1
                lines[i] = max(lines.get(i, 1), count)
    for row, count in lines.items():
        if count > 1:
            sheet.row_dimensions[row].height = LINE_HEIGHT * count


def _displayed(value: Any, kind: str) -> str:
    """A figure as its cell's number format shows it (the widest form, whatever the locale's signs)."""
    if kind in ("usd", "count") and isinstance(value, int | float):
        return f"{value:,.0f}"
    if kind == "pct" and isinstance(value, int | float):
        return f"{value:.1f}"
    if kind == "number" and isinstance(value, int | float):
        return f"{value:,.2f}"
    return str(value)


def _width(header: str, cells: list[str]) -> tuple[float, int]:
    """A column's width (characters) and its header's lines: the widest text, between the bounds.

    A header much longer than the widest cell wraps onto two lines, none narrower than its longest word.
    """
    widest = max((len(c) for c in cells), default=0)
    heading = math.ceil(len(header) * BOLD)
    if widest and heading > widest * WRAP_FROM:
        longest_word = math.ceil(max((len(w) for w in header.split()), default=0) * BOLD)
        room = min(max(widest, longest_word, MIN_WIDTH - PADDING), MAX_WIDTH - PADDING)
        wrapped = _lines(header, room)
        while len(wrapped) > MAX_HEADER_LINES and room < MAX_WIDTH - PADDING:
            room += 1
            wrapped = _lines(header, room)
        if len(wrapped) > 1:
            return float(room + PADDING), len(wrapped)
    return float(max(MIN_WIDTH, min(MAX_WIDTH, max(widest, heading) + PADDING))), 1


def _lines(header: str, room: int) -> list[str]:
    """A bold header on lines of ``room`` characters' width, words kept whole."""
    return textwrap.wrap(header, width=max(1, math.floor(room / BOLD)), break_long_words=False) or [header]


# --- the chart --------------------------------------------------------------------------


def _chart(sheet: Worksheet, table: dict[str, Any], lang: str, shown: list[list[str]]) -> BarChart | None:
    """Columns over years and periods; bars across, names on lines at their left, when names are long."""
    spec = table.get("chart") or {}
    rows = table["rows"]
    if not spec or not rows:
        return None
    ids = [c["id"] for c in table["columns"]]
    x = ids.index(spec["x"]) + 1
    across = max((len(s) for s in shown[x - 1]), default=0) > LONG_CATEGORY
    chart = BarChart()
    chart.type = "bar" if across else "col"
    chart.title = _title(text(f"table.{table['id']}", lang))
    if spec["type"] in ("stacked", "stacked_pct"):
        chart.grouping = "percentStacked" if spec["type"] == "stacked_pct" else "stacked"
        chart.overlap = 100
    first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
    for series in spec["series"]:  # the header cell names the series, the rows below are its values
        column = ids.index(series) + 1
        chart.add_data(
            Reference(sheet, min_col=column, min_row=HEADER_ROW, max_row=last), titles_from_data=True
        )
    categories = str(Reference(sheet, min_col=x, min_row=first, max_row=last))
    numeric = table["columns"][x - 1]["kind"] in NUMERIC
    for series in chart.series:  # years are numbers, names are text: each as what it is
        series.cat = (
            AxDataSource(numRef=NumRef(f=categories))
            if numeric
            else AxDataSource(strRef=StrRef(f=categories))
        )
    _axes(chart, table, spec, lang)
    chart.legend.position = "b"
    legend_lines = (len(spec["series"]) - 1) // 4
    if across:  # names at the left, the first at the top; the value axis below the bars
        chart.x_axis.axPos, chart.y_axis.axPos = "l", "b"
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"
        chart.width = 24.0  # centimetres
        chart.height = min(MAX_CHART, max(9.0, 4.0 + 0.6 * len(rows)) + 0.6 * legend_lines)
    else:  # years and periods along the bottom
        chart.x_axis.axPos, chart.y_axis.axPos = "b", "l"
        chart.width = min(36.0, max(16.0, 8.0 + 0.6 * len(rows)))
        chart.height = 9.0 + 0.6 * legend_lines
    return chart


def _title(words: str) -> Title:
    """A chart title in 12 pt bold (applications draw a bare title at 14-18 pt, crowding the plot)."""
    font = CharacterProperties(sz=1200, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=words)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _axes(chart: BarChart, table: dict[str, Any], spec: dict[str, Any], lang: str) -> None:
    """Both axes shown (``delete`` written as 0: recent Excel hides an axis without it), titled."""
    kinds = {c["id"]: c["kind"] for c in table["columns"]}
    kind = kinds[spec["series"][0]]
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.title = column_label(spec["x"], lang)
    if spec["type"] == "stacked_pct":
        chart.y_axis.title, chart.y_axis.number_format = "%", "0%"  # Excel scales 100 % stacks to 0-1
    elif kind == "pct":
        chart.y_axis.title, chart.y_axis.number_format = "%", "0"
        if _top(table, spec) <= 100:  # shares up to 100 %, not to the next round number above
            chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    elif kind == "usd":
        chart.y_axis.title = text("report.axis.usd", lang)
        chart.y_axis.number_format = MILLIONS if _top(table, spec) >= 10_000_000 else MILLIONS_DECIMAL
    else:
        single = len(spec["series"]) == 1
        chart.y_axis.title = (
            column_label(spec["series"][0], lang) if single else text("report.axis.count", lang)
        )
        chart.y_axis.number_format = FORMATS.get(kind, "General")


def _top(table: dict[str, Any], spec: dict[str, Any]) -> float:
    """The highest bar of the chart: the largest value, or the largest stack."""
    ids = [c["id"] for c in table["columns"]]
    columns = [ids.index(s) for s in spec["series"]]
    heights = [[float(row[i] or 0) for i in columns] for row in table["rows"]]
    if spec["type"] == "stacked":
        return max((sum(h) for h in heights), default=0.0)
    return max((max(h, default=0.0) for h in heights), default=0.0)
