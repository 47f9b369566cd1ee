"""Check one return that was read: type its tables, run the field checks and the rules, make findings.

Typing (tables, coerce), then the field checks (the record type's pandera
schema), the catalogue's rules, and the published JSON Schema for a JSON
return; the findings come out sorted.  Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from tcstandards.reading.base import Place, PlaceHit, RawReturn
from tcstandards.standard import (
    Roles,
    Standard,
    available_versions,
    load_standard,
    newest_standard,
    normalize_label,
    periods,
    stable_version,
)
from tcstandards.standard.roles import ROLE
from tcstandards.standard.rule_ids import (
    CELLS_MERGED,
    COLUMNS_HIDDEN,
    COVER_INCOMPLETE,
    COVER_MISMATCH,
    COVER_MISSING,
    FORMULA_NO_VALUE,
    REQUIRED,
    ROWS_HIDDEN,
    SHEET_HIDDEN,
    STANDARD_VERSION_UNKNOWN,
    TOTALS_ROW,
)
from tcstandards.validation import checks, json_contract, rules
from tcstandards.validation.builder import FindingBuilder
from tcstandards.validation.findings import ReturnResult
from tcstandards.validation.one_cause import one_cause
from tcstandards.validation.register import (
    Reference,
    Register,
    build_register,
    merge_registers,
)
from tcstandards.validation.tables import (
    Hits,
    Return,
    Table,
    build_returns,
    cover_names,
    sheet_index,
)


def period_bounds(period: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    found = periods.bounds(period)
    if found is None:
        return None, None
    return pd.Timestamp(found[0]), pd.Timestamp(found[1])


def _declared_version(raw: RawReturn, standard: Standard) -> str | None:
    names = {
        normalize_label(t)
        for t in (standard.roles.version, *standard.cover.field(standard.roles.version).labels.values())
    }
    for entry in raw.cover or ():
        if normalize_label(entry.key) in names and entry.value not in ("", None):
            value = entry.value
            if isinstance(value, float):
                return f"{value:.1f}"
            return str(value).strip()
    return None


SHEET_NOTES = frozenset({ROWS_HIDDEN, COLUMNS_HIDDEN, CELLS_MERGED, FORMULA_NO_VALUE})


def _notes_on_return_sheets(raw: RawReturn, standard: Standard) -> list[PlaceHit]:
    """The readers' notes, but none about sheets the standard ignores (a template's Lists sheet),
    and the layout notes only for the Cover and the record sheets."""
    ignored = {normalize_label(name) for name in standard.ignored_sheets}
    known = set(sheet_index(standard)) | cover_names(standard)
    notes = []
    for note in raw.notes:
        sheet = normalize_label(str(note.params.get("sheet", "")))
        if note.rule == SHEET_HIDDEN and sheet in ignored:
            continue
        if note.rule in SHEET_NOTES and sheet not in known:
            continue
        notes.append(note)
    return notes


@dataclass
class Typed:
    """A return read and typed against the version it follows, its Cover checked: ready for the checks.

    The field checks and the catalogue's rules then run on it alone (:func:`finish`), or with other
    returns of the same run where that costs less (:mod:`tcstandards.validation.batch`).
    """

    raw: RawReturn
    version: str
    standard: Standard
    result: Return
    place_hits: list[PlaceHit]
    office: str | None
    period: str | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None

    @property
    def rule_period(self) -> str | None:
        """The period rules see: the return's quarter, when it is one."""
        return self.period if self.start is not None else None

    def tables(self) -> list[Table]:
        """The Cover and the record tables found."""
        return [t for t in (self.result.cover, *self.result.tables.values()) if t is not None]


@dataclass
class Done:
    """Hits already computed for a return, with other returns of its run (the rest is computed here)."""

    checks: dict[tuple[str, str], list[Hits]] = field(default_factory=dict)  # (table check, table) -> hits
    rules: dict[tuple[str, str], list[Hits]] = field(default_factory=dict)  # (rule id, table) -> hits


def check_return(
    raw: RawReturn,
    *,
    lang: str = "en",
    today: dt.date | None = None,
    reference: Reference | None = None,
    default_version: str | None = None,
) -> tuple[ReturnResult, Return]:
    """Check one return that was read; the typed tables come back too (for consolidation).

    With a ``reference`` (HQ's consolidated data), Finance and Results lines
    also resolve against the consolidated register, and the cross-quarter
    rules run against the history.
    """
    typed = type_return(raw, default_version=default_version)
    return finish(typed, lang=lang, today=today, reference=reference)


def type_return(raw: RawReturn, *, default_version: str | None = None) -> Typed:
    """Type a return against the version its Cover declares, and check its Cover and sheets."""
    return type_returns([raw], default_version=default_version)[0]


def type_returns(raws: Sequence[RawReturn], *, default_version: str | None = None) -> list[Typed]:
    """:func:`type_return` of many returns, their columns coerced together (:func:`tables.build_returns`)."""
    versions = [_version(raw, default_version) for raw in raws]
    built = build_returns(
        [(raw, load_standard(version)) for raw, (version, _) in zip(raws, versions, strict=True)]
    )
    return [
        _typed(raw, version, declared, result)
        for raw, (version, declared), result in zip(raws, versions, built, strict=True)
    ]


def _version(raw: RawReturn, default_version: str | None) -> tuple[str, str | None]:
    """The version a return is checked against, and the one its Cover declares."""
    declared = _declared_version(raw, newest_standard())  # the Cover's labels, before its version is known
    return (declared if declared in available_versions() else (default_version or stable_version())), declared


def _typed(raw: RawReturn, version: str, declared: str | None, result: Return) -> Typed:
    known = available_versions()
    standard = load_standard(version)
    place_hits: list[PlaceHit] = [*result.place_hits, *_notes_on_return_sheets(raw, standard)]
    cover = result.cover
    cover_place = raw.cover_place or Place(file=raw.files[0], kind="csv")
    if declared is not None and declared not in known:
        params: dict[str, object] = {"known": ", ".join(known), "used": version}
        version_field = standard.roles.version
        place_hits.append(
            _cover_hit(cover, STANDARD_VERSION_UNKNOWN, cover_place, version_field, params, declared)
        )
    place_hits += _cover_hits(raw, standard, cover, cover_place)
    r = standard.roles
    office, period = _cover_value(cover, raw, ROLE.office, r), _cover_value(cover, raw, ROLE.period, r)
    start, end = period_bounds(period)
    return Typed(raw, version, standard, result, place_hits, office, period, start, end)


def _cover_hits(raw: RawReturn, standard: Standard, cover: Table | None, place: Place) -> list[PlaceHit]:
    """A missing or incomplete Cover, and Cover values that contradict the file's name."""
    if cover is None:
        if raw.named:
            named = _by_field(raw.named, standard.roles)
            missing = [f.name for f in standard.cover.fields if f.required and f.name not in named]
            params = {"fields": ", ".join(missing)}
            return [PlaceHit(COVER_INCOMPLETE, place, params, record=standard.cover.name)]
        return [PlaceHit(COVER_MISSING, Place(file=raw.files[0], kind=place.kind))]
    found = [
        PlaceHit(REQUIRED, cover.place, {}, record="cover", field=f.name)
        for f in standard.cover.fields
        if f.required and not cover.has(f.name)
    ]
    for name, expected in _by_field({**raw.claimed, **raw.named}, standard.roles).items():
        value = cover.col(name).iloc[0] if cover.has(name) else None
        if value is not None and not pd.isna(value) and str(value) != expected:
            found.append(_cover_hit(cover, COVER_MISMATCH, cover.place, name, {"expected": expected}, value))
    return found


def finish(
    typed: Typed,
    *,
    lang: str = "en",
    today: dt.date | None = None,
    reference: Reference | None = None,
    done: Done | None = None,
) -> tuple[ReturnResult, Return]:
    """The field checks and the rules of a typed return, and its findings."""
    done = done or Done()
    standard, result = typed.standard, typed.result
    hits: list[Hits] = list(result.hits)
    for table in typed.tables():
        for name, check in checks.TABLE_CHECKS.items():
            if (name, table.name) not in done.checks:  # kept: the code check capitalises codes in place
                done.checks[(name, table.name)] = list(check(standard, table))
            hits += done.checks[(name, table.name)]
    hits += rules.run_rules(_context(typed, today, reference), done.rules)
    hits = one_cause(hits, typed.tables(), standard)  # a rule says nothing of a value that already failed
    builder = FindingBuilder(standard, lang, result)
    _build(builder, typed.place_hits, hits)
    _check_json_contract(typed.raw, standard, builder)
    counts = {name: len(t) for name, t in result.tables.items()}
    checked = ReturnResult(
        files=typed.raw.files,
        office=typed.office,
        period=typed.period,
        standard_version=typed.version,
        findings=builder.sorted(),
        record_counts=counts,
    )
    return checked, result


def _context(typed: Typed, today: dt.date | None, reference: Reference | None) -> rules.Context:
    """What the rules see: the return's period, today, the register and, at HQ, the history."""
    standard, result, period = typed.standard, typed.result, typed.period
    r = standard.roles
    projects = result.tables.get("projects")
    written = projects.col(r.recipients) if projects else pd.Series([], dtype=object)
    history = None

    def register() -> Register:
        own = build_register(projects, r, context.recipients)
        if reference is None:
            return own
        codes = [c for c in _project_codes(result, r) if c not in own.codes]  # this return's own come first
        return merge_registers(own, reference.register(codes))

    if reference is not None and typed.start is not None and period is not None:
        finance = result.tables.get("finance")
        history = reference.finance_history(_codes_of(finance, r), period) if finance else None
    context = rules.Context(
        standard=standard,
        cover=result.cover,
        tables=result.tables,
        period=typed.rule_period,
        period_start=typed.start,
        period_end=typed.end,
        today=pd.Timestamp(today or dt.date.today()),
        make_register=register,
        projects_recipients=written,
        history=history,
    )
    return context


def _build(builder: FindingBuilder, place_hits: list[PlaceHit], hits: list[Hits]) -> None:
    totals = {(h.place.sheet, h.row) for h in place_hits if h.rule == TOTALS_ROW}
    for hit in place_hits:
        if not (hit.rule == FORMULA_NO_VALUE and (hit.place.sheet, hit.row) in totals):
            builder.add_place(hit)
    for h in hits:
        builder.add_hits(h)
    uncalculated = {(h.place.sheet, h.row, h.column) for h in place_hits if h.rule == FORMULA_NO_VALUE}
    if uncalculated:  # the empty value of a formula never calculated: one finding says it all
        builder.findings = [
            f
            for f in builder.findings
            if f.rule == FORMULA_NO_VALUE or (f.sheet, f.row, f.column) not in uncalculated
        ]


def _check_json_contract(raw: RawReturn, standard: Standard, builder: FindingBuilder) -> None:
    """A JSON return also meets its published JSON Schema: what the engine let pass is a json-schema error."""
    if raw.document is not None:
        found = json_contract.contract_violations(raw.document, standard)
        builder.findings = json_contract.merge(builder.findings, found, standard, builder.lang, raw.files[0])


def _codes_of(table: Table | None, roles: Roles) -> list[str]:
    if table is None or not table.has(roles.project):
        return []
    return [str(c) for c in table.col(roles.project).dropna().unique()]


def _project_codes(result: Return, roles: Roles) -> list[str]:
    """Every project code a return mentions: the register entries its lines need."""
    codes: set[str] = set()
    for table in result.tables.values():
        codes.update(_codes_of(table, roles))
    return sorted(codes)


def _by_field(by_role: dict[str, str], roles: Roles) -> dict[str, str]:
    """Office and period a file's name gives, by role -> by the Cover's field names."""
    return {getattr(roles, role): value for role, value in by_role.items()}


def _cover_value(cover: Table | None, raw: RawReturn, role: str, roles: Roles) -> str | None:
    name = getattr(roles, role)
    if cover is not None and cover.has(name):
        value = cover.col(name).iloc[0]
        if value is not None and not pd.isna(value):
            return str(value)
    return raw.named.get(role)


def _cover_hit(
    cover: Table | None, rule: str, place: Place, name: str, params: dict[str, object], value: object
) -> PlaceHit:
    where = cover.locate(0, name) if cover is not None else {}
    return PlaceHit(
        rule,
        place,
        params,
        row=where.get("row"),
        column=where.get("column"),
        pointer=where.get("pointer"),
        record="cover",
        field=name,
        value=value,
    )
