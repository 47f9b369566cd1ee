"""The store's schema version, and its upgrade by Alembic, for every engine.

The migrations are Alembic revisions (``alembic/versions``), never edited once
released: a later version of the package adds one.  A store made before
Alembic took over (tcstandards' own runner, table ``schema_migrations``) is
stamped with the revision its last migration matches, then upgraded in place.
After the revisions, a record table gets a column for each field of a newer
standard (:func:`~tcstandards.hq.store.schema.add_missing_columns`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from tcstandards.hq.store.schema import add_missing_columns

REVISIONS = ("0001", "0002", "0003", "0004", "0005")  # in order; the last is the head
HEAD = REVISIONS[-1]
LEGACY = "schema_migrations"  # tcstandards' own runner, before Alembic: version 1..5 = revision 0001..0005


class OtherDatabase(Exception):
    """Tables, but none of a tcstandards store."""


def revision_of(connection: Connection) -> str | None:
    """The store's revision; None for an empty database; :class:`OtherDatabase` for another
    application's."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if LEGACY in tables:
        number = connection.execute(text(f"SELECT max(version) FROM {LEGACY}")).scalar() or 0
        return REVISIONS[number - 1] if 0 < number <= len(REVISIONS) else f"legacy-{number}"
    if tables:
        raise OtherDatabase(sorted(tables)[0])
    return None


def is_known(revision: str | None) -> bool:
    return revision is None or revision in REVISIONS


def needs_upgrade(connection: Connection, revision: str | None) -> bool:
    from tcstandards.hq.store.schema import missing_columns

    return (
        revision != HEAD
        or "alembic_version" not in set(inspect(connection).get_table_names())
        or bool(missing_columns(connection))
    )


def upgrade(connection: Connection, revision: str | None) -> None:
    """Bring the store to the head revision, in the caller's transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("alembic")))
    config.attributes["connection"] = connection
    if revision is not None and "alembic_version" not in set(inspect(connection).get_table_names()):
        command.stamp(config, revision)  # a store of tcstandards' own runner: Alembic takes over here
    command.upgrade(config, "head")
    add_missing_columns(connection)
