"""Validate returns: paths -> :class:`~tcstandards.findings.Report`.

The flow is one way: read (readers) -> type (tables, coerce) -> check (pandera
schema from the standard, then catalogue rules) -> findings.  Nothing here
prints; problems in a return are findings, and only "could not run at all"
is an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tcstandards.common.errors import UnreadableInputError
from tcstandards.common.i18n import render, ui
from tcstandards.reading.base import Note, Place, RawReturn
from tcstandards.reading.config import Config
from tcstandards.reading.csvfile import CsvName, read_csv_return
from tcstandards.reading.jsonfile import read_json_return
from tcstandards.reading.sources import Source, discover
from tcstandards.reading.xlsx import read_workbook
from tcstandards.standard import (
    Standard,
    available_versions,
    latest_version,
    load_standard,
    normalize_label,
    periods,
    stable_version,
)
from tcstandards.standard.rule_ids import (
    CELLS_MERGED,
    COLUMNS_HIDDEN,
    COVER_INCOMPLETE,
    COVER_MISMATCH,
    COVER_MISSING,
    CSV_NAME,
    FILE_UNREADABLE,
    FILE_UNSUPPORTED,
    FORMULA_NO_VALUE,
    REQUIRED,
    ROWS_HIDDEN,
    SHEET_HIDDEN,
    STANDARD_VERSION_UNKNOWN,
    TOTALS_ROW,
)
from tcstandards.validation import checks, json_contract, rules
from tcstandards.validation.builder import FindingBuilder
from tcstandards.validation.findings import Finding, Report, ReturnResult
from tcstandards.validation.register import Reference, build_register, merge_registers, parse_recipients
from tcstandards.validation.tables import (
    Hits,
    PlaceHit,
    Return,
    Table,
    build_return,
    cover_names,
    sheet_index,
)

FILE_NAME = re.compile(rf"^(?P<office>[A-Za-z]{{2,10}})_(?P<period>{periods.QUARTER})(?![0-9])")
UNSUPPORTED_HINTS = {".xls": "hint.xls", ".xlsb": "hint.xlsb"}

Progress = Callable[[int, int, Source], None]  # (number, total, source)


def period_bounds(period: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    found = periods.bounds(period)
    if found is None:
        return None, None
    return pd.Timestamp(found[0]), pd.Timestamp(found[1])


Claims = Callable[[Path], dict[str, str]]  # what the configuration's path patterns say of a file


def read_source(source: Source, standard: Standard, claims: Claims | None = None) -> RawReturn:
    """Read one source with the reader its kind needs (raises UnreadableInputError)."""
    path, display = source.files[0]
    if path.is_dir():
        raise UnreadableInputError("is a directory", code="is-directory")
    for file, _ in source.files:
        if not file.is_file():  # a FIFO or a device: opening it could block for ever
            raise UnreadableInputError("not a regular file", code="not-a-file")
    if source.kind in ("workbook", "json"):
        if source.kind == "workbook":
            raw = read_workbook(path, display, cover_names(standard))
        else:
            raw = read_json_return(path, display, standard.cover.name)
        raw.claimed = name_claims(path, standard)
        configured = claims(path) if claims else {}
        raw.claimed.update(
            {
                k: configured[c]
                for k, c in (("office_code", "office"), ("period", "period"))
                if c in configured
            }
        )
        return raw
    kinds = {normalize_label(t) for t in (standard.cover.name, *standard.cover.sheet_names.values())}
    files = [(p, d, n) for (p, d), n in zip(source.files, source.csv_names, strict=True)]
    return read_csv_return(files, kinds)


def _namer(claims: Claims) -> Callable[[Path], CsvName | None]:
    def name(path: Path) -> CsvName | None:
        found = claims(path)
        if {"office", "period", "record"} <= set(found):
            return CsvName(found["office"], found["period"], found["record"])
        return None

    return name


def name_claims(path: Path, standard: Standard) -> dict[str, str]:
    """``DAKAR_1997-Q3.xlsx`` -> office and period, when the name starts with a known office and a quarter."""
    match = FILE_NAME.match(path.name)
    if match is None or match["office"].upper() not in standard.codelist("offices").codes:
        return {}
    return {"office_code": match["office"].upper(), "period": match["period"].upper()}


def _declared_version(raw: RawReturn, standard: Standard) -> str | None:
    names = {
        normalize_label(t)
        for t in ("standard_version", *standard.cover.field("standard_version").labels.values())
    }
    for entry in raw.cover or ():
        if normalize_label(entry.key) in names and entry.value not in ("", None):
            value = entry.value
            if isinstance(value, float):
                return f"{value:.1f}"
            return str(value).strip()
    return None


SHEET_NOTES = frozenset({ROWS_HIDDEN, COLUMNS_HIDDEN, CELLS_MERGED, FORMULA_NO_VALUE})


def _notes_on_return_sheets(raw: RawReturn, standard: Standard) -> list[Note]:
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
    declared = _declared_version(raw, load_standard(latest_version()))
    version = declared if declared in known else (default_version or stable_version())
    standard = load_standard(version)
    result = build_return(raw, standard)
    builder = FindingBuilder(standard, lang, result)
    place_hits: list[PlaceHit] = list(result.place_hits)
    place_hits += [
        PlaceHit(n.rule, n.place, n.params, row=n.row, column=n.column, pointer=n.place.pointer)
        for n in _notes_on_return_sheets(raw, standard)
    ]
    cover = result.cover
    cover_place = raw.cover_place or Place(file=raw.files[0], kind="csv")
    if declared is not None and declared not in known:
        place_hits.append(
            _cover_hit(
                cover,
                STANDARD_VERSION_UNKNOWN,
                cover_place,
                "standard_version",
                {"known": ", ".join(known), "used": version},
                declared,
            )
        )
    if cover is None:
        if raw.named:
            missing = [f.name for f in standard.cover.fields if f.required and f.name not in raw.named]
            place_hits.append(PlaceHit(COVER_INCOMPLETE, cover_place, {"fields": ", ".join(missing)}))
        else:
            place_hits.append(PlaceHit(COVER_MISSING, Place(file=raw.files[0], kind=cover_place.kind)))
    else:
        for f in standard.cover.fields:
            if f.required and not cover.has(f.name):
                place_hits.append(PlaceHit(REQUIRED, cover.place, {}, record="cover", field=f.name))
        for name, expected in {**raw.claimed, **raw.named}.items():
            value = cover.col(name).iloc[0] if cover.has(name) else None
            if value is not None and not pd.isna(value) and str(value) != expected:
                place_hits.append(
                    _cover_hit(cover, COVER_MISMATCH, cover.place, name, {"expected": expected}, value)
                )
    blank = _untouched_template(cover, result, standard)
    office, period = _cover_value(cover, raw, "office_code"), _cover_value(cover, raw, "period")
    start, end = period_bounds(period)
    hits: list[Hits] = list(result.hits)
    for table in [t for t in (cover, *result.tables.values()) if t is not None]:
        hits += checks.normalize_codes(standard, table)
        hits += checks.run_pandera(standard, table)
        hits += checks.conditional_requirements(table.record, table)
        hits += checks.duplicate_keys(table)
    projects = result.tables.get("projects")
    recipients = parse_recipients(
        projects.col("recipient_countries") if projects else pd.Series([], dtype=object)
    )
    own = build_register(projects, recipients)
    register, history = own, None
    if reference is not None:
        codes = [c for c in _project_codes(result) if c not in own.codes]  # this return's own come first
        register = merge_registers(own, reference.register(codes))
        if start is not None and period is not None:
            finance = result.tables.get("finance")
            history = reference.finance_history(_codes_of(finance), period) if finance else None
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
    own = [
        f.name for f in standard.cover.fields if f.name not in ("standard_version", "office_code", "period")
    ]
    return all(not cover.has(name) or pd.isna(cover.col(name).iloc[0]) for name in own)


def _codes_of(table: Table | None) -> list[str]:
    if table is None or not table.has("project_code"):
        return []
    return [str(c) for c in table.col("project_code").dropna().unique()]


def _project_codes(result: Return) -> list[str]:
    """Every project code a return mentions: the register entries its lines need."""
    codes: set[str] = set()
    for table in result.tables.values():
        codes.update(_codes_of(table))
    return sorted(codes)


def _cover_value(cover: Table | None, raw: RawReturn, name: str) -> str | None:
    if cover is not None and cover.has(name):
        value = cover.col(name).iloc[0]
        if value is not None and not pd.isna(value):
            return str(value)
    return raw.named.get(name)


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


def _file_result(
    source: Source, rule_id: str, lang: str, params: dict[str, Any], file: str | None = None, **where: Any
) -> ReturnResult:
    """A return that could not be checked: one finding about the whole file (or the file of the group)."""
    rule = load_standard(latest_version()).rule(rule_id)
    finding = Finding(
        file=file or source.display,
        rule=rule.id,
        severity=rule.severity,
        message=render(rule.template(lang), params),
        **where,
    )
    return ReturnResult(tuple(d for _, d in source.files), None, None, None, (finding,))


def unreadable_result(source: Source, error: UnreadableInputError, lang: str) -> ReturnResult:
    reason = ui(f"unreadable.{error.code}", lang, **error.params)
    return _file_result(
        source,
        FILE_UNREADABLE,
        lang,
        {"reason": reason},
        file=error.params.get("file"),
        row=error.params.get("line"),
        column=error.params.get("column"),
        line=error.code == "bad-json",
    )


def check_source(
    source: Source,
    *,
    lang: str = "en",
    today: dt.date | None = None,
    reference: Reference | None = None,
    claims: Claims | None = None,
    default_version: str | None = None,
) -> tuple[ReturnResult, Return | None]:
    """The engine's one entry, for ``validate`` and ``consolidate`` alike: read one return, then check it.

    The typed tables come back with the result (None when the return could not be read).
    """
    standard = load_standard(latest_version())
    if source.kind == "unsupported":
        suffix = source.files[0][0].suffix.lower() or source.files[0][0].name
        hint = ui(UNSUPPORTED_HINTS.get(suffix, "hint.unsupported"), lang)
        return _file_result(source, FILE_UNSUPPORTED, lang, {"suffix": suffix, "hint": hint}), None
    if source.kind == "csv-misnamed":
        kinds = ", ".join((standard.cover.name, *standard.record_types))
        return _file_result(source, CSV_NAME, lang, {"kinds": kinds}), None
    try:
        raw = read_source(source, standard, claims)
    except UnreadableInputError as error:  # said once: the file is not read a second time
        return unreadable_result(source, error, lang), None
    return check_return(raw, lang=lang, today=today, reference=reference, default_version=default_version)


def validate_source(source: Source, **options: Any) -> ReturnResult:
    """:func:`check_source` without the typed tables."""
    return check_source(source, **options)[0]


def validate_paths(
    paths: Sequence[str | Path],
    *,
    lang: str = "en",
    today: dt.date | None = None,
    reference: Reference | None = None,
    progress: Progress | None = None,
    config: Config | None = None,
) -> Report:
    """Validate every return found under ``paths`` (files or folders).

    ``progress`` is called before each return with its number, the total and the source.
    ``config`` (a data repository's configuration) gives path claims and the default version.
    """
    claims = config.claims if config is not None and config.paths else None
    sources = discover(paths, _namer(claims) if claims else None)
    results = []
    for number, source in enumerate(sources, start=1):
        if progress is not None:
            progress(number, len(sources), source)
        results.append(
            validate_source(
                source,
                lang=lang,
                today=today,
                reference=reference,
                claims=claims,
                default_version=config.standard if config is not None else None,
            )
        )
    return Report(tuple(results), lang=lang)
