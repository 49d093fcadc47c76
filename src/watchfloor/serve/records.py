"""One event and one actor, as their pages and the API show them: each value with the
sentence that says it, and the actor's relations, claims, attributions, signature and
what it said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from watchfloor.analyse.attribution import Signature, group_signature
from watchfloor.model import Actor, Event
from watchfloor.serve import queries, voices
from watchfloor.serve.filters import EventFilter
from watchfloor.serve.highlight import excerpt, safe_url
from watchfloor.serve.state import ServeState
from watchfloor.serve.views import actor_names, clean_dict, history_start


def event_view(state: ServeState, event_id: str) -> dict[str, Any] | None:
    """A fused or reported event with its members, sources (each in its context), claims and
    attributions; None when there is no such event.
    """
    store = state.store
    with state.connect() as connection:
        kind = queries.kind_of(connection, event_id)
        if kind is None:
            return None
        fused = store.fused_event(event_id) if kind == "fused" else None
        members = [store.event(i) for i in fused.member_ids] if fused else [store.event(event_id)]
        fused_id = fused.id if fused else queries.fused_id_of(connection, event_id)
        event = fused.event if fused else members[0]
        documents = queries.documents_by_id(connection, _document_ids(members))
    names = actor_names(state, _actor_ids(members))
    return clean_dict(
        {
            "kind": kind,
            "id": event_id,
            "fused_id": fused_id,
            "event": event.model_dump(mode="json"),
            "figures": {
                "munitions": fused.munitions.model_dump(mode="json")
                if fused and fused.munitions
                else None,
                "fatalities": fused.fatalities.model_dump(mode="json")
                if fused and fused.fatalities
                else None,
            },
            "members": [_member(m, documents, names) for m in members],
            "documents": {k: _document_card(v) for k, v in documents.items()},
        }
    )


def _actor_ids(events: Iterable[Event]) -> set[str]:
    found: set[str] = set()
    for event in events:
        found |= {c.claimant_id for c in event.claims}
        found |= {i for a in event.attributions for i in (a.actor_id, a.by_actor_id) if i}
    return found


def _document_ids(events: Iterable[Event]) -> set[str]:
    found: set[str] = set()
    for event in events:
        found |= {s.document_id for s in event.sources}
        found |= {c.document_id for c in event.claims} | {a.document_id for a in event.attributions}
    return found


def _document_card(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "document_id": row["document_id"],
        "title": row["title"],
        "source": row["source"],
        "url": safe_url(row["url"]),
        "published": row["published"],
        "outlet": row["outlet"],
    }


def _quote(span: Any, documents: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if span is None:
        return None
    document = documents.get(span.document_id)
    found = excerpt(document["text"], span.start, span.end, span.text) if document else None
    return {
        "document_id": span.document_id,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "excerpt": found,
    }


def _member(
    event: Event, documents: dict[str, dict[str, Any]], names: dict[str, str]
) -> dict[str, Any]:
    """One report of an event: its fields, and each sentence that says it, in context."""
    return {
        "id": event.id,
        "date": event.date,
        "sub_event_type": event.sub_event_type,
        "place": event.place.name if event.place else None,
        "munitions": event.munitions.count if event.munitions else None,
        "sources": [_quote(s, documents) for s in event.sources],
        "claims": [
            {
                "claimant_id": c.claimant_id,
                "claimant": c.claimant_name or names.get(c.claimant_id, c.claimant_id),
                "claimed_on": c.claimed_on,
                "channel": c.channel,
                "quote": _quote(c.span, documents),
            }
            for c in event.claims
        ],
        "attributions": [
            {
                "actor_id": a.actor_id,
                "actor": a.actor_name or names.get(a.actor_id, a.actor_id),
                "by_actor_id": a.by_actor_id,
                "by": names.get(a.by_actor_id, a.by_actor_id) if a.by_actor_id else None,
                "estimative": a.estimative,
                "probability": a.probability,
                "quote": _quote(a.span, documents),
            }
            for a in event.attributions
        ],
    }


def actor_list(state: ServeState) -> list[dict[str, Any]]:
    """Every actor known or seen: id, name, kind, candidate or not, report events naming it."""
    return state.cached(("actors",), lambda: _actor_list(state))


def _actor_list(state: ServeState) -> list[dict[str, Any]]:
    with state.connect() as connection:
        counts = queries.actor_event_counts(connection)
        names = queries.actor_names(connection)
    rows: dict[str, dict[str, Any]] = {}
    for actor in [*state.kb().actors.values(), *state.store.candidates()]:
        rows.setdefault(
            actor.actor_id,
            {
                "actor_id": actor.actor_id,
                "name": actor.name,
                "kind": actor.kind,
                "candidate": actor.candidate,
            },
        )
    for actor_id, name in names.items():
        rows.setdefault(
            actor_id, {"actor_id": actor_id, "name": name, "kind": "unknown", "candidate": True}
        )
    for actor_id, row in rows.items():
        row["events"] = counts.get(actor_id, 0)
    return sorted(rows.values(), key=lambda r: (-r["events"], r["name"].lower()))


def actor_view(state: ServeState, actor_id: str) -> dict[str, Any] | None:
    """An actor: names, relations, claims, attributions, latest events, attack signature,
    and its latest statements and threats."""
    kb, store = state.kb(), state.store
    actor = kb.actors.get(actor_id) or next(
        (a for a in store.candidates() if a.actor_id == actor_id), None
    )
    seen = actor_names(state, [actor_id])
    if actor is None and actor_id not in seen:
        return None
    unnamed = Actor(actor_id=actor_id, name=seen.get(actor_id, actor_id), candidate=True)
    relations = [*kb.relations_of(actor_id)]
    relations += [r for r in store.relations() if actor_id in (r.subject, r.object)]
    with state.connect() as connection:
        claims = queries.claims_by(connection, actor_id)
        attributions = queries.attributions_of(connection, actor_id)
        page = queries.list_events(connection, EventFilter(actor=actor_id), limit=20)
    fused = store.fused_events(actor_id=actor_id, since=history_start(state))
    signature = group_signature([f.event for f in fused], actor_id, calendar=kb.calendar)
    names = actor_names(
        state, [*signature.targets, *(i for r in relations for i in (r.subject, r.object))]
    )
    return clean_dict(
        {
            "actor_id": actor_id,
            "actor": (actor or unnamed).model_dump(mode="json"),
            "relations": [_relation(r, names) for r in relations],
            "claims": claims,
            "attributions": attributions,
            "events": page.items,
            "events_total": page.total,
            "signature": _signature(signature, names),
            **voices.actor_voice(state, actor_id),
        }
    )


def _relation(relation: Any, names: dict[str, str]) -> dict[str, Any]:
    span = relation.span
    return {
        "subject": relation.subject,
        "subject_name": names.get(relation.subject),
        "relation": relation.relation,
        "object": relation.object,
        "object_name": names.get(relation.object),
        "source": relation.source,
        "estimative": relation.estimative,
        "text": span.text if span else "",
        "document_id": span.document_id if span else None,
    }


def _signature(signature: Signature, names: dict[str, str]) -> dict[str, Any]:
    def top(counter: Counter[str], named: bool = False) -> list[dict[str, Any]]:
        return [
            {"key": k, "name": names.get(k, k) if named else k, "count": n}
            for k, n in counter.most_common(8)
        ]

    return {
        "events": signature.events,
        "targets": top(signature.targets, named=True),
        "places": top(signature.places),
        "weapons": top(signature.weapons),
        "munitions": list(signature.munitions),
        "anniversaries": top(signature.anniversaries),
        "symbolic": signature.symbolic,
        "channels": top(signature.channels),
    }
