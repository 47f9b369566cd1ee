"""Issue 7: every hostile or malformed return gets a clear answer; none crashes, hangs or is changed.

Each case is built by a function of ``hostile.py`` and run through the real
command (``tcstandards validate --format json``).  For each: the exact
findings (rule and location) or the error, the exit code (1 invalid, 2
unreadable), no traceback or internal error, and the input unchanged byte for
byte.  The last test hands the whole set to ``consolidate``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hostile
import pytest
from click.testing import CliRunner
from support import base, check

from tcstandards.cli import main

Found = list[tuple[str, str]]


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    exit: int
    findings: Found | None = None  # the exact (rule, location) of every finding
    says: str = ""  # a phrase of the output (the reason, in plain words)


def csv_as(**options: Any) -> Callable[[Path], Path]:
    return lambda folder: hostile.csv_return(folder, **options)


UNREADABLE = [("file-unreadable", "")]
UNSUPPORTED = [("file-unsupported", "")]

CASES: dict[str, Case] = {
    # 1. containers
    "not a zip": Case(hostile.not_a_zip, 2, UNREADABLE, "not a workbook"),
    "truncated xlsx": Case(hostile.truncated, 2, UNREADABLE, "the workbook is damaged"),
    "legacy .xls": Case(hostile.legacy_xls, 2, UNSUPPORTED, "save it as .xlsx"),
    ".ods is read": Case(hostile.ods, 0, []),
    "password-protected xlsx": Case(hostile.encrypted, 2, UNREADABLE, "protected by a password"),
    "xlsb": Case(hostile.xlsb, 2, UNSUPPORTED, "Binary workbooks are not read; save it as .xlsx"),
    "empty file": Case(hostile.empty, 2, UNREADABLE, "the file is empty"),
    "folder named like a file": Case(hostile.folder_named_like_a_file, 2, None, "no returns in folder"),
    # 2. bombs and limits (the part bomb is below: it needs a small limit)
    "stray cell at XFD1048576": Case(hostile.stray_cell, 2, UNREADABLE, "over the limit of 20,000,000"),
    "dimension declaring the whole sheet": Case(hostile.declared_huge_dimension, 0, []),
    "1 MB cell": Case(hostile.megabyte_cell, 1, [("length", "Projects!B2")], "it has 32,767"),
    "XML entity expansion": Case(hostile.entity_expansion, 2, UNREADABLE, "unrecognized entity"),
    # 3. formulas and macros
    "formula with a cached value": Case(hostile.formula_with_cached_value, 0, []),
    "formula without a cached value": Case(
        hostile.formula_without_value, 1, [("formula-no-value", "Finance!E2")], "no saved result"
    ),
    "macros and external links": Case(hostile.macros_and_external_links, 0, []),
    # 4. layout
    "blank rows above the header": Case(hostile.blank_rows_above_header, 0, []),
    "title above the header": Case(
        hostile.title_above_header, 0, [("header-below-title", "Projects!3")], "on row 3"
    ),
    "merged header cells": Case(
        hostile.merged_header,
        1,
        [
            ("cells-merged", "Projects!B1"),
            ("column-missing", "Projects!1"),
            ("column-unnamed", "Projects!C1"),
        ],
        "merged cells (B1:C1)",
    ),
    "merged data cells": Case(
        hostile.merged_data, 1, [("cells-merged", "Results!A2"), ("required", "Results!A3")], "(A2:A3)"
    ),
    "hidden sheet": Case(hostile.hidden_sheet, 0, [("sheet-hidden", "Pipeline")], "read all the same"),
    "hidden rows and columns": Case(
        hostile.hidden_rows_and_columns,
        0,
        [("columns-hidden", "Finance"), ("rows-hidden", "Finance!3")],
        "hidden rows (3-4)",
    ),
    "totals row under the data": Case(hostile.totals_row, 0, [("totals-row", "Finance!5")], "(Total)"),
    "duplicate header": Case(hostile.duplicate_header, 1, [("column-duplicate", "Finance!J1")]),
    "missing required column": Case(hostile.missing_required_column, 1, [("column-missing", "Finance!1")]),
    "unknown extra column": Case(hostile.unknown_extra_column, 0, [("column-unknown", "Finance!J1")]),
    # 5. values
    "number conventions": Case(
        hostile.number_conventions,
        1,
        [
            ("number-text", "Finance!D2"),
            ("number-text", "Finance!E2"),
            ("required", "Finance!D3"),  # "-": nothing was entered
            ("currency-mismatch", "Finance!E3"),  # (1,000) was read as -1000, against 29,340,000 XOF
            ("negative-expenditure", "Finance!E3"),
            ("required", "Finance!E4"),  # "n/a"
        ],
        "read with the 1 234,56 convention",
    ),
    "percent cells": Case(hostile.percent_cells, 0, [("number-text", "Finance!D4")], "e.g. 12%"),
    "ambiguous date": Case(hostile.ambiguous_date, 1, [("ambiguous-date", "Projects!N2")], "YYYY-MM-DD"),
    "1904 date system": Case(hostile.dates_1904, 0, []),
    "no-break and zero-width spaces, smart quotes": Case(hostile.odd_spaces_and_quotes, 0, []),
    "lower-case code": Case(
        hostile.lower_case_code, 0, [("code-case", "Projects!H2")], "dan was read as DAN"
    ),
    # 6. CSV
    "CSV with a BOM": Case(csv_as(encoding="utf-8-sig"), 0, []),
    "CSV in cp1252": Case(csv_as(encoding="cp1252"), 0, [("csv-encoding", "")], "Windows-1252"),
    "CSV in latin-1": Case(csv_as(encoding="latin-1"), 0, [("csv-encoding", "")], "Windows-1252"),
    "CSV in UTF-16": Case(csv_as(encoding="utf-16"), 0, [("csv-encoding", "")] * 5, "UTF-16"),
    "CSV with ; as delimiter": Case(csv_as(delimiter=";"), 0, []),
    "CSV with a quoted newline": Case(hostile.csv_with_quoted_newline, 0, []),
    "CSV with ragged rows": Case(
        hostile.csv_ragged,
        1,
        [("column-unnamed", "1:10"), ("required", "3:4"), ("required", "3:5"), ("required", "3:6")],
        "Column 10 holds values but has no header",
    ),
    "CSV with NUL bytes": Case(hostile.csv_with_nul_bytes, 0, []),
    # 7. JSON
    "invalid JSON": Case(hostile.json_invalid, 2, [("file-unreadable", "4:26")], "line 4, column 26"),
    "deeply nested JSON": Case(hostile.json_deep, 2, UNREADABLE, "a value that is not allowed"),
    "a 400-digit number": Case(
        hostile.json_huge_number, 1, [("invalid-number", "/projects/0/approved_budget_usd")]
    ),
    "NaN": Case(hostile.json_nan, 2, UNREADABLE, "NaN is not allowed in JSON"),
    "Infinity": Case(hostile.json_infinity, 2, UNREADABLE, "Infinity is not allowed in JSON"),
    # 8. paths
    "spaces, accents and .. in the path": Case(hostile.odd_path, 0, []),
    # found by review: ways around the first scan (each made calamine abort the process), and others
    "stray cell, attributes reordered": Case(
        hostile.stray_cell_attributes_reordered, 2, UNREADABLE, "1,048,576"
    ),
    "stray cell, prefixed namespace": Case(hostile.stray_cell_prefixed_namespace, 2, UNREADABLE, "1,048,576"),
    "stray cell, rows without references": Case(
        hostile.stray_cell_rows_without_references, 2, UNREADABLE, "1,048,576"
    ),
    "stray cell behind 6 MB of padding": Case(hostile.stray_cell_behind_padding, 2, UNREADABLE, "1,048,576"),
    "stray cell in a moved sheet part": Case(
        hostile.stray_cell_in_a_moved_part, 2, UNREADABLE, "xl/data/sheetP.xml has cells up to row 1,048,576"
    ),
    # a value nested 600 deep is read (Python's JSON parser goes to about 1,000 levels): the schema refuses it
    "JSON nested 600 deep": Case(hostile.json_nested_600, 1, [("json-schema", "/projects/0/title")]),
    "a 5,000-digit number": Case(
        hostile.json_5000_digits, 1, [("invalid-number", "/projects/0/approved_budget_usd")]
    ),
    "JSON in UTF-16 (Notepad's Unicode)": Case(hostile.json_utf16, 0, []),
    "CSV with a 3 MB field and a quoted newline": Case(
        hostile.csv_long_field_and_quoted_newline, 1, [("length", "2:2")], "it has 3,145,728"
    ),
    "CSV in UTF-32": Case(hostile.csv_utf32, 0, [("csv-encoding", "")] * 5, "read as UTF-32"),
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def validate(path: Path) -> tuple[int, Found | None, str]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    output = result.output
    try:
        document = json.loads(result.stdout)
    except ValueError:
        return result.exit_code, None, output
    found = [(f["rule"], f["location"]) for r in document["returns"] for f in r["findings"]]
    messages = " ".join(f["message"] for r in document["returns"] for f in r["findings"])
    return result.exit_code, found, messages + output


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = case.build(tmp_path)
    before = snapshot(tmp_path)
    code, found, text = validate(path)
    assert "Traceback" not in text and "internal error" not in text
    assert (code, found) == (case.exit, case.findings), text
    assert case.says in text
    assert snapshot(tmp_path) == before  # nothing changed, nothing written beside it


def test_a_part_that_unpacks_to_gigabytes_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 1 GB part packed into about 1 MB: refused from the zip directory, in a bounded time and memory."""
    import zipfile

    path = hostile.workbook(tmp_path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/image1.bin", "w", force_zip64=True) as part,
    ):
        block = b"\0" * (1 << 24)
        for _ in range(64):  # 1 GB of zeros, about 1 MB packed
            part.write(block)
    before = snapshot(tmp_path)
    # the address space is capped at 2 GB: reading the part would fail, refusing it does not
    script = (
        "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "
        f"sys.argv = ['tcstandards', 'validate', {str(path)!r}]; "
        "runpy.run_module('tcstandards', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "xl/media/image1.bin: 1024 MB unpacked, over the limit of 512 MB" in done.stdout
    assert "Traceback" not in done.stderr
    assert snapshot(tmp_path) == before


def test_dates_of_a_1904_workbook_typed_as_numbers_count_from_1904(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tcstandards.reading.xlsx import read_workbook
    from tcstandards.standard import load_standard
    from tcstandards.validation.tables import build_return, cover_names

    path = hostile.dates_1904(tmp_path)
    book = load_workbook(path)
    book["Projects"]["N2"].value = 33969  # a serial number, no date format: 1997-01-01 counted from 1904
    book["Projects"]["N2"].number_format = "General"
    book.save(path)
    standard = load_standard("1.0")
    raw = read_workbook(path, path.name, cover_names(standard))
    assert raw.date1904
    start = build_return(raw, standard).tables["projects"].frame["start_date"]
    assert str(start[0].date()) == "1997-01-01"
    assert [f.rule for f in check(path).findings] == []


def test_every_text_a_command_writes_is_neutralised(tmp_path: Path) -> None:
    """Hostile strings in every free-text field: no formula in any CSV or workbook, no markup in HTML."""
    import csv
    import xml.etree.ElementTree as ET

    from openpyxl import load_workbook
    from support import write_json, write_xlsx

    from tcstandards.standard import load_standard

    hostile_texts = [
        "=cmd|' /C calc'!A0 training",
        '+HYPERLINK("http://x","go")',
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1) evidence",
        "\t=1+1 tabbed",
        "<script>alert(1)</script> & <b>bold</b>",
    ]
    standard = load_standard("1.0")
    data = base()
    used = 0
    for kind, record in standard.record_types.items():
        free = [
            f.name for f in record.fields if f.type == "string" and not (f.pattern or f.codelist or f.email)
        ]
        for row in data[kind]:
            for name in free:
                row[name] = hostile_texts[used % len(hostile_texts)]
                used += 1
    assert used >= 6
    returns = tmp_path / "in"
    returns.mkdir()
    write_json(data, returns / "DAKAR_1997-Q3.json")
    workbook = write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")
    book = load_workbook(workbook)
    book["Projects"]["H2"] = "=cmd|' /C calc'!A0"  # a donor code that is not one: its finding quotes it
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"  # text, as the office typed it (openpyxl would write a formula)
    book.save(workbook)
    store = str(tmp_path / "hq.sqlite")
    runner = CliRunner()
    consolidated = runner.invoke(main, ["consolidate", "--store", store, str(returns)])
    assert consolidated.exit_code in (0, 1), consolidated.output
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["export", "--store", store, "--format", "csv", "-o", str(out / "csv")],
        ["export", "--store", store, "--format", "xlsx", "-o", str(out / "xlsx")],
        ["report", "--store", store, "--from", "1997", "--to", "1997", "-o", str(out / "report.html")],
        ["report", "--store", store, "--from", "1997", "--to", "1997", "-o", str(out / "report.xlsx")],
        ["validate", str(returns), "--format", "junit"],
        ["validate", str(workbook), "--annotate", str(out / "annotated.xlsx")],
    ]
    junit = ""
    for command in commands:
        result = runner.invoke(main, command)
        assert result.exit_code in (0, 1), (command, result.output)
        if "junit" in command:
            junit = result.stdout
    ET.fromstring(junit)  # well-formed: every hostile string escaped
    starts = ("=", "+", "-", "@", "\t", "\r")
    for path in sorted(out.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                assert not [v for v in row if v.startswith(starts) and not _number(v)], (path.name, row)
    for path in sorted(out.rglob("*.xlsx")):
        book = load_workbook(path)
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>bold" not in html
    assert not [p for p in out.rglob(".*") if p.is_file()]  # no temporary file left behind


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_consolidate_records_every_hostile_file_and_merges_none_of_the_broken(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    returns.mkdir()
    broken: dict[str, int] = {}
    for number, case in enumerate(CASES.values()):
        if case.findings is None:  # a usage error, not a return
            continue
        (tmp_path / f"case{number}").mkdir()
        built = case.build(tmp_path / f"case{number}")
        if built.is_dir():  # a CSV return: its files, under this case's own office code
            continue
        target = returns / f"{number:02d}_{built.name}"
        os.replace(built, target)
        if case.exit != 0:
            broken[target.name] = case.exit
    before = snapshot(returns)
    store = tmp_path / "hq.sqlite"
    result = CliRunner().invoke(main, ["consolidate", "--store", str(store), str(returns)])
    assert result.exit_code == 2, result.output  # some files could not be read
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert snapshot(returns) == before
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT id, file_name, outcome FROM submissions").fetchall()
        errors = db.execute("SELECT submission_id, rule FROM findings WHERE severity = 'error'").fetchall()
        shas = [sha for (sha,) in db.execute("SELECT sha256 FROM submissions")]
    ledger = {Path(source).name: outcome for _, source, outcome in rows}
    contents = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in sorted(returns.iterdir())}
    assert sorted(shas) == sorted(contents)  # every content has its line, once (the same bytes twice: once)
    # all are DAKAR 1997-Q3: one run holds one return per office and quarter, so each is quarantined
    # with return-twice; the broken ones with at least one error of their own
    rules: dict[str, set[str]] = {Path(source).name: set() for _, source, _ in rows}
    names = {sid: Path(source).name for sid, source, _ in rows}
    for sid, rule in errors:
        rules[names[sid]].add(rule)
    assert set(ledger.values()) == {"quarantined"}
    assert {name for name, found in rules.items() if found == {"return-twice"}} == set(ledger) - set(broken)
    assert set(broken) <= set(ledger)
    assert all(found - {"return-twice"} for name, found in rules.items() if name in broken)


def test_duplicate_lines_with_an_empty_key_part_are_named_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzzer: two Finance lines alike whose period is empty (a key part missing)."""
    from support import found, write_csv

    data = base()
    data["finance"][0]["period"] = None
    data["finance"][1] = dict(data["finance"][0])
    report = check(write_csv(data, tmp_path / "csv"))
    duplicate = [f for f in report.findings if f.rule == "duplicate-key"]
    assert found(report, "duplicate-key") == [("duplicate-key", "3:1")]
    assert duplicate[0].message == "RAF/96/M05/DAN /  / SEN appears more than once (first at 2:1)."


def test_annotate_never_opens_a_workbook_the_reader_refused(tmp_path: Path) -> None:
    path = hostile.stray_cell(tmp_path)
    target = tmp_path / "out" / "annotated.xlsx"
    target.parent.mkdir()
    result = CliRunner().invoke(main, ["validate", str(path), "--annotate", str(target)])
    assert result.exit_code == 2
    assert "No annotated copy written" in result.stderr and "could not be read" in result.stderr
    assert not target.exists()


def test_no_output_replaces_the_store(tmp_path: Path) -> None:
    store = tmp_path / "hq.sqlite"
    CliRunner().invoke(main, ["consolidate", "--store", str(store), str(hostile.workbook(tmp_path))])
    before = store.read_bytes()
    runner = CliRunner()
    report = ["report", "--store", str(store), "--from", "1997", "--to", "1997", "-o", str(store)]
    assert runner.invoke(main, report).exit_code == 2
    disguised = tmp_path / "copy.xml"
    disguised.write_bytes(before)  # a database under an output's name
    export = ["export", "--store", str(store), "--format", "iati", "-o", str(disguised)]
    result = runner.invoke(main, export)
    assert result.exit_code == 2 and "is a database; it is not overwritten" in result.output
    assert store.read_bytes() == before and disguised.read_bytes() == before


def test_an_unreadable_csv_of_a_group_is_named(tmp_path: Path) -> None:
    folder = hostile.csv_return(tmp_path)
    broken = folder / "DAKAR_1997-Q3_finance.csv"
    broken.write_bytes(b"\xff\xfe" + "project_code".encode("utf-16-le") + b"\x00")  # an odd byte: not UTF-16
    report = check(folder)
    (finding,) = report.findings
    assert (finding.rule, Path(finding.file).name) == ("file-unreadable", "DAKAR_1997-Q3_finance.csv")


def test_a_newline_in_a_file_name_never_splits_an_output_line(tmp_path: Path) -> None:
    from support import write_xlsx

    path = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3\n=1+1.xlsx")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "DAKAR_1997-Q3\\n=1+1.xlsx" in result.output
    assert not [line for line in result.output.splitlines() if line.startswith("=1+1")]


def test_only_the_sheets_the_workbook_names_are_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts nobody reads (junk under xl/worksheets/) cost nothing: a 15 MB file once took 90 s."""
    from tcstandards.reading import xlsx_scan

    path = hostile.add_part(hostile.workbook(tmp_path), "xl/worksheets/junk.xml", b" " * (8 << 20))
    scanned: list[str] = []
    original = xlsx_scan._scan_sheet
    monkeypatch.setattr(
        xlsx_scan,
        "_scan_sheet",
        lambda archive, info: scanned.append(info.filename) or original(archive, info),
    )
    xlsx_scan.scan_workbook(path)
    assert sorted(scanned) == [f"xl/worksheets/sheet{i}.xml" for i in range(1, 6)]


def test_a_write_that_fails_midway_leaves_the_old_output_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tcstandards.common import xlsx_stream

    store = tmp_path / "hq.sqlite"
    CliRunner().invoke(main, ["consolidate", "--store", str(store), str(hostile.workbook(tmp_path))])
    out = tmp_path / "out"
    out.mkdir()
    target = out / "consolidated.xlsx"
    target.write_bytes(b"last quarter's export")
    writes = xlsx_stream._row

    def crash(number: int, cells: list[str]) -> bytes:  # the disk fills up in the middle of a sheet
        if number == 3:
            raise OSError(28, "No space left on device")
        return writes(number, cells)

    monkeypatch.setattr(xlsx_stream, "_row", crash)
    result = CliRunner().invoke(main, ["export", "--store", str(store), "--format", "xlsx", "-o", str(out)])
    assert (result.exit_code, result.stderr) == (2, "tcstandards: error: No space left on device\n")
    assert target.read_bytes() == b"last quarter's export"
    assert sorted(p.name for p in out.iterdir()) == ["consolidated.xlsx"]
