"""Response models of the API's event listing, so that OpenAPI documents its fields."""

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
