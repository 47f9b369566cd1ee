"""The report's workbook as a reader expects it: sheets named in the language, widths that fit, charts
with visible, titled axes in millions (issue 15, item 8).

The charts are checked in the XML Excel reads (``xl/charts/chartN.xml``, found through the sheets'
relationships), not only through openpyxl's objects.
"""

from __future__ import annotations

import json
import math
import posixpath
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from support import LIBREOFFICE
from test_report import report

from tcstandards.report.render import xlsx
from tcstandards.report.render.labels import name, text
from tcstandards.report.render.xlsx import quote_sheet, render_xlsx, sheet_names

TABLES = (
    "expenditure_by_year", "expenditure_by_source", "approvals_by_source", "approvals_by_programme",
    "expenditure_by_region", "beneficiary_countries", "multi_bilateral_donors", "delivery_rate",
    "results_by_indicator", "results_by_programme", "results_by_region", "results_by_country",
    "pipeline_by_partner_status", "pipeline_success_rate", "quality_by_quarter", "quality_by_office",
)  # fmt: skip
FRENCH = [
    "Dépenses par année", "Dépenses par source", "Approbations par source", "Approbations par programme",
    "Dépenses par région", "Pays bénéficiaires", "Donateurs multi-bilatéraux", "Taux d'exécution",
    "Résultats par indicateur", "Résultats par programme", "Résultats par région", "Résultats par pays",
    "Propositions par partenaire", "Réussite des propositions", "Qualité par trimestre", "Qualité par bureau",
]  # fmt: skip
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WIDEST = 60  # characters: a column is never wider; longer text wraps
SHOWN = {"#,##0": "{:,.0f}", "0.0": "{:.1f}", "#,##0.##": "{:,.2f}"}  # a cell's format -> its widest text


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's relationships: id -> the target part's path in the zip."""
    folder, file = posixpath.split(part)
    root = ET.fromstring(book.read(f"{folder}/_rels/{file}.rels"))
    return {  # a target is absolute (/xl/...) or relative to the part's folder
        r.attrib["Id"]: posixpath.normpath(posixpath.join(folder, r.attrib["Target"])).lstrip("/")
        for r in root.iter(f"{REL}Relationship")
    }


def charts_by_sheet(path: Path) -> dict[str, list[ET.Element]]:
    """The chart XML of each sheet, by the sheet's name, followed through the workbook's relationships."""
    found: dict[str, list[ET.Element]] = {}
    with zipfile.ZipFile(path) as book:
        sheets = _rels(book, "xl/workbook.xml")
        for sheet in ET.fromstring(book.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
            part = sheets[sheet.attrib[R_ID]]
            found[sheet.attrib["name"]] = []
            for drawing in ET.fromstring(book.read(part)).iter(f"{MAIN}drawing"):
                drawing_part = _rels(book, part)[drawing.attrib[R_ID]]
                for chart_part in _rels(book, drawing_part).values():
                    found[sheet.attrib["name"]].append(ET.fromstring(book.read(chart_part)))
    return found


def child(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    assert found is not None, path
    return found


def axis_title(axis: ET.Element) -> str:
    return "".join(t.text or "" for t in axis.iter(f"{A}t"))


def formulas(chart: ET.Element) -> list[str]:
    return [f.text or "" for f in chart.iter(f"{C}f")]


def shown(sheet: Worksheet, column: int) -> list[str]:
    """The text of a column's cells from row 4, as their number format shows them (widest form)."""
    texts = []
    for (cell,) in sheet.iter_rows(min_row=4, min_col=column, max_col=column):
        if cell.value is None:
            continue
        pattern = SHOWN.get(cell.number_format)
        texts.append(pattern.format(cell.value) if pattern else str(cell.value))
    return texts


# --- sheet names --------------------------------------------------------------------------


def test_every_table_has_a_short_valid_unique_sheet_name_in_every_language() -> None:
    for lang in ("en", "fr", "es"):
        names = sheet_names(TABLES, lang)
        assert all(text(f"sheet.{t}", lang) == n for t, n in zip(TABLES, names, strict=True)), lang
        assert len({n.casefold() for n in names}) == len(TABLES), names
        assert all(0 < len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names), names
    assert sheet_names(TABLES, "fr") == FRENCH


def test_sheet_names_are_made_safe_short_and_unique(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = {
        "sheet.a": "Dépenses: 1990/1996 [USD] *?",
        "sheet.b": "Dépenses  1990 1996  USD",  # the same once cleaned: suffixed
        "sheet.c": "x" * 40,
        "sheet.d": "X" * 40,  # Excel ignores case
        "sheet.e": "'Citée'",
        "sheet.f": "History",  # Excel's own
        "sheet.g": "DÉPENSES 1990 1996 USD",
    }
    monkeypatch.setattr(xlsx, "text", lambda key, lang, **_: catalogue.get(key, key))
    names = sheet_names(["a", "b", "c", "d", "e", "f", "g", "no_entry:here"], "fr")
    assert names == [
        "Dépenses 1990 1996 USD",
        "Dépenses 1990 1996 USD (2)",
        "x" * 31,
        "X" * 27 + " (2)",
        "Citée",
        "History (2)",
        "DÉPENSES 1990 1996 USD (3)",
        "no_entry here",  # no entry: the id, made safe
    ]


def test_quoting_doubles_apostrophes() -> None:
    assert quote_sheet("Taux d'exécution") == "'Taux d''exécution'"
    assert quote_sheet("Plain") == "'Plain'"


def small_report(usd: list[float], *, note: str = "plain") -> dict[str, Any]:
    """A report of two tables with charts, made by hand: USD by year and a share by office."""
    return {
        "tables": [
            {
                "id": "spent",
                "columns": [
                    {"id": "year", "kind": "year"},
                    {"id": "expenditure_usd", "kind": "usd"},
                    {"id": "note", "kind": "text"},
                ],
                "rows": [[1990 + i, v, note] for i, v in enumerate(usd)],
                "chart": {"type": "bar", "x": "year", "series": ["expenditure_usd"]},
            },
            {
                "id": "share",
                "columns": [{"id": "office", "kind": "code"}, {"id": "delivery_pct", "kind": "pct"}],
                "rows": [["DAKAR", 85.5], ["LIMA", 101.25]],
                "chart": {"type": "bar", "x": "office", "series": ["delivery_pct"]},
            },
        ]
    }


def apostrophe_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names = {"sheet.spent": "Dépenses d'un an", "sheet.share": "Dépenses d'un an"}  # twice: suffixed
    real = xlsx.text
    monkeypatch.setattr(xlsx, "text", lambda key, lang, **p: names.get(key) or real(key, lang, **p))
    return ["Dépenses d'un an", "Dépenses d'un an (2)"]


def test_an_apostrophe_in_a_sheet_name_gives_valid_chart_references(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = apostrophe_names(monkeypatch)
    target = tmp_path / "small.xlsx"
    render_xlsx(small_report([1_500_000.0, 2_250_000.0, 3_000_000.0]), "fr", target)
    assert load_workbook(target).sheetnames == expected
    charts = charts_by_sheet(target)
    assert formulas(charts[expected[0]][0]) == [
        "'Dépenses d''un an'!B3",
        "'Dépenses d''un an'!$A$4:$A$6",
        "'Dépenses d''un an'!$B$4:$B$6",
    ]
    assert formulas(charts[expected[1]][0]) == [
        "'Dépenses d''un an (2)'!B3",
        "'Dépenses d''un an (2)'!$A$4:$A$5",
        "'Dépenses d''un an (2)'!$B$4:$B$5",
    ]
    # names are text categories (strRef), years numbers (numRef)
    assert charts[expected[1]][0].find(f".//{C}cat/{C}strRef") is not None
    assert charts[expected[0]][0].find(f".//{C}cat/{C}numRef") is not None


@pytest.mark.slow
@LIBREOFFICE
def test_libreoffice_resolves_the_chart_references_of_a_sheet_with_an_apostrophe(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = apostrophe_names(monkeypatch)
    target = tmp_path / "small.xlsx"
    render_xlsx(small_report([1_500_000.0, 2_250_000.0, 3_000_000.0]), "fr", target)
    out = tmp_path / "again"
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
         "--outdir", str(out), str(target)],
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    charts = charts_by_sheet(out / "small.xlsx")  # as LibreOffice understood and wrote them back
    assert any(
        "$B$4:$B$6" in f and f.startswith("'Dépenses d''un an'!") for f in formulas(charts[expected[0]][0])
    )
    cached = [v.text for v in charts[expected[0]][0].iter(f"{C}v")]
    assert "1500000" in cached and "3000000" in cached  # the values were read through the references


def test_small_amounts_show_in_millions_with_a_decimal_and_text_is_never_a_formula(tmp_path: Path) -> None:
    target = tmp_path / "small.xlsx"
    render_xlsx(small_report([1_500_000.0, 2_250_000.0], note="=1+1"), "es", target)
    book = load_workbook(target)
    sheet = book.worksheets[0]
    assert (sheet["B4"].value, sheet["B4"].number_format) == (
        1_500_000.0,
        "#,##0",
    )  # the dollars, as they are
    assert (sheet["C4"].value, sheet["C4"].data_type, sheet["C4"].quotePrefix) == ("=1+1", "s", True)
    (chart,) = charts_by_sheet(target)[book.sheetnames[0]]
    value_axis = child(chart, f".//{C}valAx")
    assert child(value_axis, f"{C}numFmt").attrib == {"formatCode": "#,##0.0,,", "sourceLinked": "0"}
    assert axis_title(value_axis) == "millones de USD"
    (share,) = charts_by_sheet(target)[book.sheetnames[1]]
    assert axis_title(child(share, f".//{C}valAx")) == "%"


# --- the French workbook of the historical sample -----------------------------------------


@pytest.fixture(scope="module")
def french(store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("xlsx")
    figures = json.loads(report(store, folder, "json", "fr").read_text(encoding="utf-8"))
    return report(store, folder, "xlsx", "fr"), figures


def test_the_french_workbook_names_its_sheets_in_french(french: tuple[Path, dict[str, Any]]) -> None:
    path, figures = french
    assert [t["id"] for t in figures["tables"]] == list(TABLES)
    assert load_workbook(path).sheetnames == FRENCH


def test_columns_are_as_wide_as_what_they_show(french: tuple[Path, dict[str, Any]]) -> None:
    path, figures = french
    book = load_workbook(path)
    for title in book.sheetnames:
        sheet = book[title]
        assert sheet.freeze_panes == "A4", title
        assert sheet["A1"].font.b, title  # the title overflows to the right: it sets no width
        for (header,) in sheet.iter_cols(min_row=3, max_row=3):
            width = sheet.column_dimensions[header.column_letter].width
            texts = shown(sheet, header.column)
            needed = max([len(str(header.value)) * 1.1, *(len(t) for t in texts)]) + 2
            assert header.font.b, (title, header.coordinate)
            assert 8 <= width <= max(8, min(WIDEST, math.ceil(needed))), (title, header.coordinate, width)
            assert width >= max(len(w) for w in str(header.value).split()), (title, header.value)
            if len(str(header.value)) > width:  # a header longer than its column wraps, its row taller
                assert header.alignment.wrap_text and sheet.row_dimensions[3].height >= 30, (
                    title,
                    header.value,
                )
            for row, value in enumerate(texts, start=4):
                if len(value) > width:  # only what is longer than the widest column wraps
                    assert width == WIDEST, (title, value)
                    cell = sheet.cell(row=row, column=header.column)
                    assert cell.alignment.wrap_text and sheet.row_dimensions[row].height >= 30, (title, value)
    assert (
        len(str(book["Dépenses par année"]["A1"].value))
        > 2 * book["Dépenses par année"].column_dimensions["A"].width
    )
    # the offices of quality_by_office, as names.name() gives them, fit column A (up to the widest column)
    quality = figures["tables"][TABLES.index("quality_by_office")]
    offices = [name(row[0], "fr", quality["columns"][0].get("codelist")) for row in quality["rows"]]
    sheet = book["Qualité par bureau"]
    assert [sheet.cell(row=4 + i, column=1).value for i in range(len(offices))] == offices
    longest = max(len(o) for o in offices)
    assert longest > 40
    assert sheet.column_dimensions["A"].width >= min(longest, WIDEST)
    for i, office in enumerate(offices, start=4):
        lines = sheet.row_dimensions[i].height or 15
        assert lines / 15 >= math.ceil(len(office) / WIDEST), office  # what is wider wraps, row taller


def test_charts_have_visible_titled_axes_in_millions(french: tuple[Path, dict[str, Any]]) -> None:
    path, figures = french
    charts = charts_by_sheet(path)
    assert list(charts) == FRENCH
    for title, table in zip(FRENCH, figures["tables"], strict=True):
        if table["annex"]:  # the 150 countries: a table in the annex, no chart (report/editorial.py)
            assert charts[title] == []
            continue
        (chart,) = charts[title]
        kinds = {c["id"]: c["kind"] for c in table["columns"]}
        category, value = child(chart, f".//{C}catAx"), child(chart, f".//{C}valAx")
        for axis in (category, value):  # without delete val=0, recent Excel hides the axis
            assert child(axis, f"{C}delete").attrib["val"] == "0", title
        assert child(chart, f".//{C}legend/{C}legendPos").attrib["val"] == "b", title
        assert axis_title(category), title
        number_format = child(value, f"{C}numFmt")
        kind = kinds[table["chart"]["series"][0]]
        if kind == "usd":
            assert axis_title(value) == "millions de USD", title
            assert number_format.attrib["formatCode"] in ("#,##0,,", "#,##0.0,,"), title
            assert number_format.attrib["sourceLinked"] == "0", title
        elif kind == "pct":
            assert axis_title(value) == "%", title
        else:
            assert axis_title(value), title
        assert all(f.startswith(quote_sheet(title) + "!") for f in formulas(chart)), title
    usd = child(charts["Approbations par source"][0], f".//{C}valAx/{C}numFmt")
    assert usd.attrib["formatCode"] == "#,##0,,"  # 165,600,000 shows as 166
    assert "'Taux d''exécution'!$D$4:$D$10" in formulas(charts["Taux d'exécution"][0])
    # shares stop at 100 %; a delivery rate above 100 % (1991) keeps the axis Excel chooses
    scaling = child(charts["Résultats par région"][0], f".//{C}valAx/{C}scaling")
    assert child(scaling, f"{C}max").attrib["val"] == "100"
    assert child(charts["Taux d'exécution"][0], f".//{C}valAx/{C}scaling").find(f"{C}max") is None
