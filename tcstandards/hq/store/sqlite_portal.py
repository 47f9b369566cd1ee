"""The portal's part of the SQLite store: accounts, the ledger of actions, uploaded files, settings."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from typing import Any

from tcstandards.common.errors import UsageError
from tcstandards.hq.store.base import Account, Event

ACCOUNT_COLUMNS = "name, role, office, password_hash, disabled, created_at, token_hash"
CHANGEABLE = ("disabled", "password_hash", "token_hash")


def _account(row: tuple[Any, ...]) -> Account:
    name, role, office, password_hash, disabled, created_at, token_hash = row
    return Account(name, role, office, password_hash, bool(disabled), created_at, token_hash)


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SqlitePortalPart:
    conn: sqlite3.Connection

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def add_account(self, account: Account) -> None:
        try:
            with self._transaction() as conn:
                conn.execute(
                    f"INSERT INTO accounts ({ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        account.name,
                        account.role,
                        account.office,
                        account.password_hash,
                        int(account.disabled),
                        account.created_at,
                        account.token_hash,
                    ),
                )
        except sqlite3.IntegrityError as error:
            raise UsageError(
                f"there is already an account named {account.name}", code="account-exists", name=account.name
            ) from error

    def account(self, name: str) -> Account | None:
        row = self.conn.execute(f"SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = ?", (name,)).fetchone()
        return _account(row) if row else None

    def accounts(self) -> list[Account]:
        rows = self.conn.execute(f"SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name")
        return [_account(row) for row in rows]

    def update_account(self, name: str, **values: Any) -> None:
        unknown = set(values) - set(CHANGEABLE)
        if unknown:
            raise ValueError(f"an account has no changeable {sorted(unknown)}")
        with self._transaction() as conn:
            for column, value in values.items():  # column: one of CHANGEABLE
                conn.execute(f"UPDATE accounts SET {column} = ? WHERE name = ?", (value, name))

    def account_by_token(self, token_hash: str) -> Account | None:
        row = self.conn.execute(
            f"SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE token_hash = ?", (token_hash,)
        ).fetchone()
        return _account(row) if row else None

    def log(
        self, account: str | None, action: str, subject: str | None = None, detail: str | None = None
    ) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO events (at, account, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                (now(), account, action, subject, detail),
            )

    def events(
        self,
        *,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        where, params = _where(action=action, subject=subject, since=since)
        sql = f"SELECT id, at, account, action, subject, detail FROM events{where} ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Event(*row) for row in self.conn.execute(sql, params)]

    def uploads(self, submission_id: int) -> list[tuple[str, bytes]]:
        rows = self.conn.execute(
            "SELECT name, content FROM uploads WHERE submission_id = ? ORDER BY seq", (submission_id,)
        )
        return [(name, bytes(content)) for name, content in rows]

    def setting(self, name: str, default: str) -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return str(row[0])
        with self._transaction() as conn:  # the first process to ask sets it; the others read it
            conn.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (name, default))
            kept = conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return str(kept[0])


def _where(**filters: str | None) -> tuple[str, list[str]]:
    clauses, params = [], []
    for column, value in filters.items():
        if value is None:
            continue
        clauses.append(f"{'at >= ?' if column == 'since' else f'{column} = ?'}")
        params.append(value)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params
