"""The published JSON Schema as a contract: a JSON return that passes ``validate`` passes the schema.

``schemas/<version>/return.schema.json`` is what programs that write JSON returns
are told to follow.  The engine (tables, coerce, checks, rules) reads a JSON
return like a sheet and forgives what a person types in a workbook: a number
as text, a key it does not know, a label as a key.  So a JSON return is also
checked with ``jsonschema`` (Draft 2020-12, formats checked) against the schema
of the version it is checked against, and every violation the engine does not
already report as an error becomes a ``json-schema`` finding at its JSON
pointer (RFC 6901, as the reader's pointers: ``/projects/3/start_date``).

* :func:`contract_violations` -- document in, :class:`Violation` list out.
* :func:`merge` -- the engine's findings and the violations: no doubling.

``jsonschema`` is imported when the first JSON return is checked, never at
import time (the command line starts without it).  One validator is built per
version and kept; it remembers which (sub-schema, value) pairs passed, since the
same codes, dates and periods come back in every record and every return.

Most returns pass.  So each document first goes to ``jsonschema-rs`` (the same
Draft 2020-12 schema, compiled; about a hundred times faster), and only a
document it refuses is walked by ``jsonschema`` for the violations, which are
worded from that walk alone.  Where the two disagree, ``jsonschema-rs`` is the
stricter (a pattern's ``$`` before a final newline, NaN and infinity as numbers,
an integer too large for it): such a document takes the slow walk, which then
finds what ``jsonschema`` finds.  So the findings are ``jsonschema``'s in every
case; a test holds ``jsonschema-rs`` to never passing what ``jsonschema`` refuses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tcstandards.common.i18n import ui
from tcstandards.reading.jsonfile import BigInteger
from tcstandards.standard import Standard
from tcstandards.standard.rule_ids import COLUMN_UNKNOWN, JSON_SCHEMA, NUMBER_TEXT, SHEET_UNKNOWN
from tcstandards.validation.findings import ERROR, Finding, make_finding

# Engine warnings that say, less precisely and too mildly, what a contract error says of the same key:
# a key that is not a field (an error per the schema), a number written as text (a type error).
SUPERSEDED = frozenset({COLUMN_UNKNOWN, SHEET_UNKNOWN, NUMBER_TEXT})
TRANSLATED = frozenset(
    {
        "type",
        "format",
        "required",
        "additionalProperties",
        "pattern",
        "enum",
        "const",
        "minimum",
        "exclusiveMinimum",
        "maximum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
    }
)
SHOWN = 60  # characters of a value quoted in a reason
VALUE = 200  # characters of a finding's value (as the engine's findings)
SCALARS = (str, int, float, bool, type(None))
MEMO_LIMIT = 200_000  # (sub-schema, value) pairs remembered per version before starting afresh


@dataclass(frozen=True)
class Violation:
    """What the published schema refuses, and where.

    ``pointer`` is where the user looks: for a missing required property or a
    property the schema does not allow, the pointer of that property.
    ``keyword`` is the jsonschema keyword that failed (``type``, ``format``, ...),
    ``reason`` a short English sentence; :meth:`reason_in` gives it in a language.
    """

    pointer: str
    keyword: str
    reason: str
    key: str | None = None  # the property concerned (the pointer's last segment, when it names one)
    value: str | None = None  # the value (or the property) as shown in a finding
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def reason_in(self, lang: str) -> str:
        if self.keyword not in TRANSLATED:
            return self.reason
        params = dict(self.params)
        for name in ("expected", "found"):
            if name in params:
                params[name] = _type_names(params[name], lang)
        return ui(str(params.pop("template")), lang, **params)


def contract_violations(document: Any, standard: Standard) -> list[Violation]:
    """Every place where ``document`` breaks ``return.schema.json`` of ``standard``'s version."""
    parsed = _as_parsed(document)
    if _passes_compiled(parsed, standard):
        return []
    found: dict[tuple[str, str], Violation] = {}
    for error in _validator(standard).iter_errors(parsed):
        for violation in _violations(error, standard.version):
            found.setdefault((violation.pointer, violation.keyword), violation)
    return list(found.values())


def merge(
    findings: Sequence[Finding], violations: Iterable[Violation], standard: Standard, lang: str, file: str
) -> list[Finding]:
    """The engine's findings and a finding for each violation the engine does not report as an error.

    A violation is left out when the engine reports an error at its pointer, below it, or above it
    (the whole array, record or file) -- above it only if that error names no other property.
    The engine's warnings in :data:`SUPERSEDED` are left out where a contract finding says the same.
    """
    errors = [(f.pointer or "", _keys(f)) for f in findings if f.severity == ERROR]
    added = [_finding(v, standard, lang, file) for v in violations if not _covered(v, errors)]
    if not added:
        return list(findings)
    return [f for f in findings if not (f.rule in SUPERSEDED and _says_the_same(f, added))] + added


# --------------------------------------------------------------------------- the validator

_VALIDATORS: dict[str, Any] = {}
_COMPILED: dict[str, Any] = {}


def _passes_compiled(document: Any, standard: Standard) -> bool:
    """Whether ``jsonschema-rs`` passes the document (False also when it cannot take it)."""
    compiled = _COMPILED.get(standard.version)
    if compiled is None:
        import jsonschema_rs

        schema = _validator(standard).schema
        compiled = _COMPILED[standard.version] = jsonschema_rs.Draft202012Validator(
            schema, validate_formats=True
        )
    try:
        return bool(compiled.is_valid(document))
    except (ValueError, OverflowError, TypeError):  # an integer beyond 64 bits, a value it cannot convert
        return False


def _validator(standard: Standard) -> Any:
    """One validator per version: the return schema, with a registry of the record schemas by ``$id``."""
    validator = _VALIDATORS.get(standard.version)
    if validator is None:
        validator = _VALIDATORS[standard.version] = _build(standard)
    return validator


def _build(standard: Standard) -> Any:
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    manifest = json.loads(standard.schema_text("standard.json"))
    names = [manifest.get("return_schema", "return.schema.json")]
    names += [f"{r.name}.schema.json" for r in standard.all_record_types()]
    # "$schema" is dropped from the copies the validator gets: it names Draft 2020-12, which the
    # validator is anyway, and a sub-schema naming it would be checked by the stock class, not ours.
    schemas = [_without("$schema", json.loads(standard.schema_text(n))) for n in names]
    registry = Registry().with_resources((s["$id"], DRAFT202012.create_resource(s)) for s in schemas)
    base = jsonschema.Draft202012Validator
    cls = jsonschema.validators.extend(base, {"properties": _remembering_properties(base)})
    by_id = {s["$id"]: _without("$id", s) for s in schemas[1:]}
    return cls(_inlined(schemas[0], by_id), registry=registry, format_checker=base.FORMAT_CHECKER)


def _inlined(node: Any, by_id: dict[str, Any]) -> Any:
    """The return schema with each ``{"$ref": record schema}`` replaced by that schema: the same
    verdicts, without resolving the reference again for every record (most of the time it took)."""
    if isinstance(node, dict):
        if set(node) == {"$ref"} and node["$ref"] in by_id:
            return by_id[node["$ref"]]
        return {key: _inlined(value, by_id) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(value, by_id) for value in node]
    return node


def _without(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != key}


def _remembering_properties(base: Any) -> Callable[..., Iterator[Any]]:
    """jsonschema's ``properties`` keyword, but a scalar value that passed a sub-schema once is not
    checked again: the result is the same (a sub-schema's verdict on a string, number, boolean or
    null depends on nothing else), and nearly every value of a return is one seen before."""
    passed: set[tuple[int, type, Any]] = set()

    def properties(validator: Any, properties: Any, instance: Any, schema: Any) -> Iterator[Any]:
        if not isinstance(instance, dict):
            return
        for name, subschema in properties.items():
            if name not in instance:
                continue
            value = instance[name]
            if value.__class__ not in SCALARS:
                yield from validator.descend(value, subschema, path=name, schema_path=name)
                continue
            key = (id(subschema), value.__class__, value)
            if key in passed:
                continue
            errors = list(validator.descend(value, subschema, path=name, schema_path=name))
            if errors:
                yield from errors
                continue
            if len(passed) >= MEMO_LIMIT:
                passed.clear()
            passed.add(key)

    return properties


def _as_parsed(document: Any, depth: int = 0) -> Any:
    """The document with the reader's :class:`BigInteger` texts back as the integers they were.

    Only the levels of a return are walked (the return, its arrays, their records, the values):
    an array or object found as a value is refused by the schema whatever it holds, and it may
    nest hundreds of levels deep.
    """
    if document.__class__ is BigInteger:
        digits = document.lstrip("-")
        return int(document) if len(digits) <= 4000 else float(document)  # float: inf, still a number
    if depth >= 3:
        return document
    if isinstance(document, dict):
        if any(v.__class__ in (dict, list, BigInteger) for v in document.values()):
            return {k: _as_parsed(v, depth + 1) for k, v in document.items()}
        return document
    if isinstance(document, list):
        return [_as_parsed(v, depth + 1) for v in document]
    return document


# --------------------------------------------------------------------------- errors -> violations


def _violations(error: Any, version: str) -> Iterator[Violation]:
    path = list(error.absolute_path)
    pointer = "".join("/" + _escape(str(p)) for p in path)
    keyword = str(error.validator)
    instance = error.instance
    if keyword == "required":
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance:
                missing = {"template": "json-schema.required", "name": _clip(name, SHOWN)}
                yield _violation(f"{pointer}/{_escape(name)}", keyword, name, None, missing)
        return
    if keyword == "additionalProperties":
        allowed = error.schema.get("properties", {})
        patterns = list(error.schema.get("patternProperties", {}))
        for name in instance:
            if name not in allowed and not any(re.search(p, name) for p in patterns):
                extra = {
                    "template": "json-schema.additionalProperties",
                    "name": _clip(name, SHOWN),
                    "version": version,
                }
                yield _violation(f"{pointer}/{_escape(name)}", keyword, name, _clip(name, VALUE), extra)
        return
    key = path[-1] if path and isinstance(path[-1], str) else None
    shown = _shown(instance)
    value = _clip(instance, VALUE) if isinstance(instance, str) else shown
    if keyword not in TRANSLATED:
        yield Violation(pointer, keyword, _clip(error.message, 2 * SHOWN), key, value)
        return
    params: dict[str, Any] = {"template": f"json-schema.{keyword}", "value": shown}
    if keyword == "type":
        params.update(expected=error.validator_value, found=_json_type(instance))
    elif keyword == "format":
        fmt = str(error.validator_value)
        params["format"] = fmt
        if fmt in ("date", "email"):
            params["template"] = f"json-schema.format.{fmt}"
    elif keyword == "pattern":
        params["pattern"] = error.validator_value
    elif keyword in ("enum", "const"):
        options = error.validator_value if keyword == "enum" else [error.validator_value]
        params.update(template="json-schema.enum", values=", ".join(_shown(v) for v in options))
    else:
        params["limit"] = _shown(error.validator_value)
    yield _violation(pointer, keyword, key, value, params)


def _violation(pointer: str, keyword: str, key: str | None, value: str | None, params: dict) -> Violation:
    draft = Violation(pointer, keyword, "", key, value, params)
    return Violation(pointer, keyword, draft.reason_in("en"), key, value, params)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null"


def _type_names(types: Any, lang: str) -> str:
    names = [types] if isinstance(types, str) else list(types)
    words = [ui(f"json-type.{t}", lang) for t in names]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {ui('json-type.or', lang)} " + words[-1]


def _shown(value: Any) -> str:
    """A value as JSON, short: ``"61200"`` (text, quoted), ``61200``, ``null``, ``{…}``."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 2] + "…" + text[-1]


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# --------------------------------------------------------------------------- violations -> findings


def _keys(finding: Finding) -> frozenset[str]:
    """The properties an engine finding names (its field; for a header finding, the key as written)."""
    return frozenset(k for k in (finding.field, finding.value) if k)


def _covered(violation: Violation, errors: Sequence[tuple[str, frozenset[str]]]) -> bool:
    here = violation.pointer
    for pointer, keys in errors:
        if pointer == here or pointer.startswith(here + "/"):
            return True  # the same place, or a place inside it
        if (pointer == "" or here.startswith(pointer + "/")) and (not keys or violation.key in keys):
            return True  # the whole file, array or record, and no other property
    return False


def _says_the_same(warning: Finding, added: Sequence[Finding]) -> bool:
    pointer = warning.pointer or ""
    keys = _keys(warning)
    return any(
        f.pointer == pointer or ((f.pointer or "").startswith(pointer + "/") and _last(f.pointer) in keys)
        for f in added
    )


def _last(pointer: str | None) -> str:
    segment = (pointer or "").rsplit("/", 1)[-1]
    return segment.replace("~1", "/").replace("~0", "~")


def _finding(violation: Violation, standard: Standard, lang: str, file: str) -> Finding:
    rule = standard.rule(JSON_SCHEMA)
    parts = violation.pointer.split("/")  # "", record, [index,] property
    record = standard.cover if parts[1:2] == [standard.cover.name] else None
    if record is None and len(parts) > 1:
        record = standard.record_types.get(parts[1])
    depth = 3 if record is standard.cover else 4
    field_name = violation.key if record is not None and len(parts) == depth else None
    if record is None or field_name not in record.field_names:
        field_name = None
    return make_finding(
        rule,
        lang,
        {"reason": violation.reason_in(lang)},
        file=file,
        pointer=violation.pointer,
        record=record.name if record is not None else None,
        field=field_name,
        value=violation.value,
    )
