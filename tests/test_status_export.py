"""`status` (completeness and timeliness) and `export` (consolidated data with provenance)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from support import TODAY, base, write_json, write_xlsx

from tcstandards.cli import main
from tcstandards.hq.consolidate import consolidate
from tcstandards.hq.consolidated import current_records
from tcstandards.hq.status import deadline
from tcstandards.hq.store import open_store
from tcstandards.standard.periods import quarters


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def put(
    store: Path | str, data: dict[str, Any], folder: Path, received: dt.datetime, *, as_json: bool = False
) -> None:
    office, period = data["cover"]["office_code"], data["cover"]["period"]
    folder.mkdir(parents=True, exist_ok=True)
    if as_json:  # text that starts with "=" stays text (openpyxl would write a formula)
        path = write_json(data, folder / f"{office}_{period}.json")
    else:
        path = write_xlsx(data, folder / f"{office}_{period}.xlsx")
    with open_store(str(store), create=True) as opened:
        consolidate([str(path)], opened, today=TODAY, received_at=received)


def office_return(office: str, period: str = "1997-Q3", **changes: Any) -> dict[str, Any]:
    data = base()
    data["cover"]["office_code"] = office
    if period != "1997-Q3":
        data["cover"]["period"] = period
        data["cover"]["prepared_on"] = deadline(period, 5).date()
        for kind in ("finance", "results"):
            for record in data[kind]:
                record["period"] = period
    for key, value in changes.items():
        data["finance"][0][key] = value
    return data


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path, store_location: str) -> str:
    """DAKAR on time (then resubmitted late), LIMA late, ABIDJAN quarantined then late, for 1997-Q3; on
    each engine."""
    path = store_location
    put(path, office_return("DAKAR"), tmp_path / "1", utc(1997, 11, 14, 23, 0))  # deadline day: on time
    put(
        path,
        office_return("DAKAR", expenditure_usd=61_201, cumulative_expenditure_usd=188_401),
        tmp_path / "2",
        utc(1998, 1, 5),
    )
    put(path, office_return("LIMA"), tmp_path / "3", utc(1997, 11, 15, 0, 0, 1))  # one second late
    put(path, office_return("ABIDJAN", approvals_usd=-1), tmp_path / "4", utc(1997, 10, 2))
    put(path, office_return("ABIDJAN"), tmp_path / "5", utc(1997, 12, 1))
    put(path, office_return("BEIRUT", approvals_usd=-1), tmp_path / "6", utc(1997, 10, 2))
    put(path, office_return("DAKAR", "1997-Q4"), tmp_path / "7", utc(1998, 1, 20))
    return path


def test_status_states_and_totals(store: str) -> None:
    result = invoke(
        "status", "--store", str(store), "--from", "1997-Q3", "--to", "1997-Q4", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["format"] == "tcstandards-status"
    assert document["deadline_days"] == 45
    q3, q4 = document["periods"]
    assert q3 == {
        "period": "1997-Q3",
        "deadline": "1997-11-14T23:59:59Z",
        "expected": 14,  # the units with a reporting obligation for 1997-Q3 in the offices codelist
        "received": 4,
        "on_time": 1,
        "late": 2,
        "quarantined": 1,
        "missing": 10,
        "complete": 3,
        "timely": 1,
        "unexpected": 0,
        "nil": 0,
    }
    assert (q4["on_time"], q4["received"], q4["missing"]) == (1, 1, 13)
    offices = {o["office"]: o for o in document["offices"]}
    assert offices["DAKAR"]["quarters"]["1997-Q3"] == {
        "state": "on-time",  # timeliness counts the first merged return, not the resubmission
        "first_received": "1997-11-14T23:00:00Z",
        "merged_received": "1997-11-14T23:00:00Z",
        "submissions": 2,
        "current_submission": 2,
        "nil": False,
    }
    assert offices["ABIDJAN"]["quarters"]["1997-Q3"]["state"] == "late"  # its first merged return came late
    assert offices["LIMA"]["quarters"]["1997-Q3"]["state"] == "late"
    assert offices["BEIRUT"]["quarters"]["1997-Q3"]["state"] == "quarantined"
    assert offices["ADDIS"]["quarters"]["1997-Q3"]["state"] == "missing"
    assert offices["DAKAR"]["active"] is True
    assert offices["DAKAR"]["obligation"] == {"from": "1990-Q1", "until": None}
    assert offices["DAKAR"]["totals"] == {
        "expected": 2,
        "received": 2,
        "on_time": 2,
        "late": 0,
        "quarantined": 0,
        "missing": 0,
        "complete": 2,
        "timely": 2,
        "unexpected": 0,
        "nil": 0,
    }
    assert "BONN" not in offices  # a branch office: no obligation, and it sent nothing


def test_deadline_days_moves_late_to_on_time(store: str) -> None:
    result = invoke(
        "status", "--store", str(store), "--period", "1997-Q3", "--deadline-days", "90", "--format", "json"
    )
    (q3,) = json.loads(result.output)["periods"]
    assert (q3["on_time"], q3["late"], q3["deadline"]) == (3, 0, "1997-12-29T23:59:59Z")


def test_status_text_and_csv(store: str) -> None:
    text = invoke("status", "--store", str(store), "--period", "1997-Q3", "--only-gaps", "--lang", "en")
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[0] == "On time: received within 45 days after the end of the quarter."
    assert lines[3].split() == ["1997-Q3", "14", "4", "1", "2", "1", "10", "21.4", "%", "7.1", "%"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[6:] if line and not line.startswith("ok ")}
    assert rows["LIMA"] == ["LATE"] and rows["BEIRUT"] == ["QUAR"] and rows["ADDIS"] == ["--"]
    assert "DAKAR" not in rows  # --only-gaps
    french = invoke("status", "--store", str(store), "--period", "1997-Q3", "--lang", "fr")
    assert french.output.startswith("À temps : reçu dans les 45 jours suivant la fin du trimestre.")
    assert french.output.splitlines()[3].split()[-4:] == ["21,4", "%", "7,1", "%"]  # the French decimal comma
    table = list(
        csv.DictReader(
            invoke(
                "status", "--store", str(store), "--period", "1997-Q3", "--format", "csv"
            ).output.splitlines()
        )
    )
    assert len(table) == 14 + 0  # every unit with an obligation; nobody else reported
    dakar = next(r for r in table if r["office"] == "DAKAR")
    assert dakar == {
        "office": "DAKAR",
        "period": "1997-Q3",
        "expected": "yes",
        "state": "on-time",
        "first_received": "1997-11-14T23:00:00Z",
        "merged_received": "1997-11-14T23:00:00Z",
        "submissions": "2",
        "current_submission": "2",
        "deadline": "1997-11-14T23:59:59Z",
        "nil": "no",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "1997-Q5"], "--period: '1997-Q5' is not a quarter like 1997-Q3"),
        (["--from", "1997-Q3"], "--from and --to go together"),
        (["--from", "1998-Q1", "--to", "1997-Q1"], "--from 1998-Q1 is after --to 1997-Q1"),
        (["--period", "1997-Q3", "--from", "1997-Q1", "--to", "1997-Q2"], "either --period or --from/--to"),
    ],
)
def test_status_bad_periods(store: str, args: list[str], message: str) -> None:
    result = invoke("status", "--store", str(store), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_period_range_crosses_years() -> None:
    assert quarters("1996-Q3", "1997-Q2") == ["1996-Q3", "1996-Q4", "1997-Q1", "1997-Q2"]


# --- export ------------------------------------------------------------------------------


@pytest.fixture
def hostile_store(tmp_path: Path, store_location: str) -> str:
    path = store_location
    data = office_return("DAKAR")
    data["projects"][0]["title"] = '=HYPERLINK("http://x","training")'
    data["results"][0]["evidence"] = "@SUM(1+1)"
    put(path, data, tmp_path / "in", utc(1997, 10, 20), as_json=True)
    return path


def test_export_csv_with_provenance_and_neutralised_formulas(hostile_store: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(
        "export", "--store", str(hostile_store), "--format", "csv", "-o", str(out), "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Wrote {out / name}.csv" for name in ("projects", "finance", "results", "pipeline")
    ]
    projects = list(csv.DictReader((out / "projects.csv").open(encoding="utf-8-sig")))
    assert list(projects[0])[:7] == [
        "office",
        "return_period",
        "submission_id",
        "received_at",
        "source_file",
        "sha256",
        "location",
    ]
    assert len(projects[0]["sha256"]) == 64
    (first,) = [p for p in projects if p["location"] == "/projects/0"]  # the register is in code order
    assert first["title"] == '\'=HYPERLINK("http://x","training")'
    assert (first["office"], first["submission_id"]) == ("DAKAR", "1")
    assert first["received_at"] == "1997-10-20T00:00:00Z"
    results = list(csv.DictReader((out / "results.csv").open(encoding="utf-8-sig")))
    assert results[0]["verification_source"] == "'@SUM(1+1)"  # a 1.0 return, exported in TCDS 1.1's names
    finance = list(csv.DictReader((out / "finance.csv").open(encoding="utf-8-sig")))
    assert [r["expenditure_usd"] for r in finance] == ["61200", "48900", "18400"]
    assert [r["usd_rate"] for r in finance] == ["", "0.0016667", ""]
    assert (out / "projects.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_export_xlsx_has_no_formula(hostile_store: str, tmp_path: Path) -> None:
    result = invoke("export", "--store", str(hostile_store), "--format", "xlsx", "-o", str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "x" / "consolidated.xlsx")
    assert book.sheetnames == ["Projects", "Finance", "Results", "Pipeline"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in book["Projects"][1]]
    row = 1 + [c.value for c in book["Projects"]["G"]].index("/projects/0")  # column G: location
    title = book["Projects"].cell(row=row, column=header.index("title") + 1)
    # the text as it was, stored as text with Excel's quote prefix: shown, never evaluated
    assert (title.value, title.data_type, title.quotePrefix) == (
        '=HYPERLINK("http://x","training")',
        "s",
        True,
    )
    start = book["Projects"].cell(row=row, column=header.index("start_date") + 1)
    assert (start.value, start.number_format) == (dt.datetime(1997, 1, 1), "yyyy-mm-dd")
    budget = book["Projects"].cell(row=row, column=header.index("approved_budget_usd") + 1)
    assert (budget.value, budget.number_format) == (2_400_000, "#,##0.00")


def test_export_json(hostile_store: str, tmp_path: Path) -> None:
    result = invoke("export", "--store", str(hostile_store), "--format", "json", "-o", str(tmp_path / "j"))
    assert result.exit_code == 0
    document = json.loads((tmp_path / "j" / "consolidated.json").read_text(encoding="utf-8"))
    assert (document["format"], document["format_version"], document["standard_version"]) == (
        "tcstandards-export",
        1,
        "1.1",  # the newest version: consolidated records are kept and exported in its field names
    )
    assert {k: len(v) for k, v in document["records"].items()} == {
        "projects": 3,
        "finance": 3,
        "results": 3,
        "pipeline": 2,
    }
    (first,) = [p for p in document["records"]["projects"] if p["location"] == "/projects/0"]
    assert first["title"] == '=HYPERLINK("http://x","training")'  # JSON is data, not a sheet
    assert document["records"]["finance"][1]["local_currency"] == "XOF"


def test_export_refuses_a_file_as_folder(hostile_store: str, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("keep me")
    result = invoke("export", "--store", str(hostile_store), "--format", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.output
    assert target.read_text() == "keep me"


# --- report on the 1997-Q3 samples (the full report is tested in test_report.py) --------------


def test_report_on_the_1997_q3_samples_and_on_an_empty_range(tmp_path: Path) -> None:
    store = tmp_path / "hq.sqlite"
    samples = Path(__file__).resolve().parents[1] / "samples" / "returns" / "1997-Q3"
    assert invoke("consolidate", "--store", str(store), str(samples)).exit_code == 1  # two quarantined
    out = tmp_path / "r.json"
    period = ["--from", "1997-Q3", "--to", "1997-Q3"]
    result = invoke(
        "report", "--store", str(store), *period, "--format", "json", "-o", str(out), "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the report for Q3 1997 to Q3 1997: {out}\n"
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["format"], document["format_version"], document["range"]["periods"]) == (
        "tcstandards-report",
        1,
        ["1997-Q3"],
    )
    finance = invoke("export", "--store", str(store), "--format", "json", "-o", str(tmp_path / "x"))
    assert finance.exit_code == 0
    lines = json.loads((tmp_path / "x" / "consolidated.json").read_text(encoding="utf-8"))["records"][
        "finance"
    ]
    by_year = next(t for t in document["tables"] if t["id"] == "expenditure_by_year")
    assert by_year["rows"] == [["1997-Q3", round(sum(line["expenditure_usd"] for line in lines), 2)]]
    empty = invoke(
        "report", "--store", str(store), "--from", "2001", "--to", "2001", "-o", str(tmp_path / "e.html")
    )
    assert empty.exit_code == 0, empty.output
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert "No validated data from Q1 2001 to Q4 2001: the report is empty." in page
    assert "<table" not in page  # no empty figure after the notice


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "199", "--to", "1996"], "--from: '199' is not a year or a quarter"),
        (["--from", "1997", "--to", "1996"], "--from 1997-Q1 is after --to 1996-Q4"),
    ],
)
def test_report_bad_ranges(store: str, args: list[str], message: str) -> None:
    result = invoke("report", "--store", str(store), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_outputs_get_the_usual_permissions(hostile_store: str, tmp_path: Path) -> None:
    import os

    umask = os.umask(0o022)
    try:
        assert (
            invoke(
                "export", "--store", str(hostile_store), "--format", "csv", "-o", str(tmp_path / "o")
            ).exit_code
            == 0
        )
    finally:
        os.umask(umask)
    assert oct((tmp_path / "o" / "projects.csv").stat().st_mode & 0o777) == "0o644"


def test_report_format_follows_the_output_suffix_and_a_contradiction_is_refused(
    store: str, tmp_path: Path
) -> None:
    for name, magic in (("r.xlsx", b"PK\x03\x04"), ("r.json", b"{"), ("r.html", b"<!DOCTYPE html>")):
        result = invoke(
            "report", "--store", str(store), "--from", "1997", "--to", "1997", "-o", str(tmp_path / name)
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_bytes().startswith(magic), name
    result = invoke(
        "report",
        "--store",
        str(store),
        "--from",
        "1997",
        "--to",
        "1997",
        "--format",
        "json",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert result.exit_code == 2
    assert "-o " in result.output and "ends in .xlsx but --format is json" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_export_projects_is_the_register_and_history_every_quarter(store: str, tmp_path: Path) -> None:
    for flags, folder in (([], "reg"), (["--history"], "hist")):
        result = invoke(
            "export", "--store", str(store), "--format", "csv", "-o", str(tmp_path / folder), *flags
        )
        assert result.exit_code == 0, result.output
    register = list(csv.DictReader((tmp_path / "reg" / "projects.csv").open(encoding="utf-8-sig")))
    history = list(csv.DictReader((tmp_path / "hist" / "projects.csv").open(encoding="utf-8-sig")))
    with open_store(str(store)) as opened:
        stored = current_records(opened, "projects")
    codes = sorted(stored["project_code"].unique())
    assert [r["project_code"] for r in register] == codes  # one row per project, in code order
    assert len(history) == len(stored) > len(codes)
    latest = stored.groupby("project_code")["return_period"].max()
    assert {r["project_code"]: r["return_period"] for r in register} == latest.to_dict()
    assert {r["return_period"] for r in register} == {"1997-Q4"}  # DAKAR's latest quarter
    document_folder = tmp_path / "json"
    assert (
        invoke("export", "--store", str(store), "--format", "json", "-o", str(document_folder)).exit_code == 0
    )
    document = json.loads((document_folder / "consolidated.json").read_text(encoding="utf-8"))
    assert document["projects"] == "register"
    assert [r["project_code"] for r in document["records"]["projects"]] == codes
    iati = invoke(
        "export", "--store", str(store), "--format", "iati", "--history", "-o", str(tmp_path / "i.xml")
    )
    assert (iati.exit_code, "--history applies to csv, xlsx and json" in iati.output) == (2, True)
    assert not (tmp_path / "i.xml").exists()


def test_only_units_with_an_obligation_are_expected(tmp_path: Path) -> None:
    """MDTMANILA reports from 1997-Q3; BONN has no obligation: its return counts where it arrived,
    but it is not expected and does not raise the rates; HQ's configuration adds one."""
    path = tmp_path / "hq.sqlite"
    put(path, office_return("DAKAR", "1997-Q2"), tmp_path / "1", utc(1997, 7, 20))
    put(path, office_return("BONN", "1997-Q2"), tmp_path / "2", utc(1997, 7, 20))
    document = json.loads(
        invoke("status", "--store", str(path), "--period", "1997-Q2", "--format", "json").output
    )
    (q2,) = document["periods"]
    assert (q2["expected"], q2["received"], q2["on_time"], q2["missing"], q2["unexpected"]) == (
        13,
        2,
        1,
        12,
        1,
    )
    assert (q2["complete"], q2["timely"]) == (1, 1)  # BONN's return is not one of the 13 expected
    assert q2["on_time"] + q2["late"] + q2["quarantined"] + q2["missing"] == q2["expected"]
    offices = {o["office"]: o for o in document["offices"]}
    assert "MDTMANILA" not in offices  # no obligation before 1997-Q3
    assert offices["BONN"]["obligation"] is None
    assert offices["BONN"]["quarters"]["1997-Q2"]["state"] == "on-time"
    text = invoke("status", "--store", str(path), "--period", "1997-Q2", "--lang", "en").output
    assert text.splitlines()[3].split() == ["1997-Q2", "13", "2", "1", "0", "0", "12", "7.7", "%", "7.7", "%"]
    assert "blank: not expected (no reporting obligation that quarter) · * sent, but not expected" in text
    assert [line.split() for line in text.splitlines() if line.startswith("BONN")] == [["BONN", "ok*"]]
    (tmp_path / ".tcstandards.toml").write_text(
        '[[obligations]]\noffice = "BONN"\nfrom = "1997-Q1"\nuntil = "1997-Q2"\n', encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)  # HQ's configuration is found from the current folder, as validate's
        configured = invoke(
            "status", "--store", str(path), "--from", "1997-Q2", "--to", "1997-Q3", "--format", "json"
        )
    q2, q3 = json.loads(configured.output)["periods"]
    assert (q2["expected"], q2["complete"], q3["expected"]) == (14, 2, 14)  # BONN until Q2, MDTMANILA from Q3
    bonn = {o["office"]: o for o in json.loads(configured.output)["offices"]}["BONN"]
    assert bonn["obligation"] == {"from": "1997-Q1", "until": "1997-Q2"}
    assert bonn["quarters"]["1997-Q3"]["state"] == "not-expected"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('office = "NOWHERE"\nfrom = "1997-Q1"', "'NOWHERE' is not in the offices codelist"),
        ('office = "BONN"', "has no from"),
        ('office = "BONN"\nfrom = "1997-Q5"', "'1997-Q5' is not a quarter"),
        ('office = "BONN"\nfrom = "1997-Q3"\nuntil = "1997-Q1"', "until 1997-Q1 comes before from 1997-Q3"),
        ('office = "BONN"\nfrom = "1997-Q3"\nto = "1998-Q1"', "unknown key 'to'"),
        ('from = "1997-Q3"', "obligations entry 1 in .tcstandards.toml has no office"),
        (
            'office = "BONN"\nfrom = "1997-Q3"\n[[obligations]]\noffice = "bonn"\nfrom = "1998-Q1"',
            "obligations entry 2 in .tcstandards.toml: BONN has an obligation already",
        ),
    ],
)
def test_bad_obligations_are_usage_errors(store: str, tmp_path: Path, entry: str, message: str) -> None:
    (tmp_path / ".tcstandards.toml").write_text(f"[[obligations]]\n{entry}\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        result = invoke("status", "--store", str(store))
    assert result.exit_code == 2
    assert message in result.output


def test_a_nil_return_is_one_and_an_untouched_template_is_not(tmp_path: Path) -> None:
    path = tmp_path / "hq.sqlite"
    blank = tmp_path / "DAKAR_1997-Q3.xlsx"
    made = invoke("template", "--office", "DAKAR", "--period", "1997-Q3", "--lang", "fr", "-o", str(blank))
    assert made.exit_code == 0, made.output
    checked = invoke("validate", str(blank), "--lang", "fr")
    assert checked.exit_code == 1  # the Cover is not filled in: not a submission
    assert [line.split()[:3] for line in checked.output.splitlines() if "required" in line] == [
        ["Couverture!B5", "erreur", "required"],
        ["Couverture!B6", "erreur", "required"],
        ["Couverture!B7", "erreur", "required"],
    ]
    with open_store(str(path), create=True) as opened:
        outcome = consolidate([str(blank)], opened, today=TODAY, received_at=utc(1997, 10, 20)).outcomes[0]
        assert (outcome.status, outcome.result.errors) == ("quarantined", 3)
    nil = base()
    for kind in ("projects", "finance", "results", "pipeline"):
        nil[kind] = []  # nothing to report this quarter, and the Cover says who and when
    put(path, nil, tmp_path / "nil", utc(1997, 10, 21))
    document = json.loads(
        invoke("status", "--store", str(path), "--period", "1997-Q3", "--format", "json").output
    )
    (q3,) = document["periods"]
    assert (q3["on_time"], q3["nil"], q3["complete"]) == (1, 1, 1)
    dakar = {o["office"]: o for o in document["offices"]}["DAKAR"]["quarters"]["1997-Q3"]
    assert (dakar["state"], dakar["nil"]) == ("on-time", True)
    text = invoke("status", "--store", str(path), "--period", "1997-Q3", "--lang", "en").output
    assert [line.split() for line in text.splitlines() if line.startswith("DAKAR")] == [["DAKAR", "nil"]]
    assert "nil a nil return (nothing to report)" in text
    validated = invoke("validate", str(tmp_path / "nil"), "--lang", "en")
    assert "a nil return: its Cover is complete and it has no record for the quarter" in validated.output
