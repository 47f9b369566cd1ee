"""Cells for the workbooks the tool writes: typed values, real dates, and text that is never a formula.

openpyxl turns any string that starts with ``=`` into a formula.  A text cell
here is always written as a string, with Excel's quote prefix when it starts
with ``= + - @`` (the cell shows the text and is never evaluated, also after
an edit), so nothing a return contains can run in the workbook.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tcstandards.common.outputs import FORMULA_STARTS

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


def write_text(cell: Any, value: str | None) -> None:
    """Put ``value`` in ``cell`` as text, never a formula, whatever it starts with (any kind of cell)."""
    cell.value = value
    if value is not None:
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_STARTS)


def text_cell(sheet: WriteOnlyWorksheet, value: str, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    write_text(cell, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def header_row(sheet: WriteOnlyWorksheet, names: list[str]) -> list[WriteOnlyCell]:
    return [text_cell(sheet, name, font=Font(bold=True)) for name in names]


def value_row(sheet: WriteOnlyWorksheet, values: list[Any], kinds: list[str]) -> list[Any]:
    row: list[Any] = []
    for value, kind in zip(values, kinds, strict=True):
        if isinstance(value, str) and kind == "date":
            try:
                cell = WriteOnlyCell(sheet, value=dt.date.fromisoformat(value[:10]))
                cell.number_format = DATE_FORMAT
                row.append(cell)
                continue
            except ValueError:
                pass
        if isinstance(value, str):
            # plain text goes as it is (openpyxl writes it as a string); only text that a spreadsheet
            # would run as a formula needs a cell of its own, with the quote prefix
            row.append(text_cell(sheet, value) if value.startswith(FORMULA_STARTS) else value)
        elif kind == "money" and isinstance(value, int | float):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = MONEY_FORMAT
            row.append(cell)
        else:
            row.append(value)
    return row
