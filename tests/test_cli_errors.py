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
        ("fr", "tcstandards : erreur : --office 'NOWHERE' ne figure pas dans la liste des bureaux"),
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
        f"tcstandards: error: la base {missing} no existe: "
        "ejecute primero `tcstandards consolidate` para crearla, o indique otra base con --store",
    )


def _raises_with_code(module: Path) -> list[tuple[int, str, set[str], str]]:
    """(line, code, keyword names, error class) of each UsageError or PeriodError the module makes."""
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id not in ("UsageError", "PeriodError"):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            given = set(keywords) - {"code"}
            if any(k.arg is None for k in node.keywords):  # **_at(where), **at: the place, in words and not
                given |= {"where", "place"}
            code = keywords.get("code")
            if isinstance(code, ast.Constant):
                found.append((node.lineno, str(code.value), given, node.func.id))
    return found


ENGLISH_ONLY: set[str] = set()  # every usage error has its words in the three languages


def test_every_usage_error_has_words_in_three_languages_and_gets_its_values() -> None:
    from tcstandards.common.i18n import _catalogue, _placeholders_of

    catalogue = _catalogue()
    missing = []
    for module in sorted(PACKAGE.rglob("*.py")):
        for line, code, given, kind in _raises_with_code(module):
            if code in ENGLISH_ONLY:
                continue
            entry = catalogue.get(f"error.{code}")
            where = f"{module.relative_to(PACKAGE)}:{line} {code}"
            if entry is None or set(entry) != {"en", "fr", "es"}:
                missing.append(f"{where}: no error.{code} in en, fr and es")
                continue
            needed = set().union(*(_placeholders_of(text) for text in entry.values()))
            extra = {"option"} if kind == "PeriodError" else set()  # the command line adds its option
            if needed - given - extra:
                missing.append(f"{where}: gives no {sorted(needed - given - extra)}")
    assert missing == []


@pytest.mark.parametrize(
    ("args", "lang", "said"),
    [
        (["validate", "nowhere.xlsx"], "fr", "fichier ou dossier introuvable : nowhere.xlsx"),
        (
            ["status", "--period", "1997-T4"],
            "fr",
            "--period : '1997-T4' n'est pas un trimestre comme 1997-Q3",
        ),
        (
            ["status", "--from", "1998-Q1", "--to", "1997-Q1"],
            "es",
            "--from 1998-Q1 es posterior a --to 1997-Q1",
        ),
        (
            ["report", "--from", "199", "--to", "1996"],
            "fr",
            "--from : '199' n'est ni une année ni un trimestre",
        ),
        (["export", "--format", "iati", "--history"], "es", "--history se aplica a csv, xlsx y json"),
    ],
)
def test_usage_errors_in_the_users_language(tmp_path: Path, args: list[str], lang: str, said: str) -> None:
    store = tmp_path / "hq.sqlite"  # never made: each mistake is told before a store is opened
    result = CliRunner().invoke(main, [*args, *(["--store", str(store)] if args[0] != "validate" else [])],
                                env={"LANG": f"{lang}_XX.UTF-8", "TCSTANDARDS_LANG": ""})  # fmt: skip
    assert result.exit_code == 2, result.output
    assert said in result.stderr, result.stderr


def test_configuration_and_waiver_errors_in_the_users_language(tmp_path: Path) -> None:
    from support import base, write_xlsx

    workbook = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    (tmp_path / ".tcstandards.toml").write_text(
        '[[paths]]\npattern = "*.xlsx"\noffice = "NOWHERE"\n', encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        french = CliRunner().invoke(main, ["validate", workbook.name, "--lang", "fr"])
        (tmp_path / ".tcstandards.toml").write_text('waivers = "waivers.toml"\n', encoding="utf-8")
        (tmp_path / "waivers.toml").write_text('[[waiver]]\nrule = "range"\n', encoding="utf-8")
        spanish = CliRunner().invoke(main, ["validate", workbook.name, "--lang", "es"])
    assert (french.exit_code, french.stderr.strip()) == (
        2,
        "tcstandards : erreur : office dans .tcstandards.toml [[paths]] 1 : "
        "'NOWHERE' ne figure pas dans la liste des bureaux",
    )
    assert spanish.exit_code == 2
    assert f"{tmp_path / 'waivers.toml'} [[waiver]] 1 no tiene " in spanish.stderr


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["validate", "--lang", "fr"], {}, "Erreur : Argument manquant 'PATHS...'."),
        (
            ["validate", "x.xlsx", "--format", "foo", "--lang", "fr"],
            {},
            "Valeur non valable pour '--format' : 'foo'",
        ),
        (
            ["valider"],
            {"LANG": "fr_FR.UTF-8"},
            "Erreur : Commande inconnue 'valider'.",
        ),
        (["validate", "--lang", "es", "--max-findings", "-1", "x"], {}, "-1 no está en el intervalo x>=0."),
        (
            ["validate"],
            {"LANG": "en_GB.UTF-8", "TCSTANDARDS_LANG": ""},
            "Error: Missing argument 'PATHS...'.",
        ),
    ],
)
def test_click_usage_errors_in_the_users_language(args: list[str], env: dict[str, str], said: str) -> None:
    result = CliRunner().invoke(main, args, env={"TCSTANDARDS_LANG": "", "LANG": "C", **env})
    assert result.exit_code == 2
    assert said in result.output, result.output
