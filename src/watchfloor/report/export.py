"""Exports of the store: the bundle of DESIGN.md, flat CSV / JSON-lines of events, and the
formats of other tools (ACLED CSV, GeoJSON, Parquet, STIX 2.1; see `report.interop`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, Literal

from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import KnowledgeBase
from watchfloor.model import Actor, Event, Statement
from watchfloor.report import interop
from watchfloor.store import Store

ExportFormat = Literal["bundle", "csv", "jsonl", "acled", "geojson", "parquet", "stix"]
BINARY_FORMATS = frozenset({"parquet"})

CSV_COLUMNS = [
    "id",
    "date",
    "date_end",
    "date_precision",
    "event_type",
    "sub_event_type",
    "place",
    "place_id",
    "lat",
    "lon",
    "admin1",
    "country",
    "geo_precision",
    "weapon",
    "munitions",
    "munitions_qualifier",
    "fatalities_min",
    "fatalities_max",
    "perpetrators",
    "claimants",
    "attributed_to",
    "targets",
    "documents",
]


def bundle(store: Store, *, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """The whole store as one JSON-ready object: documents, events, actors, relations, ...,
    and statements (what actors said: speaker, kind, date, words; see model.Statement).

    Actors are those the documents name (resolved mentions and candidates), with their
    knowledge-base aliases and the surface forms seen; relations are those extracted
    from the documents plus the knowledge base's relations between those actors.
    """
    events = store.events()
    actors = _actor_entries(store, kb.actors if kb else {})
    return {
        "documents": [_document_entry(row) for row in store.document_rows()],
        "events": [e.model_dump(mode="json", exclude_none=True) for e in events],
        "actors": actors,
        "relations": _relations(store, kb, {a["actor_id"] for a in actors}),
        "key_dates": [k.model_dump(mode="json", exclude_none=True) for k in store.key_dates()],
        "judgments": [j.model_dump(mode="json", exclude_none=True) for j in store.judgments()],
        "statements": [s.model_dump(mode="json", exclude_none=True) for s in store.statements()],
    }


def _relations(store: Store, kb: KnowledgeBase | None, named: set[str]) -> list[dict[str, Any]]:
    relations = list(store.relations())
    if kb is not None:
        relations += [r for r in kb.relations if r.subject in named and r.object in named]
    entries: list[dict[str, Any]] = []
    for relation in relations:
        entry = relation.model_dump(mode="json", exclude_none=True)
        if entry not in entries:
            entries.append(entry)
    return entries


def _document_entry(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("document_id", "title", "source", "url", "published", "format", "outlet")
    entry = {k: row.get(k) for k in keep}
    if entry["published"] is not None:
        entry["published"] = str(entry["published"])
    return entry


def _actor_entries(store: Store, kb_actors: dict[str, Actor]) -> list[dict[str, Any]]:
    seen: dict[str, set[str]] = {}
    for mention in store.mentions():
        if mention.label == "ACTOR" and mention.resolved_id:
            seen.setdefault(mention.resolved_id, set()).add(mention.surface)
    entries: list[dict[str, Any]] = []
    for actor_id, surfaces in sorted(seen.items()):
        actor = kb_actors.get(actor_id)
        if actor is None:
            continue
        entries.append(
            {
                "actor_id": actor_id,
                "name": actor.name,
                "aliases": actor.aliases,
                "mentions": sorted(surfaces),
                "kind": actor.kind,
            }
        )
    for candidate in store.candidates():
        entries.append(
            {
                "actor_id": candidate.actor_id,
                "name": candidate.name,
                "aliases": [],
                "mentions": candidate.mentions,
                "kind": candidate.kind,
                "candidate": True,
            }
        )
    return entries


def event_row(event: Event) -> dict[str, Any]:
    """One flat row of an event, for CSV and spreadsheets.

    >>> import datetime as dt
    >>> e = Event(id="e1", date=dt.date(2020, 3, 11), event_type="Battles",
    ...           sub_event_type="Armed clash")
    >>> event_row(e)["date"]
    '2020-03-11'
    """
    place = event.place

    def ids(*roles: str) -> str:
        return ";".join(a.actor_id for a in event.actors if a.role in roles)

    return {
        "id": event.id,
        "date": event.date.isoformat(),
        "date_end": event.date_end.isoformat() if event.date_end else "",
        "date_precision": event.date_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "place": place.name if place else "",
        "place_id": (place.place_id or "") if place else "",
        "lat": place.lat if place and place.lat is not None else "",
        "lon": place.lon if place and place.lon is not None else "",
        "admin1": (place.admin1 or "") if place else "",
        "country": (place.country or "") if place else "",
        "geo_precision": place.geo_precision if place else "",
        "weapon": event.weapon or "",
        "munitions": event.munitions.count if event.munitions else "",
        "munitions_qualifier": event.munitions.qualifier if event.munitions else "",
        "fatalities_min": event.fatalities.min if event.fatalities else "",
        "fatalities_max": (event.fatalities.max or "") if event.fatalities else "",
        "perpetrators": ids("perpetrator"),
        "claimants": ";".join(sorted({c.claimant_id for c in event.claims})),
        "attributed_to": ";".join(sorted({a.actor_id for a in event.attributions})),
        "targets": ids("target", "victim"),
        "documents": ";".join(sorted({s.document_id for s in event.sources})),
    }


def statement_row(statement: Statement, *, themes: Sequence[str] = ()) -> dict[str, Any]:
    """One flat row of a statement, for tables and DataFrames.

    >>> s = Statement(id="d-s1", document_id="d", speaker_id="kataib-hezbollah",
    ...               kind="threat", target_ids=["united-states"])
    >>> statement_row(s)["targets"]
    'united-states'
    """
    quote = statement.quotes[0].text if statement.quotes else ""
    content = statement.content.text if statement.content else ""
    return {
        "id": statement.id,
        "date": statement.date.isoformat() if statement.date else "",
        "date_basis": statement.date_basis,
        "speaker_id": statement.speaker_id,
        "speaker": statement.speaker_name,
        "role": statement.role or "",
        "on_behalf_of": statement.on_behalf_of or "",
        "actor_id": statement.group_id,
        "anonymous": statement.anonymous,
        "kind": statement.kind,
        "plover": statement.plover or "",
        "cameo": statement.cameo or "",
        "verb": statement.verb,
        "channel": statement.channel or "",
        "outlet": statement.outlet or "",
        "targets": ";".join(statement.target_ids),
        "deadline": statement.deadline.isoformat() if statement.deadline else "",
        "condition": statement.condition or "",
        "reported_by": statement.reported_by or "",
        "themes": ";".join(themes),
        "words": quote or content,
        "sentence": statement.span.text if statement.span else "",
        "document_id": statement.document_id,
    }


def export_text(store: Store, fmt: ExportFormat, *, kb: KnowledgeBase | None = None) -> str:
    """The store in one text export format, ready to write to a file (not parquet)."""
    if fmt in BINARY_FORMATS:
        raise WatchfloorError(f"{fmt} is a binary format: write it to a file (export_bytes)")
    if fmt == "bundle":
        return json.dumps(bundle(store, kb=kb), ensure_ascii=False, indent=2)
    if fmt in ("acled", "geojson", "stix"):
        return _interop_text(store, fmt, kb=kb)
    events = store.events()
    if fmt == "jsonl":
        lines = (e.model_dump_json(exclude_none=True) for e in events)
        return "".join(line + "\n" for line in lines)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(event_row(e) for e in events)
    return out.getvalue()


def export_bytes(store: Store, fmt: ExportFormat, *, kb: KnowledgeBase | None = None) -> bytes:
    """The store in any export format as bytes (text formats in UTF-8)."""
    if fmt == "parquet":
        events = interop.product_events(store)
        return interop.parquet_bytes(events, documents=interop.documents_by_id(store), kb=kb)
    return export_text(store, fmt, kb=kb).encode("utf-8")


def _interop_text(store: Store, fmt: ExportFormat, *, kb: KnowledgeBase | None) -> str:
    """ACLED CSV, GeoJSON or STIX, of the fused events when fusion is current."""
    events = interop.product_events(store)
    documents = interop.documents_by_id(store)
    if fmt == "acled":
        return interop.acled_csv(events, documents=documents, kb=kb)
    if fmt == "geojson":
        return interop.geojson_text(interop.geojson(events, documents=documents, kb=kb))
    return interop.stix_json(events, documents=documents.values(), kb=kb)
