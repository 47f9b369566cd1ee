"""The command line as a user meets it: exit codes, formats, languages, speed of start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import base, write_xlsx

from tcstandards.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "returns" / "1997-Q3"


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_clean_return_exits_0(tmp_path: Path) -> None:
    result = invoke("validate", str(write_xlsx(base(), tmp_path / "r.xlsx")), "--lang", "en")
    assert result.exit_code == 0
    assert "no problems found" in result.output
    assert result.output.rstrip().endswith("OK: ready to submit")


def test_findings_exit_1_and_summary() -> None:
    result = invoke("validate", str(SAMPLES), "--lang", "en")
    assert result.exit_code == 1
    assert "6 returns, 14 files: 16 errors, 2 warnings" in result.output
    assert "Projects!N3" in result.output


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["donor_code"] = "dan"
    result = invoke("validate", str(write_xlsx(data, tmp_path / "r.xlsx")), "--lang", "en")
    assert result.exit_code == 0
    assert "code-case" in result.output


def test_unreadable_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"garbage")
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_bad_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["validate", "--format", "pdf", str(SAMPLES)])
    assert result.exit_code == 2


def test_json_format_is_versioned() -> None:
    result = invoke("validate", str(SAMPLES / "IPEC_1997-Q3.xlsx"), "--format", "json", "--lang", "es")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert (document["format"], document["format_version"], document["lang"]) == (
        "tcstandards-validation",
        1,
        "es",
    )
    assert document["summary"]["errors"] == 9 and document["summary"]["warnings"] == 2
    first = document["returns"][0]["findings"][0]
    assert set(first) >= {
        "file",
        "sheet",
        "cell",
        "row",
        "column",
        "pointer",
        "field",
        "value",
        "rule",
        "severity",
        "message",
    }
    assert first["cell"] == "N3" and first["sheet"] == "Projects"
    assert "posterior" in document["returns"][0]["findings"][1]["message"]


def test_max_findings() -> None:
    result = invoke("validate", str(SAMPLES), "--max-findings", "3", "--format", "json")
    document = json.loads(result.output)
    assert sum(len(r["findings"]) for r in document["returns"]) == 3
    assert document["summary"]["findings_not_shown"] == 15
    text = invoke("validate", str(SAMPLES), "--max-findings", "3", "--lang", "en").output
    assert "15 more findings not shown" in text


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [("en", "is after end_date"), ("fr", "vient après end_date"), ("es", "es posterior a end_date")],
)
def test_languages(lang: str, phrase: str) -> None:
    result = invoke("validate", str(SAMPLES / "IPEC_1997-Q3.xlsx"), "--lang", lang)
    assert phrase in result.output


def test_language_from_locale() -> None:
    result = invoke("validate", str(SAMPLES / "IPEC_1997-Q3.xlsx"), env={"LANG": "fr_FR.UTF-8", "LC_ALL": ""})
    assert "ÉCHEC" in result.output


def test_cli_import_does_not_import_pandas() -> None:
    code = "import sys, tcstandards.cli; sys.exit('pandas' in sys.modules or 'pandera' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_help_teaches() -> None:
    """(Its speed is measured in benchmarks/bench_startup.py, not asserted here.)"""
    out = subprocess.run(
        [sys.executable, "-m", "tcstandards", "validate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Finance!D14" in out and "--max-findings" in out and "Examples" in out
