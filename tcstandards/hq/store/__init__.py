"""The HQ store: a ledger of every submission, its findings, and the records of merged returns.

SQLite is the embedded default; PostgreSQL serves a shared HQ.  One
implementation serves both (:mod:`.sql`, on SQLAlchemy Core, its schema
upgraded by Alembic); commands only use :class:`~tcstandards.hq.store.base.Store`
and :func:`open_store`.
"""

from __future__ import annotations

import os
from pathlib import Path

from tcstandards.common.errors import UsageError
from tcstandards.hq.store.base import Conflict, NewSubmission, Store, Submission

DEFAULT_STORE = "tcstandards.sqlite"
POSTGRESQL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
STORE_VARIABLE = "TCSTANDARDS_STORE"

__all__ = [
    "DEFAULT_STORE",
    "STORE_VARIABLE",
    "Conflict",
    "NewSubmission",
    "Store",
    "Submission",
    "open_store",
    "store_location",
]


def store_location(option: str | None, environ: dict[str, str] | None = None) -> str:
    """``--store``, else ``TCSTANDARDS_STORE``, else ``tcstandards.sqlite`` in the current folder."""
    env = os.environ if environ is None else environ
    return option or env.get(STORE_VARIABLE) or DEFAULT_STORE


def open_store(location: str, *, create: bool = False, write: bool = False) -> Store:
    """Open the store at ``location``: a SQLite file path (or ``sqlite:///relative``,
    ``sqlite:////absolute``), or a PostgreSQL URL ``postgresql://user@host/db``.

    ``create`` opens for writing and makes a new store when there is none
    (``consolidate``); the reading commands open an existing store read-only
    and refuse a missing one instead of creating an empty store; ``write``
    opens an existing store for writing (``users disable``).
    """
    if "://" in location:
        scheme, _, rest = location.partition("://")
        if scheme.lower() in POSTGRESQL_SCHEMES:
            return _postgresql(location, create=create, write=write)
        if scheme != "sqlite":
            raise UsageError(
                f"store back end {scheme!r} is not supported; give a SQLite file path or a postgresql:// URL",
                code="store-scheme",
                scheme=scheme,
            )
        location = rest[1:] if rest.startswith("/") else rest  # as SQLAlchemy: sqlite:////abs, sqlite:///rel
    if location.lower().startswith(POSTGRESQL_SCHEMES) and ":" in location:  # postgresql:db, postgresql:/db
        raise UsageError(
            f"{location} is neither a file nor a URL: a PostgreSQL store is postgresql://USER@HOST/DATABASE",
            code="store-url",
            location=location,
        )
    return _sqlite(Path(location), create=create, write=write)


def _sqlite(path: Path, *, create: bool, write: bool) -> Store:
    if not create and not path.exists():
        raise UsageError(
            f"no store at {path}: consolidate returns into it first",
            code="no-store",
            path=str(path),
        )
    if path.is_dir():
        raise UsageError(f"the store {path} is a folder, not a file", code="store-is-folder", path=str(path))
    if not path.parent.is_dir() and str(path.parent):
        raise UsageError(
            f"no such folder for the store: {path.parent}", code="no-such-folder", path=str(path.parent)
        )
    from tcstandards.hq.store.engines import open_sql, sqlite_engine

    writable = create or write
    if writable:
        folder = path.parent if str(path.parent) else Path(".")
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise UsageError(
                f"cannot write the store {path}: permission denied", code="store-not-writable", path=str(path)
            )
    return open_sql(sqlite_engine(path, writable=writable), str(path), create=create, writable=writable)


def _postgresql(url: str, *, create: bool, write: bool) -> Store:
    from tcstandards.hq.store.engines import open_sql, postgresql_engine, shown

    return open_sql(postgresql_engine(url), shown(url), create=create, writable=create or write, shared=True)
