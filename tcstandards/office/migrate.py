"""``tcstandards migrate``: a return moved to a newer version of the standard, values untouched.

A migration (``versions.py``) renames fields and widens codelists, so moving
a return means renaming the headers of the renamed fields (in the language
the office wrote them) and setting the Cover's ``standard_version``.  The
input is never changed; the migrated copy is written atomically.

Workbooks (``.xlsx``, ``.xlsm``, macros kept) and JSON returns are migrated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tcstandards.common.errors import UnreadableInputError, UsageError
from tcstandards.common.outputs import atomic_write, write_with
from tcstandards.standard import (
    RecordType,
    Standard,
    available_versions,
    load_standard,
    normalize_label,
    stable_version,
    versions,
)

WORKBOOKS = (".xlsx", ".xlsm")
HEADER_SEARCH = 11  # a header may sit under a title (layout.py looks as far)


@dataclass
class Migrated:
    source: str
    target: str
    changes: list[str] = field(default_factory=list)  # "Results!I1: evidence -> verification_source"


def migrate_file(path: Path, target_version: str, output: Path, *, force: bool = False) -> Migrated:
    """Write ``path`` migrated to ``target_version`` at ``output``; what changed."""
    if target_version not in available_versions():
        known = ", ".join(available_versions())
        raise UsageError(
            f"{target_version}: unknown version (known: {known})",
            code="migrate-version",
            version=target_version,
            known=known,
        )
    suffix = path.suffix.lower()
    if suffix not in (*WORKBOOKS, ".json"):
        raise UsageError(
            f"{path.name}: migrate reads one workbook (.xlsx, .xlsm) or one JSON return; "
            "for CSV files rename the headers listed in docs/versions.md",
            code="migrate-kind",
            file=path.name,
        )
    if not path.is_file():
        raise UsageError(f"no such file: {path}", code="no-such-path", path=str(path))
    if output.suffix.lower() != suffix:  # an .xlsm's macros in a file named .xlsx: Excel refuses to open it
        raise UsageError(
            f"{output.name}: keep the input's kind ({suffix})",
            code="migrate-suffix",
            output=output.name,
            suffix=suffix,
        )
    if output.resolve() == path.resolve():
        raise UsageError(
            "the migrated copy must not be the input: the input is never changed", code="migrate-input"
        )
    if output.exists() and not force:
        raise UsageError(f"{output} exists", code="migrate-exists", output=str(output))
    if suffix == ".json":
        return _json(path, target_version, output)
    return _workbook(path, target_version, output)


def _copy(path: Path, output: Path, result: Migrated) -> Migrated:
    """Already at the target version: the copy is the file as it is, so that scripts find -o."""
    with atomic_write(output, "wb") as handle:
        handle.write(path.read_bytes())
    return result


def _declared(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return text if text in available_versions() else stable_version()


def _json(path: Path, target: str, output: Path) -> Migrated:
    from tcstandards.reading.jsonfile import load

    document = load(path)
    if not isinstance(document, dict):
        raise UnreadableInputError("not an object", code="json-not-object")
    found = document.get("cover", {})
    if not isinstance(found, dict):
        raise UsageError(
            f"{path.name}: cover must be an object (field: value)", code="migrate-cover", file=path.name
        )
    cover: dict[str, Any] = found
    version_field = load_standard(stable_version()).roles.version  # before the return's version is known
    result = Migrated(_declared(cover.get(version_field)), target)
    versions.path(result.source, target)  # refuses a downgrade
    if result.source == target:
        return _copy(path, output, result)
    for record, value in document.items():
        renamed = versions.field_names(str(record), result.source, target) if isinstance(value, list) else {}
        for index, item in enumerate(value if renamed else []):
            if isinstance(item, dict):
                for old, new in renamed.items():
                    if old in item:
                        document[record][index] = item = {
                            (new if k == old else k): v for k, v in item.items()
                        }
                        result.changes.append(f"/{record}/{index}/{old} -> {new}")
    version_field = load_standard(target).roles.version
    document.setdefault("cover", {})[version_field] = target
    result.changes.append(f"/cover/{version_field} -> {target}")
    with atomic_write(output, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return result


def _workbook(path: Path, target: str, output: Path) -> Migrated:
    from openpyxl import load_workbook

    from tcstandards.validation.tables import cover_names, sheet_index

    try:
        book = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
        formulas = _formulas_to_values(book, path)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UnreadableInputError(str(exc), code="corrupt", detail=str(exc)) from exc
    source_standard = load_standard(stable_version())
    covers = cover_names(source_standard)
    cover = next((book[n] for n in book.sheetnames if normalize_label(n) in covers), None)
    version_cell = _cover_cell(cover, source_standard) if cover is not None else None
    result = Migrated(_declared(version_cell.value if version_cell is not None else None), target)
    versions.path(result.source, target)
    if result.source == target:
        return _copy(path, output, result)
    if formulas:
        shown = ", ".join(formulas[:5]) + (f" (+{len(formulas) - 5})" if len(formulas) > 5 else "")
        result.changes.append(f"formulas replaced by their saved values: {shown}")
    old, new = load_standard(result.source), load_standard(target)
    index = sheet_index(old)
    for sheet in book.worksheets:
        record = index.get(normalize_label(sheet.title))
        if record is None:
            continue
        renamed = versions.field_names(record, result.source, target)
        if renamed:
            result.changes += _rename_headers(
                sheet, old.record_types[record], new.record_types[record], renamed
            )
    if cover is None:
        raise UsageError(
            f"{path.name} has no Cover sheet: its version cannot be set", code="no-cover", file=path.name
        )
    version_field = new.roles.version
    if version_cell is None:
        cover.append([version_field, target])
        version_cell = cover.cell(row=cover.max_row, column=2)
    else:
        version_cell.value = target
    version_cell.data_type = "s"
    result.changes.append(f"{cover.title}!{version_cell.coordinate}: {version_field} -> {target}")
    write_with(output, book.save)
    return result


def _formulas_to_values(book: Any, path: Path) -> list[str]:
    """openpyxl keeps a formula but not its saved result, which the copy would lose (and the reader needs):
    each formula with a saved result becomes that value; one without keeps its formula."""
    from openpyxl import load_workbook

    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    if not cells:
        return []
    saved = load_workbook(path, data_only=True, read_only=True)
    replaced = []
    for cell in cells:
        value = saved[cell.parent.title][cell.coordinate].value
        if value is not None:
            cell.value = value
            replaced.append(f"{cell.parent.title}!{cell.coordinate}")
    saved.close()
    return replaced


def _cover_cell(cover: Any, standard: Standard) -> Any:
    """The value cell of the Cover's version row (key in any language), or None."""
    index = standard.cover.header_index
    for row in cover.iter_rows():
        key = next((c for c in row if c.value not in (None, "")), None)
        if key is not None and index.get(normalize_label(str(key.value))) == standard.roles.version:
            return cover.cell(row=key.row, column=key.column + 1)
    return None


def _rename_headers(sheet: Any, old: RecordType, new: RecordType, renamed: dict[str, str]) -> list[str]:
    index = old.header_index
    changes = []
    for row in sheet.iter_rows(max_row=HEADER_SEARCH):
        texts = [(c, index.get(normalize_label(str(c.value)))) for c in row if isinstance(c.value, str)]
        if not any(name for _, name in texts):
            continue
        for cell, name in texts:
            if name in renamed:
                cell.value = _same_form(str(cell.value), old.field(name), new.field(renamed[name]))
                changes.append(f"{sheet.title}!{cell.coordinate}: {name} -> {renamed[name]}")
        break  # the header row: the first row that holds a field
    return changes


def _same_form(written: str, before: Any, after: Any) -> str:
    """The new field as the office wrote the old one: its name, or its label in the same language."""
    for lang, label in before.labels.items():
        same = normalize_label(label) == normalize_label(written)
        if same and normalize_label(label) != normalize_label(before.name):
            return str(after.labels.get(lang) or after.name)
    return str(after.name)
