"""Indexes for the dashboard's and the API's filtered event queries.

The listings filter on a date range, an event type, a place or a bounding box and show
the latest first: the date beside the type, so that a type's latest events are read in
index order; an index for each way of naming a place (id, name, governorate); and one
on (lat, lon) through which a box's events are counted, and fetched when they are few
(see `watchfloor.serve.filters`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (name, columns) for each of the two event tables.
INDEXES = (
    ("event_type_date", ["event_type", "date"]),
    ("sub_event_type_date", ["sub_event_type", "date"]),
    ("place_id", ["place_id"]),
    ("place_name", ["place_name"]),
    ("admin1", ["admin1"]),
    ("lat_lon", ["lat", "lon"]),
)
TABLES = ("events", "fused_events")


def upgrade() -> None:
    """Create the query indexes."""
    for table in TABLES:
        for name, columns in INDEXES:
            op.create_index(f"ix_{table}_{name}", table, columns)


def downgrade() -> None:
    """Drop the query indexes."""
    for table in TABLES:
        for name, _ in INDEXES:
            op.drop_index(f"ix_{table}_{name}", table_name=table)
