"""Completeness and timeliness of returns: office x quarter, from the ledger.

Every active office of the ``offices`` codelist is expected to report every
quarter.  A cell of the matrix is:

* ``on-time``: a merged return, the first of which arrived within
  ``deadline_days`` after the quarter ended (end of that day, UTC);
* ``late``: a merged return, the first after the deadline;
* ``quarantined``: returns arrived, none merged (all had errors);
* ``missing``: nothing arrived from an expected office;
* ``not-expected``: nothing arrived, and the office is not active.

Returns from offices that are not expected (inactive ones) are counted where
they arrived.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from tcstandards.common.errors import UsageError
from tcstandards.hq.store import Submission
from tcstandards.standard import Standard
from tcstandards.standard.periods import bounds, is_period, parse, quarters

DEFAULT_DEADLINE_DAYS = 45
STATES = ("on-time", "late", "quarantined", "missing")


def deadline(period: str, days: int) -> dt.datetime:
    """The last moment a return for ``period`` is on time: quarter end + ``days``, 23:59:59 UTC."""
    found = bounds(period)
    if found is None:
        parse(period)  # raises, saying why
        raise AssertionError(period)
    last = found[1] + dt.timedelta(days=days)
    return dt.datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=dt.UTC)


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Cell:
    office: str
    period: str
    state: str
    expected: bool
    first_received: str | None = None  # first submission of any outcome
    merged_received: str | None = None  # first merged submission
    submissions: int = 0
    current: int | None = None  # id of the current (merged) submission


@dataclass(frozen=True)
class Status:
    periods: tuple[str, ...]
    offices: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    deadline_days: int

    def totals(self, period: str | None = None, office: str | None = None) -> dict[str, int]:
        cells = [
            c
            for c in self.cells.values()
            if (period is None or c.period == period) and (office is None or c.office == office)
        ]
        counts = Counter(c.state for c in cells)
        return {
            "expected": sum(1 for c in cells if c.expected),
            "received": sum(1 for c in cells if c.submissions),
            **{state: counts.get(state, 0) for state in STATES},
        }


def compute_status(
    submissions: list[Submission],
    periods: list[str] | None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    *,
    standard: Standard,
) -> Status:
    """The status matrix for ``periods`` (default: every period in the ledger, first to last).

    The offices expected are those of ``standard``'s offices codelist (the store's version).
    """
    if deadline_days < 0:
        raise UsageError("the deadline must be 0 days or more", code="status-deadline")
    if periods is None:
        known = sorted({str(s.period) for s in submissions if is_period(s.period)})
        periods = quarters(known[0], known[-1]) if known else []
    offices = standard.codelist("offices")
    active = [code for code, item in offices.by_code.items() if item.get("active", True)]
    reporting = sorted({s.office for s in submissions if s.office and s.period in periods} - set(active))
    rows = [*active, *reporting]
    by_cell: dict[tuple[str, str], list[Submission]] = {}
    for s in submissions:
        if s.office and s.period in periods:
            by_cell.setdefault((s.office, s.period), []).append(s)
    cells = {}
    for period in periods:
        limit = deadline(period, deadline_days)
        for office in rows:
            cells[(office, period)] = _cell(
                office, period, office in active, by_cell.get((office, period), []), limit
            )
    return Status(tuple(periods), tuple(rows), cells, deadline_days)


def _cell(office: str, period: str, expected: bool, found: list[Submission], limit: dt.datetime) -> Cell:
    if not found:
        return Cell(office, period, "missing" if expected else "not-expected", expected)
    found = sorted(found, key=lambda s: (s.received_at, s.id))
    merged = [s for s in found if s.outcome == "merged"]
    current = next((s.id for s in found if s.current), None)
    state = "quarantined"
    if merged:
        state = "on-time" if _moment(merged[0].received_at) <= limit else "late"
    return Cell(
        office,
        period,
        state,
        expected,
        first_received=found[0].received_at,
        merged_received=merged[0].received_at if merged else None,
        submissions=len(found),
        current=current,
    )
