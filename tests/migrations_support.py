"""Run one Alembic revision of the store by itself, on a DB-API or SQLAlchemy connection."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

import tcstandards.hq.store

VERSIONS = Path(tcstandards.hq.store.__file__).with_name("alembic") / "versions"


def revision_module(revision: str) -> Any:
    [path] = VERSIONS.glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"revision_{revision}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_revision(revision: str, db: sqlite3.Connection) -> None:
    """The revision's upgrade() on an open sqlite3 connection (in its transaction)."""
    engine = create_engine("sqlite://", creator=lambda: db, poolclass=StaticPool)
    with engine.connect() as conn:
        with Operations.context(MigrationContext.configure(conn)):
            revision_module(revision).upgrade()
        conn.commit()
