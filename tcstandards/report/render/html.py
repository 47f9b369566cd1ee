"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network, A4 print."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tcstandards.report.editorial import shown_chart, shown_columns
from tcstandards.report.paper_base import words
from tcstandards.report.render.labels import cell, column_label, text
from tcstandards.report.render.page import chart_words, empty_notice, header, heading, span, table_notes
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
    return chart_for(shown_chart(table), *chart_words(table, lang))


def _table(report: dict[str, Any], table: dict[str, Any], lang: str, years: str) -> dict[str, Any]:
    """A table as the page shows it: its shown columns, its chart (none in the annex), its notes."""
    shown = shown_columns(table)
    columns = [table["columns"][j] for j in shown]
    return {
        "id": table["id"],
        "heading": heading(table, lang, years),
        "columns": [
            {"label": column_label(c["id"], lang), "cls": "num" if c["kind"] in NUMERIC else ""}
            for c in columns
        ],
        "rows": _cells(table, shown, lang),
        "chart": "" if table.get("annex") else _chart(table, lang),
        "wide": len(columns) > WIDE,
        "unit": text("report.unit.usd", lang) + " (USD)" if any(c["kind"] == "usd" for c in columns) else "",
        "notes": table_notes(report, table, lang),
    }


def render_html(report: dict[str, Any], lang: str) -> str:
    years = span(report, lang)
    sources = [] if report.get("empty") else report["tables"]  # an empty range: the notice says it all
    tables = [_table(report, table, lang, years) for table in sources]
    template = _environment().get_template("report.html.j2")
    return template.render(
        lang=lang,
        version=report["tool_version"],
        **header(report, lang),
        paper_title=words("paper.title", lang),
        paragraphs=report.get("paragraphs") or [],
        empty_notice=empty_notice(report, lang),
        tables=[t for t, source in zip(tables, sources, strict=True) if not source.get("annex")],
        annex=[t for t, source in zip(tables, sources, strict=True) if source.get("annex")],
        annex_title=words("paper.annex", lang),
        empty=text("report.empty", lang),
        definitions_title=text("report.definitions", lang),
        definitions=text("report.definitions.text", lang),
    )
