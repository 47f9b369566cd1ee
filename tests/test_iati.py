"""Issue 8, point 4: IATI 2.03 activity XML, valid against the official XSD and the rules it cannot check."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from support import base, write_xlsx

from tcstandards.cli import main
from tcstandards.report.iati import budget_periods, identifier, shares

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "returns" / "1997-Q3"


def _xsd() -> Path:
    """The official IATI 2.03 XSD: TCSTANDARDS_IATI_XSD, else ``shared/iati-2.03/`` beside the checkout."""
    name = "iati-activities-schema.xsd"
    if os.environ.get("TCSTANDARDS_IATI_XSD"):
        return Path(os.environ["TCSTANDARDS_IATI_XSD"])
    found = [
        p / "shared" / "iati-2.03" / name
        for p in ROOT.parents
        if (p / "shared" / "iati-2.03" / name).exists()
    ]
    return found[0] if found else ROOT.parent / "shared" / "iati-2.03" / name


XSD = _xsd()
needs_xsd = pytest.mark.skipif(
    not XSD.exists(), reason=f"the IATI 2.03 XSD is not at {XSD} (set TCSTANDARDS_IATI_XSD)"
)


def export_iati(store: Path, target: Path) -> etree._ElementTree:
    result = CliRunner().invoke(
        main, ["export", "--store", str(store), "--format", "iati", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote {target}"
    return etree.parse(str(target))


def consolidate(store: Path, *paths: Path) -> None:
    result = CliRunner().invoke(main, ["consolidate", "--store", str(store), *map(str, paths)])
    assert result.exit_code in (0, 1), result.output


def assert_valid(document: etree._ElementTree) -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(document), [f"{e.line}: {e.message}" for e in schema.error_log][:10]


def assert_iati_rules(document: etree._ElementTree, today: dt.date) -> None:
    """What the XSD cannot check: percentages, date order, no actual date in the future, budget spans."""
    for activity in document.getroot().iter("iati-activity"):
        name = activity.findtext("iati-identifier")
        assert name and name.startswith("XM-DAC-41302-") and "/" not in name
        shares_ = [
            float(e.get("percentage")) for e in activity if e.tag in ("recipient-country", "recipient-region")
        ]
        assert abs(sum(shares_) - 100) <= 0.01, (name, shares_)
        dates = {
            e.get("type"): dt.date.fromisoformat(e.get("iso-date")) for e in activity.iter("activity-date")
        }
        assert dates["1"] <= dates["3"], name
        for kind in ("2", "4"):
            assert kind not in dates or dates[kind] <= today, (name, kind)
        for budget in activity.iter("budget"):
            start = dt.date.fromisoformat(budget.find("period-start").get("iso-date"))
            end = dt.date.fromisoformat(budget.find("period-end").get("iso-date"))
            assert start <= end and (end - start).days < 366, name
        for transaction in activity.iter("transaction"):
            day = dt.date.fromisoformat(transaction.find("transaction-date").get("iso-date"))
            assert day <= today and transaction.find("value").get("value-date"), name
        for period in activity.iter("period"):
            assert period.find("period-start").get("iso-date") <= period.find("period-end").get("iso-date")


def activity(document: etree._ElementTree, project_code: str) -> Any:
    (found,) = [
        a
        for a in document.getroot().iter("iati-activity")
        if a.findtext("iati-identifier") == identifier(project_code)
    ]
    return found


def expenditure_of(element: Any) -> list[tuple[str, str]]:
    return [
        (t.find("value").get("currency"), t.findtext("value"))
        for t in element.iter("transaction")
        if t.find("transaction-type").get("code") == "4"
    ]


@needs_xsd
def test_the_1997_samples_export_valid_iati(tmp_path: Path) -> None:
    store = tmp_path / "hq.sqlite"
    consolidate(store, SAMPLES)
    document = export_iati(store, tmp_path / "ilo.xml")
    assert_valid(document)
    assert_iati_rules(document, dt.date.today())
    root = document.getroot()
    assert (root.get("version"), len(root)) == ("2.03", 14)  # the 14 projects of the merged returns
    dakar = activity(document, "RAF/96/M05/DAN")
    assert dakar.find("reporting-org").attrib == {"ref": "XM-DAC-41302", "type": "40"}
    assert [(e.get("code"), e.get("percentage")) for e in dakar.iter("recipient-country")] == [
        ("SN", "40"),
        ("ML", "35"),
        ("GM", "25"),
    ]
    assert [(o.get("role"), o.findtext("narrative")) for o in dakar.iter("participating-org")] == [
        ("1", "Denmark"),
        ("4", "International Labour Organization"),
    ]
    assert dakar.find("activity-status").get("code") == "2"
    assert dakar.find("sector").attrib == {"vocabulary": "1", "code": "11330", "percentage": "100"}
    assert expenditure_of(dakar) == [("USD", "141150")]  # 3 lines in USD, one transaction for the quarter
    assert expenditure_of(activity(document, "SEN/95/003/UND")) == [("XOF", "85410150")]  # XOF is current
    budgets = [float(b.findtext("value")) for b in dakar.iter("budget")]
    assert round(sum(budgets), 2) == 2_400_000


def test_identifiers_shares_and_budget_periods() -> None:
    assert identifier("RAF/97/M03/DAN") == "XM-DAC-41302-RAF-97-M03-DAN"
    nan = float("nan")
    assert shares([("SEN", 40.0), ("MLI", 60.0)]) == [("SEN", 40.0), ("MLI", 60.0)]
    assert shares([("SEN", nan), ("MLI", nan), ("GIN", nan)]) == [
        ("SEN", 33.33),
        ("MLI", 33.33),
        ("GIN", 33.34),
    ]
    assert budget_periods(dt.date(1996, 9, 12), dt.date(1998, 2, 28)) == [
        (dt.date(1996, 9, 12), dt.date(1996, 12, 31)),
        (dt.date(1997, 1, 1), dt.date(1997, 12, 31)),
        (dt.date(1998, 1, 1), dt.date(1998, 2, 28)),
    ]


@needs_xsd
def test_historical_currencies_are_converted_and_interregional_projects_get_a_region(tmp_path: Path) -> None:
    data = base()
    data["finance"][1]["local_currency"] = "DEM"  # not in IATI's Currency codelist: the USD amount is used
    data["finance"][1]["usd_rate"] = 0.58
    data["finance"][1]["expenditure_local"] = 84310.34
    project = data["projects"][0]
    project["ilo_region"] = "INTERREGIONAL"
    project["recipient_countries"] = None
    data["projects"][2]["recipient_countries"] = "SEN:60;ZAR:40"  # Zaire: no longer in ISO 3166 (nor IATI)
    folder = tmp_path / "in"
    folder.mkdir()
    write_xlsx(data, folder / "DAKAR_1997-Q3.xlsx")
    store = tmp_path / "hq.sqlite"
    consolidate(store, folder)
    document = export_iati(store, tmp_path / "out.xml")
    assert_valid(document)
    assert_iati_rules(document, dt.date.today())
    first = activity(document, project["project_code"])
    assert [e.attrib for e in first.iter("recipient-region")] == [
        {"code": "998", "vocabulary": "1", "percentage": "100"}
    ]
    assert list(first.iter("recipient-country")) == []
    third = activity(document, data["projects"][2]["project_code"])
    shares_ = [(e.tag, e.get("code"), e.get("percentage")) for e in third if e.tag.startswith("recipient-")]
    assert shares_ == [("recipient-country", "SN", "60"), ("recipient-region", "998", "40")]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {a.get(lang) for a in document.getroot()} == {"en"}  # whatever the user's language
    titles = [(n.get(lang), n.text) for n in first.find("result").find("title")]
    assert titles[0][0] is None and {t[0] for t in titles[1:]} == {"fr", "es"}
    assert expenditure_of(first) == [("USD", "110100")]  # 61,200 + 48,900: the DEM line counted in USD


def test_export_iati_into_a_folder_and_an_empty_store(tmp_path: Path) -> None:
    store = tmp_path / "hq.sqlite"
    consolidate(store, SAMPLES / "DAKAR_1997-Q3.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--store", str(store), "--format", "iati", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "iati-activities.xml").read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@needs_xsd
def test_a_project_reported_every_quarter_is_one_activity_with_a_transaction_per_quarter(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for period, prepared in (("1997-Q2", dt.date(1997, 7, 10)), ("1997-Q3", dt.date(1997, 10, 10))):
        data = base()
        data["cover"]["period"], data["cover"]["prepared_on"] = period, prepared
        for kind in ("finance", "results"):
            for record in data[kind]:
                record["period"] = period
        write_xlsx(data, folder / f"DAKAR_{period}.xlsx")
    store = tmp_path / "hq.sqlite"
    consolidate(store, folder)
    document = export_iati(store, tmp_path / "out.xml")
    assert_valid(document)
    codes = [a.findtext("iati-identifier") for a in document.getroot()]
    assert len(codes) == len(set(codes)) == 3
    dakar = activity(document, "RAF/96/M05/DAN")
    days = [t.find("transaction-date").get("iso-date") for t in dakar.iter("transaction")]
    assert days == ["1997-06-30", "1997-06-30", "1997-09-30", "1997-09-30"]  # expenditure in USD and XOF
    periods = [p.find("period-start").get("iso-date") for p in dakar.iter("period")]
    assert periods == ["1997-04-01", "1997-07-01"]
