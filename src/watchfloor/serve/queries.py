"""The API's SQL: filtered, paged event listings and the look-ups behind the pages.

Everything is SQLAlchemy Core: every value a request brings is a bound parameter,
never text formatted into SQL. A listing first finds one page of ids (planned by
`filters.plan_listing`), then reads those rows; its total is counted up to COUNT_CAP
and, on SQLite, for at most COUNT_SECONDS: past that, the total is a lower bound. So
a request's cost stays bounded however large the store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from watchfloor.serve.filters import (
    PROBE_CAP,
    EventFilter,
    Plan,
    interrupted,
    plan_listing,
    time_limit,
)
from watchfloor.store import schema

Kind = Literal["fused", "reports"]
COUNT_CAP = 10_000
COUNT_SECONDS = 0.01
ID_CHUNK = 5_000
E = schema.events.c
F = schema.fused_events.c
M = schema.fusion_members.c
A = schema.event_actors.c
C = schema.claims.c
AT = schema.attributions.c
D = schema.documents.c


@dataclass
class Page:
    """One page of a listing: its rows, and how many match (at most COUNT_CAP counted)."""

    items: list[dict[str, Any]]
    total: int
    total_exact: bool
    limit: int
    offset: int
    kind: Kind = "fused"
    more: bool = field(default=False)


def _table(kind: Kind) -> sa.Table:
    return schema.fused_events if kind == "fused" else schema.events


def _listing_columns(kind: Kind) -> list[sa.ColumnElement[Any]]:
    table = _table(kind)
    c = table.c
    common = [
        c.id,
        c.date,
        c.date_end,
        c.date_precision,
        c.event_type,
        c.sub_event_type,
        c.place_id,
        c.place_name,
        c.lat,
        c.lon,
        c.admin1,
        c.country,
        c.record,
    ]
    if kind == "fused":
        return [
            *common,
            c.n_sources,
            c.munitions_best.label("munitions"),
            c.fatalities_best.label("fatalities"),
        ]
    return [
        *common,
        c.document_id,
        c.munitions_count.label("munitions"),
        c.fatalities_min.label("fatalities"),
    ]


def list_events(
    connection: Connection,
    filters: EventFilter,
    *,
    kind: Kind = "fused",
    limit: int = 50,
    offset: int = 0,
    count: bool = True,
) -> Page:
    """One page of events (latest first) that meet the filters, and how many do."""
    table = _table(kind)
    plan = plan_listing(connection, table, filters)
    found = _matches(connection, table, plan) if plan.seek is not None else None
    if found is not None:
        ids = [str(row.id) for row in found[offset : offset + limit + 1]]
        total: tuple[int, bool] | None = (min(len(found), COUNT_CAP), len(found) <= COUNT_CAP)
    else:
        plan = plan_listing(connection, table, filters, scan=True)
        query = sa.select(table.c.id).where(*plan.where).order_by(*plan.order)
        ids = list(connection.execute(query.limit(limit + 1).offset(offset)).scalars())
        total = count_events(connection, table, plan.where) if count else None
    more = len(ids) > limit
    rows = _rows_by_id(connection, kind, ids[:limit])
    items = [listing_item(rows[i], kind) for i in ids[:limit] if i in rows]
    number, exact = total or (offset + len(items) + more, False)
    return Page(items, number, exact, limit, offset, kind, more)


def _matches(connection: Connection, table: sa.Table, plan: Plan) -> list[Any] | None:
    """A seek's matches, latest first, read whole and sorted here; None when a tentative
    seek finds PROBE_CAP or more (the scan is then the better plan).
    """
    query = sa.select(table.c.id, table.c.date).where(*plan.where)
    if plan.tentative:
        query = query.limit(PROBE_CAP)
    found = connection.execute(query).all()
    if plan.tentative and len(found) >= PROBE_CAP:
        return None
    return sorted(found, key=lambda row: (row.date, row.id), reverse=True)


def _rows_by_id(connection: Connection, kind: Kind, ids: Sequence[str]) -> dict[str, Any]:
    table = _table(kind)
    found: dict[str, Any] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chosen = ids[start : start + ID_CHUNK]
        query = sa.select(*_listing_columns(kind)).where(table.c.id.in_(chosen))
        found.update((row["id"], dict(row)) for row in connection.execute(query).mappings())
    return found


def event_records(
    connection: Connection, filters: EventFilter, *, kind: Kind = "fused", limit: int = 10_000
) -> list[dict[str, Any]]:
    """The JSON records of the events that meet the filters, latest first."""
    table = _table(kind)
    plan = plan_listing(connection, table, filters)
    if plan.tentative:
        plan = plan_listing(connection, table, filters, scan=True)
    query = sa.select(table.c.record).where(*plan.where).order_by(*plan.order).limit(limit)
    return [_record(value) for value in connection.execute(query).scalars()]


def count_events(
    connection: Connection, table: sa.Table, where: Sequence[sa.ColumnElement[bool]]
) -> tuple[int, bool] | None:
    """How many rows meet the conditions, counted up to COUNT_CAP, and whether exactly;
    None when counting takes longer than COUNT_SECONDS (on SQLite).
    """
    inner = sa.select(sa.literal(1)).select_from(table).where(*where).limit(COUNT_CAP + 1)
    query = sa.select(sa.func.count()).select_from(inner.subquery())
    try:
        with time_limit(connection, COUNT_SECONDS):
            found = int(connection.execute(query).scalar_one())
    except OperationalError as e:
        if not interrupted(e):
            raise
        return None
    return min(found, COUNT_CAP), found <= COUNT_CAP


def listing_item(row: Mapping[str, Any], kind: Kind) -> dict[str, Any]:
    """A listing row as JSON-ready values, with the actors and first sentence of its record."""
    record = _record(row["record"])
    event = record.get("event", record) if kind == "fused" else record
    item = {k: v for k, v in row.items() if k != "record"}
    item["date"] = _iso(item["date"])
    item["date_end"] = _iso(item["date_end"])
    item["kind"] = kind
    if kind == "reports":
        item["n_sources"] = 1
    item["actors"] = _actors(event)
    item["claimants"] = sorted({c.get("claimant_id", "") for c in event.get("claims", [])})
    item["attributed"] = sorted({a.get("actor_id", "") for a in event.get("attributions", [])})
    sources = event.get("sources") or []
    item["summary"] = sources[0].get("text", "") if sources else ""
    return item


def _record(value: Any) -> dict[str, Any]:
    found = json.loads(value) if isinstance(value, str | bytes) else value
    return found if isinstance(found, dict) else {}


def _actors(event: Mapping[str, Any]) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for actor in event.get("actors", []):
        key = (actor.get("actor_id", ""), actor.get("role", ""))
        seen.setdefault(key, {"actor_id": key[0], "name": actor.get("name", ""), "role": key[1]})
    return list(seen.values())


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


# -- look-ups for the pages --------------------------------------------------------------


def fused_id_of(connection: Connection, event_id: str) -> str | None:
    """The fused event a report event belongs to, if fusion has run."""
    query = sa.select(M.fused_id).where(M.event_id == event_id)
    found: str | None = connection.execute(query).scalar_one_or_none()
    return found


def documents_by_id(connection: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The documents with these ids, with their texts."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = sa.select(D.document_id, D.title, D.source, D.url, D.published, D.outlet, D.text)
    rows = connection.execute(query.where(D.document_id.in_(wanted))).mappings()
    return {row["document_id"]: dict(row) for row in rows}


def document_listing(connection: Connection, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Documents without their texts, latest ingest first, with their count of events."""
    events = (
        sa.select(sa.func.count())
        .where(E.document_id == D.document_id)
        .scalar_subquery()
        .label("events")
    )
    query = (
        sa.select(
            D.document_id,
            D.title,
            D.source,
            D.url,
            D.published,
            D.format,
            D.outlet,
            D.ingested_at,
            events,
        )
        .order_by(D.ingested_at.desc(), D.document_id)
        .limit(limit)
        .offset(offset)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def event_ids_of_document(connection: Connection, document_id: str) -> list[str]:
    """The ids of the report events extracted from a document."""
    query = sa.select(E.id).where(E.document_id == document_id).order_by(E.date, E.id)
    return [str(i) for i in connection.execute(query).scalars()]


def span_rows(connection: Connection, table: sa.Table, document_id: str) -> list[dict[str, Any]]:
    """Rows of a span-bearing table (claims, attributions, relations, ...) said in a document."""
    query = sa.select(table).where(table.c.document_id == document_id, table.c.start.is_not(None))
    return [dict(row) for row in connection.execute(query.order_by(table.c.start)).mappings()]


def claims_by(connection: Connection, actor_id: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """The actor's latest claims of responsibility, with each claimed event's date and type."""
    query = (
        sa.select(
            C.event_id,
            C.claimed_on,
            C.channel,
            C.document_id,
            C.text,
            E.date,
            E.sub_event_type,
            E.place_name,
        )
        .join(schema.events, E.id == C.event_id)
        .where(C.claimant_id == actor_id)
        .order_by(E.date.desc(), C.event_id)
        .limit(limit)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def attributions_of(
    connection: Connection, actor_id: str, *, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest attributions to the actor and by it, with each event's date and type."""
    query = (
        sa.select(
            AT.event_id,
            AT.actor_id,
            AT.by_actor_id,
            AT.estimative,
            AT.p_low,
            AT.p_high,
            AT.document_id,
            AT.text,
            E.date,
            E.sub_event_type,
            E.place_name,
        )
        .join(schema.events, E.id == AT.event_id)
        .where(sa.or_(AT.actor_id == actor_id, AT.by_actor_id == actor_id))
        .order_by(E.date.desc(), AT.event_id)
        .limit(limit)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def actor_names(connection: Connection, ids: Iterable[str] | None = None) -> dict[str, str]:
    """The actor ids that events name (all, or those of `ids`), with a name each went by."""
    query = sa.select(A.actor_id, sa.func.min(A.name)).group_by(A.actor_id)
    if ids is not None:
        query = query.where(A.actor_id.in_(sorted(set(ids))))
    return {str(i): str(n) for i, n in connection.execute(query)}


def actor_event_counts(connection: Connection) -> dict[str, int]:
    """How many report events name each actor (in any role)."""
    query = sa.select(A.actor_id, sa.func.count(sa.distinct(A.event_id))).group_by(A.actor_id)
    return {str(i): int(n) for i, n in connection.execute(query)}


def fingerprint(connection: Connection) -> tuple[Any, ...]:
    """What changes when the store does: documents, their latest ingest, fusion, corrections."""
    corrections = schema.fusion_corrections.c
    query = sa.select(
        sa.select(sa.func.count()).select_from(schema.documents).scalar_subquery(),
        sa.select(sa.func.max(D.ingested_at)).scalar_subquery(),
        sa.select(sa.func.max(corrections.id)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(schema.fusion_members).scalar_subquery(),
    )
    return tuple(connection.execute(query).one())


def kind_of(connection: Connection, event_id: str) -> Kind | None:
    """Whether an id is a fused event's or a reported event's; None when it is neither."""
    if connection.execute(sa.select(F.id).where(F.id == event_id)).first() is not None:
        return "fused"
    if connection.execute(sa.select(E.id).where(E.id == event_id)).first() is not None:
        return "reports"
    return None


def type_choices(connection: Connection) -> dict[str, list[str]]:
    """The event types and sub-event types on record, for the filter form."""
    found: dict[str, list[str]] = {}
    for name in ("event_type", "sub_event_type"):
        values = set(distinct_values(connection, F[name])) | set(
            distinct_values(connection, E[name])
        )
        found[name] = sorted(values)
    return found


def distinct_values(connection: Connection, column: sa.Column[Any]) -> list[Any]:
    """A column's distinct values, leaping through its index from one value to the next
    (a few index seeks per value, not a read of every row).
    """
    walk = sa.select(sa.func.min(column).label("value")).cte("walk", recursive=True)
    following = sa.select(sa.func.min(column)).where(column > walk.c.value).scalar_subquery()
    walk = walk.union_all(sa.select(following).where(walk.c.value.is_not(None)))
    query = sa.select(walk.c.value).where(walk.c.value.is_not(None))
    return list(connection.execute(query).scalars())


def latest_day(connection: Connection) -> dt.date | None:
    """The day of the latest event on record (fused, else reported), if any."""
    for table in (schema.fused_events, schema.events):
        found: dt.date | None = connection.execute(sa.select(sa.func.max(table.c.date))).scalar()
        if found is not None:
            return found
    return None
