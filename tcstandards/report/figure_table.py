"""A table of the report: typed columns, rows of plain values, the chart drawn from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TOTAL = "TOTAL"  # the key of a table's row of totals (the pipeline's success rate)
NO_CODE = "-"  # the key of the row of records without a code (results of projects in no programme)


@dataclass(frozen=True)
class FigureTable:
    """One table of the report: typed columns, rows of plain values, and the chart drawn from it."""

    id: str
    columns: tuple[tuple[str, str], ...]  # (column id, kind: year|period|text|code|usd|pct|count|rate)
    rows: tuple[tuple[Any, ...], ...]
    chart: dict[str, Any] = field(default_factory=dict)  # {"type": bar|stacked|stacked_pct, "x", "series"}
    codelists: Mapping[str, str] = field(default_factory=dict)  # column -> the codelist naming its codes

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "columns": [
                {"id": c, "kind": k, **({"codelist": self.codelists[c]} if c in self.codelists else {})}
                for c, k in self.columns
            ],
            "rows": [list(r) for r in self.rows],
            "chart": self.chart,
        }

    def column(self, name: str) -> list[Any]:
        index = [c for c, _ in self.columns].index(name)
        return [row[index] for row in self.rows]


def usd(value: float) -> float:
    return round(float(value), 2)


def pct(part: float, whole: float) -> float | None:
    return round(100 * float(part) / float(whole), 2) if whole else None


def codelist_of(standard: Any, role: str) -> str:
    """The codelist of the field of a role (``region`` -> ``ilo_regions``): the names of a column's codes."""
    name = getattr(standard.roles, role)
    for record in (standard.cover, *standard.record_types.values()):
        if name in record.field_names and record.field(name).codelist:
            return str(record.field(name).codelist)
    raise KeyError(role)
