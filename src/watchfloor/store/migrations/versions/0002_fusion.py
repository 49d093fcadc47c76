"""Event fusion: fused events, their member events, and analysts' corrections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out here, not imported from schema.py: a migration must not change when
# the current schema does.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _figure(name: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{name}_best", sa.Integer()),
        sa.Column(f"{name}_min", sa.Integer()),
        sa.Column(f"{name}_max", sa.Integer()),
        sa.Column(f"{name}_rule", sa.Text()),
    ]


def upgrade() -> None:
    op.create_table(
        "fused_events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date()),
        sa.Column("date_precision", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column("sub_event_type", sa.String(), nullable=False),
        sa.Column("place_id", sa.String()),
        sa.Column("place_name", sa.Text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("admin1", sa.Text()),
        sa.Column("country", sa.Text()),
        sa.Column("geo_precision", sa.Integer()),
        *_figure("munitions"),
        *_figure("fatalities"),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fused_events"),
    )
    op.create_index("ix_fused_events_date", "fused_events", ["date"])
    op.create_index("ix_fused_events_sub_event_type", "fused_events", ["sub_event_type"])

    op.create_table(
        "fusion_members",
        sa.Column("fused_id", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fused_id"],
            ["fused_events.id"],
            name="fk_fusion_members_fused_id_fused_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_fusion_members_event_id_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("fused_id", "event_id", name="pk_fusion_members"),
    )
    op.create_index("ix_fusion_members_event_id", "fusion_members", ["event_id"])

    op.create_table(
        "fusion_corrections",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("event_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fusion_corrections"),
    )


def downgrade() -> None:
    for table in ("fusion_corrections", "fusion_members", "fused_events"):
        op.drop_table(table)
