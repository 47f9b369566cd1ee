"""Check one return that was read: type its tables, run the field checks and the rules, make findings.

Typing (tables, coerce), then the field checks (the record type's pandera
schema), the catalogue's rules, and the published JSON Schema for a JSON
return; the findings come out sorted.  Nothing here prints.
"""

from __future__ import annotations

import datetime as dt

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
from tcstandards.validation.register import Reference, build_register, merge_registers, parse_recipients
from tcstandards.validation.tables import (
    Hits,
    Return,
    Table,
    build_return,
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
    known = available_versions()
    declared = _declared_version(raw, newest_standard())  # the Cover's labels, before its version is known
    version = declared if declared in known else (default_version or stable_version())
    standard = load_standard(version)
    result = build_return(raw, standard)
    builder = FindingBuilder(standard, lang, result)
    place_hits: list[PlaceHit] = [*result.place_hits, *_notes_on_return_sheets(raw, standard)]
    cover = result.cover
    cover_place = raw.cover_place or Place(file=raw.files[0], kind="csv")
    if declared is not None and declared not in known:
        place_hits.append(
            _cover_hit(
                cover,
                STANDARD_VERSION_UNKNOWN,
                cover_place,
                standard.roles.version,
                {"known": ", ".join(known), "used": version},
                declared,
            )
        )
    if cover is None:
        if raw.named:
            named = _by_field(raw.named, standard.roles)
            missing = [f.name for f in standard.cover.fields if f.required and f.name not in named]
            place_hits.append(PlaceHit(COVER_INCOMPLETE, cover_place, {"fields": ", ".join(missing)}))
        else:
            place_hits.append(PlaceHit(COVER_MISSING, Place(file=raw.files[0], kind=cover_place.kind)))
    else:
        for f in standard.cover.fields:
            if f.required and not cover.has(f.name):
                place_hits.append(PlaceHit(REQUIRED, cover.place, {}, record="cover", field=f.name))
        for name, expected in _by_field({**raw.claimed, **raw.named}, standard.roles).items():
            value = cover.col(name).iloc[0] if cover.has(name) else None
            if value is not None and not pd.isna(value) and str(value) != expected:
                place_hits.append(
                    _cover_hit(cover, COVER_MISMATCH, cover.place, name, {"expected": expected}, value)
                )
    blank = _untouched_template(cover, result, standard)
    r = standard.roles
    office, period = _cover_value(cover, raw, ROLE.office, r), _cover_value(cover, raw, ROLE.period, r)
    start, end = period_bounds(period)
    hits: list[Hits] = list(result.hits)
    for table in [t for t in (cover, *result.tables.values()) if t is not None]:
        hits += checks.normalize_codes(standard, table)
        hits += checks.run_pandera(standard, table)
        hits += checks.conditional_requirements(table.record, table)
        hits += checks.duplicate_keys(table)
    projects = result.tables.get("projects")
    recipients = parse_recipients(projects.col(r.recipients) if projects else pd.Series([], dtype=object))
    own = build_register(projects, r, recipients)
    register, history = own, None
    if reference is not None:
        codes = [c for c in _project_codes(result, r) if c not in own.codes]  # this return's own come first
        register = merge_registers(own, reference.register(codes))
        if start is not None and period is not None:
            finance = result.tables.get("finance")
            history = reference.finance_history(_codes_of(finance, r), period) if finance else None
    ctx = rules.Context(
        standard=standard,
        cover=cover,
        tables=result.tables,
        period=period if start is not None else None,
        period_start=start,
        period_end=end,
        today=pd.Timestamp(today or dt.date.today()),
        register=register,
        recipients=recipients,
        history=history,
    )
    hits += rules.run_rules(ctx)
    if blank:  # a template nobody has filled in yet: nothing to report, and nothing missing either
        hits = [h for h in hits if not (h.table == "cover" and h.rule == REQUIRED)]
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
    _check_json_contract(raw, standard, builder)
    counts = {name: len(t) for name, t in result.tables.items()}
    return (
        ReturnResult(
            files=raw.files,
            office=office,
            period=period,
            standard_version=version,
            findings=builder.sorted(),
            record_counts=counts,
        ),
        result,
    )


def _check_json_contract(raw: RawReturn, standard: Standard, builder: FindingBuilder) -> None:
    """A JSON return also meets its published JSON Schema: what the engine let pass is a json-schema error."""
    if raw.document is not None:
        found = json_contract.contract_violations(raw.document, standard)
        builder.findings = json_contract.merge(builder.findings, found, standard, builder.lang, raw.files[0])


def _untouched_template(cover: Table | None, result: Return, standard: Standard) -> bool:
    """No record in any sheet, and none of the Cover's own fields filled: a blank template."""
    if cover is None or any(len(t) for t in result.tables.values()):
        return False
    r = standard.roles
    own = [f.name for f in standard.cover.fields if f.name not in (r.version, r.office, r.period)]
    return all(not cover.has(name) or pd.isna(cover.col(name).iloc[0]) for name in own)


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
