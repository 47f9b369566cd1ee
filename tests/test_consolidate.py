"""Consolidation at HQ with a real SQLite file: ledger, quarantine, resubmission, conflicts, history."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import TODAY, base, write_csv, write_json, write_xlsx

from tcstandards.cli import main
from tcstandards.hq.consolidate import Consolidation, consolidate
from tcstandards.hq.consolidated import current_records
from tcstandards.hq.status import deadline
from tcstandards.hq.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "returns" / "1997-Q3"
RECEIVED = dt.datetime(1997, 10, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    with open_store(store_location, create=True) as opened:
        yield opened


def run(store: Store, *paths: Path, received: dt.datetime = RECEIVED) -> Consolidation:
    return consolidate([str(p) for p in paths], store, today=TODAY, received_at=received)


def quarter(period: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The clean base return (DAKAR) moved to another quarter, with its first Finance line only."""
    data = data or base()
    data["finance"] = data["finance"][:1]
    data["cover"]["period"] = period
    data["cover"]["prepared_on"] = (deadline(period, 0) + dt.timedelta(days=10)).date()
    for kind in ("finance", "results"):
        for record in data[kind]:
            record["period"] = period
    return data


def ledger(store: Store) -> list[tuple[Any, ...]]:
    return [
        (s.id, s.office, s.period, s.outcome, s.errors, s.warnings, s.records, s.current, s.superseded_by)
        for s in store.submissions()
    ]


# --- the bundled samples ---------------------------------------------------------


def test_samples_give_the_expected_ledger_and_quarantine(store: Store) -> None:
    result = run(store, SAMPLES)
    assert [(o.status, o.submission.office) for o in result.outcomes] == [
        ("merged", "ABIDJAN"),
        ("quarantined", "BEIRUT"),
        ("merged", "DAKAR"),
        ("quarantined", "IPEC"),  # waited for the others (unknown projects), then checked again
        ("merged", "LIMA"),
        ("merged", "MDTMANILA"),
    ]
    assert ledger(store) == [
        (1, "ABIDJAN", "1997-Q3", "merged", 0, 0, 19, True, None),
        (2, "BEIRUT", "1997-Q3", "quarantined", 7, 0, 11, False, None),
        (3, "DAKAR", "1997-Q3", "merged", 0, 0, 18, True, None),
        (4, "LIMA", "1997-Q3", "merged", 0, 0, 14, True, None),
        (5, "MDTMANILA", "1997-Q3", "merged", 0, 0, 12, True, None),
        (6, "IPEC", "1997-Q3", "quarantined", 9, 2, 14, False, None),
    ]
    beirut = store.submissions(office="BEIRUT")[0]
    expected = json.loads((ROOT / "samples/expected/1997-Q3/BEIRUT_1997-Q3.findings.json").read_text())[
        "findings"
    ]
    stored = store.findings(beirut.id)
    assert [(f["rule"], f["location"]) for f in stored] == [(f["rule"], f["location"]) for f in expected]
    assert beirut.file_name.endswith("BEIRUT_1997-Q3_*.csv (5)")
    assert len(beirut.sha256) == 64
    # nothing of a quarantined return is merged
    offices = {name: set(current_records(store, name)["office"]) for name in ("projects", "finance")}
    assert offices == {
        "projects": {"ABIDJAN", "DAKAR", "LIMA", "MDTMANILA"},
        "finance": {"ABIDJAN", "DAKAR", "LIMA", "MDTMANILA"},
    }
    assert len(current_records(store, "finance")) == sum(1 for _ in store.records("finance").itertuples())


def test_samples_status_matrix(store: Store, tmp_path: Path) -> None:
    run(store, SAMPLES)
    result = CliRunner().invoke(
        main, ["status", "--store", store.location, "--period", "1997-Q3", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["periods"] == [
        {
            "period": "1997-Q3",
            "deadline": "1997-11-14T23:59:59Z",
            "expected": 14,  # the units with a reporting obligation for 1997-Q3
            "received": 6,
            "on_time": 4,
            "late": 0,
            "quarantined": 2,
            "missing": 8,
            "complete": 4,
            "timely": 4,
            "unexpected": 0,
            "nil": 0,
        }
    ]
    states = {o["office"]: o["quarters"]["1997-Q3"]["state"] for o in document["offices"]}
    assert {k: v for k, v in states.items() if v != "missing"} == {
        "ABIDJAN": "on-time",
        "BEIRUT": "quarantined",
        "DAKAR": "on-time",
        "IPEC": "quarantined",
        "LIMA": "on-time",
        "MDTMANILA": "on-time",
    }
    assert states["ADDIS"] == "missing"
    assert "PREALC" not in states  # inactive in 1997, and it sent nothing


# --- ledger, duplicates, resubmissions ----------------------------------------------


def test_same_file_again_is_a_no_op(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx")
    first = run(store, path)
    before = ledger(store)
    again = run(store, path, received=RECEIVED + dt.timedelta(days=3))
    assert [o.status for o in first.outcomes] == ["merged"]
    assert [(o.status, o.submission.id) for o in again.outcomes] == [("duplicate", 1)]
    assert ledger(store) == before
    result = CliRunner().invoke(main, ["consolidate", "--store", store.location, "--lang", "en", str(path)])
    assert result.exit_code == 0
    assert (
        f"DAKAR 1997-Q3: {path} is already in the store as #1, received 1997-10-20 09:00:00 UTC (merged); "
        "nothing changed"
    ) in result.output


def test_an_earlier_version_sent_again_takes_over(store: Store, tmp_path: Path) -> None:
    v1 = write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx")
    data = base()
    data["finance"][0]["expenditure_usd"] = 61_300
    data["finance"][0]["cumulative_expenditure_usd"] = 188_500
    v2 = write_xlsx(data, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx")
    run(store, v1)
    run(store, v2, received=RECEIVED + dt.timedelta(days=1))
    back = run(store, v1, received=RECEIVED + dt.timedelta(days=2)).outcomes[0]
    assert (back.status, back.submission.id, back.replaced) == ("merged", 3, 2)
    assert [(s.id, s.current, s.superseded_by) for s in store.submissions()] == [
        (1, False, 2),
        (2, False, 3),
        (3, True, None),
    ]
    assert current_records(store, "finance")["expenditure_usd"].iloc[0] == 61_200


def test_a_return_received_before_the_version_in_force_goes_to_the_history_only(
    store: Store, tmp_path: Path
) -> None:
    data = base()
    data["finance"][0]["expenditure_usd"] = 61_300
    data["finance"][0]["cumulative_expenditure_usd"] = 188_500
    run(store, write_xlsx(data, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx"), received=RECEIVED)
    older = run(
        store,
        write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx"),
        received=RECEIVED - dt.timedelta(days=5),
    )
    assert [(s.id, s.current, s.superseded_by) for s in store.submissions()] == [
        (1, True, None),
        (2, False, 1),
    ]
    assert older.outcomes[0].replaced is None
    assert current_records(store, "finance")["expenditure_usd"].iloc[0] == 61_300
    from tcstandards.reporters.ledger import consolidation_text

    assert "merged into the history only: it is an earlier version than #1, the version in force" in (
        consolidation_text(older, "en")
    )


@pytest.mark.parametrize("mark", ["prepared_on", "revision"])
def test_a_correction_stays_in_force_whatever_order_the_files_arrive_in(
    store: Store, tmp_path: Path, mark: str
) -> None:
    """The correction says it is one (a later preparation day, or a revision number); HQ receives it
    first, or at the same moment as the original, as happens when both come in one e-mail."""
    corrected = base()
    corrected["finance"][0]["expenditure_usd"] = 61_300
    corrected["finance"][0]["cumulative_expenditure_usd"] = 188_500
    if mark == "prepared_on":
        corrected["cover"]["prepared_on"] = dt.date(1997, 10, 25)  # the original: 1997-10-14
    else:
        corrected["cover"]["revision"] = 2
    late = RECEIVED + dt.timedelta(days=3)
    first = run(store, write_xlsx(corrected, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx"), received=RECEIVED)
    assert first.outcomes[0].status == "merged"
    original = run(store, write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx"), received=late)
    assert [(s.id, s.current, s.superseded_by) for s in store.submissions()] == [
        (1, True, None),  # the correction, although HQ received the original after it
        (2, False, 1),
    ]
    assert original.outcomes[0].replaced is None
    assert current_records(store, "finance")["expenditure_usd"].iloc[0] == 61_300
    (correction,) = [s for s in store.submissions() if s.id == 1]
    assert (correction.prepared_on, correction.revision) == (
        ("1997-10-25", None) if mark == "prepared_on" else ("1997-10-14", 2)
    )
    # and the same receipt time for both: the Cover alone decides
    again = tmp_path / "again.sqlite"
    with open_store(str(again), create=True) as other:
        run(other, tmp_path / "v1" / "DAKAR_1997-Q3.xlsx")
        run(other, tmp_path / "v2" / "DAKAR_1997-Q3.xlsx")
        again_sent = run(other, tmp_path / "v1" / "DAKAR_1997-Q3.xlsx")  # known, and older: nothing changes
        assert [o.status for o in again_sent.outcomes] == ["duplicate"]
        assert [(s.id, s.current) for s in other.submissions()] == [(1, False), (2, True)]


def test_recheck_leaves_a_replaced_version_alone(store: Store, tmp_path: Path) -> None:
    corrected = base()
    corrected["cover"]["revision"] = 2
    original = write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx")
    run(store, original)
    run(store, write_xlsx(corrected, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx"))
    again = consolidate([str(original)], store, today=TODAY, received_at=RECEIVED, recheck=True)
    assert [o.status for o in again.outcomes] == ["duplicate"]  # --recheck is for quarantined returns only
    assert [(s.id, s.current) for s in store.submissions()] == [(1, False), (2, True)]


def test_recheck_checks_a_quarantined_return_again(store: Store, tmp_path: Path) -> None:
    abidjan = write_xlsx(abidjan_line_for_dakar(), _dir(tmp_path / "a") / "ABIDJAN_1997-Q3.xlsx")
    assert [o.status for o in run(store, abidjan).outcomes] == ["quarantined"]
    run(store, write_xlsx(base(), _dir(tmp_path / "d") / "DAKAR_1997-Q3.xlsx"))
    again = CliRunner().invoke(main, ["consolidate", "--store", store.location, "--lang", "en", str(abidjan)])
    assert again.exit_code == 0  # nothing new is faulty: status shows it is still quarantined
    assert "(quarantined); nothing changed (consolidate --recheck checks it again)" in again.output
    assert "Nothing changed: every return given was already in the store." in again.output
    rechecked = consolidate([str(abidjan)], store, today=TODAY, received_at=RECEIVED, recheck=True)
    assert [(o.status, o.submission.id) for o in rechecked.outcomes] == [("merged", 3)]
    assert [(s.id, s.outcome, s.current) for s in store.submissions(office="ABIDJAN")] == [
        (1, "quarantined", False),
        (3, "merged", True),
    ]


def test_a_resubmission_without_a_record_type_says_what_leaves(store: Store, tmp_path: Path) -> None:
    run(store, write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx"))
    data = base()
    del data["pipeline"]
    outcome = run(store, write_xlsx(data, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx")).outcomes[0]
    assert outcome.status == "merged"
    warnings = [f for f in outcome.result.findings if f.rule == "resubmission-incomplete"]
    assert [(f.record, f.severity) for f in warnings] == [("pipeline", "warning")]
    assert warnings[0].message.startswith(
        "This version has no Pipeline records; the version it replaces (#1) had 2."  # the sheet's name
    )
    assert len(current_records(store, "pipeline")) == 0


def test_a_file_named_for_another_office_is_quarantined(store: Store, tmp_path: Path) -> None:
    outcome = run(store, write_xlsx(base(), tmp_path / "HARARE_1997-Q3.xlsx")).outcomes[0]
    assert outcome.status == "quarantined"
    assert [(f.rule, f.location) for f in outcome.result.findings] == [("cover-mismatch", "Cover!B3")]
    assert (
        outcome.result.findings[0].message == "The file name says office_code HARARE, the Cover says DAKAR."
    )


def test_an_unreadable_return_keeps_the_office_of_its_name(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "CAIRO_1997-Q3.xlsx"
    path.write_bytes(b"\x00garbage" * 50)
    run(store, path)
    assert [(s.office, s.period, s.outcome) for s in store.submissions()] == [
        ("CAIRO", "1997-Q3", "quarantined")
    ]
    status = CliRunner().invoke(main, ["status", "--store", store.location, "--format", "json"])
    offices = {o["office"]: o["quarters"]["1997-Q3"]["state"] for o in json.loads(status.output)["offices"]}
    assert offices["CAIRO"] == "quarantined"


def test_history_survives_a_console_that_cannot_show_the_arrow(store: Store, tmp_path: Path) -> None:
    run(store, write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx"))
    data = base()
    data["finance"][0]["approvals_usd"] = 1
    run(store, write_xlsx(data, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx"))
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "tcstandards", "history", "--store", store.location, "--lang", "en"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        cwd=tmp_path,  # the installed package, not the checkout's folder
    )
    assert result.returncode == 0, result.stderr
    assert b"merged ? #2" in result.stdout


def test_resubmission_replaces_the_return_as_a_whole(store: Store, tmp_path: Path) -> None:
    run(store, write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx"))
    data = base()
    data["finance"][0]["expenditure_usd"] = 61_300
    data["finance"][0]["cumulative_expenditure_usd"] = 188_500
    del data["finance"][2]  # the second version has one line fewer
    second = run(store, write_xlsx(data, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx"))
    assert [(o.status, o.replaced) for o in second.outcomes] == [("merged", 1)]
    assert ledger(store) == [
        (1, "DAKAR", "1997-Q3", "merged", 0, 0, 11, False, 2),
        (2, "DAKAR", "1997-Q3", "merged", 0, 0, 10, True, None),
    ]
    finance = current_records(store, "finance")
    assert list(finance["expenditure_usd"]) == [61_300, 48_900]
    assert set(finance["submission_id"]) == {2}
    history = CliRunner().invoke(
        main, ["history", "--store", store.location, "--office", "dakar", "--lang", "en"]
    )
    assert history.exit_code == 0
    lines = history.output.splitlines()
    assert lines[1].split()[:6] == ["#1", "DAKAR", "1997-Q3", "1997-10-14", "1997-10-20", "09:00:00"]
    assert "merged → #2" in lines[1]
    assert "merged *" in lines[2]


def _dir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_faulty_resubmission_is_quarantined_and_the_old_version_stays(store: Store, tmp_path: Path) -> None:
    run(store, write_xlsx(base(), _dir(tmp_path / "v1") / "DAKAR_1997-Q3.xlsx"))
    data = base()
    data["finance"][0]["approvals_usd"] = -5
    second = run(store, write_xlsx(data, _dir(tmp_path / "v2") / "DAKAR_1997-Q3.xlsx"))
    assert [o.status for o in second.outcomes] == ["quarantined"]
    assert [(s.id, s.current, s.outcome) for s in store.submissions()] == [
        (1, True, "merged"),
        (2, False, "quarantined"),
    ]
    assert [f["rule"] for f in store.findings(2)] == ["range"]
    assert [f["location"] for f in store.findings(2)] == ["Finance!D2"]
    assert set(current_records(store, "finance")["submission_id"]) == {1}


# --- across offices ---------------------------------------------------------------------


def abidjan_line_for_dakar(country: str = "MLI") -> dict[str, Any]:
    """An ABIDJAN return whose only Finance line is for a DAKAR project."""
    data = base()
    data["cover"]["office_code"] = "ABIDJAN"
    data["projects"] = []
    data["results"] = []
    data["pipeline"] = []
    line = dict(data["finance"][1] if country == "MLI" else data["finance"][0])
    data["finance"] = [line]
    return data


def test_a_line_for_another_offices_project_resolves_against_the_store(store: Store, tmp_path: Path) -> None:
    abidjan = write_xlsx(abidjan_line_for_dakar(), tmp_path / "ABIDJAN_1997-Q3.xlsx")
    alone = CliRunner().invoke(main, ["validate", "--lang", "en", str(abidjan)])
    assert alone.exit_code == 1
    assert "unknown-project" in alone.output
    run(store, write_xlsx(base(), _dir(tmp_path / "dakar") / "DAKAR_1997-Q3.xlsx"))
    with_store = CliRunner().invoke(
        main, ["validate", "--lang", "en", "--store", store.location, str(abidjan)]
    )
    assert "unknown-project" not in with_store.output
    assert with_store.exit_code == 0, with_store.output


def test_one_run_waits_for_projects_registered_by_another_office(store: Store, tmp_path: Path) -> None:
    folder = _dir(tmp_path / "in")
    write_xlsx(abidjan_line_for_dakar(), folder / "ABIDJAN_1997-Q3.xlsx")  # sorted before DAKAR
    write_xlsx(base(), folder / "DAKAR_1997-Q3.xlsx")
    result = run(store, folder)
    assert [(o.submission.office, o.status) for o in result.outcomes] == [
        ("ABIDJAN", "merged"),
        ("DAKAR", "merged"),
    ]
    assert [s.office for s in store.submissions()] == ["DAKAR", "ABIDJAN"]


@pytest.mark.parametrize("dakar_first", [True, False])
def test_conflict_is_reported_with_both_submissions_and_the_owner_kept(
    store: Store, tmp_path: Path, dakar_first: bool
) -> None:
    dakar = write_xlsx(base(), _dir(tmp_path / "d") / "DAKAR_1997-Q3.xlsx")
    data = abidjan_line_for_dakar("SEN")
    data["finance"][0]["expenditure_usd"] = 99_999  # the same key as DAKAR's first line, another figure
    data["finance"][0]["cumulative_expenditure_usd"] = 227_199
    data["projects"] = [dict(base()["projects"][0])]  # ABIDJAN lists the project too
    abidjan = write_xlsx(data, _dir(tmp_path / "a") / "ABIDJAN_1997-Q3.xlsx")
    first, second = (dakar, abidjan) if dakar_first else (abidjan, dakar)
    run(store, first)
    later = run(store, second)
    outcome = later.outcomes[0]
    assert outcome.status == "merged"
    conflicts = {(c.record, c.key, c.other_office, c.owner) for c in outcome.conflicts}
    other = "DAKAR" if dakar_first else "ABIDJAN"
    assert conflicts == {
        ("projects", "RAF/96/M05/DAN", other, "DAKAR"),
        ("finance", "RAF/96/M05/DAN | 1997-Q3 | SEN", other, "DAKAR"),
    }
    warnings = [f for f in outcome.result.findings if f.rule == "key-conflict"]
    assert [(f.severity, f.location) for f in warnings] == [
        ("warning", "Projects!A2"),
        ("warning", "Finance!A2"),
    ]
    assert f"also reported by {other} (submission #1, " in warnings[1].message
    mine, theirs = (
        (("99,999", "227,199"), ("61,200", "188,400"))
        if dakar_first
        else (("61,200", "188,400"), ("99,999", "227,199"))
    )
    office = "ABIDJAN" if dakar_first else "DAKAR"
    assert warnings[1].message.endswith(
        "The project belongs to DAKAR; the consolidated data keep the line of DAKAR. The lines differ: "
        f"Expenditure (USD) {mine[0]} ({office}) against {theirs[0]} ({other}); "
        f"Cumulative expenditure (USD) {mine[1]} ({office}) against {theirs[1]} ({other})."
    )
    assert warnings[0].message.endswith("The two lines are identical.")  # the same project record
    stored = store.conflicts()
    assert {(c.submission_id, c.other_submission_id) for c in stored} == {(2, 1)}
    assert [c.differences for c in stored if c.record == "finance"] == [
        (
            ("expenditure_usd", mine[0].replace(",", ""), theirs[0].replace(",", "")),
            ("cumulative_expenditure_usd", mine[1].replace(",", ""), theirs[1].replace(",", "")),
        )
    ]
    # both lines are kept in the store; the consolidated data keep the owner's
    assert len(store.records("finance")) == 4
    finance = current_records(store, "finance")
    sen = finance[(finance["project_code"] == "RAF/96/M05/DAN") & (finance["country_code"] == "SEN")]
    assert list(sen["office"]) == ["DAKAR"]
    assert list(sen["expenditure_usd"]) == [61_200]
    projects = current_records(store, "projects")
    assert list(projects[projects["project_code"] == "RAF/96/M05/DAN"]["office"]) == ["DAKAR"]


def test_both_offices_claim_a_project_the_first_received_is_kept_and_said(
    store: Store, tmp_path: Path
) -> None:
    data = abidjan_line_for_dakar("SEN")
    data["finance"][0]["expenditure_usd"] = 1
    data["finance"][0]["cumulative_expenditure_usd"] = 127_201
    claimed = dict(base()["projects"][0], admin_unit="ABIDJAN", approved_budget_usd=9_999_999)
    data["projects"] = [claimed]
    run(store, write_xlsx(data, _dir(tmp_path / "a") / "ABIDJAN_1997-Q3.xlsx"))
    later = run(store, write_xlsx(base(), _dir(tmp_path / "d") / "DAKAR_1997-Q3.xlsx")).outcomes[0]
    messages = [f.message for f in later.result.findings if f.rule == "key-conflict"]
    assert len(messages) == 2
    # both registers claim the project: the first received is kept until one office corrects its register
    assert messages[0].endswith(
        "The project belongs to DAKAR + ABIDJAN; the consolidated data keep the line of ABIDJAN. "
        "The lines differ: Administrative unit DAKAR (DAKAR) against ABIDJAN (ABIDJAN); "
        "Approved budget (USD) 2,400,000 (DAKAR) against 9,999,999 (ABIDJAN)."
    )
    assert "The project belongs to ABIDJAN; the consolidated data keep the line of ABIDJAN." in messages[1]
    projects = current_records(store, "projects")
    assert list(projects[projects["project_code"] == "RAF/96/M05/DAN"]["approved_budget_usd"]) == [9_999_999]
    finance = current_records(store, "finance")
    sen = finance[(finance["project_code"] == "RAF/96/M05/DAN") & (finance["country_code"] == "SEN")]
    assert list(sen["office"]) == ["ABIDJAN"]


# --- across quarters ------------------------------------------------------------------------


def chain(store: Store, tmp_path: Path, expenditures: list[float], start: int = 1) -> None:
    """Consolidate DAKAR quarters 1997-Q1... whose first Finance line spends ``expenditures``."""
    cumulative = 100_000.0
    for i, spent in enumerate(expenditures):
        period = f"1997-Q{start + i}" if start + i <= 4 else f"1998-Q{start + i - 4}"
        cumulative += spent
        data = quarter(period)
        data["finance"][0]["expenditure_usd"] = spent
        data["finance"][0]["cumulative_expenditure_usd"] = cumulative
        result = run(store, write_json(data, _dir(tmp_path / period) / f"DAKAR_{period}.json"))
        assert [o.status for o in result.outcomes] == ["merged"], result.outcomes[0].result.findings


def test_cumulative_continuity_warns_with_the_previous_value(store: Store, tmp_path: Path) -> None:
    chain(store, tmp_path, [50_000])  # 1997-Q1: cumulative 150,000
    data = quarter("1997-Q2")
    data["finance"][0]["expenditure_usd"] = 20_000
    data["finance"][0]["cumulative_expenditure_usd"] = 172_000  # should be 170,000
    result = run(store, write_json(data, _dir(tmp_path / "q2") / "DAKAR_1997-Q2.json"))
    outcome = result.outcomes[0]
    assert outcome.status == "merged"
    warnings = [f for f in outcome.result.findings if f.rule == "cumulative-continuity"]
    assert [(f.location, f.severity, f.value) for f in warnings] == [
        ("/finance/0/cumulative_expenditure_usd", "warning", "172000")
    ]
    assert warnings[0].message == (
        "Cumulative expenditure 172,000 should be 170,000: 150,000 cumulative in 1997-Q1 "
        "(consolidated data) + 20,000 spent this quarter."
    )


def test_cumulative_continuity_passes_within_one_dollar(store: Store, tmp_path: Path) -> None:
    chain(store, tmp_path, [50_000])
    data = quarter("1997-Q2")
    data["finance"][0]["expenditure_usd"] = 20_000
    data["finance"][0]["cumulative_expenditure_usd"] = 170_000.75
    outcome = run(store, write_json(data, _dir(tmp_path / "q2") / "DAKAR_1997-Q2.json")).outcomes[0]
    assert [f.rule for f in outcome.result.findings] == []


@pytest.mark.parametrize(("spent", "flagged"), [(612_000, True), (64_000, False), (0, True), (56_000, False)])
def test_expenditure_outlier_against_the_projects_history(
    store: Store, tmp_path: Path, spent: float, flagged: bool
) -> None:
    chain(store, tmp_path, [61_200, 58_000, 63_500, 60_100])  # 1997-Q1..Q4
    chain(store, tmp_path, [spent], start=5)  # 1998-Q1, cumulative consistent
    outcome = store.submissions(period="1998-Q1")[0]
    findings = store.findings(outcome.id)
    outliers = [f for f in findings if f["rule"] == "expenditure-outlier"]
    if not flagged:
        assert outliers == []
        return
    assert [(f["location"], f["severity"]) for f in outliers] == [("/finance/0/expenditure_usd", "warning")]
    if spent:
        assert outliers[0]["message"] == (
            "Expenditure 612,000 is far from this project's earlier quarters: median 60,650 over 4 quarters, "
            "last 60,100 (robust z-score 232.4). Check the amount and its units."
        )


def test_zero_history_spread_says_nothing(store: Store, tmp_path: Path) -> None:
    chain(store, tmp_path, [10_000, 10_000, 10_000, 10_000, 90_000])
    assert [f["rule"] for s in store.submissions() for f in store.findings(s.id)] == []


NNBSP = "\u202f"  # French groups digits with a narrow no-break space


@pytest.mark.parametrize(
    ("lang", "differ"),
    [
        (
            "en",
            "The lines differ: Administrative unit DAKAR (DAKAR) against ABIDJAN (ABIDJAN); "
            "Approved budget (USD) 2,400,000 (DAKAR) against 9,999,999 (ABIDJAN).",
        ),
        (
            "fr",
            "Les lignes diffèrent : Unité administrative DAKAR (DAKAR) contre ABIDJAN (ABIDJAN) ; "
            f"Budget approuvé (USD) 2{NNBSP}400{NNBSP}000 (DAKAR) contre 9{NNBSP}999{NNBSP}999 (ABIDJAN).",
        ),
        (
            "es",
            "Las líneas difieren: Unidad administrativa DAKAR (DAKAR) frente a ABIDJAN (ABIDJAN); "
            "Presupuesto aprobado (USD) 2.400.000 (DAKAR) frente a 9.999.999 (ABIDJAN).",
        ),
    ],
)
def test_a_conflict_names_the_fields_that_differ_and_both_values(
    store: Store, tmp_path: Path, lang: str, differ: str
) -> None:
    data = abidjan_line_for_dakar("SEN")
    data["finance"][0]["expenditure_usd"] = 61_200  # the same Finance line as DAKAR's: identical
    data["finance"][0]["cumulative_expenditure_usd"] = 188_400
    data["projects"] = [dict(base()["projects"][0], admin_unit="ABIDJAN", approved_budget_usd=9_999_999)]
    run(store, write_xlsx(data, _dir(tmp_path / "a") / "ABIDJAN_1997-Q3.xlsx"))
    dakar = write_xlsx(base(), _dir(tmp_path / "d") / "DAKAR_1997-Q3.xlsx")
    later = consolidate([str(dakar)], store, lang=lang, today=TODAY, received_at=RECEIVED).outcomes[0]
    project, line = [f.message for f in later.result.findings if f.rule == "key-conflict"]
    assert project.endswith(differ)
    same = {"en": "The two lines are identical.", "fr": "Les deux lignes sont identiques.",
            "es": "Las dos líneas son idénticas."}  # fmt: skip
    assert line.endswith(same[lang])
    # status lists the open conflicts; history shows them from each submission's side
    status = CliRunner().invoke(
        main, ["status", "--store", store.location, "--period", "1997-Q3", "--lang", lang]
    )
    heading = {"en": "Open conflicts (2)", "fr": "Conflits ouverts (2)", "es": "Conflictos abiertos (2)"}[
        lang
    ]
    assert heading in status.output
    assert "RAF/96/M05/DAN" in status.output and "DAKAR (#2, " in status.output
    assert f"ABIDJAN (#1, {tmp_path / 'a' / 'ABIDJAN_1997-Q3.xlsx'})" in status.output  # each office's file
    assert differ in status.output  # words and numbers in the language asked for, whoever consolidated
    document = json.loads(
        CliRunner().invoke(main, ["status", "--store", store.location, "--format", "json"]).output
    )
    assert [c["record"] for c in document["open_conflicts"]] == ["projects", "finance"]
    assert document["open_conflicts"][0]["differences"] == [
        {"field": "admin_unit", "value": "DAKAR", "other_value": "ABIDJAN"},
        {"field": "approved_budget_usd", "value": "2400000", "other_value": "9999999"},
    ]
    history = CliRunner().invoke(main, ["history", "--store", store.location, "--id", "1", "--lang", "en"])
    assert (  # from ABIDJAN's side
        "The lines differ: Administrative unit ABIDJAN (ABIDJAN) against DAKAR (DAKAR); "
        "Approved budget (USD) 9,999,999 (ABIDJAN) against 2,400,000 (DAKAR)." in history.output
    )


def test_a_corrected_resubmission_closes_the_conflict(store: Store, tmp_path: Path) -> None:
    data = abidjan_line_for_dakar("SEN")
    data["projects"] = [dict(base()["projects"][0])]
    run(store, write_xlsx(base(), _dir(tmp_path / "d") / "DAKAR_1997-Q3.xlsx"))
    run(store, write_xlsx(data, _dir(tmp_path / "a") / "ABIDJAN_1997-Q3.xlsx"))
    open_now = CliRunner().invoke(main, ["status", "--store", store.location, "--format", "json"]).output
    assert len(json.loads(open_now)["open_conflicts"]) == 2
    data["projects"] = []  # ABIDJAN no longer lists DAKAR's project, nor its Senegal line
    data["finance"] = [line for line in data["finance"] if line.get("country_code") != "SEN"]
    later = dt.datetime(1997, 10, 25, tzinfo=dt.UTC)
    run(store, write_xlsx(data, _dir(tmp_path / "a2") / "ABIDJAN_1997-Q3.xlsx"), received=later)
    closed = CliRunner().invoke(main, ["status", "--store", store.location, "--format", "json"]).output
    assert json.loads(closed)["open_conflicts"] == []
    assert len(store.conflicts()) == 2  # the history keeps them


# --- store --------------------------------------------------------------------------------


def test_the_store_records_its_alembic_revision(store: Store) -> None:
    from sqlalchemy import text

    assert list(store.conn.execute(text("SELECT version_num FROM alembic_version"))) == [("0005",)]  # type: ignore[attr-defined]
    assert store.schema_version() == 5


def test_store_location_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tcstandards.hq.store import store_location

    assert store_location("a.sqlite", {"TCSTANDARDS_STORE": "b.sqlite"}) == "a.sqlite"
    assert store_location(None, {"TCSTANDARDS_STORE": "b.sqlite"}) == "b.sqlite"
    assert store_location(None, {}) == "tcstandards.sqlite"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TCSTANDARDS_STORE", raising=False)
    result = CliRunner().invoke(
        main, ["consolidate", str(write_xlsx(base(), tmp_path / "DAKAR_1997-Q3.xlsx"))]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tcstandards.sqlite").is_file()
    monkeypatch.setenv("TCSTANDARDS_STORE", str(tmp_path / "env.sqlite"))
    result = CliRunner().invoke(main, ["history"])
    assert result.exit_code == 2
    assert "no store at " + str(tmp_path / "env.sqlite") in result.output


@pytest.mark.parametrize(
    ("content", "command", "message"),
    [
        (None, "status", "no store at"),
        (b"not a database at all" * 100, "history", "is not a tcstandards store"),
        (
            "postgresql://nobody@no-such-host.invalid/tc",
            "status",
            "cannot open the store postgresql://nobody@",
        ),
        ("mysql://hq/tc", "status", "store back end 'mysql' is not supported"),
    ],
)
def test_bad_stores_are_usage_errors(tmp_path: Path, content: Any, command: str, message: str) -> None:
    location = str(tmp_path / "hq.sqlite")
    if isinstance(content, bytes):
        (tmp_path / "hq.sqlite").write_bytes(content)
    elif isinstance(content, str):
        location = content
    result = CliRunner().invoke(main, [command, "--store", location])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    if isinstance(content, bytes):
        assert (tmp_path / "hq.sqlite").read_bytes() == content  # never altered


@pytest.mark.parametrize("command", [["history"], ["status"], ["export", "--format", "csv"]])
def test_another_applications_database_is_refused_and_untouched(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    extra = ["-o", str(tmp_path / "out")] if "export" in command else []
    result = CliRunner().invoke(main, [*command, "--store", str(path), *extra])
    assert result.exit_code == 2
    assert "is a database but not a tcstandards store" in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_reading_commands_leave_the_store_file_as_it_was(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "hq.sqlite"), create=True)  # a file's bytes and journal: SQLite's
    run(store, SAMPLES)
    store.close()
    path = Path(store.location)
    before = path.read_bytes()
    for command in (["history"], ["status"], ["export", "--format", "json", "-o", str(tmp_path / "x")]):
        assert CliRunner().invoke(main, [*command, "--store", str(path)]).exit_code == 0
    assert path.read_bytes() == before
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-")]


def test_consolidate_json_output(tmp_path: Path) -> None:
    store = str(tmp_path / "hq.sqlite")
    result = CliRunner().invoke(
        main,
        ["consolidate", "--store", store, "--format", "json", "--received-at", "1997-10-20", str(SAMPLES)],
    )
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["format"] == "tcstandards-consolidation"
    assert document["summary"] == {
        "returns": 6,
        "merged": 4,
        "quarantined": 2,
        "duplicates": 0,
        "errors": 16,
        "warnings": 2,
        "conflicts": 0,
    }
    assert [(r["office"], r["status"], r["submission"]["received_at"]) for r in document["returns"]][:2] == [
        ("ABIDJAN", "merged", "1997-10-20T00:00:00Z"),
        ("BEIRUT", "quarantined", "1997-10-20T00:00:00Z"),
    ]
    assert sum(len(r["findings"]) for r in document["returns"]) == 18


def test_consolidate_missing_path_creates_no_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["consolidate", "--store", str(tmp_path / "hq.sqlite"), str(tmp_path / "nope.xlsx")]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "hq.sqlite").exists()


def test_unreadable_return_is_quarantined_and_exits_2(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "DAKAR_1997-Q3.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    result = CliRunner().invoke(main, ["consolidate", "--store", store.location, str(path)])
    assert result.exit_code == 2
    assert [(s.outcome, s.errors) for s in store.submissions()] == [("quarantined", 1)]
    assert [f["rule"] for f in store.findings(1)] == ["file-unreadable"]
    assert path.read_bytes() == b"PK\x03\x04 broken"


def test_csv_and_json_returns_merge_like_workbooks(store: Store, tmp_path: Path) -> None:
    data = base()
    data["cover"]["office_code"] = "LIMA"
    write_csv(data, tmp_path / "csv")
    result = run(store, tmp_path / "csv")
    assert [(o.status, o.submission.records) for o in result.outcomes] == [("merged", 11)]
    finance = current_records(store, "finance")
    assert list(finance["location"]) == [
        f"{tmp_path / 'csv' / 'LIMA_1997-Q3_finance.csv'}:{n}" for n in (2, 3, 4)
    ]
    assert list(finance["approvals_usd"]) == [0, 0, 10_000]
    projects = current_records(store, "projects")
    assert list(projects["approval_date"]) == ["1996-09-12", "1997-01-15", "1997-01-08"]


def test_history_id_shows_the_stored_findings_and_conflicts(store: Store, tmp_path: Path) -> None:
    run(store, SAMPLES)
    text = CliRunner().invoke(main, ["history", "--store", store.location, "--id", "2", "--lang", "en"])
    assert text.exit_code == 0
    lines = text.output.splitlines()
    assert lines[1].split()[:3] == ["#2", "BEIRUT", "1997-Q3"]
    assert lines[4].split()[:4] == ["BEIRUT_1997-Q3_projects.csv", "2:6", "error", "recipients-sum"]
    document = json.loads(
        CliRunner()
        .invoke(main, ["history", "--store", store.location, "--id", "6", "--format", "json"])
        .output
    )
    assert document["format"] == "tcstandards-submission"
    assert (document["submission"]["office"], len(document["findings"])) == ("IPEC", 11)
    assert document["conflicts"] == []
    missing = CliRunner().invoke(main, ["history", "--store", store.location, "--id", "99"])
    assert (missing.exit_code, "no submission #99" in missing.output) == (2, True)


def test_progress_bar_on_a_terminal_only() -> None:
    import io

    from tcstandards.cli.commands.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        for n in (1, 2, 3):
            bar(n, 3, "DAKAR_1997-Q3.xlsx")
        bar.clear()
    assert pipe.getvalue() == ""
    drawn = terminal.getvalue()
    assert "[################........] 3/3 DAKAR_1997-Q3.xlsx" in drawn
    assert drawn.endswith("\r\033[K")
