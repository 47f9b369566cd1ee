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


def test_the_console_script_ends_quickly_without_losing_output_or_exit_status(tmp_path: Path) -> None:
    """``python -m tcstandards`` ends with ``os._exit`` once pandas is loaded: the whole report still
    reaches the pipe (more than a pipe's buffer), the exit status is the command's, errors reach stderr."""
    data = base()
    project = data["projects"][1]
    codes = [f"SEN/97/R{i:03d}/RBT" for i in range(300)]
    data["projects"] = [dict(project, project_code=code, donor_code="ZZZ") for code in codes]
    faulty = str(write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx"))
    command = [sys.executable, "-m", "tcstandards"]
    done = subprocess.run(
        [*command, "validate", "--format", "json", "--lang", "fr", faulty],
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    expected = invoke("validate", "--format", "json", "--lang", "fr", faulty).stdout_bytes
    assert done.returncode == 1
    assert len(done.stdout) > 65536  # more than a pipe holds: the end was written before the process ended
    assert done.stdout.replace(b"\r\n", b"\n") == expected
    missing = subprocess.run(
        [*command, "validate", "--lang", "en", str(tmp_path / "none.xlsx")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert missing.returncode == 2
    assert "none.xlsx" in missing.stderr and "Traceback" not in missing.stderr


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "tcstandards", "validate", "--format", "json", str(SAMPLES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(100)
    reader.stdout.close()  # as `| head -c 100` does
    errors = reader.stderr.read().decode()
    assert reader.wait(timeout=60) in (1, 120)
    assert "Traceback" not in errors
