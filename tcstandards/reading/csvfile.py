"""CSV returns: ``<office>_<period>_<kind>.csv`` files, one per record type.

UTF-8 with or without BOM is expected; UTF-16 (with BOM) is read; anything
else is read as cp1252 (a superset of latin-1 for text) and noted, so that the
user hears it.  The delimiter is ``,`` or ``;`` (also tab), whichever the
header line uses most.  Quoted newlines are allowed; each record keeps the
line it starts on.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tcstandards.common.errors import UnreadableInputError
from tcstandards.reading.base import Grid, Place, PlaceHit, RawReturn
from tcstandards.reading.grid import cover_from_rows, grid_from_columns, grid_from_rows
from tcstandards.standard import periods
from tcstandards.standard.roles import ROLE
from tcstandards.standard.rule_ids import CSV_ENCODING

MAX_FIELD = 64 * 1024 * 1024  # one CSV field; the csv module's default (128 KB) is below a real long text
NAME_PATTERN = re.compile(
    rf"^(?P<office>[A-Za-z]{{2,10}})_(?P<period>{periods.QUARTER})_(?P<kind>[A-Za-z]+)\.csv$"
)


@dataclass(frozen=True)
class CsvName:
    office: str
    period: str
    kind: str


def parse_name(path: Path) -> CsvName | None:
    match = NAME_PATTERN.match(path.name)
    if match is None:
        return None
    return CsvName(match["office"].upper(), match["period"].upper(), match["kind"].lower())


def unicode_by_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 announced by a byte-order mark (Notepad's "Unicode"): codec and name."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32", "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16"
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and the encoding to warn about (None for UTF-8)."""
    marked = unicode_by_bom(data)
    if marked is not None:
        codec, name = marked
        try:
            return data.decode(codec), name
        except UnicodeDecodeError as exc:
            raise UnreadableInputError(str(exc), code="bad-encoding", detail=str(exc)) from exc
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1"


def sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def fast_grid(text: str, place: Place, name: str) -> Grid | None:
    """Parse with pandas' C reader when every record is one line (no quoted newline, no ragged row).

    Returns None when that does not hold, and the caller uses the ``csv`` module.
    """
    import pandas as pd

    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if "\r" in text or "\x00" in text:
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sniff_delimiter(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    if len(frame) != lines or frame.empty:
        return None
    filled = (frame != "").any(axis=1).to_numpy()
    if not filled.any():
        return None
    header_at = int(filled.argmax())
    keep = filled.copy()
    keep[: header_at + 1] = False
    body = frame[keep]
    return grid_from_columns(
        place,
        name,
        frame.iloc[header_at].tolist(),
        [body[c].tolist() for c in frame.columns],
        (body.index + 1).tolist(),
        header_at + 1,
    )


def parse(text: str) -> tuple[list[list[str]], list[int]]:
    """Rows and the line each starts on."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    csv.field_size_limit(MAX_FIELD)  # as the fast path reads: a long field is a finding (length), not a crash
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=False)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableInputError(str(exc), code="bad-csv", detail=f"line {start}: {exc}") from exc
    return rows, lines


def read_csv_return(files: list[tuple[Path, str, CsvName]], cover_kinds: set[str]) -> RawReturn:
    """Read the CSV files of one return (same office and period)."""
    raw = RawReturn(files=tuple(display for _, display, _ in files))
    first = files[0][2]
    raw.named = {ROLE.office: first.office, ROLE.period: first.period}
    for path, display, name in files:
        try:
            _read_one(raw, path, display, name, cover_kinds)
        except UnreadableInputError as exc:
            exc.params.setdefault("file", display)  # the file of the group that could not be read
            raise
    return raw


def _read_one(raw: RawReturn, path: Path, display: str, name: CsvName, cover_kinds: set[str]) -> None:
    place = Place(file=display, kind="csv")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(str(exc), code="os-error", detail=exc.strerror or str(exc)) from exc
    text, encoding = decode(data)
    if encoding is not None:
        raw.notes.append(PlaceHit(CSV_ENCODING, place, {"encoding": encoding}))
    if name.kind in cover_kinds:
        rows, lines = parse(text)
        raw.cover = cover_from_rows(place, rows, lines)
        raw.cover_place = place
        return
    grid = fast_grid(text, place, name.kind)
    if grid is None:
        rows, lines = parse(text)
        grid = grid_from_rows(place, name.kind, rows, lines)
    if grid is not None:
        raw.grids.append(grid)


def character_column(path: str, line: int, field: int) -> int | None:
    """Where field ``field`` (1-based) of line ``line`` of a CSV file starts, as a 1-based character
    column: what an editor, GitHub or a SARIF viewer means by a column. None when it cannot be told."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    lines = _text_lines(path, stat.st_mtime_ns, stat.st_size)  # read once per file as it is now
    if lines is None or not 1 <= line <= len(lines) or field < 1:
        return None
    text, delimiter = lines[line - 1], sniff_delimiter(lines[0])
    number, quoted = 1, False
    for index, char in enumerate(text):
        if number == field:
            return index + 1
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            number += 1
    return len(text) + 1 if number == field else None


@functools.lru_cache(maxsize=32)
def _text_lines(path: str, mtime_ns: int, size: int) -> tuple[str, ...] | None:
    try:
        text, _ = decode(Path(path).read_bytes())
    except (OSError, UnreadableInputError):
        return None
    return tuple(text.splitlines())
