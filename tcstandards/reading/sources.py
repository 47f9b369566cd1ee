"""From paths on the command line to returns to read.

A folder is searched recursively.  Each workbook and JSON file is one return;
CSV files are grouped by folder, office and period (``DAKAR_1997-Q3_*.csv``).
A CSV file named alone brings its siblings of the same office and period, so
that Finance lines still meet their Projects.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tcstandards.common.errors import UsageError
from tcstandards.reading.csvfile import CsvName, parse_name

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
RETURN_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".json")
# Spreadsheets that are returns in a format the standard does not read: in a folder they are not passed
# over in silence (HQ's ledger must show them), they become "file-unsupported" findings.
UNSUPPORTED_WORKBOOKS = (".xls", ".xlsb")
# Files a folder search passes over without a word: editor lock files, hidden files.
SKIP_PREFIXES = ("~$", ".~lock", ".")

SourceKind = Literal["workbook", "json", "csv", "unsupported", "csv-misnamed"]


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    files: tuple[tuple[Path, str], ...]  # (path, name shown to the user)
    csv_names: tuple[CsvName, ...] = ()

    @property
    def display(self) -> str:
        return self.files[0][1]

    @property
    def name(self) -> str:
        """The return as the user names it: the file, or a CSV group as ``DAKAR_1997-Q3_*.csv (5)``."""
        return group_name(tuple(d for _, d in self.files))


def group_name(files: tuple[str, ...]) -> str:
    """One file as it is; a CSV group as its common prefix (``DAKAR_1997-Q3_*.csv (5)``)."""
    if len(files) == 1:
        return files[0]
    prefix = files[0]
    for name in files[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    return f"{prefix}*.csv ({len(files)})"


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(path: str | Path) -> str:
    """The name shown and stored: bytes that are not UTF-8 in a file name become U+FFFD, and control
    characters (a newline in a file name) are shown escaped, so that no output line is split."""
    name = os.fsencode(path).decode("utf-8", "replace")
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(SKIP_PREFIXES):
                yield Path(root) / name


Namer = Callable[[Path], "CsvName | None"]  # the office, period and kind of a CSV file


def discover(paths: Iterable[str | Path], namer: Namer | None = None) -> list[Source]:
    """Expand files and folders into sources, in a stable order.

    A path that does not exist is a usage error.  A file named explicitly
    with a suffix that is not a return becomes an ``unsupported`` source (a
    finding); in a folder such files are passed over.
    """
    explicit: list[Path] = []
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = [
                p for p in _walk(path) if p.suffix.lower() in (*RETURN_SUFFIXES, *UNSUPPORTED_WORKBOOKS)
            ]
            if not inside:  # a folder named like a file, or the wrong folder: never "OK" on nothing
                kinds = ", ".join(RETURN_SUFFIXES)
                raise UsageError(
                    f"no returns in folder {given} (looked for {kinds})",
                    code="no-returns",
                    path=str(given),
                    kinds=kinds,
                )
            found.extend(inside)
        elif path.exists() or path.is_symlink():
            explicit.append(path)
        else:
            raise UsageError(f"no such file or folder: {given}", code="no-such-path", path=str(given))
    sources: list[Source] = []
    csv_files: dict[tuple[Path, str, str], dict[Path, CsvName]] = {}
    seen: set[Path] = set()
    for path in [*explicit, *found]:
        key = Path(os.path.realpath(path))  # never raises, not even on a symlink loop
        if key in seen:
            continue
        seen.add(key)
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            sources.append(Source("workbook", ((path, display_name(path)),)))
        elif suffix == ".json":
            sources.append(Source("json", ((path, display_name(path)),)))
        elif suffix == ".csv":
            name = parse_name(path) or (namer(path) if namer else None)
            if name is None:
                sources.append(Source("csv-misnamed", ((path, display_name(path)),)))
                continue
            group = csv_files.setdefault((path.parent, name.office, name.period), {})
            group[path] = name
            if path in explicit:
                _add_siblings(path, name, group, seen, namer)
        else:
            sources.append(Source("unsupported", ((path, display_name(path)),)))
    for group in csv_files.values():
        ordered = sorted(group.items(), key=lambda item: item[0].name)
        sources.append(
            Source(
                "csv",
                tuple((p, display_name(p)) for p, _ in ordered),
                tuple(n for _, n in ordered),
            )
        )
    return sources


def _add_siblings(
    path: Path, name: CsvName, group: dict[Path, CsvName], seen: set[Path], namer: Namer | None
) -> None:
    for sibling in sorted(path.parent.glob("*.csv")):
        other = parse_name(sibling) or (namer(sibling) if namer else None)
        if other and (other.office, other.period) == (name.office, name.period) and sibling not in group:
            group[sibling] = other
            seen.add(Path(os.path.realpath(sibling)))
