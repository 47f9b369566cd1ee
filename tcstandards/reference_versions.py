"""docs/versions.md: the versions of the standard and the migrations between them, from ``schemas/``."""

from __future__ import annotations

from .standard import available_versions, load_standard, stable_version
from .versions import migrations

VERSIONS_FILE = "versions.md"
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}


def render_versions(generated: str) -> str:
    stable = stable_version()
    lines = [
        generated,
        "",
        "# Versions of the standard",
        "",
        "Every version the package ships, and the migrations between them. A return is checked",
        "against the version its Cover names (`standard_version`); a return that names none is",
        f"checked against the latest version that is not a draft, today {stable}. HQ keeps the",
        "consolidated records in the newest version's field names, and the report, the exports and",
        "the IATI export use them: a 1.0 return and a 1.1 return consolidate side by side.",
        "",
        "`tcstandards migrate FILE --to VERSION -o OUT` moves a workbook or a JSON return to a newer",
        "version: it renames the headers of renamed fields (in the language they were written in) and",
        "sets the Cover's `standard_version`; values never change.",
        "",
        "| Version | Status | Title |",
        "| --- | --- | --- |",
    ]
    for version in available_versions():
        standard = load_standard(version)
        lines.append(f"| {version} | {standard.status} | {standard.title.get('en', '')} |")
    for step in migrations():
        lines += ["", f"## From {step.source} to {step.target}", ""]
        for lang, name in LANGUAGES.items():
            if step.description.get(lang):
                lines += [f"**{name}.** {step.description[lang]}", ""]
        if step.renames:
            lines += [
                "Renamed fields:",
                "",
                "| Record type | In " + step.source + " | In " + step.target + " |",
            ]
            lines.append("| --- | --- | --- |")
            lines += [f"| {record} | `{old}` | `{new}` |" for record, old, new in step.renames]
            lines.append("")
        if step.added_codes:
            lines += ["New codes:", "", "| Codelist | Code | Name |", "| --- | --- | --- |"]
            target = load_standard(step.target)
            for codelist, code in step.added_codes:
                name = target.codelist(codelist).by_code[code]["name"]["en"]
                lines.append(f"| {codelist} | `{code}` | {name} |")
            lines.append("")
        lines += [
            "For CSV returns, which `migrate` does not rewrite, rename the headers in the table above",
            "by hand and set `standard_version` in the cover file.",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
