"""Readers: every value keeps the place the user sees; headers in en/fr/es; encodings and delimiters."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from support import FIELDS, base, check, found, write_csv, write_json, write_xlsx


def _bad_date(data: dict) -> dict:
    data["projects"][1]["end_date"] = "someday"
    return data


def test_xlsx_location(tmp_path: Path) -> None:
    report = check(write_xlsx(_bad_date(base()), tmp_path / "r.xlsx"))
    (f,) = report.findings
    assert (f.sheet, f.cell, f.row, f.column, f.location) == ("Projects", "O3", 3, 15, "Projects!O3")
    assert (f.record, f.field, f.value) == ("projects", "end_date", "someday")


def test_xlsx_header_not_on_first_row(tmp_path: Path) -> None:
    path = write_xlsx(_bad_date(base()), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    wb["Projects"].insert_rows(1, 3)
    wb["Projects"].insert_cols(1, 1)
    wb.save(path)
    (f,) = check(path).findings
    assert f.location == "Projects!P6"


def test_csv_location_is_the_line(tmp_path: Path) -> None:
    folder = write_csv(_bad_date(base()), tmp_path / "csv")
    (f,) = check(folder).findings
    assert (f.sheet, f.row, f.column, f.line, f.location) == (None, 3, 15, True, "3:15")
    assert f.file.endswith("DAKAR_1997-Q3_projects.csv")


def test_csv_quoted_newline_keeps_lines(tmp_path: Path) -> None:
    data = _bad_date(base())
    data["projects"][0]["title"] = "Vocational training\nfor rural women"
    folder = write_csv(data, tmp_path / "csv")
    (f,) = check(folder).findings
    assert f.location == "4:15"  # record 2 starts on line 4 because record 1 spans two lines


def test_csv_semicolon_and_bom(tmp_path: Path) -> None:
    folder = write_csv(_bad_date(base()), tmp_path / "csv", delimiter=";", encoding="utf-8-sig")
    assert found(check(folder)) == [("invalid-date", "3:15")]


def test_csv_single_file_brings_its_siblings(tmp_path: Path) -> None:
    folder = write_csv(base(), tmp_path / "csv")
    report = check(folder / "DAKAR_1997-Q3_finance.csv")
    assert found(report) == []
    assert len(report.returns[0].files) == 5


def test_json_pointer(tmp_path: Path) -> None:
    report = check(write_json(_bad_date(base()), tmp_path / "r.json"))
    (f,) = report.findings
    assert (f.pointer, f.location, f.sheet, f.row) == (
        "/projects/1/end_date",
        "/projects/1/end_date",
        None,
        None,
    )


def test_json_cover_pointer(tmp_path: Path) -> None:
    data = base()
    data["cover"]["email"] = "nobody"
    report = check(write_json(data, tmp_path / "r.json"))
    assert found(report) == [("email", "/cover/email")]


def test_invalid_json_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"cover": {\n  "office_code": "DAKAR",\n  oops\n}}')
    report = check(path)
    (f,) = report.findings
    assert (f.rule, f.row, f.column) == ("file-unreadable", 3, 3)
    assert "line 3, column 3" in f.message


def test_french_and_spanish_headers_and_sheet_names(tmp_path: Path) -> None:
    from tcstandards.standard import load_standard

    standard = load_standard()
    for lang in ("fr", "es"):
        path = write_xlsx(_bad_date(base()), tmp_path / f"{lang}.xlsx")
        wb = load_workbook(path)
        for kind, fields in FIELDS.items():
            record = standard.record_types[kind]
            ws = wb[kind.capitalize()]
            ws.title = record.sheet_name(lang)
            for j, name in enumerate(fields, start=1):
                ws.cell(1, j).value = record.field(name).label(lang).upper()
        wb.save(path)
        (f,) = check(path).findings
        assert (f.rule, f.sheet, f.cell) == (
            "invalid-date",
            standard.record_types["projects"].sheet_name(lang),
            "O3",
        )


def test_numbers_in_all_conventions(tmp_path: Path) -> None:
    data = base()
    data["finance"][0]["expenditure_usd"] = "61,200.00"
    data["finance"][2]["expenditure_usd"] = "USD 18 400"
    data["finance"][1]["expenditure_usd"] = "48.900,00"
    data["finance"][0]["approvals_usd"] = "-"
    report = check(write_xlsx(data, tmp_path / "r.xlsx"))
    assert found(report) == [("required", "Finance!D2"), ("number-text", "Finance!E2")]
    assert "3 amounts typed as text were read" in report.findings[1].message


def test_dates_as_text_and_serials(tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["start_date"] = "1997-01-01"
    data["projects"][1]["start_date"] = "25/02/1997"
    data["projects"][2]["start_date"] = 35490  # Excel serial of 1997-03-01
    report = check(write_xlsx(data, tmp_path / "r.xlsx"))
    assert found(report) == [("date-text", "Projects!N3")]  # read, with a word: typed as text, not a date
    assert report.errors == 0


def test_withdrawn_recipient_is_a_warning(tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["ilo_region"] = "EUROPE"
    data["projects"][0]["recipient_countries"] = "YUG"
    data["finance"] = data["finance"][2:]
    data["results"] = data["results"][1:]
    report = check(write_xlsx(data, tmp_path / "r.xlsx"))
    assert found(report) == [("code-withdrawn", "Projects!F2")]
    assert report.findings[0].severity == "warning"
    assert report.errors == 0


def test_inputs_are_not_modified(tmp_path: Path) -> None:
    paths = [write_xlsx(_bad_date(base()), tmp_path / "r.xlsx"), write_json(base(), tmp_path / "r.json")]
    folder = write_csv(base(), tmp_path / "csv")
    before = {p: p.read_bytes() for p in [*paths, *folder.iterdir()]}
    check(*paths, folder)
    assert {p: p.read_bytes() for p in before} == before


def test_json_return_matches_published_schema() -> None:
    import jsonschema
    from referencing import Registry, Resource

    from tcstandards.standard import load_standard

    standard = load_standard()
    names = ["return", "cover", *standard.record_types]
    resources = [
        (f"urn:tcds:1.0:{n}", Resource.from_contents(json.loads(standard.schema_text(f"{n}.schema.json"))))
        for n in names
    ]
    registry = Registry().with_resources(resources)
    schema = json.loads(standard.schema_text("return.schema.json"))
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    sample = (
        Path(__file__).resolve().parents[1] / "samples" / "returns" / "1997-Q3" / "MDTMANILA_1997-Q3.json"
    )
    assert list(validator.iter_errors(json.loads(sample.read_text()))) == []
    bad = json.loads(sample.read_text())
    del bad["projects"][0]["donor_code"]
    assert [e.validator for e in validator.iter_errors(bad)] == ["required"]


def test_xlsm_is_read_and_macros_never_run(tmp_path: Path) -> None:
    """An .xlsm is read like an .xlsx (calamine reads cached values and never runs VBA)."""
    path = write_xlsx(_bad_date(base()), tmp_path / "r.xlsx").rename(tmp_path / "r.xlsm")
    assert found(check(path)) == [("invalid-date", "Projects!O3")]
