"""Raw grids meet the standard: sheets -> record types, headers -> fields, cells -> types.

The result is one :class:`Table` per record type present (and the Cover as a
one-record table): a typed :class:`pandas.DataFrame` with a plain 0..n-1
index, the raw values for messages, the cells that failed their type, and the
map back to where each value sits in the file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tcstandards.common.cells import column_letter
from tcstandards.reading.base import CoverEntry, Grid, Place, PlaceHit, RawReturn
from tcstandards.reading.layout import tidy
from tcstandards.standard import RecordType, Standard, normalize_label
from tcstandards.standard.rule_ids import (
    ANNOTATED_COPY,
    COLUMN_DUPLICATE,
    COLUMN_MISSING,
    COLUMN_RENAMED,
    COLUMN_UNKNOWN,
    COLUMN_UNNAMED,
    INVALID_NUMBER,
    SHEET_UNKNOWN,
)
from tcstandards.validation.coerce import TYPE_RULES, Coerced, Column, coerce_columns


@dataclass(frozen=True)
class Hits:
    """Records of one table that break one rule, with the values for the message."""

    rule: str
    table: str
    positions: np.ndarray
    field: str | None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    value: Any = None  # override the raw cell value shown (scalar or per-position sequence)


def per_hit(value: object) -> bool:
    """A value of ``Hits.params`` or ``Hits.value`` given for each hit (a sequence), not one for all."""
    return isinstance(value, list | tuple | pd.Series | pd.Index) or hasattr(value, "__array__")


def taken(hits: Hits, chosen: np.ndarray, start: int = 0) -> Hits:
    """The hits at ``chosen`` (indexes into ``hits.positions``), their positions less ``start``."""
    params = {k: _take(v, chosen) if per_hit(v) else v for k, v in hits.params.items()}
    value = _take(hits.value, chosen) if per_hit(hits.value) else hits.value
    return Hits(hits.rule, hits.table, hits.positions[chosen] - start, hits.field, params, value)


def _take(value: Any, chosen: np.ndarray) -> Any:
    if isinstance(value, pd.Series | pd.Index):
        return value[chosen] if isinstance(value, pd.Index) else value.iloc[chosen]
    if isinstance(value, np.ndarray):
        return value[chosen]
    return [value[int(i)] for i in chosen]


@dataclass
class Table:
    record: RecordType
    place: Place
    frame: pd.DataFrame
    raw: dict[str, list[Any]]
    rows: list[int]
    columns: dict[str, int]  # field -> 1-based column number
    keys: dict[str, str]  # field -> header text as written (JSON pointer segment)
    failed: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)
    cover_cells: dict[str, dict[str, Any]] | None = None  # Cover: field -> its own location

    @property
    def name(self) -> str:
        return self.record.name

    def __len__(self) -> int:
        return len(self.frame)

    def has(self, name: str) -> bool:
        """The field was found in the file (a header, a Cover entry, a JSON key)."""
        return name in self.raw

    def col(self, name: str) -> pd.Series:
        """Typed values of a field (all NA, of the field's type, when the column is absent)."""
        if name in self.frame:
            return self.frame[name]
        kind = self.record.field(name).type if name in self.record.field_names else "string"
        if kind in ("money", "decimal", "pct", "int"):
            return pd.Series(np.nan, index=self.frame.index, dtype=float)
        if kind == "date":
            return pd.Series(pd.NaT, index=self.frame.index, dtype="datetime64[ns]")
        return pd.Series([None] * len(self.frame), index=self.frame.index, dtype=object)

    def locate(self, position: int, name: str | None) -> dict[str, Any]:
        """Where record ``position`` / field ``name`` sits, as finding attributes."""
        if self.cover_cells is not None:
            if name in self.cover_cells:
                return self.cover_cells[name]
            return {"sheet": self.place.sheet, "pointer": self.place.pointer}
        row = self.rows[position]
        if self.place.kind == "json":
            pointer = f"{self.place.pointer}/{row}"
            if name and name in self.keys:
                pointer += "/" + self.keys[name].replace("~", "~0").replace("/", "~1")
            return {"pointer": pointer}
        column = self.columns.get(name) if name else None
        return {"sheet": self.place.sheet, "row": row, "column": column, "line": self.place.kind == "csv"}

    def seen_as(self, name: str, lang: str) -> str:
        """A field as the user sees it: its header (or Cover label) as written in the file, else (a
        column that is not there) the standard's label in ``lang``."""
        written = self.keys.get(name)
        if written and written.strip():
            return written.strip()
        return self.record.field(name).label(lang) if name in self.record.field_names else name

    def raw_value(self, position: int, name: str | None) -> Any:
        if name is None or name not in self.raw:
            return None
        return self.raw[name][position]


def _match_header(record: RecordType, grid: Grid) -> tuple[dict[str, int], list[PlaceHit]]:
    """Field -> index in ``grid.columns``; findings for unknown and duplicate headers."""
    hits: list[PlaceHit] = []
    index = record.header_index
    found: dict[str, int] = {}
    for j, text in enumerate(grid.header):
        column = grid.header_columns[j]
        cell: dict[str, Any] = (
            {"row": grid.header_row or None, "column": column} if grid.place.kind != "json" else {}
        )
        name = index.get(normalize_label(text)) if text else None
        if name is None:
            if not text and all(v == "" or v is None for v in grid.columns[j]):
                continue  # an empty column without a header: nothing there
            if not text:  # values under no header (often a header cell merged with its neighbour)
                where = {"column": _column_name(grid.place, column)}
                hits.append(PlaceHit(COLUMN_UNNAMED, grid.place, where, record=record.name, **cell))
                continue
            pointer: dict[str, Any] = {"pointer": grid.place.pointer} if grid.place.kind == "json" else {}
            hits.append(
                PlaceHit(
                    COLUMN_UNKNOWN,
                    grid.place,
                    {"record": record.name},
                    record=record.name,
                    value=text,
                    **cell,
                    **pointer,
                )
            )
        elif name in found:
            other = grid.header_columns[found[name]]
            hits.append(
                PlaceHit(
                    COLUMN_DUPLICATE,
                    grid.place,
                    {"other": _column_name(grid.place, other)},
                    record=record.name,
                    field=name,
                    value=text,
                    **cell,
                )
            )
        else:
            found[name] = j
            field = record.field(name)
            if field.aliases and normalize_label(text) in {normalize_label(a) for a in field.aliases}:
                at: dict[str, Any] = {"pointer": grid.place.pointer} if grid.place.kind == "json" else cell
                hits.append(
                    PlaceHit(COLUMN_RENAMED, grid.place, {}, record=record.name, field=name, value=text, **at)
                )
    return found, hits


def _column_name(place: Place, number: int) -> str:
    return column_letter(number) if place.kind == "sheet" else str(number)


@dataclass
class _Untyped:
    """A table whose raw columns wait for their types (typed with other tables: :func:`build_returns`)."""

    table: Table
    size: int
    date1904: bool
    iso_dates: bool

    def columns(self) -> list[Column]:
        record, raw = self.table.record, self.table.raw
        return [(f.type, raw[f.name], self.date1904, self.iso_dates) for f in record.fields if f.name in raw]

    def typed(self, coerced: Iterable[Coerced]) -> list[Hits]:
        """Put the typed columns in the table; the hits of the values that failed their type."""
        record = self.table.record
        data: dict[str, np.ndarray] = {}
        hits: list[Hits] = []
        for f, result in zip([f for f in record.fields if f.name in self.table.raw], coerced, strict=True):
            data[f.name] = np.asarray(result.values)
            if len(result.failed):
                self.table.failed[f.name] = result.failed
                default = TYPE_RULES.get(f.type, INVALID_NUMBER)
                by_rule: dict[str, list[int]] = {}
                for pos in result.failed:
                    by_rule.setdefault(result.failed_rule.get(int(pos), default), []).append(int(pos))
                for rule, positions in by_rule.items():
                    hits.append(Hits(rule, record.name, np.asarray(positions), f.name))
            for rule, note in result.notes.items():  # number-text, date-text: one per column
                params = {k: v for k, v in note.items() if k not in ("row", "value")}
                hits.append(Hits(rule, record.name, np.asarray([note["row"]]), f.name, params))
        self.table.frame = pd.DataFrame(data, index=pd.RangeIndex(self.size))
        return hits


def build_table(record: RecordType, grid: Grid, date1904: bool = False) -> tuple[_Untyped, list[PlaceHit]]:
    found, place_hits = _match_header(record, grid)
    for f in record.fields:
        if f.required and f.name not in found and grid.size:  # no record at all: nothing to report
            where: dict[str, Any] = {"row": grid.header_row or None} if grid.place.kind != "json" else {}
            place_hits.append(
                PlaceHit(COLUMN_MISSING, grid.place, {}, field=f.name, record=record.name, **where)
            )
    table = Table(
        record=record,
        place=grid.place,
        frame=pd.DataFrame(),
        raw={name: grid.columns[j] for name, j in found.items()},
        rows=grid.rows,
        columns={name: grid.header_columns[j] for name, j in found.items()},
        keys={name: grid.header[j] for name, j in found.items()},
    )
    return _Untyped(table, grid.size, date1904, grid.place.kind == "json"), place_hits


def build_cover(
    record: RecordType, entries: Iterable[CoverEntry], place: Place, date1904: bool = False
) -> _Untyped:
    """The Cover as a one-record table; each field remembers its own cell or pointer."""
    index = record.header_index
    raw: dict[str, list[Any]] = {}
    cells: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}  # field -> its label as written in the Cover
    for entry in entries:
        name = index.get(normalize_label(entry.key))
        if name is None or name in raw:
            continue
        raw[name] = [entry.value]
        keys[name] = entry.key
        if entry.pointer:
            cells[name] = {"pointer": entry.pointer}
        else:
            line = place.kind == "csv"
            cells[name] = {"sheet": place.sheet, "row": entry.row, "column": entry.column, "line": line}
    table = Table(record, place, pd.DataFrame(), raw, [], {}, keys, cover_cells=cells)
    return _Untyped(table, 1, date1904, place.kind == "json")


def sheet_index(standard: Standard) -> dict[str, str]:
    """Normalized sheet name (any language) or record type name -> record type."""
    index: dict[str, str] = {}
    for record in standard.record_types.values():
        for text in (record.name, *record.sheet_names.values()):
            index.setdefault(normalize_label(text), record.name)
    return index


def cover_names(standard: Standard) -> set[str]:
    cover = standard.cover
    return {normalize_label(t) for t in (cover.name, *cover.sheet_names.values())}


@dataclass
class Return:
    """A return with its tables typed, ready for the checks."""

    raw: RawReturn
    cover: Table | None
    tables: dict[str, Table]
    place_hits: list[PlaceHit]
    hits: list[Hits]


def build_return(raw: RawReturn, standard: Standard) -> Return:
    """One return's tables, typed against ``standard``."""
    return build_returns([(raw, standard)])[0]


def build_returns(returns: Sequence[tuple[RawReturn, Standard]]) -> list[Return]:
    """Returns' tables, typed against the version each follows, with one coercion per kind of column."""
    built = [_structure(raw, standard) for raw, standard in returns]
    untyped = [table for _, tables in built for table in tables]
    coerced = iter(coerce_columns([column for table in untyped for column in table.columns()]))
    for result, tables in built:
        for table in tables:  # the hits of values that failed their type: the tables in order, the Cover last
            result.hits += table.typed([next(coerced) for _ in table.columns()])
    return [result for result, _ in built]


def _structure(raw: RawReturn, standard: Standard) -> tuple[Return, list[_Untyped]]:
    """Sheets matched to record types and headers to fields; the values not typed yet."""
    place_hits: list[PlaceHit] = []
    untyped: list[_Untyped] = []
    tables: dict[str, Table] = {}
    index = sheet_index(standard)
    ignored = {normalize_label(n) for n in standard.ignored_sheets}
    findings_sheets = {normalize_label(n) for n in standard.tool_sheets.get("findings", {}).values()}
    expected = ", ".join(r.sheet_name() for r in standard.all_record_types())
    for grid in raw.grids:
        key = normalize_label(grid.name)
        if key in findings_sheets:  # the sheet `validate --annotate` adds: this is an annotated copy
            place_hits.append(PlaceHit(ANNOTATED_COPY, grid.place, {"sheet": grid.name}))
        name = index.get(key)
        if name is None or name in tables:
            if name is not None or key not in ignored:
                place_hits.append(
                    PlaceHit(SHEET_UNKNOWN, grid.place, {"sheet": grid.name, "expected": expected})
                )
            continue
        record = standard.record_types[name]
        grid, changes = tidy(record, grid)
        place_hits += [PlaceHit(rule, grid.place, params, row=row) for rule, params, row in changes]
        table, p = build_table(record, grid, raw.date1904)
        tables[name] = table.table
        untyped.append(table)
        place_hits += p
    cover = None
    if raw.cover is not None and raw.cover_place is not None:
        typed_cover = build_cover(standard.cover, raw.cover, raw.cover_place, raw.date1904)
        cover = typed_cover.table
        untyped.append(typed_cover)
    return Return(raw=raw, cover=cover, tables=tables, place_hits=place_hits, hits=[]), untyped
