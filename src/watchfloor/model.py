"""The records that flow between stages: documents, events, claims, actors, ...

Every extracted value keeps the span of text that says it (`SourceSpan`).
The JSON form of these models is the bundle format of DESIGN.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DatePrecision = Literal["day", "week", "month", "quarter", "year", "unknown"]
Qualifier = Literal["exactly", "about", "at_least", "more_than", "fewer_than"]
ActorRole = Literal[
    "perpetrator", "claimant", "attributed", "target", "victim", "organiser", "actor"
]
KeyDateKind = Literal["anniversary", "deadline", "scheduled"]
RelationName = Literal[
    "proxy_of",
    "front_of",
    "part_of",
    "leader_of",
    "spokesperson_of",
    "member_of",
    "allied_with",
    "rival_of",
    "commander_of",
    "founder_of",
    "successor_of",
]


class Record(BaseModel):
    """Base of all records: strict about unknown fields, stripped strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceSpan(Record):
    """The characters of a document that say a value.

    >>> SourceSpan(document_id="d1", start=0, end=4, text="Iran").end
    4
    """

    document_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> SourceSpan:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Document(Record):
    """One ingested report, page, PDF or feed item, with its text."""

    document_id: str
    title: str = ""
    source: str
    url: str | None = None
    published: dt.date | None = None
    language: str = "en"
    content_hash: str
    format: str = "txt"
    text: str
    outlet: str | None = None
    author: str | None = None

    @field_validator("text")
    @classmethod
    def _not_empty(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("document text is empty")
        return text


class Place(Record):
    """A place: a gazetteer entry or a point resolved from text."""

    place_id: str | None = None
    name: str
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    admin1: str | None = None
    country: str | None = None
    geo_precision: int = Field(default=1, ge=1, le=3)
    kind: str | None = None
    aliases: list[str] = Field(default_factory=list)


class RelationRef(Record):
    """A relation of an actor as written in the knowledge base."""

    relation: RelationName
    object: str
    since: str | None = None
    until: str | None = None


class Actor(Record):
    """A canonical actor: a state, force, militia, front group, person, ..."""

    actor_id: str
    name: str
    kind: str = "unknown"
    acled_type: str | None = None
    country: str | None = None
    arabic: str | None = None
    aliases: list[str] = Field(default_factory=list)
    context_aliases: list[str] = Field(default_factory=list)
    relations: list[RelationRef] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    notes: str | None = None
    sources: str | None = None
    candidate: bool = False
    mentions: list[str] = Field(default_factory=list)


class Relation(Record):
    """A relation between two actors, from the knowledge base or a document."""

    subject: str
    relation: RelationName
    object: str
    source: str = "knowledge"
    estimative: str | None = None
    span: SourceSpan | None = None


class EventActor(Record):
    """An actor's part in an event."""

    actor_id: str
    name: str
    role: ActorRole


class Munitions(Record):
    """How many rockets, mortars, drones or missiles, and how sure the count is."""

    count: int = Field(ge=0)
    qualifier: Qualifier = "exactly"
    weapon: str | None = None
    span: SourceSpan | None = None


class Casualties(Record):
    """A range of people killed or wounded, with the side where the text says."""

    min: int = Field(ge=0)
    max: int | None = Field(default=None, ge=0)
    side: str | None = None
    span: SourceSpan | None = None


class Claim(Record):
    """A claim of responsibility: who claimed, when, by which channel."""

    claimant_id: str
    claimant_name: str = ""
    claimed_on: dt.date | None = None
    channel: str | None = None
    document_id: str
    span: SourceSpan | None = None


class Attribution(Record):
    """Who is believed responsible, according to whom, with what confidence."""

    actor_id: str
    actor_name: str = ""
    by_actor_id: str | None = None
    estimative: str | None = None
    probability: tuple[float, float] | None = None
    document_id: str
    span: SourceSpan | None = None


class Event(Record):
    """One event (ACLED types), with its date window, place and sources."""

    id: str
    date: dt.date
    date_end: dt.date | None = None
    date_precision: DatePrecision = "day"
    event_type: str
    sub_event_type: str
    disorder_type: str | None = None
    place: Place | None = None
    actors: list[EventActor] = Field(default_factory=list)
    weapon: str | None = None
    munitions: Munitions | None = None
    fatalities: Casualties | None = None
    injuries: Casualties | None = None
    claims: list[Claim] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    sources: list[SourceSpan] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _window(self) -> Event:
        if self.date_end is not None and self.date_end < self.date:
            raise ValueError(f"event {self.id}: date_end {self.date_end} before date {self.date}")
        return self


class Judgment(Record):
    """An estimative statement with its ICD 203 probability range."""

    id: str
    text: str
    term: str
    probability: tuple[float, float]
    document_id: str
    span: SourceSpan | None = None
    outcome: bool | None = None


class KeyDate(Record):
    """A date to watch: an anniversary, a deadline, a scheduled event."""

    date: dt.date
    what: str
    kind: KeyDateKind
    document_id: str | None = None
    actor_ids: list[str] = Field(default_factory=list)
    span: SourceSpan | None = None


class Mention(Record):
    """A name in a document, and the actor or place it was resolved to (if any)."""

    surface: str
    label: Literal["ACTOR", "PLACE"]
    resolved_id: str | None = None
    score: float = 0.0
    span: SourceSpan
    reason: str = ""


StatementKind = Literal[
    "threat",
    "ultimatum",
    "demand",
    "accusation",
    "conspiracy_claim",
    "victory_claim",
    "denial",
    "announcement",
    "call_to_action",
    "assertion",
]
DateBasis = Literal["stated", "context", "published", "unknown"]


class Statement(Record):
    """What an actor said: speaker, date, channel, kind (with its codes), target and words.

    `speaker_id` is the most specific actor resolved (the person when the knowledge
    base knows them, else the group whose spokesperson or leader spoke); `on_behalf_of`
    is the group a person spoke for. `date_basis` says where the date comes from:
    `stated` in the sentence, `context` from the sentences before, `published` the
    document's date. A threat or demand with a time limit is an `ultimatum` with its
    `deadline`.

    >>> Statement(id="s1", document_id="d1", speaker_id="kataib-hezbollah",
    ...           kind="threat").group_id
    'kataib-hezbollah'
    """

    id: str
    document_id: str
    speaker_id: str
    speaker_name: str = ""
    role: str | None = None
    on_behalf_of: str | None = None
    anonymous: bool = False
    date: dt.date | None = None
    date_precision: DatePrecision = "unknown"
    date_basis: DateBasis = "unknown"
    kind: StatementKind
    plover: str | None = None
    cameo: str | None = None
    verb: str = ""
    channel: str | None = None
    outlet: str | None = None
    outlet_id: str | None = None
    target_ids: list[str] = Field(default_factory=list)
    audience_ids: list[str] = Field(default_factory=list)
    deadline: dt.date | None = None
    condition: str | None = None
    reported_by: str | None = None
    content: SourceSpan | None = None
    quotes: list[SourceSpan] = Field(default_factory=list)
    span: SourceSpan | None = None
    reasons: list[str] = Field(default_factory=list)

    @property
    def group_id(self) -> str:
        """The group the statement speaks for: `on_behalf_of`, else the speaker."""
        return self.on_behalf_of or self.speaker_id

    @property
    def words(self) -> str:
        """The reported words: the quotations and the content, joined."""
        parts = [q.text for q in self.quotes]
        if self.content is not None and self.content.text not in parts:
            parts.append(self.content.text)
        return " ".join(parts)


class Extraction(Record):
    """Everything extracted from one document, ready to store."""

    document_id: str
    events: list[Event] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    candidates: list[Actor] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    judgments: list[Judgment] = Field(default_factory=list)
    key_dates: list[KeyDate] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
