"""The export's workbook writer: what openpyxl and LibreOffice read back is what was written."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support import LIBREOFFICE

from tcstandards.common.xlsx_stream import write_tables

HEADER = ["office", "title", "start_date", "budget", "count", "ratio"]
KINDS = ["string", "string", "date", "money", "int", "decimal"]
ROWS = [
    ["DAKAR", "Vocational training", "1997-01-01", 2_400_000, 12, 0.5],
    ["LIMA", '=HYPERLINK("http://x","y")', "15/07/1997", 1234.56, None, float("inf")],
    ["a\x01b", "  two spaces around  ", "", None, -3, 1e16],
    ["<&>\"'", "@SUM(1+1)", "1997-13-01", -0.01, 0, None],
]


def written(tmp_path: Path) -> Path:
    path = tmp_path / "tables.xlsx"
    write_tables(
        path, [("Projects", HEADER, ROWS, KINDS), ('Fin "&" <ance>', HEADER[:2], [["x", "y"]], KINDS[:2])]
    )
    return path


def test_openpyxl_reads_back_values_types_and_styles(tmp_path: Path) -> None:
    book = load_workbook(written(tmp_path))
    assert book.sheetnames == ["Projects", 'Fin "&" <ance>']
    sheet = book["Projects"]
    header = next(iter(sheet.iter_rows(min_row=1, max_row=1)))
    assert [c.value for c in header] == HEADER and all(c.font.b for c in header)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["DAKAR", "Vocational training", dt.datetime(1997, 1, 1), 2_400_000, 12, 0.5],
        ["LIMA", '=HYPERLINK("http://x","y")', "15/07/1997", 1234.56, None, "inf"],  # not a number: text
        ["ab", "  two spaces around  ", None, None, -3, 1e16],  # a control character is left out
        ["<&>\"'", "@SUM(1+1)", "1997-13-01", -0.01, 0, None],
    ]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    formula_like = [sheet["B3"], sheet["B5"]]
    assert [(c.data_type, c.quotePrefix) for c in formula_like] == [("s", True), ("s", True)]
    assert (sheet["C2"].number_format, sheet["D2"].number_format) == ("yyyy-mm-dd", "#,##0.00")
    assert sheet["E2"].number_format == "General"  # an int column: no money format


def test_the_package_is_well_formed(tmp_path: Path) -> None:
    with zipfile.ZipFile(written(tmp_path)) as book:
        assert book.testzip() is None
        names = set(book.namelist())
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet2.xml"} <= names


@pytest.mark.slow
@LIBREOFFICE
def test_libreoffice_opens_it(tmp_path: Path) -> None:
    path = written(tmp_path)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv",
         "--outdir", str(tmp_path / "out"), str(path)],
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "out" / "tables.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert lines[1].startswith("DAKAR,Vocational training,1997-01-01,")
