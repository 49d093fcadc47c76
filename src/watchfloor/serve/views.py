"""The analyses the API returns and the pages show (tempo, alerts, outlook, network, map),
built once for both as JSON-ready dicts.

Analyses (tempo, network, outlook, alerts) are cached until the store changes. Text
from documents passes through as plain strings: the pages escape it, the API sends it
as JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from watchfloor.analyse.indicators import VIOLENT, Context, evaluate
from watchfloor.analyse.network import actor_graph, centrality, ego_network
from watchfloor.analyse.outlook import build_outlook
from watchfloor.analyse.tempo import UNITS, assess_tempo, events_frame
from watchfloor.model import Event, KeyDate
from watchfloor.report.geomap import COUNTRIES, GOVERNORATES, load_boundaries
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.serve import queries
from watchfloor.serve.state import ServeState

# How far back from the latest event the analyses (tempo, alerts, outlook, network) read.
HISTORY_DAYS = 3 * 365
# At most this many fused events are kept in memory between requests.
KEEP_EVENTS = 50_000


def clean(value: Any) -> Any:
    """Values made JSON-safe: NaN and infinities become None, dates ISO strings.

    >>> clean({"a": float("nan"), "b": [dt.date(2020, 3, 11)]})
    {'a': None, 'b': ['2020-03-11']}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        return clean(value.item())
    return value


def clean_dict(value: dict[str, Any]) -> dict[str, Any]:
    """A dict made JSON-safe by `clean`.

    >>> clean_dict({"n": float("inf")})
    {'n': None}
    """
    found: dict[str, Any] = clean(value)
    return found


def actor_names(state: ServeState, ids: Iterable[str]) -> dict[str, str]:
    """Names for actor ids: the knowledge base's, else one that reports gave."""
    known = state.kb().actors
    wanted = {i for i in ids if i}
    with state.connect() as connection:
        names = queries.actor_names(connection, wanted - set(known))
    names.update({i: known[i].name for i in wanted if i in known})
    return names


def history_start(state: ServeState) -> dt.date | None:
    """The first day the analyses read: HISTORY_DAYS before the latest event on record.

    A desk's whole record fits in it; a store of millions of events is read in part.
    """
    with state.connect() as connection:
        latest = queries.latest_day(connection)
    return latest - dt.timedelta(days=HISTORY_DAYS) if latest else None


def recent_fused(state: ServeState) -> list[FusedEvent]:
    """The fused events since `history_start`, kept while the store is unchanged (when they
    are not too many to keep in memory).
    """
    return state.cached(
        ("recent",),
        lambda: state.store.fused_events(since=history_start(state)),
        keep=lambda found: len(found) <= KEEP_EVENTS,
    )


def recent_events(state: ServeState) -> list[Event]:
    """The events the analyses read: fused, or reported where fusion has not run."""
    found = [f.event for f in recent_fused(state)]
    return found or state.store.events(since=history_start(state))


def _attack_events(state: ServeState, types: Sequence[str]) -> list[Event]:
    events = recent_events(state)
    if types:
        wanted = {t.lower() for t in types}
        return [e for e in events if e.sub_event_type.lower() in wanted]
    return [e for e in events if e.event_type in VIOLENT]


def tempo_view(state: ServeState, *, freq: str = "W", types: Sequence[str] = ()) -> dict[str, Any]:
    """Attacks per period with coverage and fitted level, and the assessment in words."""
    return state.cached(("tempo", freq, tuple(types)), lambda: _tempo(state, freq, types))


def _tempo(state: ServeState, freq: str, types: Sequence[str]) -> dict[str, Any]:
    chosen = _attack_events(state, types)
    since = history_start(state)
    empty = {
        "freq": freq,
        "unit": UNITS.get(freq, freq),
        "periods": [],
        "attacks": len(chosen),
        "since": since,
    }
    if len(chosen) < 2:
        text = f"Only {len(chosen)} matching events: too few to measure tempo."
        return clean_dict({**empty, "text": text})
    try:
        found = assess_tempo(events_frame(chosen), freq=freq)  # type: ignore[arg-type]
    except ValueError as e:
        return clean_dict({**empty, "text": f"Cannot assess tempo: {e}"})
    periods = [
        {"start": start, "count": row["count"], "exposure": row["exposure"], "level": row["level"]}
        for start, row in found.table.iterrows()
    ]
    return clean_dict({**empty, "text": found.text, "unit": found.unit, "periods": periods})


def alerts_view(state: ServeState, *, limit: int = 50) -> list[dict[str, Any]]:
    """The alerts the shipped indicators raise over the fused events, newest first."""
    return state.cached(("alerts", limit), lambda: _alerts(state, limit))


def _context(state: ServeState) -> Context:
    return Context.of(state.kb(), candidates=[a.actor_id for a in state.store.candidates()])


def _alerts(state: ServeState, limit: int) -> list[dict[str, Any]]:
    alerts = evaluate(state.indicators(), recent_fused(state), _context(state))
    newest = sorted(alerts, key=lambda a: (a.date, a.indicator_id), reverse=True)[:limit]
    return [clean(a.model_dump(mode="json")) for a in newest]


def outlook_view(state: ServeState, *, as_of: dt.date, days: int) -> dict[str, Any]:
    """The forecast for the window, the key dates in it, and the indicators' state."""
    return state.cached(("outlook", as_of, days), lambda: _outlook(state, as_of, days))


def _outlook(state: ServeState, as_of: dt.date, days: int) -> dict[str, Any]:
    store = state.store
    outlook = build_outlook(
        recent_fused(state),
        as_of=as_of,
        days=days,
        kb=state.kb(),
        key_dates=store.key_dates(),
        indicators=state.indicators(),
        context=_context(state),
    )
    indicators = [
        {
            "id": s.indicator.id,
            "description": s.indicator.description,
            "active": s.active,
            "alerts": [a.model_dump(mode="json") for a in s.alerts],
            "last": s.last.model_dump(mode="json") if s.last else None,
        }
        for s in outlook.indicators
    ]
    return clean_dict(
        {
            "start": outlook.start,
            "end": outlook.end,
            "forecast": dataclasses.asdict(outlook.forecast),
            "key_dates": [_key_date(k) for k in outlook.key_dates],
            "indicators": indicators,
        }
    )


def _key_date(key: KeyDate) -> dict[str, Any]:
    found = key.model_dump(mode="json", exclude={"span"})
    found["text"] = key.span.text if key.span else ""
    return dict(found)


def network_view(state: ServeState, *, ego: str | None = None) -> dict[str, Any] | None:
    """The actor network with a fixed layout and centrality; None if `ego` is not in it."""
    return state.cached(("network", ego), lambda: _network(state, ego))


def _network(state: ServeState, ego: str | None) -> dict[str, Any] | None:
    graph = actor_graph(state.kb(), relations=state.store.relations(), events=recent_events(state))
    if ego is not None:
        if ego not in graph:
            return None
        graph = ego_network(graph, ego)
    layout = nx.spring_layout(graph, seed=7) if graph.number_of_nodes() else {}
    ranks = {row["actor_id"]: row for row in centrality(graph).to_dict("records")}
    nodes = [
        {
            "id": node,
            "name": data.get("name", node),
            "kind": data.get("kind", "unknown"),
            "x": float(layout[node][0]),
            "y": float(layout[node][1]),
            "degree": ranks[node]["degree"],
            "betweenness": ranks[node]["betweenness"],
            "community": ranks[node]["community"],
        }
        for node, data in graph.nodes(data=True)
    ]
    edges = [
        {
            "source": a,
            "target": b,
            "relation": d.get("relation", ""),
            "relations": d.get("relations", ""),
            "sources": d.get("sources", ""),
            "weight": d.get("weight", 1),
        }
        for a, b, d in graph.edges(data=True)
    ]
    nodes.sort(key=lambda n: (-n["degree"], n["id"]))
    return clean_dict({"nodes": nodes, "edges": edges})


def map_layers() -> dict[str, Any]:
    """Country and governorate boundaries as lon/lat line paths (None between rings)."""
    return {
        "countries": _lines(load_boundaries(COUNTRIES)),
        "governorates": _lines(load_boundaries(GOVERNORATES)),
    }


def _lines(collection: dict[str, Any]) -> dict[str, list[float | None]]:
    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in collection.get("features", []):
        for ring in _rings(feature.get("geometry") or {}):
            lon += [float(p[0]) for p in ring] + [None]
            lat += [float(p[1]) for p in ring] + [None]
    return {"lon": lon, "lat": lat}


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coordinates
    elif kind == "MultiPolygon":
        for polygon in coordinates:
            yield from polygon
    elif kind == "LineString":
        yield coordinates
    elif kind == "MultiLineString":
        yield from coordinates
