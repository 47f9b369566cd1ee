"""The report as a workbook: a sheet per table, values (never formulas), a native Excel chart beside each.

Each sheet holds the table's title in A1, the column labels in row 3 and the
rows from row 4, with the JSON figures as they are (USD in dollars with a
thousands format, percentages as numbers 0-100).  The chart's references
point at those cells.  Text is written as text, with Excel's quote prefix
when it starts with ``= + - @``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tcstandards.common.outputs import write_with
from tcstandards.common.xlsx_cells import write_text
from tcstandards.report.render.labels import column_label, name, text

HEADER_ROW = 3
FORMATS = {"usd": "#,##0", "pct": "0.0", "count": "#,##0", "number": "#,##0.##"}


def sheet_name(table_id: str) -> str:
    return table_id[:31]


def render_xlsx(report: dict[str, Any], lang: str, target: Path) -> None:
    def write(path: Path) -> None:
        book = Workbook()
        book.remove(book.active)
        for table in report["tables"]:
            _sheet(book, table, lang)
        book.save(path)

    write_with(target, write)


def _sheet(book: Workbook, table: dict[str, Any], lang: str) -> None:
    sheet = book.create_sheet(sheet_name(table["id"]))
    sheet["A1"] = text(f"table.{table['id']}", lang)
    sheet["A1"].data_type = "s"
    sheet["A1"].font = Font(bold=True, size=13)
    columns = table["columns"]
    if any(c["kind"] == "usd" for c in columns):
        sheet["A2"] = "USD"
    for j, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=j, value=column_label(column["id"], lang))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(j)].width = max(10, min(28, len(str(cell.value)) + 2))
    for i, row in enumerate(table["rows"], start=HEADER_ROW + 1):
        for j, (value, column) in enumerate(zip(row, columns, strict=True), start=1):
            target = sheet.cell(row=i, column=j)
            if value is None:
                continue
            if column["kind"] in FORMATS or column["kind"] == "year":
                target.value = value  # the JSON figure itself
                if column["kind"] in FORMATS:
                    target.number_format = FORMATS[column["kind"]]
            else:
                write_text(target, name(value, lang) if column["kind"] == "code" else str(value))
    chart = _chart(table, lang)
    if chart is not None:
        sheet.add_chart(chart, f"{get_column_letter(len(columns) + 2)}{HEADER_ROW}")


def _chart(table: dict[str, Any], lang: str) -> BarChart | None:
    spec = table.get("chart") or {}
    rows = len(table["rows"])
    if not spec or not rows:
        return None
    ids = [c["id"] for c in table["columns"]]
    chart = BarChart()
    chart.type = "col"
    chart.title = text(f"table.{table['id']}", lang)
    chart.width, chart.height = 18, 9
    if spec["type"] in ("stacked", "stacked_pct"):
        chart.grouping = "percentStacked" if spec["type"] == "stacked_pct" else "stacked"
        chart.overlap = 100
    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    for series in spec["series"]:  # the header cell names the series, the rows below are its values
        chart.add_data(_ref(table, ids.index(series) + 1, HEADER_ROW, last), titles_from_data=True)
    chart.set_categories(_ref(table, ids.index(spec["x"]) + 1, first, last))
    return chart


def _ref(table: dict[str, Any], column: int, first: int, last: int) -> Reference:
    letter = get_column_letter(column)
    return Reference(range_string=f"'{sheet_name(table['id'])}'!${letter}${first}:${letter}${last}")
