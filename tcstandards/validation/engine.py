"""Validate returns: paths -> :class:`~tcstandards.findings.Report`.

The flow is one way: read (reading) -> check (:mod:`.checking`: type, field
checks, catalogue rules) -> findings.  :func:`check_source` is the one entry
that ``validate`` and ``consolidate`` both call.  Nothing here
prints; problems in a return are findings, and only "could not run at all"
is an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tcstandards.common.errors import UnreadableInputError
from tcstandards.common.i18n import ui
from tcstandards.reading.base import RawReturn
from tcstandards.reading.config import Config
from tcstandards.reading.csvfile import CsvName, read_csv_return
from tcstandards.reading.jsonfile import read_json_return
from tcstandards.reading.sources import Source, discover
from tcstandards.reading.xlsx import read_workbook
from tcstandards.standard import (
    Standard,
    newest_standard,
    normalize_label,
    periods,
)
from tcstandards.standard.roles import ROLE
from tcstandards.standard.rule_ids import (
    CSV_NAME,
    FILE_UNREADABLE,
    FILE_UNSUPPORTED,
)
from tcstandards.validation import batch
from tcstandards.validation.checking import Done, Typed, finish, type_returns
from tcstandards.validation.findings import Report, ReturnResult, make_finding
from tcstandards.validation.register import Reference
from tcstandards.validation.run_checks import returns_twice, seen, with_twice
from tcstandards.validation.tables import (
    Return,
    cover_names,
)

FILE_NAME = re.compile(rf"^(?P<office>[A-Za-z]{{2,10}})_(?P<period>{periods.QUARTER})(?![0-9])")
UNSUPPORTED_HINTS = {".xls": "hint.xls", ".xlsb": "hint.xlsb"}

Progress = Callable[[int, int, Source], None]  # (number, total, source)


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
        raw.claimed.update({k: configured[k] for k in (ROLE.office, ROLE.period) if k in configured})
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
    """``DAKAR_1997-Q3.xlsx`` -> office and period (by role): a known office, then a quarter."""
    match = FILE_NAME.match(path.name)
    if match is None or match["office"].upper() not in standard.codelist("offices").codes:
        return {}
    return {ROLE.office: match["office"].upper(), ROLE.period: match["period"].upper()}


def _file_result(
    source: Source, rule_id: str, lang: str, params: dict[str, Any], file: str | None = None, **where: Any
) -> ReturnResult:
    """A return that could not be checked: one finding about the whole file (or the file of the group)."""
    rule = newest_standard().rule(rule_id)  # the file was not read: no version of its own
    finding = make_finding(rule, lang, params, file=file or source.display, **where)
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
    """Read one return, then check it (:func:`prepare` and :func:`check_prepared` for one source).

    The typed tables come back with the result (None when the return could not be read).
    """
    (prepared,) = prepare([source], lang=lang, today=today, claims=claims, default_version=default_version)
    return check_prepared(prepared, lang=lang, today=today, reference=reference)


@dataclass
class Prepared:
    """A return read and typed, with the hits found together with the other returns of its run."""

    typed: Typed
    done: Done


def prepare(
    sources: Sequence[Source],
    *,
    lang: str = "en",
    today: dt.date | None = None,
    claims: Claims | None = None,
    default_version: str | None = None,
    progress: Progress | None = None,
    own_registers: bool = False,
) -> list[Prepared | ReturnResult]:
    """The engine's first half, for ``validate`` and ``consolidate`` alike: read and type every return,
    then run the checks that cost the same for few records as for many once per record type for them
    all (:mod:`tcstandards.validation.batch`). A return that cannot be read is already its result.
    ``own_registers``: no HQ store, so each return's register is its own Projects, and the rules that
    read the register run together too.

    ``progress`` is called before each return is read with its number, the total and the source.
    """
    read: list[RawReturn | ReturnResult] = []
    for number, source in enumerate(sources, start=1):
        if progress is not None:
            progress(number, len(sources), source)
        read.append(read_return(source, lang=lang, claims=claims))
    typed = type_returns([one for one in read if isinstance(one, RawReturn)], default_version=default_version)
    done = iter(zip(typed, batch.precompute(typed, today, own_registers=own_registers), strict=True))
    return [one if isinstance(one, ReturnResult) else Prepared(*next(done)) for one in read]


def check_prepared(
    prepared: Prepared | ReturnResult,
    *,
    lang: str = "en",
    today: dt.date | None = None,
    reference: Reference | None = None,
) -> tuple[ReturnResult, Return | None]:
    """The engine's second half: a prepared return's register, rules and findings (at HQ: the store's)."""
    if isinstance(prepared, ReturnResult):
        return prepared, None
    return finish(prepared.typed, lang=lang, today=today, reference=reference, done=prepared.done)


def read_return(
    source: Source, *, lang: str = "en", claims: Claims | None = None
) -> RawReturn | ReturnResult:
    """A return as read, or the result that says why it cannot be read."""
    # reads the sheet names and headers of every version; the return's own version then checks it
    standard = newest_standard()
    if source.kind == "unsupported":
        suffix = source.files[0][0].suffix.lower() or source.files[0][0].name
        hint = ui(UNSUPPORTED_HINTS.get(suffix, "hint.unsupported"), lang)
        return _file_result(source, FILE_UNSUPPORTED, lang, {"suffix": suffix, "hint": hint})
    if source.kind == "csv-misnamed":
        kinds = ", ".join((standard.cover.name, *standard.record_types))
        return _file_result(source, CSV_NAME, lang, {"kinds": kinds})
    try:
        return read_source(source, standard, claims)
    except UnreadableInputError as error:  # said once: the file is not read a second time
        return unreadable_result(source, error, lang)


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

    Every return is read and typed first (:func:`prepare`), then each is
    finished (:func:`check_prepared`). ``progress`` is called before each return
    is read. ``config`` (a data repository's configuration) gives path claims
    and the default version.
    """
    claims = config.claims if config is not None and config.paths else None
    version = config.standard if config is not None else None
    sources = discover(paths, _namer(claims) if claims else None)
    prepared = prepare(
        sources,
        lang=lang,
        today=today,
        claims=claims,
        default_version=version,
        progress=progress,
        own_registers=reference is None,
    )
    results = [check_prepared(one, lang=lang, today=today, reference=reference)[0] for one in prepared]
    twice = returns_twice([seen(r) for r in results])
    results = [with_twice(r, twice[n], lang) if n in twice else r for n, r in enumerate(results)]
    return Report(tuple(results), lang=lang)
