"""A rule's message with the realistic values of its ``example`` (rules.json): what the reference docs
and the template's instructions show, and what the message checks read for internal ids and plurals.

The placeholders of a message:

* ``{value}``, ``{count}``... the values of a finding;
* ``{field}``: a field, shown as the user sees it (in a finding, its header as written in the file; in
  an example, its label in the language);
* ``{@name}``: the field ``name`` of the rule's record type, shown the same way;
* ``{#record}``: a record type's sheet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tcstandards.common.i18n import render, ui
from tcstandards.standard.model import Rule, Standard

LABEL = re.compile(r"\{@([a-z0-9_]+)\}")  # {@end_date}: the field as the user sees it
SHEET = re.compile(r"\{#([a-z0-9_]+)\}")  # {#projects}: the record type's sheet
FIELD_PARAMS = frozenset({"field", "other"})  # parameters that name a field
HINTS = {"nearest": "hint.nearest"}  # parameter -> the sentence that shows it (when it is not empty)


def hint(name: str, value: Any, lang: str) -> Any:
    """A hint parameter as its sentence (empty when there is nothing to suggest); any other as it is."""
    if name not in HINTS:
        return value
    return ui(HINTS[name], lang, codes=value) if value else ""


def literal(text: str) -> str:
    """Text put into a template: its braces doubled, so that rendering shows them as they are."""
    return text.replace("{", "{{").replace("}", "}}")


def field_label(standard: Standard, rule: Rule, name: str, lang: str) -> str:
    """The label in ``lang`` of field ``name`` of the first of the rule's record types that has it."""
    for record in rule.records or (standard.cover.name, *standard.record_types):
        record_type = standard.record_type(record)
        if name in record_type.field_names:
            return record_type.field(name).label(lang)
    return name


def example_params(standard: Standard, rule: Rule, lang: str, **overrides: Any) -> dict[str, Any]:
    """The example's values in ``lang``: texts in the language, fields by their label."""
    params: dict[str, Any] = {}
    for name, value in {**rule.example, **overrides}.items():
        given = (value.get(lang) or value["en"]) if isinstance(value, Mapping) else value
        params[name] = hint(name, given, lang)
    field = params.get("field")
    for name in FIELD_PARAMS & set(params):
        if isinstance(params[name], str):
            params[name] = field_label(standard, rule, params[name], lang)
    if isinstance(params.get("record"), str):
        params["record"] = standard.sheet_of(params["record"], lang)
    if isinstance(params.get("fields"), str):
        names = [n.strip() for n in params["fields"].split(",")]
        params["fields"] = ", ".join(field_label(standard, rule, n, lang) for n in names)
    params.setdefault("label", params.get("field", ""))  # a renamed column: what it is called now
    if isinstance(field, str):
        params["label"] = field_label(standard, rule, field, lang)
    return params


def example_message(standard: Standard, rule: Rule, lang: str, **overrides: Any) -> str:
    """The rule's message in ``lang`` with its example's values (``overrides`` replace some)."""
    text = rule.template(lang)
    text = LABEL.sub(lambda m: literal(field_label(standard, rule, m[1], lang)), text)
    text = SHEET.sub(lambda m: literal(standard.record_type(m[1]).sheet_name(lang)), text)
    return render(text, example_params(standard, rule, lang, **overrides), lang)


__all__ = [
    "FIELD_PARAMS",
    "HINTS",
    "LABEL",
    "SHEET",
    "example_message",
    "example_params",
    "field_label",
    "hint",
    "literal",
]
