"""Reporting obligations: which units must send HQ a return for which quarters.

The ``offices`` codelist carries them: ``reports_from`` (the first quarter a
unit's return is expected), ``reports_until`` (the last; absent while it
still reports), and ``opened`` / ``closed`` for the quarters a unit began and
ended.  A unit without ``reports_from`` is not expected to report (a branch
office, a unit whose projects another office administers).  HQ adds or
changes obligations in its configuration (``obligations`` in
:mod:`tcstandards.reading.config`); an addition replaces the codelist's
obligation of that unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tcstandards.standard.model import Standard
from tcstandards.standard.periods import parse

OFFICES = "offices"


@dataclass(frozen=True)
class Obligation:
    """``office`` must report every quarter from ``first`` to ``last`` (None: no end yet)."""

    office: str
    first: str
    last: str | None = None

    def covers(self, period: str) -> bool:
        quarter = parse(period)
        return parse(self.first) <= quarter and (self.last is None or quarter <= parse(self.last))


def codelist_obligations(standard: Standard) -> dict[str, Obligation]:
    """Office code -> its obligation, as the standard's offices codelist gives it (codelist order)."""
    found = {}
    for code, item in standard.codelist(OFFICES).by_code.items():
        first = item.get("reports_from")
        if first:
            found[code] = Obligation(code, str(first), item.get("reports_until"))
    return found


def obligations(standard: Standard, additions: Iterable[Obligation] = ()) -> dict[str, Obligation]:
    """The codelist's obligations, with HQ's additions (each replaces the unit's own)."""
    found = codelist_obligations(standard)
    for addition in additions:
        found[addition.office] = addition
    return found


def expected_offices(found: Mapping[str, Obligation], period: str) -> list[str]:
    """The units that must report ``period``, in the order of ``found``."""
    return [office for office, obligation in found.items() if obligation.covers(period)]


__all__ = ["Obligation", "codelist_obligations", "expected_offices", "obligations"]
