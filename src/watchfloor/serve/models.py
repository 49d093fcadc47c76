"""Response models of the API's listings (events, statements), so that OpenAPI documents
their fields.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class EventActorItem(BaseModel):
    """An actor's part in a listed event."""

    actor_id: str
    name: str
    role: str


class EventItem(BaseModel):
    """One listed event: where, when, what, who, and the first sentence that reports it."""

    id: str
    kind: str = Field(description="fused (one per real event) or reports (one per report)")
    date: str
    date_end: str | None = None
    date_precision: str
    event_type: str
    sub_event_type: str
    place_id: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    n_sources: int = Field(description="documents that report the event")
    document_id: str | None = Field(None, description="the report's document (reports only)")
    munitions: int | None = None
    fatalities: int | None = None
    actors: list[EventActorItem]
    claimants: list[str]
    attributed: list[str]
    summary: str = Field(description="the first source sentence")


class EventPage(BaseModel):
    """One page of a filtered listing, latest first."""

    kind: str
    total: int = Field(description="events that match, counted up to 10,000")
    total_exact: bool = Field(description="false when there are more than `total`")
    limit: int
    offset: int
    more: bool = Field(description="whether a further page exists")
    items: list[EventItem]


class ActorRef(BaseModel):
    """An actor a statement names, with a name it goes by."""

    actor_id: str
    name: str


class SpanItem(BaseModel):
    """Where a document says something, and the viewer's link to it in focus."""

    document_id: str
    start: int
    end: int
    text: str
    link: str = Field(description="the document viewer with this span in focus")


class Codes(BaseModel):
    """A statement kind's event codes."""

    plover: str | None = None
    cameo: str | None = None


class StatementItem(BaseModel):
    """One statement: who said it for whom, when, what kind, to whom, and its words."""

    id: str
    date: str | None = None
    date_precision: str
    date_basis: str = Field(description="stated, context, published or unknown")
    speaker: ActorRef
    speaker_name: str = Field(description="the name the report gave the speaker")
    role: str | None = None
    on_behalf_of: ActorRef | None = Field(None, description="the group a person spoke for")
    anonymous: bool
    kind: str
    codes: Codes
    verb: str
    channel: str | None = None
    outlet: str | None = None
    targets: list[ActorRef]
    audience: list[ActorRef]
    deadline: str | None = Field(None, description="an ultimatum's time limit")
    condition: str | None = None
    reported_by: str | None = None
    themes: list[str] = Field(description="narrative themes its words carry")
    document_id: str
    quote: SpanItem | None = Field(None, description="the quoted words (else the content)")
    sentence: SpanItem | None = Field(None, description="the sentence that reports it")
    link: str = Field(description="the document viewer with the sentence in focus")


class StatementPage(BaseModel):
    """One page of statements, latest first, undated last."""

    total: int = Field(description="statements that match, counted up to 10,000")
    total_exact: bool = Field(description="false when there are more than `total`")
    limit: int
    offset: int
    more: bool = Field(description="whether a further page exists")
    items: list[StatementItem]
