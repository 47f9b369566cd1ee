"""The bundled 1997-Q3 samples: clean returns are clean, faulty ones give exactly their expected findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import check

ROOT = Path(__file__).resolve().parents[1]
RETURNS = ROOT / "samples" / "returns" / "1997-Q3"
EXPECTED = ROOT / "samples" / "expected" / "1997-Q3"


def test_samples_cover_offices_regions_and_formats() -> None:
    report = check(RETURNS)
    offices = {r.office for r in report.returns}
    assert offices == {"DAKAR", "ABIDJAN", "LIMA", "MDTMANILA", "IPEC", "BEIRUT"}
    suffixes = {Path(f).suffix for r in report.returns for f in r.files}
    assert suffixes == {".xlsx", ".csv", ".json"}
    from tcstandards.standard import load_standard

    offices_list = load_standard().codelist("offices")
    types = {offices_list.by_code[o]["type"] for o in offices}
    assert {"AREA_OFFICE", "REGIONAL_OFFICE", "MDT", "HQ_DEPARTMENT"} <= types
    regions = {offices_list.by_code[o]["ilo_region"] for o in offices}
    assert len(regions - {"INTERREGIONAL"}) >= 3


@pytest.mark.parametrize("expected", sorted(EXPECTED.glob("*.findings.json")), ids=lambda p: p.name)
def test_faulty_sample_gives_expected_findings(expected: Path) -> None:
    spec = json.loads(expected.read_text(encoding="utf-8"))
    report = check(RETURNS / spec["files"][0])
    (result,) = report.returns
    assert [Path(f).name for f in result.files] == spec["files"]
    got = [
        {
            "file": Path(f.file).name,
            "location": f.location,
            "rule": f.rule,
            "severity": f.severity,
            "field": f.field,
            "value": f.value,
        }
        for f in result.findings
    ]
    assert got == spec["findings"]


def test_clean_samples_are_clean() -> None:
    faulty = {json.loads(p.read_text())["return"] for p in EXPECTED.glob("*.findings.json")}
    report = check(RETURNS)
    for result in report.returns:
        name = f"{result.office}_{result.period}"
        if name not in faulty:
            assert result.findings == (), name
            assert result.records > 0


def test_samples_are_consistent_with_each_other() -> None:
    """Project codes are unique across offices; every project's admin unit is the reporting office."""
    from tcstandards.reading.sources import discover
    from tcstandards.standard import load_standard
    from tcstandards.validation.engine import read_source
    from tcstandards.validation.tables import build_return

    standard = load_standard()
    codes: dict[str, str] = {}
    for source in discover([RETURNS]):
        built = build_return(read_source(source, standard), standard)
        office = str(built.cover.col("office_code").iloc[0]) if built.cover is not None else "?"
        projects = built.tables["projects"].frame
        for code, admin in zip(projects["project_code"], projects["admin_unit"], strict=True):
            assert code not in codes, f"{code} reported by {codes.get(code)} and {office}"
            codes[code] = office
            assert admin == office


def test_samples_are_rebuilt_identically(tmp_path: Path) -> None:
    """The generator is deterministic for the text formats (CSV and JSON)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_samples", ROOT / "samples" / "build_1997_q3.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path
    module.main()
    for path in RETURNS.iterdir():
        if path.suffix in (".csv", ".json"):
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
