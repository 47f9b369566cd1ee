"""The HQ store: a ledger of every submission, its findings, and the records of merged returns.

SQLite is the embedded default.  Commands only use :class:`~tcstandards.store.base.Store`
and :func:`open_store`, so another back end (PostgreSQL) can be added here
without touching them.
"""

from __future__ import annotations

import os
from pathlib import Path

from tcstandards.common.errors import UsageError
from tcstandards.hq.store.base import Conflict, NewSubmission, Store, Submission

DEFAULT_STORE = "tcstandards.sqlite"
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
    """Open the store at ``location``: a file path, or a URL ``sqlite:///relative`` / ``sqlite:////absolute``.

    ``create`` opens for writing and makes a new store when there is none
    (``consolidate``); the reading commands open an existing store read-only
    and refuse a missing one instead of creating an empty store.
    """
    if "://" in location:
        scheme, _, rest = location.partition("://")
        if scheme != "sqlite":
            raise UsageError(
                f"store back end {scheme!r} is not supported yet; use a SQLite file path",
                code="store-scheme",
                scheme=scheme,
            )
        location = rest[1:] if rest.startswith("/") else rest  # as SQLAlchemy: sqlite:////abs, sqlite:///rel
    path = Path(location)
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
    from tcstandards.hq.store.sqlite import SqliteStore

    if create or write:
        folder = path.parent if str(path.parent) else Path(".")
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise UsageError(
                f"cannot write the store {path}: permission denied", code="store-not-writable", path=str(path)
            )
        return SqliteStore(path)
    return SqliteStore(path, writable=False)
