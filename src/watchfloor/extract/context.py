"""What extraction knows about one document: its parse, dates, figures and names.

Everything here is computed once per document; the event, claim and judgment
extractors read it sentence by sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from spacy.tokens import Doc, Span, Token

from watchfloor.extract.dates import DateMention, find_dates
from watchfloor.extract.numbers import (
    CasualtyFigure,
    Quantity,
    find_casualties,
    find_quantities,
    resolve_elided,
)
from watchfloor.model import Actor, Place

VERBS = frozenset({"VERB", "AUX"})
UNDERGO = frozenset({"come", "fall", "be"})  # came under fire, fell under attack
CAUSE_PREPS = frozenset({"in", "by", "during"})
SPEECH_VERBS = frozenset(
    {"say", "tell", "state", "announce", "declare", "report", "add", "claim", "testify"}
    | {"confirm", "deny", "tweet", "post", "write", "brief", "warn", "accuse", "blame"}
)
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class EntityRef:
    """A name in the document, resolved to an actor or a place (or to nothing)."""

    start_char: int
    end_char: int
    text: str
    label: str
    root: int
    actor_id: str | None = None
    name: str = ""
    place: Place | None = None
    score: float = 0.0
    reason: str = ""
    candidate_id: str | None = None


@dataclass
class DocContext:
    """One parsed document and everything found in it before events are built."""

    doc: Doc
    document_id: str
    published: dt.date | None
    actors_kb: Mapping[str, Actor]
    dates: list[DateMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    casualties: list[CasualtyFigure] = field(default_factory=list)
    entities: list[EntityRef] = field(default_factory=list)
    text: str = ""

    def __post_init__(self) -> None:
        self.text = text = self.doc.text
        found = find_dates(text, self.published, prefer="auto")
        self.dates = sorted(
            (d for d in found if "anaphor" not in d.reason and not _dateline(text, d.start)),
            key=_start,
        )
        self.quantities = sorted(resolve_elided(find_quantities(text), text), key=_start)
        self.casualties = sorted(find_casualties(text), key=_start)

    def dates_in(self, sent: Span) -> list[DateMention]:
        """The date mentions inside a sentence."""
        return _within(self.dates, sent)

    def quantities_in(self, sent: Span) -> list[Quantity]:
        """The counted quantities inside a sentence."""
        return _within(self.quantities, sent)

    def casualties_in(self, sent: Span) -> list[CasualtyFigure]:
        """The casualty figures inside a sentence."""
        return _within(self.casualties, sent)

    def places_in(self, sent: Span) -> list[EntityRef]:
        """Names in the sentence that resolved to places."""
        return [e for e in self.entities if e.place is not None and _inside(e, sent)]

    def actors_in(self, sent: Span) -> list[EntityRef]:
        """Names in the sentence that resolved to actors."""
        return [e for e in self.entities if e.actor_id is not None and _inside(e, sent)]

    def token_at(self, char: int) -> Token | None:
        """The token that holds character `char`."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.root if span is not None else None

    def anchor(self, char: int, heads: Mapping[int, Any], lexicon: Any) -> int | None:
        """The trigger (token index in `heads`) that the phrase at `char` belongs to, if any."""
        token = self.token_at(char)
        if token is None:
            return None
        light = lexicon.cue("light_verbs") | lexicon.cue("casualty_verbs")
        for current in [token, *token.ancestors]:
            if current.i in heads:
                return current.i
            if current.pos_ not in VERBS:
                continue
            if current.dep_ in ("relcl", "acl") and current.head.i in heads:
                return current.head.i
            if current.lemma_.lower() in SPEECH_VERBS:
                return None
            found = _trigger_child(current, heads)
            if found is not None:
                return found
            if current.lemma_.lower() in light and current.head.i in heads:
                return current.head.i
            if current.dep_ == "acl":
                continue  # "sites used by militias ... on Sunday": the PP is misattached
            return None
        return None

    def governing_verb(self, char: int) -> Token | None:
        """The first verb above the phrase at `char`."""
        token = self.token_at(char)
        if token is None:
            return None
        return next((a for a in token.ancestors if a.pos_ in VERBS), None)

    def is_state(self, actor_id: str) -> bool:
        """True for a state or its forces (other than the country of the events)."""
        actor = self.actors_kb.get(actor_id)
        return actor is not None and actor.kind in ("state", "state_force", "international_force")

    def is_person(self, actor_id: str) -> bool:
        """True for a person in the knowledge base."""
        actor = self.actors_kb.get(actor_id)
        return actor is not None and actor.kind == "person"


def _trigger_child(verb: Token, heads: Mapping[int, Any]) -> int | None:
    """The trigger a light or casualty verb carries: its object, subject, or 'when' clause."""
    for child in verb.children:
        if child.i in heads and child.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "advcl"):
            return child.i
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in CAUSE_PREPS:
            for child in prep.children:
                if child.i in heads:
                    return child.i  # "killed in U.S. air strikes on Sunday"
        if prep.dep_ == "prep" and prep.lower_ == "under" and verb.lemma_.lower() in UNDERGO:
            for child in prep.children:
                if child.i in heads:
                    return child.i  # "the base came under rocket fire on Saturday"
    return None


T = TypeVar("T", DateMention, Quantity, CasualtyFigure)


def _within(items: Sequence[T], sent: Span) -> list[T]:
    starts = [i.start for i in items]
    lo = bisect.bisect_left(starts, sent.start_char)
    hi = bisect.bisect_left(starts, sent.end_char)
    return list(items[lo:hi])


DATELINE = re.compile(r"\s*[A-Z][A-Z .'-]+(,\s*[A-Z][A-Za-z .'-]+)?,\s*$")


def _dateline(text: str, start: int) -> bool:
    """'BAGHDAD, June 26 (Wire) —': the filing date, not an event's date."""
    return start < 60 and DATELINE.fullmatch(text[:start]) is not None


def _start(item: DateMention | Quantity | CasualtyFigure) -> int:
    return item.start


def _inside(ref: EntityRef, sent: Span) -> bool:
    return sent.start_char <= ref.start_char < sent.end_char
