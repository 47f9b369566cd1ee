"""``tcstandards users``: the portal's accounts in the store (add, list, disable, token)."""

from __future__ import annotations

import getpass
import json
import sys

import click

from tcstandards.common.errors import EXIT_OK, UsageError
from tcstandards.common.i18n import ui


def _by() -> str:
    """Who made a change from the command line, as the ledger of actions names them."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no name for this user id (a container)
        return "command line"


def _password(lang: str) -> str:
    """Asked twice at a terminal, hidden; else the first line of standard input."""
    if sys.stdin.isatty():
        try:
            return str(
                click.prompt(
                    ui("users.password", lang),
                    hide_input=True,
                    confirmation_prompt=ui("users.password-again", lang),
                    err=True,
                )
            )
        except click.Abort:  # Ctrl+C or Ctrl+D at the prompt: nothing was changed
            raise UsageError("no password was given", code="no-password-given") from None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise UsageError("no password on standard input", code="no-password")
    return line


def add(store: str, name: str, role: str, office: str | None, lang: str) -> int:
    from tcstandards.hq.accounts import add_account, hash_password
    from tcstandards.hq.store import open_store

    password = _password(lang)
    hash_password(password)  # a password too short is said before the store is made
    with open_store(store, create=True) as opened:
        account = add_account(opened, name, role, office, password, _by())
    click.echo(ui("users.added", lang, name=account.name, role=role, office=account.office or "-"))
    return EXIT_OK


def listing(store: str, lang: str, output_format: str) -> int:
    from tcstandards.hq.store import open_store

    with open_store(store, write=True) as opened:  # a store of before the portal gets its accounts table
        found = opened.accounts()
    rows = [
        {"name": a.name, "role": a.role, "office": a.office, "disabled": a.disabled,
         "token": a.token_hash is not None, "created_at": a.created_at}
        for a in found
    ]  # fmt: skip
    if output_format == "json":
        click.echo(json.dumps({"accounts": rows}, ensure_ascii=False, indent=2))
    elif not rows:
        click.echo(ui("users.none", lang))
    else:
        for row in rows:
            state = ui("users.disabled-state" if row["disabled"] else "users.enabled-state", lang)
            token = ui("users.has-token", lang) if row["token"] else ""
            click.echo(
                f"{row['name']:<20} {row['role']:<6} {row['office'] or '-':<10} {state:<12} {token}".rstrip()
            )
    return EXIT_OK


def password(store: str, name: str, lang: str) -> int:
    from tcstandards.hq.accounts import set_password
    from tcstandards.hq.store import open_store

    given = _password(lang)
    with open_store(store, write=True) as opened:
        set_password(opened, name, given, _by())
    click.echo(ui("users.password-set", lang, name=name))
    return EXIT_OK


def enable(store: str, name: str, lang: str) -> int:
    from tcstandards.hq.accounts import enable as enable_account
    from tcstandards.hq.store import open_store

    with open_store(store, write=True) as opened:
        enable_account(opened, name, _by())
    click.echo(ui("users.enabled", lang, name=name))
    return EXIT_OK


def disable(store: str, name: str, lang: str) -> int:
    from tcstandards.hq.accounts import disable as disable_account
    from tcstandards.hq.store import open_store

    with open_store(store, write=True) as opened:
        disable_account(opened, name, _by())
    click.echo(ui("users.disabled", lang, name=name))
    return EXIT_OK


def token(store: str, name: str, lang: str) -> int:
    from tcstandards.hq.accounts import new_token
    from tcstandards.hq.store import open_store

    with open_store(store, write=True) as opened:
        made = new_token(opened, name, _by())
    click.echo(made)  # alone on standard output, for a script to keep
    click.echo(ui("users.token", lang, name=name), err=True)
    return EXIT_OK
