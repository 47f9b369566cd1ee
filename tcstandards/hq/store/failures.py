"""A database that fails (the server gone, a permission refused, the disk full) is said as a
tcstandards error naming the store and the database's own first line, never with the SQL or its
values (they may hold a new account's password hash)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from tcstandards.common.errors import UsageError

Kind = TypeVar("Kind", bound=type)


class StoreFailed(UsageError):
    """The store's database refused or failed an operation (exit 2, as for input that cannot be read)."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(
            f"the store {location} failed: {reason}", code="store-failed", store=location, reason=reason
        )


def reason_of(error: BaseException) -> str:
    """The database's own first line (without SQLAlchemy's SQL and parameters)."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _database_error(error: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError):
        return True
    kind = type(error)  # the driver's own errors (its cursor is used directly for bulk work)
    return kind.__module__.split(".")[0] in ("sqlite3", "psycopg") and issubclass(kind, Exception)


def guarded(kind: Kind) -> Kind:
    """Every public method of a store class turns a database's error into :class:`StoreFailed`."""
    for name, method in list(vars(kind).items()):
        if callable(method) and not name.startswith("_"):
            setattr(kind, name, _guard(method))
    return kind


def _guard(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            if isinstance(error, StoreFailed) or not _database_error(error):
                raise
            raise StoreFailed(self.location, reason_of(error)) from error

    return call
