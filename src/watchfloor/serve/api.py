"""The JSON API under /api, documented by OpenAPI at /docs and /openapi.json."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from watchfloor.model import Event
from watchfloor.pipeline import IngestSummary
from watchfloor.report.export import event_row
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.serve import queries, records, views
from watchfloor.serve.filters import EventFilter
from watchfloor.serve.models import EventPage
from watchfloor.serve.reading import document_view
from watchfloor.serve.security import token_problem
from watchfloor.serve.state import ServeState

router = APIRouter(prefix="/api", tags=["api"])
MAX_OFFSET = 100_000
MAX_DOWNLOAD = 100_000
TEXT = Annotated[str | None, Query(max_length=200)]
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


async def get_state(request: Request) -> ServeState:
    """The app's ServeState (a dependency; async, so that it runs without a thread hop)."""
    state: ServeState = request.app.state.desk
    return state


State = Annotated[ServeState, Depends(get_state)]


def parse_day(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD parameter as a date (None when blank); 422 when it is not one.

    >>> parse_day("2020-03-11", "since"), parse_day("", "since")
    (datetime.date(2020, 3, 11), None)
    """
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as e:
        raise HTTPException(422, f"{name}: not a date in the form YYYY-MM-DD: {value!r}") from e


async def event_filter(
    state: State,
    since: Annotated[
        str | None, Query(max_length=10, description="First day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, Query(max_length=10, description="Last day (YYYY-MM-DD).")] = None,
    type: Annotated[
        list[str] | None, Query(max_length=200, description="ACLED sub-event types.")
    ] = None,
    event_type: Annotated[
        list[str] | None, Query(max_length=200, description="ACLED event types.")
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="An actor id in any role.")
    ] = None,
    claimant: Annotated[
        str | None,
        Query(max_length=200, description="An actor id with a claim of the event on record."),
    ] = None,
    place: Annotated[
        str | None,
        Query(max_length=200, description="A place id, name or alias, or a governorate."),
    ] = None,
    bbox: Annotated[
        str | None, Query(max_length=100, description="west,south,east,north in degrees.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words in the event's record.")
    ] = None,
) -> EventFilter:
    """The event filters of a request (a dependency shared by the API and the pages)."""
    try:
        return EventFilter.of(
            since=parse_day(since, "since"),
            until=parse_day(until, "until"),
            types=type or (),
            event_types=event_type or (),
            actor=actor,
            claimant=claimant,
            place=place,
            bbox=bbox,
            text=q,
            places=state.kb().places.values() if place else (),
        )
    except ValueError as e:
        raise HTTPException(422, str(e)) from e


Filters = Annotated[EventFilter, Depends(event_filter)]
KindQuery = Annotated[
    queries.Kind, Query(description="fused: one per real event (default); reports: one per report.")
]


@router.get("/events", response_model=EventPage)
def list_events(
    state: State,
    filters: Filters,
    kind: KindQuery = "fused",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Events that meet the filters, latest first, one page at a time."""
    with state.connect() as connection:
        page = queries.list_events(connection, filters, kind=kind, limit=limit, offset=offset)
    return {
        "kind": page.kind,
        "total": page.total,
        "total_exact": page.total_exact,
        "limit": page.limit,
        "offset": page.offset,
        "more": page.more,
        "items": page.items,
    }


@router.get("/events.csv", response_class=Response)
def events_csv(
    state: State,
    filters: Filters,
    kind: KindQuery = "fused",
    limit: Annotated[int, Query(ge=1, le=MAX_DOWNLOAD)] = 10_000,
) -> Response:
    """The filtered events as CSV (the columns of `watchfloor events --format csv`)."""
    with state.connect() as connection:
        records = queries.event_records(connection, filters, kind=kind, limit=limit)
    out = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for record in records:
        row = _csv_row(record, kind)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="events.csv"'},
    )


def _csv_row(record: dict[str, Any], kind: queries.Kind) -> dict[str, Any]:
    if kind == "fused":
        fused = FusedEvent.model_validate(record)
        row = {**event_row(fused.event), "id": fused.id, "n_sources": fused.n_sources}
    else:
        row = {**event_row(Event.model_validate(record)), "n_sources": 1}
    return {k: defuse_formula(v) for k, v in row.items()}


def defuse_formula(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, quoted so that it is not.

    >>> defuse_formula("=HYPERLINK(1)"), defuse_formula(-3.5), defuse_formula("Baghdad")
    ("'=HYPERLINK(1)", -3.5, 'Baghdad')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@router.get("/events.geojson")
def events_geojson(
    state: State,
    filters: Filters,
    kind: KindQuery = "fused",
    limit: Annotated[int, Query(ge=1, le=MAX_DOWNLOAD)] = 10_000,
) -> JSONResponse:
    """The filtered events that have coordinates, as a GeoJSON FeatureCollection."""
    located = dataclasses.replace(filters, located=True)
    with state.connect() as connection:
        page = queries.list_events(connection, located, kind=kind, limit=limit, count=False)
    features = [
        {
            "type": "Feature",
            "id": item["id"],
            "geometry": {"type": "Point", "coordinates": [item["lon"], item["lat"]]},
            "properties": {k: v for k, v in item.items() if k not in ("lat", "lon")},
        }
        for item in page.items
    ]
    return JSONResponse(
        {"type": "FeatureCollection", "features": features},
        media_type="application/geo+json",
        headers={"Content-Disposition": 'inline; filename="events.geojson"'},
    )


@router.get("/events/{event_id}")
def one_event(state: State, event_id: str) -> dict[str, Any]:
    """One fused or reported event: members, sources in context, claims, attributions."""
    found = records.event_view(state, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return found


@router.get("/actors")
def actors(state: State) -> list[dict[str, Any]]:
    """Every actor known or seen: id, name, kind, whether a candidate, events on record."""
    return records.actor_list(state)


@router.get("/actors/{actor_id}")
def one_actor(state: State, actor_id: str) -> dict[str, Any]:
    """One actor: aliases, relations, claims, attributions, latest events, signature."""
    found = records.actor_view(state, actor_id)
    if found is None:
        raise HTTPException(404, f"no actor {actor_id!r}")
    return found


@router.get("/network")
def network(state: State, ego: TEXT = None) -> dict[str, Any]:
    """The actor network (nodes with a layout and centrality, edges with their sources)."""
    found = views.network_view(state, ego=ego or None)
    if found is None:
        raise HTTPException(404, f"{ego!r} has no relations on record")
    return found


@router.get("/tempo")
def tempo(
    state: State,
    freq: Annotated[str, Query(pattern="^[DWM]$")] = "W",
    type: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Attacks per period (fused events), coverage, fitted level, and the assessment."""
    return views.tempo_view(state, freq=freq, types=tuple(type or ()))


@router.get("/outlook")
def outlook(
    state: State,
    as_of: Annotated[str | None, Query(max_length=10)] = None,
    days: Annotated[int, Query(ge=1, le=366)] = 14,
) -> dict[str, Any]:
    """The forecast for the coming days, the key dates in them, and the indicators."""
    start = parse_day(as_of, "as_of") or dt.date.today()
    return views.outlook_view(state, as_of=start, days=days)


@router.get("/alerts")
def alerts(state: State, limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> list[dict[str, Any]]:
    """The alerts that the indicators raise over the fused events, newest first."""
    return views.alerts_view(state, limit=limit)


@router.get("/documents")
def documents(
    state: State,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[dict[str, Any]]:
    """Stored documents without their texts, latest ingest first."""
    with state.connect() as connection:
        rows = queries.document_listing(connection, limit=limit, offset=offset)
    return [views.clean(row) for row in rows]


@router.get("/documents/{document_id}")
def one_document(state: State, document_id: str) -> dict[str, Any]:
    """One document with its text and every span extracted from it."""
    found = document_view(state, document_id)
    if found is None:
        raise HTTPException(404, f"no document {document_id!r}")
    return views.clean_dict({k: v for k, v in found.items() if k != "segments"})


BEARER = HTTPBearer(auto_error=False, description="The server's WATCHFLOOR_TOKEN.")


def require_token(
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> None:
    """Refuse a write without the configured token (401), or when none is configured (403)."""
    given = credentials.credentials if credentials else None
    problem = token_problem(state.token, given)
    if problem is not None:
        raise HTTPException(problem[0], problem[1], headers={"WWW-Authenticate": "Bearer"})


@router.post("/documents", status_code=201, dependencies=[Depends(require_token)])
def upload_document(
    state: State,
    file: Annotated[UploadFile, File(description="A report: .txt .md .html .pdf or a feed.")],
    published: Annotated[str | None, Form(max_length=10)] = None,
) -> JSONResponse:
    """Ingest one document (needs the token): extract, store, fuse; its events in the reply."""
    day = parse_day(published, "published")
    summary = state.ingest_upload(file.filename, file.file.read(), published=day)
    body = upload_summary(state, summary)
    status = 201 if summary.added else 200 if summary.duplicates else 422
    return JSONResponse(body, status_code=status)


def upload_summary(state: ServeState, summary: IngestSummary) -> dict[str, Any]:
    """What an upload did: documents added (with their event ids), duplicates, skips."""
    with state.connect() as connection:
        added = [
            {
                "document_id": d.document_id,
                "title": d.title,
                "events": [
                    {"id": i, "fused_id": queries.fused_id_of(connection, i)}
                    for i in queries.event_ids_of_document(connection, d.document_id)
                ],
            }
            for d in summary.added
        ]
    return {
        "added": added,
        "duplicates": summary.duplicates,
        "skipped": [
            {"source": s.source, "reason": s.reason, "detail": s.detail} for s in summary.skipped
        ],
        "failed": [str(f) for f in summary.failed],
        "events": summary.events,
    }


@router.get("/boundaries")
def boundaries() -> JSONResponse:
    """Country and governorate boundaries as lon/lat paths, for the offline map."""
    return JSONResponse(views.map_layers(), headers={"Cache-Control": "public, max-age=86400"})
