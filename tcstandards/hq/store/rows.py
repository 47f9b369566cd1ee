"""Rows of the store as the store's objects, and typed columns as SQL values (both ways)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tcstandards.hq.store.base import Conflict, Submission

if TYPE_CHECKING:
    import pandas as pd

SUBMISSION_COLUMNS = (
    "id, file_name, files, sha256, office, period, standard_version, received_at, outcome, "
    "errors, warnings, records, current, superseded_by, source_path, prepared_on, revision, submitted_by"
)


def now() -> str:
    """The time of an action, as the store writes every time: ISO 8601, UTC, to the second."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def submission_from_row(row: Sequence[Any]) -> Submission:
    return Submission(
        id=row[0],
        file_name=row[1],
        files=tuple(json.loads(row[2])),
        sha256=row[3],
        office=row[4],
        period=row[5],
        standard_version=row[6],
        received_at=row[7],
        outcome=row[8],
        errors=row[9],
        warnings=row[10],
        records=row[11],
        current=bool(row[12]),
        superseded_by=row[13],
        source_path=row[14],
        prepared_on=row[15],
        revision=row[16],
        submitted_by=row[17],
    )


def conflict_from_row(row: Sequence[Any]) -> Conflict:
    record, period, key, sid, other, office, other_office, owner, differences, file, other_file = row
    return Conflict(
        record,
        period,
        key,
        sid,
        other,
        office,
        other_office,
        owner,
        differences_from_text(differences),
        file,
        other_file,
    )


def differences_from_text(text: str | None) -> tuple[tuple[str, str, str], ...]:
    """A conflict's differences as stored (NULL in a store made before they were kept)."""
    return tuple((str(f), str(v), str(o)) for f, v, o in json.loads(text)) if text else ()


def sql_values(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Typed columns -> SQLite values: dates as ISO text, NA as NULL, numpy scalars as Python.

    Column by column in plain Python: a return has hundreds of rows, where
    pandas' per-call overhead would cost more than the values themselves.
    """
    import pandas as pd

    na, nat = pd.NA, pd.NaT
    columns = []
    for name in frame.columns:
        column = frame[name]
        values = column.tolist()  # Python scalars: float, int, str, Timestamp, None, NA, NaT
        if pd.api.types.is_datetime64_any_dtype(column):
            columns.append([None if v is nat else v.strftime("%Y-%m-%d") for v in values])
        elif pd.api.types.is_float_dtype(column):
            columns.append([None if v != v else v for v in values])
        else:
            columns.append(
                [None if v is None or v is na or v is nat or v != v else _plain(v) for v in values]
            )
    return list(zip(*columns, strict=True))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return value.item() if hasattr(value, "item") else value
