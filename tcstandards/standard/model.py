"""The standard as Python objects, read from ``schemas/`` (package data).

Everything the code knows about fields, patterns, codelists and rules comes
from here; nothing is repeated in code.  Loading is cheap (JSON only, no
pandas) so that the CLI and the pre-commit hook start fast.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from tcstandards.common.errors import StandardError

LANGUAGES = ("en", "fr", "es")
Severity = Literal["error", "warning"]
TcdsType = Literal["string", "code", "date", "money", "int", "decimal", "pct"]


def normalize_label(text: str) -> str:
    """Key used to match headers, sheet names and Cover fields.

    Case, accents, spaces, underscores and punctuation are ignored, so
    ``Code du projet``, ``code_du_projet`` and ``CODE DU PROJET`` match.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Field:
    """One field of a record type, as its JSON Schema property says."""

    name: str
    type: TcdsType
    required: bool
    labels: Mapping[str, str]
    descriptions: Mapping[str, str]
    pattern: str | None = None
    codelist: str | None = None
    item_codelist: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    email: bool = False
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # headers of an earlier version (a renamed field): read, with a warning

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name

    @property
    def example(self) -> str:
        return self.examples[0] if self.examples else (self.pattern or "")

    @functools.cached_property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern) if self.pattern else None


@dataclass(frozen=True)
class Condition:
    """A conditional requirement read from ``allOf``/``if`` or ``dependentRequired``.

    kind ``if``: ``fields`` are required when ``other`` is one of ``values``;
    ``unless``: required when ``other`` is not one of ``values``;
    ``with``: required when ``other`` has a value.
    """

    kind: Literal["if", "unless", "with"]
    other: str
    values: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RecordType:
    name: str
    labels: Mapping[str, str]
    descriptions: Mapping[str, str]
    sheet_names: Mapping[str, str]
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    conditions: tuple[Condition, ...]
    schema: Mapping[str, Any] = field(repr=False, compare=False, hash=False)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @functools.cached_property
    def header_index(self) -> dict[str, str]:
        """Normalized header text -> field name (names and labels in every language, then old names)."""
        index: dict[str, str] = {}
        for f in self.fields:
            for text in (f.name, *f.labels.values()):
                index.setdefault(normalize_label(text), f.name)
        for f in self.fields:
            for text in f.aliases:
                index.setdefault(normalize_label(text), f.name)
        return index

    def sheet_name(self, lang: str = "en") -> str:
        return self.sheet_names.get(lang) or self.sheet_names["en"]


@dataclass(frozen=True)
class Codelist:
    name: str
    description: Mapping[str, str]
    items: tuple[Mapping[str, Any], ...]

    @functools.cached_property
    def by_code(self) -> dict[str, Mapping[str, Any]]:
        return {str(item["code"]): item for item in self.items}

    @functools.cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self.by_code)

    def attribute(self, name: str) -> dict[str, Any]:
        """code -> value of one attribute (items without it are left out)."""
        return {code: item[name] for code, item in self.by_code.items() if name in item}

    def name_of(self, code: str, lang: str = "en") -> str:
        item = self.by_code.get(code)
        if item is None:
            return code
        names = item.get("name") or {}
        return str(names.get(lang) or names.get("en") or code)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    records: tuple[str, ...]
    fields: tuple[str, ...]
    title: Mapping[str, str]
    message: Mapping[str, str]
    params: tuple[str, ...]
    guidance: str


@dataclass(frozen=True)
class Standard:
    version: str
    status: str
    title: Mapping[str, str]
    cover: RecordType
    record_types: Mapping[str, RecordType]
    codelists: Mapping[str, Codelist]
    rules: Mapping[str, Rule]
    ignored_sheets: tuple[str, ...]
    root: Traversable = field(repr=False, compare=False, hash=False)

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise StandardError(f"rule {rule_id!r} is not in the catalogue of TCDS {self.version}") from None

    def codelist(self, name: str) -> Codelist:
        try:
            return self.codelists[name]
        except KeyError:
            raise StandardError(f"codelist {name!r} is not part of TCDS {self.version}") from None

    def all_record_types(self) -> Iterator[RecordType]:
        yield self.cover
        yield from self.record_types.values()

    def schema_text(self, name: str) -> str:
        return self.root.joinpath(name).read_text(encoding="utf-8")


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


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _read_json(node: Traversable) -> Any:
    try:
        return json.loads(node.read_text(encoding="utf-8"))
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
    )


@functools.cache
def load_standard(version: str | None = None) -> Standard:
    """Load one version of the standard (the one in force, the latest that is not a draft, by default).

    Raises :class:`KeyError` for a version that is not shipped.
    """
    version = version or stable_version()
    if version not in available_versions():
        raise KeyError(version)
    root = schemas_root().joinpath(version)
    manifest = _read_json(root.joinpath("standard.json"))
    cover = _record_type(_read_json(root.joinpath(f"{manifest['cover']}.schema.json")))
    records = {
        name: _record_type(_read_json(root.joinpath(f"{name}.schema.json")))
        for name in manifest["record_types"]
    }
    codelists = {}
    for node in sorted(root.joinpath("codelists").iterdir(), key=lambda n: n.name):
        if node.name.endswith(".json"):
            data = _read_json(node)
            codelists[data["codelist"]] = Codelist(
                name=data["codelist"], description=data["description"], items=tuple(data["items"])
            )
    catalogue = _read_json(root.joinpath("rules.json"))
    rules = {r["id"]: _rule(r) for r in catalogue["rules"]}
    return Standard(
        version=manifest["version"],
        status=manifest.get("status", "final"),
        title=manifest["title"],
        cover=cover,
        record_types=records,
        codelists=codelists,
        rules=rules,
        ignored_sheets=tuple(manifest.get("ignored_sheets", ())),
        root=root,
    )
