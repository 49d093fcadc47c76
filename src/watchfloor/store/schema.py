"""The tables, as SQLAlchemy Core `Table`s; migration 0001 creates the same ones.

Columns hold what the analysis stages filter and group on; `events.record` and
`candidate_actors.record` hold the whole record as JSON, so nothing is lost.
Every extracted row carries the `document_id` it was extracted from, so that
deleting a document (or re-extracting it) takes its rows with it.

>>> sorted(metadata.tables)[:3]
['attributions', 'candidate_actors', 'claims']
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

# A 64-bit row id, except on SQLite where only INTEGER PRIMARY KEY autoincrements.
RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _row_id() -> sa.Column[int]:
    return sa.Column("id", RowId, primary_key=True, autoincrement=True)


def _document_fk(*, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(
        "document_id",
        sa.String,
        sa.ForeignKey("documents.document_id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


def _event_fk() -> sa.Column[str]:
    return sa.Column(
        "event_id",
        sa.String,
        sa.ForeignKey("events.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _span() -> list[sa.Column[Any]]:
    """The span columns: where in its document a value is said, and the words."""
    return [
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("text", sa.Text),
    ]


documents = sa.Table(
    "documents",
    metadata,
    sa.Column("document_id", sa.String, primary_key=True),
    sa.Column("content_hash", sa.String, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("language", sa.String, nullable=False),
    sa.Column("format", sa.String, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    _document_fk(),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("date_end", sa.Date),
    sa.Column("date_precision", sa.String, nullable=False),
    sa.Column("event_type", sa.String, nullable=False),
    sa.Column("sub_event_type", sa.String, nullable=False, index=True),
    sa.Column("disorder_type", sa.String),
    sa.Column("place_id", sa.String),
    sa.Column("place_name", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("admin1", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("weapon", sa.String),
    sa.Column("munitions_count", sa.Integer),
    sa.Column("munitions_qualifier", sa.String),
    sa.Column("fatalities_min", sa.Integer),
    sa.Column("fatalities_max", sa.Integer),
    sa.Column("record", sa.JSON, nullable=False),
    # The API's filtered listings (migration 0003).
    sa.Index("ix_events_event_type_date", "event_type", "date"),
    sa.Index("ix_events_sub_event_type_date", "sub_event_type", "date"),
    sa.Index("ix_events_place_id", "place_id"),
    sa.Index("ix_events_place_name", "place_name"),
    sa.Index("ix_events_admin1", "admin1"),
    sa.Index("ix_events_lat_lon", "lat", "lon"),
)

event_actors = sa.Table(
    "event_actors",
    metadata,
    _row_id(),
    _event_fk(),
    sa.Column("actor_id", sa.String, nullable=False, index=True),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
)

claims = sa.Table(
    "claims",
    metadata,
    _row_id(),
    _event_fk(),
    sa.Column("claimant_id", sa.String, nullable=False, index=True),
    sa.Column("claimed_on", sa.Date),
    sa.Column("channel", sa.Text),
    # The document that reports the claim: not a foreign key, it may not be stored.
    sa.Column("document_id", sa.String, nullable=False),
    *_span(),
)

attributions = sa.Table(
    "attributions",
    metadata,
    _row_id(),
    _event_fk(),
    sa.Column("actor_id", sa.String, nullable=False),
    sa.Column("by_actor_id", sa.String),
    sa.Column("estimative", sa.Text),
    sa.Column("p_low", sa.Float),
    sa.Column("p_high", sa.Float),
    sa.Column("document_id", sa.String, nullable=False),
    *_span(),
)

mentions = sa.Table(
    "mentions",
    metadata,
    _row_id(),
    _document_fk(),
    sa.Column("surface", sa.Text, nullable=False),
    sa.Column("label", sa.String, nullable=False),
    sa.Column("resolved_id", sa.String),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

candidate_actors = sa.Table(
    "candidate_actors",
    metadata,
    _row_id(),
    sa.Column("actor_id", sa.String, nullable=False),
    _document_fk(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
)

relations = sa.Table(
    "relations",
    metadata,
    _row_id(),
    sa.Column("subject", sa.String, nullable=False),
    sa.Column("relation", sa.String, nullable=False),
    sa.Column("object", sa.String, nullable=False),
    sa.Column("source", sa.String, nullable=False),
    _document_fk(nullable=True),
    sa.Column("estimative", sa.Text),
    *_span(),
)

judgments = sa.Table(
    "judgments",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    _document_fk(),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("term", sa.String, nullable=False),
    sa.Column("p_low", sa.Float, nullable=False),
    sa.Column("p_high", sa.Float, nullable=False),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    # `text` is the judgment itself; the span's own words go here.
    sa.Column("span_text", sa.Text),
    sa.Column("outcome", sa.Boolean),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
)

key_dates = sa.Table(
    "key_dates",
    metadata,
    _row_id(),
    _document_fk(nullable=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("actor_ids", sa.JSON, nullable=False),
    *_span(),
)

fused_events = sa.Table(
    "fused_events",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("date_end", sa.Date),
    sa.Column("date_precision", sa.String, nullable=False),
    sa.Column("event_type", sa.String, nullable=False),
    sa.Column("sub_event_type", sa.String, nullable=False, index=True),
    sa.Column("place_id", sa.String),
    sa.Column("place_name", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("admin1", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("munitions_best", sa.Integer),
    sa.Column("munitions_min", sa.Integer),
    sa.Column("munitions_max", sa.Integer),
    sa.Column("munitions_rule", sa.Text),
    sa.Column("fatalities_best", sa.Integer),
    sa.Column("fatalities_min", sa.Integer),
    sa.Column("fatalities_max", sa.Integer),
    sa.Column("fatalities_rule", sa.Text),
    sa.Column("n_sources", sa.Integer, nullable=False),
    # The fused Event, and its figure estimates with every source's value.
    sa.Column("record", sa.JSON, nullable=False),
    # The API's filtered listings (migration 0003).
    sa.Index("ix_fused_events_event_type_date", "event_type", "date"),
    sa.Index("ix_fused_events_sub_event_type_date", "sub_event_type", "date"),
    sa.Index("ix_fused_events_place_id", "place_id"),
    sa.Index("ix_fused_events_place_name", "place_name"),
    sa.Index("ix_fused_events_admin1", "admin1"),
    sa.Index("ix_fused_events_lat_lon", "lat", "lon"),
)

fusion_members = sa.Table(
    "fusion_members",
    metadata,
    sa.Column(
        "fused_id",
        sa.String,
        sa.ForeignKey("fused_events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "event_id",
        sa.String,
        sa.ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

fusion_corrections = sa.Table(
    "fusion_corrections",
    metadata,
    _row_id(),
    sa.Column("kind", sa.String, nullable=False),
    # Groups of event ids: a merge's one group goes together, a split's groups apart.
    sa.Column("event_ids", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Parents before children: the order rows are inserted in, and counted in.
# -- statements (migration 0004) -------------------------------------------------------

# What actors said: columns to filter on, and the whole Statement as JSON. Narrative
# themes are not stored: they are computed from the words when asked, so that editing
# a theme needs no re-extraction.
statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    _document_fk(),
    sa.Column("speaker_id", sa.String, nullable=False, index=True),
    sa.Column("on_behalf_of", sa.String, index=True),
    sa.Column("role", sa.String),
    sa.Column("kind", sa.String, nullable=False, index=True),
    sa.Column("date", sa.Date, index=True),
    sa.Column("deadline", sa.Date),
    sa.Column("channel", sa.String),
    sa.Column("outlet", sa.Text),
    sa.Column("anonymous", sa.Boolean, nullable=False),
    *_span(),
    sa.Column("record", sa.JSON, nullable=False),
)

TABLES = (
    documents,
    events,
    event_actors,
    claims,
    attributions,
    mentions,
    candidate_actors,
    relations,
    judgments,
    key_dates,
    statements,
)

# Fusion's tables: rebuilt from the events (and the analysts' corrections) by `refuse`.
FUSION_TABLES = (fused_events, fusion_members, fusion_corrections)
