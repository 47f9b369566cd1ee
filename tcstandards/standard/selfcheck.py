"""The standard checks itself as it loads.

Two passes, each failing with a :class:`StandardError` that names the file and
the entry:

1. every file against its meta-schema in ``schemas/meta/`` (JSON Schema
   2020-12, with :mod:`jsonschema`);
2. the references between files: a rule's record types and fields (those it
   lists, its roles, and every field its expressions read) exist in the
   record types it names; codelists, codelist attributes, parameters and
   message placeholders exist; the record types' codelists, keys and
   conditions name what exists; every ``engine`` rule is one the package
   reports (:mod:`tcstandards.standard.rule_ids`); every role the code reads
   is given to one field (:mod:`tcstandards.standard.roles`).

The first pass is the slow one (importing jsonschema costs about 0.1 s). Its
success is remembered per content digest in the user's cache folder
(``$XDG_CACHE_HOME/tcstandards`` or ``~/.cache/tcstandards``; set
``TCSTANDARDS_NO_CACHE=1`` to check every time). The second pass always runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tcstandards.common.errors import StandardError
from tcstandards.common.i18n import BRANCH, PLURAL
from tcstandards.standard import expressions, periods
from tcstandards.standard.roles import ROLE_NAMES, Roles, read_roles
from tcstandards.standard.rule_ids import ENGINE_RULES

META = {
    "manifest": "standard.schema.json",
    "record": "record.schema.json",
    "codelist": "codelist.schema.json",
    "catalogue": "rules.schema.json",
}
GENERIC_PLACEHOLDERS = frozenset({"field", "label", "value"})


@dataclass(frozen=True)
class Documents:
    """The JSON documents of one version, by file name (relative to ``schemas/<version>``)."""

    version: str
    manifest: Mapping[str, Any]
    records: Mapping[str, Mapping[str, Any]]
    codelists: Mapping[str, Mapping[str, Any]]
    catalogue: Mapping[str, Any]
    digest: str = ""  # of the files' bytes

    def named(self) -> Iterator[tuple[str, str, Any]]:
        """(meta-schema kind, file name, document) of every file."""
        yield "manifest", "standard.json", self.manifest
        for name, document in self.records.items():
            yield "record", name, document
        for name, document in self.codelists.items():
            yield "codelist", name, document
        yield "catalogue", "rules.json", self.catalogue


def check_documents(documents: Documents, meta: Traversable) -> None:
    _check_meta(documents, meta)
    _check_references(documents)


# --- 1. meta-schemas ---------------------------------------------------------------------------


def _check_meta(documents: Documents, meta: Traversable) -> None:
    texts = {node.name: node.read_bytes() for node in meta.iterdir() if node.name.endswith(".json")}
    digest = hashlib.sha256(documents.digest.encode())
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name])
    marker = _cache_marker(digest.hexdigest())
    if marker is not None and marker.exists():
        return
    metas = {name: json.loads(text) for name, text in texts.items()}
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in metas.values()
    )
    for kind, name, document in documents.named():
        validator = Draft202012Validator(
            metas[META[kind]], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        error = next(iter(sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            raise StandardError(f"{_file(documents, name)}: {where}: {_short(error.message)}")
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(documents.version + "\n", encoding="utf-8")
        except OSError:
            pass  # a read-only home: check again next time


def _cache_marker(digest: str) -> Path | None:
    if os.environ.get("TCSTANDARDS_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tcstandards" / f"standard-{digest[:32]}.ok"


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:299] + "…"


def _file(documents: Documents, name: str) -> str:
    return f"schemas/{documents.version}/{name}"


# --- 2. references between files --------------------------------------------------------------


def _check_references(documents: Documents) -> None:
    codelists = {doc["codelist"]: doc for doc in documents.codelists.values()}
    fields = {doc["x-record-type"]: set(doc["properties"]) for doc in documents.records.values()}
    files = {doc["x-record-type"]: name for name, doc in documents.records.items()}
    for name, doc in documents.records.items():
        _check_record(documents, name, doc, codelists)
    for name, doc in documents.codelists.items():
        _check_quarters(documents, name, doc)
    roles = read_roles({_file(documents, name): doc for name, doc in documents.records.items()})
    for rule in documents.catalogue["rules"]:
        _check_rule(documents, rule, fields, files, codelists)
        _check_rule_roles(documents, rule, roles)


# quarters of a codelist item that must come in this order (when given): a unit opens, reports, closes
QUARTER_ORDER = ("opened", "reports_from", "reports_until", "closed")


def _check_quarters(documents: Documents, name: str, doc: Mapping[str, Any]) -> None:
    for item in doc["items"]:
        given = [(key, item[key]) for key in QUARTER_ORDER if key in item]
        for (before, first), (after, then) in itertools.pairwise(given):
            if periods.parse(first) > periods.parse(then):
                where = f"{_file(documents, name)}: item {item['code']!r}"
                raise StandardError(f"{where} has {before} {first} after {after} {then}")


def _check_record(
    documents: Documents, name: str, doc: Mapping[str, Any], codelists: Mapping[str, Any]
) -> None:
    where = _file(documents, name)
    properties = doc["properties"]
    for field, prop in properties.items():
        for key in ("x-codelist", "x-codelist-items"):
            if key in prop and prop[key] not in codelists:
                raise StandardError(
                    f"{where}: field {field!r} names codelist {prop[key]!r}, which does not exist"
                )
    named = [*doc.get("x-key", ()), *doc.get("required", ()), *doc.get("dependentRequired", {})]
    for values in doc.get("dependentRequired", {}).values():
        named += values
    for clause in doc.get("allOf", ()):
        named += list(clause["if"]["properties"])
        for branch in ("then", "else"):
            named += clause.get(branch, {}).get("required", [])
    for field in named:
        if field not in properties:
            raise StandardError(
                f"{where}: {field!r} is used as a key or in a requirement, but is not a field"
            )


def _check_rule(
    documents: Documents,
    rule: Mapping[str, Any],
    fields: Mapping[str, set[str]],
    files: Mapping[str, str],
    codelists: Mapping[str, Any],
) -> None:
    where = f"{_file(documents, 'rules.json')}: rule {rule['id']!r}"
    for record in rule["records"]:
        if record not in fields:
            raise StandardError(f"{where} names record type {record!r}, which the standard does not have")
    spec = {key: rule[key] for key in ("when", "cases", "at", "show") if key in rule}
    read = {*rule["fields"], *rule.get("roles", {}).values(), *expressions.fields_read(list(spec.values()))}
    for field in sorted(read):
        for record in rule["records"]:
            if field not in fields[record]:
                raise StandardError(
                    f"{where} reads field {field!r}, which record type {record!r} "
                    f"({_file(documents, files[record])}) does not have"
                )
    parameters = rule.get("parameters", {})
    for name in expressions.nodes(spec, "parameter"):
        if name not in parameters:
            raise StandardError(f"{where} uses parameter {name!r}, which its 'parameters' do not set")
    for attribute in expressions.nodes(spec, "attribute"):
        _check_attribute(where, attribute, codelists)
    allowed = GENERIC_PLACEHOLDERS | set(rule.get("params", ())) | set(parameters) | set(spec.get("show", {}))
    for lang, text in rule["message"].items():
        for name in _placeholders(text):
            if name.startswith("@"):  # {@field}: the field as the user sees it, in every record of the rule
                _check_label(where, lang, name[1:], rule["records"], fields, documents, files)
                continue
            if name.startswith("#"):  # {#record}: a record type's sheet
                if name[1:] not in fields:
                    raise StandardError(f"{where}: the {lang} message names sheet {name!r} of no record type")
                continue
            if name not in allowed:
                raise StandardError(
                    f"{where}: the {lang} message shows {{{name}}}, which is neither a parameter of the rule "
                    "nor one of its 'params'"
                )
    if rule["kind"] == "engine" and rule["id"] not in ENGINE_RULES:
        raise StandardError(f"{where} is of kind 'engine', but the package does not report it")


def _check_label(
    where: str,
    lang: str,
    field: str,
    records: list[str],
    fields: Mapping[str, set[str]],
    documents: Documents,
    files: Mapping[str, str],
) -> None:
    for record in records:
        if field not in fields[record]:
            raise StandardError(
                f"{where}: the {lang} message shows {{@{field}}}, a field that record type {record!r} "
                f"({_file(documents, files[record])}) does not have"
            )


def _check_rule_roles(documents: Documents, rule: Mapping[str, Any], roles: Roles) -> None:
    """An implementation's roles are those of :mod:`tcstandards.standard.roles`, naming the same fields."""
    where = f"{_file(documents, 'rules.json')}: rule {rule['id']!r}"
    for role, field in rule.get("roles", {}).items():
        if role not in ROLE_NAMES:
            raise StandardError(f"{where} names the role {role!r}, which the package does not know")
        if getattr(roles, role) != field:
            raise StandardError(
                f"{where} gives the role {role!r} to field {field!r}, but that role is field "
                f"{getattr(roles, role)!r} (x-role)"
            )


def _check_attribute(where: str, attribute: Mapping[str, Any], codelists: Mapping[str, Any]) -> None:
    codelist = codelists.get(attribute["codelist"])
    if codelist is None:
        raise StandardError(f"{where} reads codelist {attribute['codelist']!r}, which does not exist")
    if not any(attribute["name"] in item for item in codelist["items"]):
        raise StandardError(
            f"{where} reads attribute {attribute['name']!r} of codelist {attribute['codelist']!r}, "
            "which no code of it has"
        )


def _placeholders(text: str) -> Iterator[str]:
    """The placeholders of a message; a plural block ``{count, plural, one {...} other {...}}`` is ``count``
    and what its branches show."""
    for block in PLURAL.finditer(text):
        yield block[1]
        for _, branch in BRANCH.findall(block[2]):
            yield from _placeholders(branch.replace("#", ""))
    text = PLURAL.sub("", text)
    for _, name, _, _ in string.Formatter().parse(text):
        if name:
            yield name.split(".")[0].split("[")[0].split("!")[0]
