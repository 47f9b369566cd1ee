"""The standard as Python objects, read from ``schemas/`` (package data).

Everything the code knows about fields, patterns, codelists and rules comes
from here; nothing is repeated in code.  Loading is cheap (JSON only, no
pandas) so that the CLI and the pre-commit hook start fast.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any, Literal

from tcstandards.common.errors import StandardError
from tcstandards.standard.roles import Roles

LANGUAGES = ("en", "fr", "es")
Severity = Literal["error", "warning"]
PERCENT_MAXIMUM = 100  # a field of type pct is a percentage
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
    role: str | None = None  # what the code reads it as (:mod:`tcstandards.standard.roles`)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name

    @property
    def upper_bound(self) -> float | None:
        """``maximum``, and 100 for a percentage that sets none."""
        return self.maximum if self.maximum is not None else (PERCENT_MAXIMUM if self.type == "pct" else None)

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
    def by_name(self) -> dict[str, str]:
        """Every item's name in any language, case-folded -> its code."""
        return {
            str(name).casefold(): code
            for code, item in self.by_code.items()
            for name in (item.get("name") or {}).values()
        }

    @functools.cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self.by_code)

    @functools.cached_property
    def ordered(self) -> tuple[str, ...]:
        """The codes in the codelist's own order (the order of the paper's tables)."""
        return tuple(self.by_code)

    def having(self, name: str) -> tuple[str, ...]:
        """The codes whose attribute ``name`` is true, in order."""
        return tuple(code for code, item in self.by_code.items() if item.get(name))

    def attribute(self, name: str) -> dict[str, Any]:
        """code -> value of one attribute (items without it are left out)."""
        return {code: item[name] for code, item in self.by_code.items() if name in item}

    def name_of(self, code: str, lang: str = "en") -> str:
        item = self.by_code.get(code)
        if item is None:
            return code
        names = item.get("name") or {}
        return str(names.get(lang) or names.get("en") or code)


RuleKind = Literal["engine", "expression", "implementation"]
EXPRESSION_KEYS = ("when", "cases", "at", "show")


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue.

    ``kind`` says who evaluates it: ``expression``, the generic engine from the
    rule's own ``when``/``cases``/``at``/``show`` (:mod:`tcstandards.standard.expressions`);
    ``implementation``, a named function of the validation layer; ``engine``,
    the reading, typing and field checks, or HQ (:mod:`tcstandards.standard.rule_ids`).
    ``parameters`` are its settings (thresholds, tolerances, codes), which its
    messages show; ``params`` are the values a finding fills in.
    """

    id: str
    severity: Severity
    records: tuple[str, ...]
    fields: tuple[str, ...]
    title: Mapping[str, str]
    message: Mapping[str, str]
    params: tuple[str, ...]
    guidance: str
    kind: RuleKind = "engine"
    parameters: Mapping[str, Any] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)  # an implementation's fields, by role
    expression: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    example: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)  # realistic values

    def template(self, lang: str) -> str:
        """The message in ``lang`` (else English), with its parameters written as the language writes numbers.

        The placeholders a finding fills in (``{value}``, ``{end_date}``...) stay.
        """
        text = self.message.get(lang) or self.message["en"]
        for name, value in self.parameters.items():
            text = text.replace("{" + name + "}", format_setting(value, lang))
        return text


def format_setting(value: Any, lang: str) -> str:
    """A rule's parameter in a message: 0.5 is "0,5" in French; a list of codes is comma-separated."""
    if isinstance(value, list | tuple):
        return ", ".join(format_setting(v, lang) for v in value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=lang))


_PANDERA_SCHEMAS: dict[tuple[str, str, bool], Any] = {}  # (version, record type, row rules) -> schema


@dataclass(frozen=True)
class Standard:
    version: str
    status: str
    title: Mapping[str, str]
    cover: RecordType
    record_types: Mapping[str, RecordType]
    codelists: Mapping[str, Codelist]
    rules: Mapping[str, Rule]
    tool_sheets: Mapping[str, Mapping[str, str]]  # kind (instructions, lists, findings) -> lang -> name
    roles: Roles
    root: Traversable = field(repr=False, compare=False, hash=False)

    def tool_sheet(self, kind: str, lang: str) -> str:
        """The name of a sheet the tools add (``instructions``, ``lists``, ``findings``) in ``lang``."""
        names = self.tool_sheets[kind]
        return names.get(lang) or names["en"]

    @property
    def ignored_sheets(self) -> tuple[str, ...]:
        """Every name, in every language, of the sheets the tools add: reading passes over them."""
        return tuple(dict.fromkeys(n for names in self.tool_sheets.values() for n in names.values()))

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

    def record_type(self, name: str) -> RecordType:
        """A record type by name, the Cover included."""
        if name == self.cover.name:
            return self.cover
        try:
            return self.record_types[name]
        except KeyError:
            raise StandardError(f"record type {name!r} is not part of TCDS {self.version}") from None

    def sheet_of(self, record: str, lang: str) -> str:
        """A record type's sheet name in ``lang`` (the Cover included); any other name as it is."""
        known = record == self.cover.name or record in self.record_types
        return self.record_type(record).sheet_name(lang) if known else record

    def label_of(self, record: str, field: str, lang: str) -> str:
        """A field's label in ``lang``; a name the record type does not have (or no record type) as it is."""
        known = record == self.cover.name or record in self.record_types
        record_type = self.record_type(record) if known else None
        return (
            record_type.field(field).label(lang)
            if record_type and field in record_type.field_names
            else field
        )

    def pandera_schema(self, record: str, *, row_rules: bool = True) -> Any:
        """The ``pandera.pandas.DataFrameSchema`` of a record type, its checks named by catalogue rule id.

        It checks a typed frame (canonical column names, dates as ``datetime64``,
        amounts as numbers): each field against its definition and, with
        ``row_rules``, each record against the catalogue's rules that need
        nothing but the record (``start-after-end``, ``currency-mismatch``...).
        ``schema.validate(frame, lazy=True)`` raises ``pandera.errors.SchemaErrors``
        whose ``failure_cases["check"]`` holds the rule ids (``not_nullable`` for
        an empty required field). See docs/pandera.md.
        """
        key = (self.version, record, row_rules)
        if key not in _PANDERA_SCHEMAS:
            from tcstandards.standard import pandera_schema

            _PANDERA_SCHEMAS[key] = pandera_schema.build(
                self, self.record_type(record), with_row_rules=row_rules
            )
        return _PANDERA_SCHEMAS[key]

    def schema_text(self, name: str) -> str:
        return self.root.joinpath(name).read_text(encoding="utf-8")
