"""One place for each fact: the package code does not restate the standard's field names, codes and rule ids.

The count is of string literals in ``tcstandards/`` that spell a field name of
any shipped version, a code of the region, source-of-funds or pipeline-status
codelists, or a rule id. Not counted: docstrings, the keys of documents the
package writes (dict displays: JSON reports, ledgers), IATI element names
(``ET.SubElement`` tags), the keys of the standard's own documents read from
them (JSON Schema keywords such as ``required`` or ``pattern``, and the
properties of ``schemas/meta/``, such as a codelist's ``codelist``), and the
rule registries themselves
(``standard/rule_ids.py`` and ``@implementation("id")``). Docs-generation code
(``tcstandards/reference``) is not run by users and is left out.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema_specifications
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tcstandards"
LIMIT = 60
CODELISTS = ("ilo_regions", "sources_of_funds", "pipeline_statuses")
REGISTRY_CALLS = {"implementation": 0, "SubElement": 1}  # call name -> position of the literal it names


def _words() -> tuple[set[str], set[str]]:
    """(fields and codes, rule ids) of every shipped version."""
    words: set[str] = set()
    rules: set[str] = set()
    for version in (ROOT / "schemas").glob("[0-9]*"):
        for schema in version.glob("*.schema.json"):
            if schema.name != "return.schema.json":
                words |= set(json.loads(schema.read_text(encoding="utf-8")).get("properties", {}))
        for name in CODELISTS:
            codelist = json.loads((version / "codelists" / f"{name}.json").read_text(encoding="utf-8"))
            words |= {str(item["code"]) for item in codelist["items"]}
        catalogue = json.loads((version / "rules.json").read_text(encoding="utf-8"))
        rules |= {rule["id"] for rule in catalogue["rules"]}
    return words, rules


def _document_keys() -> set[str]:
    """JSON Schema's keywords, and the property names the meta-schemas of ``schemas/meta/`` define."""
    meta = jsonschema_specifications.REGISTRY.contents("https://json-schema.org/draft/2020-12/meta/meta-data")
    keys = set(Draft202012Validator.VALIDATORS) | set(meta["properties"])

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                keys.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for schema in (ROOT / "schemas" / "meta").glob("*.schema.json"):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    return keys


def _not_counted(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Dict):
            skipped |= {id(key) for key in node.keys if key is not None}
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            position = REGISTRY_CALLS.get(name)
            if position is not None and len(node.args) > position:
                skipped.add(id(node.args[position]))
    return skipped


def literals() -> list[tuple[str, int, str]]:
    """(module, line, literal) of each literal counted."""
    words, rules = _words()
    spelled = (words | rules) - _document_keys()
    found = []
    for module in sorted(PACKAGE.rglob("*.py")):
        relative = module.relative_to(ROOT)
        if module.name == "rule_ids.py" or "reference" in relative.parts:
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        skipped = _not_counted(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in spelled and id(node) not in skipped:
                found.append((str(relative), node.lineno, str(node.value)))
    return found


def test_field_names_codes_and_rule_ids_are_counted_in_tens() -> None:
    found = literals()
    listing = "\n".join(f"{module}:{line}: {value!r}" for module, line, value in found)
    assert len(found) < LIMIT, f"{len(found)} literals restate the standard:\n{listing}"


def test_no_rule_id_outside_the_catalogue_and_the_registries() -> None:
    _, rules = _words()
    compound = {rule for rule in rules if "-" in rule}  # the single words are also JSON Schema keywords
    found = [(m, line, v) for m, line, v in literals() if v in compound]
    allowed = {"tcstandards/validation/implementations.py"}  # the implementation registry
    assert [f for f in found if f[0] not in allowed] == []


def test_the_count_sees_a_restated_field(tmp_path: Path) -> None:
    """The counter is not blind: a field name typed in a module is counted at its line."""
    tree = ast.parse('def f(frame):\n    return frame["expenditure_usd"]\n')
    words, _ = _words()
    counted = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value in words and id(n) not in _not_counted(tree)
    ]
    assert counted == [2]
