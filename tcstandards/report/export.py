"""``export``: the consolidated data, one table per record type, with provenance.

Formats: ``csv`` (one file per record type), ``xlsx`` (one workbook, a sheet
per record type) and ``json`` (one document).  Every file is written
atomically, and text a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from tcstandards import __version__
from tcstandards.common.errors import UsageError
from tcstandards.common.outputs import atomic_write, generated_now, inside, neutralise, write_with
from tcstandards.hq.consolidated import current_records, latest_projects
from tcstandards.hq.store import Store
from tcstandards.standard import Standard

FORMATS = ("csv", "xlsx", "json", "iati")
IATI_FILE = "iati-activities.xml"
PROVENANCE_COLUMNS = [
    "office",
    "return_period",
    "submission_id",
    "received_at",
    "source_file",
    "sha256",
    "location",
]
JSON_FORMAT = "tcstandards-export"
JSON_FORMAT_VERSION = 1


def export_frames(store: Store, *, history: bool = False) -> dict[str, pd.DataFrame]:
    """Record type -> the consolidated records: provenance columns, then the standard's fields.

    Projects are the register (one row per project code, from the latest quarter that reported it,
    in code order), or with ``history`` every quarter's row.
    """
    standard = store.standard
    frames = {}
    for name, record in standard.record_types.items():
        frame = current_records(store, name)
        if name == "projects" and not history and len(frame):
            frame = _register(frame, standard)
        fields = list(record.field_names)
        if not len(frame):
            frames[name] = pd.DataFrame(columns=[*PROVENANCE_COLUMNS, *fields])
            continue
        frames[name] = frame[[*PROVENANCE_COLUMNS, *fields]].reset_index(drop=True)
    return frames


def _register(projects: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    code = standard.roles.project
    return latest_projects(projects, standard.roles).sort_values(code, kind="stable").reset_index(drop=True)


def _cell(value: Any, kind: str = "string") -> Any:
    """A stored value as the record type's field type says: int, money (2 dp), decimal, text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if kind == "int" or (kind in ("money", "decimal", "pct") and float(value).is_integer()):
        return int(value)
    if kind in ("money", "decimal", "pct"):
        return round(float(value), 2) if kind == "money" else float(value)
    return value


def _types(standard: Standard, record: str, columns: list[str]) -> list[str]:
    fields = standard.record_types[record]
    kinds = {f.name: f.type for f in fields.fields} | {"submission_id": "int"}
    return [kinds.get(c, "string") for c in columns]


def export(store: Store, output_format: str, folder: Path, *, history: bool = False) -> list[Path]:
    """Write the consolidated data to ``folder`` (created if needed); the paths written.

    For ``iati``, ``folder`` may also be the XML file to write.  ``history``: every quarter's
    Projects row rather than the register (:func:`export_frames`).
    """
    if output_format not in FORMATS:
        raise UsageError(f"unknown export format {output_format!r}", code="bad-format", format=output_format)
    folder = Path(folder)
    if output_format == "iati":
        from tcstandards.report import iati

        if folder.suffix.lower() == ".xml":  # -o FILE.xml: that file
            return [iati.write(store, folder)]
        return [iati.write(store, inside(_made(folder), IATI_FILE))]
    folder = _made(folder)
    frames, standard = export_frames(store, history=history), store.standard
    if output_format == "csv":
        return [_csv(inside(folder, f"{name}.csv"), standard, name, frame) for name, frame in frames.items()]
    if output_format == "xlsx":
        return [_xlsx(inside(folder, "consolidated.xlsx"), standard, frames)]
    return [_json(inside(folder, "consolidated.json"), frames, store, history)]


def _made(folder: Path) -> Path:
    """The output folder, created if needed."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder", code="export-not-a-folder", folder=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"cannot create {folder}: {error.strerror}",
            code="os-error",
            path=str(folder),
            reason=error.strerror,
        ) from error
    return folder


def _values(standard: Standard, name: str, frame: pd.DataFrame) -> list[list[Any]]:
    kinds = _types(standard, name, list(frame.columns))
    return [
        [_cell(v, k) for v, k in zip(row, kinds, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]


def _csv(path: Path, standard: Standard, name: str, frame: pd.DataFrame) -> Path:
    # UTF-8 with a BOM: Excel then reads accented names right; formula-like text is neutralised
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame.columns)
        writer.writerows([[neutralise(v) for v in row] for row in _values(standard, name, frame)])
    return path


def _xlsx(path: Path, standard: Standard, frames: dict[str, pd.DataFrame]) -> Path:
    from tcstandards.common.xlsx_stream import write_tables

    tables = [
        (
            name.capitalize(),
            list(frame.columns),
            _values(standard, name, frame),
            _types(standard, name, list(frame.columns)),
        )
        for name, frame in frames.items()
    ]
    write_with(path, lambda target: write_tables(target, tables))
    return path


def _json(path: Path, frames: dict[str, pd.DataFrame], store: Store, history: bool) -> Path:
    document = {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "tool_version": __version__,
        "standard_version": store.standard.version,
        "generated_at": generated_now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "store": store.location,
        "projects": "history" if history else "register",
        "records": {
            name: [dict(zip(frame.columns, row, strict=True)) for row in _values(store.standard, name, frame)]
            for name, frame in frames.items()
        },
    }
    with atomic_write(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return path
