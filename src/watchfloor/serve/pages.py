"""The dashboard's pages: overview, events with their map, an event, an actor, the network,
statements and narratives, effects, documents, and the upload form.

Templates are Jinja2 with autoescape always on: text from documents is never marked
safe. Data for the charts goes in `<script type="application/json">` blocks through
Jinja's `tojson` (which escapes <, >, & and '), read by the app's own static JS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from watchfloor.analyse.effects import WHATS
from watchfloor.errors import WatchfloorError
from watchfloor.serve import effects, queries, records, views, voices
from watchfloor.serve.api import Filters, KindQuery, State, parse_day, upload_summary
from watchfloor.serve.api_voices import EffectAsk, StatementFilters, table_ask
from watchfloor.serve.filters import EventFilter
from watchfloor.serve.reading import document_view
from watchfloor.serve.security import token_problem

T = TypeVar("T")
TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 50
NAV = (
    ("/", "Overview"),
    ("/events", "Events"),
    ("/statements", "Statements"),
    ("/effects", "Effects"),
    ("/network", "Network"),
    ("/actors", "Actors"),
    ("/documents", "Documents"),
    ("/upload", "Upload"),
)
FILTER_KEYS = ("since", "until", "type", "event_type", "actor", "claimant", "place", "bbox", "q")
STATEMENT_KEYS = ("actor", "kind", "since", "until", "q")

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=environment)
router = APIRouter(include_in_schema=False)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page from its template, with the navigation."""
    full = {"nav": NAV, "path": request.url.path, "title": "", **context}
    return templates.TemplateResponse(request, name, full, status_code=status, headers=headers)


def error_page(
    request: Request, status: int, message: str, *, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    """The page for an error: its status and what went wrong."""
    context = {"title": f"Error {status}", "status": status, "message": message}
    return render(request, "error.html", context, status=status, headers=headers)


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request, state: State, as_of: Annotated[str | None, Query(max_length=10)] = None
) -> HTMLResponse:
    """Tempo chart, latest events, alerts, key dates ahead."""
    start = parse_day(as_of, "as_of") or dt.date.today()
    with state.connect() as connection:
        latest = queries.list_events(connection, EventFilter(), limit=10)
        totals = state.store.counts()
    alerts, alerts_error = attempt(lambda: views.alerts_view(state, limit=10))
    outlook, outlook_error = attempt(lambda: views.outlook_view(state, as_of=start, days=30))
    context = {
        "title": "Overview",
        "latest": latest,
        "totals": totals,
        "tempo": views.tempo_view(state),
        "alerts": alerts or [],
        "alerts_error": alerts_error,
        "outlook": outlook,
        "outlook_error": outlook_error,
    }
    return render(request, "overview.html", context)


def attempt(compute: Callable[[], T]) -> tuple[T | None, str | None]:
    """A section's value, or why it could not be computed (the page shows the rest); a
    ValueError is a request that the data cannot answer.

    >>> def broken() -> int:
    ...     raise WatchfloorError("gone")
    >>> attempt(lambda: 1), attempt(broken)
    ((1, None), (None, 'gone'))
    """
    try:
        return compute(), None
    except (WatchfloorError, ValueError) as e:
        return None, str(e)


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    state: State,
    filters: Filters,
    kind: KindQuery = "fused",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HTMLResponse:
    """The filter form, the map of the filtered events, and one page of them."""
    with state.connect() as connection:
        page = queries.list_events(connection, filters, kind=kind, limit=PAGE_SIZE, offset=offset)
        choices = queries.type_choices(connection)
    params = _filter_params(request)
    context = {
        "title": "Events",
        "page": page,
        "choices": choices,
        "form": {k: request.query_params.get(k, "") for k in FILTER_KEYS},
        "chosen_types": request.query_params.getlist("type"),
        "chosen_event_types": request.query_params.getlist("event_type"),
        "kind": kind,
        "previous": _page_link(params, kind, offset - PAGE_SIZE) if offset > 0 else None,
        "next": _page_link(params, kind, offset + PAGE_SIZE) if page.more else None,
        "map_query": urlencode([*params, ("kind", kind)]),
    }
    return render(request, "events.html", context)


def _filter_params(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k in FILTER_KEYS and v]


def _page_link(params: list[tuple[str, str]], kind: str, offset: int) -> str:
    return "/events?" + urlencode([*params, ("kind", kind), ("offset", str(max(offset, 0)))])


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, state: State, event_id: str) -> Response:
    """One event: its record, figures, and each sentence that reports it, highlighted."""
    found = records.event_view(state, event_id)
    if found is None:
        return error_page(request, 404, f"no event {event_id!r}")
    event = found["event"]
    title = f"{event['sub_event_type']}, {event['date']}"
    return render(request, "event.html", {"title": title, "view": found})


@router.get("/statements", response_class=HTMLResponse)
def statements_page(
    request: Request,
    state: State,
    filters: StatementFilters,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HTMLResponse:
    """The filter form, one page of what actors said, and the themes by week."""
    with state.connect() as connection:
        page = voices.list_statements(connection, filters, limit=PAGE_SIZE, offset=offset)
    narratives, narratives_error = attempt(
        lambda: voices.narratives_view(state, actor=filters.actor)
    )
    params = [(k, v) for k, v in request.query_params.multi_items() if k in STATEMENT_KEYS and v]
    context = {
        "title": "Statements",
        "page": page,
        "items": voices.statement_items(state, page.items),
        "kinds": voices.KINDS,
        "chosen_kinds": filters.kinds,
        "form": {k: request.query_params.get(k, "") for k in STATEMENT_KEYS},
        "previous": _link("/statements", params, offset - PAGE_SIZE) if offset > 0 else None,
        "next": _link("/statements", params, offset + PAGE_SIZE) if page.more else None,
        "narratives": narratives,
        "narratives_error": narratives_error,
    }
    return render(request, "statements.html", context)


def _link(path: str, params: list[tuple[str, str]], offset: int) -> str:
    return f"{path}?" + urlencode([*params, ("offset", str(max(offset, 0)))])


@router.get("/effects", response_class=HTMLResponse)
def effects_page(
    request: Request,
    state: State,
    ask: EffectAsk,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    type: Annotated[list[str] | None, Query(max_length=200)] = None,
    deadlines: bool = False,
    at: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The interventions of a kind, each with the change in attacks after it; and one."""
    chosen = table_ask(actor, target, type, deadlines)
    table, table_error = attempt(lambda: effects.effects_table_view(state, chosen, ask))
    one, one_error = (None, None)
    if at and at.strip():
        one, one_error = attempt(lambda: effects.effect_view(state, at, ask))
    with state.connect() as connection:
        choices = queries.type_choices(connection)["sub_event_type"]
    context = {
        "title": "Effects",
        "table": table,
        "table_error": table_error,
        "one": one,
        "one_error": one_error,
        "choices": sorted({*choices, *chosen.types}),
        "chosen": chosen,
        "whats": WHATS,
        "form": {k: request.query_params.get(k, "") for k in ("actor", "target", "at")},
        "ask": {"window": request.query_params.get("window", "30d"), "what": ask.what},
    }
    status = 422 if table_error or one_error else 200
    return render(request, "effects.html", context, status=status)


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, state: State) -> HTMLResponse:
    """Every actor known or seen, most reported first."""
    return render(request, "actors.html", {"title": "Actors", "actors": records.actor_list(state)})


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, state: State, actor_id: str) -> Response:
    """One actor: aliases, relations, claims, attributions, signature, latest events."""
    found = records.actor_view(state, actor_id)
    if found is None:
        return error_page(request, 404, f"no actor {actor_id!r}")
    return render(request, "actor.html", {"title": found["actor"]["name"], "view": found})


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request, state: State, ego: Annotated[str | None, Query(max_length=200)] = None
) -> Response:
    """The actor network drawn, with its most central actors and its relations."""
    found = views.network_view(state, ego=ego or None)
    if found is None:
        return error_page(request, 404, f"{ego!r} has no relations on record")
    return render(request, "network.html", {"title": "Network", "network": found, "ego": ego})


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request, state: State, offset: Annotated[int, Query(ge=0, le=100_000)] = 0
) -> HTMLResponse:
    """Stored documents, latest ingest first."""
    with state.connect() as connection:
        rows = queries.document_listing(connection, limit=PAGE_SIZE + 1, offset=offset)
    context = {
        "title": "Documents",
        "documents": rows[:PAGE_SIZE],
        "previous": max(offset - PAGE_SIZE, 0) if offset else None,
        "next": offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None,
    }
    return render(request, "documents.html", context)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    state: State,
    document_id: str,
    start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """A document with every extracted span highlighted (and one span in focus)."""
    focus = (start, end) if start is not None and end is not None and start < end else None
    found = document_view(state, document_id, focus=focus)
    if found is None:
        return error_page(request, 404, f"no document {document_id!r}")
    title = found["document"]["title"] or document_id
    return render(request, "document.html", {"title": title, "view": found})


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API's reference, rendered here from its OpenAPI schema (no script, no CDN)."""
    spec = request.app.openapi()
    operations = [
        _operation(path, method, found)
        for path, methods in spec.get("paths", {}).items()
        if path.startswith("/api")
        for method, found in methods.items()
    ]
    context = {"title": "API", "operations": operations, "version": spec["info"]["version"]}
    return render(request, "api.html", context)


def _operation(path: str, method: str, found: dict[str, Any]) -> dict[str, Any]:
    parameters = [
        {
            "name": p["name"],
            "where": p["in"],
            "required": p.get("required", False),
            "type": schema_type(p.get("schema", {})),
            "default": p.get("schema", {}).get("default"),
            "description": p.get("description") or p.get("schema", {}).get("description", ""),
        }
        for p in found.get("parameters", [])
    ]
    body = found.get("requestBody", {}).get("content", {})
    return {
        "method": method.upper(),
        "path": path,
        "summary": found.get("summary", ""),
        "description": found.get("description", ""),
        "parameters": parameters,
        "body": sorted(body),
        "secured": bool(found.get("security")),
        "responses": sorted(found.get("responses", {})),
    }


def schema_type(schema: dict[str, Any]) -> str:
    """A parameter's type in a few words, from its JSON schema.

    >>> schema_type({"anyOf": [{"type": "string", "maxLength": 10}, {"type": "null"}]})
    'string (at most 10 characters)'
    >>> schema_type({"type": "integer", "minimum": 1, "maximum": 500})
    'integer 1-500'
    """
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if options:
        return " or ".join(schema_type(s) for s in options)
    kind = str(schema.get("type", "any"))
    if kind == "array":
        return f"list of {schema_type(schema.get('items', {}))}"
    if "minimum" in schema or "maximum" in schema:
        return f"{kind} {schema.get('minimum', '')}-{schema.get('maximum', '')}"
    if "maxLength" in schema:
        return f"{kind} (at most {schema['maxLength']} characters)"
    return kind


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, state: State) -> HTMLResponse:
    """The form to upload a document (writes need the token)."""
    context = {"title": "Upload", "writable": bool(state.token), "error": None}
    return render(request, "upload.html", context)


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    state: State,
    file: Annotated[UploadFile, File()],
    token: Annotated[str, Form(max_length=500)] = "",
    published: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    """Ingest the uploaded document and show what came of it."""
    problem = token_problem(state.token, token or None)
    if problem is not None:
        context = {"title": "Upload", "writable": bool(state.token), "error": problem[1]}
        return render(request, "upload.html", context, status=problem[0])
    day = parse_day(published, "published")
    summary = state.ingest_upload(file.filename, file.file.read(), published=day)
    context = {"title": "Uploaded", "result": upload_summary(state, summary)}
    return render(request, "uploaded.html", context, status=201 if summary.added else 200)
