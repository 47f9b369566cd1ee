"""Words and numbers of the report in the reader's language (Babel for numbers and dates)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from tcstandards.common.i18n import catalogue, render
from tcstandards.report.figure_table import NO_CODE, TOTAL
from tcstandards.standard import newest_standard

LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}
NAMED = (
    "ilo_regions",
    "global_programmes",
    "partner_types",
    "indicators",
    "indicator_units",
    "offices",
    "report_groups",
)


NUMERIC = ("usd", "pct", "count", "number")  # the column kinds of figures (the others are words)


def text(key: str, lang: str, /, **params: Any) -> str:
    entry = catalogue("report")["messages"].get(key)
    if entry is None:
        return key
    return render(entry.get(lang) or entry["en"], params)


@functools.cache
def _names(lang: str) -> dict[str, str]:
    standard = newest_standard()  # the store's version, in which the report's codes are
    names: dict[str, str] = {}
    for codelist in NAMED:
        for code in standard.codelist(codelist).by_code:
            names.setdefault(code, _listed_name(codelist, code, lang))
    return names


@functools.cache
def _listed_name(codelist: str, code: str, lang: str) -> str:
    """A code's name in a table or a chart: the codelist's short name, else its name; a country by its
    CLDR name (Babel), as the reader's language writes it."""
    entries = newest_standard().codelist(codelist)
    item = entries.by_code.get(code)
    if item is None:
        return code
    alpha2 = item.get("alpha2")
    if alpha2:
        territories = Locale.parse(LOCALES.get(lang, "en_GB")).territories
        if alpha2 in territories:
            return str(territories[alpha2])
    short = item.get("short_name") or {}
    return str(short.get(lang) or short.get("en") or entries.name_of(code, lang))


def name(code: Any, lang: str, codelist: str | None = None) -> str:
    """A code as the reader knows it (AFRICA -> Afrique, SEN -> Sénégal, TOTAL -> Total); ``codelist``:
    the list the code belongs to, when the column says so. Other values as they are."""
    if code is None:
        return text("report.none", lang)
    if code == TOTAL:
        return text("report.total", lang)
    if code == NO_CODE:
        return text("report.no-code", lang)
    if codelist is not None:
        return _listed_name(codelist, str(code), lang)
    return _names(lang).get(str(code), str(code))


def quarter(period: str, lang: str) -> str:
    """``1990-Q1`` as the reader's language writes a quarter in a table: Q1 1990, T1 1990."""
    if len(period) != 7 or period[4:6] != "-Q":
        return period
    return text("report.quarter", lang, quarter=period[-1], year=period[:4])


def column_label(column: str, lang: str) -> str:
    """``expenditure_usd`` -> Expenditure; ``africa_pct`` -> Afrique %; ``ipec_usd`` -> IPEC name."""
    label = text(f"column.{column}", lang)
    if label != f"column.{column}":
        return label
    stem, _, kind = column.rpartition("_")
    code = stem.upper()
    groups = newest_standard().codelist("report_groups")
    if stem == "un_system":  # the groups whose combined share the paper gives: UNDP + UNFPA
        return " + ".join(_names(lang)[g] for g in groups.having("un_system")) + " %"
    if code in _names(lang):
        return _names(lang)[code] + (" %" if kind == "pct" else "")
    return column


def axis(value: float, kind: str, lang: str) -> str:
    """A tick of a chart's value axis: as the cells, with no needless decimals."""
    locale = LOCALES.get(lang, "en_GB")
    if kind == "usd":
        return str(format_decimal(value / 1_000_000, "#,##0.#", locale=locale))
    return str(format_decimal(value, "#,##0.##", locale=locale))


def number(value: Any, kind: str, lang: str) -> str:
    """A figure as printed in a table cell: USD in millions, one decimal; % with one decimal."""
    if value is None:
        return "-"
    locale = LOCALES.get(lang, "en_GB")
    if kind == "usd":
        return str(format_decimal(float(value) / 1_000_000, "#,##0.0", locale=locale))
    if kind == "pct":
        return str(format_decimal(float(value), "#,##0.0", locale=locale))
    if kind == "count":
        return str(format_decimal(int(value), "#,##0", locale=locale))
    if kind == "number":
        return str(format_decimal(float(value), "#,##0.##", locale=locale))
    return str(value)


def cell(value: Any, kind: str, lang: str, codelist: str | None = None) -> str:
    """A cell as the reader sees it: numbers in the language, codes by name, quarters in words."""
    if kind in NUMERIC:
        return number(value, kind, lang)
    if kind == "code":
        return name(value, lang, codelist)
    if value is None:
        return "-"
    if kind == "period":
        return quarter(str(value), lang)
    if kind == "text" and codelist is not None:  # a list of codes, largest first
        return ", ".join(name(code, lang, codelist) for code in str(value).split(", ") if code)
    return str(value)


def date(moment: dt.date, lang: str) -> str:
    return str(format_date(moment, format="long", locale=LOCALES.get(lang, "en_GB")))
