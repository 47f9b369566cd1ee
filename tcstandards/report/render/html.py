"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network, A4 print."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tcstandards.report.paper_base import words
from tcstandards.report.render.labels import axis, cell, column_label, date, name, number, text
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


def empty_notice(report: dict[str, Any], lang: str) -> str:
    """What the paper says when the range has no validated data."""
    if not report.get("empty"):
        return ""
    return text("report.empty-range", lang, first=report["range"]["from"], last=report["range"]["to"])


def render_html(report: dict[str, Any], lang: str) -> str:
    tables = []
    for table in report["tables"]:
        columns = table["columns"]
        kinds = [c["kind"] for c in columns]
        rows = [
            [
                {
                    "column": c["id"],
                    "text": cell(value, c["kind"], lang),
                    "raw": json.dumps(value),
                    "numeric": c["kind"] in NUMERIC and value is not None,
                    "cls": "num" if c["kind"] in NUMERIC else "",
                }
                for value, c in zip(row, columns, strict=True)
            ]
            for row in table["rows"]
        ]
        chart = chart_for(
            table,
            functools.partial(_chart_label, table["id"], lang),
            lambda v, kind: number(v, kind, lang),
            lambda v: name(v, lang) if not isinstance(v, int) else str(v),
            lambda v, kind: axis(v, kind, lang),
            lambda kind: text("report.axis.usd", lang) if kind == "usd" else "%" if kind == "pct" else "",
        )
        tables.append(
            {
                "id": table["id"],
                "title": text(f"table.{table['id']}", lang),
                "columns": [
                    {"label": column_label(c["id"], lang), "cls": "num" if c["kind"] in NUMERIC else ""}
                    for c in columns
                ],
                "rows": rows,
                "chart": chart,
                "wide": len(columns) > WIDE,
                "unit": text("report.unit.usd", lang) + " (USD)" if "usd" in kinds else "",
            }
        )
    generated = dt.datetime.strptime(report["generated_at"], "%Y-%m-%dT%H:%M:%SZ").date()
    template = _environment().get_template("report.html.j2")
    return template.render(
        lang=lang,
        version=report["tool_version"],
        title=text("report.title", lang),
        subtitle=text("report.subtitle", lang, first=report["range"]["from"], last=report["range"]["to"]),
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
        tables=tables,
        empty=text("report.empty", lang),
        definitions_title=text("report.definitions", lang),
        definitions=text("report.definitions.text", lang),
    )
