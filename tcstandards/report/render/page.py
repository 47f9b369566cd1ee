"""What every format of the paper shows alike: headings, notes, the header lines, the chart's words.

HTML (:mod:`.html`) and Word (:mod:`.docx`) lay these out each in its own way.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from tcstandards.report.paper_base import notes, words
from tcstandards.report.render.labels import axis, cell, column_label, date, name, number, quarter, text


def chart_label(table_id: str, lang: str, key: str) -> str:
    return text(f"table.{key}", lang) if key == table_id else column_label(key, lang)


def category(table: dict[str, Any], lang: str, value: Any) -> str:
    """A category of a chart (its x column's value) as the table's cell shows it."""
    x = next((c for c in table["columns"] if c["id"] == (table.get("chart") or {}).get("x")), None)
    if x is None:
        return str(value)
    return cell(value, x["kind"], lang, x.get("codelist"))


def empty_notice(report: dict[str, Any], lang: str) -> str:
    """What the paper says when the range has no validated data."""
    if not report.get("empty"):
        return ""
    return text("report.empty-range", lang, **bounds(report, lang))


def source_note(report: dict[str, Any], lang: str) -> str:
    """Under every table: the returns and offices it is drawn from, and the day of the last receipt."""
    source = report.get("source") or {}
    until = source.get("received_until")
    return words(
        "note.source",
        lang,
        returns=int(source.get("returns") or 0),
        offices=int(source.get("offices") or 0),
        **bounds(report, lang),
        date=date(dt.date.fromisoformat(until), lang) if until else "-",
    )


def bounds(report: dict[str, Any], lang: str) -> dict[str, str]:
    """The first and last quarters of the report, as the reader's language writes them."""
    scope = report["range"]
    return {"first": quarter(scope["from"], lang), "last": quarter(scope["to"], lang)}


def span(report: dict[str, Any], lang: str) -> str:
    """What a table's title says of its years: 1990-1996, or the quarters of a part of a year."""
    scope = report["range"]
    years = scope.get("years") or []
    if scope.get("rows") == "year" and years:
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return "{first} - {last}".format(**bounds(report, lang))


def heading(table: dict[str, Any], lang: str, years: str) -> str:
    """``Figure 1. Expenditure of the ILO on ... (1990-1996)``; ``Table A1. ...`` in the annex."""
    word = text("report.table" if table.get("annex") else "report.figure", lang)
    return f"{word} {table.get('number', '')}. {text('table.' + table['id'], lang)} ({years})"


def table_notes(report: dict[str, Any], table: dict[str, Any], lang: str) -> list[str]:
    """The notes under a table: what its figures exclude, then its source."""
    return [*notes(table["id"], lang), source_note(report, lang)]


def header(report: dict[str, Any], lang: str) -> dict[str, str]:
    """The paper's title, the scope of a view (empty for the whole paper), the subtitle and the line that
    says when and from which standard it was made."""
    generated = dt.datetime.strptime(report["generated_at"], "%Y-%m-%dT%H:%M:%SZ").date()
    view = report.get("view")
    title, scope = text("report.title", lang), ""
    if view:  # one donor's, country's or programme's paper
        title = text("report.title.view", lang, name=name(view["code"], lang, view["codelist"]))
        scope = text(f"report.view.{view['role']}", lang, code=view["code"])
    return {
        "title": title,
        "scope": scope,
        "subtitle": text("report.subtitle", lang, **bounds(report, lang)),
        "generated": text(
            "report.generated" if report.get("data_standard_versions") else "report.generated.no-data",
            lang,
            date=date(generated, lang),
            version=report["tool_version"],
            standard=", ".join(report.get("data_standard_versions") or []),  # the data's, not the tool's
        ),
    }


def chart_words(table: dict[str, Any], lang: str) -> tuple[Any, ...]:
    """The callbacks a chart is drawn with (:func:`.svg.chart_for`, :func:`.svg.chart_png`): labels,
    values, categories, axis ticks and units in the reader's language."""
    return (
        functools.partial(chart_label, table["id"], lang),
        lambda v, kind: number(v, kind, lang),
        functools.partial(category, table, lang),
        lambda v, kind: axis(v, kind, lang),
        lambda kind: text("report.axis.usd", lang) if kind == "usd" else "%" if kind == "pct" else "",
    )
