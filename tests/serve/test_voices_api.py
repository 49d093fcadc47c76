"""The JSON API of statements, narratives and effects, over a store built without the model."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from tests.serve.conftest import TestClient
from tests.serve.voices_store import HOSTILE_QUOTE, SAYINGS
from tests.strikes_store import STRIKE
from watchfloor.store import Store


def listing(client: TestClient, **params: object) -> dict[str, Any]:
    response = client.get("/api/statements", params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def kinds(client: TestClient, **params: object) -> list[str]:
    return [i["kind"] for i in listing(client, **params)["items"]]


def test_statements_latest_first_undated_last(voices_client: TestClient) -> None:
    page = listing(voices_client)
    assert page["total"] == len(SAYINGS) and page["total_exact"] and not page["more"]
    dates = [i["date"] for i in page["items"]]
    assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)
    askari = next(i for i in page["items"] if i["speaker"]["actor_id"] == "abu-ali-al-askari")
    assert askari["speaker"]["name"] == "Abu Ali al-Askari"
    assert askari["role"] == "security official"
    assert askari["on_behalf_of"] == {"actor_id": "kataib-hezbollah", "name": "Kata'ib Hezbollah"}
    assert askari["kind"] == "threat" and askari["codes"]["cameo"] == "138"
    assert askari["targets"] == [{"actor_id": "united-states", "name": "United States"}]
    assert askari["channel"] == "statement" and askari["anonymous"] is False
    assert askari["themes"] == ["us-occupier"]
    ultimatum = next(i for i in page["items"] if i["kind"] == "ultimatum")
    assert ultimatum["deadline"] == "2020-12-31"


def test_each_quote_points_at_its_words_in_the_document(voices_client: TestClient) -> None:
    for item in listing(voices_client)["items"]:
        quote, sentence = item["quote"], item["sentence"]
        text = voices_client.get(f"/api/documents/{quote['document_id']}").json()["document"]
        assert text["text"][quote["start"] : quote["end"]] == quote["text"]
        assert text["text"][sentence["start"] : sentence["end"]] == sentence["text"]
        assert quote["text"] in sentence["text"]
        assert quote["link"] == (
            f"/documents/{quote['document_id']}?start={quote['start']}&end={quote['end']}#focus"
        )
        assert item["link"] == sentence["link"]


def test_statement_filters(voices_client: TestClient) -> None:
    kh = listing(voices_client, actor="kataib-hezbollah")["items"]
    assert {i["speaker"]["actor_id"] for i in kh} == {"kataib-hezbollah", "abu-ali-al-askari"}
    assert len(kh) == 5
    threats = listing(voices_client, kind=["threat", "ultimatum"])
    assert sorted({i["kind"] for i in threats["items"]}) == ["threat", "ultimatum"]
    assert threats["total"] == 4
    march = listing(voices_client, since="2020-03-17", until="2020-03-19")["items"]
    assert [i["date"] for i in march] == ["2020-03-19", "2020-03-18"]
    assert kinds(voices_client, q="OCCUPIER") == ["threat", "threat"]
    assert kinds(voices_client, q="heavy   price") == ["threat"]
    assert kinds(voices_client, q="onerror") == ["threat"]
    assert kinds(voices_client, q="Washington") == ["victory_claim"]  # in the words
    assert kinds(voices_client, q="Kataib") == []  # only in the sentence, not the words
    assert kinds(voices_client, q="statement") == []  # a field's value, not the words
    assert listing(voices_client, actor="nobody")["total"] == 0


def test_statement_paging(voices_client: TestClient) -> None:
    first = listing(voices_client, limit=2)
    second = listing(voices_client, limit=2, offset=2)
    last = listing(voices_client, limit=2, offset=4)
    assert first["more"] and second["more"] and not last["more"]
    ids = [i["id"] for p in (first, second, last) for i in p["items"]]
    assert len(ids) == len(set(ids)) == len(SAYINGS)
    assert ids == [i["id"] for i in listing(voices_client)["items"]]
    words = listing(voices_client, q="the", limit=1, offset=1)
    assert words["total"] == 5 and words["more"] and len(words["items"]) == 1


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"kind": "rumour"}, "unknown kind(s) 'rumour'"),
        ({"since": "19 March"}, "since: not a date"),
        ({"since": "2020-03-20", "until": "2020-03-01"}, "is after until"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_statement_filters_are_422(
    voices_client: TestClient, params: dict[str, object], words: str
) -> None:
    response = voices_client.get("/api/statements", params=params)
    assert response.status_code == 422
    assert words in str(response.json()["detail"])


def test_one_statement(voices_client: TestClient) -> None:
    item = listing(voices_client, kind="ultimatum")["items"][0]
    found = voices_client.get(f"/api/statements/{item['id']}").json()
    assert found["id"] == item["id"] and found["quotes"] == [item["quote"]]
    assert found["excerpt"]["mark"] == item["sentence"]["text"]
    assert found["excerpt"]["before"] == "BAGHDAD - "
    assert found["document"]["title"] == "Statement 2"
    missing = voices_client.get("/api/statements/no-such-statement")
    assert missing.status_code == 404 and "no statement" in missing.json()["detail"]


def test_narratives(voices_client: TestClient) -> None:
    found = voices_client.get("/api/narratives").json()
    assert found["as_of"] == "2020-03-21" and found["recent_weeks"] == 2
    assert found["rising"] == ["us-occupier"]
    occupier = found["themes"][0]
    assert occupier["id"] == "us-occupier" and occupier["rising"] and occupier["recent"] == 3
    assert len(occupier["counts"]) == len(found["weeks"]) and found["weeks"][-1] == "2020-03-16"
    assert occupier["counts"][-1] == 3 and sum(occupier["counts"]) == 3
    by_actor = {a["actor_id"]: a["counts"][-1] for a in occupier["by_actor"]}
    assert by_actor == {"kataib-hezbollah": 2, "asaib-ahl-al-haq": 1}
    victory = next(t for t in found["themes"] if t["id"] == "withdrawal-victory")
    assert not victory["rising"] and sum(victory["counts"]) == 1
    later = voices_client.get("/api/narratives", params={"as_of": "2020-05-01"}).json()
    assert later["rising"] == [] and later["as_of"] == "2020-05-01"
    asaib = voices_client.get("/api/narratives", params={"actor": "asaib-ahl-al-haq"}).json()
    assert asaib["statements"] == 1 and asaib["as_of"] == "2020-03-21"


@pytest.mark.parametrize(
    "params", [{"weeks": 0}, {"baseline": 105}, {"as_of": "March"}, {"weeks": "two"}]
)
def test_bad_narratives_are_422(voices_client: TestClient, params: dict[str, object]) -> None:
    response = voices_client.get("/api/narratives", params=params)
    assert response.status_code == 422 and response.json()["detail"]


def strike_id(voices_app: FastAPI, day: str) -> str:
    store: Store = voices_app.state.desk.store
    return next(f.id for f in store.fused_events(sub_event_type=STRIKE) if str(f.event.date) == day)


def test_effect_at_a_date_and_at_an_event(voices_client: TestClient, voices_app: FastAPI) -> None:
    found = voices_client.get("/api/effects", params={"at": "2020-03-13", "window": "4w"}).json()
    assert found["window_days"] == 28 and found["verdict"] == "drop"
    assert found["ratio"]["low"] < found["ratio"]["value"] < found["ratio"]["high"] < 1
    assert found["sentence"].startswith("After 2020-03-13") and "a drop" in found["sentence"]
    assert found["intervention"]["kind"] == "date"
    strike = strike_id(voices_app, "2020-03-13")
    by_id = voices_client.get("/api/effects", params={"at": strike}).json()
    assert by_id["intervention"] == {
        "id": strike,
        "date": "2020-03-13",
        "label": "the air/drone strike by united-states against kataib-hezbollah",
        "kind": "event",
        "link": f"/events/{strike}",
    }
    assert by_id["verdict"] == "drop" and by_id["window_days"] == 30
    deadline = voices_client.get("/api/effects", params={"at": "kh-deadline-2020-03-15"}).json()
    assert deadline["at"] == "2020-03-15"
    deaths = voices_client.get("/api/effects", params={"at": strike, "what": "fatalities"})
    assert deaths.status_code == 200 and deaths.json()["what"] == "fatalities"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "at"),
        ({"at": "someday"}, "is not a day (YYYY-MM-DD)"),
        ({"at": "soleimani-killed"}, "soleimani-killed:2020"),
        ({"at": "2020-03-13", "window": "soon"}, "window: 'soon' is not a span"),
        ({"at": "2020-03-13", "window": "9y"}, "longer than"),
        ({"at": "2020-03-13", "before": "0d"}, "before"),
        ({"at": "2020-03-13", "what": "everything"}, "what: 'everything' is not one of"),
    ],
)
def test_bad_effects_are_422(
    voices_client: TestClient, params: dict[str, object], words: str
) -> None:
    response = voices_client.get("/api/effects", params=params)
    assert response.status_code == 422
    assert words in str(response.json()["detail"])


def test_effects_table(voices_client: TestClient, voices_app: FastAPI) -> None:
    params = {"actor": "us", "target": "kataib-hezbollah"}
    found = voices_client.get("/api/effects/table", params=params).json()
    assert found["actor"] == "united-states" and found["types"] == [STRIKE]
    assert [r["at"] for r in found["rows"]] == ["2020-01-03", "2020-03-13"]
    march = found["rows"][1]
    assert march["verdict"] == "drop" and march["sentence"] and march["overlaps"] == 1
    assert march["intervention"]["id"] == strike_id(voices_app, "2020-03-13")
    assert "Of 2 interventions, 2 have enough data" in found["summary"]
    everyone = voices_client.get("/api/effects/table").json()  # any state's strikes
    assert len(everyone["rows"]) == 2 and everyone["actor"] is None
    keys = [k for k in voices_app.state.desk._cache if k[0] == "effects-table"]
    assert len(keys) == 2  # each table computed once, then kept while the store is unchanged
    voices_client.get("/api/effects/table", params=params)
    assert len([k for k in voices_app.state.desk._cache if k[0] == "effects-table"]) == 2
    none = voices_client.get("/api/effects/table", params={"type": "Peaceful protest"}).json()
    assert none["rows"] == [] and none["summary"] == "No interventions on record."
    deadlines = voices_client.get("/api/effects/table", params={"deadlines": "true"}).json()
    assert "2020-03-15" in [r["at"] for r in deadlines["rows"]]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"actor": "no-such-actor-anywhere"}, "no actor with id"),
        ({"window": "0d"}, "is not a span"),
        ({"what": "rockets"}, "is not one of"),
    ],
)
def test_bad_effects_tables_are_422(
    voices_client: TestClient, params: dict[str, object], words: str
) -> None:
    response = voices_client.get("/api/effects/table", params=params)
    assert response.status_code == 422
    assert words in str(response.json()["detail"])


def test_hostile_words_stay_plain_text_in_json(voices_client: TestClient) -> None:
    item = listing(voices_client, q="burn their bases")["items"][0]
    assert item["quote"]["text"] == HOSTILE_QUOTE


def test_openapi_documents_the_new_endpoints(voices_client: TestClient) -> None:
    paths = voices_client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/statements",
        "/api/statements/{statement_id}",
        "/api/narratives",
        "/api/effects",
        "/api/effects/table",
    ):
        assert path in paths
    docs = voices_client.get("/docs").text
    assert "<code>GET /api/statements</code>" in docs and "<code>GET /api/effects</code>" in docs
