"""Typed values: numbers in every convention, dates, codes, and what fails."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
from support import TODAY, base, write_xlsx

from tcstandards.validation.coerce import coerce, to_date, to_number, to_text
from tcstandards.validation.engine import validate_paths


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


def test_dates_typed_as_text_get_a_note_for_the_column() -> None:
    result = to_date([dt.date(1997, 1, 1), "15/07/1997", "1997-08-01", "04/25/1997", None])
    assert result.notes == {"date-text": {"count": 2, "value": "15/07/1997", "read": "1997-07-15", "row": 1}}
    assert (
        to_date(["1997-07-15", "1997-08-01"]).notes == {}
    )  # YYYY-MM-DD text, as in a CSV file: nothing to say
    assert to_date(["03/04/1997"]).notes == {}  # ambiguous: a finding of its own, not read


def test_a_workbook_date_typed_as_text_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    data = base()
    data["projects"][0]["start_date"] = "15/01/1997"
    data["projects"][1]["start_date"] = "01/02/1997"  # the same day or month first: ambiguous, an error
    report = validate_paths([write_xlsx(data, tmp_path / "DAKAR_1997-Q3.xlsx")], lang="fr", today=TODAY)
    (note,) = [f for f in report.findings if f.rule == "date-text"]
    assert (note.severity, note.location, note.value) == ("warning", "Projects!N2", "15/01/1997")
    assert "15/01/1997 a été lu comme 1997-01-15" in note.message
    assert [f.location for f in report.findings if f.rule == "ambiguous-date"] == ["Projects!N3"]
