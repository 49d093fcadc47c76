"""Resolve the names spaCy found in one document to knowledge-base actors and places.

The EntityRuler built from the knowledge base has labelled most names already
(ACTOR / PLACE with the id); names the statistical NER found on its own go
through the name resolver; an unknown person or organisation becomes a candidate
actor, never a known one by force.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spacy.tokens import Doc, Span

from watchfloor.extract.context import EntityRef
from watchfloor.model import Actor, Place

ACTOR_NER = frozenset({"PERSON", "ORG", "NORP"})
PLACE_NER = frozenset({"GPE", "LOC", "FAC"})
CONTEXT_PREFIX = "ctx:"


def resolve_entities(
    doc: Doc, resolver: Any, actors: Mapping[str, Actor], places: Mapping[str, Place]
) -> list[EntityRef]:
    """Every named entity of the document, resolved where the knowledge base allows."""
    context = _full_names(doc)
    refs = []
    for ent in doc.ents:
        ref = _resolve(ent, resolver, actors, places, context)
        if ref is not None:
            refs.append(ref)
    return refs


def _full_names(doc: Doc) -> list[str]:
    """Names in the document that can support a context alias (surname, demonym)."""
    names = []
    for ent in doc.ents:
        full = ent.label_ == "ACTOR" and not ent.ent_id_.startswith(CONTEXT_PREFIX)
        if full or (ent.label_ in ACTOR_NER and len(ent.text.split()) > 1):
            names.append(ent.text)
    return names


def _resolve(
    ent: Span,
    resolver: Any,
    actors: Mapping[str, Actor],
    places: Mapping[str, Place],
    context: list[str],
) -> EntityRef | None:
    base: dict[str, Any] = {
        "start_char": ent.start_char,
        "end_char": ent.end_char,
        "text": ent.text,
        "label": ent.label_,
        "root": ent.root.i,
    }
    if ent.label_ == "PLACE" and ent.ent_id_ in places:
        place = places[ent.ent_id_]
        return EntityRef(**base, place=place, name=place.name, score=100.0, reason="gazetteer")
    if ent.label_ in ("ACTOR", "ACTOR_CTX"):
        actor_id = ent.ent_id_
        if actor_id.startswith(CONTEXT_PREFIX) or ent.label_ == "ACTOR_CTX":
            return _from_resolution(base, resolver.resolve_actor(ent.text, context=context), actors)
        if actor_id in actors:
            name = actors[actor_id].name
            return EntityRef(**base, actor_id=actor_id, name=name, score=100.0, reason="alias")
    if ent.label_ in PLACE_NER:
        resolution = resolver.resolve_place(ent.text)
        if resolution.id is not None and resolution.id in places:
            place = places[resolution.id]
            return EntityRef(
                **base,
                place=place,
                name=place.name,
                score=resolution.score,
                reason=resolution.reason,
            )
    if ent.label_ in ACTOR_NER | PLACE_NER:
        resolution = resolver.resolve_actor(ent.text, context=context)
        if resolution.id is not None or ent.label_ in ("PERSON", "ORG"):
            return _from_resolution(base, resolution, actors)
    return None


def _from_resolution(
    base: dict[str, Any], resolution: Any, actors: Mapping[str, Actor]
) -> EntityRef:
    actor_id = resolution.id if resolution.id in actors else None
    return EntityRef(
        **base,
        actor_id=actor_id,
        name=actors[actor_id].name if actor_id else base["text"],
        score=float(resolution.score),
        reason=str(resolution.reason),
        candidate_id=None if actor_id else resolution.candidate_id,
    )
