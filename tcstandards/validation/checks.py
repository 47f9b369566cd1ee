"""Field checks: a pandera DataFrameSchema built from the standard, plus the
conditional requirements, code spelling and unique keys.

Everything here is generic: what a field must look like comes from its JSON
Schema property (pattern, codelist, length, bounds, required); no field name
appears in this module.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from tcstandards.standard import Condition, Field, RecordType, Standard
from tcstandards.validation.tables import Hits, Table

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
NOT_NULLABLE = "not_nullable"


def _bound(f: Field) -> str:
    parts = []
    if f.exclusive_minimum is not None:
        parts.append(f"> {_num(f.exclusive_minimum)}")
    if f.minimum is not None:
        parts.append(f">= {_num(f.minimum)}")
    upper = f.maximum if f.maximum is not None else (100 if f.type == "pct" else None)
    if upper is not None:
        parts.append(f"<= {_num(upper)}")
    return " and ".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


_SCHEMAS: dict[tuple[str, str], Any] = {}
# (version, record, field) -> the catalogue rule of each check, in order (pandera's check_number)
_CHECK_RULES: dict[tuple[str, str, str], list[str]] = {}


def pandera_schema(standard: Standard, record_name: str) -> Any:
    """The pandera DataFrameSchema of one record type, built from its JSON Schema.

    Checks are named after the catalogue rule they report as.  Built once per
    version and record type.
    """
    key = (standard.version, record_name)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = _build_schema(standard, record_name)
    return _SCHEMAS[key]


def _build_schema(standard: Standard, record_name: str) -> Any:
    import pandera.pandas as pa

    record = standard.cover if record_name == standard.cover.name else standard.record_types[record_name]
    columns = {}
    for f in record.fields:
        checks = []
        if f.pattern:
            checks.append(pa.Check.str_matches(f.pattern, name="pattern"))
        if f.email:
            checks.append(pa.Check.str_matches(EMAIL_PATTERN, name="email"))
        if f.codelist:
            codes = sorted(standard.codelist(f.codelist).codes)
            checks.append(pa.Check.isin(codes, name="codelist"))
        if f.min_length is not None or f.max_length is not None:
            checks.append(pa.Check.str_length(f.min_length, f.max_length, name="length"))
        if f.exclusive_minimum is not None:
            checks.append(pa.Check.gt(f.exclusive_minimum, name="range"))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum, name="range"))
        if f.maximum is not None or f.type == "pct":
            checks.append(pa.Check.le(f.maximum if f.maximum is not None else 100, name="range"))
        _CHECK_RULES[(standard.version, record.name, f.name)] = [str(c.name) for c in checks]
        columns[f.name] = pa.Column(checks=checks, nullable=not f.required, required=False, name=f.name)
    return pa.DataFrameSchema(columns, name=record.name, strict=False, coerce=False)


def run_pandera(standard: Standard, table: Table) -> Iterator[Hits]:
    """Run the record type's pandera schema lazily; one Hits per (field, rule)."""
    import pandera.errors

    if table.frame.empty and len(table.frame.columns) == 0:
        return
    schema = pandera_schema(standard, table.name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schema.validate(table.frame, lazy=True)
        return
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    cases = cases[cases["index"].notna() & cases["column"].notna()]
    for (column, check, number), group in cases.groupby(
        ["column", "check", "check_number"], sort=False, dropna=False
    ):
        if check == NOT_NULLABLE:
            rule = "required"
        else:
            rule = _CHECK_RULES[(standard.version, table.name, str(column))][int(number)]
        positions = np.unique(group["index"].astype(int).to_numpy())
        yield _field_hits(standard, table, rule, str(column), positions)


def _field_hits(standard: Standard, table: Table, rule: str, name: str, positions: np.ndarray) -> Hits:
    f = table.record.field(name)
    params: dict[str, object] = {}
    if rule == "pattern":
        params["example"] = f.example
    elif rule == "codelist":
        params["codelist"] = f.codelist
    elif rule == "length":
        params["min"] = f.min_length if f.min_length is not None else 0
        params["max"] = f.max_length if f.max_length is not None else "∞"
        params["length"] = table.frame[name].iloc[positions].str.len().astype(int).tolist()
    elif rule == "range":
        params["bound"] = _bound(f)
    return Hits(rule, table.name, positions, name, params)


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
                yield Hits(
                    "code-case", table.name, where.to_numpy(), f.name, {"code": upper[fixable].tolist()}
                )
                table.frame.loc[where, f.name] = upper[fixable]
        withdrawn = codelist.attribute("withdrawn_on")
        if withdrawn:
            hit = table.frame[f.name].isin([c for c, w in codelist.attribute("withdrawn").items() if w])
            if hit.any():
                positions = np.flatnonzero(hit.to_numpy())
                dates = table.frame[f.name][hit].map(withdrawn).astype(str).tolist()
                yield Hits("code-withdrawn", table.name, positions, f.name, {"date": dates})


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
                rule = {"if": "required-if", "unless": "required-unless", "with": "required-with"}[cond.kind]
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
        "duplicate-key",
        table.name,
        positions,
        key[0],
        {"key": labels, "first_position": firsts},
    )
