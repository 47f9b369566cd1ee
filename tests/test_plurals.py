"""Plurals and numbers by the language's CLDR rules (Babel), in the tool's sentences and in rule messages."""

from __future__ import annotations

import pytest

from tcstandards.common.i18n import render, ui

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("lang", "counts", "said"),
    [
        ("en", (1, 1, 1, 1), "1 return, 1 file: 1 error, 1 warning"),
        ("en", (2, 0, 1000, 2), "2 returns, 0 files: 1,000 errors, 2 warnings"),
        (
            "fr",
            (1, 1, 0, 1),
            "1 rapport, 1 fichier : 0 erreur, 1 avertissement",
        ),  # French: 0 and 1 are singular
        ("fr", (2, 3, 1000, 2), f"2 rapports, 3 fichiers : 1{NNBSP}000 erreurs, 2 avertissements"),
        ("es", (1, 1, 0, 1), "1 informe, 1 archivo: 0 errores, 1 advertencia"),
        (
            "es",
            (2, 3, 1000, 2),
            "2 informes, 3 archivos: 1.000 errores, 2 advertencias",
        ),
    ],
)
def test_the_summary_agrees_with_its_numbers(lang: str, counts: tuple[int, int, int, int], said: str) -> None:
    returns, files, errors, warnings = counts
    assert ui("text.summary", lang, returns=returns, files=files, errors=errors, warnings=warnings) == said


def test_numbers_in_a_message_are_written_as_the_language_writes_them() -> None:
    template = "{value} over {budget}; row {row}, #{id}"
    params = {"value": 745000, "budget": 720000.5, "row": 1234, "id": 1200}
    assert (
        render(template, params, "en") == "745,000 over 720,000.5; row 1234, #1200"
    )  # rows and ids are names
    assert render(template, params, "fr") == f"745{NNBSP}000 over 720{NNBSP}000,5; row 1234, #1200"
    assert render(template, params, "es") == "745.000 over 720.000,5; row 1234, #1200"
    assert render(template, params) == "745000 over 720000.5; row 1234, #1200"  # no language: as it is


@pytest.mark.parametrize(
    ("lang", "count", "said"),
    [("en", 1, "1 amount typed as text was read"), ("en", 2, "2 amounts typed as text were read"),
     ("fr", 1, "1 montant saisi comme texte a été lu"), ("fr", 0, "0 montant saisi comme texte a été lu"),
     ("es", 1, "1 importe escrito como texto se leyó"),
     ("es", 1000, "1.000 importes escritos como texto se leyeron")],
)  # fmt: skip
def test_a_rule_message_counts_in_the_language(lang: str, count: int, said: str) -> None:
    from tcstandards.standard import load_standard

    template = load_standard("1.0").rule("number-text").template(lang)
    assert said in render(template, {"count": count, "field": "x", "locale": "1 234,56", "value": "1"}, lang)
