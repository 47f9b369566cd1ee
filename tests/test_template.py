"""Excel in, Excel out: `tcstandards template`, and `validate --annotate`."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import quote_sheetname
from support import BASE, FIELDS, LIBREOFFICE

from tcstandards.cli import main
from tcstandards.standard import load_standard

STANDARD = load_standard("1.0")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def template(tmp_path: Path, lang: str = "en", *extra: str) -> Path:
    target = tmp_path / f"DAKAR_1997-Q3.{lang}.xlsx"
    result = invoke(
        "template", "--office", "DAKAR", "--period", "1997-Q3", "--lang", lang, "-o", str(target), *extra
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_template_sheets_cover_and_headers(tmp_path: Path, lang: str) -> None:
    book = load_workbook(template(tmp_path, lang))
    cover_name = STANDARD.cover.sheet_name(lang)
    sheets = [STANDARD.record_types[k].sheet_name(lang) for k in STANDARD.record_types]
    instructions, lists = (
        {"en": "Instructions", "fr": "Instructions", "es": "Instrucciones"}[lang],
        {"en": "Lists", "fr": "Listes", "es": "Listas"}[lang],
    )
    assert book.sheetnames == [cover_name, instructions, *sheets, lists]
    cover = book[cover_name]
    values = {row[0].value: row[1] for row in cover.iter_rows(min_row=2)}
    labels = {f.name: f.label(lang) for f in STANDARD.cover.fields}
    assert values[labels["office_code"]].value == "DAKAR"
    assert values[labels["period"]].value == "1997-Q3"
    assert values[labels["standard_version"]].value == "1.0"
    assert cover.protection.sheet is True
    assert values[labels["office_code"]].protection.locked is True
    assert values[labels["prepared_by"]].protection.locked is False
    projects = book[STANDARD.record_types["projects"].sheet_name(lang)]
    assert [c.value for c in projects[1]] == [f.label(lang) for f in STANDARD.record_types["projects"].fields]
    assert projects.freeze_panes == "A2"
    assert book[lists].sheet_state == "hidden" and book[lists].protection.sheet is True


def test_every_dropdown_holds_exactly_its_codelist(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path))
    lists = book["Lists"]
    checked = 0
    for kind, record in STANDARD.record_types.items():
        sheet = book[record.sheet_name("en")]
        by_column = {}
        for validation in sheet.data_validations.dataValidation:
            for ranges in validation.sqref.ranges:
                by_column[ranges.min_col] = validation
        for j, f in enumerate(record.fields, start=1):
            validation = by_column[j]
            (area,) = validation.sqref.ranges
            assert (area.min_col, area.max_col, area.min_row, area.max_row) == (j, j, 2, 2000)
            if not f.codelist:
                assert validation.type != "list", (kind, f.name)
                continue
            assert validation.type == "list", (kind, f.name)
            reference = validation.formula1.lstrip("=").split("!")[1].replace("$", "")
            codes = [c.value for row in lists[reference] for c in row]
            assert codes == list(STANDARD.codelist(f.codelist).by_code), (kind, f.name)
            assert validation.prompt and validation.error
            checked += 1
    assert checked >= 10


def test_a_blank_template_is_not_a_submission(tmp_path: Path) -> None:
    path = template(tmp_path, "fr")
    result = invoke("validate", "--lang", "en", str(path))
    assert result.exit_code == 1, result.output  # who prepared it, and when, are not said yet
    assert [line.split()[:3] for line in result.output.splitlines() if "required" in line] == [
        ["Couverture!B5", "error", "required"],
        ["Couverture!B6", "error", "required"],
        ["Couverture!B7", "error", "required"],
    ]
    assert "sheet-hidden" not in result.output and "nil return" not in result.output


def fill(path: Path, data: dict[str, object], target: Path) -> Path:
    """Fill a template as an office would: values under the headers, the Cover's open fields."""
    book = load_workbook(path)
    cover = book[STANDARD.cover.sheet_name("en")]
    labels = {f.label("en"): f.name for f in STANDARD.cover.fields}
    for row in cover.iter_rows(min_row=2):
        name = labels[row[0].value]
        if name in ("prepared_by", "email", "prepared_on"):
            row[1].value = data["cover"][name]  # type: ignore[index]
    for kind, records in data.items():
        if kind == "cover":
            continue
        sheet = book[STANDARD.record_types[kind].sheet_name("en")]
        for i, record in enumerate(records, start=2):  # type: ignore[arg-type]
            for j, name in enumerate(FIELDS[kind], start=1):
                value = record.get(name)
                if value is not None:
                    cell = sheet.cell(row=i, column=j, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # typed as text by the office
    book.save(target)
    return target


def test_round_trip_template_fill_validate_annotate(tmp_path: Path) -> None:
    blank = template(tmp_path)
    valid = fill(blank, copy.deepcopy(BASE), tmp_path / "valid.xlsx")
    assert invoke("validate", str(valid)).exit_code == 0
    data = copy.deepcopy(BASE)
    data["finance"][0]["approvals_usd"] = -5  # Finance!D2: range
    data["projects"][1]["donor_code"] = "dan"  # Projects!H3: code-case and, with RBTC, donor issues
    data["projects"][0]["title"] = '=HYPERLINK("http://x","click")'  # text, as the office typed it
    invalid = fill(blank, data, tmp_path / "DAKAR_1997-Q3.xlsx")
    before = invalid.read_bytes()
    out = tmp_path / "annotated.xlsx"
    result = invoke("validate", "--lang", "en", "--format", "json", str(invalid), "--annotate", str(out))
    assert result.exit_code == 1
    assert invalid.read_bytes() == before
    findings = json.loads(result.stdout)["returns"][0]["findings"]
    placed = {(f["sheet"], f["cell"]): [] for f in findings if f["sheet"]}
    for f in findings:
        if f["sheet"]:
            placed[(f["sheet"], f["cell"])].append(f["rule"])
    book = load_workbook(out)
    for (sheet, cell), rules in placed.items():
        comment = book[sheet][cell].comment
        assert comment is not None, (sheet, cell)
        assert [line.split("] ")[1].split(":")[0] for line in comment.text.splitlines()] == rules
        assert book[sheet][cell].fill.fgColor.rgb in ("00FFC7CE", "00FFEB9C")
    listed = book["Findings"]
    rows = list(listed.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in rows] == [(f["location"], f["rule"]) for f in findings]
    links = [listed.cell(row=i, column=1).hyperlink for i in range(2, 2 + len(rows))]
    assert [link.location if link else None for link in links] == [
        f"{quote_sheetname(f['sheet'])}!{f['cell']}" if f["sheet"] else None for f in findings
    ]
    title = book["Projects"]["B2"]
    assert (title.value, title.data_type) == ('=HYPERLINK("http://x","click")', "s")
    assert not [c.coordinate for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    again = invoke("validate", "--lang", "en", str(out))  # the annotated copy still reads as the return
    assert {"range", "code-case"} <= {line.split()[2] for line in again.output.splitlines() if "!" in line}


def test_annotate_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    path = template(tmp_path)
    same = invoke("validate", str(path), "--annotate", str(path))
    assert (same.exit_code, "never modified" in same.output) == (2, True)
    csv_target = invoke("validate", str(path), "--annotate", str(tmp_path / "x.csv"))
    assert csv_target.exit_code == 2
    two = invoke("validate", str(path), str(template(tmp_path, "fr")), "--annotate", str(tmp_path / "o.xlsx"))
    assert (two.exit_code, "exactly one workbook" in two.output) == (2, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "NOWHERE", "--period", "1997-Q3"], "is not in the offices codelist"),
        (["--office", "DAKAR", "--period", "1997-Q9"], "is not a quarter"),
        (["--office", "DAKAR", "--period", "1997-Q3", "--kinds", "budget"], "unknown record type 'budget'"),
        (["--office", "DAKAR", "--period", "1997-Q3", "-o", "x.csv"], "a template is an .xlsx workbook"),
    ],
)
def test_template_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke("template", *args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.slow
@LIBREOFFICE
def test_libreoffice_opens_the_template_and_the_annotated_copy(tmp_path: Path) -> None:
    blank = template(tmp_path)
    data = copy.deepcopy(BASE)
    data["finance"][0]["approvals_usd"] = -5
    filled = fill(blank, data, tmp_path / "DAKAR_1997-Q3.xlsx")
    annotated = tmp_path / "annotated.xlsx"
    assert invoke("validate", str(filled), "--annotate", str(annotated)).exit_code == 1
    for workbook in (blank, annotated):
        out = tmp_path / workbook.stem
        for fmt in ("pdf", "csv"):  # opens without repair, and the first sheet (the Cover) is what we wrote
            result = subprocess.run(
                ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", fmt,
                 "--outdir", str(out), str(workbook)],
                capture_output=True,
                timeout=300,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
            assert (out / f"{workbook.stem}.{fmt}").is_file(), result.stdout
    assert "DAKAR" in (tmp_path / blank.stem / f"{blank.stem}.csv").read_text(
        encoding="utf-8", errors="replace"
    )


def test_template_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    path = template(tmp_path)
    path.write_bytes(b"an office's filled return")
    again = invoke("template", "--office", "DAKAR", "--period", "1997-Q3", "-o", str(path))
    assert (again.exit_code, "already exists" in again.output) == (2, True)
    assert path.read_bytes() == b"an office's filled return"
    assert (
        invoke("template", "--office", "DAKAR", "--period", "1997-Q3", "-o", str(path), "--force").exit_code
        == 0
    )


def test_greater_than_zero_is_greater_than_in_excel(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path))
    pipeline = book["Pipeline"]
    column = FIELDS["pipeline"].index("requested_usd") + 1
    (validation,) = [
        v for v in pipeline.data_validations.dataValidation if next(iter(v.sqref.ranges)).min_col == column
    ]
    assert (validation.type, validation.operator, validation.formula1) == ("decimal", "greaterThan", "0")


def test_annotating_again_keeps_the_office_comments_and_drops_old_findings(tmp_path: Path) -> None:
    from openpyxl.comments import Comment

    data = copy.deepcopy(BASE)
    data["finance"][0]["approvals_usd"] = -5
    filled = fill(template(tmp_path), data, tmp_path / "DAKAR_1997-Q3.xlsx")
    book = load_workbook(filled)
    book["Finance"]["D2"].comment = Comment("Checked with the donor - Aminata", "Aminata")
    book["Projects"].merge_cells("B2:C2")  # a finding on a merged cell
    book.save(filled)
    first = tmp_path / "first.xlsx"
    assert invoke("validate", str(filled), "--annotate", str(first)).exit_code == 1
    copy_book = load_workbook(first)
    text = copy_book["Finance"]["D2"].comment.text
    assert text.startswith("Checked with the donor - Aminata\n-- tcstandards --\n[error] range:")
    copy_book["Finance"]["D2"].value = 0  # the office fixes the cell in the annotated copy
    copy_book.save(first)
    second = tmp_path / "second.xlsx"
    result = invoke("validate", str(first), "--annotate", str(second))
    book2 = load_workbook(second)
    assert book2["Finance"]["D2"].comment.text == "Checked with the donor - Aminata"
    assert book2["Finance"]["D2"].fill.fgColor.rgb != "00FFC7CE"
    assert [n for n in book2.sheetnames if n.startswith("Findings")] == ["Findings"]
    assert "sheet-unknown" not in result.output


def test_annotate_a_damaged_workbook_is_a_usage_error(tmp_path: Path) -> None:
    path = template(tmp_path)
    broken = tmp_path / "DAKAR_1997-Q3.xlsx"
    broken.write_bytes(path.read_bytes()[:3000])
    result = invoke("validate", str(broken), "--annotate", str(tmp_path / "o.xlsx"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "internal error" not in result.output
    folder = invoke("validate", str(path), "--annotate", str(tmp_path))
    assert (folder.exit_code, "is a folder" in folder.output) == (2, True)


def test_annotate_a_workbook_not_made_from_the_template_in_french(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "samples" / "returns" / "1997-Q3" / "IPEC_1997-Q3.xlsx"
    before = sample.read_bytes()
    out = tmp_path / "IPEC.checked.xlsx"
    result = invoke("validate", "--lang", "fr", "--format", "json", str(sample), "--annotate", str(out))
    assert result.exit_code == 1
    assert sample.read_bytes() == before
    findings = json.loads(result.stdout)["returns"][0]["findings"]
    book = load_workbook(out)
    commented = {
        (s.title, c.coordinate) for s in book.worksheets for r in s.iter_rows() for c in r if c.comment
    }
    assert commented == {(f["sheet"], f["cell"]) for f in findings if f["sheet"] and f["column"]}
    assert [c.value for c in book["Constats"][1]] == [
        "Emplacement",
        "Gravité",
        "Règle",
        "Message",
        "Champ",
        "Valeur",
    ]
    assert {r[1] for r in book["Constats"].iter_rows(min_row=2, values_only=True)} == {
        "erreur",
        "avertissement",
    }


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_tool_sheets_are_named_in_the_language_and_skipped_when_read(tmp_path: Path, lang: str) -> None:
    """Instructions, code lists and findings sheets carry the names of standard.json's tool_sheets."""
    path = template(tmp_path, lang)
    result = invoke(
        "validate", "--lang", lang, "--format", "json", str(path), "--annotate", str(tmp_path / "a.xlsx")
    )
    rules = {f["rule"] for f in json.loads(result.stdout)["returns"][0]["findings"]}
    assert "sheet-unknown" not in rules
    names = load_workbook(tmp_path / "a.xlsx").sheetnames
    findings = {"fr": "Constats", "es": "Hallazgos"}[lang]
    assert names[-1] == findings and {"Listes", "Listas"} & set(names)
    again = invoke("validate", "--lang", lang, "--format", "json", str(tmp_path / "a.xlsx"))
    assert "sheet-unknown" not in {f["rule"] for f in json.loads(again.stdout)["returns"][0]["findings"]}
