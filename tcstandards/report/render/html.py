"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network, A4 print."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tcstandards.report.editorial import as_shown
from tcstandards.report.paper_base import words
from tcstandards.report.render.labels import NUMERIC, cell, column_label, text
from tcstandards.report.render.page import chart_words, empty_notice, header, heading, span, table_notes
from tcstandards.report.render.svg import WIDE, chart_for


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tcstandards", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _cells(table: dict[str, Any], lang: str) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "column": column["id"],
                "text": cell(value, column["kind"], lang, column.get("codelist")),
                "raw": json.dumps(value),
                "numeric": column["kind"] in NUMERIC and value is not None,
                "cls": "num" if column["kind"] in NUMERIC else "",
            }
            for value, column in zip(row, table["columns"], strict=True)
        ]
        for row in table["rows"]
    ]


def _table(report: dict[str, Any], source: dict[str, Any], lang: str, years: str) -> dict[str, Any]:
    """A table as the page shows it: its shown columns, its chart (none in the annex), its notes."""
    table = as_shown(source)
    columns = table["columns"]
    return {
        "id": table["id"],
        "heading": heading(table, lang, years),
        "columns": [
            {"label": column_label(c["id"], lang), "cls": "num" if c["kind"] in NUMERIC else ""}
            for c in columns
        ],
        "rows": _cells(table, lang),
        "chart": chart_for(table, *chart_words(table, lang)),
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
