"""docs/cli.md is generated from the commands' --help and must match the code."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tcstandards.cli import main
from tcstandards.reference import clidoc

ROOT = Path(__file__).resolve().parents[1]


def test_committed_cli_reference_matches_the_commands() -> None:
    committed = (ROOT / "docs" / clidoc.CLI_FILE).read_text(encoding="utf-8")
    assert committed == clidoc.render(), (
        "docs/cli.md is stale: run `python -m tcstandards.reference.clidoc` and commit it"
    )


def test_check_mode_fails_on_a_stale_page(tmp_path: Path) -> None:
    (tmp_path / clidoc.CLI_FILE).write_text(clidoc.render().replace("HQ store", "store"), encoding="utf-8")
    assert clidoc.main(["--check", "--docs", str(tmp_path)]) == 1
    assert clidoc.main(["--docs", str(tmp_path)]) == 0
    assert clidoc.main(["--check", "--docs", str(tmp_path)]) == 0


def test_every_command_is_documented_as_it_answers_help() -> None:
    text = clidoc.render()
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"## tcstandards {name}" in text
        output = CliRunner().invoke(
            main, [name, "--help"], prog_name="tcstandards", terminal_width=clidoc.WIDTH
        )
        assert output.exit_code == 0
        assert "```\n" + output.output.rstrip() + "\n```" in text
