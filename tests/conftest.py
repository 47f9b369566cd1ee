"""Fixtures shared by the test modules: the historical store, consolidated once per run; and the
store's engines, SQLite and PostgreSQL, for every store test (``store_location``)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tcstandards.hq.consolidate import consolidate
from tcstandards.hq.store import open_store

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgresql_cluster() -> Iterator[Any]:
    """A throw-away PostgreSQL cluster for the run, with a store at the head revision as the template
    of every new database (a new store is a copy of it: no migration per test)."""
    import pg

    if pg.binaries() is None:
        pytest.skip(pg.SKIP_REASON)
    cluster = pg.Cluster().start()
    try:
        from tcstandards.hq.store.engines import release

        template = cluster.new_database("tctemplate", template=None)
        with open_store(template, create=True):
            pass
        release(template)  # a database with a session open cannot be copied
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=ENGINES)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new store goes, on each engine: a SQLite file (not made yet), or a new PostgreSQL
    database holding an empty store."""
    if request.param == "sqlite":
        return str(tmp_path / "hq.sqlite")
    return str(request.getfixturevalue("postgresql_cluster").new_database())


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The 1990-1996 returns of the historical sample, consolidated with their receipt dates."""
    folder = tmp_path_factory.mktemp("historical")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "samples" / "historical" / "build_historical.py"),
            "--out",
            str(folder / "in"),
        ],
        check=True,
        capture_output=True,
    )
    path = folder / "hq.sqlite"
    with open_store(str(path), create=True) as opened:
        result = consolidate([str(folder / "in")], opened, today=dt.date(2026, 11, 28), received_at="mtime")
    assert (result.count("merged"), result.count("quarantined"), result.errors, result.warnings) == (
        356,
        0,
        0,
        0,
    )
    yield path


@pytest.fixture(scope="session")
def figures(store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from test_report import report

    path = report(store, tmp_path_factory.mktemp("json"), "json")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="session")
def paper(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """The whole 1990-1996 report of the historical store in a format and a language, written once per run
    (through the command line) for every test that only reads it."""
    from test_report import report

    folder = tmp_path_factory.mktemp("papers")
    written: dict[tuple[str, str], Path] = {}

    def get(fmt: str, lang: str) -> Path:
        if (fmt, lang) not in written:
            made = report(store, folder, fmt, lang)
            written[(fmt, lang)] = made.rename(folder / f"report-{lang}.{fmt}")
        return written[(fmt, lang)]

    return get
