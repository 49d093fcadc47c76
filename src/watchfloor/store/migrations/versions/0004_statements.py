"""Statements: what actors said, with speaker, kind, date and words.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Written out here, not imported from schema.py: a migration must not change when
# the current schema does.
INDEXED = ("document_id", "speaker_id", "on_behalf_of", "kind", "date")


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("speaker_id", sa.String(), nullable=False),
        sa.Column("on_behalf_of", sa.String()),
        sa.Column("role", sa.String()),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("date", sa.Date()),
        sa.Column("deadline", sa.Date()),
        sa.Column("channel", sa.String()),
        sa.Column("outlet", sa.Text()),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("start", sa.Integer()),
        sa.Column("end", sa.Integer()),
        sa.Column("text", sa.Text()),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.document_id"],
            name="fk_statements_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
    )
    for column in INDEXED:
        op.create_index(f"ix_statements_{column}", "statements", [column])


def downgrade() -> None:
    for column in INDEXED:
        op.drop_index(f"ix_statements_{column}", table_name="statements")
    op.drop_table("statements")
