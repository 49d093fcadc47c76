"""The JSON API over a small store ingested from the demo corpus."""

from __future__ import annotations

import csv
import io

import pytest

from tests.serve.conftest import TestClient

pytestmark = pytest.mark.model

TAJI = "Camp Taji"
SHELLING = "Shelling/artillery/missile attack"


def items(client: TestClient, **params: object) -> list[dict[str, object]]:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, object]] = response.json()["items"]
    return found


def test_events_are_fused_by_default_latest_first(client: TestClient) -> None:
    page = client.get("/api/events").json()
    assert page["kind"] == "fused" and page["total_exact"]
    dates = [i["date"] for i in page["items"]]
    assert dates == sorted(dates, reverse=True)
    taji = next(i for i in page["items"] if i["place_name"] == TAJI and i["n_sources"] > 1)
    assert taji["id"].startswith("f-") and taji["summary"]
    reports = client.get("/api/events", params={"kind": "reports"}).json()
    assert reports["total"] > page["total"]
    assert all(i["n_sources"] == 1 and i["document_id"] for i in reports["items"])


def test_filters_narrow_the_listing(client: TestClient) -> None:
    assert {i["sub_event_type"] for i in items(client, type=SHELLING)} == {SHELLING}
    assert {i["date"] for i in items(client, since="2020-03-14", until="2020-03-14")} == {
        "2020-03-14"
    }
    attributed = items(client, actor="kataib-hezbollah")
    assert attributed and all(
        "kataib-hezbollah" in {a["actor_id"] for a in i["actors"]} for i in attributed
    )
    assert {i["place_name"] for i in items(client, place="camp-taji")} == {TAJI}
    assert {i["place_name"] for i in items(client, place="camp taji")} == {TAJI}
    assert {i["place_name"] for i in items(client, place="Baghdad")} >= {TAJI}
    inside = items(client, bbox="44.0,33.4,44.5,33.7")
    assert inside and {i["place_name"] for i in inside} == {TAJI}
    assert items(client, bbox="38.0,29.0,39.0,30.0") == []
    assert items(client, q="rockets") and items(client, q="no such words anywhere") == []
    assert items(client, claimant="kataib-hezbollah") == []


def test_paging(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 2}).json()
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert first["more"] and len(first["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "44,33,45"},
        {"bbox": "45,33,44,34"},
        {"since": "11 March"},
        {"limit": 501},
        {"offset": -1},
        {"kind": "everything"},
    ],
)
def test_bad_parameters_are_422(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_csv_download(client: TestClient) -> None:
    response = client.get("/api/events.csv", params={"type": SHELLING})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {r["sub_event_type"] for r in rows} == {SHELLING}
    assert {"id", "date", "place", "lat", "lon", "n_sources"} <= set(rows[0])


def test_geojson_download(client: TestClient) -> None:
    response = client.get("/api/events.geojson")
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    point = collection["features"][0]
    assert point["geometry"]["type"] == "Point"
    lon, lat = point["geometry"]["coordinates"]
    assert 38 < lon < 49 and 29 < lat < 38


def test_one_event_with_its_sources_in_context(client: TestClient) -> None:
    taji = items(client, place="camp-taji", since="2020-03-11", until="2020-03-11")[0]
    found = client.get(f"/api/events/{taji['id']}").json()
    assert found["kind"] == "fused" and len(found["members"]) == taji["n_sources"]
    quotes = [s for m in found["members"] for s in m["sources"]]
    assert quotes and all(q["excerpt"]["mark"] for q in quotes)
    assert any("rocket" in q["excerpt"]["mark"].lower() for q in quotes)
    assert set(found["documents"]) >= {q["document_id"] for q in quotes}
    member = found["members"][0]["id"]
    report = client.get(f"/api/events/{member}").json()
    assert report["kind"] == "reports" and report["fused_id"] == taji["id"]
    assert client.get("/api/events/f-0000").status_code == 404


def test_one_actor(client: TestClient) -> None:
    found = client.get("/api/actors/kataib-hezbollah").json()
    assert found["actor"]["name"] and found["actor"]["aliases"]
    assert any(r["relation"] for r in found["relations"])
    assert found["attributions"] and found["events"]
    assert found["signature"]["events"] >= 1
    listed = client.get("/api/actors").json()
    assert any(a["actor_id"] == "kataib-hezbollah" and a["events"] for a in listed)
    assert client.get("/api/actors/nobody-at-all").status_code == 404


def test_network(client: TestClient) -> None:
    found = client.get("/api/network").json()
    ids = {n["id"] for n in found["nodes"]}
    assert "kataib-hezbollah" in ids and found["edges"]
    assert all(e["source"] in ids and e["target"] in ids for e in found["edges"])
    ego = client.get("/api/network", params={"ego": "kataib-hezbollah"}).json()
    assert len(ego["nodes"]) < len(found["nodes"])
    assert client.get("/api/network", params={"ego": "nobody"}).status_code == 404


def test_tempo_outlook_alerts(client: TestClient) -> None:
    tempo = client.get("/api/tempo").json()
    assert tempo["periods"] and tempo["text"]
    assert client.get("/api/tempo", params={"freq": "Y"}).status_code == 422
    outlook = client.get("/api/outlook", params={"as_of": "2020-03-20", "days": 14}).json()
    assert outlook["start"] == "2020-03-20" and outlook["end"] == "2020-04-02"
    assert outlook["forecast"]["model"] and outlook["indicators"]
    alerts = client.get("/api/alerts").json()
    assert isinstance(alerts, list)
    assert all({"indicator_id", "fused_id", "evidence"} <= set(a) for a in alerts)


def test_documents_with_their_spans(client: TestClient) -> None:
    listed = client.get("/api/documents").json()
    assert len(listed) >= 6 and all("text" not in d for d in listed)
    document_id = next(d["document_id"] for d in listed if d["events"])
    found = client.get(f"/api/documents/{document_id}").json()
    text = found["document"]["text"]
    kinds = {s["kind"] for s in found["spans"]}
    assert {"event", "mention"} <= kinds
    for span in found["spans"]:
        assert " ".join(text[span["start"] : span["end"]].split()) == " ".join(span["text"].split())
    assert client.get("/api/documents/nope").status_code == 404


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/actors/{actor_id}",
        "/api/network",
        "/api/tempo",
        "/api/outlook",
        "/api/alerts",
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/events.csv",
    ):
        assert path in paths
    assert "post" in paths["/api/documents"]
    assert paths["/api/documents"]["post"]["security"] == [{"HTTPBearer": []}]
    docs = client.get("/docs").text
    assert "<code>GET /api/events</code>" in docs and "<code>bbox</code>" in docs
    assert '<code>POST /api/documents</code> <span class="role">token</span>' in docs
    assert "cdn" not in docs.lower() and client.get("/redoc").status_code == 404
