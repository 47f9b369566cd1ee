"""The library raises domain errors; the command line words them in the user's language, with its options."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from tcstandards.cli import main
from tcstandards.common.errors import UsageError
from tcstandards.office.template import build_template

PACKAGE = Path(__file__).resolve().parent.parent / "tcstandards"


def _raised_texts(module: Path) -> list[tuple[int, str]]:
    """(line, text) of each string given to an error the module raises."""
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            first = node.exc.args[0]
            parts = first.values if isinstance(first, ast.JoinedStr) else [first]
            text = "".join(p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str))
            found.append((node.lineno, text))
    return found


def test_no_library_error_names_a_command_line_option() -> None:
    offenders = [
        f"{module.relative_to(PACKAGE)}:{line}: {text}"
        for module in sorted(PACKAGE.rglob("*.py"))
        if "cli" not in module.relative_to(PACKAGE).parts
        for line, text in _raised_texts(module)
        if " --" in f" {text}" or text.startswith("-o ")
    ]
    assert offenders == []


def test_the_library_error_carries_a_code_and_its_values(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        build_template("NOWHERE", "1997-Q3", "en", None, tmp_path / "t.xlsx")
    assert (caught.value.code, caught.value.params, str(caught.value)) == (
        "template-office",
        {"office": "NOWHERE"},
        "'NOWHERE' is not in the offices codelist",
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "tcstandards: error: --office 'NOWHERE' is not in the offices codelist"),
        ("fr", "tcstandards: error: --office 'NOWHERE' ne figure pas dans la liste des bureaux"),
        ("es", "tcstandards: error: --office 'NOWHERE' no figura en la lista de oficinas"),
    ],
)
def test_the_command_line_words_it_in_the_users_language(tmp_path: Path, lang: str, expected: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "template",
            "--office",
            "NOWHERE",
            "--period",
            "1997-Q3",
            "--lang",
            lang,
            "-o",
            str(tmp_path / "t.xlsx"),
        ],
    )
    assert (result.exit_code, result.stderr.strip()) == (2, expected)


def test_the_language_of_the_environment_words_it_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["status", "--store", str(tmp_path / "none.sqlite")], env={"TCSTANDARDS_LANG": "es"}
    )
    missing = tmp_path / "none.sqlite"
    assert (result.exit_code, result.stderr.strip()) == (
        2,
        f"tcstandards: error: no hay base en {missing}: "
        "ejecute primero `tcstandards consolidate`, o indique --store",
    )
