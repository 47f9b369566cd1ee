"""Who is asking: the signed session cookie (pages) or a bearer token (the API); CSRF on every form.

The session cookie is signed (itsdangerous, through Starlette's
``SessionMiddleware``), HttpOnly, SameSite=Lax, and Secure behind TLS.  It
holds the account's name, the form token and the language; the account is
read from the store on every request, so a disabled account is out at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from tcstandards.hq.accounts import ADMIN, HQ, OFFICE, by_token
from tcstandards.hq.store.base import Account, Store

ACCOUNT, CSRF, LANG = "account", "csrf", "lang"
CSRF_FIELD = "csrf"


@dataclass
class Refused(Exception):
    """A request the portal answers with an error page (or a JSON error under /api/)."""

    status: int
    key: str  # a sentence of locale/portal.json
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class SignInFirst(Exception):
    """A page asked without a session: the answer is a redirection to the sign-in page."""


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF] = token
    return str(token)


def check_csrf(request: Request, given: str | None) -> None:
    expected = request.session.get(CSRF)
    if not expected or not given or not secrets.compare_digest(str(expected), str(given)):
        raise Refused(403, "error.csrf")


def session_account(request: Request, store: Store) -> Account:
    """The signed-in account of a page request (to the sign-in page when there is none)."""
    name = request.session.get(ACCOUNT)
    account = store.account(name) if name else None
    if account is None or account.disabled:
        request.session.pop(ACCOUNT, None)
        raise SignInFirst()
    return account


def token_account(request: Request, store: Store) -> Account:
    """The account of an API request's ``Authorization: Bearer TOKEN``; 401 without a valid one."""
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    account = by_token(store, token.strip()) if scheme.lower() == "bearer" else None
    if account is None:
        key = "error.bad-token" if scheme.lower() == "bearer" and token.strip() else "error.token"
        raise Refused(401, key, headers={"WWW-Authenticate": 'Bearer realm="tcstandards"'})
    return account


def is_hq(account: Account) -> bool:
    return account.role in (HQ, ADMIN)


def require_hq(account: Account) -> None:
    """HQ and administrators only: an office account gets 403 (the page exists; it is not theirs)."""
    if not is_hq(account):
        raise Refused(403, "error.hq-only")


def require_admin(account: Account) -> None:
    if account.role != ADMIN:
        raise Refused(403, "error.admin-only")


def may_see(account: Account, office: str | None) -> bool:
    """An office account sees its own office's returns only; HQ and administrators see all."""
    return account.role != OFFICE or (office is not None and office == account.office)
