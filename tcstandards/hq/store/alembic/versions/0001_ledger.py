"""The ledger, findings, conflicts, and the record tables of TCDS 1.0.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tcstandards.hq.store.schema import field_columns, identifier, provenance_columns, record_table_name

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    from tcstandards.standard import load_standard

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("office", sa.Text),
        sa.Column("period", sa.Text),
        sa.Column("standard_version", sa.Text),
        sa.Column("received_at", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("current", sa.Integer, nullable=False, server_default="0"),
        sa.Column("superseded_by", sa.Integer, sa.ForeignKey("submissions.id")),
        sa.Column("source_path", sa.Text),
        sa.CheckConstraint("outcome IN ('merged', 'quarantined')", name="submissions_outcome"),
    )
    op.create_index("submissions_sha256", "submissions", ["sha256"])
    op.create_index("submissions_office_period", "submissions", ["office", "period"])
    op.create_index(
        "submissions_one_current",
        "submissions",
        ["office", "period"],
        unique=True,
        sqlite_where=sa.text("current = 1"),
        postgresql_where=sa.text("current = 1"),
    )
    op.create_table(
        "findings",
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        *(sa.Column(name, sa.Text, nullable=False) for name in ("rule", "severity", "message")),
        *(sa.Column(name, sa.Text) for name in ("location", "file", "sheet")),
        sa.Column("row", sa.Integer),
        sa.Column("col", sa.Integer),
        *(sa.Column(name, sa.Text) for name in ("pointer", "record", "field", "value")),
        sa.PrimaryKeyConstraint("submission_id", "seq"),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        *(sa.Column(name, sa.Text, nullable=False) for name in ("record", "period", "key")),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("other_submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("office", sa.Text, nullable=False),
        sa.Column("other_office", sa.Text, nullable=False),
        sa.Column("owner", sa.Text),
    )
    standard = load_standard("1.0")
    for record in standard.record_types.values():
        table = record_table_name(record.name)
        op.create_table(table, *provenance_columns(), *field_columns(standard, record.name))
        op.create_index(f"{table}_submission", table, ["submission_id"])
        project = standard.roles.project
        if project in record.field_names:
            op.create_index(f"{table}_project", table, [identifier(project)])
