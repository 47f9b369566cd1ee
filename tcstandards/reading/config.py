"""Configuration of a data repository: ``[tool.tcstandards]`` in pyproject.toml, or ``.tcstandards.toml``.

::

    [tool.tcstandards]                 # in .tcstandards.toml: the same keys at the top level
    lang = "fr"                        # default language of the messages
    standard = "1.0"                   # version for returns whose Cover does not say
    waivers = "waivers.toml"           # accepted exceptions (see tcstandards.waivers)

    [tool.tcstandards.severity]        # override the severity of named rules
    donor-suffix = "off"               # error | warning | off
    late-approval = "error"

    [[tool.tcstandards.paths]]         # path patterns (glob, from the config's folder)
    pattern = "dakar/**"
    office = "DAKAR"                   # the Cover must say so (else cover-mismatch)
    [[tool.tcstandards.paths]]
    pattern = "exports/1997-Q3/finance.csv"
    office = "DAKAR"
    period = "1997-Q3"
    record = "finance"                 # a CSV file not named OFFICE_PERIOD_KIND.csv

    [[tool.tcstandards.obligations]]   # HQ: a unit that must report, beyond the offices codelist
    office = "BONN"
    from = "1997-Q3"
    until = "1998-Q4"                  # optional; an entry replaces the codelist's for that unit

The configuration is found from the current folder upwards (the first
``.tcstandards.toml``, or ``pyproject.toml`` with a ``[tool.tcstandards]``
table), stopping at the top of a git repository.  Unknown keys, wrong types
and unknown rule ids are errors that name the key.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tcstandards.common.errors import UsageError
from tcstandards.common.i18n import LANGUAGES
from tcstandards.standard import available_versions, newest_standard, periods
from tcstandards.standard.obligations import OFFICES, Obligation
from tcstandards.standard.rule_ids import FILE_UNREADABLE, FILE_UNSUPPORTED

FILE = ".tcstandards.toml"
KEYS = ("lang", "standard", "waivers", "severity", "paths", "obligations")
PATH_KEYS = ("pattern", "office", "period", "record")
OBLIGATION_KEYS = ("office", "from", "until")
SEVERITIES = ("error", "warning", "off")
# A file that cannot be read has not been checked: that can never be made a warning, switched off or waived.
FIXED_RULES = (FILE_UNREADABLE, FILE_UNSUPPORTED)


@dataclass(frozen=True)
class PathRule:
    pattern: str
    office: str | None = None
    period: str | None = None
    record: str | None = None


@dataclass(frozen=True)
class Config:
    source: Path | None = None  # the file it came from; None: no configuration
    lang: str | None = None
    standard: str | None = None
    waivers: Path | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    paths: tuple[PathRule, ...] = ()
    obligations: tuple[Obligation, ...] = ()  # HQ's additions to the offices codelist's obligations

    @property
    def root(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def claims(self, path: Path) -> dict[str, str]:
        """What the path patterns say of a file: office, period, record (the last matching pattern wins)."""
        try:
            relative = Path(os.path.realpath(path)).relative_to(os.path.realpath(self.root)).as_posix()
        except ValueError:
            relative = path.as_posix()
        found: dict[str, str] = {}
        for rule in self.paths:
            if fnmatch.fnmatch(relative, rule.pattern) or fnmatch.fnmatch(path.name, rule.pattern):
                found.update({k: v for k, v in (("office", rule.office), ("period", rule.period),
                                                ("record", rule.record)) if v})  # fmt: skip
        return found


def find_config(start: Path | None = None) -> Path | None:
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / FILE).is_file():
            return candidate / FILE
        project = candidate / "pyproject.toml"
        if project.is_file():
            tool = _read(project).get("tool")
            if isinstance(tool, dict) and "tcstandards" in tool:
                return project
        if (candidate / ".git").exists():
            return None
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(
            f"cannot read the configuration {path}: {error}",
            code="config-unreadable",
            path=str(path),
            reason=str(error),
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(
            f"{path} is not valid TOML: {error}", code="config-toml", path=str(path), reason=str(error)
        ) from error


def load_config(path: Path | None) -> Config:
    """Read and check a configuration file (None: the empty configuration)."""
    if path is None:
        return Config()
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no configuration file {path}", code="config-missing", path=str(path))
    data = _read(path)
    where = f"{path.name}"
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("tcstandards", {}) if isinstance(tool, dict) else {}
        where = f"[tool.tcstandards] of {path}"
    if not isinstance(data, dict):
        raise UsageError(f"{where} must be a table", code="config-not-table", **_at(where))
    _known(data, KEYS, where)
    lang = _string(data, "lang", where)
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(
            f"lang in {where}: {lang!r} is not one of {', '.join(LANGUAGES)}",
            code="config-lang",
            value=lang,
            known=", ".join(LANGUAGES),
            **_at(where),
        )
    standard = _string(data, "standard", where)
    if standard is not None and standard not in available_versions():
        known = ", ".join(available_versions())
        raise UsageError(
            f"standard in {where}: {standard!r} is not a known version ({known})",
            code="config-standard",
            value=standard,
            known=known,
            **_at(where),
        )
    waivers = _string(data, "waivers", where)
    return Config(
        source=path,
        lang=lang,
        standard=standard,
        waivers=(path.parent / waivers) if waivers else None,
        severity=_severity(data.get("severity", {}), where),
        paths=_paths(data.get("paths", []), where),
        obligations=_obligations(data.get("obligations", []), where),
    )


def _known(data: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in keys:
            raise UsageError(
                f"unknown key {key!r} in {where} (known: {', '.join(keys)})",
                code="config-unknown-key",
                key=key,
                known=", ".join(keys),
                **_at(where),
            )


def _string(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise UsageError(
            f"{key} in {where} must be a string", code="config-not-string", key=key, **_at(where)
        )
    return value


def _severity(data: Any, where: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise UsageError(
            f"severity in {where} must be a table of rule = severity",
            code="config-severity-table",
            **_at(where),
        )
    rules = newest_standard().rules
    for rule, level in data.items():
        if rule not in rules:
            raise UsageError(
                f"severity in {where}: unknown rule {rule!r}",
                code="config-severity-rule",
                key=rule,
                **_at(where),
            )
        if rule in FIXED_RULES:
            raise UsageError(
                f"severity in {where}: {rule} cannot be changed (a file that cannot be read was not checked)",
                code="config-severity-fixed",
                key=rule,
                **_at(where),
            )
        if level not in SEVERITIES:
            raise UsageError(
                f"severity of {rule} in {where}: {level!r} is not one of {', '.join(SEVERITIES)}",
                code="config-severity-level",
                key=rule,
                value=str(level),
                known=", ".join(SEVERITIES),
                **_at(where),
            )
    return dict(data)


def _paths(data: Any, where: str) -> tuple[PathRule, ...]:
    if not isinstance(data, list):
        raise UsageError(
            f"paths in {where} must be an array of tables ([[paths]])",
            code="config-array",
            key="paths",
            **_at(where),
        )
    newest = newest_standard()
    records = {*newest.record_types, newest.cover.name}
    rules = []
    for i, entry in enumerate(data, start=1):
        here = f"paths entry {i} in {where}"
        if not isinstance(entry, dict):
            raise UsageError(f"{here} must be a table", code="config-not-table", **_at(here))
        _known(entry, PATH_KEYS, here)
        pattern = _string(entry, "pattern", here)
        if not pattern:
            raise UsageError(f"{here} has no pattern", code="config-no-key", key="pattern", **_at(here))
        record = _string(entry, "record", here)
        if record is not None and record not in records:
            raise UsageError(
                f"record in {here}: {record!r} is not a record type",
                code="config-record",
                key="record",
                value=record,
                **_at(here),
            )
        office = _string(entry, "office", here)
        if office is not None:
            _known_office(office.upper(), office, here)
        period = _string(entry, "period", here)
        if period is not None and not periods.is_period(period.upper()):
            raise UsageError(
                f"period in {here}: {period!r} is not a quarter like {periods.EXAMPLE}",
                code="config-quarter",
                key="period",
                value=period,
                **_at(here),
            )
        upper = period.upper() if period else None
        rules.append(PathRule(pattern, office.upper() if office else None, upper, record))
    return tuple(rules)


def _obligations(data: Any, where: str) -> tuple[Obligation, ...]:
    if not isinstance(data, list):
        raise UsageError(
            f"obligations in {where} must be an array of tables ([[obligations]])",
            code="config-array",
            key="obligations",
            **_at(where),
        )
    found: list[Obligation] = []
    for i, entry in enumerate(data, start=1):
        here = f"obligations entry {i} in {where}"
        if not isinstance(entry, dict):
            raise UsageError(f"{here} must be a table", code="config-not-table", **_at(here))
        _known(entry, OBLIGATION_KEYS, here)
        office = (_string(entry, "office", here) or "").upper()
        if not office:
            raise UsageError(f"{here} has no office", code="config-no-key", key="office", **_at(here))
        if office in {o.office for o in found}:
            raise UsageError(
                f"{here}: {office} has an obligation already (one entry a unit)",
                code="config-office-twice",
                value=office,
                **_at(here),
            )
        _known_office(office, office, here)
        first, last = _quarter(entry, "from", here), _quarter(entry, "until", here)
        if first is None:
            raise UsageError(
                f"{here} has no from",
                code="config-no-key",
                key="from",
                **_at(here),
            )
        if last is not None and periods.parse(last) < periods.parse(first):
            raise UsageError(
                f"{here}: until {last} comes before from {first}",
                code="config-until-before",
                first=first,
                last=last,
                **_at(here),
            )
        found.append(Obligation(office, first, last))
    return tuple(found)


def _known_office(code: str, written: str, here: str) -> None:
    """A usage error unless ``code`` is in the offices codelist (``written``: as the configuration has it)."""
    if code not in newest_standard().codelist(OFFICES).codes:
        raise UsageError(
            f"office in {here}: {written!r} is not in the offices codelist",
            code="config-office",
            value=written,
            **_at(here),
        )


def _quarter(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    value = _string(entry, key, where)
    if value is not None and not periods.is_period(value.upper()):
        raise UsageError(
            f"{key} in {where}: {value!r} is not a quarter like {periods.EXAMPLE}",
            code="config-quarter",
            key=key,
            value=value,
            **_at(where),
        )
    return value.upper() if value else None


_ENTRY = re.compile(r"^(\w+) entry (\d+) in (.+)$")


def _at(where: str) -> dict[str, str]:
    """Where a configuration error is: the English phrase (``where``) and the same place written
    without words (``place``: ``.tcstandards.toml [[paths]] 2``), which every language can show."""
    place = where
    entry = _ENTRY.match(where)
    if entry:
        place = f"{_at(entry[3])['place']} [[{entry[1]}]] {entry[2]}"
    elif where.startswith("[tool.tcstandards] of "):
        place = f"{where.removeprefix('[tool.tcstandards] of ')} [tool.tcstandards]"
    return {"where": where, "place": place}
