"""``export``: the consolidated data, one table per record type, with provenance.

Formats: ``csv`` (one file per record type), ``xlsx`` (one workbook, a sheet
per record type) and ``json`` (one document).  Every file is written
atomically, and text a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .consolidated import current_records
from .errors import UsageError
from .outputs import atomic_write, inside, neutralise, write_with
from .standard import latest_version, load_standard
from .store import Store

FORMATS = ("csv", "xlsx", "json")
PROVENANCE_COLUMNS = ["office", "return_period", "submission_id", "received_at", "source_file", "location"]
JSON_FORMAT = "tcstandards-export"
JSON_FORMAT_VERSION = 1


def export_frames(store: Store) -> dict[str, pd.DataFrame]:
    """Record type -> the consolidated records: provenance columns, then the standard's fields."""
    standard = load_standard(latest_version())
    frames = {}
    for name, record in standard.record_types.items():
        frame = current_records(store, name)
        fields = list(record.field_names)
        if not len(frame):
            frames[name] = pd.DataFrame(columns=[*PROVENANCE_COLUMNS, *fields])
            continue
        frames[name] = frame[[*PROVENANCE_COLUMNS, *fields]].reset_index(drop=True)
    return frames


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def export(store: Store, output_format: str, folder: Path) -> list[Path]:
    """Write the consolidated data to ``folder`` (created if needed); the paths written."""
    if output_format not in FORMATS:
        raise UsageError(f"unknown export format {output_format!r}", code="bad-format")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder} is a file, not a folder", code="not-a-folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create {folder}: {error.strerror}", code="os-error") from error
    frames = export_frames(store)
    if output_format == "csv":
        return [_csv(inside(folder, f"{name}.csv"), frame) for name, frame in frames.items()]
    if output_format == "xlsx":
        return [_xlsx(inside(folder, "consolidated.xlsx"), frames)]
    return [_json(inside(folder, "consolidated.json"), frames, store)]


def _rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [[neutralise(_cell(v)) for v in row] for row in frame.itertuples(index=False, name=None)]


def _csv(path: Path, frame: pd.DataFrame) -> Path:
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame.columns)
        writer.writerows(_rows(frame))
    return path


def _xlsx(path: Path, frames: dict[str, pd.DataFrame]) -> Path:
    from openpyxl import Workbook

    def write(target: Path) -> None:
        book = Workbook(write_only=True)
        for name, frame in frames.items():
            sheet = book.create_sheet(name.capitalize())
            sheet.append(list(frame.columns))
            for row in _rows(frame):
                sheet.append(row)
        book.save(target)

    write_with(path, write)
    return path


def _json(path: Path, frames: dict[str, pd.DataFrame], store: Store) -> Path:
    document = {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "tool_version": __version__,
        "standard_version": latest_version(),
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "store": store.location,
        "records": {
            name: [
                {column: _cell(value) for column, value in zip(frame.columns, row, strict=True)}
                for row in frame.itertuples(index=False, name=None)
            ]
            for name, frame in frames.items()
        },
    }
    with atomic_write(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return path
