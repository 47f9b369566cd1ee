"""Opening a store: a SQLite file or a PostgreSQL database, checked and brought up to date.

A database of another application is never changed; a store made by a newer
tcstandards is refused; an older one is upgraded in place when the store is
opened for writing (``consolidate``, ``serve``, ``users``), and refused with
a sentence by the reading commands.
"""

from __future__ import annotations

import collections
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from tcstandards.common.errors import UnreadableInputError, UsageError
from tcstandards.hq.store.failures import StoreFailed, reason_of
from tcstandards.hq.store.sql import SqlStore
from tcstandards.hq.store.upgrade import HEAD, OtherDatabase, is_known, needs_upgrade, revision_of, upgrade

BUSY_TIMEOUT_S = 120.0


def sqlite_engine(path: Path, *, writable: bool) -> Engine:
    if writable:
        # check_same_thread: the portal opens a store on one thread of its pool and closes it on another
        options = {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, connect_args=options)
    else:
        uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
        engine = create_engine(
            "sqlite://",
            poolclass=NullPool,
            creator=lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False),
        )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def postgresql_engine(url: str) -> Engine:
    """One engine, and its pool of connections, per URL and process: the portal opens the store for
    every request, and a new connection to a server costs milliseconds.  The least recently used of
    more than :data:`ENGINES_KEPT` is closed."""
    engine = _ENGINES.pop(url, None) or _postgresql_engine(url)
    _ENGINES[url] = engine
    while len(_ENGINES) > ENGINES_KEPT:
        _, oldest = _ENGINES.popitem(last=False)
        oldest.dispose()  # its idle connections; one a store still holds closes when it is given back
    return engine


def release(url: str) -> None:
    """Close the connections this process keeps to the database at ``url`` (before it is copied or
    dropped: PostgreSQL refuses either while a session is open on it)."""
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


ENGINES_KEPT = 8
_ENGINES: collections.OrderedDict[str, Engine] = collections.OrderedDict()


def _postgresql_engine(url: str) -> Engine:
    parsed = make_url(url)
    try:
        return create_engine(  # a store holds one connection; requests beyond 15 at once wait their turn
            parsed.set(drivername="postgresql+psycopg"),
            pool_size=5,
            max_overflow=10,
            pool_timeout=120,
            pool_pre_ping=True,
        )
    except (ImportError, NoSuchModuleError) as error:
        raise UsageError(
            "a PostgreSQL store needs its driver: pip install 'tcstandards[postgresql]'",
            code="postgresql-extra",
        ) from error


def shown(url: str) -> str:
    """A PostgreSQL URL as messages show it: without its password, whether it comes before the host
    (``user:secret@host``) or as a parameter (``?password=secret``)."""
    parsed = make_url(url)
    if "password" in parsed.query:
        parsed = parsed.update_query_dict({"password": "***"})
    return parsed.render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def open_sql(
    engine: Engine, location: str, *, create: bool, writable: bool, shared: bool = False
) -> SqlStore:
    """The store on ``engine``, checked, and upgraded when it is opened for writing. A ``shared`` engine
    (PostgreSQL's, one a process) stays open when the store closes, and its store is checked once."""
    try:
        store = SqlStore(engine, location, writable=writable, shared=shared)
    except DBAPIError as error:
        if not shared:
            engine.dispose()
        if engine.dialect.name == "sqlite":  # a file, but not a database
            raise UnreadableInputError(
                f"{location} is not a tcstandards store ({_reason(error)})", code="not-a-store", path=location
            ) from error
        raise UsageError(
            f"cannot open the store {location}: {_reason(error)}",
            code="store-connect",
            store=location,
            reason=_reason(error),
        ) from error
    if shared and (location, writable) in _AT_HEAD:
        return store
    try:
        _check(store, create=create)
    except BaseException:
        store.close()
        raise
    if shared:
        _AT_HEAD.add((location, writable))
    return store


_AT_HEAD: set[tuple[str, bool]] = set()  # shared engines' stores this process found up to date


def _check(store: SqlStore, *, create: bool) -> None:
    location = store.location
    try:
        revision = revision_of(store.conn)
        if not is_known(revision):
            raise UsageError(
                _too_new(location, str(revision)),
                code="store-too-new",
                path=location,
                version=revision,
                known=HEAD,
            )
        if revision is None and not create:
            raise UsageError(
                f"no store at {location}: consolidate returns into it first", code="no-store", path=location
            )
        if not needs_upgrade(store.conn, revision):
            return
        if not store.writable:
            raise UsageError(
                f"the store {location} was made by an older tcstandards: consolidating into it upgrades it",
                code="store-too-old",
                path=location,
            )
        with store.transaction() as conn:
            upgrade(conn, revision_of(conn))  # again, under the lock: another process may have upgraded
    except OtherDatabase as error:
        raise UnreadableInputError(
            f"{location} is a database but not a tcstandards store", code="other-database", path=location
        ) from error
    except DBAPIError as error:
        if store.sqlite:  # a file, but not a database
            raise UnreadableInputError(
                f"{location} is not a tcstandards store ({_reason(error)})", code="not-a-store", path=location
            ) from error
        raise StoreFailed(location, reason_of(error)) from error  # a permission refused, the server gone


def _reason(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)


def _too_new(location: str, revision: str) -> str:
    return (
        f"the store {location} has schema version {revision}, newer than this tcstandards knows ({HEAD}); "
        "upgrade tcstandards"
    )


__all__ = ["open_sql", "postgresql_engine", "shown", "sqlite_engine"]
