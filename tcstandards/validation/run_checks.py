"""Checks across the returns of one run: one return per office and quarter.

A folder that holds two returns of one office and quarter (an original and
its corrected copy, or an annotated copy) would be checked, and at HQ merged,
as two versions. Each of them gets a ``return-twice`` error naming the others,
so the office keeps the one to submit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tcstandards.common.i18n import ui
from tcstandards.standard import newest_standard
from tcstandards.standard.rule_ids import ANNOTATED_COPY, RETURN_TWICE
from tcstandards.validation.findings import ReturnResult, make_finding


@dataclass(frozen=True)
class Seen:
    """What a run knows of one return: who and when it is for, its name, whether it is an annotated copy."""

    office: str | None
    period: str | None
    name: str
    annotated: bool = False


def returns_twice(returns: Sequence[Seen]) -> dict[int, list[Seen]]:
    """Return number -> the other returns of the run for the same office and quarter (when known)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for number, seen in enumerate(returns):
        if seen.office and seen.period:
            groups.setdefault((seen.office, seen.period), []).append(number)
    return {
        number: [returns[other] for other in members if other != number]
        for members in groups.values()
        if len(members) > 1
        for number in members
    }


def with_twice(result: ReturnResult, others: Sequence[Seen], lang: str) -> ReturnResult:
    """``result`` with its ``return-twice`` error first, naming the other returns of its office and period."""
    named = ", ".join(s.name + (" " + ui("run.annotated", lang) if s.annotated else "") for s in others)
    params = {"office": result.office, "period": result.period, "other": named}
    rule = newest_standard().rule(RETURN_TWICE)
    finding = make_finding(rule, lang, params, file=result.files[0], record=newest_standard().cover.name)
    return replace(result, findings=(finding, *result.findings))


def seen(result: ReturnResult) -> Seen:
    annotated = any(f.rule == ANNOTATED_COPY for f in result.findings)
    return Seen(result.office, result.period, result.files[0], annotated)


__all__ = ["Seen", "returns_twice", "seen", "with_twice"]
