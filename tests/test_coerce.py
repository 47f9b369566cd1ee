"""Typed values: numbers in every convention, dates, codes, and what fails."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from tcstandards.validation.coerce import coerce, to_date, to_number, to_text


def test_numbers() -> None:
    raw = [
        1234.5,
        "1 234,56",
        "1,234.56",
        "1.234.567,5",
        "USD 1,000",
        "(1,000)",
        "$250",
        "12.5%",
        "",
        "-",
        "n/a",
        "1\u00a0234,5",
        "abc",
        True,
    ]
    result = to_number(raw)
    values = result.values.tolist()
    expected = [
        1234.5,
        1234.56,
        1234.56,
        1234567.5,
        1000,
        -1000,
        250,
        12.5,
        None,
        None,
        None,
        1234.5,
        None,
        None,
    ]
    for got, want in zip(values, expected, strict=True):
        assert math.isnan(got) if want is None else got == want, (got, want)
    assert result.failed.tolist() == [12, 13]
    assert result.notes["number-text"]["count"] == 8
    assert result.notes["number-text"]["locale"] == "1 234,56"


def test_integers() -> None:
    result = to_number([3, 4.0, 4.5, "7"], integer=True)
    assert result.failed.tolist() == [2]
    assert result.failed_rule == {2: "invalid-integer"}


def test_dates() -> None:
    raw = [
        dt.date(1997, 7, 1),
        dt.datetime(1997, 7, 2, 0, 0),
        "1997-07-03",
        "25/07/1997",
        "07/25/1997",
        "03/04/1997",
        "04/04/1997",
        35612,
        "",
        "soon",
    ]
    result = to_date(raw)
    got = [None if pd.isna(v) else v.date().isoformat() for v in result.values]
    assert got == [
        "1997-07-01",
        "1997-07-02",
        "1997-07-03",
        "1997-07-25",
        "1997-07-25",
        None,
        "1997-04-04",
        "1997-07-01",
        None,
        None,
    ]
    assert result.failed.tolist() == [5, 9]
    assert result.failed_rule == {5: "ambiguous-date"}


def test_text_and_codes() -> None:
    result = to_text(["  DAKAR ", "\u200bSEN\u200b", 16020.0, "", None, "O\u2019Neil"])
    assert result.values.tolist() == ["DAKAR", "SEN", "16020", None, None, "O'Neil"]
    assert len(result.failed) == 0


def test_serial_numbers_are_dates_up_to_2262() -> None:
    """Counted in days: pandas 2.1 could not turn 106,752 days (past 2192) into a timedelta in nanoseconds."""
    read = coerce("date", [106752, 132320, 132321, 35000])
    assert [str(v)[:10] for v in read.values] == ["2192-04-09", "2262-04-11", "NaT", "1995-10-28"]
    assert read.failed.tolist() == [2]
