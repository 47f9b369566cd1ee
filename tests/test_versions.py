"""Issue 8, point 3: versions of the standard, a declared migration, `migrate`, both versions at HQ."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from support import base, check, found, write_json, write_xlsx

from tcstandards.cli import main
from tcstandards.common.errors import UsageError
from tcstandards.standard import latest_version, load_standard, stable_version, versions

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "returns" / "1997-Q3"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_versions_and_the_declared_migration() -> None:
    assert (stable_version(), latest_version()) == ("1.0", "1.1")
    assert (load_standard("1.0").status, load_standard("1.1").status) == ("final", "draft")
    (step,) = versions.migrations()
    assert (step.source, step.target) == ("1.0", "1.1")
    assert step.renames == (("results", "evidence", "verification_source"),)
    assert step.added_codes == (("sources_of_funds", "SOUTH_SOUTH"),)
    assert versions.field_names("results", "1.0", "1.1") == {"evidence": "verification_source"}
    assert versions.field_names("finance", "1.0", "1.1") == {}
    assert "evidence" in load_standard("1.0").record_types["results"].field_names
    assert "verification_source" in load_standard("1.1").record_types["results"].field_names
    with pytest.raises(UsageError, match="cannot migrate back"):
        versions.path("1.1", "1.0")


def test_a_1_0_return_validates_as_1_0_and_one_naming_no_version_too(tmp_path: Path) -> None:
    report = check(SAMPLES / "DAKAR_1997-Q3.xlsx")
    assert [r.standard_version for r in report.returns] == ["1.0"]
    data = base()
    del data["cover"]["standard_version"]
    report = check(write_json(data, tmp_path / "DAKAR_1997-Q3.json"))
    assert [r.standard_version for r in report.returns] == ["1.0"]  # the version in force, not the draft


def test_the_new_code_is_refused_by_1_0_and_accepted_by_1_1(tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["source_of_funds"] = "SOUTH_SOUTH"
    assert found(check(write_json(data, tmp_path / "DAKAR_1997-Q3.json")), "codelist") == [
        ("codelist", "/projects/0/source_of_funds")
    ]
    data["cover"]["standard_version"] = "1.1"
    renamed = {"evidence": "verification_source"}
    data["results"] = [{renamed.get(k, k): v for k, v in r.items()} for r in data["results"]]
    report = check(write_json(data, tmp_path / "DAKAR_1997-Q3.json"))
    assert [r.standard_version for r in report.returns] == ["1.1"]
    assert found(report) == []


@pytest.mark.parametrize("name", ["DAKAR_1997-Q3.xlsx", "ABIDJAN_1997-Q3.xlsx", "MDTMANILA_1997-Q3.json"])
def test_a_1_0_sample_migrated_to_1_1_validates_clean_as_1_1(name: str, tmp_path: Path) -> None:
    source = SAMPLES / name
    before = digest(source)
    target = tmp_path / f"migrated{source.suffix}"
    code, output = invoke("migrate", str(source), "--to", "1.1", "-o", str(target))
    assert code == 0, output
    assert (
        output.splitlines()[0]
        == f"Wrote {target}: TCDS 1.0 -> 1.1. Check it with: tcstandards validate {target}"
    )
    assert "-> verification_source" in output and "standard_version -> 1.1" in output
    assert digest(source) == before  # the input is never changed
    report = check(target)
    assert [(r.standard_version, r.errors, r.warnings) for r in report.returns] == [("1.1", 0, 0)]


def test_migrated_json_matches_the_published_1_1_schema(tmp_path: Path) -> None:
    target = tmp_path / "m.json"
    assert (
        invoke("migrate", str(SAMPLES / "MDTMANILA_1997-Q3.json"), "--to", "1.1", "-o", str(target))[0] == 0
    )
    document = json.loads(target.read_text(encoding="utf-8"))
    standard = load_standard("1.1")
    registry_schemas = {
        f"urn:tcds:1.1:{name}": json.loads(standard.schema_text(f"{name}.schema.json"))
        for name in ("cover", *standard.record_types)
    }
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (uri, Resource.from_contents(s)) for uri, s in registry_schemas.items()
    )
    schema = json.loads(standard.schema_text("return.schema.json"))
    assert list(jsonschema.Draft202012Validator(schema, registry=registry).iter_errors(document)) == []
    assert all("verification_source" in r and "evidence" not in r for r in document["results"])


def test_french_headers_stay_french(tmp_path: Path) -> None:
    path = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    book = load_workbook(path)
    sheet = book["Results"]
    evidence = next(c for c in sheet[1] if c.value == "evidence")
    evidence.value = "Justificatif"  # the French label of the field in 1.0
    book.save(path)
    target = tmp_path / "out.xlsx"
    code, output = invoke("migrate", str(path), "--to", "1.1", "-o", str(target))
    assert code == 0, output
    assert f"Results!{evidence.coordinate}: evidence -> verification_source" in output
    assert load_workbook(target)["Results"][evidence.coordinate].value == "Source de vérification"
    assert [(r.standard_version, r.errors) for r in check(target).returns] == [("1.1", 0)]


def test_migrate_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    source = SAMPLES / "DAKAR_1997-Q3.xlsx"
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"keep me")
    cases = [
        (["--to", "2.0", "-o", str(tmp_path / "x.xlsx")], "unknown version"),
        (["--to", "1.1", "-o", str(taken)], "exists; add --force"),
        (["--to", "1.1", "-o", str(source)], "must not be the input"),
    ]
    for options, message in cases:
        code, output = invoke("migrate", str(source), *options)
        assert (code, message in output) == (2, True), output
    code, output = invoke("migrate", str(SAMPLES / "LIMA_1997-Q3_finance.csv"), "--to", "1.1", "-o", "x.csv")
    assert code == 2 and "docs/versions.md" in output
    assert taken.read_bytes() == b"keep me"
    migrated = tmp_path / "m.xlsx"
    assert invoke("migrate", str(source), "--to", "1.1", "-o", str(migrated))[0] == 0
    code, output = invoke("migrate", str(migrated), "--to", "1.0", "-o", str(tmp_path / "back.xlsx"))
    assert code == 2 and "cannot migrate back from 1.1 to 1.0" in output
    code, output = invoke("migrate", str(migrated), "--to", "1.1", "-o", str(tmp_path / "same.xlsx"))
    assert code == 0 and "already follows TCDS 1.1: copied unchanged" in output
    assert (tmp_path / "same.xlsx").read_bytes() == migrated.read_bytes()  # scripts find -o
    code, output = invoke("migrate", str(migrated), "--to", "1.1", "-o", str(tmp_path / "macro.xlsm"))
    assert code == 2 and "keep the input's kind (.xlsx)" in output
    odd = tmp_path / "odd.json"
    odd.write_text('{"cover": [1, 2], "projects": []}', encoding="utf-8")
    code, output = invoke("migrate", str(odd), "--to", "1.1", "-o", str(tmp_path / "odd2.json"))
    assert code == 2 and "cover must be an object" in output


def test_migrate_keeps_the_saved_results_of_formulas(tmp_path: Path) -> None:
    import hostile

    path = hostile.formula_with_cached_value(tmp_path)  # Finance!E2 = 61000+200, saved result 61200
    target = tmp_path / "out.xlsx"
    code, output = invoke("migrate", str(path), "--to", "1.1", "-o", str(target))
    assert code == 0, output
    assert "formulas replaced by their saved values: Finance!E2" in output
    assert load_workbook(target)["Finance"]["E2"].value == 61200
    assert [(r.standard_version, r.errors, r.warnings) for r in check(target).returns] == [("1.1", 0, 0)]


def test_hq_consolidates_both_versions_and_reports_in_the_newer(tmp_path: Path) -> None:
    returns = tmp_path / "in"
    returns.mkdir()
    shutil.copy(SAMPLES / "DAKAR_1997-Q3.xlsx", returns)
    assert (
        invoke(
            "migrate",
            str(SAMPLES / "ABIDJAN_1997-Q3.xlsx"),
            "--to",
            "1.1",
            "-o",
            str(returns / "ABIDJAN_1997-Q3.xlsx"),
        )[0]
        == 0
    )
    store = tmp_path / "hq.sqlite"
    code, output = invoke("consolidate", "--store", str(store), str(returns))
    assert code == 0, output
    with sqlite3.connect(store) as db:
        ledger = db.execute(
            "SELECT office, standard_version, outcome FROM submissions ORDER BY office"
        ).fetchall()
        moved = db.execute(
            "SELECT COUNT(*) FROM rec_results WHERE verification_source IS NOT NULL"
        ).fetchone()[0]
        left = db.execute("SELECT COUNT(*) FROM rec_results WHERE evidence IS NOT NULL").fetchone()[0]
    assert ledger == [("ABIDJAN", "1.1", "merged"), ("DAKAR", "1.0", "merged")]
    assert (moved, left) > (0, -1) and left == 0  # every evidence, 1.0 or 1.1, under the 1.1 name
    code, output = invoke("export", "--store", str(store), "--format", "json", "-o", str(tmp_path / "out"))
    document = json.loads((tmp_path / "out" / "consolidated.json").read_text(encoding="utf-8"))
    assert document["standard_version"] == "1.1"
    offices = {r["office"] for r in document["records"]["results"] if r.get("verification_source")}
    assert offices == {"ABIDJAN", "DAKAR"}


def test_the_store_migration_moves_values_of_a_store_made_before_1_1(tmp_path: Path) -> None:
    from migrations_support import run_revision

    store = tmp_path / "old.sqlite"
    code, output = invoke("consolidate", "--store", str(store), str(SAMPLES / "DAKAR_1997-Q3.xlsx"))
    assert code == 0, output
    with sqlite3.connect(store) as db:  # as a store written before 1.1: values under the 1.0 name
        db.execute("UPDATE rec_results SET evidence = verification_source, verification_source = NULL")
        count = db.execute("SELECT COUNT(*) FROM rec_results WHERE evidence IS NOT NULL").fetchone()[0]
        assert count > 0
        run_revision("0002", db)
        assert (
            db.execute("SELECT COUNT(*) FROM rec_results WHERE verification_source IS NOT NULL").fetchone()[0]
            == count
        )
        assert db.execute("SELECT COUNT(*) FROM rec_results WHERE evidence IS NOT NULL").fetchone()[0] == 0


def test_a_1_1_return_with_the_1_0_header_is_read_and_told(tmp_path: Path) -> None:
    """Nothing is lost at HQ: the old header is read as the new field, with a warning naming it."""
    path = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    book = load_workbook(path)
    book["Cover"]["B2"] = "1.1"  # the standard_version row
    header = next(c for c in book["Results"][1] if c.value == "evidence")
    header.value = "Justificatif"
    book.save(path)
    report = check(path)
    assert [r.standard_version for r in report.returns] == ["1.1"]
    assert found(report) == [("column-renamed", f"Results!{header.coordinate}")]
    assert "read as Source of verification" in report.findings[0].message  # its label in TCDS 1.1
    store = tmp_path / "hq.sqlite"
    assert invoke("consolidate", "--store", str(store), str(path))[0] == 0
    with sqlite3.connect(store) as db:
        assert (
            db.execute("SELECT COUNT(*) FROM rec_results WHERE verification_source IS NOT NULL").fetchone()[0]
            == 3
        )
