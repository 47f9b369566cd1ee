"""Waivers: accepted exceptions to the standard, each with a reason and an expiry date.

::

    [[waiver]]
    rule = "donor-suffix"
    office = "DAKAR"
    period = "1997-Q3"
    cell = "Projects!H4"          # optional: without it, every finding of the rule in that return
    reason = "Symbol fixed by the donor agreement of 1996"
    expires = 1998-06-30

A finding that a waiver matches stays in the report, marked waived with the
reason, and no longer counts as an error or warning.  From the day after
``expires`` the waiver stops working: the finding counts again, and a
``waiver-expired`` warning says which waiver lapsed.

Severity overrides of the configuration (``[tool.tcstandards.severity]``) are
applied here too, before the waivers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tcstandards.common.errors import UsageError
from tcstandards.reading.config import FIXED_RULES
from tcstandards.standard import load_standard, newest_standard, stable_version
from tcstandards.standard.rule_ids import WAIVER_EXPIRED
from tcstandards.validation.findings import Finding, Report, ReturnResult, make_finding

KEYS = ("rule", "office", "period", "cell", "reason", "expires")
REQUIRED = ("rule", "office", "period", "reason", "expires")


@dataclass(frozen=True)
class Waiver:
    rule: str
    office: str
    period: str
    reason: str
    expires: dt.date
    cell: str | None = None
    number: int = 0  # its place in the file, for messages

    def matches(self, result: ReturnResult, finding: Finding) -> bool:
        return (
            finding.rule == self.rule
            and (result.office or "").upper() == self.office
            and (result.period or "").upper() == self.period
            and (self.cell is None or self.cell.upper() in _places(finding))
        )


def _places(finding: Finding) -> set[str]:
    """How a waiver may name a finding's place: as the JSON output's location (Finance!D14,
    /finance/3/title, 2:5 for a CSV line and column), or FILE.csv:2:5 for a CSV group."""
    location = finding.location.upper()
    name = finding.file.replace("\\", "/").rsplit("/", 1)[-1].upper()
    return {location, f"{name}:{location}"}


def load_waivers(path: Path) -> list[Waiver]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(
            f"cannot read the waivers file {path}: {error.strerror}",
            code="waivers-unreadable",
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
    except UnicodeDecodeError as error:
        raise UsageError(
            f"the waivers file {path} is not UTF-8 text", code="waivers-not-utf8", path=str(path)
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(
            f"{path} is not valid TOML: {error}", code="waivers-toml", path=str(path), reason=str(error)
        ) from error
    unknown = [k for k in data if k != "waiver"]
    if unknown:
        raise UsageError(
            f"unknown key {unknown[0]!r} in {path} (use [[waiver]] tables)",
            code="waivers-top-key",
            key=unknown[0],
            path=str(path),
        )
    entries = data.get("waiver", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UsageError(
            f"in {path}, each waiver is a [[waiver]] table", code="waivers-not-tables", path=str(path)
        )
    rules = newest_standard().rules
    waivers = []
    for i, entry in enumerate(entries, start=1):
        where = f"waiver {i} of {path}"
        at = {"where": where, "place": f"{path} [[waiver]] {i}"}  # the place in every language's words
        for key in entry:
            if key not in KEYS:
                raise UsageError(
                    f"unknown key {key!r} in {where} (known: {', '.join(KEYS)})",
                    code="waivers-unknown-key",
                    key=key,
                    known=", ".join(KEYS),
                    **at,
                )
        for key in REQUIRED:
            if key not in entry:
                raise UsageError(f"{where} has no {key}", code="waivers-no-key", key=key, **at)
        for key in ("rule", "office", "period", "reason", "cell"):
            if key in entry and not isinstance(entry[key], str):
                raise UsageError(f"{where}: {key} must be a string", code="waivers-not-string", key=key, **at)
        if entry["rule"] not in rules:
            raise UsageError(
                f"{where}: unknown rule {entry['rule']!r}", code="waivers-rule", value=entry["rule"], **at
            )
        if entry["rule"] in FIXED_RULES:
            raise UsageError(
                f"{where}: {entry['rule']} cannot be waived (the file was not checked)",
                code="waivers-fixed",
                value=entry["rule"],
                **at,
            )
        expires = entry["expires"]
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        if not isinstance(expires, dt.date):
            raise UsageError(f"{where}: expires must be a date (1998-06-30)", code="waivers-expires", **at)
        if not str(entry["reason"]).strip():
            raise UsageError(f"{where}: the reason is empty", code="waivers-no-reason", **at)
        waivers.append(
            Waiver(
                rule=str(entry["rule"]),
                office=str(entry["office"]).upper(),
                period=str(entry["period"]).upper(),
                reason=str(entry["reason"]).strip(),
                expires=expires,
                cell=str(entry["cell"]) if entry.get("cell") else None,
                number=i,
            )
        )
    return waivers


def apply(
    report: Report,
    *,
    severity: Mapping[str, str] | None = None,
    waivers: Sequence[Waiver] = (),
    today: dt.date | None = None,
) -> Report:
    """The report with severity overrides and waivers applied."""
    today = today or dt.date.today()
    results = []
    for result in report.returns:
        expired_rule = load_standard(result.standard_version or stable_version()).rule(WAIVER_EXPIRED)
        findings: list[Finding] = []
        lapsed: dict[int, Waiver] = {}
        for f in result.findings:
            level = (severity or {}).get(f.rule)
            if level == "off":
                continue
            if level is not None:
                f = dataclasses.replace(f, severity=level)
            for w in waivers:
                if w.matches(result, f):
                    if w.expires >= today:
                        f = dataclasses.replace(f, waived=w.reason)
                        break
                    lapsed[w.number] = w
            findings.append(f)
        for w in lapsed.values():
            params = {
                "rule": w.rule,
                "reason": w.reason,
                "expires": w.expires.isoformat(),
                "number": w.number,
            }
            file = result.files[0] if result.files else ""
            findings.append(make_finding(expired_rule, report.lang, params, file=file))
        results.append(dataclasses.replace(result, findings=tuple(findings)))
    return dataclasses.replace(report, returns=tuple(results))
