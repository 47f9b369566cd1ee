"""``docs/messages.md``: every rule's message as a user reads it, with realistic values, in the three
languages side by side (the values are each rule's ``example`` in rules.json)."""

from __future__ import annotations

from tcstandards.reference.markdown import (
    GENERATED,
    LANGUAGE_NAMES,
    RULES_FILE,
    _cell,
    _document,
    _table,
    _text,
)
from tcstandards.standard import LANGUAGES, Standard
from tcstandards.standard.examples import example_message

MESSAGES_FILE = "messages.md"


def render_messages(standard: Standard) -> str:
    lines = [
        GENERATED,
        "",
        f"# Messages of TCDS {standard.version}, as users read them",
        "",
        "Each rule's message filled in with the realistic values of its `example` in "
        f"`schemas/{standard.version}/rules.json`, in English, French and Spanish side by side, so that a "
        "reviewer reads them all in one place. Fields appear as users see them (a finding names the "
        "header as written in the file; here, the standard's label), numbers as each language writes "
        "them, and counts with the language's plural. The rules themselves are in "
        f"[{RULES_FILE}]({RULES_FILE}).",
        "",
    ]
    header = ("Rule", *(LANGUAGE_NAMES[lang] for lang in LANGUAGES))
    rows = [
        (
            f"[{rule.id}]({RULES_FILE}#{rule.id}) ({rule.severity}): {_cell(_text(rule.title, 'en'))}",
            *(_cell(example_message(standard, rule, lang)) for lang in LANGUAGES),
        )
        for rule in standard.rules.values()
    ]
    lines += _table(header, rows)
    return _document(lines)
