"""Raw cells -> typed columns, one field type at a time, vectorised.

Each function takes the raw values of one column (strings, numbers, dates,
booleans, ``""`` for empty) and returns a :class:`Coerced`: the typed
:class:`pandas.Series` (missing and failed cells are NA), the positions that
failed their type (one finding each; later rules skip those cells) with the
rule id to report, and notes such as the number convention used to read
amounts typed as text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tcstandards.standard.rule_ids import (
    AMBIGUOUS_DATE,
    DATE_TEXT,
    INVALID_DATE,
    INVALID_INTEGER,
    INVALID_NUMBER,
    NUMBER_TEXT,
)

# Characters users paste without seeing them (zero-width spaces and joiners, BOM) are
# removed; smart quotes become plain ones.  One str.translate per cell, in C.
TRANSLATE = str.maketrans(
    {
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
# Spaces used as thousands separators: space, no-break, narrow no-break, thin.
SPACES = "[\\s\u00a0\u202f\u2009]"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_EPOCH_1904 = pd.Timestamp("1904-01-01")  # old Mac Excel: workbookPr date1904
# Serial numbers Excel can show as dates (1900-01-01 .. 9999-12-31).
SERIAL_RANGE = (1, 2958465)
PLACEHOLDERS = {"-", "--", "—", "n/a", "N/A", "na", "NA", "n.a.", "s.o.", "n.d."}


@dataclass
class Coerced:
    values: pd.Series | np.ndarray  # an array when cut from columns coerced end to end (:func:`_cut`)
    failed: np.ndarray  # positions whose value failed its type
    failed_rule: dict[int, str] = field(default_factory=dict)  # position -> rule id (default per type)
    notes: dict[str, Any] = field(default_factory=dict)


def _raw_series(raw: Sequence[Any]) -> pd.Series:
    return pd.Series(raw, dtype=object, copy=False) if len(raw) else pd.Series([], dtype=object)


def _kinds(s: pd.Series) -> pd.Series:
    """The Python type of each cell (one C-level pass)."""
    return s.map(type)


def _clean(value: str) -> str | None:
    text = value.strip() if value.isascii() else value.translate(TRANSLATE).strip()
    return text or None


def clean_text(s: pd.Series) -> pd.Series:
    """Strip spaces and invisible characters, plain quotes; empty text becomes NA.

    Each distinct value is cleaned once (``pandas.factorize`` hashes in C);
    ASCII text, nearly all of it, only needs ``strip``.
    """
    codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    cleaned = np.array([*(_clean(v) if v.__class__ is str else v for v in uniques), None], dtype=object)
    return pd.Series(cleaned[codes], index=s.index, dtype=object)


def to_text(raw: Sequence[Any]) -> Coerced:
    """string and code fields: numbers typed in a text field become their text (16020.0 -> 16020)."""
    s = _raw_series(raw)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind != "string":
        types = _kinds(s)
        non_text = ~types.isin([str]) & s.notna()
        if non_text.any():
            s = s.copy()
            s[non_text] = s[non_text].map(_number_text)
    cleaned = clean_text(s.astype(object))
    return Coerced(cleaned, np.empty(0, dtype=np.intp))


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _parse_number_text(t: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text amounts -> numbers; also which ones used a decimal comma.

    ``1 234,56``, ``1.234,56`` (decimal comma), ``1,234.56`` (decimal point),
    ``USD 1,000``, ``$1,000``, ``(1,000)`` (accounting negative), ``12.5%``.
    A lone comma followed by exactly three digits (``1,234``) is a thousands
    separator; any other lone comma is a decimal comma.
    """
    t = t.str.replace(SPACES, "", regex=True)
    t = t.str.replace(r"^(?:USD|US\$|\$)|(?:USD|US\$|\$)$", "", regex=True, case=False)
    negative = t.str.match(r"^\(.*\)$")
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    t = t.str.rstrip("%")  # a percent sign is read as the number before it
    has_comma = t.str.contains(",", regex=False)
    has_point = t.str.contains(".", regex=False)
    comma_last = t.str.rfind(",") > t.str.rfind(".")
    thousands_only = t.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+")
    decimal_comma = (has_comma & ~has_point & ~thousands_only) | (has_comma & has_point & comma_last)
    comma_form = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    point_form = t.str.replace(",", "", regex=False)
    number = pd.to_numeric(point_form.where(~decimal_comma, comma_form), errors="coerce")
    number = number.where(~negative, -number)
    return number, decimal_comma


def to_number(raw: Sequence[Any], *, integer: bool = False) -> Coerced:
    """money, decimal, pct and int fields."""
    s = _raw_series(raw)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        return _numbers(s, integer=integer)
    directly = pd.Series(False, index=s.index)  # text cells of a workbook that read as plain numbers
    if kind in ("floating", "integer", "mixed-integer-float"):
        values = pd.to_numeric(s, errors="coerce").astype(float)
        text = pd.Series(False, index=s.index)
    elif kind in ("string", "empty"):  # CSV: every cell is text
        cleaned = clean_text(s)
        values = pd.to_numeric(cleaned, errors="coerce").astype(float)
        text = cleaned.notna() & values.isna() & ~cleaned.isin(PLACEHOLDERS)
    else:
        types = _kinds(s)
        is_text = types.isin([str])
        is_bool = types.isin([bool])
        text_values = s.where(is_text, "")
        cleaned = clean_text(text_values.astype(object))
        numbers = pd.to_numeric(s.where(~is_text & ~is_bool, np.nan), errors="coerce")
        plain = pd.to_numeric(cleaned, errors="coerce")
        values = numbers.where(~is_text, plain).astype(float)
        directly = is_text & plain.notna()  # "61.200" is text too: it must not pass without a word
        text = is_text & cleaned.notna() & values.isna() & ~cleaned.isin(PLACEHOLDERS)
        # dates or booleans in a number column fail their type
        other = ~is_text & s.notna() & values.isna() & ~types.isin([float])
        text = text | other
    notes: dict[str, Any] = {}
    comma = False
    if text.any():
        parsed, decimal_comma = _parse_number_text(s[text].astype(str).str.strip())
        values[text] = parsed
        comma = bool(decimal_comma[parsed.notna()].any())
    read = (text & values.notna()) | directly
    if read.any():
        first = read.index[read.to_numpy()][0]
        notes[NUMBER_TEXT] = {
            "count": int(read.sum()),
            "value": str(s[first]),
            "locale": "1 234,56" if comma else "1,234.56",
            "row": int(first),
        }
    infinite = np.isinf(values.to_numpy(dtype=float))  # 1e400, Infinity, a 400-digit integer
    if infinite.any():
        values = values.where(~infinite, np.nan)
        text = text | pd.Series(infinite, index=values.index)
    failed_mask = text & values.isna()
    failed_rule: dict[int, str] = {}
    if integer:
        fractional = values.notna() & (values != np.floor(values.fillna(0)))
        failed_mask = failed_mask | fractional
        for pos in np.flatnonzero(fractional.to_numpy()):
            failed_rule[int(pos)] = INVALID_INTEGER
        values = values.where(~fractional, np.nan)
    return Coerced(values, np.flatnonzero(failed_mask.to_numpy()), failed_rule, notes)


def _numbers(s: pd.Series, *, integer: bool) -> Coerced:
    """A column of numbers only (JSON, number cells): the same reading as :func:`to_number`, in few steps."""
    values = pd.to_numeric(s, errors="coerce").astype(float) if len(s) else pd.Series([], dtype=float)
    array = values.to_numpy()
    bad = np.isinf(array)  # 1e400, a 400-digit integer
    failed_rule: dict[int, str] = {}
    if integer:
        fractional = ~np.isnan(array) & ~bad & (array != np.floor(np.where(np.isnan(array), 0, array)))
        failed_rule = {int(pos): INVALID_INTEGER for pos in np.flatnonzero(fractional)}
        bad = bad | fractional
    if bad.any():
        values = values.where(~bad, np.nan)
    return Coerced(values, np.flatnonzero(bad), failed_rule, {})


_DMY = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$"
_DATE_RANGE = (dt.date(1677, 9, 22), dt.date(2262, 4, 11))  # what a pandas timestamp holds
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # JSON Schema's format "date" (RFC 3339)


def to_date(raw: Sequence[Any], *, date1904: bool = False, iso_only: bool = False) -> Coerced:
    """date fields: date cells, ISO text, Excel serial numbers, and unambiguous d/m/y text.

    ``03/04/1997`` could be 3 April or 4 March: it fails as ``ambiguous-date``
    rather than being guessed.  ``25/04/1997`` and ``04/25/1997`` are read.
    Serial numbers count from 1900, or from 1904 in a workbook of that system.
    ``iso_only`` (JSON returns, whose published schema says ``format: date``): only
    ``YYYY-MM-DD`` text is a date; anything else given is ``invalid-date``.
    """
    if iso_only:
        return _iso_dates(raw)
    s = _raw_series(raw)
    types = _kinds(s)
    is_text = types.isin([str])
    is_number = types.isin([int, float])
    is_date = types.isin([dt.date, dt.datetime, pd.Timestamp])
    values = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if is_date.any():
        values[is_date] = _nanoseconds(pd.to_datetime(s[is_date].map(_as_datetime), errors="coerce"))
    if is_number.any():
        serial = pd.to_numeric(s[is_number], errors="coerce")
        epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
        last = min(SERIAL_RANGE[1], (_DATE_RANGE[1] - epoch.date()).days)  # no later date in pandas
        ok = serial.between(SERIAL_RANGE[0], last)
        values[is_number] = _serial_dates(serial.where(ok).round().to_numpy(dtype=float), epoch)
    failed_rule: dict[int, str] = {}
    failed_mask = (is_number | is_date) & values.isna()  # a number or a date cell that is no date here
    failed_mask = failed_mask | (s.notna() & ~(is_text | is_number | is_date))  # TRUE in a date cell
    if is_text.any():
        text = clean_text(s[is_text].astype(object))
        present = text.notna()
        iso = pd.to_datetime(text.where(present, None), errors="coerce", format="ISO8601")
        values[is_text] = _nanoseconds(iso)
        rest = present & values[text.index].isna()
        if rest.any():
            parts = text[rest].str.extract(_DMY).astype(float)
            a, b, year = parts[0], parts[1], parts[2]
            day_first = (a > 12) & (b <= 12)
            month_first = (b > 12) & (a <= 12)
            same = (a == b) & (a <= 12)
            day = a.where(day_first | same, b)
            month = b.where(day_first | same, a)
            known = day_first | month_first | same
            built = pd.to_datetime(
                pd.DataFrame({"year": year, "month": month, "day": day}).where(known), errors="coerce"
            )
            values[built.index] = _nanoseconds(built)
            ambiguous = parts.notna().all(axis=1) & ~known & (a >= 1) & (b >= 1)
            for pos in ambiguous[ambiguous].index:
                failed_rule[int(pos)] = AMBIGUOUS_DATE
            bad = rest & values[rest.index].isna()
            failed_mask = failed_mask | bad.reindex(s.index, fill_value=False)
            notes = _date_text_note(s, rest & values[rest.index].notna(), values)
            return Coerced(values, np.flatnonzero(failed_mask.to_numpy()), failed_rule, notes)
    return Coerced(values, np.flatnonzero(failed_mask.to_numpy()), failed_rule)


def _date_text_note(s: pd.Series, read: pd.Series, values: pd.Series) -> dict[str, Any]:
    """Text that was not YYYY-MM-DD but read as a date (day/month/year): said once for the column."""
    if not read.any():
        return {}
    first = read.index[read.to_numpy()][0]
    shown = pd.Timestamp(values[first]).date().isoformat()
    note = {"count": int(read.sum()), "value": str(s[first]).strip(), "read": shown, "row": int(first)}
    return {DATE_TEXT: note}


def _serial_dates(days: np.ndarray, epoch: pd.Timestamp) -> np.ndarray:
    """Excel serial numbers (whole days, NaN for none) as dates. Counted in days: a timedelta in
    nanoseconds stops at 106,751 days (year 2192 from 1900), which older pandas would not pass."""
    dates = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[ns]")
    given = ~np.isnan(days)
    start = np.datetime64(epoch.date(), "D")
    dates[given] = (start + days[given].astype("int64").astype("timedelta64[D]")).astype("datetime64[ns]")
    return dates


def _nanoseconds(dates: pd.Series) -> np.ndarray:
    """Dates as the typed frame holds them (nanoseconds: 1677 to 2262); a date beyond is missing, so it fails
    as a date (``2999-09-30`` is a typing slip) instead of overflowing."""
    dates = pd.to_datetime(dates, errors="coerce")
    inside = dates.notna() & (dates >= pd.Timestamp.min) & (dates <= pd.Timestamp.max)
    return dates.where(inside).astype("datetime64[ns]").to_numpy()


def _iso_dates(raw: Sequence[Any]) -> Coerced:
    """Each distinct value is judged once (``pandas.factorize``): dates repeat in a return."""
    s = _raw_series(raw)
    codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    judged = [_iso_date(v) for v in uniques]
    dates = np.array([*(d for d, _ in judged), None], dtype="datetime64[ns]")  # code -1 (missing) is last
    bad = np.array([*(f for _, f in judged), False], dtype=bool)
    values = pd.Series(dates[codes], index=s.index)
    return Coerced(values, np.flatnonzero(bad[codes]))


def _iso_date(value: Any) -> tuple[Any, bool]:
    """(date, failed): blank text is missing; text not YYYY-MM-DD, or any other type, failed."""
    text = _clean(value) if value.__class__ is str else value
    if text is None or text == "":
        return None, False
    if text.__class__ is not str or _ISO_DATE.fullmatch(text) is None:
        return None, True
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        return None, True
    return (date, False) if _DATE_RANGE[0] <= date <= _DATE_RANGE[1] else (None, True)


def _as_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def coerce(tcds_type: str, raw: Sequence[Any], *, date1904: bool = False, iso_dates: bool = False) -> Coerced:
    if tcds_type in ("string", "code"):
        return to_text(raw)
    if tcds_type == "date":
        return to_date(raw, date1904=date1904, iso_only=iso_dates)
    if tcds_type == "int":
        return to_number(raw, integer=True)
    if tcds_type in ("money", "decimal", "pct"):
        return to_number(raw)
    raise ValueError(f"unknown field type {tcds_type!r}")


TYPE_RULES = {
    "date": INVALID_DATE,
    "int": INVALID_INTEGER,
    "money": INVALID_NUMBER,
    "decimal": INVALID_NUMBER,
    "pct": INVALID_NUMBER,
}


Column = tuple[str, Sequence[Any], bool, bool]  # (field type, raw values, date1904, ISO dates only)
JOINED_UP_TO = 2000  # values: a longer column pays its fixed cost once anyway, and copying it costs more


def coerce_columns(columns: Sequence[Column]) -> list[Coerced]:
    """:func:`coerce` of many columns, the same results, with one call per kind of column.

    Text, codes, dates and columns of numbers only are read value by value, so
    the columns of a kind are put end to end, read once, and cut back. A number
    column with text in it is read alone: its note on numbers typed as text
    (their count, the first, the decimal mark) is the column's own. So is a
    long column (over :data:`JOINED_UP_TO` values).
    """
    results: list[Coerced | None] = [None] * len(columns)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, (tcds_type, raw, date1904, iso_dates) in enumerate(columns):
        key = _kind_of_column(tcds_type, raw, date1904, iso_dates) if len(raw) <= JOINED_UP_TO else None
        if key is None:
            results[index] = coerce(tcds_type, raw, date1904=date1904, iso_dates=iso_dates)
        else:
            groups.setdefault(key, []).append(index)
    for members in groups.values():
        tcds_type, _, date1904, iso_dates = columns[members[0]]
        joined = [value for index in members for value in columns[index][1]]
        whole = coerce(tcds_type, joined, date1904=date1904, iso_dates=iso_dates)
        values, start = np.asarray(whole.values), 0
        for index in members:
            size = len(columns[index][1])
            results[index] = _cut(whole, values, start, size)
            start += size
    return [r for r in results if r is not None]


def _kind_of_column(
    tcds_type: str, raw: Sequence[Any], date1904: bool, iso_dates: bool
) -> tuple[Any, ...] | None:
    if tcds_type in ("string", "code"):
        return ("text",)
    if tcds_type == "date":  # text that is not YYYY-MM-DD may get a note of the column's own
        plain = iso_dates or all(v.__class__ is not str or _ISO_DATE.fullmatch(v.strip()) for v in raw)
        return ("date", date1904, iso_dates) if plain else None
    if all(value is None or value == "" or type(value) in (int, float) for value in raw):
        return (tcds_type,)  # numbers and empty cells only: nothing to note, value by value
    return None


def _cut(whole: Coerced, array: np.ndarray, start: int, size: int) -> Coerced:
    """One column's part of a coercion of columns end to end (``array``: the values of ``whole``)."""
    values = array[start : start + size]  # a view: no Series per column (the tables are built from arrays)
    failed = whole.failed[(whole.failed >= start) & (whole.failed < start + size)] - start
    rules = {pos - start: rule for pos, rule in whole.failed_rule.items() if start <= pos < start + size}
    return Coerced(values, failed, rules, {})
