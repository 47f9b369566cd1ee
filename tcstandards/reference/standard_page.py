"""``docs/standard.md`` (and ``standard-<draft>.md``): record types, fields, codelists, from ``schemas/``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tcstandards.reference.markdown import (
    CODELIST_COLUMNS,
    DUPLICATE_KEY,
    GENERATED,
    LANGUAGE_NAMES,
    RULES_FILE,
    TYPE_NOTES,
    _anchor,
    _cell,
    _code,
    _document,
    _inline,
    _number,
    _table,
    _text,
    _words,
    codelist_anchor,
    record_anchor,
)
from tcstandards.standard import (
    LANGUAGES,
    Codelist,
    Condition,
    Field,
    RecordType,
    Standard,
)

# --------------------------------------------------------------------------- standard.md


def _field_bounds(f: Field) -> str:
    parts: list[str] = []
    if f.minimum is not None:
        parts.append(f"≥ {_number(f.minimum)}")
    if f.exclusive_minimum is not None:
        parts.append(f"> {_number(f.exclusive_minimum)}")
    if f.upper_bound is not None:
        parts.append(f"≤ {_number(f.upper_bound)}")
    if f.min_length is not None and f.max_length is not None:
        parts.append(f"{f.min_length}–{f.max_length} characters")
    elif f.min_length is not None:
        parts.append(f"at least {f.min_length} characters")
    elif f.max_length is not None:
        parts.append(f"at most {f.max_length} characters")
    return "; ".join(parts)


def _field_pattern(f: Field) -> str:
    parts: list[str] = []
    if f.pattern:
        parts.append(_code(f.pattern, cell=True))
    if f.email:
        parts.append("e-mail address")
    if f.examples:
        parts.append("e.g. " + ", ".join(_code(e, cell=True) for e in f.examples))
    return "<br>".join(parts)


def _field_codelist(f: Field) -> str:
    parts: list[str] = []
    if f.codelist:
        parts.append(f"[{_cell(f.codelist)}](#{codelist_anchor(f.codelist)})")
    if f.item_codelist:
        parts.append(f"[{_cell(f.item_codelist)}](#{codelist_anchor(f.item_codelist)}) (each item)")
    return ", ".join(parts)


def _conditional_fields(record: RecordType) -> set[str]:
    return {name for c in record.conditions for name in c.fields}


def _values_in_words(values: Sequence[str]) -> str:
    return _words([_code(v) for v in values], "or")


def describe_condition(condition: Condition) -> str:
    """A conditional requirement in words (English)."""
    fields = _words([_code(f) for f in condition.fields])
    verb = "is" if len(condition.fields) == 1 else "are"
    other = _code(condition.other)
    if condition.kind == "if":
        return f"{fields} {verb} required when {other} is {_values_in_words(condition.values)}."
    if condition.kind == "unless":
        return f"{fields} {verb} required unless {other} is {_values_in_words(condition.values)}."
    return f"{fields} {verb} required when {other} is given."


def _record_section(standard: Standard, record: RecordType, *, cover: bool = False) -> list[str]:
    label = _inline(record.labels.get("en") or record.name)
    if cover:
        intro = f"Record type {_code(record.name)}; a return has one {label}."
    else:
        intro = f"Record type {_code(record.name)}; each record is a *{label}*."
    lines = [
        _anchor(record_anchor(record)),
        "",
        f"## {_inline(record.sheet_name('en'))}",
        "",
        f"{intro} {_inline(_text(record.descriptions, 'en'))}",
        "",
    ]
    lines += _table(
        ("", *(LANGUAGE_NAMES.get(lang, lang) for lang in LANGUAGES)),
        [
            ("Sheet name", *(_cell(_text(record.sheet_names, lang)) for lang in LANGUAGES)),
            ("Record label", *(_cell(_text(record.labels, lang)) for lang in LANGUAGES)),
        ],
    )
    lines.append("")
    if record.key:
        see = (
            f"; see [{DUPLICATE_KEY}]({RULES_FILE}#{DUPLICATE_KEY})"
            if DUPLICATE_KEY in standard.rules
            else ""
        )
        lines.append(
            "Key: " + " + ".join(_code(k) for k in record.key) + f" (no two records may share it{see})."
        )
    else:
        lines.append("Key: none.")
    lines += ["", "### Fields", ""]
    conditional = _conditional_fields(record)
    rows = []
    for f in record.fields:
        required = "yes" if f.required else ("conditional" if f.name in conditional else "no")
        rows.append(
            (
                _code(f.name, cell=True),
                f.type,
                required,
                _code(f.role, cell=True) if f.role else "",
                _field_pattern(f),
                _field_codelist(f),
                _cell(_field_bounds(f)),
                *(_cell(f.labels.get(lang, "")) for lang in LANGUAGES),
                _cell(_text(f.descriptions, "en")),
            )
        )
    lines += _table(
        (
            "Field",
            "Type",
            "Required",
            "Role",
            "Pattern",
            "Codelist",
            "Bounds / length",
            *(f"Label ({lang})" for lang in LANGUAGES),
            "Description",
        ),
        rows,
    )
    lines.append("")
    lines += ["### Descriptions in French and Spanish", ""]
    lines += _table(
        ("Field", *(f"Description ({lang})" for lang in LANGUAGES if lang != "en")),
        [
            (
                _code(f.name, cell=True),
                *(_cell(f.descriptions.get(lang, "")) for lang in LANGUAGES if lang != "en"),
            )
            for f in record.fields
        ],
    )
    lines.append("")
    if record.conditions:
        lines += ["### Conditional requirements", ""]
        lines += [f"- {describe_condition(c)}" for c in record.conditions]
        lines.append("")
    specific = [r for r in standard.rules.values() if record.name in r.records and r.fields]
    if specific:
        lines += [
            "### Rules on particular fields",
            "",
            "Besides the checks of each field above (type, pattern, codelist, bounds), these rules apply:",
            "",
        ]
        lines += [
            f"- [{r.id}]({RULES_FILE}#{r.id}) ({r.severity}): {_inline(_text(r.title, 'en'))} "
            f"({', '.join(_code(f) for f in r.fields)})"
            for r in specific
        ]
        lines.append("")
    return lines


def _attribute(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, Mapping):
        return _cell(value.get("en") or "")
    if isinstance(value, list | tuple):
        return ", ".join(_attribute(v) for v in value)
    return _cell(value)


def codelist_columns(codelist: Codelist) -> tuple[str, ...]:
    """The attributes shown for a codelist, besides its code and English name."""
    if codelist.name in CODELIST_COLUMNS:
        return CODELIST_COLUMNS[codelist.name]
    seen: list[str] = []
    for item in codelist.items:
        seen += [k for k in item if k not in ("code", "name") and k not in seen]
    return tuple(seen)


def _codelist_users(standard: Standard, name: str) -> list[str]:
    users = []
    for record in standard.all_record_types():
        for f in record.fields:
            if name in (f.codelist, f.item_codelist):
                users.append(
                    f"[{_inline(record.sheet_name('en'))}](#{record_anchor(record)}) {_code(f.name)}"
                )
    return users


def _codelist_section(standard: Standard, codelist: Codelist) -> list[str]:
    users = _codelist_users(standard, codelist.name)
    lines = [
        _anchor(codelist_anchor(codelist.name)),
        "",
        f"### {codelist.name}",
        "",
        _inline(_text(codelist.description, "en")),
        "",
        f"{len(codelist.items)} codes. Used by: "
        + (", ".join(users) if users else "no field of a record type")
        + ".",
        "",
    ]
    columns = codelist_columns(codelist)
    rows = [
        (
            _code(item["code"], cell=True),
            _cell(codelist.name_of(str(item["code"]))),
            *(_attribute(item.get(c)) for c in columns),
        )
        for item in codelist.items
    ]
    lines += _table(("Code", "Name (en)", *columns), rows)
    lines.append("")
    return lines


def render_standard(standard: Standard) -> str:
    """``docs/standard.md``: the Cover, every record type and every codelist."""
    title = _inline(_text(standard.title, "en") or "TCDS " + standard.version)
    records = list(standard.all_record_types())
    kinds = ", ".join(_code(r.name) for r in records)
    lines = [
        GENERATED,
        "",
        f"# {title}",
        "",
        f"Version {standard.version} ({standard.status}). "
        + " · ".join(
            f"{LANGUAGE_NAMES.get(lang, lang)}: {_inline(_text(standard.title, lang))}" for lang in LANGUAGES
        ),
        "",
        "A return is what one office reports for one quarter: a Cover and the records of each record type. "
        "It can be one workbook (one sheet per record type; sheet names in any of the three languages), "
        f"one JSON document (the keys {kinds}), or CSV files named `<office>_<period>_<kind>.csv` with the "
        f"kinds {kinds}. Column headers may be the field name or its label in any language. A JSON "
        "return also meets its published JSON Schema (`return.schema.json`): its keys are the field "
        "names, numbers are JSON numbers and dates `YYYY-MM-DD` text (rule `json-schema`).",
        "",
    ]
    if standard.ignored_sheets:
        lines += [
            "Workbook sheets skipped without a warning: "
            + ", ".join(_code(s) for s in standard.ignored_sheets)
            + ".",
            "",
        ]
    lines += ["## Contents", ""]
    lines += [f"- [{_inline(r.sheet_name('en'))}](#{record_anchor(r)})" for r in records]
    lines.append("- [Codelists](#codelists)")
    lines += [f"  - [{c}](#{codelist_anchor(c)})" for c in standard.codelists]
    lines += ["", "## Field types", ""]
    used = sorted({f.type for r in records for f in r.fields})
    lines += _table(("Type", "Meaning"), ((t, _cell(TYPE_NOTES.get(t, t))) for t in used))
    lines += [
        "",
        "A field that is not required may be left empty. *Conditional* fields are required in the cases "
        "listed under the table.",
        "",
    ]
    lines += _record_section(standard, standard.cover, cover=True)
    for record in standard.record_types.values():
        lines += _record_section(standard, record)
    lines += [_anchor("codelists"), "", "## Codelists", ""]
    for codelist in standard.codelists.values():
        lines += _codelist_section(standard, codelist)
    return _document(lines)
