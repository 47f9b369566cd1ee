"""What the paper's topics are written with: the figures, the paragraph being drafted, the words.

A paragraph is a few sentences of ``locale/paper.json``, each chosen by the
data: a rise is never written as a fall, "steadily" only when every year
moves the same way, and a sentence is left out when its figures are not
there.  Every number a sentence shows is a cell of one of the report's
tables, rounded as the tables print it (millions with one decimal,
percentages with one decimal), and the paragraph lists those cells in
``cites`` (table, row, column, the exact figure and the number shown), so
that a reader, or a test, can trace each number to its figure.  Years and
figure numbers are words of the sentence, not figures.

:func:`tcstandards.report.paper.draft_paper` runs the topics
(:mod:`.paper_money`, :mod:`.paper_reach`) in order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.lists import format_list

from tcstandards.common.i18n import catalogue, render
from tcstandards.report.render.labels import LOCALES
from tcstandards.standard import Standard


def notes(table_id: str, lang: str) -> list[str]:
    """The notes the paper gives under a table (what its expenditure excludes...), in ``lang``."""
    return [words(key, lang) for key in catalogue("paper")["notes"].get(table_id, [])]


def words(key: str, lang: str, /, **params: Any) -> str:
    """A sentence of the paper's catalogue in ``lang``, numbers and plurals as the language writes them."""
    entry = catalogue("paper")["messages"][key]
    return render(entry.get(lang) or entry["en"], params, lang)


def listed(items: Sequence[str], lang: str) -> str:
    """``A, B and C`` as the language joins a list (CLDR, through Babel)."""
    return str(format_list(list(items), locale=LOCALES.get(lang, "en_GB"))) if items else ""


def rounded(value: float, places: int) -> float:
    """The number as the report's tables print it (half to even, as Babel rounds)."""
    exponent = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Cite:
    """A number of the text and the figure it shows: ``table``'s cell at (``row``, ``column``)."""

    table: str
    row: Any  # the value of the row's first column (a year, a code, a quarter)
    column: str
    value: Any  # the exact figure of the JSON document
    shown: float  # the number as the sentence writes it

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "shown": self.shown,
        }


class Figures:
    """The report's tables, read by row key and column."""

    def __init__(self, report: dict[str, Any], standard: Standard, lang: str) -> None:
        self.report = report
        self.standard = standard
        self.lang = lang
        self.tables = {t["id"]: t for t in report["tables"]}
        self.yearly = report["range"].get("rows") == "year"  # a row per year; else a row per quarter

    def has(self, table: str) -> bool:
        return bool(self.tables.get(table, {}).get("rows"))

    def keys(self, table: str) -> list[Any]:
        return [row[0] for row in self.tables[table]["rows"]]

    def column(self, table: str, column: str) -> list[Any]:
        t = self.tables[table]
        j = [c["id"] for c in t["columns"]].index(column)
        return [row[j] for row in t["rows"]]

    def series(self, table: str, column: str) -> tuple[list[Any], list[Any]]:
        """A column's keys and values from the first row with a value on: a programme that began in 1992
        is described from 1992, not as rising from nothing (empty when no row has a value)."""
        keys, values = self.keys(table), self.column(table, column)
        begun = next((n for n, value in enumerate(values) if value), len(values))
        return keys[begun:], values[begun:]

    def has_column(self, table: str, column: str) -> bool:
        return self.has(table) and column in [c["id"] for c in self.tables[table]["columns"]]

    def cell(self, table: str, key: Any, column: str) -> Any:
        return dict(zip(self.keys(table), self.column(table, column), strict=True)).get(key)

    def number(self, table: str) -> str:
        """The figure number of a table (its place in the report)."""
        return str(self.tables[table]["number"])

    def name(self, codelist: str, code: str) -> str:
        return self.standard.codelist(codelist).name_of(code, self.lang)


@dataclass
class Draft:
    """One paragraph being written: its sentences and the figures they cite."""

    figures: Figures
    topic: str
    sentences: list[str] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)
    cited_tables: list[str] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.figures.lang

    def _cite(self, table: str, key: Any, column: str, shown: Callable[[Any], float]) -> float:
        """The number a sentence shows of a cell, listed with the cell in ``cites``."""
        value = self.figures.cell(table, key, column)
        self.cites.append(Cite(table, key, column, value, shown(value)))
        return self.cites[-1].shown

    def millions(self, table: str, key: Any, column: str) -> float:
        """An amount in USD, as millions with one decimal."""
        return self._cite(table, key, column, lambda value: rounded(value / 1e6, 1))

    def share(self, table: str, key: Any, column: str) -> float:
        """A percentage with one decimal."""
        return self._cite(table, key, column, lambda value: rounded(value, 1))

    def change(
        self, table: str, column: str, first: Any, last: Any, *, shares: bool = False
    ) -> dict[str, Any]:
        """A sentence's figures of a change from one row to another: ``first``, ``first_year``, ``last``,
        ``last_year`` (amounts in millions, or ``shares``)."""
        cite = self.share if shares else self.millions
        return {
            "first": cite(table, first, column),
            "first_year": str(first),
            "last": cite(table, last, column),
            "last_year": str(last),
        }

    def count(self, table: str, key: Any, column: str) -> int:
        return int(self._cite(table, key, column, int))

    def see(self, table: str) -> str:
        if table not in self.cited_tables:
            self.cited_tables.append(table)
        return words("paper.see", self.lang, figure=self.figures.number(table))

    def say(self, key: str, **params: Any) -> None:
        self.sentences.append(words(key, self.lang, **params))

    def as_dict(self, number: int) -> dict[str, Any]:
        return {
            "number": number,
            "topic": self.topic,
            "text": " ".join(self.sentences),
            "figures": list(self.cited_tables),
            "cites": [c.as_dict() for c in self.cites],
        }


Topic = Callable[[Figures], Draft | None]


# --- what topics ask of the data and of the language ----------------------------------------


def yearly(f: Figures, table: str) -> bool:
    return f.has(table) and f.yearly


def monotonic(values: Sequence[float], rising: bool) -> bool:
    pairs = list(itertools.pairwise(values))
    return all(b > a for a, b in pairs) if rising else all(b < a for a, b in pairs)


def trailing(keys: Sequence[Any], values: Sequence[Any]) -> list[Any]:
    """The last keys whose value is the last value (``1995 and 1996`` when both are 114 million)."""
    same = [keys[-1]]
    for key, value in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
        if value != values[-1]:
            break
        same.insert(0, key)
    return same


def years_text(years: Sequence[Any], lang: str) -> str:
    return listed([str(y) for y in years], lang)


def quarter_text(period: str, lang: str) -> str:
    return words("paper.quarter", lang, quarter=int(period[-1]), year=period[:4])


def in_sentence(name: str) -> str:
    """A name inside a sentence: ``Trust funds`` -> ``trust funds``; acronyms (``UNDP``) as they are."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def direction(first: float, last: float) -> str:
    return "rose" if last > first else "fell" if last < first else "same"
