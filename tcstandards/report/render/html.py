"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network, A4 print."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tcstandards.report.editorial import shown_chart, shown_columns
from tcstandards.report.paper_base import notes, words
from tcstandards.report.render.labels import axis, cell, column_label, date, number, quarter, text
from tcstandards.report.render.svg import chart_for

NUMERIC = ("usd", "pct", "count", "number")
WIDE = 6  # tables with more columns than this go under their chart


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tcstandards", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _chart_label(table_id: str, lang: str, key: str) -> str:
    return text(f"table.{key}", lang) if key == table_id else column_label(key, lang)


def _category(table: dict[str, Any], lang: str, value: Any) -> str:
    """A category of a chart (its x column's value) as the table's cell shows it."""
    x = next((c for c in table["columns"] if c["id"] == (table.get("chart") or {}).get("x")), None)
    if x is None or isinstance(value, int):
        return str(value)
    return cell(value, x["kind"], lang, x.get("codelist"))


def empty_notice(report: dict[str, Any], lang: str) -> str:
    """What the paper says when the range has no validated data."""
    if not report.get("empty"):
        return ""
    return text("report.empty-range", lang, **_bounds(report, lang))


def source_note(report: dict[str, Any], lang: str) -> str:
    """Under every table: the returns and offices it is drawn from, and the day of the last receipt."""
    source = report.get("source") or {}
    until = source.get("received_until")
    return words(
        "note.source",
        lang,
        returns=int(source.get("returns") or 0),
        offices=int(source.get("offices") or 0),
        **_bounds(report, lang),
        date=date(dt.date.fromisoformat(until), lang) if until else "-",
    )


def _cells(table: dict[str, Any], shown: list[int], lang: str) -> list[list[dict[str, Any]]]:
    columns = table["columns"]
    return [
        [
            {
                "column": columns[j]["id"],
                "text": cell(row[j], columns[j]["kind"], lang, columns[j].get("codelist")),
                "raw": json.dumps(row[j]),
                "numeric": columns[j]["kind"] in NUMERIC and row[j] is not None,
                "cls": "num" if columns[j]["kind"] in NUMERIC else "",
            }
            for j in shown
        ]
        for row in table["rows"]
    ]


def _chart(table: dict[str, Any], lang: str) -> str:
    return chart_for(
        shown_chart(table),
        functools.partial(_chart_label, table["id"], lang),
        lambda v, kind: number(v, kind, lang),
        functools.partial(_category, table, lang),
        lambda v, kind: axis(v, kind, lang),
        lambda kind: text("report.axis.usd", lang) if kind == "usd" else "%" if kind == "pct" else "",
    )


def _table(report: dict[str, Any], table: dict[str, Any], lang: str, span: str) -> dict[str, Any]:
    """A table as the page shows it: its shown columns, its chart (none in the annex), its notes."""
    shown = shown_columns(table)
    columns = [table["columns"][j] for j in shown]
    word = text("report.table" if table.get("annex") else "report.figure", lang)
    title = text(f"table.{table['id']}", lang)
    return {
        "id": table["id"],
        "heading": f"{word} {table.get('number', '')}. {title} ({span})",
        "columns": [
            {"label": column_label(c["id"], lang), "cls": "num" if c["kind"] in NUMERIC else ""}
            for c in columns
        ],
        "rows": _cells(table, shown, lang),
        "chart": "" if table.get("annex") else _chart(table, lang),
        "wide": len(columns) > WIDE,
        "unit": text("report.unit.usd", lang) + " (USD)" if any(c["kind"] == "usd" for c in columns) else "",
        "notes": [*notes(table["id"], lang), source_note(report, lang)],
    }


def _bounds(report: dict[str, Any], lang: str) -> dict[str, str]:
    """The first and last quarters of the report, as the reader's language writes them."""
    scope = report["range"]
    return {"first": quarter(scope["from"], lang), "last": quarter(scope["to"], lang)}


def _span(report: dict[str, Any], lang: str) -> str:
    """What a table's title says of its years: 1990-1996, or the quarters of a part of a year."""
    scope = report["range"]
    years = scope.get("years") or []
    if scope.get("rows") == "year" and years:
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return "{first} - {last}".format(**_bounds(report, lang))


def render_html(report: dict[str, Any], lang: str) -> str:
    span = _span(report, lang)
    tables = [_table(report, table, lang, span) for table in report["tables"]]
    generated = dt.datetime.strptime(report["generated_at"], "%Y-%m-%dT%H:%M:%SZ").date()
    template = _environment().get_template("report.html.j2")
    return template.render(
        lang=lang,
        version=report["tool_version"],
        title=text("report.title", lang),
        subtitle=text("report.subtitle", lang, **_bounds(report, lang)),
        generated=text(
            "report.generated",
            lang,
            date=date(generated, lang),
            version=report["tool_version"],
            standard=", ".join(report.get("data_standard_versions") or [report["standard_version"]]),
        ),
        paper_title=words("paper.title", lang),
        paragraphs=report.get("paragraphs") or [],
        empty_notice=empty_notice(report, lang),
        tables=[t for t, source in zip(tables, report["tables"], strict=True) if not source.get("annex")],
        annex=[t for t, source in zip(tables, report["tables"], strict=True) if source.get("annex")],
        annex_title=words("paper.annex", lang),
        empty=text("report.empty", lang),
        definitions_title=text("report.definitions", lang),
        definitions=text("report.definitions.text", lang),
    )
