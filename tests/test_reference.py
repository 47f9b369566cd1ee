"""docs/rules.md and docs/standard.md are generated from schemas/ and must stay in step with them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tcstandards.reference import pages as reference
from tcstandards.standard import Standard, load_standard

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = (reference.RULES_FILE, "messages.md", reference.STANDARD_FILE, "versions.md", "standard-1.1.md")
STALE = (
    "docs/{name} is out of date with schemas/ (or was edited by hand): "
    "run `python -m tcstandards.reference` and commit docs/rules.md and docs/standard.md"
)
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


@pytest.fixture(scope="module")
def standard() -> Standard:
    return load_standard()


@pytest.fixture(scope="module")
def pages(standard: Standard) -> dict[str, str]:
    return reference.render_all(standard)


def committed(name: str) -> str:
    return (DOCS / name).read_bytes().decode("utf-8")


def section(text: str, anchor: str) -> str:
    """The text from ``<a id="anchor">`` to the next anchor (rule, record type or codelist)."""
    start = text.index(f'<a id="{anchor}"></a>')
    following = ANCHOR.search(text, start + 1)
    return text[start : following.start() if following else len(text)]


@pytest.mark.parametrize("name", PAGES)
def test_committed_docs_match_the_schemas(pages: dict[str, str], name: str) -> None:
    assert (DOCS / name).is_file(), STALE.format(name=name)
    assert committed(name) == pages[name], STALE.format(name=name)


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_well_formed(pages: dict[str, str], name: str) -> None:
    text = pages[name]
    assert text.splitlines()[0] == reference.GENERATED
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text
    assert not [line for line in text.split("\n") if line != line.rstrip()], "trailing spaces"
    anchors = ANCHOR.findall(text)
    assert len(anchors) == len(set(anchors)), "duplicate anchors"


def test_rendering_is_deterministic(standard: Standard, pages: dict[str, str]) -> None:
    fresh = load_standard.__wrapped__()  # a new Standard object, not the cached one
    assert fresh is not standard
    assert reference.render_rules(fresh) == reference.render_rules(standard) == pages[reference.RULES_FILE]
    assert (
        reference.render_standard(fresh)
        == reference.render_standard(standard)
        == pages[reference.STANDARD_FILE]
    )


def test_every_rule_guidance_points_to_an_anchor_in_rules_md(standard: Standard) -> None:
    text = committed(reference.RULES_FILE)
    anchors = set(ANCHOR.findall(text))
    for rule in standard.rules.values():
        path, _, fragment = rule.guidance.partition("#")
        assert path == "docs/rules.md", rule.id
        assert fragment in anchors, f"{rule.guidance} does not resolve"
        assert f"\n## {rule.id}\n" in text
        assert f"[{rule.id}](#{rule.id})" in text, f"{rule.id} missing from the summary table"


def test_rules_md_lists_rules_in_catalogue_order_with_all_languages(
    standard: Standard, pages: dict[str, str]
) -> None:
    text = pages[reference.RULES_FILE]
    positions = [text.index(f'<a id="{rule_id}"></a>') for rule_id in standard.rules]
    assert positions == sorted(positions)
    for rule in standard.rules.values():
        part = section(text, rule.id)
        assert f"- Severity: {rule.severity}" in part
        assert "**How to fix:**" in part
        for lang in ("English", "Français", "Español"):
            assert f"| {lang} |" in part, (rule.id, lang)
        for lang in ("en", "fr", "es"):
            for name in reference.placeholders(rule.template(lang)):
                assert "{" + name + "}" in part, (rule.id, lang, name)
        for name, value in rule.parameters.items():  # written into the messages, and listed
            assert f"`{name}` = `{json.dumps(value)}`" in part, (rule.id, name)
        for field in rule.fields:
            assert f"`{field}`" in part, (rule.id, field)


def test_every_field_and_condition_appears_in_standard_md(standard: Standard) -> None:
    text = committed(reference.STANDARD_FILE)
    for record in standard.all_record_types():
        part = section(text, reference.record_anchor(record))
        for lang in ("en", "fr", "es"):
            assert record.sheet_name(lang) in part, (record.name, lang)
        for field in record.fields:
            assert f"| `{field.name}` |" in part, f"{record.name}.{field.name} missing from docs/standard.md"
        for condition in record.conditions:
            assert reference.describe_condition(condition) in part


def test_every_code_of_every_codelist_appears_in_standard_md(standard: Standard) -> None:
    text = committed(reference.STANDARD_FILE)
    for codelist in standard.codelists.values():
        part = section(text, reference.codelist_anchor(codelist.name))
        rows = [line for line in part.split("\n") if line.startswith("| `")]
        assert len(rows) == len(codelist.items), codelist.name
        for item in codelist.items:
            assert f"| `{item['code']}` |" in part, (codelist.name, item["code"])


def test_links_between_and_within_pages_resolve(pages: dict[str, str]) -> None:
    anchors = {name: set(ANCHOR.findall(text)) for name, text in pages.items()}
    for name, text in pages.items():
        for target, fragment in re.findall(r"\]\(([\w.]*)#([^)\s]+)\)", text):
            page = target or name
            assert page in anchors, f"{name} links to {target}"
            assert fragment in anchors[page], f"{name} links to {page}#{fragment}, which has no anchor"


def test_check_reports_stale_and_missing_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    assert reference.main(["--check", str(docs)]) == 1  # nothing written yet
    capsys.readouterr()
    assert reference.main([str(docs)]) == 0
    assert sorted(p.name for p in docs.iterdir()) == sorted(PAGES)  # no temporary files left behind
    assert reference.main(["--check", str(docs)]) == 0
    assert capsys.readouterr().err == ""

    rules = docs / reference.RULES_FILE
    rules.write_bytes(rules.read_bytes() + b"edited by hand\n")
    assert reference.main(["--check", str(docs)]) == 1
    err = capsys.readouterr().err
    assert reference.RULES_FILE in err and reference.STANDARD_FILE not in err
    assert "python -m tcstandards.reference" in err

    (docs / reference.STANDARD_FILE).unlink()
    assert reference.main(["--check", str(docs)]) == 1
    assert reference.STANDARD_FILE in capsys.readouterr().err

    assert reference.main([str(docs)]) == 0
    assert reference.main(["--check", str(docs)]) == 0


def test_module_entry_point(tmp_path: Path, pages: dict[str, str]) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tcstandards.reference", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run().returncode == 0  # default folder: ./docs
    for name, text in pages.items():
        assert (tmp_path / "docs" / name).read_bytes() == text.encode("utf-8")
    assert run("--check").returncode == 0
    (tmp_path / "docs" / reference.STANDARD_FILE).write_text("stale\n", encoding="utf-8")
    stale = run("--check", "docs")
    assert stale.returncode == 1
    assert reference.STANDARD_FILE in stale.stderr


def test_reference_does_not_import_pandas() -> None:
    code = "import sys, tcstandards.reference; print('pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"


def test_json_output_md_documents_every_key() -> None:
    import json

    from tcstandards.reporters.json import FORMAT, FORMAT_VERSION, JsonReporter
    from tcstandards.validation.findings import Finding, Report, ReturnResult

    finding = Finding(file="f.csv", rule="required", severity="error", message="m")
    result = ReturnResult(("f.csv",), "DAKAR", "1997-Q3", "1.0", (finding,), {"projects": 1})
    document = json.loads(JsonReporter().render(Report((result,))))
    keys = {
        *document,
        *document["summary"],
        *document["returns"][0],
        *document["returns"][0]["findings"][0],
    }
    text = (DOCS / "json-output.md").read_text(encoding="utf-8")
    undocumented = sorted(k for k in keys if f"| `{k}` |" not in text)
    assert not undocumented, f"keys missing from docs/json-output.md: {undocumented}"
    assert f'"format": "{FORMAT}"' in text
    assert f"`format_version` is `{FORMAT_VERSION}`" in text


def test_a_changed_schema_description_fails_the_docs_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Docs drift fails CI: a description changed in schemas/ and not regenerated is caught."""
    import shutil

    from tcstandards.standard import loading as standard_module
    from tcstandards.standard import versions

    copy = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", copy)
    schema = copy / "1.0" / "results.schema.json"
    text = schema.read_text(encoding="utf-8")
    assert text.count("Source of the figure.") == 2
    schema.write_text(text.replace("Source of the figure.", "Where the figure comes from."), encoding="utf-8")
    monkeypatch.setattr(standard_module, "schemas_root", lambda: copy)
    monkeypatch.setattr(versions, "schemas_root", lambda: copy)
    load_standard.cache_clear()
    versions.migrations.cache_clear()
    try:
        assert reference.main(["--check", str(DOCS)]) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"{DOCS / 'standard.md'} is out of date; run: python -m tcstandards.reference {DOCS}"
        ]
        assert "Where the figure comes from." in reference.render_all(load_standard())["standard.md"]
    finally:
        monkeypatch.undo()
        load_standard.cache_clear()
        versions.migrations.cache_clear()
    assert reference.main(["--check", str(DOCS)]) == 0  # the real schemas: the committed docs are current
