"""Findings are data: what is wrong, where the user sees it, how serious.

A :class:`Finding` knows its place in the file as the user sees it: a sheet
and cell (``Finance!D14``), a CSV line, or a JSON pointer.  A
:class:`ReturnResult` holds the findings of one return (one office, one
quarter; one workbook or JSON file, or a group of CSV files), and a
:class:`Report` the results of one run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tcstandards.common.cells import column_letter
from tcstandards.common.i18n import render
from tcstandards.standard import Rule
from tcstandards.standard.rule_ids import FILE_UNREADABLE, FILE_UNSUPPORTED

ERROR = "error"
WARNING = "warning"
UNREADABLE_RULES = frozenset({FILE_UNREADABLE, FILE_UNSUPPORTED})


@dataclass(frozen=True)
class Finding:
    file: str
    rule: str
    severity: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    pointer: str | None = None
    record: str | None = None
    field: str | None = None
    value: str | None = None
    line: bool = False
    waived: str | None = (
        None  # the reason of the waiver that accepts this finding (it then counts for nothing)
    )

    @property
    def counts(self) -> bool:
        """An error or warning that counts: not waived."""
        return self.waived is None

    @property
    def cell(self) -> str | None:
        """The spreadsheet address (``D14``) when the finding sits in a sheet."""
        return cell_address(self.sheet, self.row, self.column)

    @property
    def location(self) -> str:
        """Where to look, as the user sees it: ``Finance!D14``, ``line 14``, ``/finance/3/title``."""
        return location_text(sheet=self.sheet, row=self.row, column=self.column, pointer=self.pointer)

    def sort_key(self) -> tuple[str, str, int, int, str]:
        return (self.file, self.sheet or "", self.row or 0, self.column or 0, self.rule)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "line": self.row if self.line else None,
            "pointer": self.pointer,
            "location": self.location,
            "record": self.record,
            "field": self.field,
            "value": self.value,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "waived": self.waived,
        }


def cell_address(sheet: str | None, row: int | None, column: int | None) -> str | None:
    if sheet is None or row is None:
        return None
    return f"{column_letter(column)}{row}" if column else str(row)


def location_text(
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: int | None = None,
    pointer: str | None = None,
    **_: Any,
) -> str:
    """A place as the user sees it: ``Finance!D14``, ``14:3`` (CSV line and column), ``/finance/3/title``."""
    if pointer is not None:
        return pointer
    if sheet is not None:
        cell = cell_address(sheet, row, column)
        return f"{sheet}!{cell}" if cell else sheet
    if row is not None:
        return f"{row}:{column}" if column else str(row)
    return ""


def make_finding(
    rule: Rule, lang: str, params: Mapping[str, Any], *, file: str, template: str | None = None, **where: Any
) -> Finding:
    """The one place a finding is made: the rule's message in ``lang`` with ``params``, and its severity.

    ``where`` places it (sheet, row, column, pointer, record, field, value, line). ``template``: the
    rule's message in ``lang``, when the caller makes many findings of one rule (it is the same).
    """
    message = render(rule.template(lang) if template is None else template, params, lang)
    return Finding(file=file, rule=rule.id, severity=rule.severity, message=message, **where)


def kept_finding(kept: Mapping[str, Any], file: str) -> Finding:
    """A finding as HQ's store keeps it (its message already worded), back as a finding to place on
    the workbook's cells; ``file`` when the store has none for it."""
    return Finding(
        file=kept["file"] or file,
        rule=kept["rule"],
        severity=kept["severity"],
        message=kept["message"],
        sheet=kept["sheet"],
        row=kept["row"],
        column=kept["col"],
        pointer=kept["pointer"],
        record=kept["record"],
        field=kept["field"],
        value=kept["value"],
    )


@dataclass(frozen=True)
class ReturnResult:
    """The outcome of validating one return."""

    files: tuple[str, ...]
    office: str | None
    period: str | None
    standard_version: str | None
    findings: tuple[Finding, ...]
    record_counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR and f.counts)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING and f.counts)

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if not f.counts)

    @property
    def unreadable(self) -> bool:
        return any(f.rule in UNREADABLE_RULES for f in self.findings)

    @property
    def records(self) -> int:
        return sum(self.record_counts.values())


@dataclass(frozen=True)
class Report:
    """The outcome of one run over one or more returns."""

    returns: tuple[ReturnResult, ...]
    lang: str = "en"

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.returns for f in r.findings)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.returns)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.returns)

    @property
    def files(self) -> int:
        return sum(len(r.files) for r in self.returns)

    @property
    def unreadable(self) -> bool:
        return any(r.unreadable for r in self.returns)

    @property
    def waived(self) -> int:
        return sum(r.waived for r in self.returns)

    def rule_counts(self) -> dict[str, int]:
        return dict(Counter(f.rule for f in self.findings))
