"""The portal's part of the store, on either engine: accounts, the ledger of actions, uploaded files,
settings shared by every worker."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from tcstandards.common.errors import UsageError
from tcstandards.hq.store import schema as t
from tcstandards.hq.store.base import Account, Event
from tcstandards.hq.store.failures import guarded
from tcstandards.hq.store.rows import now

CHANGEABLE = ("disabled", "password_hash", "token_hash")


@guarded
class SqlPortalPart:
    conn: Connection

    def transaction(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def add_account(self, account: Account) -> None:
        try:
            with self.transaction() as conn:
                conn.execute(t.accounts.insert().values(**_account_row(account)))
        except IntegrityError as error:
            raise UsageError(
                f"there is already an account named {account.name}", code="account-exists", name=account.name
            ) from error

    def account(self, name: str) -> Account | None:
        return self._one_account(t.accounts.c.name == name)

    def accounts(self) -> list[Account]:
        return [_account(row) for row in self.conn.execute(select(t.accounts).order_by(t.accounts.c.name))]

    def update_account(self, name: str, **values: Any) -> None:
        unknown = set(values) - set(CHANGEABLE)
        if unknown:
            raise ValueError(f"an account has no changeable {sorted(unknown)}")
        with self.transaction() as conn:
            conn.execute(t.accounts.update().where(t.accounts.c.name == name).values(**values))

    def account_by_token(self, token_hash: str) -> Account | None:
        return self._one_account(t.accounts.c.token_hash == token_hash)

    def _one_account(self, condition: Any) -> Account | None:
        row = self.conn.execute(select(t.accounts).where(condition)).first()
        return _account(row) if row else None

    def log(
        self, account: str | None, action: str, subject: str | None = None, detail: str | None = None
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                t.events.insert().values(
                    at=now(), account=account, action=action, subject=subject, detail=detail
                )
            )

    def events(
        self,
        *,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        e = t.events
        query = select(e).order_by(e.c.id.desc()).limit(limit)
        for column, value in ((e.c.action, action), (e.c.subject, subject)):
            if value is not None:
                query = query.where(column == value)
        if since is not None:
            query = query.where(e.c.at >= since)
        return [Event(*row) for row in self.conn.execute(query)]

    def uploads(self, submission_id: int) -> list[tuple[str, bytes]]:
        u = t.uploads
        rows = self.conn.execute(
            select(u.c.name, u.c.content).where(u.c.submission_id == submission_id).order_by(u.c.seq)
        )
        return [(name, bytes(content)) for name, content in rows]

    def setting(self, name: str, default: str) -> str:
        query = select(t.settings.c.value).where(t.settings.c.name == name)
        kept = self.conn.execute(query).scalar()
        if kept is None:
            with self.transaction() as conn:  # the first process to ask sets it; the others read it
                kept = conn.execute(query).scalar()
                if kept is None:
                    conn.execute(t.settings.insert().values(name=name, value=default))
                    kept = default
        return str(kept)


def _account_row(a: Account) -> dict[str, Any]:
    return {
        "name": a.name,
        "role": a.role,
        "office": a.office,
        "password_hash": a.password_hash,
        "disabled": int(a.disabled),
        "created_at": a.created_at,
        "token_hash": a.token_hash,
    }


def _account(row: Any) -> Account:
    m = row._mapping
    return Account(
        m["name"],
        m["role"],
        m["office"],
        m["password_hash"],
        bool(m["disabled"]),
        m["created_at"],
        m["token_hash"],
    )
