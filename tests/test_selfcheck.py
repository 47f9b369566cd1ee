"""The standard checks itself when it loads: each inconsistency, made in a copy of schemas/, stops loading
with a message naming the file and the entry (issue: rules as data, one source of truth)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tcstandards.cli import main
from tcstandards.common.errors import StandardError
from tcstandards.standard import load_standard, loading, versions
from tcstandards.standard.rule_ids import ENGINE_RULES
from tcstandards.validation import rules as rule_runner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "returns" / "1997-Q3" / "MDTMANILA_1997-Q3.json"
Edit = Callable[[str, Callable[[Any], None]], None]


@pytest.fixture
def edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Edit]:
    """Edit a JSON file of a copy of schemas/ (path relative to schemas/); the package then loads the copy."""
    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(loading, "schemas_root", lambda: copy)
    monkeypatch.setattr(versions, "schemas_root", lambda: copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_standard.cache_clear()
    versions.migrations.cache_clear()
    rule_runner._CHECKED.clear()

    def change(path: str, how: Callable[[Any], None]) -> None:
        file = copy / path
        data = json.loads(file.read_text(encoding="utf-8"))
        how(data)
        file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        load_standard.cache_clear()
        rule_runner._CHECKED.clear()

    yield change
    monkeypatch.undo()
    load_standard.cache_clear()
    versions.migrations.cache_clear()
    rule_runner._CHECKED.clear()


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in data["rules"] if r["id"] == rule_id)
    return found


def refused(version: str = "1.0") -> str:
    with pytest.raises(StandardError) as caught:
        rule_runner.check_implementations(load_standard(version))
    return str(caught.value)


def test_the_shipped_standard_passes_its_own_checks(edit: Edit) -> None:
    for version in ("1.0", "1.1"):
        rule_runner.check_implementations(load_standard(version))


def test_a_renamed_field_without_its_rule_stops_loading_naming_both(edit: Edit) -> None:
    def rename(schema: dict[str, Any]) -> None:
        schema["properties"]["finish_date"] = schema["properties"].pop("end_date")
        schema["required"] = ["finish_date" if f == "end_date" else f for f in schema["required"]]

    edit("1.0/projects.schema.json", rename)
    assert refused() == (
        "schemas/1.0/rules.json: rule 'start-after-end' reads field 'end_date', "
        "which record type 'projects' (schemas/1.0/projects.schema.json) does not have"
    )


def test_a_rule_naming_a_field_its_record_type_lacks(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "period-mismatch")["fields"].append("budget_line"))
    assert refused() == (
        "schemas/1.0/rules.json: rule 'period-mismatch' reads field 'budget_line', "
        "which record type 'finance' (schemas/1.0/finance.schema.json) does not have"
    )


def test_an_implementation_without_its_catalogue_entry(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: d["rules"].remove(rule(d, "recipients-sum")))
    assert refused() == (
        "schemas/1.0/rules.json: rule 'recipients-sum' has no entry, but the package implements it in code"
    )


def test_a_catalogue_entry_without_its_implementation(edit: Edit) -> None:
    def orphan(data: dict[str, Any]) -> None:
        entry = rule(data, "negative-expenditure")
        for key in ("when", "at", "show"):
            entry.pop(key, None)
        entry["kind"] = "implementation"
        entry["id"] = "negative-balance"

    edit("1.0/rules.json", orphan)
    assert refused() == (
        "schemas/1.0/rules.json: rule 'negative-balance' is of kind 'implementation', "
        "but no code implements it"
    )


def test_a_parameter_an_expression_uses_must_be_set(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "late-approval")["parameters"].pop("grace_days"))
    assert refused() == (
        "schemas/1.0/rules.json: rule 'late-approval' uses parameter 'grace_days', "
        "which its 'parameters' do not set"
    )


def test_a_parameter_an_implementation_reads_must_be_set(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "cumulative-continuity")["parameters"].pop("tolerance_usd"))
    assert refused() == (
        "schemas/1.0/rules.json: rule 'cumulative-continuity' must give its parameter 'tolerance_usd' "
        "in 'parameters'"
    )


def test_a_role_an_implementation_reads_must_be_named(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "donor-suffix")["roles"].pop("donor"))
    assert (
        refused()
        == "schemas/1.0/rules.json: rule 'donor-suffix' must name the field of its role 'donor' in 'roles'"
    )


def test_hq_and_the_report_read_a_renamed_field_through_its_role(edit: Edit) -> None:
    def rename(schema: dict[str, Any]) -> None:
        schema["properties"]["backstopping_unit"] = schema["properties"].pop("technical_unit")
        schema["required"] = ["backstopping_unit" if f == "technical_unit" else f for f in schema["required"]]

    edit("1.0/projects.schema.json", rename)
    assert load_standard("1.0").roles.technical_unit == "backstopping_unit"
    assert load_standard("1.0").roles.spent_usd == "expenditure_usd"


def test_a_role_the_package_reads_must_be_given(edit: Edit) -> None:
    edit("1.0/finance.schema.json", lambda d: d["properties"]["expenditure_usd"].pop("x-role"))
    assert refused() == "no field has the role 'spent_usd' (x-role), which the package reads"


def test_a_role_the_package_does_not_know(edit: Edit) -> None:
    edit("1.0/finance.schema.json", lambda d: d["properties"]["usd_rate"].update({"x-role": "rate"}))
    assert refused().startswith(
        "schemas/1.0/finance.schema.json: field 'usd_rate' has the role 'rate', "
        "which the package does not know"
    )


def test_a_role_names_one_field(edit: Edit) -> None:
    edit("1.0/results.schema.json", lambda d: d["properties"]["women"].update({"x-role": "country"}))
    message = refused()
    assert "field 'women' has the role 'country', which is field 'country_code' in schemas/1.0/" in message


def test_an_implementation_role_must_name_the_field_of_that_role(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "unknown-project")["roles"].update({"project": "country_code"}))
    assert refused() == (
        "schemas/1.0/rules.json: rule 'unknown-project' gives the role 'project' to field 'country_code', "
        "but that role is field 'project_code' (x-role)"
    )


def test_a_file_breaking_its_meta_schema(edit: Edit) -> None:
    def fatal(data: dict[str, Any]) -> None:
        rule(data, "negative-expenditure")["severity"] = "fatal"

    edit("1.0/rules.json", fatal)
    shipped = json.loads((ROOT / "schemas/1.0/rules.json").read_text(encoding="utf-8"))["rules"]
    position = [r["id"] for r in shipped].index("negative-expenditure")
    assert refused() == (
        f"schemas/1.0/rules.json: rules/{position}/severity: 'fatal' is not one of ['error', 'warning']"
    )


def test_a_message_placeholder_must_be_a_parameter_or_a_value(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "late-approval")["message"].update(fr="plus de {delai} jours"))
    assert refused() == (
        "schemas/1.0/rules.json: rule 'late-approval': the fr message shows {delai}, "
        "which is neither a parameter of the rule nor one of its 'params'"
    )


def test_an_unknown_codelist_in_a_record_type(edit: Edit) -> None:
    edit(
        "1.0/finance.schema.json", lambda d: d["properties"]["country_code"].update({"x-codelist": "nations"})
    )
    assert refused() == (
        "schemas/1.0/finance.schema.json: field 'country_code' names codelist 'nations', which does not exist"
    )


def test_an_engine_rule_the_package_does_not_report(edit: Edit) -> None:
    def invent(data: dict[str, Any]) -> None:
        entry = dict(rule(data, "csv-encoding"), id="csv-delimiter")
        data["rules"].append(entry)

    edit("1.0/rules.json", invent)
    assert refused() == (
        "schemas/1.0/rules.json: rule 'csv-delimiter' is of kind 'engine', but the package does not report it"
    )


def test_the_engine_rule_registry_is_the_newest_catalogue() -> None:
    newest = load_standard("1.1")
    assert {r.id for r in newest.rules.values() if r.kind == "engine"} == ENGINE_RULES


def test_the_command_line_says_which_file_and_entry_is_wrong(edit: Edit) -> None:
    edit("1.0/rules.json", lambda d: rule(d, "late-approval")["parameters"].pop("grace_days"))
    result = CliRunner().invoke(main, ["validate", str(SAMPLE)])
    assert result.exit_code == 3
    assert "schemas/1.0/rules.json: rule 'late-approval' uses parameter 'grace_days'" in result.output
    assert "Traceback" not in result.output


def test_a_new_cross_field_rule_is_added_by_editing_json_alone(edit: Edit) -> None:
    """A standard maintainer adds a rule to the catalogue; the engine reports it, with its parameter."""

    def add(data: dict[str, Any]) -> None:
        data["rules"].append(
            {
                "id": "budget-small",
                "severity": "warning",
                "kind": "expression",
                "records": ["projects"],
                "fields": ["approved_budget_usd"],
                "parameters": {"minimum_usd": 1000000},
                "when": {"compare": ["approved_budget_usd", "<", {"parameter": "minimum_usd"}]},
                "at": "approved_budget_usd",
                "title": {"en": "Small budget", "fr": "Petit budget", "es": "Presupuesto pequeño"},
                "message": {
                    "en": "Budget {value} is under {minimum_usd} USD.",
                    "fr": "Le budget {value} est inférieur à {minimum_usd} USD.",
                    "es": "El presupuesto {value} es inferior a {minimum_usd} USD.",
                },
                "params": [],
                "guidance": "docs/rules.md#budget-small",
            }
        )

    edit("1.0/rules.json", add)
    result = CliRunner().invoke(main, ["validate", "--lang", "fr", "--format", "json", str(SAMPLE)])
    findings = json.loads(result.output)["returns"][0]["findings"]
    small = [f for f in findings if f["rule"] == "budget-small"]
    assert [(f["pointer"], f["severity"], f["message"]) for f in small] == [
        (
            "/projects/2/approved_budget_usd",
            "warning",
            "Le budget 540\u202f000 est inférieur à 1\u202f000\u202f000 USD.",
        )
    ]
    assert result.exit_code == 0


def test_an_obligation_that_ends_before_it_starts_stops_loading(edit: Edit) -> None:
    def reverse(codelist: dict[str, Any]) -> None:
        ipec = next(item for item in codelist["items"] if item["code"] == "IPEC")
        ipec["reports_until"] = "1991-Q4"  # before its reports_from, 1992-Q1

    edit("1.0/codelists/offices.json", reverse)
    assert refused() == (
        "schemas/1.0/codelists/offices.json: item 'IPEC' has reports_from 1992-Q1 after reports_until 1991-Q4"
    )


def test_an_obligation_that_is_not_a_quarter_stops_loading(edit: Edit) -> None:
    def misspell(codelist: dict[str, Any]) -> None:
        codelist["items"][0]["reports_from"] = "1990 Q1"

    edit("1.0/codelists/offices.json", misspell)
    assert "reports_from" in refused() and "1990 Q1" in refused()
