"""Loading the standard from ``schemas/<version>/``: read, check against the meta-schemas, build.

Loading is cheap (JSON only, no pandas) so that the CLI and the pre-commit
hook start fast.  Every version is checked as it loads
(:mod:`tcstandards.standard.selfcheck`): a catalogue that names a field its
record type lacks, an unknown codelist or parameter, or a file that breaks
its meta-schema stops loading with a message naming the file and the entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tcstandards.common.errors import StandardError
from tcstandards.standard.model import (
    EXPRESSION_KEYS,
    Codelist,
    Condition,
    Field,
    RecordType,
    Rule,
    Standard,
)
from tcstandards.standard.roles import ROLE_KEY, read_roles
from tcstandards.standard.selfcheck import Documents, check_documents


def schemas_root() -> Traversable:
    """The ``schemas/`` folder, wherever the package is installed.

    Installed (wheel or editable), it is the package ``tcstandards.schemas``.
    Imported straight from a source checkout (``python -m`` run in the
    repository), that package does not exist; the checkout's ``schemas/``
    folder beside the package is then the same files.
    """
    try:
        return resources.files("tcstandards.schemas")
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parents[2] / "schemas"
        if (checkout / "__init__.py").is_file():
            return checkout  # a Path is a Traversable
        raise


def available_versions() -> tuple[str, ...]:
    """Versions of the standard shipped with the package, oldest first."""
    root = schemas_root()
    known = _VERSIONS_IN.get(str(root))
    if known is None:
        known = _VERSIONS_IN[str(root)] = _versions_in(root)
    return known


_VERSIONS_IN: dict[str, tuple[str, ...]] = {}  # schemas folder -> its versions (asked for once per return)


def _versions_in(root: Traversable) -> tuple[str, ...]:
    found = [p.name for p in root.iterdir() if p.is_dir() and p.joinpath("standard.json").is_file()]
    return tuple(sorted(found, key=version_key))


def latest_version() -> str:
    """The newest version shipped, drafts included: the form HQ consolidates and reports in."""
    return available_versions()[-1]


def stable_version() -> str:
    """The newest version that is not a draft: what a return that names no version is checked against."""
    root = schemas_root()
    final = [
        v
        for v in available_versions()
        if _read_json(root.joinpath(v, "standard.json")).get("status") != "draft"
    ]
    return final[-1] if final else latest_version()


def newest_standard() -> Standard:
    """The newest version shipped, for what no return's own version decides: the words a configuration
    or a waiver file may use (rule ids, record types, offices) and the HQ store's form."""
    return load_standard(latest_version())


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _read_json(node: Traversable, digest: Any = None) -> Any:
    """A JSON file of the standard; its bytes also go into ``digest`` (a hashlib object) when given."""
    try:
        data = node.read_bytes()
        if digest is not None:
            digest.update(node.name.encode() + b"\0" + data)
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise StandardError(f"cannot read {node}: {exc}") from exc


def _field(name: str, prop: Mapping[str, Any], required: bool) -> Field:
    return Field(
        name=name,
        type=prop["x-tcds-type"],
        required=required,
        labels=prop.get("x-labels", {"en": prop.get("title", name)}),
        descriptions=prop.get("x-descriptions", {"en": prop.get("description", "")}),
        pattern=prop.get("pattern"),
        codelist=prop.get("x-codelist"),
        item_codelist=prop.get("x-codelist-items"),
        minimum=prop.get("minimum"),
        maximum=prop.get("maximum"),
        exclusive_minimum=prop.get("exclusiveMinimum"),
        min_length=prop.get("minLength"),
        max_length=prop.get("maxLength"),
        email=prop.get("format") == "email",
        examples=tuple(str(x) for x in prop.get("examples", ())),
        aliases=tuple(str(x) for x in prop.get("x-aliases", ())),
        role=prop.get(ROLE_KEY),
    )


def _conditions(schema: Mapping[str, Any]) -> tuple[Condition, ...]:
    """Read the conditional requirements the standard uses.

    Only the shapes the schemas use are understood (``if`` on one property's
    ``const``/``enum`` with ``then``/``else`` ``required``, and
    ``dependentRequired``); anything else is a bug in the standard.
    """
    found: list[Condition] = []
    for clause in schema.get("allOf", ()):
        props = clause["if"]["properties"]
        if len(props) != 1:
            raise StandardError(f"unsupported condition in {schema.get('$id')}: {clause}")
        ((other, test),) = props.items()
        values = (test["const"],) if "const" in test else tuple(test["enum"])
        if "then" in clause:
            found.append(Condition("if", other, values, tuple(clause["then"]["required"])))
        if "else" in clause:
            found.append(Condition("unless", other, values, tuple(clause["else"]["required"])))
    for other, fields in schema.get("dependentRequired", {}).items():
        found.append(Condition("with", other, (), tuple(fields)))
    return tuple(found)


def _record_type(schema: Mapping[str, Any]) -> RecordType:
    required = set(schema.get("required", ()))
    return RecordType(
        name=schema["x-record-type"],
        labels=schema["x-labels"],
        descriptions=schema["x-descriptions"],
        sheet_names=schema["x-sheet"],
        key=tuple(schema.get("x-key", ())),
        fields=tuple(_field(n, p, n in required) for n, p in schema["properties"].items()),
        conditions=_conditions(schema),
        schema=schema,
    )


def _rule(data: Mapping[str, Any]) -> Rule:
    return Rule(
        id=data["id"],
        severity=data["severity"],
        records=tuple(data.get("records", ())),
        fields=tuple(data.get("fields", ())),
        title=data["title"],
        message=data["message"],
        params=tuple(data.get("params", ())),
        guidance=data["guidance"],
        kind=data.get("kind", "engine"),
        parameters=data.get("parameters", {}),
        roles=data.get("roles", {}),
        expression={key: data[key] for key in EXPRESSION_KEYS if key in data},
        example=data.get("example", {}),
    )


@functools.cache
def load_standard(version: str | None = None) -> Standard:
    """Load one version of the standard (the one in force, the latest that is not a draft, by default).

    Raises :class:`KeyError` for a version that is not shipped, and
    :class:`~tcstandards.common.errors.StandardError` for one that is not consistent.
    """
    version = version or stable_version()
    if version not in available_versions():
        raise KeyError(version)
    root = schemas_root().joinpath(version)
    documents = read_documents(root)
    check_documents(documents, schemas_root().joinpath("meta"))
    return build_standard(documents, root)


def read_documents(root: Traversable) -> Documents:
    """The JSON documents of one version, each under its file name (relative to ``schemas/<version>``)."""
    digest = hashlib.sha256()
    manifest = _read_json(root.joinpath("standard.json"), digest)
    names = [manifest.get("cover", ""), *manifest.get("record_types", ())]
    records = {
        f"{name}.schema.json": _read_json(root.joinpath(f"{name}.schema.json"), digest) for name in names
    }
    codelists = {
        f"codelists/{node.name}": _read_json(node, digest)
        for node in sorted(root.joinpath("codelists").iterdir(), key=lambda n: n.name)
        if node.name.endswith(".json")
    }
    catalogue = _read_json(root.joinpath("rules.json"), digest)
    return Documents(root.name, manifest, records, codelists, catalogue, digest.hexdigest())


def build_standard(documents: Documents, root: Traversable) -> Standard:
    manifest = documents.manifest
    cover = _record_type(documents.records[f"{manifest['cover']}.schema.json"])
    records = {
        name: _record_type(documents.records[f"{name}.schema.json"]) for name in manifest["record_types"]
    }
    codelists = {
        data["codelist"]: Codelist(
            name=data["codelist"], description=data["description"], items=tuple(data["items"])
        )
        for data in documents.codelists.values()
    }
    rules = {r["id"]: _rule(r) for r in documents.catalogue["rules"]}
    return Standard(
        roles=read_roles(documents.records),
        version=manifest["version"],
        status=manifest.get("status", "final"),
        title=manifest["title"],
        cover=cover,
        record_types=records,
        codelists=codelists,
        rules=rules,
        tool_sheets=manifest["tool_sheets"],
        root=root,
    )
