"""Store.events: each filter, alone and together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from watchfloor.model import Claim, Document, Event, EventActor, Extraction, Place
from watchfloor.store import Store

Sample = Callable[..., tuple[Document, Extraction]]


@pytest.fixture
def filled(store: Store, sample: Sample, new_event: Callable[..., Event]) -> Store:
    """Three documents: Taji on March 11 (doc1), Taji and Besmaya (doc2), Erbil (doc3)."""
    store.save(*sample(1))
    document, extraction = sample(2)
    besmaya = new_event(
        "doc2",
        2,
        date=dt.date(2020, 3, 16),
        place=Place(place_id="besmaya", name="Besmaya Base", country="Iraq"),
        actors=[],
        claims=[
            Claim(
                claimant_id="usbat-al-thairen", claimed_on=dt.date(2020, 3, 17), document_id="doc2"
            )
        ],
        attributions=[],
    )
    store.save(document, extraction.model_copy(update={"events": [*extraction.events, besmaya]}))
    document, extraction = sample(3)
    erbil = new_event(
        "doc3",
        1,
        date=dt.date(2021, 2, 15),
        date_end=dt.date(2021, 2, 16),
        event_type="Explosions/Remote violence",
        sub_event_type="air/drone strike",
        place=Place(place_id="erbil", name="Erbil", country="Iraq"),
        actors=[EventActor(actor_id="awliya-al-dam", name="Awliya al-Dam", role="perpetrator")],
        claims=[],
    )
    store.save(document, extraction.model_copy(update={"events": [erbil]}))
    return store


def ids(events: list[Event]) -> list[str]:
    return [e.id for e in events]


def test_all_events_come_in_date_order(filled: Store) -> None:
    assert ids(filled.events()) == ["doc1-e1", "doc2-e1", "doc2-e2", "doc3-e1"]


def test_date_bounds_are_inclusive(filled: Store) -> None:
    assert ids(filled.events(since=dt.date(2020, 3, 16))) == ["doc2-e2", "doc3-e1"]
    assert ids(filled.events(until=dt.date(2020, 3, 11))) == ["doc1-e1", "doc2-e1"]
    window = filled.events(since=dt.date(2020, 3, 12), until=dt.date(2020, 12, 31))
    assert ids(window) == ["doc2-e2"]


def test_types(filled: Store) -> None:
    assert ids(filled.events(sub_event_type="air/drone strike")) == ["doc3-e1"]
    assert len(filled.events(event_type="Explosions/Remote violence")) == 4
    assert filled.events(event_type="Battles") == []


@pytest.mark.parametrize(
    ("actor_id", "expected"),
    [
        ("awliya-al-dam", ["doc3-e1"]),  # an actor of the event
        ("usbat-al-thairen", ["doc1-e1", "doc2-e1", "doc2-e2"]),  # actor or claimant
        ("kataib-hezbollah", ["doc1-e1", "doc2-e1", "doc3-e1"]),  # attributed only
        ("nobody", []),
    ],
)
def test_actor(filled: Store, actor_id: str, expected: list[str]) -> None:
    assert ids(filled.events(actor_id=actor_id)) == expected


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("camp-taji", ["doc1-e1", "doc2-e1"]),
        ("taji", ["doc1-e1", "doc2-e1"]),
        ("BESMAYA", ["doc2-e2"]),
        ("100%", []),
    ],
)
def test_place(filled: Store, place: str, expected: list[str]) -> None:
    assert ids(filled.events(place=place)) == expected


def test_document_and_combined_filters(filled: Store) -> None:
    assert ids(filled.events(document_id="doc2")) == ["doc2-e1", "doc2-e2"]
    combined = filled.events(
        since=dt.date(2020, 3, 1),
        until=dt.date(2020, 3, 31),
        sub_event_type="shelling/artillery/missile attack",
        actor_id="usbat-al-thairen",
        place="Besmaya",
        document_id="doc2",
    )
    assert ids(combined) == ["doc2-e2"]


def test_event_read_back_whole(filled: Store) -> None:
    erbil = filled.event("doc3-e1")
    assert erbil.date_end == dt.date(2021, 2, 16)
    assert erbil.actors[0].role == "perpetrator"
    assert erbil.sources[0].document_id == "doc3"
