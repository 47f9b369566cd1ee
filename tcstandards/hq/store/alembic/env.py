"""Alembic's environment for the store: migrations run on the connection the store opened (never
from a configuration file), in the transaction the store began."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
