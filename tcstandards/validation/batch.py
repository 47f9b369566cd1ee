"""The returns of one run checked together where that costs less: once per record type, not once per return.

A pandera validation or a rule expression costs about the same on 10 records as
on 10,000, so a quarter of small returns spent most of its time in that fixed
cost. Here the tables of a record type that have the same columns (and types)
are put end to end, with the version they follow:

* the table checks (code spelling, the record type's pandera schema,
  conditional requirements, unique keys) run once on them;
* each expression rule that does not read the register runs once on them, the
  period and dates of each return given to its own rows; so does each rule in
  code that reads only its records (``records_only`` in
  :mod:`tcstandards.validation.implementations`).

The hits are then split back to their returns, and each return is finished
alone (:func:`tcstandards.validation.checking.finish`): its register, the
rules written in code, the findings. The findings are the same as when each
return is checked alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tcstandards.standard import Rule, Standard
from tcstandards.standard.expressions import nodes
from tcstandards.standard.rule_ids import CODE_CASE
from tcstandards.validation import checks
from tcstandards.validation.checking import Done, Typed
from tcstandards.validation.implementations import (
    IMPLEMENTATIONS,
    ON_RECORDS_ONLY,
    ON_REGISTER,
    RECIPIENT_CODES,
    recipient_codes,
)
from tcstandards.validation.register import Register, empty_register
from tcstandards.validation.rule_context import Context
from tcstandards.validation.rules import expression_hits
from tcstandards.validation.run_register import run_register
from tcstandards.validation.tables import Hits, Table, taken


@dataclass
class Part:
    """One return's table in a batch: the return's number in the run, and where its rows start."""

    number: int
    typed: Typed
    table: Table
    start: int


class Batch:
    """Tables of one record type, one version and the same columns, end to end."""

    def __init__(self, standard: Standard, parts: list[Part]) -> None:
        self.standard = standard
        self.parts = parts
        self.starts = np.array([p.start for p in parts])
        self.sizes = np.array([len(p.table) for p in parts])
        self.table = _combined([p.table for p in parts])

    def write_back(self, codes: dict[int, list[Hits]]) -> None:
        """Codes capitalised in the combined table, in each return's table too (one table: itself)."""
        if len(self.parts) == 1:
            return
        for part in self.parts:
            for name in {h.field for h in codes[part.number] if h.rule == CODE_CASE and h.field}:
                rows = self.table.frame[name].iloc[part.start : part.start + len(part.table)]
                part.table.frame[name] = rows.to_numpy()

    @property
    def name(self) -> str:
        return self.table.name

    def numbers(self) -> np.ndarray:
        """The return number of each row of the combined table."""
        return np.repeat([p.number for p in self.parts], self.sizes)

    def split(self, found: Iterator[Hits]) -> dict[int, list[Hits]]:
        """Hits on the combined table -> each return's hits (return number -> its hits, in order)."""
        by_return: dict[int, list[Hits]] = {p.number: [] for p in self.parts}
        for hits in found:
            member = np.searchsorted(self.starts, hits.positions, side="right") - 1
            for index in np.unique(member):
                part = self.parts[int(index)]
                chosen = np.flatnonzero(member == index)
                by_return[part.number].append(taken(hits, chosen, part.start))
        return by_return


def precompute(typed: Sequence[Typed], today: dt.date | None, *, own_registers: bool = False) -> list[Done]:
    """For each return of a run, the hits found with the others: table checks and the rules that allow it.

    ``own_registers``: each return's register is its own Projects (``validate`` without HQ's store),
    so the rules that read the register run together too; at HQ they run against the store, alone.
    """
    done = [Done() for _ in typed]
    if len(typed) < 2:
        return done  # one return: nothing to share, and each check is cheapest on it alone
    projects = [(t.result.tables.get("projects"), t.standard.roles) for t in typed]
    registers = run_register(projects) if own_registers else None
    for batch in batches(typed):
        for check, found_by_return in _table_checks(batch).items():
            for number, hits in found_by_return.items():
                done[number].checks[(check, batch.name)] = hits
        register = registers.for_rows(batch.numbers()) if registers is not None else None
        environment, context = (
            BatchEnvironment(batch, today, register),
            _records_context(batch, today, register),
        )
        if batch.name == "projects":
            for number, by_check in batch.split(recipient_codes(context, batch.table)).items():
                done[number].rules[(RECIPIENT_CODES, batch.name)] = by_check
        for rule in batch.standard.rules.values():
            if batch.name not in rule.records:
                continue
            found: Iterator[Hits]
            if rule.kind == "expression" and (register is not None or not _reads_register(rule)):
                found = expression_hits(rule, batch.standard, environment, batch.name)
            elif rule.kind == "implementation" and (
                rule.id in ON_RECORDS_ONLY or (register is not None and rule.id in ON_REGISTER)
            ):
                found = IMPLEMENTATIONS[rule.id](context, rule)
            else:
                continue
            for number, by_rule in batch.split(found).items():
                done[number].rules[(rule.id, batch.name)] = by_rule
    return done


def _table_checks(batch: Batch) -> dict[str, dict[int, list[Hits]]]:
    """Each table check of :data:`checks.TABLE_CHECKS` on the batch, its hits split to their returns."""
    found = {}
    for name, check in checks.TABLE_CHECKS.items():
        if name == "duplicates":
            found[name] = _duplicates(batch)
            continue
        found[name] = batch.split(check(batch.standard, batch.table))
        if name == "codes":
            batch.write_back(found[name])
    return found


def _duplicates(batch: Batch) -> dict[int, list[Hits]]:
    """Keys are unique within a return: the returns whose keys repeat are checked alone, the rest pass."""
    key = list(batch.table.record.key)
    found: dict[int, list[Hits]] = {p.number: [] for p in batch.parts}
    if not key or not all(batch.table.has(k) for k in key):
        return found
    frame = batch.table.frame[key].assign(_return=np.repeat(np.arange(len(batch.parts)), batch.sizes))
    repeated = frame.duplicated(keep="first") & batch.table.frame[key[0]].notna()
    for index in np.unique(frame["_return"].to_numpy()[repeated.to_numpy()]):
        part = batch.parts[int(index)]
        found[part.number] = list(checks.duplicate_keys(part.table))
    return found


def batches(typed: Sequence[Typed]) -> list[Batch]:
    """The tables of the run grouped by version, record type, columns found and their types."""
    groups: dict[tuple[Any, ...], list[tuple[int, Typed, Table]]] = {}
    for number, one in enumerate(typed):
        for table in one.tables():
            if not len(table):
                continue  # rules see no empty table (Context.table)
            frame = table.frame
            key = (
                one.version,
                table.name,
                tuple(frame.columns),
                tuple(map(str, frame.dtypes)),
                tuple(table.raw),
            )
            groups.setdefault(key, []).append((number, one, table))
    found = []
    for members in groups.values():
        parts, start = [], 0
        for number, one, table in members:
            parts.append(Part(number, one, table, start))
            start += len(table)
        found.append(Batch(members[0][1].standard, parts))
    return found


class BatchEnvironment:
    """A batch as rule expressions see it: its columns, and each return's period and dates on its own rows."""

    def __init__(self, batch: Batch, today: dt.date | None, register: Register | None = None) -> None:
        self.batch = batch
        self.size = len(batch.table)
        self.today = pd.Timestamp(today or dt.date.today())
        self.own_register = register
        self._context: dict[str, Any] = {}

    def has(self, name: str) -> bool:
        return self.batch.table.has(name)

    def column(self, name: str) -> pd.Series:
        return self.batch.table.col(name)

    def missing(self, name: str) -> pd.Series:
        return checks.missing(self.batch.table, name)

    def context(self, name: str) -> Any:
        if name not in self._context:
            self._context[name] = self._values(name)
        return self._context[name]

    def lookup(self, name: str, codes: pd.Series) -> pd.Series:
        if self.own_register is None:  # pragma: no cover - such rules are not batched then
            raise LookupError(name)
        return self.own_register.lookup(name, codes)

    def _values(self, name: str) -> Any:
        """One value for every return (as a scalar), else a column: each return's value on its rows."""
        values = [_context_value(p.typed, name, self.today) for p in self.batch.parts]
        if all(_same(v, values[0]) for v in values):
            return values[0]
        sizes = [len(p.table) for p in self.batch.parts]
        repeated = [v for v, n in zip(values, sizes, strict=True) for _ in range(n)]
        if any(isinstance(v, pd.Timestamp) for v in values):
            return pd.Series(pd.to_datetime(repeated), index=pd.RangeIndex(self.size))
        return pd.Series(repeated, index=pd.RangeIndex(self.size), dtype=object)


def _context_value(typed: Typed, name: str, today: pd.Timestamp) -> Any:
    """As :class:`~tcstandards.validation.rules.Context` gives it to a return checked alone."""
    if name == "today":
        return today
    if name == "period":
        return typed.rule_period
    return typed.start if name == "period_start" else typed.end


def _same(value: Any, other: Any) -> bool:
    if value is None or other is None:
        return value is None and other is None
    return type(value) is type(other) and bool(value == other)


def _records_context(batch: Batch, today: dt.date | None, register: Register | None) -> Context:
    """What a rule that reads its records (and the returns' own registers) sees of a batch."""
    table, cover = batch.table, batch.standard.cover.name
    projects = table if table.name == "projects" else None
    recipients_field = batch.standard.roles.recipients
    recipients = projects.col(recipients_field) if projects is not None else pd.Series([], dtype=object)
    return Context(
        standard=batch.standard,
        cover=table if table.name == cover else None,
        tables={} if table.name == cover else {table.name: table},
        period=None,
        period_start=None,
        period_end=None,
        today=pd.Timestamp(today or dt.date.today()),
        make_register=lambda: register if register is not None else empty_register(),
        projects_recipients=recipients,
    )


def _reads_register(rule: Rule) -> bool:
    return any(True for _ in nodes(rule.expression, "register"))


def _combined(tables: list[Table]) -> Table:
    """The tables end to end (one table: itself)."""
    if len(tables) == 1:
        return tables[0]
    first, starts = tables[0], np.cumsum([0, *(len(t) for t in tables[:-1])])
    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    none = np.empty(0, dtype=int)
    failed = {
        name: np.concatenate([t.failed.get(name, none) + s for t, s in zip(tables, starts, strict=True)])
        for name in {n for t in tables for n in t.failed}
    }
    return Table(first.record, first.place, frame, dict(first.raw), [], dict(first.columns), {}, failed)
