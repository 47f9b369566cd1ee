"""JSON returns: one object ``{"cover": {...}, "projects": [...], ...}``.

The published JSON Schema of the whole return is ``schemas/<v>/return.schema.json``;
records are checked by the same pipeline as workbooks, so a JSON return gets
the same rule ids as a workbook.  Each value keeps its JSON pointer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tcstandards.common.errors import UnreadableInputError
from tcstandards.reading.base import CoverEntry, Grid, Place, PlaceHit, RawReturn
from tcstandards.reading.csvfile import unicode_by_bom
from tcstandards.standard.rule_ids import JSON_STRUCTURE


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in JSON")


# A lone surrogate can only come from an escape: a strict UTF-8 or UTF-16 decoding refuses one.
# A match may be a false alarm (an escaped backslash before "ud800"): the text is then cleaned for nothing.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def load(path: Path, *, clean: bool = False) -> Any:
    """The parsed document; with ``clean``, lone surrogates become U+FFFD (:func:`_clean`)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(str(exc), code="os-error", detail=exc.strerror or str(exc)) from exc
    if not data.strip():
        raise UnreadableInputError("empty file", code="empty")
    marked = unicode_by_bom(data)  # Notepad's "Unicode" is UTF-16 with a byte-order mark
    try:
        text = data.decode(marked[0]) if marked else data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(str(exc), code="bad-encoding", detail=str(exc)) from exc
    text = text.lstrip("\ufeff")
    try:
        document = json.loads(text, parse_constant=_reject_constant, parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise UnreadableInputError(
            str(exc), code="bad-json", line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from exc
    except ValueError as exc:
        raise UnreadableInputError(str(exc), code="bad-json-value", detail=str(exc)) from exc
    return _clean(document) if clean and _SURROGATE_ESCAPE.search(text) else document


class BigInteger(str):
    """The digits of a JSON integer of 16 digits or more (beyond a float's exact range).

    The grids get them as plain text, judged as a number (a 400-digit one is invalid-number);
    the published-schema check (``json_contract``) knows them for the numbers they are.
    """


def _integer(text: str) -> int | str:
    """An integer of 16 digits or more is kept as its digits. Python would refuse to parse over 4,300."""
    return int(text) if len(text.lstrip("-")) < 16 else BigInteger(text)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if value.__class__ is BigInteger:
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:200]
    return value


def _clean(value: Any) -> Any:
    """Lone surrogates (``"\\ud800"`` is valid JSON, not valid text) become U+FFFD, keys and values alike."""
    if value.__class__ is BigInteger:
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def read_json_return(path: Path, display: str, cover_key: str) -> RawReturn:
    try:
        return _read(path, display, cover_key)
    except RecursionError as exc:  # a return nests 3 deep; parsing and cleaning recurse on deeper ones
        detail = "arrays or objects nested too deep (a return nests 3 levels)"
        raise UnreadableInputError(detail, code="bad-json-value", detail=detail) from exc


def _read(path: Path, display: str, cover_key: str) -> RawReturn:
    document = load(path, clean=True)
    raw = RawReturn(files=(display,), document=document)
    if not isinstance(document, dict):
        raise UnreadableInputError("not an object", code="json-not-object")
    for key, value in document.items():
        pointer = "/" + _escape(str(key))
        place = Place(file=display, kind="json", pointer=pointer)
        if key == cover_key and isinstance(value, dict):
            raw.cover = [
                CoverEntry(key=str(k), value=_cell(v), place=place, pointer=f"{pointer}/{_escape(str(k))}")
                for k, v in value.items()
            ]
            raw.cover_place = place
            continue
        if not isinstance(value, list):
            raw.notes.append(PlaceHit(JSON_STRUCTURE, place, {"key": key, "expected": "array"}))
            continue
        header: list[str] = []
        seen: set[str] = set()
        for item in value:
            if isinstance(item, dict):
                for k in item:
                    if k not in seen:
                        seen.add(k)
                        header.append(str(k))
        records = [item for item in value if isinstance(item, dict)]
        rows = [i for i, item in enumerate(value) if isinstance(item, dict)]
        if len(records) != len(value):
            raw.notes.append(PlaceHit(JSON_STRUCTURE, place, {"key": key, "expected": "object"}))
        columns = [[_cell(rec.get(k)) for rec in records] for k in header]
        raw.grids.append(
            Grid(
                place=place,
                name=str(key),
                header=header,
                header_row=0,
                header_columns=list(range(1, len(header) + 1)),
                columns=columns,
                rows=rows,
            )
        )
    return raw
