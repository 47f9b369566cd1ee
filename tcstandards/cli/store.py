"""``tcstandards store``: the HQ store itself (copying it between engines)."""

from __future__ import annotations

import sys

import click

from tcstandards.cli.app import _guard, lang_option, main
from tcstandards.common.i18n import detect_language


@main.group("store")
def store_group() -> None:
    """The HQ store itself: copy a whole store between SQLite and PostgreSQL.

    A store is a SQLite file (the default, tcstandards.sqlite) or a
    PostgreSQL database named by its URL, postgresql://USER@HOST/DATABASE
    (docs/guide-hq.md#5-hq-on-postgresql).
    """


@store_group.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("target", metavar="DEST")
@lang_option
def store_copy(source: str, target: str, lang: str | None) -> None:
    """Copy the whole store SRC into DEST, a new store, and verify the copy.

    Every table is copied with its ids (the ledger, findings, conflicts,
    records, accounts, the ledger of actions, uploaded files), in one
    transaction of DEST; then the rows of each table are counted and hashed
    on both sides. DEST must hold no submission, account or action yet: a
    new SQLite file, or an empty PostgreSQL database.

    \b
    Examples:
      tcstandards store copy tcstandards.sqlite postgresql://tc@db.example.org/hq
      tcstandards store copy postgresql://tc@db.example.org/hq backup.sqlite
    """
    from tcstandards.cli.commands import store_copy as command

    _guard(
        lambda: command.run(source, target, lang=lang or detect_language(), out=sys.stdout, err=sys.stderr),
        lang=lang,
    )
