"""Options of several commands, worded for the command line: the library's errors name no option."""

from __future__ import annotations

from tcstandards.common.errors import UsageError
from tcstandards.standard import periods


def quarter_option(text: str, option: str = "--period") -> str:
    """``--period 1997-q3`` -> ``1997-Q3``; a usage error naming the option otherwise."""
    try:
        return periods.name(*periods.parse(text))
    except periods.PeriodError as error:
        raise UsageError(f"{option}: {error}", code=error.code, option=option, **error.params) from None


def quarters_option(first: str, last: str) -> list[str]:
    """``--from`` .. ``--to``: every quarter in between, both included."""
    start, end = quarter_option(first, "--from"), quarter_option(last, "--to")
    try:
        return periods.quarters(start, end)
    except periods.PeriodError:
        raise UsageError(
            f"--from {first} is after --to {last}", code="bad-range", first=first, last=last
        ) from None
