"""The period grammar of the standard, in one place: a quarter written ``YYYY-Qn`` (1997-Q3).

The Cover's ``period`` field (``cover.schema.json``) has the same pattern;
``tests/test_periods.py`` holds the two together.  Nothing here needs pandas.
"""

from __future__ import annotations

import datetime as dt
import re

from tcstandards.common.errors import UsageError

QUARTER = r"(?:19|20)\d{2}-[Qq][1-4]"  # inside a longer text (a file name); either case
PERIOD = re.compile(r"^((?:19|20)\d{2})-Q([1-4])$")
EXAMPLE = "1997-Q3"


class PeriodError(UsageError):
    """A text that is not a quarter, or a range whose first quarter comes after its last."""


def parse(text: str) -> tuple[int, int]:
    """``"1997-q3"`` -> ``(1997, 3)``; raises :class:`PeriodError` for anything else."""
    match = PERIOD.match(text.strip().upper())
    if not match:
        raise PeriodError(f"{text!r} is not a quarter like {EXAMPLE}", code="bad-period", value=text)
    return int(match[1]), int(match[2])


def is_period(text: str | None) -> bool:
    """A quarter written exactly as the standard writes it (``1997-Q3``, capital Q)."""
    return bool(text) and PERIOD.match(text or "") is not None


def name(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def year_or_quarter(text: str, *, last: bool) -> str | None:
    """A bound of a range as people write it: a year (``1996``: its first quarter, or its last with
    ``last``) or a quarter (``1996-q3``, upper-cased); None for anything of another shape. The quarter
    itself is checked where the range is made (:func:`quarters`)."""
    value = text.strip().upper()
    if len(value) == 4 and value.isdigit():
        return name(int(value), 4 if last else 1)
    return value if len(value) == 7 and value[4:6] == "-Q" else None


def previous(period: str) -> str:
    """``1997-Q1`` -> ``1996-Q4``."""
    year, quarter = parse(period)
    return name(year - 1, 4) if quarter == 1 else name(year, quarter - 1)


def quarters(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last``, both included."""
    start, end = parse(first), parse(last)
    if start > end:
        raise PeriodError(f"{first} is after {last}", code="bad-range", first=first, last=last)
    found = []
    year, quarter = start
    while (year, quarter) <= end:
        found.append(name(year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def bounds(period: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a quarter; None for a text that is not one."""
    match = PERIOD.match(period or "")
    if not match:
        return None
    year, quarter = int(match[1]), int(match[2])
    start = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, after - dt.timedelta(days=1)
