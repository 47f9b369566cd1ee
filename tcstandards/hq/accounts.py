"""Portal accounts: who may sign in, with which role, for which office.

Passwords are hashed with Argon2 (argon2-cffi, the reference implementation's
binding); an API token is 32 random bytes shown once, of which only the
SHA-256 is stored (a token is long and random: a fast hash cannot be searched
back, unlike a password).  Every change is an action in the store's ledger of
actions, with the name of whoever made it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from typing import Any

from tcstandards.common.errors import TcstandardsError, UsageError
from tcstandards.hq.store.base import Account, Store
from tcstandards.standard.obligations import OFFICES

OFFICE, HQ, ADMIN = "office", "hq", "admin"
ROLES = (OFFICE, HQ, ADMIN)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10
TOKEN_BYTES = 32
SIGN_IN_FAILED = "sign-in-failed"
THROTTLE_ATTEMPTS = 5  # failed sign-ins of one name within THROTTLE_WINDOW
THROTTLE_ADDRESS_ATTEMPTS = 30  # from one address (an office behind one NAT: a typo must not lock all out)
THROTTLE_WINDOW = dt.timedelta(minutes=15)


class AccountError(TcstandardsError):
    """An account cannot be made or used as asked (a usage error of the ``users`` commands)."""

    exit_code = UsageError.exit_code


def _hasher() -> Any:
    try:
        from argon2 import PasswordHasher
    except ImportError as error:  # pragma: no cover - the portal extra is not installed
        raise UsageError(
            "accounts need the portal's packages: pip install 'tcstandards[portal]'", code="portal-extra"
        ) from error
    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"the password is too short: at least {MIN_PASSWORD} characters",
            code="password-short",
            minimum=MIN_PASSWORD,
        )
    return str(_hasher().hash(password))


def add_account(store: Store, name: str, role: str, office: str | None, password: str, by: str) -> Account:
    """Make an account; an office account names an office of the offices codelist."""
    if not NAME.match(name):
        raise AccountError(
            f"{name!r} is not a usable account name (letters, digits, . _ @ -; at most 64)",
            code="account-name",
            name=name,
        )
    office = _office(store, role, office)
    account = Account(name, role, office, hash_password(password), False, _now())
    store.add_account(account)
    store.log(by, "account-added", name, f"{role} {office or ''}".strip())
    return account


def _office(store: Store, role: str, office: str | None) -> str | None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}", code="account-role", role=role)
    if role != OFFICE:
        if office:
            raise AccountError("only an office account names an office", code="office-not-for-role")
        return None
    if not office:
        raise AccountError("an office account needs an office", code="office-needed")
    office = office.upper()
    known = store.standard.codelist(OFFICES).codes
    if office not in known:
        raise AccountError(
            f"{office} is not an office of the offices codelist",
            code="unknown-office",
            office=office,
        )
    return office


def disable(store: Store, name: str, by: str) -> None:
    _existing(store, name)
    store.update_account(name, disabled=1, token_hash=None)
    store.log(by, "account-disabled", name)


def enable(store: Store, name: str, by: str) -> None:
    _existing(store, name)
    store.update_account(name, disabled=0)
    store.log(by, "account-enabled", name)


def set_password(store: Store, name: str, password: str, by: str) -> None:
    _existing(store, name)
    store.update_account(name, password_hash=hash_password(password))
    store.log(by, "password-changed", name)


def new_token(store: Store, name: str, by: str) -> str:
    """A new API token for the account (the one it had stops working); only its hash is kept."""
    account = _existing(store, name)
    if account.disabled:
        raise AccountError(f"the account {name} is disabled", code="account-disabled", name=name)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    store.update_account(name, token_hash=token_hash(token))
    store.log(by, "token-issued", name)
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def by_token(store: Store, token: str) -> Account | None:
    account = store.account_by_token(token_hash(token)) if token else None
    return account if account is not None and not account.disabled else None


def throttled(store: Store, name: str, address: str | None) -> bool:
    """Too many failed sign-ins lately for this name or from this address."""
    since = (dt.datetime.now(dt.UTC) - THROTTLE_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ")
    failures = store.events(action=SIGN_IN_FAILED, since=since)
    by_name = sum(1 for e in failures if e.subject == name)
    by_address = sum(1 for e in failures if address and e.detail == address)
    return by_name >= THROTTLE_ATTEMPTS or by_address >= THROTTLE_ADDRESS_ATTEMPTS


def sign_in(store: Store, name: str, password: str, address: str | None) -> Account | None:
    """The account when the name and password match an enabled account; each failure is logged."""
    account = store.account(name)
    verified = False
    if account is not None and not account.disabled:
        verified = _verify(account.password_hash, password)
    else:
        _verify(_dummy_hash(), password)  # the same time whether the name exists or not
    if not verified:
        store.log(None, SIGN_IN_FAILED, name, address)
        return None
    store.log(name, "signed-in", name, address)
    return account


def _verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """A hash to check a password against when the name is unknown: made once, when first needed."""
    return str(_hasher().hash(secrets.token_hex(8)))


def _existing(store: Store, name: str) -> Account:
    account = store.account(name)
    if account is None:
        raise AccountError(f"there is no account named {name}", code="no-account", name=name)
    return account


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
