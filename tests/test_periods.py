"""The period grammar (standard/periods.py) is the Cover's pattern, and its arithmetic is right."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tcstandards.standard import load_standard, periods

TEXTS = [
    "1997-Q3",
    "1990-Q1",
    "2099-Q4",
    "1997-Q0",
    "1997-Q5",
    "1997-q3",
    "97-Q3",
    "1897-Q1",
    "1997-T3",
    " 1997-Q3",
]


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_the_grammar_is_the_cover_pattern(version: str) -> None:
    pattern = re.compile(load_standard(version).cover.field("period").pattern or "")
    assert [bool(pattern.match(t)) for t in TEXTS] == [periods.is_period(t) for t in TEXTS]
    assert [periods.is_period(t) for t in TEXTS] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_parse_reads_either_case_and_refuses_the_rest_without_naming_an_option() -> None:
    assert periods.parse(" 1997-q3 ") == (1997, 3)
    with pytest.raises(periods.PeriodError) as caught:
        periods.parse("1997-T4")
    assert str(caught.value) == "'1997-T4' is not a quarter like 1997-Q3"
    assert "--" not in str(caught.value)


def test_quarter_arithmetic() -> None:
    assert periods.previous("1997-Q1") == "1996-Q4"
    assert periods.previous("1997-Q3") == "1997-Q2"
    assert periods.quarters("1996-Q3", "1997-Q2") == ["1996-Q3", "1996-Q4", "1997-Q1", "1997-Q2"]
    assert periods.bounds("1996-Q4") == (dt.date(1996, 10, 1), dt.date(1996, 12, 31))
    assert periods.bounds("1996-Q1") == (dt.date(1996, 1, 1), dt.date(1996, 3, 31))
    assert periods.bounds("T4 1996") is None
    with pytest.raises(periods.PeriodError, match="1997-Q2 is after 1996-Q1"):
        periods.quarters("1997-Q2", "1996-Q1")
