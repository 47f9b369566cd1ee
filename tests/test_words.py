"""The office's own words: messages name fields and sheets as the file shows them, suggest codes, and
say one thing per mistake."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from support import BASE, FIELDS, TODAY

from tcstandards.cli import main
from tcstandards.standard import load_standard
from tcstandards.validation.engine import validate_paths

STANDARD = load_standard("1.0")


def filled_template(tmp_path: Path, lang: str, data: dict[str, Any]) -> Path:
    """The template in ``lang``, filled as an office would (its headers and sheet names in ``lang``)."""
    blank = tmp_path / f"blank.{lang}.xlsx"
    made = CliRunner().invoke(
        main, ["template", "--office", "DAKAR", "--period", "1997-Q3", "--lang", lang, "-o", str(blank)]
    )
    assert made.exit_code == 0, made.output
    book = load_workbook(blank)
    cover = book[STANDARD.cover.sheet_name(lang)]
    labels = {f.label(lang): f.name for f in STANDARD.cover.fields}
    for row in cover.iter_rows(min_row=2):
        name = labels.get(row[0].value)
        if name in ("prepared_by", "email", "prepared_on"):
            row[1].value = data["cover"][name]
    for kind, records in data.items():
        if kind == "cover":
            continue
        sheet = book[STANDARD.record_types[kind].sheet_name(lang)]
        for i, record in enumerate(records, start=2):
            for j, name in enumerate(FIELDS[kind], start=1):
                if record.get(name) is not None:
                    sheet.cell(row=i, column=j, value=record[name])
    target = tmp_path / "DAKAR_1997-Q3.xlsx"
    book.save(target)
    return target


def messages(path: Path, lang: str) -> list[tuple[str, str, str]]:
    report = validate_paths([path], lang=lang, today=TODAY)
    return [(f.rule, f.location, f.message) for f in report.findings]


def test_a_french_return_is_told_in_its_own_headers_and_sheets(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["projects"][0]["title"] = None
    data["projects"][1]["start_date"] = data["projects"][1]["end_date"].replace(year=2001)
    data["finance"][0]["project_code"] = "NPL/96/M01/NOR"
    found = messages(filled_template(tmp_path, "fr", data), "fr")
    assert ("required", "Projets!B2", "Titre est obligatoire.") in found
    (after,) = [m for r, _, m in found if r == "start-after-end"]
    assert after.startswith("Date de début (2001-") and ") vient après Date de fin (" in after
    (unknown,) = [m for r, _, m in found if r == "unknown-project"]
    assert unknown == "Le projet NPL/96/M01/NOR ne figure pas dans le registre (feuille Projets)."


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "XYZ is not one of the codes of Donor."),
        ("fr", "XYZ ne fait pas partie des codes de Donateur."),
        ("es", "XYZ no forma parte de los códigos de Donante."),
    ],
)
def test_one_mistake_is_one_finding(tmp_path: Path, lang: str, said: str) -> None:
    data = copy.deepcopy(BASE)
    data["projects"][2]["donor_code"] = "XYZ"  # not a donor: donor-suffix would only repeat it
    data["finance"][0]["period"] = "T4 1997"  # not a quarter: period-mismatch would only repeat it
    found = messages(filled_template(tmp_path, lang, data), lang)
    assert [(rule, location) for rule, location, _ in found] == [
        ("codelist", f"{STANDARD.record_types['projects'].sheet_name(lang)}!H4"),
        ("pattern", f"{STANDARD.record_types['finance'].sheet_name(lang)}!B2"),
    ]
    assert found[0][2] == said


def test_a_code_near_a_known_one_is_suggested(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["projects"][0]["admin_unit"] = "DAKKAR"
    data["projects"][1]["donor_code"] = "Danemark"  # the donor's name in French, not its code
    found = {m for r, _, m in messages(filled_template(tmp_path, "fr", data), "fr") if r == "codelist"}
    assert found == {
        "DAKKAR ne fait pas partie des codes de Unité administrative. "
        "Vouliez-vous dire DAKAR, DHAKA, MDTDAKAR ?",
        "Danemark ne fait pas partie des codes de Donateur. Vouliez-vous dire DAN ?",
    }


def test_text_output_stays_aligned_with_long_json_pointers(tmp_path: Path) -> None:
    from support import write_json

    data = copy.deepcopy(BASE)
    data["finance"][0][
        "cumulative_expenditure_usd"
    ] = -1  # /finance/0/cumulative_expenditure_usd: 36 characters
    data["projects"][0]["title"] = "abc"  # /projects/0/title
    path = write_json(data, tmp_path / "DAKAR_1997-Q3.json")
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "en"])
    lines = [line for line in result.output.splitlines() if line.startswith("    /")]
    assert len(lines) >= 2
    starts = {line.index(" error ") for line in lines if " error " in line}
    assert len(starts) == 1, lines  # the severity column starts at the same place on every line


def test_numbers_of_a_cell_are_written_as_the_language_writes_them(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["finance"][0]["approvals_usd"] = -12500.5  # range: a number cell, said in French
    found = messages(filled_template(tmp_path, "fr", data), "fr")
    (said,) = [m for r, _, m in found if r == "range"]
    assert said == "Approbations (USD) doit être >= 0 ; valeur : -12\u202f500,5."


def test_a_sheet_that_is_not_the_standards_is_told_the_sheets_in_the_language(tmp_path: Path) -> None:
    path = filled_template(tmp_path, "fr", copy.deepcopy(BASE))
    book = load_workbook(path)
    book.create_sheet("Notes")["A1"] = "Remarques du bureau"
    book.save(path)
    (said,) = [m for r, _, m in messages(path, "fr") if r == "sheet-unknown"]
    assert said.endswith("(attendues : Couverture, Projets, Finances, Résultats, Réserve de projets).")


def test_a_sheet_has_one_heading_in_text_output(tmp_path: Path) -> None:
    """Sheet-level warnings (hidden rows on two sheets) and a sheet's cell findings: one heading a sheet."""
    from support import write_xlsx

    data = copy.deepcopy(BASE)
    data["projects"][0]["title"] = "SME"  # a title too short: a cell finding on Projects
    path = write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")
    book = load_workbook(path)
    for name in ("Projects", "Results"):  # sorted, Results comes between Projects and its cells
        book[name].row_dimensions[3].hidden = True  # a warning about each sheet as a whole
    book.save(path)
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "en"])
    headings = [
        line.strip() for line in result.output.splitlines() if line.startswith("  ") and line[2] != " "
    ]
    assert "rows-hidden" in result.output and "length" in result.output
    assert headings.count("Projects") == 1, result.output
