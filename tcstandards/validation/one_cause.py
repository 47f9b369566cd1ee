"""One mistake, one finding: a value that fails its field check is not reported again by the rules
that read it.

"T4 1997" in a Finance period is a ``pattern`` error; ``period-mismatch``
would only repeat it. Donor "XYZ" is a ``codelist`` error; ``donor-suffix``
would only repeat it. So the catalogue's rules (expressions and rules in
code) say nothing about a record whose field they read failed its type or a
field check: the first finding says it all, and fixing it may clear the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from tcstandards.standard import Rule, Standard
from tcstandards.standard.expressions import fields_read
from tcstandards.standard.rule_ids import CODELIST, EMAIL, LENGTH, PATTERN, RANGE
from tcstandards.validation.tables import Hits, Table, taken

FIELD_CHECKS = frozenset(
    {PATTERN, CODELIST, LENGTH, RANGE, EMAIL}
)  # a value that is not what its field takes


def one_cause(hits: Sequence[Hits], tables: Iterable[Table], standard: Standard) -> list[Hits]:
    """``hits`` without the catalogue rules' hits on records whose fields they read already failed."""
    failed: dict[tuple[str, str], set[int]] = {}
    for table in tables:  # values that failed their type
        for field, positions in table.failed.items():
            failed.setdefault((table.name, field), set()).update(int(p) for p in positions)
    for h in hits:
        if h.rule in FIELD_CHECKS and h.field:
            failed.setdefault((h.table, h.field), set()).update(int(p) for p in h.positions)
    if not failed:
        return list(hits)
    by_name = {table.name: table for table in tables}
    mistyped = _mistyped_projects(by_name, failed, standard)
    kept = []
    for h in hits:
        rule = standard.rules.get(h.rule)
        bad = _failed_read(rule, h.table, failed) if rule is not None and rule.kind != "engine" else set()
        if rule is not None and rule.kind != "engine" and mistyped and h.table in by_name:
            bad |= _lines_of(by_name[h.table], mistyped, standard)
        if not bad:
            kept.append(h)
            continue
        chosen = np.flatnonzero(~np.isin(h.positions, sorted(bad)))
        if len(chosen):
            kept.append(h if len(chosen) == len(h.positions) else taken(h, chosen))
    return kept


def _mistyped_projects(
    tables: dict[str, Table], failed: dict[tuple[str, str], set[int]], standard: Standard
) -> set[str]:
    """The project codes of this return's register whose value failed its field check, written without
    separators (``RAF-96-M05-DAN`` -> ``RAF96M05DAN``): the lines of such a project say nothing more."""
    code = standard.roles.project
    projects = tables.get("projects")
    rows = failed.get(("projects", code), set())
    if projects is None or not rows or not projects.has(code):
        return set()
    values = projects.col(code)
    return {_plain(values.iloc[r]) for r in rows if r < len(values) and isinstance(values.iloc[r], str)}


def _lines_of(table: Table, mistyped: set[str], standard: Standard) -> set[int]:
    code = standard.roles.project
    if table.name == "projects" or not table.has(code):
        return set()
    values = table.col(code)
    return {i for i, v in enumerate(values) if isinstance(v, str) and _plain(v) in mistyped}


def _plain(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _failed_read(rule: Rule, table: str, failed: dict[tuple[str, str], set[int]]) -> set[int]:
    read = {*rule.fields, *rule.roles.values(), *fields_read(list(rule.expression.values()))}
    found: set[int] = set()
    for field in read:
        found |= failed.get((table, field), set())
    return found


__all__ = ["FIELD_CHECKS", "one_cause"]
