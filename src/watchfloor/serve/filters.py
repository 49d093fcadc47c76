"""Event filters, and how a filtered listing is planned so that it stays fast on big stores.

A listing shows the latest events first. Two plans answer it:

- scan: walk the events by date (the date index, or a type's (type, date) index) and
  test each against the filters, stopping at the page's end. Fast whenever the filters
  match a fair share of events, whatever the store's size.
- seek: fetch the few events that a selective filter (an actor, a claimant, a place, a
  box) matches through its index, then sort them by date. Its cost grows with the
  matches, the scan's with the events per match: on a million events they cross at a
  few thousand matches, hence PROBE_CAP.

A probe counts each selective filter's matches through its index, up to PROBE_CAP; if
one matches fewer, the listing seeks through it, else it scans. A box's probe stops
after BOX_PROBE_SECONDS, and its seek is tentative: at most PROBE_CAP matches are
read, and when there are more, the listing scans. On SQLite, which keeps no statistics
of values, each plan's unwanted indexes are hidden from its planner with a unary plus;
PostgreSQL's planner has the statistics to choose on its own.

>>> EventFilter.of(types=["Armed clash"], bbox="43,32,46,35").bbox
BBox(west=43.0, south=32.0, east=46.0, north=35.0)
"""

from __future__ import annotations

import datetime as dt
import json
import time
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from watchfloor.model import Place
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import schema

PROBE_CAP = 2_500
# How many SQLite VM steps between two looks at the clock.
PROGRESS_STEPS = 2_000
SELECTIVE = ("actor", "claimant", "place", "bbox")
M = schema.fusion_members.c
A = schema.event_actors.c
C = schema.claims.c
AT = schema.attributions.c
Condition = sa.ColumnElement[bool]


@dataclass(frozen=True)
class BBox:
    """A bounding box in degrees: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """Read 'west,south,east,north'; ValueError when it is not a box on Earth.

        >>> BBox.parse("44.0, 33.0, 45.0, 34.0").north
        34.0
        """
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 4:
            raise ValueError(f"a bounding box is west,south,east,north; got {text!r}")
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError as e:
            raise ValueError(f"a bounding box holds four numbers; got {text!r}") from e
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise ValueError(f"not a box with west <= east and south <= north in degrees: {text!r}")
        return cls(west, south, east, north)


@dataclass(frozen=True)
class EventFilter:
    """What an event listing is narrowed to; empty fields do not filter."""

    since: dt.date | None = None
    until: dt.date | None = None
    types: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actor: str | None = None
    claimant: str | None = None
    place: str | None = None
    bbox: BBox | None = None
    text: str | None = None
    located: bool = False
    # Other spellings of `place` that the store may hold (ids, names, governorates).
    place_terms: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        types: Iterable[str] = (),
        event_types: Iterable[str] = (),
        actor: str | None = None,
        claimant: str | None = None,
        place: str | None = None,
        bbox: str | None = None,
        text: str | None = None,
        places: Iterable[Place] = (),
    ) -> EventFilter:
        """A filter from request values: blanks dropped, the box parsed, the place looked up
        among `places` (the knowledge base's) for its other spellings.

        >>> found = EventFilter.of(actor="", types=["", "Armed clash"])
        >>> found.actor, found.types
        (None, ('Armed clash',))
        """
        return cls(
            since=since,
            until=until,
            types=tuple(t.strip() for t in types if t.strip()),
            event_types=tuple(t.strip() for t in event_types if t.strip()),
            actor=_blank_none(actor),
            claimant=_blank_none(claimant),
            place=_blank_none(place),
            place_terms=place_terms(place, places) if _blank_none(place) else (),
            bbox=BBox.parse(bbox) if bbox and bbox.strip() else None,
            text=_blank_none(text),
        )


def place_terms(place: str | None, places: Iterable[Place]) -> tuple[str, ...]:
    """The ids, names and governorates a place may be stored under: as typed, title-cased,
    and every gazetteer place it names (by id, name or alias, any case).

    >>> balad = Place(place_id="balad-airbase", name="Balad Air Base", aliases=["Balad"],
    ...               admin1="Saladin")
    >>> place_terms("balad", [balad])
    ('Balad', 'Balad Air Base', 'balad', 'balad-airbase')
    >>> place_terms("saladin", [balad])
    ('Saladin', 'saladin')
    """
    typed = (place or "").strip()
    wanted = typed.lower()
    found = {typed, typed.title()}
    for known in places:
        names = {known.name, *known.aliases, known.place_id or ""}
        if wanted in {n.lower() for n in names}:
            found |= {known.place_id or known.name, known.name}
        if known.admin1 and known.admin1.lower() == wanted:
            found.add(known.admin1)
    return tuple(sorted(found - {""}))


def _blank_none(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _field_names(model: type[BaseModel]) -> set[str]:
    """The names of a model's fields and of the fields of the models inside it."""
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in typing.get_args(info.annotation) or (info.annotation,):
            for kind in typing.get_args(inner) or (inner,):
                if isinstance(kind, type) and issubclass(kind, BaseModel) and kind is not model:
                    names |= _field_names(kind)
    return names


# The JSON records' keys: words inside them would match every record, not its values.
RECORD_KEYS = " ".join(sorted(_field_names(FusedEvent)))
JSON_PUNCTUATION = '{}[]":, \\'


def _mentions(table: sa.Table, text: str) -> Condition:
    """Words in the place, the types, or anywhere in the record's values (any ASCII case).

    The record is stored as JSON text with non-ASCII characters escaped, so the words
    are escaped the same way before they are looked for; words that are part of a
    field's name are looked for in the columns only.
    """
    c, lowered = table.c, text.lower()
    columns = [c.place_name, c.admin1, c.sub_event_type, c.event_type]
    found = [sa.func.lower(column).contains(lowered, autoescape=True) for column in columns]
    escaped = json.dumps(lowered)[1:-1]
    if escaped.strip(JSON_PUNCTUATION) and escaped not in RECORD_KEYS:
        found.append(sa.func.lower(sa.cast(c.record, sa.Text)).contains(escaped, autoescape=True))
    return sa.or_(*found)


@dataclass(frozen=True)
class Plan:
    """How to list: the WHERE conditions and the ORDER BY, and the filter sought through.

    A tentative seek (a box, whose matches no cheap probe counts) reads at most PROBE_CAP
    matches; when there are more, the listing scans instead.
    """

    where: list[Condition]
    order: list[sa.ColumnElement[Any]]
    seek: str | None = None
    tentative: bool = False


# How long a box's probe may count; one cut short found few matches in a crowded band.
BOX_PROBE_SECONDS = 0.015


def plan_listing(
    connection: Connection, table: sa.Table, filters: EventFilter, *, scan: bool = False
) -> Plan:
    """The plan for a filtered, latest-first listing of `table` (events or fused_events);
    `scan` asks for the scan plan whatever the filters.
    """
    hints = connection.dialect.name == "sqlite"
    active = [] if scan else [name for name in SELECTIVE if getattr(filters, name)]
    probes = {name: probe(connection, table, filters, name) for name in active}
    few = [name for name, found in probes.items() if found < PROBE_CAP]
    if not few:
        return _plan(table, filters, None, hints=hints)
    chosen = min(few, key=lambda name: probes[name])
    return _plan(table, filters, chosen, hints=hints, tentative=chosen == "bbox")


def _plan(
    table: sa.Table, filters: EventFilter, seek: str | None, *, hints: bool, tentative: bool = False
) -> Plan:
    hidden = _hide if hints else _keep
    where = _base(table, filters, hidden if seek else _keep)
    for name in SELECTIVE:
        if getattr(filters, name):
            where.append(_selective(table, filters, name, seek=name == seek, hidden=hidden))
    if filters.text:
        where.append(_mentions(table, filters.text))
    if filters.located:
        where += [table.c.lat.is_not(None), table.c.lon.is_not(None)]
    day = hidden(table.c.date) if seek else table.c.date
    return Plan(where, [day.desc(), table.c.id.desc()], seek, tentative)


def conditions(table: sa.Table, filters: EventFilter) -> list[Condition]:
    """The WHERE conditions of a filter, planless (indexes free for the database to pick).

    >>> [str(c) for c in conditions(schema.events, EventFilter(types=("Armed clash",)))]
    ['events.sub_event_type IN (__[POSTCOMPILE_sub_event_type_1])']
    """
    where = _base(table, filters, _keep)
    where += [
        _selective(table, filters, name, seek=True, hidden=_keep)
        for name in SELECTIVE
        if getattr(filters, name)
    ]
    if filters.text:
        where.append(_mentions(table, filters.text))
    if filters.located:
        where += [table.c.lat.is_not(None), table.c.lon.is_not(None)]
    return where


Hide = Callable[[sa.ColumnElement[Any]], sa.ColumnElement[Any]]


def _keep(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return column


def _hide(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The column behind a unary plus: the same value, but SQLite uses no index for it."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _base(table: sa.Table, filters: EventFilter, hidden: Hide) -> list[Condition]:
    """Dates and types: what the scan plan walks in index order."""
    c, found = table.c, []
    if filters.since is not None:
        found.append(hidden(c.date) >= filters.since)
    if filters.until is not None:
        found.append(hidden(c.date) <= filters.until)
    if filters.types:
        found.append(hidden(c.sub_event_type).in_(filters.types))
    if filters.event_types:
        found.append(hidden(c.event_type).in_(filters.event_types))
    return found


def _selective(
    table: sa.Table, filters: EventFilter, name: str, *, seek: bool, hidden: Hide
) -> Condition:
    """One selective filter: through its index when sought, else as a test on each row."""
    show = _keep if seek else hidden
    if name == "place":
        terms = sorted({filters.place or "", *filters.place_terms} - {""})
        c = table.c
        return sa.or_(
            show(c.place_id).in_(terms), show(c.place_name).in_(terms), show(c.admin1).in_(terms)
        )
    box = filters.bbox
    if name == "bbox" and box is not None:
        return sa.and_(
            show(table.c.lat).between(box.south, box.north),
            show(table.c.lon).between(box.west, box.east),
        )
    actor = str(getattr(filters, name))
    if seek:
        sources = _actor_sources(actor, claims_only=name == "claimant")
        return _of_events(table, sa.union(*(sa.select(s.c.event_id).where(w) for s, w in sources)))
    return _in_record(table, actor, claims_only=name == "claimant")


def _in_record(table: sa.Table, actor: str, *, claims_only: bool) -> Condition:
    """Whether the row's JSON record names the actor (a test on each row, for the scan).

    The record holds the event's actors, claims and attributions (a fused event's: those
    of all its reports), as json.dumps writes them: `"actor_id": "<id>"` in actors and
    attributions (not `by_actor_id`, which no quote precedes), `"claimant_id": "<id>"`
    in claims. Reading it beats looking each row's event up in three tables.
    """
    keys = ["claimant_id"] if claims_only else ["actor_id", "claimant_id"]
    record = sa.cast(table.c.record, sa.Text)
    return sa.or_(
        *(record.contains(f'"{key}": {json.dumps(actor)}', autoescape=True) for key in keys)
    )


def _actor_sources(actor: str, *, claims_only: bool) -> list[tuple[sa.Table, Condition]]:
    """Where an actor's part in an event is recorded: roles, claims, attributions.

    A claimant is one with a claim of responsibility on record (extraction also lists
    it among the event's actors, as claimant).
    """
    if claims_only:
        return [(schema.claims, C.claimant_id == actor)]
    return [
        (schema.event_actors, A.actor_id == actor),
        (schema.claims, C.claimant_id == actor),
        (schema.attributions, AT.actor_id == actor),
    ]


def _of_events(table: sa.Table, event_ids: sa.CompoundSelect[Any]) -> Condition:
    """Rows of `table` that are, or fuse, one of these report events (through the indexes)."""
    if table is schema.events:
        return table.c.id.in_(event_ids)
    return table.c.id.in_(sa.select(M.fused_id).where(M.event_id.in_(event_ids)))


def probe(connection: Connection, table: sa.Table, filters: EventFilter, name: str) -> int:
    """How many events one selective filter matches, counted through its index up to PROBE_CAP.

    A box's count stops after BOX_PROBE_SECONDS: its index is sorted by latitude, so a
    count that long has walked a crowded band of latitude and found few of its events
    in the box; it is taken as PROBE_CAP - 1 (few, but the most of the few).
    """
    if name in ("actor", "claimant"):
        actor = str(getattr(filters, name))
        sources = _actor_sources(actor, claims_only=name == "claimant")
        # Attributions have no index on the actor; the extractor also names the attributed
        # actor among the event's actors, so the roles and the claims tell the size.
        found = 0
        for source, where in sources:
            if source is not schema.attributions and found < PROBE_CAP:
                found += _count(connection, source, where, PROBE_CAP - found)
        return found
    condition = _selective(table, filters, name, seek=True, hidden=_keep)
    if name != "bbox":
        return _count(connection, table, condition, PROBE_CAP)
    try:
        with time_limit(connection, BOX_PROBE_SECONDS):
            return _count(connection, table, condition, PROBE_CAP)
    except OperationalError as e:
        if not interrupted(e):
            raise
        return PROBE_CAP - 1


def interrupted(error: OperationalError) -> bool:
    """Whether SQLite stopped the statement because its time was up."""
    return "interrupted" in str(error.orig)


@contextmanager
def time_limit(connection: Connection, seconds: float) -> Iterator[None]:
    """On SQLite, interrupt a statement still running after `seconds` ('interrupted')."""
    raw = connection.connection.driver_connection
    handler = getattr(raw, "set_progress_handler", None)
    if connection.dialect.name != "sqlite" or handler is None:
        yield
        return
    deadline = time.monotonic() + seconds
    handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
    try:
        yield
    finally:
        handler(None, 0)


def _count(connection: Connection, table: sa.Table, where: Condition, cap: int) -> int:
    """Rows that meet the condition, up to cap (selecting a constant keeps it in the index)."""
    inner = sa.select(sa.literal(1)).select_from(table).where(where).limit(cap)
    query = sa.select(sa.func.count()).select_from(inner.subquery())
    return int(connection.execute(query).scalar_one())
