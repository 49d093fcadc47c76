"""Records to table rows and back: one pair of functions per table.

Extracted rows carry the id of the document they were extracted from (the
Extraction's), whatever their spans say; spans read back name that document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa

from watchfloor.model import (
    Actor,
    Attribution,
    Claim,
    Document,
    Event,
    Extraction,
    Judgment,
    KeyDate,
    Mention,
    Relation,
    SourceSpan,
    Statement,
)
from watchfloor.resolve.fusion import Estimate, FusedEvent
from watchfloor.store import schema

Row = dict[str, Any]


def document_row(document: Document, *, ingested_at: dt.datetime) -> Row:
    """The documents row of a Document."""
    return {**document.model_dump(), "ingested_at": ingested_at}


def document_from_row(row: Mapping[str, Any]) -> Document:
    """The Document of a documents row (the row must include the text)."""
    fields = {k: row[k] for k in Document.model_fields}
    return Document.model_validate(fields)


def listing_from_row(row: Mapping[str, Any]) -> Row:
    """A documents row without its text, its timestamp in UTC."""
    listing = {k: v for k, v in row.items() if k != "text"}
    ingested = listing.get("ingested_at")
    if isinstance(ingested, dt.datetime) and ingested.tzinfo is None:
        # SQLite keeps no time zone; watchfloor writes UTC.
        listing["ingested_at"] = ingested.replace(tzinfo=dt.UTC)
    return listing


def extraction_rows(extraction: Extraction) -> Iterator[tuple[sa.Table, list[Row]]]:
    """The rows of every table an Extraction fills, parents first."""
    document_id = extraction.document_id
    events = extraction.events
    yield schema.events, [event_row(e, document_id=document_id) for e in events]
    yield (
        schema.event_actors,
        [
            {"event_id": e.id, "actor_id": a.actor_id, "role": a.role, "name": a.name}
            for e in events
            for a in e.actors
        ],
    )
    yield schema.claims, [claim_row(c, event_id=e.id) for e in events for c in e.claims]
    yield (
        schema.attributions,
        [attribution_row(a, event_id=e.id) for e in events for a in e.attributions],
    )
    yield schema.mentions, [mention_row(m, document_id=document_id) for m in extraction.mentions]
    yield (
        schema.candidate_actors,
        [candidate_row(a, document_id=document_id) for a in extraction.candidates],
    )
    yield (
        schema.relations,
        [relation_row(r, document_id=document_id) for r in extraction.relations],
    )
    yield (
        schema.judgments,
        [judgment_row(j, document_id=document_id) for j in extraction.judgments],
    )
    yield (
        schema.key_dates,
        [key_date_row(k, document_id=document_id) for k in extraction.key_dates],
    )
    yield (
        schema.statements,
        [statement_row(s, document_id=document_id) for s in extraction.statements],
    )


def _span_columns(span: SourceSpan | None) -> Row:
    if span is None:
        return {"start": None, "end": None, "text": None}
    return {"start": span.start, "end": span.end, "text": span.text}


def _span(
    row: Mapping[str, Any], document_id: str | None, *, text: str = "text"
) -> SourceSpan | None:
    if row["start"] is None or document_id is None:
        return None
    return SourceSpan(
        document_id=document_id, start=row["start"], end=row["end"], text=row[text] or ""
    )


def event_row(event: Event, *, document_id: str) -> Row:
    """The events row of an Event: columns to filter on, and the whole record as JSON."""
    place, munitions, fatalities = event.place, event.munitions, event.fatalities
    return {
        "id": event.id,
        "document_id": document_id,
        "date": event.date,
        "date_end": event.date_end,
        "date_precision": event.date_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "disorder_type": event.disorder_type,
        "place_id": place.place_id if place else None,
        "place_name": place.name if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "geo_precision": place.geo_precision if place else None,
        "weapon": event.weapon,
        "munitions_count": munitions.count if munitions else None,
        "munitions_qualifier": munitions.qualifier if munitions else None,
        "fatalities_min": fatalities.min if fatalities else None,
        "fatalities_max": fatalities.max if fatalities else None,
        "record": event.model_dump(mode="json"),
    }


def event_from_row(row: Mapping[str, Any]) -> Event:
    """The Event of an events row, validated from its JSON record."""
    return Event.model_validate(row["record"])


def claim_row(claim: Claim, *, event_id: str) -> Row:
    """The claims row of one claim of an event."""
    return {
        "event_id": event_id,
        "claimant_id": claim.claimant_id,
        "claimed_on": claim.claimed_on,
        "channel": claim.channel,
        "document_id": claim.document_id,
        **_span_columns(claim.span),
    }


def attribution_row(attribution: Attribution, *, event_id: str) -> Row:
    """The attributions row of one attribution of an event."""
    low, high = attribution.probability or (None, None)
    return {
        "event_id": event_id,
        "actor_id": attribution.actor_id,
        "by_actor_id": attribution.by_actor_id,
        "estimative": attribution.estimative,
        "p_low": low,
        "p_high": high,
        "document_id": attribution.document_id,
        **_span_columns(attribution.span),
    }


def mention_row(mention: Mention, *, document_id: str) -> Row:
    """The mentions row of a Mention."""
    return {
        "document_id": document_id,
        "surface": mention.surface,
        "label": mention.label,
        "resolved_id": mention.resolved_id,
        "score": mention.score,
        "start": mention.span.start,
        "end": mention.span.end,
        "text": mention.span.text,
        "reason": mention.reason,
    }


def mention_from_row(row: Mapping[str, Any]) -> Mention:
    """The Mention of a mentions row."""
    return Mention(
        surface=row["surface"],
        label=row["label"],
        resolved_id=row["resolved_id"],
        score=row["score"],
        span=SourceSpan(
            document_id=row["document_id"], start=row["start"], end=row["end"], text=row["text"]
        ),
        reason=row["reason"],
    )


def candidate_row(actor: Actor, *, document_id: str) -> Row:
    """The candidate_actors row of a candidate actor seen in a document."""
    record = actor.model_dump(mode="json")
    return {
        "actor_id": actor.actor_id,
        "document_id": document_id,
        "name": actor.name,
        "record": record,
    }


def merge_candidates(records: list[Any]) -> list[Actor]:
    """Candidates merged by id, in order of first sighting, their names seen joined.

    >>> a = {"actor_id": "x", "name": "X", "mentions": ["X"], "candidate": True}
    >>> b = {**a, "mentions": ["the X group", "X"]}
    >>> merge_candidates([a, b])[0].mentions
    ['X', 'the X group']
    """
    merged: dict[str, Actor] = {}
    for record in records:
        actor = Actor.model_validate(record)
        seen = merged.get(actor.actor_id)
        if seen is None:
            merged[actor.actor_id] = actor.model_copy(update={"candidate": True})
            continue
        seen.mentions = _union(seen.mentions, actor.mentions)
        seen.aliases = _union(seen.aliases, actor.aliases)
    return list(merged.values())


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def relation_row(relation: Relation, *, document_id: str) -> Row:
    """The relations row of a Relation found in a document."""
    return {
        "subject": relation.subject,
        "relation": relation.relation,
        "object": relation.object,
        "source": relation.source,
        "document_id": document_id,
        "estimative": relation.estimative,
        **_span_columns(relation.span),
    }


def relation_from_row(row: Mapping[str, Any]) -> Relation:
    """The Relation of a relations row."""
    return Relation(
        subject=row["subject"],
        relation=row["relation"],
        object=row["object"],
        source=row["source"],
        estimative=row["estimative"],
        span=_span(row, row["document_id"]),
    )


def judgment_row(judgment: Judgment, *, document_id: str) -> Row:
    """The judgments row of a Judgment (its outcome unknown until resolved)."""
    span = judgment.span
    return {
        "id": judgment.id,
        "document_id": document_id,
        "text": judgment.text,
        "term": judgment.term,
        "p_low": judgment.probability[0],
        "p_high": judgment.probability[1],
        "start": span.start if span else None,
        "end": span.end if span else None,
        "span_text": span.text if span else None,
        "outcome": judgment.outcome,
        "resolved_at": None,
    }


def judgment_from_row(row: Mapping[str, Any]) -> Judgment:
    """The Judgment of a judgments row, with its outcome if resolved."""
    return Judgment(
        id=row["id"],
        text=row["text"],
        term=row["term"],
        probability=(row["p_low"], row["p_high"]),
        document_id=row["document_id"],
        span=_span(row, row["document_id"], text="span_text"),
        outcome=row["outcome"],
    )


def key_date_row(key_date: KeyDate, *, document_id: str) -> Row:
    """The key_dates row of a KeyDate found in a document."""
    return {
        "document_id": document_id,
        "date": key_date.date,
        "what": key_date.what,
        "kind": key_date.kind,
        "actor_ids": list(key_date.actor_ids),
        **_span_columns(key_date.span),
    }


def key_date_from_row(row: Mapping[str, Any]) -> KeyDate:
    """The KeyDate of a key_dates row."""
    return KeyDate(
        date=row["date"],
        what=row["what"],
        kind=row["kind"],
        document_id=row["document_id"],
        actor_ids=row["actor_ids"],
        span=_span(row, row["document_id"]),
    )


def statement_row(statement: Statement, *, document_id: str) -> Row:
    """The statements row of a Statement: columns to filter on, and the record as JSON."""
    record = statement.model_copy(update={"document_id": document_id})
    return {
        "id": statement.id,
        "document_id": document_id,
        "speaker_id": statement.speaker_id,
        "on_behalf_of": statement.on_behalf_of,
        "role": statement.role,
        "kind": statement.kind,
        "date": statement.date,
        "deadline": statement.deadline,
        "channel": statement.channel,
        "outlet": statement.outlet,
        "anonymous": statement.anonymous,
        **_span_columns(statement.span),
        "record": record.model_dump(mode="json"),
    }


def statement_from_row(row: Mapping[str, Any]) -> Statement:
    """The Statement of a statements row, validated from its JSON record."""
    return Statement.model_validate(row["record"])


def fused_event_row(fused: FusedEvent) -> Row:
    """The fused_events row of a FusedEvent: columns to filter on, the whole record as JSON."""
    event, place = fused.event, fused.event.place
    return {
        "id": fused.id,
        "date": event.date,
        "date_end": event.date_end,
        "date_precision": event.date_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "place_id": place.place_id if place else None,
        "place_name": place.name if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "geo_precision": place.geo_precision if place else None,
        **_figure_columns("munitions", fused.munitions),
        **_figure_columns("fatalities", fused.fatalities),
        "n_sources": fused.n_sources,
        "record": fused.model_dump(mode="json"),
    }


def _figure_columns(name: str, figure: Estimate | None) -> Row:
    if figure is None:
        return dict.fromkeys([f"{name}_best", f"{name}_min", f"{name}_max", f"{name}_rule"])
    return {
        f"{name}_best": figure.best,
        f"{name}_min": figure.low,
        f"{name}_max": figure.high,
        f"{name}_rule": figure.rule,
    }


def fused_event_from_row(row: Mapping[str, Any]) -> FusedEvent:
    """The FusedEvent of a fused_events row, validated from its JSON record."""
    return FusedEvent.model_validate(row["record"])
