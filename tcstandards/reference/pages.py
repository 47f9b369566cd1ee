"""Reference documentation generated from the standard: ``docs/rules.md``, ``docs/messages.md`` and
``docs/standard.md``.

Everything written here comes from ``schemas/`` through :func:`load_standard`;
the renderers are pure functions (standard in, Markdown out, byte-identical
for the same input) so that a test can tell when the committed pages are stale.

Regenerate the pages after changing the schemas or the rule catalogue::

    python -m tcstandards.reference            # writes docs/rules.md and docs/standard.md
    python -m tcstandards.reference --check    # exit 1 when they are out of date
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from tcstandards.reference.expression_text import describe
from tcstandards.reference.markdown import (
    GENERATED,
    LANGUAGE_NAMES,
    REGENERATE,
    RULES_FILE,
    STANDARD_FILE,
    _anchor,
    _cell,
    _code,
    _document,
    _inline,
    _table,
    _text,
    _words,
    codelist_anchor,  # noqa: F401 - part of this module's API
    placeholders,
    record_anchor,
)
from tcstandards.reference.standard_page import describe_condition, render_standard  # noqa: F401 - part of this API
from tcstandards.standard import (
    LANGUAGES,
    Rule,
    Standard,
    available_versions,
    load_standard,
)

# --------------------------------------------------------------------------- rules.md


def _rule_records(standard: Standard, rule: Rule) -> str:
    if not rule.records:
        return "none (the finding is about a file or a sheet, not a record)"
    known = {r.name: r for r in standard.all_record_types()}
    parts = []
    for name in rule.records:
        record = known.get(name)
        if record is None:
            parts.append(_code(name))
        else:
            link = f"{STANDARD_FILE}#{record_anchor(record)}"
            parts.append(f"[{_inline(record.sheet_name('en'))}]({link}) ({_code(name)})")
    return ", ".join(parts)


def _rule_fields(rule: Rule) -> str:
    if not rule.fields:
        return "not listed (the finding's field says which, when there is one)" if rule.records else "none"
    return ", ".join(_code(f) for f in rule.fields)


def _how_to_fix(rule: Rule) -> str:
    title = _inline(_text(rule.title, "en") or rule.id)
    if rule.records:
        where = "the place the finding points to (sheet and cell, CSV line or JSON pointer)"
    else:
        where = "the file or sheet named in the finding"
    if rule.fields:
        where += ", field " + _words([_code(f) for f in rule.fields], "or")
    if rule.severity == "error":
        return (
            f"**How to fix:** *{title}* is an error: correct {where} as the message says, "
            "then validate again; the return is not ready to submit while errors remain."
        )
    return (
        f"**How to fix:** *{title}* is a warning: check {where}; if it is really meant, the warning "
        "can stay (warnings do not make validation fail), otherwise correct it as the message says."
    )


CHECKED_BY = {
    "expression": "the expression below, evaluated by the generic rule engine",
    "implementation": "code of its own (`tcstandards/validation`), reading the fields named by its roles",
    "engine": "the reading, typing and field checks, or HQ's consolidation",
}


def _rule_settings(rule: Rule) -> list[str]:
    lines = []
    if rule.parameters:
        shown = (f"{_code(name)} = {_code(json.dumps(value))}" for name, value in rule.parameters.items())
        lines.append("- Parameters: " + ", ".join(shown))
    if rule.roles:
        lines.append("- Roles: " + ", ".join(f"{role}: {_code(name)}" for role, name in rule.roles.items()))
    spec = rule.expression
    for case in spec.get("cases") or ([{"at": spec["at"], "when": spec["when"]}] if spec else []):
        at = case["at"] if isinstance(case["at"], str) else " or ".join(case["at"])
        lines.append(f"- Broken when {_code(describe(case['when']))}, reported at {_code(at)}")
    return lines


def _rule_section(standard: Standard, rule: Rule) -> list[str]:
    names = [n for n in placeholders(_text(rule.message, "en")) if n not in rule.parameters]
    for lang in LANGUAGES:
        for source in (rule.title, rule.message):
            names += [
                n for n in placeholders(_text(source, lang)) if n not in names and n not in rule.parameters
            ]
    names += [p for p in rule.params if p not in names]
    lines = [
        _anchor(rule.id),
        "",
        f"## {rule.id}",
        "",
        f"**{_inline(_text(rule.title, 'en') or rule.id)}**",
        "",
        f"- Severity: {rule.severity}",
        f"- Record types: {_rule_records(standard, rule)}",
        f"- Fields: {_rule_fields(rule)}",
        "- Placeholders: " + (", ".join(_code("{" + n + "}") for n in names) if names else "none"),
        f"- Checked by: {CHECKED_BY[rule.kind]}",
        *_rule_settings(rule),
        "",
    ]
    rows = [
        (LANGUAGE_NAMES.get(lang, lang), _cell(_text(rule.title, lang)), _cell(rule.template(lang)))
        for lang in LANGUAGES
    ]
    lines += _table(("Language", "Title", "Message"), rows)
    lines += ["", _how_to_fix(rule), ""]
    return lines


def render_rules(standard: Standard) -> str:
    """``docs/rules.md``: every rule of the catalogue, with an anchor per rule id."""
    rules = list(standard.rules.values())
    errors = sum(1 for r in rules if r.severity == "error")
    warnings = sum(1 for r in rules if r.severity == "warning")
    lines = [
        GENERATED,
        "",
        f"# Rules of {_inline(_text(standard.title, 'en') or 'TCDS ' + standard.version)}",
        "",
        f"The rule catalogue of TCDS {standard.version} ({standard.status}): {len(rules)} rules, "
        f"{errors} errors and {warnings} warnings, in catalogue order. Every finding of "
        "`tcstandards validate` names one of these rule ids; the ids are stable.",
        "",
        "- **error**: the return does not meet the standard; `tcstandards validate` exits with 1 "
        "(2 when a file cannot be read at all).",
        "- **warning**: something to check; validation still passes (exit code 0).",
        "",
        "Messages are shown as the catalogue holds them: `{name}` placeholders are filled in from "
        "the return when a finding is reported (`{field}` and `{value}` are the field and the value "
        "the finding is about, the field as the file names it); `{@name}` is field `name` and "
        "`{#name}` the sheet of record type `name`, as the return shows them; "
        "`{count, plural, one {...} other {...}}` takes the language's plural. "
        "[messages.md](messages.md) shows every message filled in. Record types and fields are "
        f"described in [standard.md]({STANDARD_FILE}).",
        "",
        "## Summary",
        "",
    ]
    lines += _table(
        ("Rule", "Severity", "Title"),
        ((f"[{_cell(r.id)}](#{r.id})", r.severity, _cell(_text(r.title, "en"))) for r in rules),
    )
    lines.append("")
    for rule in rules:
        lines += _rule_section(standard, rule)
    return _document(lines)


# --------------------------------------------------------------------------- command line


def render_all(standard: Standard) -> dict[str, str]:
    """File name -> content of every generated page: the standard in force, and the versions."""
    from tcstandards.reference.messages_page import MESSAGES_FILE, render_messages
    from tcstandards.reference.versions_page import VERSIONS_FILE, render_versions

    pages = {
        RULES_FILE: render_rules(standard),
        MESSAGES_FILE: render_messages(standard),
        STANDARD_FILE: render_standard(standard),
        VERSIONS_FILE: render_versions(GENERATED),
    }
    for version in available_versions():  # the other versions (a draft): their fields and codelists too
        if version != standard.version:
            pages[f"standard-{version}.md"] = render_standard(load_standard(version))
    return pages


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` newlines) so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def stale_files(docs: Path, pages: Mapping[str, str]) -> list[Path]:
    """The pages under ``docs`` that are missing or differ from ``pages``."""
    stale = []
    for name, text in pages.items():
        path = docs / name
        try:
            current = path.read_bytes()
        except OSError:
            stale.append(path)
            continue
        if current != text.encode("utf-8"):
            stale.append(path)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tcstandards.reference",
        description="Write docs/rules.md, docs/standard.md and docs/versions.md from the schemas.",
    )
    parser.add_argument(
        "docs", nargs="?", default="docs", metavar="DOCS_DIR", help="folder of the docs (default: ./docs)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a page is missing or stale"
    )
    args = parser.parse_args(argv)
    docs = Path(args.docs)
    pages = render_all(load_standard())
    if args.check:
        stale = stale_files(docs, pages)
        for path in stale:
            print(f"{path} is out of date; run: {REGENERATE} {docs}", file=sys.stderr)
        return 1 if stale else 0
    for name, text in pages.items():
        write_atomic(docs / name, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
