"""Submissions keep the day a return was prepared and its revision number.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("prepared_on", sa.Text))
    op.add_column("submissions", sa.Column("revision", sa.Integer))
