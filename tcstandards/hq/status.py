"""Completeness and timeliness of returns: office x quarter, from the ledger.

The units expected each quarter are those with a reporting obligation for it
(:mod:`tcstandards.standard.obligations`: the ``offices`` codelist, and HQ's
additions in its configuration).  A cell of the matrix is:

* ``on-time``: a merged return, the first of which arrived within
  ``deadline_days`` after the quarter ended (end of that day, UTC);
* ``late``: a merged return, the first after the deadline;
* ``quarantined``: returns arrived, none merged (all had errors);
* ``missing``: nothing arrived from an expected office;
* a merged cell is also ``nil`` when the version in force is a nil return (no record);
* ``not-expected``: nothing arrived, and the office had no obligation that quarter.

Returns from units that were not expected are received (and ``unexpected``)
but not counted in the states: on time + late + quarantined + missing is the
number expected, and completeness and timeliness are rates of it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tcstandards.common.errors import UsageError
from tcstandards.hq.store import Submission
from tcstandards.standard import Standard
from tcstandards.standard.obligations import Obligation, obligations
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
    nil: bool = False  # the version in force is a nil return: its Cover complete, no record


@dataclass(frozen=True)
class Status:
    periods: tuple[str, ...]
    offices: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    deadline_days: int
    obligations: Mapping[str, Obligation] = field(default_factory=dict)  # office -> its obligation
    active: frozenset[str] = frozenset()  # the offices the codelist marks active

    def totals(self, period: str | None = None, office: str | None = None) -> dict[str, int]:
        cells = [
            c
            for c in self.cells.values()
            if (period is None or c.period == period) and (office is None or c.office == office)
        ]
        counts = Counter(c.state for c in cells if c.expected)  # the expected returns: they add up
        return {
            "expected": sum(1 for c in cells if c.expected),
            "received": sum(1 for c in cells if c.submissions),
            **{state: counts.get(state, 0) for state in STATES},
            # the expected returns merged, and merged on time: what completeness and timeliness measure
            "complete": counts.get("on-time", 0) + counts.get("late", 0),
            "timely": counts.get("on-time", 0),
            "unexpected": sum(1 for c in cells if c.submissions and not c.expected),  # no obligation
            "nil": sum(1 for c in cells if c.expected and c.nil),  # complete, with nothing to report
        }


def compute_status(
    submissions: list[Submission],
    periods: list[str] | None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    *,
    standard: Standard,
    additions: Sequence[Obligation] = (),
) -> Status:
    """The status matrix for ``periods`` (default: every period in the ledger, first to last).

    The offices expected are those with an obligation in ``standard``'s offices codelist (the
    store's version) or in ``additions`` (HQ's configuration).  The rows: the units with an
    obligation in any of the periods, in codelist order, then any other unit that reported.
    """
    if deadline_days < 0:
        raise UsageError("the deadline must be 0 days or more", code="status-deadline")
    if periods is None:
        known = sorted({str(s.period) for s in submissions if is_period(s.period)})
        periods = quarters(known[0], known[-1]) if known else []
    found = obligations(standard, additions)
    obliged = [o for o, obligation in found.items() if any(obligation.covers(p) for p in periods)]
    reporting = sorted({s.office for s in submissions if s.office and s.period in periods} - set(obliged))
    rows = [*obliged, *reporting]
    by_cell: dict[tuple[str, str], list[Submission]] = {}
    for s in submissions:
        if s.office and s.period in periods:
            by_cell.setdefault((s.office, s.period), []).append(s)
    cells = {}
    for period in periods:
        limit = deadline(period, deadline_days)
        for office in rows:
            expected = office in found and found[office].covers(period)
            cells[(office, period)] = _cell(
                office, period, expected, by_cell.get((office, period), []), limit
            )
    offices = standard.codelist("offices").by_code
    active = frozenset(code for code, item in offices.items() if item.get("active", True))
    return Status(tuple(periods), tuple(rows), cells, deadline_days, found, active)


def _cell(office: str, period: str, expected: bool, found: list[Submission], limit: dt.datetime) -> Cell:
    if not found:
        return Cell(office, period, "missing" if expected else "not-expected", expected)
    found = sorted(found, key=lambda s: (s.received_at, s.id))
    merged = [s for s in found if s.outcome == "merged"]
    in_force = next((s for s in found if s.current), None)
    current = in_force.id if in_force is not None else None
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
        nil=in_force is not None and in_force.records == 0,
    )
