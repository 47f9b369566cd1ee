"""The paper's numbered paragraphs: the seed's figures in words, every number traced to its JSON figure,
direction words that match the data, grammar of each language."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report import report

from tcstandards.report.paper import draft_paper
from tcstandards.report.paper_base import rounded
from tcstandards.standard import load_standard

STANDARD = load_standard("1.0")
SEED = {  # the numbers of paragraphs 17-20 of the seed, as each language writes them
    "en": [
        "declined steadily to US$98.2 million in 1996",
        "UNDP, 45.9 per cent; UNFPA, 7.6 per cent",
        "together accounted for only 30.7 per cent",
        "the share of trust funds rose from 37.8 per cent in 1990 to 62.2 per cent in 1996",
        "rose from US$40 million in 1990 to US$52 million in 1996",
        "the same four donors (Denmark, Germany, Netherlands and Norway) accounted for 70 per cent",
        "peaked at US$165.6 million in 1990, fell to US$69.7 million in 1994",
        "recovered to US$114 million in 1995 and 1996",
        "rose from 134 in 1990 to 151 in 1995",
        "from US$2.2 million in 1990 to US$8.8 million in 1995",
        "Africa, with 37 per cent, followed by Asia and the Pacific, with 25.2 per cent",
    ],
    "fr": [
        "avant de décroître régulièrement jusqu'en 1996, où leur montant n'était plus que de 98,2 millions",
        "PNUD, 45,9 pour cent ; FNUAP, 7,6 pour cent",
        "ne représentaient plus que 30,7 pour cent du total des dépenses",
        "la part des fonds fiduciaires est passée de 37,8 pour cent en 1990 à 62,2 pour cent en 1996",
        "sont passées de 40 millions de dollars E.-U. en 1990 à 52 millions de dollars en 1996",
        "les quatre mêmes donateurs (Allemagne, Danemark, Norvège et Pays-Bas)",
        "à hauteur de 70 pour cent",
        "165,6 millions de dollars E.-U. en 1990, puis ont diminué jusqu'en 1994 (69,7 millions de dollars)",
        "avant de remonter à 114 millions de dollars en 1995 et 1996",
        "est passé de 134 en 1990 à 151 en 1995",
        "passant de 2,2 millions de dollars en 1990 à 8,8 millions en 1995",
        "région Afrique, avec 37 pour cent des dépenses, suivis par ceux de la région Asie et Pacifique",
        "Asie et Pacifique, avec 25,2 pour cent",
    ],
    "es": [
        "disminuyeron de forma constante hasta 98,2 millones de dólares en 1996",
        "PNUD, 45,9 por ciento; FNUAP, 7,6 por ciento",
        "representaba solo el 30,7 por ciento",
        "pasó del 37,8 por ciento en 1990 al 62,2 por ciento en 1996",
        "aumentaron de 40 millones de dólares de los Estados Unidos en 1990 a 52 millones de dólares",
        "los mismos cuatro donantes (Alemania, Dinamarca, Noruega y Países Bajos) aportaron",
        "el 70 por ciento",
        "un máximo de 165,6 millones",
        "hasta 69,7 millones de dólares en 1994",
        "hasta 114 millones de dólares en 1995 y 1996",
        "pasó de 134 en 1990 a 151 en 1995",
        "de 2,2 millones de dólares en 1990 a 8,8 millones en 1995",
        "región África, con el 37 por ciento de los gastos, seguidos por los de la región Asia y el Pacífico",
        "Asia y el Pacífico, con el 25,2 por ciento",
    ],
}
NUMBER = {"en": r"\d[\d,]*(?:\.\d+)?", "fr": r"\d[\d\u202f\u00a0]*(?:,\d+)?", "es": r"\d[\d.]*(?:,\d+)?"}


def numbers_in(text: str, lang: str) -> list[float]:
    """The numbers a sentence shows, read back as the language writes them."""
    found = []
    for token in re.findall(NUMBER[lang], text):
        if lang == "en":
            plain = token.replace(",", "")
        elif lang == "fr":
            plain = token.replace("\u202f", "").replace("\u00a0", "").replace(",", ".")
        else:
            plain = token.replace(".", "").replace(",", ".")
        found.append(float(plain))
    return found


def paper_of(store_path: Path, tmp_path: Path, lang: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        report(store_path, tmp_path, "json", lang).read_text(encoding="utf-8")
    )
    return document


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_paragraphs_state_the_seed_figures_in_words(store: Path, tmp_path: Path, lang: str) -> None:
    document = paper_of(store, tmp_path, lang)
    text = " ".join(p["text"] for p in document["paragraphs"])
    for phrase in SEED[lang]:
        assert phrase in text, phrase
    assert [p["number"] for p in document["paragraphs"]] == list(range(1, len(document["paragraphs"]) + 1))
    topics = [p["topic"] for p in document["paragraphs"]]
    assert topics[:6] == ["expenditure", "sources", "multi_bilateral", "approvals", "countries", "regions"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_number_of_the_text_is_a_json_figure(store: Path, tmp_path: Path, lang: str) -> None:
    document = paper_of(store, tmp_path, lang)
    tables = {t["id"]: t for t in document["tables"]}
    years = {float(y) for y in document["range"]["years"]}
    figure_numbers = {float(t["number"]) for t in document["tables"] if not t["annex"]}
    shown_total = 0
    for paragraph in document["paragraphs"]:
        shown = set()
        for cite in paragraph["cites"]:  # the cited cell is the JSON figure, rounded as the tables print it
            table = tables[cite["table"]]
            ids = [c["id"] for c in table["columns"]]
            row = next(r for r in table["rows"] if r[0] == cite["row"])
            assert row[ids.index(cite["column"])] == cite["value"]
            kind = table["columns"][ids.index(cite["column"])]["kind"]
            expected = rounded(cite["value"] / 1e6, 1) if kind == "usd" else rounded(cite["value"], 1)
            assert cite["shown"] == (int(cite["value"]) if kind == "count" else expected)
            shown.add(float(cite["shown"]))
        for number in numbers_in(paragraph["text"], lang):
            assert number in shown or number in years or number in figure_numbers, (number, paragraph["text"])
            shown_total += number in shown
        for figure in paragraph["figures"]:
            assert (
                f" {tables[figure]['number']})" in paragraph["text"]
                or f" {tables[figure]['number']};" in paragraph["text"]
            )
    assert shown_total >= 30


# --- other data: the sentence chosen by the data -------------------------------------------


def _report(
    amounts: list[float], first_year: int = 2001, approvals: list[float] | None = None
) -> dict[str, Any]:
    years = list(range(first_year, first_year + len(amounts)))
    tables = [
        {"id": "expenditure_by_year", "number": 1,
         "columns": [{"id": "year", "kind": "year"}, {"id": "expenditure_usd", "kind": "usd"}],
         "rows": [[y, a] for y, a in zip(years, amounts, strict=True)]},
    ]  # fmt: skip
    if approvals is not None:
        tables.append({"id": "approvals_by_source", "number": 3,
                       "columns": [{"id": "year", "kind": "year"}, {"id": "total_usd", "kind": "usd"}],
                       "rows": [[y, a] for y, a in zip(years, approvals, strict=True)]})  # fmt: skip
    return {"empty": False, "range": {"rows": "year", "years": years}, "tables": tables}


def assert_numbers_are_cited(paragraph: dict[str, Any], document: dict[str, Any]) -> None:
    """Every number of an English paragraph is a cited figure (as shown), a year or a figure number, and each
    cited figure is its table's cell."""
    tables = {t["id"]: t for t in document["tables"]}
    for cite in paragraph["cites"]:
        table = tables[cite["table"]]
        j = [c["id"] for c in table["columns"]].index(cite["column"])
        assert next(r[j] for r in table["rows"] if r[0] == cite["row"]) == cite["value"]
        assert cite["shown"] == rounded(cite["value"] / 1e6, 1)
    allowed = {float(c["shown"]) for c in paragraph["cites"]} | {float(y) for y in document["range"]["years"]}
    allowed |= {float(t["number"]) for t in document["tables"]}
    assert all(n in allowed for n in numbers_in(paragraph["text"], "en")), paragraph["text"]


amounts = st.lists(
    st.integers(min_value=1, max_value=400).map(lambda n: n * 500_000.0), min_size=2, max_size=8
)


@settings(max_examples=150, deadline=None)
@given(amounts)
def test_the_trend_sentence_follows_the_data(series: list[float]) -> None:
    (paragraph,) = draft_paper(_report(series), STANDARD, "en")
    text = paragraph["text"]
    assert_numbers_are_cited(paragraph, _report(series))
    peak = series.index(max(series))
    if series[0] == series[-1] == max(series):
        assert "amounted to" in text
    elif series[-1] == max(series):
        assert re.search(r"\brose\b", text) and "declined" not in text
        rising = all(b > a for a, b in itertools.pairwise(series))
        assert ("steadily" in text) == rising
    else:
        assert "highest level" in text and not re.search(r"\brose\b", text)
        falling = all(b < a for a, b in itertools.pairwise(series[peak:]))
        assert ("declined steadily" in text) == falling
        assert ("not every year" in text) == (not falling)


@settings(max_examples=100, deadline=None)
@given(amounts)
def test_approvals_name_their_peak_and_trough_in_order(series: list[float]) -> None:
    paragraphs = draft_paper(_report([1e6] * len(series), approvals=series), STANDARD, "en")
    text = paragraphs[-1]["text"]
    assert paragraphs[-1]["topic"] == "approvals"
    for paragraph in paragraphs:
        assert_numbers_are_cited(paragraph, _report([1e6] * len(series), approvals=series))
    peak = series.index(max(series))
    if "recovered" in text:  # a trough after the peak, and the last year above it
        assert min(series[peak:]) < series[-1] < max(series)
    elif "fell to" in text:
        assert series[-1] == min(series[peak:]) < max(series)
    elif "then rose to a record" in text:  # a dip below the first year before the record
        assert series[-1] == max(series) and min(series[:-1]) < series[0]
    elif "rose from" in text:
        assert series[-1] == max(series) > series[0] == min(series)
    else:
        assert "amounted to" in text and series[0] == series[-1] == max(series)


@pytest.mark.parametrize(
    ("lang", "amount", "phrase"),
    [
        ("fr", 1_500_000.0, "plus que de 1,5 million de dollars (voir"),
        ("fr", 2_000_000.0, "plus que de 2 millions de dollars (voir"),
        ("es", 1_500_000.0, "1,5 millones de dólares"),
        ("es", 1_000_000.0, "1 millón de dólares"),
        ("en", 1_500_000.0, "US$1.5 million in 2002"),
    ],
)
def test_millions_take_the_plural_of_their_language(lang: str, amount: float, phrase: str) -> None:
    (paragraph,) = draft_paper(_report([9_000_000.0, amount]), STANDARD, lang)
    assert phrase in paragraph["text"]


def test_an_empty_range_has_no_paragraphs() -> None:
    assert draft_paper({"empty": True, "tables": []}, STANDARD, "fr") == []


@pytest.mark.slow
def test_the_html_page_numbers_its_paragraphs(paper: Callable[[str, str], Path]) -> None:
    page = paper("html", "fr").read_text(encoding="utf-8")
    assert '<p class="para" id="para-1"><span class="num">1.</span> Les dépenses affectées' in page
    assert "(TCDS 1.0)" in page  # the version the data follow, not the newest the tool knows


@pytest.mark.slow
def test_the_first_paragraph_cites_figure_1(figures: dict[str, Any]) -> None:
    assert figures["paragraphs"][0]["figures"] == ["expenditure_by_year"]
    assert figures["tables"][0]["number"] == 1 and "(see figure 1)" in figures["paragraphs"][0]["text"]


class _Text(HTMLParser):
    """The text a reader sees: every text node outside <style>, and the <title> of chart elements."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag == "style"

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def codes_without_names() -> set[str]:
    """The codes of the codelists that no name spells (IPEC and UNDP are also in their names)."""
    codes, words = set(), set()  # the codes of the codelists, and the words of their names (IPEC, UNDP)
    for codelist in STANDARD.codelists.values():
        if codelist.name == "currencies":
            continue  # USD is what readers write
        for code, item in codelist.by_code.items():
            codes.add(code)
            for names in (item.get("name") or {}, item.get("short_name") or {}):
                words.update(w for text in names.values() for w in re.findall(r"\w+", text))
    return codes - words


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_code_is_shown_where_a_name_exists(paper: Callable[[str, str], Path], lang: str) -> None:
    codes = codes_without_names()
    page = _Text()
    page.feed(paper("html", lang).read_text(encoding="utf-8"))
    shown = " ".join(page.parts)
    found = {token for token in re.findall(r"\b[A-Z][A-Z0-9_]+\b", shown) if token in codes}
    assert found == set()
    assert "RBSA" not in shown and "CSBO" not in shown  # no label of a source that began in 2008
    assert re.search(r"\b1990-Q1\b", shown) is None  # quarters in the reader's words


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_code_is_shown_in_the_workbook_either(paper: Callable[[str, str], Path], lang: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(paper("xlsx", lang))
    shown = " ".join(
        str(cell.value)
        for sheet in book
        for line in sheet.iter_rows()
        for cell in line
        if isinstance(cell.value, str)
    )
    assert {t for t in re.findall(r"\b[A-Z][A-Z0-9_]+\b", shown) if t in codes_without_names()} == set()
    assert re.search(r"\b1990-Q1\b", shown) is None


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("fr", "le principal donateur (Danemark) a contribué à hauteur de 100 pour cent"),
        ("es", "el mayor donante (Dinamarca) aportó el 100 por ciento"),
        ("en", "the largest donor (Denmark) accounted for 100 per cent"),
    ],
)
def test_one_donor_takes_a_singular_verb(lang: str, phrase: str) -> None:
    columns = ["year", "multi_bilateral_usd", "donors", "largest_donors", "largest_donors_pct"]
    kinds = ["year", "usd", "count", "text", "pct"]
    table = {"id": "multi_bilateral_donors", "number": 7,
             "columns": [{"id": c, "kind": k} for c, k in zip(columns, kinds, strict=True)],
             "rows": [[2001, 1e6, 1, "NOR", 100.0], [2002, 2e6, 1, "DAN", 100.0]]}  # fmt: skip
    document = {"empty": False, "range": {"rows": "year", "years": [2001, 2002]}, "tables": [table]}
    (paragraph,) = draft_paper(document, STANDARD, lang)
    assert phrase in paragraph["text"]


def test_only_amounts_zero_in_every_row_are_left_out() -> None:
    from tcstandards.report.editorial import shown_chart, shown_columns

    table = {
        "id": "results_by_programme",
        "columns": [{"id": "programme", "kind": "code"}, {"id": "lines", "kind": "count"},
                    {"id": "on_target", "kind": "count"}, {"id": "on_target_pct", "kind": "pct"},
                    {"id": "ipec_usd", "kind": "usd"}, {"id": "women_jobs_usd", "kind": "usd"}],
        "rows": [["IPEC", 4, 0, 0.0, 0.0, 1.5], ["-", 2, 0, 0.0, 0.0, 0.0]],
        "chart": {"type": "bar", "x": "programme", "series": ["on_target_pct", "ipec_usd"]},
    }  # fmt: skip
    assert shown_columns(table) == [0, 1, 2, 3, 5]  # 0 % on target is news; no IPEC money is not
    assert shown_chart(table)["chart"]["series"] == ["on_target_pct"]
