"""``tcstandards template``: an Excel workbook that already knows the standard, built from ``schemas/`` alone.

* **Cover**: office, period and standard version filled in and locked (the
  sheet is protected; the other values stay editable).
* One sheet per record type: headers in the chosen language (the reader
  knows them in every language; the canonical field name is in the header's
  comment), required columns marked, the header frozen, widths and number or
  date formats, and a data validation on every field: a dropdown for codelist
  fields, fed from the hidden, protected ``Lists`` sheet, and date, number
  and length checks, each with an input message (the field's description)
  and an error alert in the chosen language.
* **Instructions**: generated from the schema and the rule catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tcstandards.common.errors import UsageError
from tcstandards.common.i18n import ui
from tcstandards.common.outputs import write_with
from tcstandards.standard import (
    Field,
    RecordType,
    Standard,
    available_versions,
    load_standard,
    stable_version,
)
from tcstandards.standard.examples import example_message

ROWS = 2000  # rows of a record sheet that carry the validations
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMATS = {"date": "yyyy-mm-dd", "money": "#,##0.00", "decimal": "0.########", "pct": "0.0", "int": "0"}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _limit(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def build_template(
    office: str, period: str, lang: str, kinds: list[str] | None, target: Path, version: str | None = None
) -> Path:
    try:
        standard = load_standard(version or stable_version())
    except KeyError as error:
        known = ", ".join(available_versions())
        raise UsageError(
            f"{version!r} is not a known version ({known})",
            code="template-version",
            version=version,
            known=known,
        ) from error
    if office not in standard.codelist("offices").codes:
        raise UsageError(f"{office!r} is not in the offices codelist", code="template-office", office=office)
    if kinds is not None and not kinds:
        raise UsageError("no record type given", code="template-no-kinds")
    kinds = list(dict.fromkeys(kinds)) if kinds else list(standard.record_types)
    unknown = [k for k in kinds if k not in standard.record_types]
    if unknown:
        known = ", ".join(standard.record_types)
        raise UsageError(
            f"unknown record type {unknown[0]!r} (known: {known})",
            code="template-kind",
            kind=unknown[0],
            known=known,
        )

    def write(path: Path) -> None:
        book = Workbook()
        cover = book.active
        assert cover is not None
        lists = book.create_sheet(standard.tool_sheet("lists", lang))
        columns = _lists(lists, standard, kinds, lang)
        _cover(cover, standard, office, period, lang)
        for kind in kinds:
            record = standard.record_types[kind]
            _records(book.create_sheet(record.sheet_name(lang)), record, columns, lang)
        instructions = book.create_sheet(standard.tool_sheet("instructions", lang), 1)
        _instructions(instructions, standard, kinds, office, period, lang)
        book.move_sheet(lists, offset=len(book.sheetnames))
        lists.sheet_state = "hidden"
        lists.protection.sheet = True
        book.save(path)

    write_with(target, write)
    return target


def _cover(sheet: Worksheet, standard: Standard, office: str, period: str, lang: str) -> None:
    sheet.title = standard.cover.sheet_name(lang)
    sheet.append([ui("template.field", lang), ui("template.value", lang)])
    r = standard.roles
    values: dict[str, Any] = {r.version: standard.version, r.office: office, r.period: period}  # locked
    for f in standard.cover.fields:
        sheet.append([f.label(lang), values.get(f.name)])
        row = sheet.max_row
        sheet.cell(row=row, column=1).comment = Comment(
            f"{f.name}: {f.descriptions.get(lang, '')}", "tcstandards"
        )
        value = sheet.cell(row=row, column=2)
        value.protection = Protection(locked=f.name in values)
        if f.type == "date":
            value.number_format = FORMATS["date"]
            _validation(sheet, f, f"B{row}", lang)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    sheet.protection.sheet = True  # office, period and version are locked; the rest is not


def _lists(sheet: Worksheet, standard: Standard, kinds: list[str], lang: str) -> dict[str, str]:
    """One column per codelist a sheet uses; codelist name -> the range a dropdown points at."""
    names = sorted(
        {f.codelist for k in kinds for f in standard.record_types[k].fields if f.codelist}
        | {f.codelist for f in standard.cover.fields if f.codelist}
    )
    ranges = {}
    for j, name in enumerate(names, start=1):
        codes = list(standard.codelist(name).by_code)
        sheet.cell(row=1, column=j, value=name)
        for i, code in enumerate(codes, start=2):
            sheet.cell(row=i, column=j, value=code).data_type = "s"
        letter = get_column_letter(j)
        ranges[name] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${len(codes) + 1}"
    return ranges


def _records(sheet: Worksheet, record: RecordType, lists: dict[str, str], lang: str) -> None:
    for j, f in enumerate(record.fields, start=1):
        cell = sheet.cell(row=1, column=j, value=f.label(lang))
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if f.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        required = ui("template.required", lang) if f.required else ""
        note = f"{f.name}{' · ' + required if required else ''}\n{f.descriptions.get(lang, '')}"
        cell.comment = Comment(note, "tcstandards")
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = max(12, min(40, len(f.label(lang)) + 4))
        if f.type in FORMATS:  # every row an office may fill, as far as the dropdowns go
            for row in range(2, ROWS + 1):
                sheet.cell(row=row, column=j).number_format = FORMATS[f.type]
        area = f"{letter}2:{letter}{ROWS}"
        if f.codelist and f.codelist in lists:
            _validation(sheet, f, area, lang, list_range=lists[f.codelist])
        else:
            _validation(sheet, f, area, lang)
    sheet.freeze_panes = "A2"


def _validation(sheet: Worksheet, f: Field, area: str, lang: str, list_range: str | None = None) -> None:
    kind: dict[str, Any]
    if list_range is not None:
        kind = {"type": "list", "formula1": f"={list_range}"}
    elif f.type == "date":
        kind = {
            "type": "date",
            "operator": "between",
            "formula1": "DATE(1950,1,1)",
            "formula2": "DATE(2100,12,31)",
        }
    elif f.type in ("money", "decimal", "pct", "int"):
        high = f.maximum
        number = "whole" if f.type == "int" else "decimal"
        if f.exclusive_minimum is not None:  # "> 0": Excel's greaterThan, as validate checks it
            kind = {"type": number, "operator": "greaterThan", "formula1": _number(f.exclusive_minimum)}
        elif f.minimum is not None and high is not None:
            kind = {
                "type": number,
                "operator": "between",
                "formula1": _number(f.minimum),
                "formula2": _number(high),
            }
        elif f.minimum is not None:
            kind = {"type": number, "operator": "greaterThanOrEqual", "formula1": _number(f.minimum)}
        else:
            kind = {"type": number, "operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
    elif f.min_length is not None or f.max_length is not None:
        kind = {"type": "textLength", "operator": "between", "formula1": str(f.min_length or 0),
                "formula2": str(f.max_length or 32767)}  # fmt: skip
    else:
        kind = {}
    validation = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=_limit(f.label(lang), 32),
        prompt=_limit(f.descriptions.get(lang) or f.descriptions.get("en", ""), 255),
        showErrorMessage=bool(kind),
        errorTitle=_limit(ui("template.error-title", lang), 32),
        error=_limit(ui("template.error", lang, label=f.label(lang)), 225),
        **kind,
    )
    validation.add(area)
    sheet.add_data_validation(validation)


def _instructions(
    sheet: Worksheet, standard: Standard, kinds: list[str], office: str, period: str, lang: str
) -> None:
    title = Font(bold=True, size=14)
    bold = Font(bold=True)
    sheet.append([ui("template.title", lang, office=office, period=period, version=standard.version)])
    sheet["A1"].font = title
    sheet.append([ui("template.intro", lang)])
    sheet.append([])
    for kind in ["cover", *kinds]:
        record = standard.cover if kind == "cover" else standard.record_types[kind]
        sheet.append([record.sheet_name(lang)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append([ui("template.column", lang), ui("template.field", lang), ui("template.required", lang),
                      ui("template.description", lang)])  # fmt: skip
        for f in record.fields:
            sheet.append([f.label(lang), f.name, "✓" if f.required else "", f.descriptions.get(lang, "")])
        sheet.append([])
    sheet.append([ui("template.rules", lang)])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([ui("template.rule", lang), ui("template.severity", lang), ui("template.title-column", lang),
                  ui("template.message", lang)])  # fmt: skip
    for rule in standard.rules.values():
        sheet.append([rule.id, ui(f"text.{rule.severity}", lang), rule.title.get(lang) or rule.title["en"],
                      example_message(standard, rule, lang)])  # fmt: skip
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (28, 26, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.protection.sheet = True


def default_name(office: str, period: str) -> str:
    return f"{office}_{period}.xlsx"
