"""Rules about files, sheets, headers and the Cover."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from support import base, check, found, write_csv, write_json, write_xlsx

from tcstandards.standard import load_standard


def test_unreadable_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a workbook at all")
    report = check(path)
    assert found(report) == [("file-unreadable", "")]
    assert report.unreadable
    assert "not a workbook" in report.findings[0].message


def test_legacy_xls_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    report = check(path)
    assert found(report) == [("file-unsupported", "")]
    assert "save it as .xlsx" in report.findings[0].message
    assert report.unreadable


def test_encrypted_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"  # an OLE container with the stream of an encrypted workbook
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"))
    report = check(path)
    assert found(report) == [("file-unreadable", "")]
    assert "password" in report.findings[0].message


def test_a_legacy_xls_renamed_xlsx_says_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"  # an OLE container without encryption: an Excel 97-2003 file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "Workbook".encode("utf-16-le"))
    report = check(path)
    assert found(report) == [("file-unreadable", "")]
    assert "Excel 97-2003" in report.findings[0].message and "password" not in report.findings[0].message


@pytest.mark.parametrize("text", ["inf", "Infinity", "1e309"])
def test_infinite_amounts_typed_as_text_are_invalid(tmp_path: Path, text: str) -> None:
    data = base()
    data["finance"][0]["expenditure_usd"] = text
    assert found(check(write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")), "invalid-number") == [
        ("invalid-number", "Finance!E2")
    ]


def test_cover_missing(tmp_path: Path) -> None:
    path = write_xlsx(base(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    del wb["Cover"]
    wb.save(path)
    report = check(path)
    assert ("cover-missing", "") in found(report)


def test_cover_required_field_missing(tmp_path: Path) -> None:
    data = base()
    del data["cover"]["prepared_by"]
    report = check(write_xlsx(data, tmp_path / "r.xlsx"))
    assert found(report) == [("required", "Cover")]
    assert report.findings[0].field == "prepared_by"


def test_csv_without_cover_is_one_warning(tmp_path: Path) -> None:
    folder = write_csv(base(), tmp_path / "csv")
    (folder / "DAKAR_1997-Q3_cover.csv").unlink()
    report = check(folder)
    assert found(report) == [("cover-incomplete", "")]
    assert report.returns[0].office == "DAKAR" and report.returns[0].period == "1997-Q3"
    assert "Standard version, Prepared by, E-mail, Prepared on" in report.findings[0].message  # their labels


def test_cover_mismatch_with_file_names(tmp_path: Path) -> None:
    folder = write_csv(base(), tmp_path / "csv")
    for path in folder.iterdir():
        path.rename(folder / path.name.replace("DAKAR", "LIMA"))
    report = check(folder)
    assert found(report, "cover-mismatch") == [("cover-mismatch", "3:2")]
    assert report.findings[0].message == "The file name says office_code LIMA, the Cover says DAKAR."


def test_csv_name(tmp_path: Path) -> None:
    path = tmp_path / "finance.csv"
    path.write_text("project_code\n", encoding="utf-8")
    assert found(check(path)) == [("csv-name", "")]


def test_csv_encoding(tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["title"] = "Formation professionnelle des femmes rurales (Sénégal)"
    folder = write_csv(data, tmp_path / "csv", encoding="cp1252")
    report = check(folder)
    assert {r for r, _ in found(report)} == {"csv-encoding"}
    assert "Windows-1252" in report.findings[0].message


def test_unknown_standard_version(tmp_path: Path) -> None:
    data = base()
    data["cover"]["standard_version"] = "9.9"
    report = check(write_xlsx(data, tmp_path / "r.xlsx"))
    assert found(report) == [("standard-version-unknown", "Cover!B2")]
    assert report.returns[0].standard_version == "1.0"


def test_unknown_and_hidden_sheets(tmp_path: Path) -> None:
    path = write_xlsx(base(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    wb.create_sheet("Notes").append(["anything"])
    wb["Results"].sheet_state = "hidden"
    wb.create_sheet("Instructions").append(["ignored on purpose"])
    wb.save(path)
    assert found(check(path)) == [("sheet-unknown", "Notes"), ("sheet-hidden", "Results")]


def test_json_structure(tmp_path: Path) -> None:
    data = json.loads(write_json(base(), tmp_path / "r.json").read_text())
    data["finance"] = {"not": "a list"}
    data["results"].append("a string")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    assert found(check(path)) == [("json-structure", "/finance"), ("json-structure", "/results")]


def test_columns_missing_unknown_duplicate(tmp_path: Path) -> None:
    path = write_xlsx(base(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    ws = wb["Finance"]
    ws["E1"] = "spent"  # expenditure_usd renamed: missing + unknown
    ws["J1"] = "period"  # duplicate header
    ws["J2"] = "1997-Q3"
    wb.save(path)
    assert found(check(path)) == [
        ("column-missing", "Finance!1"),
        ("column-unknown", "Finance!E1"),
        ("column-duplicate", "Finance!J1"),
    ]


def test_empty_workbook_has_nothing_to_report_but_needs_a_cover(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Cover"
    for key, value in base()["cover"].items():
        wb.active.append([key, value])
    wb.save(tmp_path / "r.xlsx")
    report = check(tmp_path / "r.xlsx")
    assert found(report) == []
    assert report.returns[0].records == 0


@pytest.mark.parametrize("kind", ["projects", "finance", "results", "pipeline"])
def test_an_empty_json_list_or_sheet_is_nothing_to_report(kind: str, tmp_path: Path) -> None:
    data = base()
    data[kind] = []
    if kind == "projects":
        data["finance"], data["results"] = [], []
        data["pipeline"][1]["project_code"] = "MLI/97/M02/GER"
    assert found(check(write_json(data, tmp_path / "DAKAR_1997-Q3.json"))) == []
    assert found(check(write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx"))) == []


@pytest.mark.parametrize("kind", ["projects", "finance", "results", "pipeline"])
def test_a_json_record_with_no_field_gives_findings_not_a_crash(kind: str, tmp_path: Path) -> None:
    data = base()
    data[kind] = [{}]
    report = check(write_json(data, tmp_path / "DAKAR_1997-Q3.json"))
    # json-schema: the schema's conditions fail on {} too (no ilo_region, so recipient_countries is required)
    assert {rule for rule, _ in found(report)} <= {"column-missing", "unknown-project", "json-schema"}
    required = [f.name for f in load_standard("1.0").record_types[kind].fields if f.required]
    assert sorted(str(f.field) for f in report.findings if f.rule == "column-missing") == sorted(required)


# --- hostile files: refused early, a finding each, never a crash (issue 7 in part) ------------------


def test_a_stray_cell_at_xfd1048576_is_refused_before_reading(tmp_path: Path) -> None:
    data = base()
    path = write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")
    book = load_workbook(path)
    book["Projects"]["XFD1048576"] = "x"
    book.save(path)
    report = check(path)
    assert found(report) == [("file-unreadable", "")]
    assert "cells up to row 1,048,576 and column 16,384" in report.findings[0].message


def test_a_part_that_unpacks_beyond_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    from tcstandards.reading import xlsx_scan

    monkeypatch.setattr(xlsx_scan, "MAX_PART_MB", 1)
    path = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 2**20))  # 3 MB of zeros: a few KB packed
    report = check(path)
    assert found(report) == [("file-unreadable", "")]
    assert "3 MB unpacked, over the limit of 1 MB" in report.findings[0].message


def test_a_fifo_named_like_a_workbook_does_not_block(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "DAKAR_1997-Q3.xlsx"
    os.mkfifo(fifo)
    report = check(fifo)
    assert found(report) == [("file-unreadable", "")]
    assert "not a regular file" in report.findings[0].message


@pytest.mark.parametrize("number", [10**400, float("inf")])
def test_numbers_beyond_a_float_are_invalid_numbers(tmp_path: Path, number: object) -> None:
    data = base()
    data["projects"][0]["approved_budget_usd"] = number
    path = tmp_path / "DAKAR_1997-Q3.json"
    write_json(data, path)
    if number == float("inf"):
        path.write_text(path.read_text().replace("Infinity", "1e400"))
    assert found(check(path), "invalid-number") == [("invalid-number", "/projects/0/approved_budget_usd")]


def test_lone_surrogates_and_odd_file_names_reach_every_output(tmp_path: Path) -> None:
    import os

    from click.testing import CliRunner

    from tcstandards.cli import main

    data = base()
    path = tmp_path / "DAKAR_1997-Q3.json"
    write_json(data, path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("Vocational", "Voc\\ud800ational"), encoding="utf-8"
    )
    odd = tmp_path / os.fsdecode(b"odd\xff name.xlsx")
    write_xlsx(base(), odd)
    (tmp_path / "loop.xlsx").symlink_to(tmp_path / "loop.xlsx")
    for fmt in ("text", "json", "sarif", "junit", "github"):
        result = CliRunner().invoke(main, ["validate", "--format", fmt, str(tmp_path)])
        assert result.exit_code == 2, (fmt, result.output)  # the symlink loop cannot be read
        assert "internal error" not in result.output
    store = str(tmp_path / "hq.sqlite")
    result = CliRunner().invoke(main, ["consolidate", "--store", store, str(tmp_path)])
    assert result.exit_code == 2 and "internal error" not in result.output


def test_an_amount_typed_as_text_never_passes_without_a_word(tmp_path: Path) -> None:
    data = base()
    data["finance"][1]["expenditure_usd"] = "48.900"  # 48.9 or 48,900? the office must see how it was read
    report = check(write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx"))
    (warning,) = [f for f in report.findings if f.rule == "number-text"]
    assert (warning.location, warning.severity) == ("Finance!E3", "warning")
    assert "e.g. 48.900" in warning.message and "1,234.56" in warning.message


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("value", ["2999-09-30", "9999-12-31"])
def test_a_date_beyond_2262_is_an_invalid_date_not_a_crash(tmp_path: Path, kind: str, value: str) -> None:
    """pandas holds dates up to 2262; a later one is a typing slip, reported at its cell."""
    import datetime as dt

    data = base()
    data["projects"][0]["end_date"] = value if kind == "csv" else dt.datetime.fromisoformat(value)
    path = write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx") if kind == "xlsx" else write_csv(data, tmp_path)
    where = found(check(path), "invalid-date")
    assert where == [("invalid-date", "Projects!O2" if kind == "xlsx" else "2:15")]


@pytest.mark.parametrize(("value", "shown"), [(132321, "132321"), (True, "TRUE")])
def test_a_serial_beyond_2262_or_a_boolean_in_a_date_cell_is_an_invalid_date(
    tmp_path: Path, value: object, shown: str
) -> None:
    """Found by Hypothesis: a serial number past 2262 overflowed (exit 3); TRUE in a date cell was dropped."""
    data = base()
    data["projects"][0]["end_date"] = value
    report = check(write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx"))
    assert [(f.location, f.value) for f in report.findings if f.rule == "invalid-date"] == [
        ("Projects!O2", shown)
    ]
