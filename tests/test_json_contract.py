"""The engine and the published JSON Schema agree (issue point 4).

A JSON return is checked against ``return.schema.json`` as well (``json_contract``): what the
schema refuses and the engine let pass is a ``json-schema`` error at its JSON pointer, in the
user's language, and nothing is said twice.  The property test feeds mutations of the
MDTMANILA sample to ``validate`` and to a plain ``jsonschema`` validator of the published
schema: whatever the schema refuses gets an error, and whatever ``validate`` passes, the schema
passes.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource
from support import TODAY

from tcstandards.cli import main
from tcstandards.common.i18n import LANGUAGES, ui, ui_keys
from tcstandards.standard import available_versions, load_standard
from tcstandards.validation import json_contract
from tcstandards.validation.engine import validate_paths

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "returns" / "1997-Q3" / "MDTMANILA_1997-Q3.json"
NAME = SAMPLE.name  # the file name claims MDTMANILA and 1997-Q3, as the Cover says


def sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return document


def write(document: Any, folder: Path) -> Path:
    path = folder / NAME
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def cli(path: Path, lang: str) -> tuple[int, list[dict[str, Any]]]:
    """``tcstandards validate --format json``: the exit code and every finding."""
    result = CliRunner().invoke(
        main, ["validate", "--format", "json", "--lang", lang, str(path)], catch_exceptions=False
    )
    findings = [f for r in json.loads(result.output)["returns"] for f in r["findings"]]
    return result.exit_code, findings


def published(version: str) -> Any:
    """A plain validator of the published schema, built as a user of the standard would."""
    standard = load_standard(version)
    names = ["return", "cover", *standard.record_types]
    resources = [
        (
            f"urn:tcds:{version}:{n}",
            Resource.from_contents(json.loads(standard.schema_text(f"{n}.schema.json"))),
        )
        for n in names
    ]
    return jsonschema.Draft202012Validator(
        json.loads(standard.schema_text("return.schema.json")),
        registry=Registry().with_resources(resources),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


PUBLISHED = {v: published(v) for v in available_versions()}


# --------------------------------------------------------------------------- the three examples


def date_in_dmy(document: dict[str, Any]) -> None:
    document["projects"][0]["start_date"] = "15/07/1996"


def number_as_text(document: dict[str, Any]) -> None:
    document["finance"][0]["expenditure_usd"] = "61200"


def unknown_property(document: dict[str, Any]) -> None:
    document["projects"][0]["colour"] = "blue"


EXAMPLES = {
    # Dates: the engine refuses d/m/y text in JSON (format: date), so invalid-date says it, once.
    "date": (date_in_dmy, [("invalid-date", "/projects/0/start_date")]),
    # A number as text: the schema's type error; the engine's number-text warning is not repeated.
    "number": (number_as_text, [("json-schema", "/finance/0/expenditure_usd")]),
    # A key that is not a field: the schema's additionalProperties, not column-unknown's warning.
    "property": (unknown_property, [("json-schema", "/projects/0/colour")]),
}
FRENCH = {
    "json-schema": "Refusé par le schéma JSON publié (return.schema.json) : ",
    "invalid-date": "15/07/1996 n'est pas une date",
}
REASONS = {
    ("number", "en"): '"61200" is text, not a number',
    ("number", "fr"): '"61200" est du texte, pas un nombre',
    ("property", "en"): "colour is not a property of TCDS 1.0",
    ("property", "fr"): "colour n'est pas une propriété de la norme TCDS 1.0",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_three_examples_are_errors_at_their_pointer(tmp_path: Path, example: str, lang: str) -> None:
    mutate, expected = EXAMPLES[example]
    document = sample()
    mutate(document)
    assert not PUBLISHED["1.0"].is_valid(document)  # the published schema refuses each of them
    code, findings = cli(write(document, tmp_path), lang)
    assert code == 1
    assert [(f["rule"], f["pointer"]) for f in findings] == expected
    (finding,) = findings
    assert finding["severity"] == "error"
    if lang == "fr":
        assert finding["message"].startswith(FRENCH[finding["rule"]])
    if (example, lang) in REASONS:
        assert REASONS[example, lang] in finding["message"]


def test_the_sample_passes_both(tmp_path: Path) -> None:
    assert PUBLISHED["1.0"].is_valid(sample())
    assert cli(write(sample(), tmp_path), "en") == (0, [])


def test_text_output_shows_the_pointer_and_the_reason(tmp_path: Path) -> None:
    document = sample()
    number_as_text(document)
    result = CliRunner().invoke(main, ["validate", "--lang", "en", str(write(document, tmp_path))])
    assert result.exit_code == 1
    assert "/finance/0/expenditure_usd" in result.output
    assert "json-schema" in result.output
    assert (
        'Not allowed by the published JSON Schema (return.schema.json): "61200" is text, not a number.'
        in (result.output)
    )


# --------------------------------------------------------------------------- no doubling


def findings_of(document: Any, tmp_path: Path) -> list[tuple[str, str, str | None]]:
    report = validate_paths([str(write(document, tmp_path))], today=TODAY)
    return [(f.rule, f.severity, f.pointer) for f in report.findings]


def test_engine_errors_are_not_repeated(tmp_path: Path) -> None:
    document = sample()
    document["cover"]["email"] = "nobody"  # email (engine) and format: email (schema)
    document["projects"][1]["title"] = " abc"  # length (engine: 3 characters) and minLength (schema)
    del document["projects"][2]["end_date"]  # required (engine) and required (schema)
    document["finance"][1]["expenditure_usd"] = True  # invalid-number (engine) and type (schema)
    assert findings_of(document, tmp_path) == [
        ("email", "error", "/cover/email"),
        ("length", "error", "/projects/1/title"),
        ("required", "error", "/projects/2/end_date"),
        ("invalid-number", "error", "/finance/1/expenditure_usd"),
    ]


def test_an_error_about_a_whole_array_covers_its_property_only(tmp_path: Path) -> None:
    document = sample()
    for project in document["projects"]:
        del project["title"]  # column-missing at /projects, not one required per record
    document["projects"][1]["approved_budget_usd"] = "2150000"  # another property: still reported
    assert findings_of(document, tmp_path) == [
        ("column-missing", "error", "/projects"),
        ("json-schema", "error", "/projects/1/approved_budget_usd"),
    ]


def test_cover_missing_property_is_said_once(tmp_path: Path) -> None:
    document = sample()
    del document["cover"]["email"]
    assert findings_of(document, tmp_path) == [("required", "error", "/cover")]


def test_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    document = sample()
    document["comments"] = [{"text": "late this quarter"}]
    assert findings_of(document, tmp_path) == [("json-schema", "error", "/comments")]


def test_condition_the_engine_reads_leniently(tmp_path: Path) -> None:
    """``interregional`` is read as INTERREGIONAL (code-case), but the schema's ``const`` is exact."""
    document = sample()
    document["projects"][0]["ilo_region"] = "interregional"
    del document["projects"][0]["recipient_countries"]
    assert findings_of(document, tmp_path) == [
        ("code-case", "warning", "/projects/0/ilo_region"),
        ("json-schema", "error", "/projects/0/recipient_countries"),
    ]


def test_renamed_field_in_a_1_1_return(tmp_path: Path) -> None:
    """The 1.1 schema has no ``evidence``: an error per record; the migrate hint stays as a warning."""
    document = sample()
    document["cover"]["standard_version"] = "1.1"
    found = findings_of(document, tmp_path)
    assert found[0] == ("column-renamed", "warning", "/results")
    assert found[1:] == [("json-schema", "error", f"/results/{i}/evidence") for i in range(3)]


def test_a_big_integer_is_a_number_for_the_schema(tmp_path: Path) -> None:
    document = sample()
    document["finance"][0]["expenditure_usd"] = 12_345_678_901_234_567  # kept as digits by the reader
    assert PUBLISHED["1.0"].is_valid(document)
    assert [rule for rule, severity, _ in findings_of(document, tmp_path) if severity == "error"] == []


def test_dates_in_json_are_iso(tmp_path: Path) -> None:
    document = sample()
    document["projects"][0]["start_date"] = 35247  # an Excel serial number
    document["projects"][1]["start_date"] = "1997-07-01T00:00:00"
    document["projects"][2]["end_date"] = "9999-12-31"  # a valid date the engine cannot hold
    assert findings_of(document, tmp_path) == [
        ("invalid-date", "error", "/projects/0/start_date"),
        ("invalid-date", "error", "/projects/1/start_date"),
        ("invalid-date", "error", "/projects/2/end_date"),
    ]


def test_a_deeply_nested_value_is_one_finding(tmp_path: Path) -> None:
    """An object 400 levels deep where a title goes: refused whatever it holds, and never walked."""
    text = json.dumps(sample()).replace(
        '"Occupational safety and health in small enterprises"', '{"a": ' * 400 + "1" + "}" * 400, 1
    )
    path = tmp_path / NAME
    path.write_text(text, encoding="utf-8")
    code, findings = cli(path, "en")
    assert (code, [(f["rule"], f["pointer"]) for f in findings]) == (
        1,
        [("json-schema", "/projects/0/title")],
    )
    assert "{…} is an object, not text" in findings[0]["message"]


# --------------------------------------------------------------------------- the module


def test_violations_carry_pointer_keyword_and_reason() -> None:
    document = sample()
    number_as_text(document)
    unknown_property(document)
    del document["cover"]["email"]
    document["cover"]["period"] = "1997-Q5"
    violations = json_contract.contract_violations(document, load_standard("1.0"))
    assert sorted((v.pointer, v.keyword) for v in violations) == [
        ("/cover/email", "required"),
        ("/cover/period", "pattern"),
        ("/finance/0/expenditure_usd", "type"),
        ("/projects/0/colour", "additionalProperties"),
    ]
    by_keyword = {v.keyword: v for v in violations}
    assert by_keyword["required"].reason == "the required property email is missing"
    assert by_keyword["type"].reason_in("es") == '"61200" es texto, no un número'
    assert by_keyword["pattern"].reason_in("fr") == '"1997-Q5" n\'a pas la forme ^(19|20)\\d{2}-Q[1-4]$'


def test_every_reason_is_in_every_language() -> None:
    keys = {k for k in ui_keys() if k.startswith(("json-schema.", "json-type."))}
    for keyword in json_contract.TRANSLATED - {"const"}:
        assert f"json-schema.{keyword}" in keys
    for key in keys:
        assert {lang: bool(ui(key, lang)) for lang in LANGUAGES} == dict.fromkeys(LANGUAGES, True)
        assert ui(key, "fr") != key


def test_nothing_heavy_at_start_up() -> None:
    code = (
        "import sys, tcstandards.cli, tcstandards.validation.json_contract; "
        "sys.exit(any(m in sys.modules for m in ('jsonschema', 'referencing', 'pandas')))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


# --------------------------------------------------------------------------- the property

BASE = sample()
RECORDS = ["projects", "finance", "results", "pipeline"]
DATES = [
    "15/07/1996",
    "1996-7-1",
    "1996-02-30",
    "07/15/1996",
    "1996-07-01T00:00:00",
    " 1996-07-01",
    "19960701",
]
PATTERNED = ["MDT/MANILA", "ras/96/m07/jpn", "RAS/96/M07/JPN ", "1997-Q5", "1997-q3", "PHL1030", ""]
CODES = ["XXX", "mdtmanila", "asia_pacific", "", "RBTC", "INTERREGIONAL", "APPROVED", "CONCEPT"]
NUMBERS = [-1, 0, 12.5, 10**17, "61200", "61,200.00", "", True, None]
KEYS = ["colour", "Title", "Code du projet", "evidence", "verification_source", "period", "project_code"]
OTHER = [None, True, 0, "", [], {}, "x", [{"a": 1}]]


def values() -> st.SearchStrategy[Any]:
    return st.sampled_from(DATES + PATTERNED + CODES + NUMBERS + OTHER)


@st.composite
def places(draw: st.DrawFn) -> tuple[list[Any], str | None]:
    """A container of the document (the root, the Cover or a record) and one of its keys."""
    section = draw(st.sampled_from(["", "cover", *RECORDS]))
    if section == "":
        return [], draw(st.sampled_from([*BASE, None]))
    if section == "cover":
        return ["cover"], draw(st.sampled_from([*BASE["cover"], None]))
    index = draw(st.integers(0, len(BASE[section]) - 1))
    record = BASE[section][index]
    return [section, index], draw(st.sampled_from([*record, None]))


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[Any], str | None, Any]:
    kind = draw(st.sampled_from(["set", "set", "set", "add", "drop", "version"]))
    path, key = draw(places())
    if kind == "add":
        return kind, path, draw(st.sampled_from(KEYS)), draw(values())
    if kind == "version":
        return "set", ["cover"], "standard_version", draw(st.sampled_from(["1.1", "9.9", 1.0, "1.0"]))
    return kind, path, key, draw(values())


def mutate(document: Any, change: tuple[str, list[Any], str | None, Any]) -> None:
    kind, path, key, value = change
    target = document
    for step in path:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            return  # an earlier change removed or replaced this part
    if not isinstance(target, dict) or key is None:
        return
    if kind == "drop":
        target.pop(key, None)
    else:
        target[key] = copy.deepcopy(value)


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(st.lists(mutations(), min_size=1, max_size=3))
def test_what_the_schema_refuses_validate_refuses(changes: list[Any]) -> None:
    document = copy.deepcopy(BASE)
    for change in changes:
        mutate(document, change)
    with tempfile.TemporaryDirectory() as tmp:
        report = validate_paths([str(write(document, Path(tmp)))], today=TODAY)
    (result,) = report.returns
    version = result.standard_version or "1.0"
    refused = not PUBLISHED[version].is_valid(document)
    if refused:
        assert report.errors >= 1, changes
    if report.errors == 0:
        assert not refused, changes
    # the module agrees with plain jsonschema (its memory of passed values changes nothing)
    assert bool(json_contract.contract_violations(document, load_standard(version))) == refused
    # no doubling: a json-schema finding never sits where the engine reports an error
    engine = {f.pointer for f in result.findings if f.severity == "error" and f.rule != "json-schema"}
    assert not [f.pointer for f in result.findings if f.rule == "json-schema" and f.pointer in engine]


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutations(), min_size=1, max_size=4))
def test_the_compiled_schema_never_passes_what_jsonschema_refuses(changes: list[Any]) -> None:
    """jsonschema-rs answers first; a document it passes is not walked, so it must never be laxer."""
    document = copy.deepcopy(BASE)
    for change in changes:
        mutate(document, change)
    for version, published_schema in PUBLISHED.items():
        if json_contract._passes_compiled(json_contract._as_parsed(document), load_standard(version)):
            assert published_schema.is_valid(document), (version, changes)


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/finance/0/period", "1997-Q3\n"),  # jsonschema's pattern "$" passes a final newline
        ("/finance/0/expenditure_usd", float("nan")),  # jsonschema takes NaN as a number
        ("/finance/0/expenditure_usd", 10**30),  # beyond 64 bits (older jsonschema-rs cannot take it)
        ("/finance/0/expenditure_usd", "12"),  # refused by both
    ],
)
def test_where_the_compiled_schema_is_stricter_jsonschema_decides(pointer: str, value: Any) -> None:
    document = copy.deepcopy(BASE)
    _, section, index, key = pointer.split("/")
    document[section][int(index)][key] = value
    expected = [e.json_path for e in PUBLISHED["1.0"].iter_errors(document)]
    found = json_contract.contract_violations(document, load_standard("1.0"))
    assert [v.pointer for v in found] == [
        p.replace("$.", "/").replace("[0]", "/0").replace(".", "/") for p in expected
    ]
