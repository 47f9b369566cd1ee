"""The portal's commands: ``serve`` (the web portal) and ``users`` (its accounts, kept in the store).

They need the portal's packages (``pip install 'tcstandards[portal]'``) and
take ``--store`` and ``TCSTANDARDS_STORE`` like every HQ command.
"""

from __future__ import annotations

import sys

import click

from tcstandards.cli.app import FORMATS, _guard, lang_option, main
from tcstandards.cli.hq import _store, store_option
from tcstandards.common.i18n import detect_language


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port.")
@click.option(
    "--max-upload-mb",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    metavar="MB",
    help="Uploads larger than this are refused (413) before they are stored.",
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="Send the session cookie over HTTPS only: behind a reverse proxy with TLS (docs/portal.md).",
)
@lang_option
def serve(
    store: str | None, host: str, port: int, max_upload_mb: int, secure_cookies: bool, lang: str | None
) -> None:
    """Start the submission portal on the HQ store.

    Offices sign in with a browser, download their template, upload a
    return and see its findings at their cells; a return without errors is
    merged exactly as `consolidate` would merge it, one with errors is
    quarantined.  HQ sees the status grid, the ledger, open conflicts, and
    downloads the report and the exports.  Scripts use the JSON API
    (/api/openapi.json) with a token from `tcstandards users token`.

    Make the accounts first with `tcstandards users add`.  This command runs
    one process for one office network or a trial; docs/portal.md describes
    a production setup (several workers behind a reverse proxy with TLS).

    \b
    Examples:
      tcstandards users add admin --role admin
      tcstandards serve --store hq.sqlite
      tcstandards serve --host 0.0.0.0 --port 8080 --secure-cookies
    """
    from tcstandards.cli.commands import serve as command

    _guard(
        lambda: command.run(
            store=_store(store),
            host=host,
            port=port,
            max_upload_mb=max_upload_mb,
            secure_cookies=secure_cookies,
            lang=lang or detect_language(),
            err=sys.stderr,
        ),
        lang=lang,
    )


@main.group()
def users() -> None:
    """The portal's accounts: add, list, new passwords, disable and enable, API tokens.

    An office account sees and submits its own office's returns only; an hq
    account sees every office and downloads reports and exports; an admin
    account also sees the accounts and the ledger of actions.  Passwords are
    hashed with Argon2; a token is shown once and only its hash is stored.
    Every change is recorded in the store's ledger of actions.

    \b
    Examples:
      tcstandards users add aminata --role office --office DAKAR
      printf '%s\\n' "$PASSWORD" | tcstandards users add hq-desk --role hq
      tcstandards users token aminata
    """


@users.command("add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(("office", "hq", "admin")), required=True, help="What the account may do."
)
@click.option("--office", default=None, metavar="CODE", help="The office of an office account (e.g. DAKAR).")
@store_option
@lang_option
def users_add(name: str, role: str, office: str | None, store: str | None, lang: str | None) -> None:
    """Add an account NAME; its password is asked twice, or read from standard input (one line)."""
    from tcstandards.cli.commands import users as command

    _guard(lambda: command.add(_store(store), name, role, office, lang or detect_language()), lang=lang)


@users.command("list")
@store_option
@lang_option
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for programs.")  # fmt: skip
def users_list(store: str | None, lang: str | None, output_format: str) -> None:
    """List the accounts: name, role, office, enabled or not, whether it has an API token."""
    from tcstandards.cli.commands import users as command

    _guard(lambda: command.listing(_store(store), lang or detect_language(), output_format), lang=lang)


@users.command("password")
@click.argument("name")
@store_option
@lang_option
def users_password(name: str, store: str | None, lang: str | None) -> None:
    """Set a new password for NAME: asked twice, or read from standard input (one line)."""
    from tcstandards.cli.commands import users as command

    _guard(lambda: command.password(_store(store), name, lang or detect_language()), lang=lang)


@users.command("disable")
@click.argument("name")
@store_option
@lang_option
def users_disable(name: str, store: str | None, lang: str | None) -> None:
    """Disable the account NAME: it can no longer sign in, its session ends at its next click, and its
    API token stops working (`users enable` lets it sign in again)."""
    from tcstandards.cli.commands import users as command

    _guard(lambda: command.disable(_store(store), name, lang or detect_language()), lang=lang)


@users.command("enable")
@click.argument("name")
@store_option
@lang_option
def users_enable(name: str, store: str | None, lang: str | None) -> None:
    """Enable the account NAME again (it needs a new API token: disabling removed its token)."""
    from tcstandards.cli.commands import users as command

    _guard(lambda: command.enable(_store(store), name, lang or detect_language()), lang=lang)


@users.command("token")
@click.argument("name")
@store_option
@lang_option
def users_token(name: str, store: str | None, lang: str | None) -> None:
    """Print a new API token for NAME (its earlier token stops working); only its hash is stored."""
    from tcstandards.cli.commands import users as command

    _guard(lambda: command.token(_store(store), name, lang or detect_language()), lang=lang)
