"""Every message of the catalogue, filled with its example in each language: no placeholder left, no
internal id where the user expects words, plurals that agree, and the same in the template's
Instructions sheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tcstandards.cli import main
from tcstandards.standard import LANGUAGES, available_versions, load_standard
from tcstandards.standard.examples import example_message

# messages about what is typed as such: a CSV file's name, a JSON key
NAMES_AS_TYPED = {"csv-name", "json-structure", "cover-missing"}
PLURAL_MISTAKES = re.compile(
    r"\b1 (cells|cellules|celdas|records|enregistrements|registros|findings|constats|hallazgos)\b"
)


def internal_ids(version: str, lang: str) -> set[str]:
    """Field names, codelist names and record type ids that the language's labels do not also use."""
    standard = load_standard(version)
    ids = {f.name for rt in standard.all_record_types() for f in rt.fields if "_" in f.name}
    ids |= set(standard.codelists) | {standard.cover.name, *standard.record_types}
    words = " ".join(
        rt.sheet_name(lang) + " " + " ".join(f.label(lang) for f in rt.fields)
        for rt in standard.all_record_types()
    )
    return ids - set(re.findall(r"[A-Za-z_]+", words))


@pytest.mark.parametrize("version", available_versions())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_reads_as_words(version: str, lang: str) -> None:
    standard = load_standard(version)
    ids = internal_ids(version, lang)
    problems = []
    for rule in standard.rules.values():
        message = example_message(standard, rule, lang)
        if re.search(r"[{}]", message):
            problems.append(f"{rule.id}: a placeholder is left: {message}")
        shown = set(re.findall(r"[A-Za-z_]+", message)) & ids
        if shown and rule.id not in NAMES_AS_TYPED:
            problems.append(f"{rule.id}: internal ids {sorted(shown)}: {message}")
        if "count" in rule.example:
            for count in (0, 1, 2, 1000):
                counted = example_message(standard, rule, lang, count=count)
                if PLURAL_MISTAKES.search(counted):
                    problems.append(f"{rule.id} with {count}: {counted}")
    assert problems == []


def test_the_instructions_sheet_shows_each_message_filled_in(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    made = CliRunner().invoke(
        main, ["template", "--office", "DAKAR", "--period", "1997-Q3", "--lang", "fr", "-o", str(target)]
    )
    assert made.exit_code == 0, made.output
    sheet = load_workbook(target)[load_standard("1.0").tool_sheet("instructions", "fr")]
    rows = {row[0]: row[3] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["codelist"] == "DANEMARK ne fait pas partie des codes de Donateur. Vouliez-vous dire DAN ?"
    assert rows["start-after-end"] == "Date de début (1999-02-01) vient après Date de fin (1998-01-31)."
    assert not [rule for rule, text in rows.items() if isinstance(text, str) and "{" in text]
