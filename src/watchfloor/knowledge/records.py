"""The entries of knowledge files, as validated at load: actors, places, calendar dates.

They are stricter than the records of `watchfloor.model` (unknown fields are
typos, ids are slugs) and looser where YAML is (a year may be written 2019).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from watchfloor.model import KeyDate, KeyDateKind, RelationName

ID_PATTERN = r"^[a-z0-9][a-z0-9._:-]*$"


def _as_text(value: Any) -> Any:
    """Years, dates and lists written in YAML, as the text that the records keep."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | dt.date):
        return str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _as_list(value: Any) -> Any:
    """A single string where a list is expected, as a list of one."""
    return [value] if isinstance(value, str) else value


Text = Annotated[str | None, BeforeValidator(_as_text)]
Names = Annotated[list[str], BeforeValidator(_as_list)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]


class Entry(BaseModel):
    """Base of the entries of knowledge files: unknown fields are errors (typos)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RelationEntry(Entry):
    """`relations:` of an actor: {relation, object, since, until}."""

    relation: RelationName
    object: Id
    since: Text = None
    until: Text = None


class ActorEntry(Entry):
    """One entry of `actors:`; only `id` is needed when it extends a known actor."""

    id: Id
    name: str | None = None
    kind: str | None = None
    acled_type: str | None = None
    country: str | None = None
    arabic: str | None = None
    aliases: Names = Field(default_factory=list)
    context_aliases: Names = Field(default_factory=list)
    relations: list[RelationEntry] = Field(default_factory=list)
    roles: Names = Field(default_factory=list)
    active: Annotated[str | bool | None, BeforeValidator(_as_text)] = None
    notes: Text = None
    sources: Text = None


class PlaceEntry(Entry):
    """One entry of `places:` (sites.yaml, a user's file) or one row of the gazetteer."""

    id: Id
    name: str | None = None
    kind: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    admin1: str | None = None
    country: str | None = None
    aliases: Names = Field(default_factory=list)
    near: Names = Field(default_factory=list)
    population: int | None = Field(default=None, ge=0)
    sources: Text = Field(default=None, alias="source")

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _both_coordinates(self) -> PlaceEntry:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class RecurringDate(Entry):
    """A date that comes back every year (an anniversary): month, day, since which year."""

    id: Id
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    since: int | None = None
    what: str
    actors: Names = Field(default_factory=list)
    kind: str = "anniversary"
    sources: Text = None

    @model_validator(mode="after")
    def _real_day(self) -> RecurringDate:
        self.on(2000)  # a leap year: 29 February is a real day
        return self

    def on(self, year: int) -> dt.date:
        """The day in `year` (29 February falls on the 28th in other years).

        >>> RecurringDate(id="x", month=1, day=3, what="x").on(2021)
        datetime.date(2021, 1, 3)
        """
        try:
            return dt.date(year, self.month, self.day)
        except ValueError as e:
            if (self.month, self.day) == (2, 29):
                return dt.date(year, 2, 28)
            raise ValueError(f"no such day: month {self.month}, day {self.day}") from e

    def key_dates(self, start: dt.date, end: dt.date) -> list[KeyDate]:
        """Its days between `start` and `end` (inclusive), from the year `since` on."""
        first = max(start.year, self.since or start.year)
        days = (self.on(year) for year in range(first, end.year + 1))
        kind = _key_kind(self.kind, "anniversary")
        return [
            KeyDate(date=day, what=self.what, kind=kind, actor_ids=list(self.actors))
            for day in days
            if start <= day <= end
        ]


class Deadline(Entry):
    """A dated deadline or scheduled event: a date, what, who set it."""

    id: Id
    date: dt.date
    what: str
    set_by: str | None = None
    kind: str = "deadline"
    sources: Text = None

    def key_dates(self, start: dt.date, end: dt.date) -> list[KeyDate]:
        """Its day, if it lies between `start` and `end` (inclusive)."""
        if not start <= self.date <= end:
            return []
        return [KeyDate(date=self.date, what=self.what, kind=_key_kind(self.kind, "deadline"))]


class CalendarSection(Entry):
    """`calendar:` of a user's file, or the whole of calendar.yaml."""

    recurring: list[RecurringDate] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)


CalendarEntry = RecurringDate | Deadline


E = TypeVar("E", bound=Entry)


def _key_kind(kind: str, default: KeyDateKind) -> KeyDateKind:
    for known in ("anniversary", "deadline", "scheduled"):
        if kind == known:
            return known
    return default
