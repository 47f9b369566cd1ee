"""``tcstandards store copy`` between engines, and stores made before Alembic upgraded in place."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy.engine import make_url

from tcstandards.cli import main
from tcstandards.hq.store import open_store

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "returns" / "1997-Q3"
FIXED = {"SOURCE_DATE_EPOCH": "877305600"}  # 1997-10-20: every output dated alike


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env=FIXED)
    assert result.exit_code == 0, result.output
    return result.stdout


def outputs(location: str, folder: Path) -> dict[str, bytes]:
    """What HQ takes out of a store: the paper as JSON, and every export."""
    folder.mkdir()
    invoke("report", "--store", location, "--from", "1990", "--to", "1997", "-o", str(folder / "paper.json"))
    for fmt in ("csv", "json", "iati", "xlsx"):  # each into a folder of its own
        invoke("export", "--store", location, "--format", fmt, "-o", str(folder / fmt))
    made = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
    [workbook] = (folder / "xlsx").iterdir()  # a workbook's zip dates its parts: compare its cells
    book = load_workbook(workbook)
    made[f"xlsx/{workbook.name}"] = repr(
        [[list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book]
    ).encode()
    for name in ("paper.json", "json/consolidated.json"):  # each names the store it was made from
        lines = made[name].split(b"\n")
        [named] = [n for n, line in enumerate(lines) if line.startswith(b' "store": ')]
        shown = location if "://" not in location else make_url(location).render_as_string(hide_password=True)
        assert lines.pop(named) == b' "store": ' + json.dumps(shown).encode() + b","
        made[name] = b"\n".join(lines)
    return made


@pytest.mark.slow
def test_the_readmes_store_copied_to_postgresql_and_back_gives_the_same_outputs(
    store: Path, postgresql_cluster: object, tmp_path: Path
) -> None:
    """The README's store: the historical sample (1990-1996), then the 1997-Q3 returns received on
    20 October 1997, as the README's first command makes it."""
    readmes = tmp_path / "tcstandards.sqlite"
    shutil.copyfile(store, readmes)
    CliRunner().invoke(
        main, ["consolidate", "--store", str(readmes), "--received-at", "1997-10-20", str(SAMPLES)]
    )
    database = postgresql_cluster.new_database(template=None)  # type: ignore[attr-defined]
    said = invoke("store", "copy", str(readmes), database, "--lang", "fr")
    assert said.splitlines()[-1].startswith(f"{readmes} copiée dans postgresql://postgres@/")
    assert "submissions : 362 lignes, somme de contrôle " in said
    expected = outputs(str(readmes), tmp_path / "sqlite")
    assert len(expected) >= 8
    assert outputs(database, tmp_path / "postgresql") == expected
    back = str(tmp_path / "back.sqlite")  # and back to SQLite: the copy checks its every table itself
    assert invoke("store", "copy", database, back).splitlines()[-1].startswith("copied postgresql://")


def test_a_copy_goes_into_a_new_store_only(tmp_path: Path) -> None:
    one, two = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    for location in (one, two):
        CliRunner().invoke(main, ["consolidate", "--store", location, str(SAMPLES / "DAKAR_1997-Q3.xlsx")])
    refused = CliRunner().invoke(main, ["store", "copy", one, two])
    assert refused.exit_code == 2 and f"the store {two} is not empty: copy into a new store" in refused.stderr
    onto = CliRunner().invoke(main, ["store", "copy", one, one])
    assert onto.exit_code == 2 and "another store" in onto.stderr
    missing = CliRunner().invoke(
        main, ["store", "copy", str(tmp_path / "none.sqlite"), str(tmp_path / "x.sqlite")]
    )
    assert missing.exit_code == 2 and "no store at" in missing.stderr
    assert not (tmp_path / "x.sqlite").exists()


LEGACY = [
    (1, "ledger, findings, conflicts and record tables of TCDS 1.0"),
    (2, "records in the field names of TCDS 1.1 (evidence -> verification_source)"),
    (3, "conflicts name the fields whose values differ"),
    (4, "submissions keep the day a return was prepared and its revision number"),
]


def legacy_store(path: Path) -> int:
    """A store as tcstandards' own migration runner left it at its version 4 (before the portal and
    Alembic): its ``schema_migrations`` table, no portal tables; the number of its records."""
    CliRunner().invoke(
        main, ["consolidate", "--store", str(path), "--received-at", "1997-10-20", str(SAMPLES)]
    )
    db = sqlite3.connect(path)
    db.execute("DROP TABLE alembic_version")
    for table in ("accounts", "events", "uploads", "settings"):
        db.execute(f"DROP TABLE {table}")
    db.execute("ALTER TABLE submissions DROP COLUMN submitted_by")
    db.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    db.executemany("INSERT INTO schema_migrations VALUES (?, ?, '1997-10-20T00:00:00Z')", LEGACY)
    db.commit()
    records = int(db.execute("SELECT count(*) FROM rec_finance").fetchone()[0])
    db.close()
    return records


def test_a_store_made_before_alembic_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    records = legacy_store(path)
    refused = CliRunner().invoke(main, ["status", "--store", str(path)])
    assert refused.exit_code == 2 and "was made by an older tcstandards" in refused.stderr
    with open_store(str(path), create=True) as store:  # consolidate, serve, users: upgraded
        assert store.schema_version() == 5
        assert [s.outcome for s in store.submissions()].count("merged") == 4
        assert store.accounts() == []
    db = sqlite3.connect(path)
    assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0005",)]
    assert db.execute("SELECT count(*) FROM rec_finance").fetchone()[0] == records
    assert "submitted_by" in {row[1] for row in db.execute("PRAGMA table_info(submissions)")}
    assert CliRunner().invoke(main, ["status", "--store", str(path)]).exit_code == 0


def test_a_store_of_a_newer_tcstandards_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with open_store(str(path), create=True):
        pass
    db = sqlite3.connect(path)
    db.execute("UPDATE alembic_version SET version_num = '0099'")
    db.commit()
    db.close()
    refused = CliRunner().invoke(
        main, ["consolidate", "--store", str(path), str(SAMPLES / "DAKAR_1997-Q3.xlsx")]
    )
    assert (
        refused.exit_code == 2
        and "schema version 0099, newer than this tcstandards knows (0005)" in refused.stderr
    )


def test_a_postgresql_store_that_cannot_be_reached_is_said_without_its_password() -> None:
    said = CliRunner().invoke(main, ["status", "--store", "postgresql://hq:s3cret@127.0.0.1:9/tc_hq"])
    assert said.exit_code == 2
    assert said.stderr.startswith(
        "tcstandards: error: cannot open the store postgresql://hq:***@127.0.0.1:9/tc_hq: "
    )
    assert "s3cret" not in said.output


def test_an_empty_postgresql_database_is_no_store_for_the_reading_commands(
    postgresql_cluster: object,
) -> None:
    database = postgresql_cluster.new_database(template=None)  # type: ignore[attr-defined]
    for command in (["status"], ["history"], ["export", "--format", "csv", "-o", "out"]):
        said = CliRunner().invoke(main, [*command, "--store", database])
        assert said.exit_code == 2 and "no store at postgresql://postgres@/" in said.stderr, command
    made = CliRunner().invoke(main, ["consolidate", "--store", database, str(SAMPLES / "DAKAR_1997-Q3.xlsx")])
    assert made.exit_code == 0, made.output
    assert CliRunner().invoke(main, ["status", "--store", database]).exit_code == 0


def test_a_password_given_as_a_parameter_is_never_shown() -> None:
    from tcstandards.hq.store.engines import shown

    assert shown("postgresql://hq@db/tc?password=s3cret&sslmode=require") == (
        "postgresql://hq@db/tc?password=***&sslmode=require"
    )
    said = CliRunner().invoke(main, ["history", "--store", "postgresql://hq@127.0.0.1:9/tc?password=s3cret"])
    assert said.exit_code == 2 and "s3cret" not in said.output and "password=***" in said.output


def test_a_file_name_that_looks_like_a_url_is_refused(tmp_path: Path) -> None:
    said = CliRunner().invoke(
        main, ["consolidate", "--store", "postgresql:tc_hq", str(SAMPLES / "DAKAR_1997-Q3.xlsx")]
    )
    assert said.exit_code == 2 and "a PostgreSQL store is postgresql://USER@HOST/DATABASE" in said.stderr
    assert not Path("postgresql:tc_hq").exists()


def test_an_earlier_version_sent_twice_at_once_is_recorded_once(store_location: str) -> None:
    """Two runs both find the bytes new, then take the write lock in turn: the second finds them there."""
    from tcstandards.hq.store.base import NewSubmission

    CliRunner().invoke(main, ["consolidate", "--store", store_location, str(SAMPLES / "DAKAR_1997-Q3.xlsx")])
    earlier = NewSubmission(
        file_name="DAKAR_1997-Q3.xlsx", files=("DAKAR_1997-Q3.xlsx",), sha256="0" * 64, office="DAKAR",
        period="1997-Q3", standard_version="1.0", received_at="1997-10-21T00:00:00Z", outcome="merged",
        errors=0, warnings=0, records=0, prepared_on="1997-10-01",
    )  # fmt: skip
    with open_store(store_location, write=True) as store:
        first, recorded, _ = store.add_submission(earlier, [], {}, [])
        again, twice, _ = store.add_submission(earlier, [], {}, [])
        assert (recorded, first.current, twice, again.id) == (True, False, False, first.id)
        assert [s.sha256 for s in store.submissions()].count("0" * 64) == 1


def test_the_record_tables_are_made_once_by_threads_asking_at_once() -> None:
    import subprocess
    import sys

    script = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from tcstandards.hq.store.schema import record_tables\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    made = list(pool.map(lambda _: id(record_tables()), range(8)))\n"
        "assert len(set(made)) == 1, made\n"
    )
    for _ in range(3):  # a fresh interpreter each time: the first calls race
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr


def test_a_database_that_fails_is_said_in_a_sentence_not_a_traceback(postgresql_cluster: object) -> None:
    from sqlalchemy import create_engine, text

    database = postgresql_cluster.new_database()  # type: ignore[attr-defined]
    engine = create_engine(database.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE findings"))  # a store damaged by hand
    engine.dispose()
    said = CliRunner().invoke(main, ["consolidate", "--store", database, str(SAMPLES / "IPEC_1997-Q3.xlsx")])
    assert said.exit_code == 2, said.output
    assert 'failed: relation "findings" does not exist' in said.stderr
    assert "SQL:" not in said.output and "internal error" not in said.output


def test_a_copy_leaves_the_portals_secret_behind(tmp_path: Path) -> None:
    one, two, three = (str(tmp_path / f"{n}.sqlite") for n in ("one", "two", "three"))
    CliRunner().invoke(main, ["consolidate", "--store", one, str(SAMPLES / "DAKAR_1997-Q3.xlsx")])
    with open_store(one, write=True) as store:
        store.setting("session-secret", "the original's")
    with open_store(two, create=True) as store:
        store.setting("session-secret", "its own")  # a portal started once on it: still a new store
    said = invoke("store", "copy", one, two)
    assert "settings" not in said and "submissions: 1 row" in said
    with open_store(two) as copy:
        assert copy.setting("session-secret", "?") == "its own"
    assert CliRunner().invoke(main, ["store", "copy", str(tmp_path / "none.sqlite"), three]).exit_code == 2
    assert not Path(three).exists()
