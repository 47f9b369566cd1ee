"""Hand-made sheet layouts, met before the header is matched: a title above the header, totals below.

Offices often put a title line ("Projects of Dakar, 1997") above the header,
or a totals row under the data.  Neither is part of a return, and read as
they stand they would bury the one real problem under a finding per column or
per cell.  So the header is looked for in the first lines, and trailing
totals rows are set aside; each gets one warning that says what was done.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from tcstandards.reading.base import Grid
from tcstandards.reading.grid import cell_text
from tcstandards.standard import RecordType, normalize_label
from tcstandards.standard.rule_ids import HEADER_BELOW_TITLE, TOTALS_ROW

Change = tuple[str, dict[str, Any], int]  # rule, message parameters, row

SEARCH_ROWS = 10  # how far below the first line a header is looked for
TOTAL = re.compile(
    r"^\s*(?:grand[\s-]*|sub[\s-]*|sous[\s-]*)?total(?:e|es|s|ux)?\b(?:\s+g[ée]n[ée]ral)?", re.IGNORECASE
)


def tidy(record: RecordType, grid: Grid) -> tuple[Grid, list[Change]]:
    """The grid with its real header and without trailing totals rows, and a warning for each change."""
    if grid.place.kind == "json":
        return grid, []
    hits: list[Change] = []
    grid, moved = _header_below_title(record, grid)
    if moved is not None:
        hits.append(moved)
    grid, totals = _trailing_totals(record, grid)
    return grid, hits + totals


def _matches(record: RecordType, texts: list[Any]) -> int:
    index = record.header_index
    return sum(1 for t in texts if isinstance(t, str) and t.strip() and normalize_label(t) in index)


def _header_below_title(record: RecordType, grid: Grid) -> tuple[Grid, Change | None]:
    if _matches(record, list(grid.header)) or not grid.size:
        return grid, None
    for i in range(min(SEARCH_ROWS, grid.size)):
        row = [column[i] for column in grid.columns]
        if _matches(record, row) >= 2:
            title = next((t for t in grid.header if t), "")
            header = [cell_text(v) for v in row]
            moved = dataclasses.replace(
                grid,
                header=header,
                header_row=grid.rows[i],
                columns=[column[i + 1 :] for column in grid.columns],
                rows=grid.rows[i + 1 :],
            )
            params = {"row": grid.rows[i], "title": title}
            return moved, (HEADER_BELOW_TITLE, params, grid.rows[i])
    return grid, None


def _trailing_totals(record: RecordType, grid: Grid) -> tuple[Grid, list[Change]]:
    index = record.header_index
    key_columns = [j for j, text in enumerate(grid.header) if index.get(normalize_label(text)) in record.key]
    keep = grid.size
    labels: list[tuple[int, str]] = []
    while keep > 0:
        first = [grid.columns[j][keep - 1] for j in range(min(3, len(grid.columns)))]
        label = next((v for v in first if isinstance(v, str) and TOTAL.match(v)), None)
        keys = [grid.columns[j][keep - 1] for j in key_columns]
        if label is None or any(k not in ("", None, label) for k in keys):
            break
        keep -= 1
        labels.append((grid.rows[keep], label.strip()))
    if keep == grid.size:
        return grid, []
    trimmed = dataclasses.replace(grid, columns=[c[:keep] for c in grid.columns], rows=grid.rows[:keep])
    hits: list[Change] = [(TOTALS_ROW, {"label": label}, row) for row, label in reversed(labels)]
    return trimmed, hits
