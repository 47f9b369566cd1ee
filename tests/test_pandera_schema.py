"""The public pandera schema of each record type (docs/pandera.md).

Field checks and row rules, named by rule id, in agreement with what `tcstandards validate` reports.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pandas as pd
import pandera.errors
from support import base, write_json

import tcstandards
from tcstandards.reading.jsonfile import read_json_return
from tcstandards.standard.expressions import needs_context
from tcstandards.validation.engine import validate_paths
from tcstandards.validation.tables import build_return

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "pandera.md"


def test_the_documented_example_prints_what_the_page_shows() -> None:
    text = DOC.read_text(encoding="utf-8")
    code, printed = re.findall(r"```(?:python)?\n(.*?)```", text, flags=re.S)[:2]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    assert out.getvalue() == printed


def test_checks_are_named_by_catalogue_rule_ids() -> None:
    standard = tcstandards.load_standard("1.0")
    schema = standard.pandera_schema("projects")
    names = {check.name for check in schema.checks}
    assert {"start-after-end", "late-approval"} <= names
    assert not names & {
        "implementation-not-started",
        "over-budget",
    }  # they need the return's period, the register
    assert [c.name for c in schema.columns["donor_code"].checks] == ["codelist"]
    assert [c.name for c in schema.columns["approved_budget_usd"].checks] == ["range"]
    assert all(name in standard.rules for name in names)
    finance = standard.pandera_schema("finance")
    assert {c.name for c in finance.checks} == {"negative-expenditure", "currency-mismatch"}
    assert standard.pandera_schema("finance", row_rules=False).checks == []


def test_a_clean_typed_frame_passes() -> None:
    schema = tcstandards.load_standard("1.0").pandera_schema("pipeline")
    frame = pd.DataFrame({"requested_usd": [1000.0, 500.0], "approved_usd": [900.0, None]})
    schema.validate(frame, lazy=True)


def _typed_frames(path: Path) -> dict[str, pd.DataFrame]:
    standard = tcstandards.load_standard("1.0")
    raw = read_json_return(path, path.name, standard.cover.name)
    return {name: table.frame for name, table in build_return(raw, standard).tables.items()}


def test_the_public_schema_agrees_with_validate_on_row_rules(tmp_path: Path) -> None:
    """Every context-free row rule, broken once: the schema on the typed frames finds what validate finds."""
    data = base()
    data["projects"][0]["end_date"] = "1990-01-01"  # start-after-end
    data["projects"][1]["approval_date"] = "2003-01-01"  # late-approval
    data["finance"][0]["expenditure_usd"] = -10  # negative-expenditure
    data["results"][0]["actual"] = 100000  # actual-far-above-target
    data["pipeline"][1]["approved_usd"] = 10**9  # approved-over-requested
    path = write_json(data, tmp_path / "DAKAR_1997-Q3.json")
    standard = tcstandards.load_standard("1.0")
    row_rules = {r.id for r in standard.rules.values() if r.kind == "expression" and not needs_context(r)}
    report = validate_paths([path])
    expected = {
        (f.record, f.rule, int(f.pointer.split("/")[2]))
        for f in report.findings
        if f.rule in row_rules and f.pointer
    }
    assert {rule for _, rule, _ in expected} == {
        "start-after-end",
        "late-approval",
        "negative-expenditure",
        "actual-far-above-target",
        "approved-over-requested",
    }
    seen = set()
    for name, frame in _typed_frames(path).items():
        try:
            standard.pandera_schema(name).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            cases = errors.failure_cases[errors.failure_cases["check"].isin(row_rules)]
            seen |= {(name, str(c), int(i)) for c, i in zip(cases["check"], cases["index"], strict=True)}
    assert seen == expected
