"""Indexes for the dashboard's and the API's filtered event queries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the query indexes (filled in with the API's queries)."""


def downgrade() -> None:
    """Drop the query indexes."""
