"""The first schema: documents and everything extracted from them.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Written out here, not imported from schema.py: a migration must not change when
# the current schema does.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _row_id() -> sa.Column[Any]:
    return sa.Column("id", ROW_ID, primary_key=True, autoincrement=True)


def _document_fk(table: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(
        "document_id",
        sa.String(),
        sa.ForeignKey(
            "documents.document_id",
            name=f"fk_{table}_document_id_documents",
            ondelete="CASCADE",
        ),
        nullable=nullable,
    )


def _event_fk(table: str) -> sa.Column[Any]:
    return sa.Column(
        "event_id",
        sa.String(),
        sa.ForeignKey("events.id", name=f"fk_{table}_event_id_events", ondelete="CASCADE"),
        nullable=False,
    )


def _span() -> list[sa.Column[Any]]:
    return [
        sa.Column("start", sa.Integer()),
        sa.Column("end", sa.Integer()),
        sa.Column("text", sa.Text()),
    ]


def _index(table: str, column: str) -> None:
    op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("outlet", sa.Text()),
        sa.Column("author", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_documents"),
        sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(), nullable=False),
        _document_fk("events"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date()),
        sa.Column("date_precision", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column("sub_event_type", sa.String(), nullable=False),
        sa.Column("disorder_type", sa.String()),
        sa.Column("place_id", sa.String()),
        sa.Column("place_name", sa.Text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("admin1", sa.Text()),
        sa.Column("country", sa.Text()),
        sa.Column("geo_precision", sa.Integer()),
        sa.Column("weapon", sa.String()),
        sa.Column("munitions_count", sa.Integer()),
        sa.Column("munitions_qualifier", sa.String()),
        sa.Column("fatalities_min", sa.Integer()),
        sa.Column("fatalities_max", sa.Integer()),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    for column in ("document_id", "date", "sub_event_type"):
        _index("events", column)

    op.create_table(
        "event_actors",
        _row_id(),
        _event_fk("event_actors"),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event_actors"),
    )
    _index("event_actors", "event_id")
    _index("event_actors", "actor_id")

    op.create_table(
        "claims",
        _row_id(),
        _event_fk("claims"),
        sa.Column("claimant_id", sa.String(), nullable=False),
        sa.Column("claimed_on", sa.Date()),
        sa.Column("channel", sa.Text()),
        sa.Column("document_id", sa.String(), nullable=False),
        *_span(),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    _index("claims", "event_id")
    _index("claims", "claimant_id")

    op.create_table(
        "attributions",
        _row_id(),
        _event_fk("attributions"),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("by_actor_id", sa.String()),
        sa.Column("estimative", sa.Text()),
        sa.Column("p_low", sa.Float()),
        sa.Column("p_high", sa.Float()),
        sa.Column("document_id", sa.String(), nullable=False),
        *_span(),
        sa.PrimaryKeyConstraint("id", name="pk_attributions"),
    )
    _index("attributions", "event_id")

    op.create_table(
        "mentions",
        _row_id(),
        _document_fk("mentions"),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("resolved_id", sa.String()),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
    )
    _index("mentions", "document_id")

    op.create_table(
        "candidate_actors",
        _row_id(),
        sa.Column("actor_id", sa.String(), nullable=False),
        _document_fk("candidate_actors"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_candidate_actors"),
    )
    _index("candidate_actors", "document_id")

    op.create_table(
        "relations",
        _row_id(),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("relation", sa.String(), nullable=False),
        sa.Column("object", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        _document_fk("relations", nullable=True),
        sa.Column("estimative", sa.Text()),
        *_span(),
        sa.PrimaryKeyConstraint("id", name="pk_relations"),
    )
    _index("relations", "document_id")

    op.create_table(
        "judgments",
        sa.Column("id", sa.String(), nullable=False),
        _document_fk("judgments"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("p_low", sa.Float(), nullable=False),
        sa.Column("p_high", sa.Float(), nullable=False),
        sa.Column("start", sa.Integer()),
        sa.Column("end", sa.Integer()),
        sa.Column("span_text", sa.Text()),
        sa.Column("outcome", sa.Boolean()),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_judgments"),
    )
    _index("judgments", "document_id")

    op.create_table(
        "key_dates",
        _row_id(),
        _document_fk("key_dates", nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("actor_ids", sa.JSON(), nullable=False),
        *_span(),
        sa.PrimaryKeyConstraint("id", name="pk_key_dates"),
    )
    _index("key_dates", "document_id")


def downgrade() -> None:
    for table in (
        "key_dates",
        "judgments",
        "relations",
        "candidate_actors",
        "mentions",
        "attributions",
        "claims",
        "event_actors",
        "events",
        "documents",
    ):
        op.drop_table(table)
