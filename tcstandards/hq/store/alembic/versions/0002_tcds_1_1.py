"""Records in the field names of TCDS 1.1 (evidence -> verification_source).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tcstandards.hq.store.schema import add_missing_columns, identifier, record_table_name

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from tcstandards.standard import load_standard
    from tcstandards.standard.versions import field_names

    add_missing_columns(op.get_bind(), [load_standard("1.1")])
    for record in load_standard("1.1").record_types:
        table = sa.table(record_table_name(record))
        for old, new in field_names(record, "1.0", "1.1").items():
            old_column: sa.ColumnClause[object] = sa.column(identifier(old))
            new_column: sa.ColumnClause[object] = sa.column(identifier(new))
            table.append_column(old_column)
            table.append_column(new_column)
            op.execute(
                table.update()
                .where(new_column.is_(None), old_column.is_not(None))
                .values({new_column.name: old_column})
            )
            op.execute(table.update().values({old_column.name: None}))
