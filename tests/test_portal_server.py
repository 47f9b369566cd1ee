"""The portal as HQ runs it: ``tcstandards serve`` in its own process, uploads over real HTTP.

Fifty offices' desks sending at once must all land in the ledger, each once,
with the store whole; an upload over ``--max-upload-mb`` is refused with 413
whether it declares its length or not, and nothing of it is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn", reason="the portal extra is not installed: pip install 'tcstandards[portal]'")
pytest.importorskip("httpx", reason="httpx is not installed: pip install 'tcstandards[test]'")

import httpx
from portal_server import add_account, api_token, running, tcstandards
from support import base, write_json

from tcstandards.hq.status import deadline

pytestmark = pytest.mark.slow

OFFICE = "DAKAR"
QUARTERS = [f"{1997 + n // 4}-Q{n % 4 + 1}" for n in range(50)]  # 1997-Q1 ... 2009-Q2
SPENT = 20_000.0  # each quarter; the cumulative grows by as much, so no quarter contradicts another
ACCOUNT = "hq-desk"
MEGABYTE = 1024 * 1024
JSON = "application/json"


def quarter_return(n: int) -> dict[str, Any]:
    """The clean DAKAR return (its first Finance line) for quarter ``n`` of QUARTERS."""
    data = base()
    period = QUARTERS[n]
    data["cover"]["period"] = period
    data["cover"]["prepared_on"] = (deadline(period, 0) + dt.timedelta(days=10)).date()
    data["finance"] = data["finance"][:1]
    line = data["finance"][0]
    line["expenditure_usd"] = SPENT
    line["cumulative_expenditure_usd"] = 188_400 + n * SPENT  # 1,168,400 at the end: within the budget
    for kind in ("finance", "results"):
        for record in data[kind]:
            record["period"] = period
    return data


@pytest.fixture
def hq_store(tmp_path: Path) -> tuple[Path, str]:
    """A new SQLite store with an HQ account, and its API token."""
    store = tmp_path / "hq.sqlite"
    add_account(store, ACCOUNT, "hq")
    return store, api_token(store, ACCOUNT)


@pytest.fixture
def hq_store_of_each_engine(store_location: str) -> tuple[str, str]:
    """A new store, SQLite or PostgreSQL, with an HQ account, and its API token."""
    add_account(store_location, ACCOUNT, "hq")
    return store_location, api_token(store_location, ACCOUNT)


def history(store: Path | str) -> list[dict[str, Any]]:
    document = json.loads(tcstandards("history", "--store", str(store), "--format", "json"))
    submissions: list[dict[str, Any]] = document["submissions"]
    return submissions


def test_fifty_uploads_at_once_all_land_in_the_ledger_once(
    hq_store_of_each_engine: tuple[str, str], tmp_path: Path
) -> None:
    store, token = hq_store_of_each_engine
    folder = tmp_path / "returns"
    folder.mkdir()
    files = [write_json(quarter_return(n), folder / f"{OFFICE}_{QUARTERS[n]}.json") for n in range(50)]
    together = threading.Barrier(len(files), timeout=60)  # the fifty requests leave at the same moment

    with (
        running(store, folder=tmp_path) as server,
        httpx.Client(
            base_url=server.url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
            limits=httpx.Limits(max_connections=len(files)),
        ) as client,
    ):

        def send(path: Path) -> httpx.Response:
            content = path.read_bytes()
            together.wait()
            return client.post("/api/returns?lang=en", files={"file": (path.name, content, JSON)})

        with ThreadPoolExecutor(max_workers=len(files)) as pool:
            answers = list(pool.map(send, files))
        log = server.stderr()

    assert [a.status_code for a in answers] == [201] * 50, [a.text for a in answers if a.status_code != 201]
    bodies = [a.json() for a in answers]
    assert [b["outcome"] for b in bodies] == ["merged"] * 50  # every return is clean, whatever the order
    assert [(b["report"]["summary"]["errors"], b["report"]["summary"]["warnings"]) for b in bodies] == [
        (0, 0)
    ] * 50
    assert [(b["report"]["returns"][0]["office"], b["report"]["returns"][0]["period"]) for b in bodies] == [
        (OFFICE, q) for q in QUARTERS
    ]
    sent = {b["submission"]: QUARTERS[n] for n, b in enumerate(bodies)}
    assert len(sent) == 50 and sorted(sent) == list(range(1, 51))
    assert "Traceback" not in log and "ERROR" not in log, log

    ledger = history(store)
    assert {s["id"]: s["period"] for s in ledger} == sent
    assert {(s["office"], s["outcome"], s["current"], s["submitted_by"]) for s in ledger} == {
        (OFFICE, "merged", True, ACCOUNT)
    }
    assert {s["file_name"] for s in ledger} == {f"{OFFICE}_{q}.json" for q in QUARTERS}

    from sqlalchemy import text

    from tcstandards.hq.store import open_store

    with open_store(store) as opened:
        conn = opened.conn  # type: ignore[attr-defined]

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in conn.execute(text(sql))]

        if "://" not in store:  # SQLite's own checks; PostgreSQL enforces its constraints as it writes
            assert rows("PRAGMA integrity_check") == [("ok",)]
            assert rows("PRAGMA foreign_key_check") == []
        assert rows("SELECT DISTINCT submitted_by FROM submissions") == [(ACCOUNT,)]
        uploaded = rows(
            "SELECT account, subject, detail FROM events WHERE action = 'uploaded' ORDER BY subject"
        )
        [stored] = rows("SELECT count(*), count(DISTINCT submission_id) FROM uploads")
        [finance] = rows("SELECT count(*), count(DISTINCT submission_id) FROM rec_finance")
    assert sorted(uploaded) == sorted((ACCOUNT, f"#{i}", "merged (API)") for i in sent)
    assert stored == (50, 50)  # each upload's file kept once, with its submission
    assert finance == (50, 50)  # one Finance line a quarter, each merged once


def test_an_upload_over_the_limit_is_refused_with_or_without_its_length(hq_store: tuple[Path, str]) -> None:
    store, token = hq_store
    big = b"x" * (2 * MEGABYTE)
    head = (
        b"--limit\r\n"
        b'Content-Disposition: form-data; name="file"; filename="DAKAR_1997-Q3.json"\r\n'
        b"Content-Type: application/json\r\n\r\n"
    )

    def chunked() -> Iterator[bytes]:  # a generator body: sent without a Content-Length
        yield head
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]
        yield b"\r\n--limit--\r\n"

    with (
        running(store, "--max-upload-mb", "1") as server,
        httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client,
    ):
        declared = client.post("/api/returns", files={"file": ("DAKAR_1997-Q3.json", big, JSON)})
        assert int(declared.request.headers["content-length"]) > 2 * MEGABYTE
        streamed = client.post(
            "/api/returns",
            content=chunked(),
            headers={"Content-Type": "multipart/form-data; boundary=limit"},
        )
        assert "content-length" not in streamed.request.headers
        assert streamed.request.headers["transfer-encoding"] == "chunked"
        nothing = history(store)
        small = write_json(quarter_return(2), store.parent / "DAKAR_1997-Q3.json")  # within the limit
        accepted = client.post("/api/returns", files={"file": (small.name, small.read_bytes())})
        log = server.stderr()

    for answer in (declared, streamed):
        assert answer.status_code == 413, answer.text
        assert answer.json() == {"detail": "The upload is larger than the portal accepts (1 MB)."}
    assert nothing == []
    assert "Traceback" not in log, log  # the body cut short is the 413's business, not an error
    assert (accepted.status_code, accepted.json()["outcome"]) == (201, "merged")
    assert [(s["id"], s["period"], s["submitted_by"]) for s in history(store)] == [
        (accepted.json()["submission"], "1997-Q3", ACCOUNT)
    ]
