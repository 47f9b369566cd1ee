"""How values are shown to the user in findings and messages."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

MAX_SHOWN = 200


def display_value(value: Any) -> str:
    """A cell value as text, as close as possible to what the user typed."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, pd.Timestamp | dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def format_param(value: Any, lang: str = "en") -> Any:
    """Message parameters: dates as ISO dates, numbers without spurious decimals."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return round(value, 2)  # a number: the message writes it as its language does
    if isinstance(value, pd.Timestamp | dt.date | bool):
        return display_value(value)
    return value
