"""One document as the viewer shows it: its text and every span extracted from it."""

from __future__ import annotations

from typing import Any

from watchfloor.serve import queries
from watchfloor.serve.highlight import Mark, safe_url, segments
from watchfloor.serve.state import ServeState
from watchfloor.store import schema


def document_spans(state: ServeState, document_id: str) -> list[dict[str, Any]]:
    """Every span extracted from a document: kind, offsets, words, what it refers to, a note."""
    found: list[dict[str, Any]] = []
    with state.connect() as connection:
        event_ids = queries.event_ids_of_document(connection, document_id)
        tables = {
            kind: queries.span_rows(connection, table, document_id)
            for kind, table in SPAN_TABLES.items()
        }
    for event_id in event_ids:
        event = state.store.event(event_id)
        note = f"{event.sub_event_type} on {event.date.isoformat()}"
        found += [
            _span("event", s.start, s.end, s.text, event_id, note)
            for s in event.sources
            if s.document_id == document_id
        ]
    for kind, rows in tables.items():
        found += [_row_span(kind, row) for row in rows]
    for mention in state.store.mentions(document_id):
        span = mention.span
        note = f"{mention.label.lower()}: {mention.resolved_id or 'unresolved'}"
        found.append(_span("mention", span.start, span.end, span.text, mention.resolved_id, note))
    return sorted(found, key=lambda s: (s["start"], s["end"], s["kind"]))


SPAN_TABLES = {
    "claim": schema.claims,
    "attribution": schema.attributions,
    "judgment": schema.judgments,
    "key_date": schema.key_dates,
    "relation": schema.relations,
    "statement": schema.statements,
}


def _span(kind: str, start: int, end: int, text: str, ref: str | None, note: str) -> dict[str, Any]:
    return {"kind": kind, "start": start, "end": end, "text": text, "ref": ref, "note": note}


def _row_span(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    start, end = row["start"], row["end"]
    if kind == "claim":
        return _span(
            kind, start, end, row["text"], row["event_id"], f"claim by {row['claimant_id']}"
        )
    if kind == "attribution":
        by = row["by_actor_id"] or "an unnamed source"
        return _span(
            kind,
            start,
            end,
            row["text"],
            row["event_id"],
            f"attributed to {row['actor_id']} by {by}",
        )
    if kind == "judgment":
        note = f"judgment: {row['term']} ({row['p_low']:.0%}-{row['p_high']:.0%})"
        return _span(kind, start, end, row["span_text"] or "", row["id"], note)
    if kind == "key_date":
        return _span(
            kind,
            start,
            end,
            row["text"],
            None,
            f"key date {row['date'].isoformat()}: {row['what']}",
        )
    if kind == "statement":
        by = row["speaker_id"] + (f" for {row['on_behalf_of']}" if row["on_behalf_of"] else "")
        return _span(kind, start, end, row["text"], row["id"], f"{row['kind']} by {by}")
    note = f"{row['subject']} {row['relation']} {row['object']}"
    return _span(kind, start, end, row["text"], row["subject"], note)


def document_view(
    state: ServeState, document_id: str, *, focus: tuple[int, int] | None = None
) -> dict[str, Any] | None:
    """A document with its spans, and its text cut into highlighted segments; None if absent.

    `focus` marks one span more (the sentence an event page links to).
    """
    with state.connect() as connection:
        found = queries.documents_by_id(connection, [document_id]).get(document_id)
        events = queries.event_ids_of_document(connection, document_id)
        fused = {i: queries.fused_id_of(connection, i) for i in events}
    if found is None:
        return None
    spans = document_spans(state, document_id)
    marks = [Mark(s["start"], s["end"], s["kind"], s["note"]) for s in spans]
    if focus is not None:
        marks.append(Mark(focus[0], focus[1], "focus"))
    published = found["published"]
    return {
        "document": {
            **found,
            "url": safe_url(found["url"]),
            "published": published.isoformat() if published else None,
        },
        "events": [{"id": i, "fused_id": fused[i]} for i in events],
        "spans": spans,
        "segments": segments(found["text"], marks),
    }
