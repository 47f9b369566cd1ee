"""Nothing lost: a consolidation killed mid-transaction, and two consolidations at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from support import base, write_json

from tcstandards.hq.status import deadline

pytestmark = pytest.mark.slow


def returns(folder: Path, office: str, periods: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for period in periods:
        data = base()
        data["cover"]["office_code"] = office
        data["cover"]["period"] = period
        data["cover"]["prepared_on"] = deadline(period, 10).date()
        data["finance"] = data["finance"][:1]
        for kind in ("finance", "results"):
            for record in data[kind]:
                record["period"] = period
        paths.append(write_json(data, folder / f"{office}_{period}.json"))
    return paths


PERIODS = [f"{y}-Q{q}" for y in (1997, 1998) for q in (1, 2, 3, 4)]


def consistent(location: str) -> list[tuple[int, str, str]]:
    """Check the store's invariants, on either engine; return (id, office, period) of every submission."""
    from sqlalchemy import text

    from tcstandards.hq.store import open_store

    with open_store(location) as store:
        conn = store.conn  # type: ignore[attr-defined]

        def one(sql: str, **params: object) -> object:
            return conn.execute(text(sql), params).scalar()

        if "://" not in location:
            assert one("PRAGMA integrity_check") == "ok"
            assert list(conn.execute(text("PRAGMA foreign_key_check"))) == []
        rows = conn.execute(
            text("SELECT id, office, period, outcome, errors, warnings, records FROM submissions ORDER BY id")
        ).all()
        for sid, _, _, outcome, errors, warnings, records in rows:
            stored = sum(
                int(one(f"SELECT count(*) FROM rec_{name} WHERE submission_id = :sid", sid=sid))  # type: ignore[call-overload]
                for name in ("projects", "finance", "results", "pipeline")
            )
            assert stored == (records if outcome == "merged" else 0), sid
            findings = one("SELECT count(*) FROM findings WHERE submission_id = :sid", sid=sid)
            assert findings == errors + warnings, sid
        orphans = one(
            "SELECT count(*) FROM rec_finance WHERE submission_id NOT IN (SELECT id FROM submissions)"
        )
        assert orphans == 0
        current = conn.execute(
            text("SELECT office, period, count(*) FROM submissions WHERE current = 1 "
                 "GROUP BY office, period HAVING count(*) > 1")
        ).all()  # fmt: skip
        assert current == []
        shas = conn.execute(
            text("SELECT sha256, count(*) FROM submissions GROUP BY sha256 HAVING count(*) > 1")
        ).all()
        assert shas == []
        return [(r[0], r[1], r[2]) for r in rows]


def finance_lines(location: str) -> int:
    from sqlalchemy import text

    from tcstandards.hq.store import open_store

    with open_store(location) as store:
        return int(store.conn.execute(text("SELECT count(*) FROM rec_finance")).scalar())  # type: ignore[attr-defined]


KILLED_INSIDE_A_TRANSACTION = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tcstandards.hq.store import sql

    marker = Path(sys.argv[1])
    original = sql.SqlStore._insert_records
    calls = []

    def slow(*args, **kwargs):
        original(*args, **kwargs)
        calls.append(1)
        if len(calls) == 9:  # inside the transaction of the third return, records half written
            marker.write_text("inside")
            time.sleep(60)

    sql.SqlStore._insert_records = staticmethod(slow)
    from tcstandards.cli import main
    sys.argv = ["tcstandards", *sys.argv[2:]]
    main()
    """
)


def test_a_killed_consolidation_leaves_no_partial_submission(tmp_path: Path, store_location: str) -> None:
    folder = tmp_path / "in"
    inputs = returns(folder, "DAKAR", PERIODS)
    before = {p: p.read_bytes() for p in inputs}
    store = store_location
    marker = tmp_path / "marker"
    script = tmp_path / "killme.py"
    script.write_text(KILLED_INSIDE_A_TRANSACTION)
    process = subprocess.Popen(
        [sys.executable, str(script), str(marker), "consolidate", "--store", str(store), str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,  # the installed package, not the checkout's folder
    )
    deadline_s = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline_s
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # two returns committed; the third, killed inside its transaction, left nothing behind
    assert consistent(store) == [(1, "DAKAR", "1997-Q1"), (2, "DAKAR", "1997-Q2")]
    assert finance_lines(store) == 2
    # running again completes the work: the two done are no-ops, the rest are merged
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "tcstandards",
            "consolidate",
            "--store",
            str(store),
            "--format",
            "json",
            str(folder),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.count('"status": "duplicate"') == 2
    assert again.stdout.count('"status": "merged"') == 6
    assert [period for _, _, period in consistent(store)] == [*PERIODS[:2], *PERIODS[2:]]
    assert {p: p.read_bytes() for p in inputs} == before


def test_two_consolidations_at_once_both_complete(tmp_path: Path, store_location: str) -> None:
    dakar = returns(tmp_path / "a", "DAKAR", PERIODS)
    lima = returns(tmp_path / "b", "LIMA", PERIODS)
    shared = tmp_path / "b" / dakar[0].name
    shared.write_bytes(dakar[0].read_bytes())  # the same bytes sent to both runs
    store = store_location
    command = [sys.executable, "-m", "tcstandards", "consolidate", "--store", str(store), "--format", "json"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "cwd": tmp_path}
    first = subprocess.Popen([*command, str(tmp_path / "a")], **pipes)  # type: ignore[call-overload]
    second = subprocess.Popen([*command, str(tmp_path / "b")], **pipes)  # type: ignore[call-overload]
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0, err1.decode()
    assert second.returncode == 0, err2.decode()
    recorded = consistent(store)
    assert len(recorded) == len(dakar) + len(lima)  # the shared file once
    assert sorted((office, period) for _, office, period in recorded) == sorted(
        [("DAKAR", p) for p in PERIODS] + [("LIMA", p) for p in PERIODS]
    )
    duplicates = out1.decode().count('"status": "duplicate"') + out2.decode().count('"status": "duplicate"')
    assert duplicates == 1


def test_a_store_opened_in_one_thread_is_used_and_closed_in_others(tmp_path: Path) -> None:
    """As the portal does: FastAPI opens a request's store on one thread of its pool, uses and closes it
    on others (one after another, never at once)."""
    from concurrent.futures import ThreadPoolExecutor

    from tcstandards.hq.store import open_store

    with ThreadPoolExecutor(1) as opener, ThreadPoolExecutor(1) as user, ThreadPoolExecutor(1) as closer:
        store = opener.submit(open_store, str(tmp_path / "hq.sqlite"), create=True).result()
        assert user.submit(store.accounts).result() == []
        closer.submit(store.close).result()


def test_four_consolidations_of_overlapping_folders_record_each_return_once(
    tmp_path: Path, store_location: str
) -> None:
    """Four processes at once, each folder sharing its returns with the next: every return is recorded
    exactly once, whichever process reaches it first (the other sees it as a duplicate)."""
    offices = ["DAKAR", "LIMA", "ABIDJAN", "BEIRUT"]
    periods = PERIODS[:3]
    made = {office: returns(tmp_path / "src" / office, office, periods) for office in offices}
    folders = []
    for number, office in enumerate(offices):
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        for path in [*made[office], *made[offices[(number + 1) % len(offices)]]]:
            (folder / path.name).write_bytes(path.read_bytes())
        folders.append(folder)
    command = [
        sys.executable,
        "-m",
        "tcstandards",
        "consolidate",
        "--store",
        store_location,
        "--format",
        "json",
    ]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "cwd": tmp_path}
    runs = [subprocess.Popen([*command, str(folder)], **pipes) for folder in folders]  # type: ignore[call-overload]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * len(runs), [err.decode()[-2000:] for _, err in outputs]
    recorded = consistent(store_location)
    assert sorted((office, period) for _, office, period in recorded) == sorted(
        (office, period) for office in offices for period in periods
    )
    said = "".join(out.decode() for out, _ in outputs)
    assert said.count('"status": "duplicate"') == len(offices) * len(periods)  # each return sent twice
