"""Field checks: a pandera DataFrameSchema built from the standard, plus the
conditional requirements, code spelling and unique keys.

Everything here is generic: what a field must look like comes from its JSON
Schema property (pattern, codelist, length, bounds, required); no field name
appears in this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from tcstandards.common.errors import StandardError
from tcstandards.standard import Codelist, Condition, Field, RecordType, Standard
from tcstandards.standard.rule_ids import (
    CODE_CASE,
    CODE_WITHDRAWN,
    CODELIST,
    DUPLICATE_KEY,
    LENGTH,
    PATTERN,
    RANGE,
    REQUIRED,
    REQUIRED_IF,
    REQUIRED_UNLESS,
    REQUIRED_WITH,
)
from tcstandards.validation.tables import Hits, Table

NOT_NULLABLE = "not_nullable"  # pandera's name for an empty value in a column that may not have one
CONDITION_RULES = {"if": REQUIRED_IF, "unless": REQUIRED_UNLESS, "with": REQUIRED_WITH}


def _bound(f: Field) -> str:
    parts = []
    if f.exclusive_minimum is not None:
        parts.append(f"> {_num(f.exclusive_minimum)}")
    if f.minimum is not None:
        parts.append(f">= {_num(f.minimum)}")
    if f.upper_bound is not None:
        parts.append(f"<= {_num(f.upper_bound)}")
    return " and ".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def run_pandera(standard: Standard, table: Table) -> Iterator[Hits]:
    """The record type's field checks, as one lazy pandera validation; one Hits per (field, rule).

    The schema is the public one of :meth:`Standard.pandera_schema` without its
    row rules (the engine evaluates those with the rest of the catalogue).
    """
    import pandera.errors

    if table.frame.empty and len(table.frame.columns) == 0:
        return
    schema = standard.pandera_schema(table.name, row_rules=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schema.validate(table.frame, lazy=True)
        return
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    whole = cases[cases["index"].isna()]
    if len(whole):  # a column's type or a check that failed to run: the typing step let it through
        first = whole.iloc[0]
        raise StandardError(
            f"the {table.name} checks could not run on column {first['column']!r}: "
            f"{first['check']} ({first['failure_case']})"
        )
    cases = cases[cases["column"].notna()]
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        rule = REQUIRED if check == NOT_NULLABLE else str(check)
        positions = np.unique(group["index"].astype(int).to_numpy())
        yield _field_hits(table, rule, str(column), positions, standard)


def _conditions(standard: Standard, table: Table) -> Iterator[Hits]:
    return conditional_requirements(table.record, table)


def _duplicates(standard: Standard, table: Table) -> Iterator[Hits]:
    return duplicate_keys(table)


TableCheck = Callable[[Standard, Table], Iterator[Hits]]


def _field_hits(table: Table, rule: str, name: str, positions: np.ndarray, standard: Standard) -> Hits:
    f = table.record.field(name)
    params: dict[str, object] = {}
    if rule == PATTERN:
        params["example"] = f.example
    elif rule == CODELIST and f.codelist:
        params["codelist"] = f.codelist
        codelist = standard.codelist(f.codelist)
        values = table.frame[name].iloc[positions].astype(str).tolist()
        nearest = {v: ", ".join(nearest_codes(v, codelist)) for v in set(values)}  # once per distinct value
        params["nearest"] = [nearest[v] for v in values]
    elif rule == LENGTH:
        params["min"] = f.min_length if f.min_length is not None else 0
        params["max"] = f.max_length if f.max_length is not None else "∞"
        params["length"] = table.frame[name].iloc[positions].str.len().astype(int).tolist()
    elif rule == RANGE:
        params["bound"] = _bound(f)
    return Hits(rule, table.name, positions, name, params)


def nearest_codes(value: str, codelist: Codelist, most: int = 3) -> list[str]:
    """The codes nearest to ``value`` by spelling, then those whose name in any language is near it."""
    import difflib

    text = value.strip()
    found = difflib.get_close_matches(text.upper(), sorted(codelist.codes), n=most, cutoff=0.6)
    names = codelist.by_name
    for name in difflib.get_close_matches(text.casefold(), list(names), n=most, cutoff=0.6):
        if names[name] not in found:
            found.append(names[name])
    return found[:most]


def normalize_codes(standard: Standard, table: Table) -> Iterator[Hits]:
    """Codes written in small letters are read in capitals, with a warning.

    Withdrawn codes (countries such as YUG) are valid but warned about.
    """
    for f in table.record.fields:
        if not f.codelist or f.name not in table.frame:
            continue
        codelist = standard.codelist(f.codelist)
        s = table.frame[f.name]
        miss = s.notna() & ~s.isin(codelist.codes)
        if miss.any():
            upper = s[miss].str.upper()
            fixable = upper.isin(codelist.codes) & (upper != s[miss])
            if fixable.any():
                where = fixable[fixable].index
                yield Hits(CODE_CASE, table.name, where.to_numpy(), f.name, {"code": upper[fixable].tolist()})
                table.frame.loc[where, f.name] = upper[fixable]
        withdrawn = codelist.attribute("withdrawn_on")
        if withdrawn:
            hit = table.frame[f.name].isin([c for c, w in codelist.attribute("withdrawn").items() if w])
            if hit.any():
                positions = np.flatnonzero(hit.to_numpy())
                dates = table.frame[f.name][hit].map(withdrawn).astype(str).tolist()
                yield Hits(CODE_WITHDRAWN, table.name, positions, f.name, {"date": dates})


def missing(table: Table, name: str) -> pd.Series:
    """Cells of ``name`` that are empty (not those that failed their type)."""
    s = table.col(name)
    empty = s.isna()
    failed = table.failed.get(name)
    if failed is not None and len(failed):
        empty = empty.copy()
        empty.iloc[failed] = False
    return empty


def conditional_requirements(record: RecordType, table: Table) -> Iterator[Hits]:
    for cond in record.conditions:
        if not table.has(cond.other) and cond.kind != "unless":
            continue
        other = table.col(cond.other)
        applies = _applies(cond, other)
        for name in cond.fields:
            hit = applies & missing(table, name)
            if not table.has(name) and record.field(name).required:
                continue  # reported once as column-missing
            if hit.any():
                rule = CONDITION_RULES[cond.kind]
                params = {"other": cond.other, "values": " / ".join(cond.values)}
                yield Hits(rule, table.name, np.flatnonzero(hit.to_numpy()), name, params)


def _applies(cond: Condition, other: pd.Series) -> pd.Series:
    if cond.kind == "with":
        return other.notna()
    inside = other.isin(cond.values)
    if cond.kind == "if":
        return inside
    return ~inside & other.notna()


def duplicate_keys(table: Table) -> Iterator[Hits]:
    key = [k for k in table.record.key if table.has(k)]
    if not key or len(key) != len(table.record.key) or not len(table):
        return
    frame = table.frame[key]
    usable = frame[table.record.key[0]].notna()
    dup = frame.duplicated(keep="first") & usable
    if not dup.any():
        return
    # one text label per record (an empty cell reads as ""): robust to missing parts of a key
    rows = frame.itertuples(index=False)
    labels_all = [" / ".join("" if pd.isna(v) else str(v) for v in row) for row in rows]
    first_of: dict[str, int] = {}
    for position, (label, ok) in enumerate(zip(labels_all, usable.to_numpy(), strict=True)):
        if ok:
            first_of.setdefault(label, position)
    positions = np.flatnonzero(dup.to_numpy())
    labels = [labels_all[p] for p in positions]
    firsts = [first_of.get(label, int(p)) for label, p in zip(labels, positions, strict=True)]
    yield Hits(
        DUPLICATE_KEY,
        table.name,
        positions,
        key[0],
        {"key": labels, "first_position": firsts},
    )


# The checks of each table, in the order their findings come: codes first (they capitalise codes in
# place, before the other checks read them), then the pandera schema, conditions and unique keys.
TABLE_CHECKS: dict[str, TableCheck] = {
    "codes": normalize_codes,
    "pandera": run_pandera,
    "conditions": _conditions,
    "duplicates": _duplicates,
}
