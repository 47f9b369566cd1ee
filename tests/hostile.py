"""Hostile and malformed returns, built by script (no binary is committed): one builder per case.

Each builder writes its file (or folder) into ``folder`` and returns the path
to give ``tcstandards validate``.  The expected answer of each case lives in
``test_hostile.py``; ``test_hostile.py`` also hands the whole set to
``consolidate``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from support import COVER_FIELDS, FIELDS, SHEETS, base, write_csv, write_json, write_xlsx

NAME = "DAKAR_1997-Q3"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def patch_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of a zip container (a workbook's XML), keeping the others."""
    rewritten = path.with_name(path.name + ".part")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == part else data)
    rewritten.replace(path)
    return path


def add_part(path: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, data)
    return path


def workbook(folder: Path, edit: Callable[[Workbook], Any] | None = None, data: Any = None) -> Path:
    path = write_xlsx(data or base(), folder / f"{NAME}.xlsx")
    if edit is not None:
        book = load_workbook(path)
        edit(book)
        book.save(path)
    return path


def patched_sheet(folder: Path, sheet: str, old: bytes, new: bytes) -> Path:
    """The clean return with one text of one sheet's XML replaced."""
    path = workbook(folder)
    return patch_part(path, sheet_part(path, sheet), lambda xml: xml.replace(old, new))


def sheet_part(path: Path, sheet: str) -> str:
    """The part of a sheet written by openpyxl: sheets are numbered in order."""
    names = load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


# --- containers ---------------------------------------------------------------------------


def not_a_zip(folder: Path) -> Path:
    path = folder / f"{NAME}.xlsx"
    path.write_bytes(b"Dear HQ, please find our return attached.\n")
    return path


def truncated(folder: Path) -> Path:
    path = workbook(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def legacy_xls(folder: Path) -> Path:
    path = folder / f"{NAME}.xls"
    path.write_bytes(OLE + b"\0" * 504 + "Workbook".encode("utf-16-le"))
    return path


def encrypted(folder: Path) -> Path:
    path = folder / f"{NAME}.xlsx"  # Excel saves a password-protected workbook as an OLE container
    path.write_bytes(OLE + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
    return path


def xlsb(folder: Path) -> Path:
    path = folder / f"{NAME}.xlsb"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 60)
    return path


def empty(folder: Path) -> Path:
    path = folder / f"{NAME}.xlsx"
    path.write_bytes(b"")
    return path


def folder_named_like_a_file(folder: Path) -> Path:
    path = folder / f"{NAME}.xlsx"
    path.mkdir()
    return path


def _ods_cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        kind, attrs, shown = "date", f' office:date-value="{value.isoformat()}"', value.isoformat()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        kind, attrs, shown = "float", f' office:value="{value}"', str(value)
    else:
        kind, attrs, shown = "string", "", escape(str(value))
    return f'<table:table-cell office:value-type="{kind}"{attrs}><text:p>{shown}</text:p></table:table-cell>'


def ods(folder: Path, data: dict[str, Any] | None = None) -> Path:
    """An OpenDocument spreadsheet (LibreOffice's own format), written by hand: no LibreOffice needed."""
    data = data or base()
    sheets = {
        "Cover": [["field", "value"], *([k, data["cover"][k]] for k in COVER_FIELDS if k in data["cover"])]
    }
    for kind, fields in FIELDS.items():
        sheets[SHEETS[kind]] = [fields, *([r.get(f) for f in fields] for r in data[kind])]
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = folder / f"{NAME}.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first, stored
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


# --- bombs and limits ---------------------------------------------------------------------


def stray_cell(folder: Path) -> Path:
    def far(book: Workbook) -> None:
        book["Projects"]["XFD1048576"] = "x"

    return workbook(folder, far)


def declared_huge_dimension(folder: Path) -> Path:
    return patched_sheet(folder, "Projects", b'<dimension ref="A1:T4"', b'<dimension ref="A1:XFD1048576"')


def megabyte_cell(folder: Path) -> Path:
    data = base()
    data["projects"][0]["title"] = "x" * (1 << 20)
    return workbook(folder, data=data)


def entity_expansion(folder: Path) -> Path:
    """A billion laughs: ten levels of entities of ten, 10**10 characters if anything expanded them."""
    path = workbook(folder)
    entities = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10) for i in range(9)
    )
    doctype = b"<!DOCTYPE worksheet [" + entities + b"]>"

    def bomb(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet", doctype + b"<worksheet", 1)
        return xml.replace(b"<t>Vocational", b"<t>&j;Vocational", 1)

    return patch_part(path, sheet_part(path, "Projects"), bomb)


# --- formulas and macros ------------------------------------------------------------------


CELL_E2 = b'<c r="E2" t="n"><v>61200</v></c>'


def formula_with_cached_value(folder: Path) -> Path:
    return patched_sheet(folder, "Finance", CELL_E2, b'<c r="E2"><f>61000+200</f><v>61200</v></c>')


def formula_without_value(folder: Path) -> Path:
    return patched_sheet(folder, "Finance", CELL_E2, b'<c r="E2"><f>61000+200</f></c>')


def macros_and_external_links(folder: Path) -> Path:
    """An .xlsm with a VBA project, and a cell whose formula points into another workbook on a server."""
    path = workbook(folder)
    path = path.rename(path.with_suffix(".xlsm"))
    add_part(path, "xl/vbaProject.bin", OLE + b"\0" * 504 + b'Auto_Open Shell("calc.exe")')
    add_part(
        path,
        "xl/externalLinks/externalLink1.xml",
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
        b"</externalLink>",
    )
    add_part(
        path,
        "xl/externalLinks/_rels/externalLink1.xml.rels",
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'externalLinkPath" Target="http://203.0.113.9/budget.xlsx" TargetMode="External"/></Relationships>',
    )
    return patch_part(
        path,
        sheet_part(path, "Finance"),
        lambda xml: xml.replace(
            b'<c r="E2" t="n"><v>61200</v></c>', b'<c r="E2"><f>[1]Sheet1!A1</f><v>61200</v></c>'
        ),
    )


# --- layout -------------------------------------------------------------------------------


def blank_rows_above_header(folder: Path) -> Path:
    return workbook(folder, lambda book: book["Projects"].insert_rows(1, 2))


def title_above_header(folder: Path) -> Path:
    def title(book: Workbook) -> None:
        book["Projects"].insert_rows(1, 2)
        book["Projects"]["A1"] = "Projects of the Dakar office, 1997"

    return workbook(folder, title)


def merged_header(folder: Path) -> Path:
    return workbook(folder, lambda book: book["Projects"].merge_cells("B1:C1"))


def merged_data(folder: Path) -> Path:
    return workbook(folder, lambda book: book["Results"].merge_cells("A2:A3"))


def hidden_sheet(folder: Path) -> Path:
    def hide(book: Workbook) -> None:
        book["Pipeline"].sheet_state = "hidden"

    return workbook(folder, hide)


def hidden_rows_and_columns(folder: Path) -> Path:
    def hide(book: Workbook) -> None:
        book["Finance"].row_dimensions[3].hidden = True
        book["Finance"].row_dimensions[4].hidden = True
        book["Finance"].column_dimensions["C"].hidden = True

    return workbook(folder, hide)


def totals_row(folder: Path) -> Path:
    def total(book: Workbook) -> None:
        sheet = book["Finance"]
        sheet.append(["Total", None, None, 700000, 128500, 686600])

    return workbook(folder, total)


def duplicate_header(folder: Path) -> Path:
    def twice(book: Workbook) -> None:
        book["Finance"]["J1"] = "expenditure_usd"
        book["Finance"]["J2"] = 1

    return workbook(folder, twice)


def missing_required_column(folder: Path) -> Path:
    return workbook(folder, lambda book: book["Finance"].delete_cols(5))


def unknown_extra_column(folder: Path) -> Path:
    def extra(book: Workbook) -> None:
        book["Finance"]["J1"] = "comments"
        book["Finance"]["J2"] = "checked by the AO"

    return workbook(folder, extra)


# --- values -------------------------------------------------------------------------------


def number_conventions(folder: Path) -> Path:
    data = base()
    finance = data["finance"]
    finance[0]["expenditure_usd"] = "61 200,00"  # decimal comma, thin space thousands
    finance[0]["approvals_usd"] = "USD 700,000"
    finance[1]["expenditure_usd"] = "(1,000)"  # an accounting negative
    finance[1]["approvals_usd"] = "-"  # nothing
    finance[2]["expenditure_usd"] = "n/a"
    return workbook(folder, data=data)


def percent_cells(folder: Path) -> Path:
    """A rate shown as a percentage (the cell holds the number), and an amount typed as "12%"."""
    data = base()
    data["finance"][2]["approvals_usd"] = "12%"

    def percent(book: Workbook) -> None:
        book["Finance"]["I3"].number_format = "0.00%"

    return workbook(folder, percent, data=data)


def ambiguous_date(folder: Path) -> Path:
    data = base()
    data["projects"][0]["start_date"] = "03/04/1997"
    return workbook(folder, data=data)


def dates_1904(folder: Path) -> Path:
    def mac(book: Workbook) -> None:
        book.epoch = CALENDAR_MAC_1904

    return workbook(folder, mac)


def odd_spaces_and_quotes(folder: Path) -> Path:
    data = base()
    data["projects"][0]["donor_code"] = "\u00a0DAN\u200b"  # no-break and zero-width spaces around a code
    data["projects"][1]["title"] = "\u201cSkills\u201d for rural\u00a0women\u2019s cooperatives"
    return workbook(folder, data=data)


def lower_case_code(folder: Path) -> Path:
    data = base()
    data["projects"][0]["donor_code"] = "dan"
    return workbook(folder, data=data)


# --- CSV ----------------------------------------------------------------------------------


def csv_return(folder: Path, **options: Any) -> Path:
    data = base()
    data["projects"][0]["title"] = "Formation professionnelle des femmes rurales, Sénégal"
    return write_csv(data, folder / "csv", **options)


def csv_with_quoted_newline(folder: Path) -> Path:
    data = base()
    data["projects"][0]["title"] = "Vocational training\nfor rural women"
    return write_csv(data, folder / "csv")


def csv_ragged(folder: Path) -> Path:
    path = write_csv(base(), folder / "csv")
    finance = path / f"{NAME}_finance.csv"
    lines = finance.read_text(encoding="utf-8").splitlines()
    lines[1] += ",late note"  # one field too many
    lines[2] = ",".join(lines[2].split(",")[:3])  # cut short after the country
    finance.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def csv_with_nul_bytes(folder: Path) -> Path:
    path = write_csv(base(), folder / "csv")
    finance = path / f"{NAME}_finance.csv"
    finance.write_bytes(finance.read_bytes().replace(b"\n", b"\x00\n"))
    return path


# --- JSON ---------------------------------------------------------------------------------


def json_return(folder: Path, change: Callable[[str], str]) -> Path:
    path = write_json(base(), folder / f"{NAME}.json")
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def json_invalid(folder: Path) -> Path:
    return json_return(folder, lambda text: text.replace('"DAKAR"', '"DAKAR",', 1))


def json_deep(folder: Path) -> Path:
    path = folder / f"{NAME}.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


def json_huge_number(folder: Path) -> Path:
    return json_return(folder, lambda text: text.replace("2400000", "9" * 400, 1))


def json_nan(folder: Path) -> Path:
    return json_return(folder, lambda text: text.replace("2400000", "NaN", 1))


def json_infinity(folder: Path) -> Path:
    return json_return(folder, lambda text: text.replace("2400000", "Infinity", 1))


# --- paths --------------------------------------------------------------------------------


def odd_path(folder: Path) -> Path:
    inner = folder / "Retours été 1997" / ".." / "Retours été 1997"
    (folder / "Retours été 1997").mkdir()
    return write_xlsx(base(), inner / f"{NAME} (copie..finale).xlsx")


# --- found by review: ways around the first scan -------------------------------------------

FAR_ROW = b'<row spans="16384:16384" r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>'


def _projects_sheet(folder: Path, change: Callable[[bytes], bytes]) -> Path:
    path = workbook(folder)
    return patch_part(path, sheet_part(path, "Projects"), change)


def stray_cell_attributes_reordered(folder: Path) -> Path:
    return _projects_sheet(folder, lambda xml: xml.replace(b"</sheetData>", FAR_ROW + b"</sheetData>"))


def stray_cell_prefixed_namespace(folder: Path) -> Path:
    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", FAR_ROW + b"</sheetData>")
        main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        xml = xml.replace(main, main.replace(b"xmlns=", b"xmlns:x="))
        return re.sub(rb"<(/?)([A-Za-z]+)", rb"<\1x:\2", xml)

    return _projects_sheet(folder, prefixed)


def stray_cell_rows_without_references(folder: Path) -> Path:
    rows = b"<row/>" * 1_048_570 + b'<row><c r="XFD1048576" t="n"><v>1</v></c></row>'
    return _projects_sheet(folder, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))


def stray_cell_behind_padding(folder: Path) -> Path:
    padding = b"<!--" + b" " * (6 << 20) + b"-->"
    return _projects_sheet(
        folder, lambda xml: xml.replace(b"</sheetData>", FAR_ROW + b"</sheetData>" + padding)
    )


def stray_cell_in_a_moved_part(folder: Path) -> Path:
    """The sheet stored outside xl/worksheets/, where its relation says."""
    path = workbook(folder)
    part = sheet_part(path, "Projects")
    moved = path.with_name("moved.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                target.writestr(
                    "xl/data/sheetP.xml", data.replace(b"</sheetData>", FAR_ROW + b"</sheetData>")
                )
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(part.removeprefix("xl/").encode(), b"data/sheetP.xml")
                data = data.replace(("/" + part).encode(), b"/xl/data/sheetP.xml")
            target.writestr(info, data)
    moved.replace(path)
    return path


def json_nested_600(folder: Path) -> Path:
    return json_return(
        folder, lambda text: text.replace('"Vocational training for rural women"', "[" * 600 + "]" * 600)
    )


def json_5000_digits(folder: Path) -> Path:
    return json_return(folder, lambda text: text.replace("2400000", "9" * 5000, 1))


def json_utf16(folder: Path) -> Path:
    path = write_json(base(), folder / f"{NAME}.json")
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return path


def csv_long_field_and_quoted_newline(folder: Path) -> Path:
    data = base()
    data["projects"][0]["title"] = "x" * (3 << 20)
    data["projects"][1]["title"] = "Employment-intensive\nroad works"
    return write_csv(data, folder / "csv")


def csv_utf32(folder: Path) -> Path:
    return csv_return(folder, encoding="utf-32")
