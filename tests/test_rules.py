"""Every rule of the catalogue: a failing case (exact rule and cell) and a passing case.

Each case mutates the clean base return of ``support.py``; the failing
mutation must give exactly the expected findings of that rule, the passing
mutation (often a near miss) none.  Rules about files rather than records
are tested in test_structure.py; ``test_every_rule_is_covered`` keeps the
two lists complete.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import D, base, cell, check, cover_cell, found, write_xlsx

from tcstandards.standard import load_standard

Data = dict[str, Any]


def setter(kind: str, index: int, **values: Any) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        if kind == "cover":
            data["cover"].update(values)
        else:
            data[kind][index].update(values)

    return mutate


def nothing(data: Data) -> None:
    return None


# rule -> (failing mutation, expected locations, passing mutation)
CASES: dict[str, tuple[Callable[[Data], None], list[str], Callable[[Data], None]]] = {
    "required": (setter("projects", 0, title=None), [cell("projects", "title", 0)], nothing),
    "required-if": (
        setter("pipeline", 1, approved_usd=None),
        [cell("pipeline", "approved_usd", 1)],
        setter("pipeline", 0, approved_usd=None),
    ),
    "required-unless": (
        setter("projects", 0, donor_code=None),
        [cell("projects", "donor_code", 0)],
        setter("projects", 1, donor_code=None),
    ),
    "required-with": (
        setter("finance", 1, usd_rate=None),
        [cell("finance", "usd_rate", 1)],
        setter("finance", 0, usd_rate=None),
    ),
    "invalid-date": (
        setter("projects", 1, end_date="end of 1997"),
        [cell("projects", "end_date", 1)],
        setter("projects", 1, end_date="31/12/1997"),
    ),
    "ambiguous-date": (
        setter("projects", 1, end_date="03/04/1998"),
        [cell("projects", "end_date", 1)],
        setter("projects", 1, end_date="1997-12-31"),
    ),
    "invalid-number": (
        setter("finance", 0, expenditure_usd="about 60k"),
        [cell("finance", "expenditure_usd", 0)],
        setter("finance", 0, expenditure_usd="61 200,00"),
    ),
    "invalid-integer": (
        setter("results", 0, women=12.5),
        [cell("results", "women", 0)],
        setter("results", 0, women=12.0),
    ),
    "number-text": (
        setter("finance", 0, expenditure_usd="61 200,00"),
        [cell("finance", "expenditure_usd", 0)],
        setter("finance", 0, expenditure_usd=61_200),  # a number cell: a number typed as text warns too
    ),
    "pattern": (
        setter("projects", 0, project_code="RAF-96-M05-DAN"),
        [cell("projects", "project_code", 0)],
        setter("projects", 0, project_code="RAF/96/005/DAN"),
    ),
    "codelist": (
        setter("projects", 0, sector="99999"),
        [cell("projects", "sector", 0)],
        setter("projects", 0, sector=16020),
    ),
    "code-case": (
        setter("projects", 0, donor_code="dan"),
        [cell("projects", "donor_code", 0)],
        setter("projects", 0, donor_code="DAN"),
    ),
    "code-withdrawn": (
        setter("finance", 0, country_code="YUG"),
        [cell("finance", "country_code", 0)],
        setter("finance", 0, country_code="SEN"),
    ),
    "length": (
        setter("projects", 0, title="SME"),
        [cell("projects", "title", 0)],
        setter("projects", 0, title="SMEs!"),
    ),
    "range": (
        setter("finance", 0, approvals_usd=-5),
        [cell("finance", "approvals_usd", 0)],
        setter("finance", 0, approvals_usd=0),
    ),
    "email": (
        setter("cover", 0, email="diallo at ilo"),
        [cover_cell("email")],
        setter("cover", 0, email="a@b.org"),
    ),
    "duplicate-key": (
        lambda d: d["projects"].append(dict(d["projects"][1], title="Same code again")),
        [cell("projects", "project_code", 3)],
        lambda d: d["projects"].append(dict(d["projects"][1], project_code="SEN/97/R02/RBT")),
    ),
    "prepared-before-period-end": (
        setter("cover", 0, prepared_on=D(1997, 9, 29)),
        [cover_cell("prepared_on")],
        setter("cover", 0, prepared_on=D(1997, 9, 30)),
    ),
    "date-in-future": (
        setter("cover", 0, prepared_on=D(2027, 1, 1)),
        [cover_cell("prepared_on")],
        setter("cover", 0, prepared_on=D(2026, 11, 28)),
    ),
    "start-after-end": (  # the end typed wrong (a start after the period would also be not started)
        setter("projects", 1, end_date=D(1997, 1, 31)),
        [cell("projects", "start_date", 1)],
        setter("projects", 1, end_date=D(1997, 2, 1)),
    ),
    "late-approval": (
        setter("projects", 1, approval_date=D(1998, 2, 2)),
        [cell("projects", "approval_date", 1)],
        setter("projects", 1, approval_date=D(1998, 2, 1)),
    ),
    "implementation-not-started": (
        setter("projects", 2, start_date=D(1997, 10, 1)),
        [cell("projects", "start_date", 2)],
        setter("projects", 2, start_date=D(1997, 9, 30)),
    ),
    "recipients-sum": (
        setter("projects", 0, recipient_countries="SEN:40;MLI:50"),
        [cell("projects", "recipient_countries", 0)],
        setter("projects", 0, recipient_countries="SEN:40.005;MLI:60"),
    ),
    "recipient-region": (
        setter("projects", 0, recipient_countries="SEN:40;MLI:30;JOR:30"),  # its lines' countries stay
        [cell("projects", "recipient_countries", 0)],
        setter("projects", 0, recipient_countries="SEN:40;EGY:60"),
    ),
    "donor-suffix": (
        setter("projects", 0, donor_code="NOR"),
        [cell("projects", "project_code", 0)],
        setter("projects", 0, donor_code="NOR", project_code="RAF/96/M05/NOR"),
    ),
    "period-mismatch": (setter("finance", 2, period="1997-Q2"), [cell("finance", "period", 2)], nothing),
    "unknown-project": (
        setter("results", 1, project_code="SEN/97/R09/RBT"),
        [cell("results", "project_code", 1)],
        nothing,
    ),
    "country-not-recipient": (
        setter("finance", 0, country_code="GMB"),
        [cell("finance", "country_code", 0)],
        setter("finance", 0, country_code="MLI"),
    ),
    "over-budget": (
        setter("finance", 2, cumulative_expenditure_usd=85_426),
        [cell("finance", "cumulative_expenditure_usd", 2)],
        setter("finance", 2, cumulative_expenditure_usd=85_425),
    ),
    "negative-expenditure": (
        setter("finance", 0, expenditure_usd=-1200),
        [cell("finance", "expenditure_usd", 0)],
        setter("finance", 0, expenditure_usd=0),
    ),
    "currency-mismatch": (
        setter("finance", 1, expenditure_usd=49_500),
        [cell("finance", "expenditure_usd", 1)],
        setter("finance", 1, expenditure_usd=49_300),
    ),
    "currency-ended": (
        setter("finance", 1, local_currency="FRF", expenditure_local=300_000, usd_rate=0.163),
        [],  # a 1997 return may still use francs: see test_currency_ended_after_2001
        setter("finance", 1, local_currency="FRF", expenditure_local=300_000, usd_rate=0.163),
    ),
    "percent-over-100": (
        setter("results", 1, actual=100.5),
        [cell("results", "actual", 1)],
        setter("results", 1, actual=100),
    ),
    "sex-exceeds-actual": (
        setter("results", 2, women=130),
        [cell("results", "women", 2)],
        setter("results", 2, women=129),
    ),
    "sex-not-applicable": (setter("results", 1, women=3), [cell("results", "women", 1)], nothing),
    "actual-far-above-target": (
        setter("results", 0, actual=2501),
        [cell("results", "actual", 0)],
        setter("results", 0, actual=2500),
    ),
    "country-required": (
        setter("results", 0, country_code=None),
        [cell("results", "country_code", 0)],
        setter("results", 2, country_code=None),
    ),
    "submitted-after-decided": (
        setter("pipeline", 1, submitted_on=D(1997, 8, 30)),
        [cell("pipeline", "submitted_on", 1)],
        setter("pipeline", 1, submitted_on=D(1997, 8, 29)),
    ),
    "approved-over-requested": (
        setter("pipeline", 1, approved_usd=650_001),
        [cell("pipeline", "approved_usd", 1)],
        setter("pipeline", 1, approved_usd=650_000),
    ),
}

# Rules about files, sheets, headers and the Cover: tested in test_structure.py and test_readers.py.
STRUCTURE_RULES = {
    "file-unreadable",
    "file-unsupported",
    "cover-missing",
    "cover-incomplete",
    "cover-mismatch",
    "csv-name",
    "csv-encoding",
    "standard-version-unknown",
    "sheet-unknown",
    "sheet-hidden",
    "json-structure",
    "column-missing",
    "column-unknown",
    "column-duplicate",
}


# Rules about hand-made layouts and hostile workbooks: failing cases in test_hostile.py, and every
# clean return there (and the base return) is their passing case.
LAYOUT_RULES = {
    "rows-hidden",
    "columns-hidden",
    "cells-merged",
    "formula-no-value",
    "header-below-title",
    "totals-row",
    "column-unnamed",
}

# Rules that need the consolidated store: failing and passing cases in test_consolidate.py.
STORE_RULES = {"cumulative-continuity", "expenditure-outlier", "key-conflict", "resubmission-incomplete"}
# Rules of data repositories (waivers): tested in test_repositories.py.
REPOSITORY_RULES = {"waiver-expired"}
# The published JSON Schema as a contract for JSON returns: tested in test_json_contract.py.
JSON_CONTRACT_RULES = {"json-schema"}
# Rules across the returns of a run: tested in test_run_checks.py.
RUN_RULES = {"return-twice", "annotated-copy"}
# Dates typed as text: tested in test_coerce.py (the note and its cell in a workbook).
TEXT_NOTES = {"date-text"}


def test_every_rule_is_covered() -> None:
    catalogue = set(load_standard("1.0").rules)
    covered = (
        STRUCTURE_RULES | LAYOUT_RULES | STORE_RULES | REPOSITORY_RULES | JSON_CONTRACT_RULES | RUN_RULES
    )
    covered |= TEXT_NOTES
    assert catalogue == set(CASES) | covered


def run(tmp_path: Path, mutate: Callable[[Data], None]) -> Any:
    data = base()
    mutate(data)
    return check(write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx"))


@pytest.mark.parametrize("rule", sorted(CASES))
def test_failing_case(rule: str, tmp_path: Path) -> None:
    mutate, expected, _ = CASES[rule]
    report = run(tmp_path, mutate)
    assert found(report, rule) == [(rule, where) for where in expected]


@pytest.mark.parametrize("rule", sorted(CASES))
def test_passing_case(rule: str, tmp_path: Path) -> None:
    _, _, mutate = CASES[rule]
    report = run(tmp_path, mutate)
    assert found(report, rule) == []


def test_base_return_is_clean(tmp_path: Path) -> None:
    assert found(run(tmp_path, nothing)) == []


def test_currency_ended_after_2001(tmp_path: Path) -> None:
    data = base()
    data["cover"].update(period="2002-Q1", prepared_on=D(2002, 4, 10))
    for line in data["finance"] + data["results"]:
        line["period"] = "2002-Q1"
    for project in data["projects"]:
        project.update(start_date=D(1997, 1, 1), end_date=D(2003, 12, 31))
    data["finance"][1].update(local_currency="FRF", expenditure_local=300_000, usd_rate=0.163)
    report = check(write_xlsx(data, tmp_path / "DAKAR_2002-Q1.xlsx"))
    findings = [f for f in report.findings if f.rule == "currency-ended"]
    assert [(f.location, f.value) for f in findings] == [(cell("finance", "local_currency", 1), "FRF")]
    assert "2001-12-31" in findings[0].message


def test_type_failure_is_reported_once(tmp_path: Path) -> None:
    """A date that fails its type is not reported again by start-after-end or required."""
    report = run(tmp_path, setter("projects", 1, start_date="soon", end_date=D(1990, 1, 1)))
    assert found(report) == [("invalid-date", cell("projects", "start_date", 1))]


def test_row_rule_gives_one_finding_per_row(tmp_path: Path) -> None:
    report = run(tmp_path, setter("projects", 0, recipient_countries="SEN:10;MLI:10;JOR:10;LBN:10"))
    assert [r for r, _ in found(report)] == ["recipient-region", "recipients-sum"]


def test_codelist_value_and_message(tmp_path: Path) -> None:
    report = run(tmp_path, setter("projects", 0, admin_unit="DAKKAR"))
    (finding,) = report.findings
    assert (finding.rule, finding.severity, finding.field, finding.value) == (
        "codelist",
        "error",
        "admin_unit",
        "DAKKAR",
    )
    assert finding.message == (
        "DAKKAR is not one of the codes of admin_unit. Did you mean DAKAR, DHAKA, MDTDAKAR?"
    )
    assert (
        finding.record == "projects"
        and finding.sheet == "Projects"
        and finding.row == 2
        and finding.column == 3
    )


@pytest.mark.parametrize("rule", sorted(r for r in CASES if load_standard("1.0").rule(r).severity == "error"))
def test_one_mistake_one_rule(rule: str, tmp_path: Path) -> None:
    """Each single-mistake case of an error breaks its own rule only: no other rule repeats the mistake
    (a value that fails its field check is not judged again by the rules that read it, nor are the
    lines of a project whose code in the register is mistyped)."""
    mutate, _, _ = CASES[rule]
    report = run(tmp_path, mutate)
    others = sorted({f.rule for f in report.findings if f.rule != rule and f.severity == "error"})
    assert others == []
