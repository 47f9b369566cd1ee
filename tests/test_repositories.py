"""Data repositories: CI output formats, configuration, waivers, and the pre-commit hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result
from support import base, write_csv, write_xlsx

from tcstandards.cli import VALIDATE_FORMATS, main
from tcstandards.reporters import REPORTERS

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str, cwd: Path | None = None) -> Result:
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def faulty(tmp_path: Path) -> tuple[Path, Path]:
    """A workbook with one error and one warning, and a CSV return with one error."""
    data = base()
    data["finance"][0]["approvals_usd"] = -5  # Finance!D2: range (error)
    data["projects"][0]["donor_code"] = "dan"  # Projects!H2: code-case (warning)
    workbook = write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")
    csv_data = base()
    csv_data["cover"]["office_code"] = "LIMA"
    csv_data["finance"][1]["approvals_usd"] = -7  # line 3, column 4
    folder = write_csv(csv_data, tmp_path / "csv")
    return workbook, folder / "LIMA_1997-Q3_finance.csv"


def test_every_reporter_is_a_cli_format() -> None:
    assert set(VALIDATE_FORMATS) == set(REPORTERS)


# --- CI formats -------------------------------------------------------------------------


def test_github_annotations_line_by_line(tmp_path: Path) -> None:
    workbook, csv_file = faulty(tmp_path)
    result = invoke("validate", "--format", "github", "--lang", "en", str(workbook), str(csv_file))
    assert result.exit_code == 1
    line = csv_file.read_text(encoding="utf-8").splitlines()[2]  # line 3: the fourth field is -7
    column = line.index(",-7,") + 2  # 1-based, where the field starts
    assert column == 28
    assert result.output.splitlines() == [
        f"::warning file={workbook},title=code-case::Projects!H2: dan was read as DAN: "
        "write codes in capital letters.",
        f"::error file={workbook},title=range::Finance!D2: approvals_usd must be >= 0; it is -5.",
        f"::error file={csv_file},line=3,col={column},title=range::"
        "approvals_usd (field 4): approvals_usd must be >= 0; it is -7.",
        "2 returns, 6 files: 2 errors, 1 warning",
    ]


def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path: Path) -> None:
    from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as Sarif

    workbook, csv_file = faulty(tmp_path)
    result = invoke("validate", "--format", "sarif", "--lang", "en", str(workbook), str(csv_file))
    assert result.exit_code == 1
    document = json.loads(result.output)
    Sarif.model_validate(document)  # a model generated from the official schema, extra keys forbidden
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["code-case", "range"]
    found = [
        (r["ruleId"], r["level"], r["locations"][0]["physicalLocation"].get("region"),
         [x.get("fullyQualifiedName", x.get("name")) for x in r["locations"][0].get("logicalLocations", [])])
        for r in run["results"]
    ]  # fmt: skip
    assert found == [
        ("code-case", "warning", None, ["Projects!H2"]),
        ("range", "error", None, ["Finance!D2"]),
        ("range", "error", {"startLine": 3, "startColumn": 28}, ["approvals_usd"]),  # where field 4 starts
    ]
    with pytest.raises(ValueError):  # the check is real: a wrong level is refused
        Sarif.model_validate(
            {**document, "runs": [{**run, "results": [{**run["results"][0], "level": "fatal"}]}]}
        )


def test_junit(tmp_path: Path) -> None:
    workbook, csv_file = faulty(tmp_path)
    other = base()
    other["cover"]["office_code"] = "ABIDJAN"  # a third office: one return per office and quarter
    clean = (
        write_xlsx(other, tmp_path / "clean" / "ABIDJAN_1997-Q3.xlsx")
        if (tmp_path / "clean").mkdir() is None
        else None
    )
    assert clean is not None
    result = invoke("validate", "--format", "junit", str(workbook), str(csv_file), str(clean))
    root = ET.fromstring(result.output)
    assert (root.get("tests"), root.get("failures")) == ("4", "2")
    suites = root.findall("testsuite")
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("2", "1"), ("1", "0"), ("1", "1")]
    failures = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failures == ["range at Finance!D2", "range at 3:4"]
    assert [c.get("name") for c in suites[1]] == ["meets the standard"]


# --- configuration ------------------------------------------------------------------------


def test_config_in_pyproject_sets_language_and_severity(tmp_path: Path) -> None:
    workbook, _ = faulty(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.tcstandards]
            lang = "fr"
            [tool.tcstandards.severity]
            range = "warning"
            code-case = "off"
            """
        ),
        encoding="utf-8",
    )
    result = invoke("validate", str(workbook.name), cwd=tmp_path)
    assert result.exit_code == 0, result.output  # the only error became a warning
    assert "Finance!D2       avertissement range" in result.output  # French, and an error made a warning
    assert "code-case" not in result.output


def test_tcstandards_toml_path_patterns_claim_the_office(tmp_path: Path) -> None:
    (tmp_path / "dakar").mkdir()
    write_xlsx(base(), tmp_path / "dakar" / "return.xlsx")
    (tmp_path / ".tcstandards.toml").write_text(
        '[[paths]]\npattern = "dakar/*"\noffice = "ABIDJAN"\n', encoding="utf-8"
    )
    result = invoke("validate", "--lang", "en", "dakar", cwd=tmp_path)
    assert result.exit_code == 1
    assert "cover-mismatch" in result.output and "The file name says office_code ABIDJAN" in result.output


def test_path_patterns_name_csv_files(tmp_path: Path) -> None:
    data = base()
    folder = write_csv(data, tmp_path / "q3")
    for kind in ("cover", "projects", "finance", "results", "pipeline"):
        (folder / f"DAKAR_1997-Q3_{kind}.csv").rename(folder / f"{kind}.csv")
    entries = "".join(
        f'[[paths]]\npattern = "q3/{kind}.csv"\noffice = "DAKAR"\nperiod = "1997-Q3"\nrecord = "{kind}"\n'
        for kind in ("cover", "projects", "finance", "results", "pipeline")
    )
    (tmp_path / ".tcstandards.toml").write_text(entries, encoding="utf-8")
    result = invoke("validate", "--lang", "en", "q3", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 return, 5 files: 0 errors, 0 warnings" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'langue = "fr"\n',
            "unknown key 'langue' in .tcstandards.toml "
            "(known: lang, standard, waivers, severity, paths, obligations)",
        ),
        ('lang = "de"\n', "lang in .tcstandards.toml: 'de' is not one of en, fr, es"),
        ('standard = "9.9"\n', "standard in .tcstandards.toml: '9.9' is not a known version"),
        ('[severity]\nno-such-rule = "off"\n', "severity in .tcstandards.toml: unknown rule 'no-such-rule'"),
        ('[severity]\nrange = "fatal"\n', "'fatal' is not one of error, warning, off"),
        ('[[paths]]\npattern = "x"\noffise = "DAKAR"\n', "unknown key 'offise' in paths entry 1"),
        ('[[paths]]\npattern = "x"\nrecord = "budget"\n', "'budget' is not a record type"),
        ('[[paths]]\npattern = "x"\noffice = "NOWHERE"\n', "'NOWHERE' is not in the offices codelist"),
        ('[[paths]]\npattern = "x"\nperiod = "banana"\n', "'banana' is not a quarter like 1997-Q3"),
        ('[severity]\nfile-unreadable = "off"\n', "file-unreadable cannot be changed"),
        ("lang = \n", "is not valid TOML"),
    ],
)
def test_bad_configuration_is_a_usage_error_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    workbook = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    (tmp_path / ".tcstandards.toml").write_text(text, encoding="utf-8")
    result = invoke("validate", workbook.name, cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_pyproject_without_the_table_is_not_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "data"\n', encoding="utf-8")
    workbook = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    assert invoke("validate", workbook.name, cwd=tmp_path).exit_code == 0


# --- waivers --------------------------------------------------------------------------------

WAIVER = """
[[waiver]]
rule = "range"
office = "DAKAR"
period = "1997-Q3"
cell = "Finance!D2"
reason = "Negative approval agreed with the donor"
expires = {expires}
"""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_waived_finding_does_not_count(tmp_path: Path, fmt: str) -> None:
    workbook, _ = faulty(tmp_path)
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(WAIVER.format(expires="2030-12-31"), encoding="utf-8")
    result = invoke("validate", "--lang", "en", "--format", fmt, "--waivers", str(waivers), str(workbook))
    assert result.exit_code == 0, result.output
    if fmt == "json":
        document = json.loads(result.output)
        waived = [f for f in document["returns"][0]["findings"] if f["waived"]]
        assert [(f["rule"], f["location"], f["waived"]) for f in waived] == [
            ("range", "Finance!D2", "Negative approval agreed with the donor")
        ]
        assert (document["summary"]["errors"], document["summary"]["warnings"]) == (0, 1)
    else:
        lines = result.output.splitlines()
        shown = [line.split()[:3] for line in lines if "Finance!D2" in line]
        assert shown == [["Finance!D2", "waived", "range"]]
        assert "(waived: Negative approval agreed with the donor)" in result.output
        assert "Waived findings (not counted): 1." in lines


def test_an_expired_waiver_stops_working_and_says_so(tmp_path: Path) -> None:
    workbook, _ = faulty(tmp_path)
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(WAIVER.format(expires="1998-06-30"), encoding="utf-8")
    result = invoke("validate", "--lang", "en", "--format", "json", "--waivers", str(waivers), str(workbook))
    assert result.exit_code == 1
    findings = json.loads(result.output)["returns"][0]["findings"]
    assert [f["rule"] for f in findings if f["severity"] == "error"] == ["range"]
    expired = [f for f in findings if f["rule"] == "waiver-expired"]
    assert [f["message"] for f in expired] == [
        'Waiver 1 for range ("Negative approval agreed with the donor") expired on 1998-06-30: '
        "the findings it accepted count again."
    ]


def test_a_waiver_for_another_cell_does_not_apply(tmp_path: Path) -> None:
    workbook, _ = faulty(tmp_path)
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        WAIVER.format(expires="2030-12-31").replace("Finance!D2", "Finance!D3"), encoding="utf-8"
    )
    assert invoke("validate", "--waivers", str(waivers), str(workbook)).exit_code == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[waiver]]\nrule = "range"\noffice = "DAKAR"\nperiod = "1997-Q3"\nexpires = 2030-01-01\n',
            "has no reason",
        ),
        (WAIVER.format(expires='"soon"'), "expires must be a date"),
        (WAIVER.format(expires="2030-01-01") + 'colour = "red"\n', "unknown key 'colour' in waiver 1"),
        (WAIVER.format(expires="2030-01-01").replace('"range"', '"rnage"'), "unknown rule 'rnage'"),
        ('[[waivers]]\nrule = "range"\n', "unknown key 'waivers'"),
        ('[waiver]\nrule = "range"\n', "each waiver is a [[waiver]] table"),
        ("waiver = [1, 2]\n", "each waiver is a [[waiver]] table"),
        (
            WAIVER.format(expires="2030-01-01").replace('rule = "range"', 'rule = ["range"]'),
            "rule must be a string",
        ),
        (WAIVER.format(expires="2030-01-01").replace('"range"', '"file-unreadable"'), "cannot be waived"),
    ],
)
def test_bad_waivers_are_usage_errors(tmp_path: Path, text: str, message: str) -> None:
    workbook, _ = faulty(tmp_path)
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(text, encoding="utf-8")
    result = invoke("validate", "--waivers", str(waivers), str(workbook))
    assert result.exit_code == 2
    assert message in result.output


def test_bad_waivers_encoding_is_a_usage_error(tmp_path: Path) -> None:
    workbook, _ = faulty(tmp_path)
    waivers = tmp_path / "waivers.toml"
    waivers.write_bytes(b"\xff\xfe[\x00[\x00")
    result = invoke("validate", "--waivers", str(waivers), str(workbook))
    assert (result.exit_code, "is not UTF-8 text" in result.output) == (2, True)


def test_a_waiver_names_a_csv_place_with_or_without_its_file(tmp_path: Path) -> None:
    _, csv_file = faulty(tmp_path)
    for cell in ("3:4", "LIMA_1997-Q3_finance.csv:3:4"):
        waivers = tmp_path / "w.toml"
        waivers.write_text(
            WAIVER.format(expires="2030-12-31").replace("DAKAR", "LIMA").replace("Finance!D2", cell)
        )
        assert invoke("validate", "--waivers", str(waivers), str(csv_file)).exit_code == 0, cell


def test_waivers_named_by_the_configuration(tmp_path: Path) -> None:
    workbook, _ = faulty(tmp_path)
    (tmp_path / "waivers.toml").write_text(WAIVER.format(expires="2030-12-31"), encoding="utf-8")
    (tmp_path / ".tcstandards.toml").write_text('waivers = "waivers.toml"\n', encoding="utf-8")
    assert invoke("validate", workbook.name, cwd=tmp_path).exit_code == 0


# --- the pre-commit hook, with the real pre-commit -------------------------------------------------


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not on this machine")
def test_pre_commit_hook_refuses_a_faulty_return(tmp_path: Path) -> None:
    repo = tmp_path / "data"
    repo.mkdir()
    who = {"NAME": "Data officer", "EMAIL": "tc@example.org"}
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    env |= {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in who.items()}
    _git(repo, "init", "-q")
    write_xlsx(base(), repo / "DAKAR_1997-Q3.xlsx")
    _git(repo, "add", "DAKAR_1997-Q3.xlsx")
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "tcstandards-validate"]
    clean = subprocess.run(pre_commit, cwd=repo, capture_output=True, text=True, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    assert subprocess.run(["git", "commit", "-q", "-m", "clean"], cwd=repo, env=env).returncode == 0
    data = base()
    data["finance"][0]["approvals_usd"] = -5
    write_xlsx(data, repo / "DAKAR_1997-Q3.xlsx")
    _git(repo, "add", "DAKAR_1997-Q3.xlsx")
    refused = subprocess.run(pre_commit, cwd=repo, capture_output=True, text=True, env=env)
    assert refused.returncode == 1
    assert "Failed" in refused.stdout
    assert "Finance!D2" in refused.stdout and "range" in refused.stdout
