"""The standard compiled to pandera: one ``DataFrameSchema`` per record type.

Field checks come from the record type's JSON Schema (``pattern``, ``format:
email``, ``x-codelist``, lengths and bounds; a required field is not
nullable); row rules are the catalogue's ``expression`` rules that need
nothing but the record itself (those that read the return's period, today's
date or the project register are left to the validation engine).  Every check
is named by its catalogue rule id, so ``failure_cases["check"]`` speaks the
catalogue's language.  pandas and pandera are imported here only, when a
schema is asked for.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from tcstandards.standard.expressions import Evaluator, RuleSpec, needs_context
from tcstandards.standard.rule_ids import CODELIST, EMAIL, LENGTH, PATTERN, RANGE

# Standard, RecordType, Field and Rule of the model, known here by what is read of them: the model
# imports this module when a schema is asked for, so this module does not import the model.
Standard = Any
RecordType = Any
Field = Any

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class FrameEnvironment:
    """A plain data frame as rule expressions see it: no period, no register around it."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.size = len(frame)

    def has(self, name: str) -> bool:
        return name in self.frame

    def column(self, name: str) -> pd.Series:
        if name in self.frame:
            return self.frame[name].reset_index(drop=True)
        return pd.Series([None] * self.size, index=pd.RangeIndex(self.size), dtype=object)

    def missing(self, name: str) -> pd.Series:
        return self.column(name).isna()

    def context(self, name: str) -> Any:
        return None

    def lookup(self, name: str, codes: pd.Series) -> pd.Series:
        return pd.Series([None] * len(codes), index=codes.index, dtype=object)  # no register here


def field_checks(standard: Standard, f: Field) -> list[pa.Check]:
    """The checks of one field; ``error`` names each by its rule id in ``failure_cases["check"]``."""
    checks = []
    if f.pattern:
        checks.append(pa.Check.str_matches(f.pattern, name=PATTERN, error=PATTERN))
    if f.email:
        checks.append(pa.Check.str_matches(EMAIL_PATTERN, name=EMAIL, error=EMAIL))
    if f.codelist:
        checks.append(
            pa.Check.isin(sorted(standard.codelist(f.codelist).codes), name=CODELIST, error=CODELIST)
        )
    if f.min_length is not None or f.max_length is not None:
        checks.append(pa.Check.str_length(f.min_length, f.max_length, name=LENGTH, error=LENGTH))
    if f.exclusive_minimum is not None:
        checks.append(pa.Check.gt(f.exclusive_minimum, name=RANGE, error=RANGE))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum, name=RANGE, error=RANGE))
    if f.upper_bound is not None:
        checks.append(pa.Check.le(f.upper_bound, name=RANGE, error=RANGE))
    return checks


def row_check(standard: Standard, rule: RuleSpec) -> pa.Check:
    """A catalogue expression rule as a check of the whole frame (True where a record passes)."""

    def passes(frame: pd.DataFrame) -> pd.Series:
        evaluator = Evaluator(rule, standard, FrameEnvironment(frame))
        broken = pd.Series(False, index=pd.RangeIndex(len(frame)))
        for _, case in evaluator.cases():
            broken = broken | case
        return pd.Series(~broken.to_numpy(), index=frame.index)

    return pa.Check(passes, name=rule.id, description=rule.title.get("en"))


def row_rules(standard: Standard, record: RecordType) -> list[RuleSpec]:
    """The expression rules of a record type that need nothing but its records."""
    return [
        rule
        for rule in standard.rules.values()
        if rule.kind == "expression" and record.name in rule.records and not needs_context(rule)
    ]


def build(standard: Standard, record: RecordType, *, with_row_rules: bool) -> pa.DataFrameSchema:
    columns = {
        f.name: pa.Column(
            checks=field_checks(standard, f), nullable=not f.required, required=False, name=f.name
        )
        for f in record.fields
    }
    checks = [row_check(standard, rule) for rule in row_rules(standard, record)] if with_row_rules else []
    return pa.DataFrameSchema(columns, checks=checks, name=record.name, strict=False, coerce=False)
