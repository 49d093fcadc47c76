"""Listing plans: scan and seek give the same events; probes, caps and time limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.ingest import make_document
from watchfloor.model import (
    Attribution,
    Claim,
    Document,
    Event,
    EventActor,
    Extraction,
    Place,
    SourceSpan,
)
from watchfloor.serve import filters, queries
from watchfloor.serve.filters import EventFilter
from watchfloor.store import Store, schema

TAJI = Place(place_id="camp-taji", name="Camp Taji", lat=33.53, lon=44.26, admin1="Baghdad")
ERBIL = Place(place_id="erbil", name="Erbil", lat=36.19, lon=44.01, admin1="Erbil")
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")


def report(
    day: int,
    place: Place,
    text: str,
    *,
    actors: tuple[str, ...] = (),
    claims: tuple[str, ...] = (),
    blamed: tuple[str, ...] = (),
) -> tuple[Document, Extraction]:
    document = make_document(text, source=f"r{day}.txt", fmt="txt", published=dt.date(2020, 3, day))
    doc_id = document.document_id
    event = Event(
        id=f"{doc_id}-e1",
        date=dt.date(2020, 3, day),
        event_type=SHELLING[0],
        sub_event_type=SHELLING[1],
        place=place,
        actors=[EventActor(actor_id=a, name=a, role="perpetrator") for a in actors],
        claims=[Claim(claimant_id=c, document_id=doc_id) for c in claims],
        attributions=[
            Attribution(actor_id=a, by_actor_id="united-states", document_id=doc_id) for a in blamed
        ],
        sources=[SourceSpan(document_id=doc_id, start=0, end=len(text), text=text)],
    )
    return document, Extraction(document_id=doc_id, events=[event])


@pytest.fixture(scope="module")
def connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    path = tmp_path_factory.mktemp("filters") / "f.db"
    reports = [
        report(1, TAJI, "Rockets hit Camp Taji.", actors=("kataib-hezbollah",)),
        report(5, ERBIL, "A drone hit Erbil airport.", claims=("awliya-al-dam",)),
        report(9, TAJI, "Rockets hit Taji again.", blamed=("kataib-hezbollah",)),
        report(12, ERBIL, "Rockets near Erbil.", claims=("kataib-hezbollah-front",)),
    ]
    with Store.open(str(path)) as store:
        for document, extraction in reports:
            store.save(document, extraction)
        store.refuse()
        with store.engine.connect() as opened:
            yield opened


CASES = [
    EventFilter(actor="kataib-hezbollah"),
    EventFilter(claimant="awliya-al-dam"),
    EventFilter(claimant="kataib-hezbollah"),
    EventFilter(actor="united-states"),
    EventFilter.of(place="camp taji", places=[TAJI, ERBIL]),
    EventFilter.of(place="Erbil", places=[TAJI, ERBIL]),
    EventFilter.of(bbox="43.5,33,45,34"),
    EventFilter.of(bbox="43.5,33,45,34", actor="kataib-hezbollah", since=dt.date(2020, 3, 5)),
]
EXPECTED = [2, 1, 0, 0, 2, 2, 2, 1]


def ids(connection: Connection, table: sa.Table, where: list[sa.ColumnElement[bool]]) -> set[str]:
    return set(connection.execute(sa.select(table.c.id).where(*where)).scalars())


@pytest.mark.parametrize(("found", "expected"), list(zip(CASES, EXPECTED, strict=True)))
@pytest.mark.parametrize("table", [schema.events, schema.fused_events], ids=["reports", "fused"])
def test_scan_and_seek_agree(
    connection: Connection, table: sa.Table, found: EventFilter, expected: int
) -> None:
    seek = ids(connection, table, filters.conditions(table, found))
    scan = ids(connection, table, filters.plan_listing(connection, table, found, scan=True).where)
    planned = ids(connection, table, filters.plan_listing(connection, table, found).where)
    assert seek == scan == planned
    assert len(seek) == expected


@pytest.mark.parametrize("cap", [1, 1000])
def test_listing_is_the_same_whichever_plan(
    connection: Connection, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filters, "PROBE_CAP", cap)
    monkeypatch.setattr(queries, "PROBE_CAP", cap)
    for found, expected in zip(CASES, EXPECTED, strict=True):
        page = queries.list_events(connection, found, kind="fused")
        dates = [item["date"] for item in page.items]
        assert len(page.items) == expected and dates == sorted(dates, reverse=True)
        assert page.total == expected and page.total_exact


def test_the_plan_seeks_through_the_rarest_filter(connection: Connection) -> None:
    found = EventFilter(actor="united-states", claimant="awliya-al-dam")
    plan = filters.plan_listing(connection, schema.fused_events, found)
    assert plan.seek in ("actor", "claimant") and not plan.tentative
    boxed = filters.plan_listing(connection, schema.fused_events, EventFilter.of(bbox="0,0,1,1"))
    assert boxed.seek == "bbox" and boxed.tentative


def test_a_count_out_of_time_gives_a_lower_bound(
    connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "COUNT_SECONDS", 0.0)
    monkeypatch.setattr(filters, "PROGRESS_STEPS", 1)
    page = queries.list_events(connection, EventFilter(), limit=2)
    assert len(page.items) == 2 and page.more
    assert page.total == 3 and not page.total_exact
    monkeypatch.setattr(filters, "BOX_PROBE_SECONDS", 0.0)
    box = EventFilter.of(bbox="43.5,33,45,34")
    assert filters.probe(connection, schema.fused_events, box, "bbox") == filters.PROBE_CAP - 1


def test_the_connection_works_after_an_interrupted_count(
    connection: Connection, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(queries, "COUNT_SECONDS", 0.0)
    monkeypatch.setattr(filters, "PROGRESS_STEPS", 1)
    assert queries.count_events(connection, schema.events, []) is None
    assert connection.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar() == 4
