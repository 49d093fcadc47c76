"""Pages and API on stores without the model: an empty store, and one of handmade records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import BASE, TestClient
from tests.serve.test_filters import TAJI, report
from watchfloor.serve import queries
from watchfloor.serve.app import create_app
from watchfloor.store import Store

PAGES = ["/", "/events", "/network", "/actors", "/documents", "/upload", "/docs"]
API = ["/api/events", "/api/events.csv", "/api/events.geojson", "/api/actors", "/api/network",
       "/api/tempo", "/api/outlook", "/api/alerts", "/api/documents"]  # fmt: skip


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("empty") / "empty.db")
    with TestClient(create_app(db), base_url=BASE) as client:
        yield client


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("handmade") / "h.db")
    with Store.open(db) as store:
        for day, actor in ((3, "unlisted-brigade"), (4, "kataib-hezbollah")):
            document, extraction = report(day, TAJI, f"Rockets hit Taji on day {day}.",
                                          actors=(actor,))  # fmt: skip
            store.save(document, extraction)
        store.refuse()
    with TestClient(create_app(db), base_url=BASE) as client:
        yield client


@pytest.mark.parametrize("path", PAGES + API)
def test_an_empty_store_renders_everywhere(empty: TestClient, path: str) -> None:
    response = empty.get(path)
    assert response.status_code == 200, response.text
    if path == "/api/events":
        assert response.json()["items"] == [] and response.json()["total"] == 0


def test_an_actor_known_only_from_reports_has_a_page(handmade: TestClient) -> None:
    found = handmade.get("/api/actors/unlisted-brigade").json()
    assert found["actor"]["name"] == "unlisted-brigade" and found["actor"]["candidate"]
    assert len(found["events"]) == 1 and found["signature"]["events"] == 1
    assert "unlisted-brigade" in handmade.get("/actors/unlisted-brigade").text
    assert handmade.get("/actors/never-seen").status_code == 404


def test_type_choices_leap_through_the_index(handmade: TestClient) -> None:
    html = handmade.get("/events").text
    assert '<option value="Shelling/artillery/missile attack">' in html
    assert '<option value="Explosions/Remote violence">' in html


def test_analyses_read_three_years_back_from_the_latest_event(
    handmade: TestClient, tmp_path: Path
) -> None:
    tempo = handmade.get("/api/tempo").json()
    assert tempo["since"] == (dt.date(2020, 3, 4) - dt.timedelta(days=3 * 365)).isoformat()
    with Store.open(str(tmp_path / "none.db")) as store, store.engine.connect() as connection:
        assert queries.latest_day(connection) is None
        assert queries.distinct_values(connection, queries.schema.events.c.event_type) == []
