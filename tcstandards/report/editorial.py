"""The editorial choices of a statistical annex: where a table goes, what it shows, what it is drawn from.

The JSON document keeps every figure; the paper (HTML, XLSX, DOCX) follows
these choices:

* a table of more than :data:`ANNEX_ROWS` rows of codes (countries, offices)
  goes to the annex, numbered A1, A2...; the other tables are numbered 1, 2...
  in the order of the report (Figures 1-3 keep the seed's numbering);
* a column of amounts that is zero (or empty) in every row is not shown, nor
  is its chart series (a programme with no approval in the range); counts and
  shares stay, since none quarantined or 0 % on target is itself the news;
* each table has a source note: the returns and offices behind it and the day
  of the last receipt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ANNEX_ROWS = 20
DROPPED_WHEN_ZERO = ("usd",)


def place(tables: list[dict[str, Any]]) -> None:
    """Number the tables and send the long tables of codes to the annex (in place)."""
    body = annex = 0
    for table in tables:
        x = (table.get("chart") or {}).get("x")
        kinds = {c["id"]: c["kind"] for c in table["columns"]}
        table["annex"] = kinds.get(x) == "code" and len(table["rows"]) > ANNEX_ROWS
        if table["annex"]:
            annex += 1
            table["number"] = f"A{annex}"
        else:
            body += 1
            table["number"] = body


def source_of(submissions: Iterable[Any], periods: list[str]) -> dict[str, Any]:
    """The returns the figures come from: merged versions in force for the range, their offices, and
    the day the last of them was received."""
    wanted = set(periods)
    used = [s for s in submissions if s.current and s.period in wanted]
    received = max((s.received_at for s in used if s.received_at), default=None)
    return {
        "returns": len(used),
        "offices": len({s.office for s in used if s.office}),
        "received_until": received[:10] if received else None,
    }


def shown_columns(table: dict[str, Any]) -> list[int]:
    """The columns a reader sees: every column but those of amounts zero in every row."""
    x = (table.get("chart") or {}).get("x")
    shown = []
    for j, column in enumerate(table["columns"]):
        values = [row[j] for row in table["rows"]]
        if column["kind"] in DROPPED_WHEN_ZERO and column["id"] != x and values and not any(values):
            continue
        shown.append(j)
    return shown


def as_shown(table: dict[str, Any]) -> dict[str, Any]:
    """The table as the paper shows it: its shown columns and their cells, its chart limited to them, no
    chart in the annex. Every format draws its table and its chart from this."""
    shown = shown_columns(table)
    columns = [table["columns"][j] for j in shown]
    rows = [[row[j] for j in shown] for row in table["rows"]]
    chart = {} if table.get("annex") else shown_chart(table).get("chart") or {}
    return {**table, "columns": columns, "rows": rows, "chart": chart}


def shown_chart(table: dict[str, Any]) -> dict[str, Any]:
    """The table with its chart's series limited to the columns shown; no chart when none is left (every
    amount of the range zero)."""
    spec = table.get("chart") or {}
    if not spec:
        return table
    ids = [table["columns"][j]["id"] for j in shown_columns(table)]
    series = [s for s in spec["series"] if s in ids]
    return {**table, "chart": {**spec, "series": series} if series else {}}
