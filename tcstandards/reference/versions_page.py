"""docs/versions.md: the versions of the standard and the migrations between them, from ``schemas/``."""

from __future__ import annotations

from tcstandards.standard import available_versions, load_standard, stable_version
from tcstandards.standard.versions import migrations

VERSIONS_FILE = "versions.md"
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}


def render_versions(generated: str) -> str:
    stable = stable_version()
    lines = [
        generated,
        "",
        "# Versions of the standard",
        "",
        "Every version the package ships, and the migrations between them. A return names its",
        "version on the Cover (`standard_version`, a required field) and is checked against it; a",
        "return that names none (a `required` finding), or a version the tool does not know (a",
        "`standard-version-unknown` finding), is checked against the latest version that is not a",
        f"draft, today {stable}. HQ keeps the consolidated records in the newest version's field",
        "names, and the report, the exports and the IATI export use them: a 1.0 return and a 1.1",
        "return consolidate side by side. A header under a field's earlier name is still read, with",
        "a `column-renamed` warning.",
        "",
        "`tcstandards migrate FILE --to VERSION -o OUT` moves a workbook or a JSON return to a newer",
        "version: it renames the headers of renamed fields (in the language they were written in) and",
        "sets the Cover's `standard_version`. Values are kept: a formula becomes its saved result",
        "(openpyxl, which writes the copy, would lose it), and a JSON return is written back with",
        "each number in its shortest exact form. A template is not migrated: get a new one with",
        "`tcstandards template --standard VERSION`.",
        "",
        "| Version | Status | Title |",
        "| --- | --- | --- |",
    ]
    for version in available_versions():
        standard = load_standard(version)
        page = "standard.md" if version == stable else f"standard-{version}.md"
        title = standard.title.get("en", "")
        lines.append(f"| {version} | {standard.status} | [{title}]({page}) |")
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
