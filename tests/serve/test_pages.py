"""The dashboard's pages, rendered over the seeded store."""

from __future__ import annotations

import json
import re

import pytest

from tests.serve.conftest import TOKEN, TestClient

pytestmark = pytest.mark.model

SHELLING = "Shelling/artillery/missile attack"


def json_block(html: str, block: str) -> object:
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert found, block
    return json.loads(found.group(1))


def event_ids(html: str) -> list[str]:
    return re.findall(r'data-event-id="([^"]+)"', html)


def test_overview(client: TestClient) -> None:
    html = client.get("/").text
    tempo = json_block(html, "tempo-data")
    assert isinstance(tempo, dict) and tempo["periods"]
    assert '<script src="/static/vendor/plotly.min.js">' in html
    assert "Latest events" in html and "Key dates ahead" in html and "Alerts" in html
    assert event_ids(html)


def test_plotly_is_served_from_the_installed_package(client: TestClient) -> None:
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert b"plotly.js v" in response.content[:200]


def test_events_page_filters(client: TestClient) -> None:
    everything = event_ids(client.get("/events").text)
    html = client.get("/events", params={"type": SHELLING, "since": "", "until": ""}).text
    shelling = event_ids(html)
    assert shelling and len(shelling) < len(everything)
    assert html.count(f">{SHELLING}</a>") == len(shelling)
    assert f'<option value="{SHELLING}" selected>' in html
    assert 'data-query="type=Shelling%2Fartillery%2Fmissile+attack&amp;kind=fused"' in html
    reports = event_ids(client.get("/events", params={"kind": "reports"}).text)
    assert len(reports) > len(everything)


def test_bad_filters_give_an_error_page(client: TestClient) -> None:
    response = client.get("/events", params={"bbox": "nonsense"})
    assert response.status_code == 422
    assert "<h1>Error 422</h1>" in response.text and "bounding box" in response.text


def test_event_page_highlights_each_source_sentence(client: TestClient) -> None:
    html = client.get("/events", params={"place": "camp-taji"}).text
    first = event_ids(html)[-1]
    page = client.get(f"/events/{first}").text
    marks = re.findall(r'<mark class="source-sentence">(.*?)</mark>', page, re.S)
    assert marks and any("rocket" in m.lower() for m in marks)
    assert re.search(r'href="/documents/[0-9a-f]+\?start=\d+&amp;end=\d+#focus"', page)
    missing = client.get("/events/f-nothing")
    assert missing.status_code == 404 and "no event" in missing.text


def test_document_page_marks_the_focused_span(client: TestClient) -> None:
    event = client.get("/api/events", params={"place": "camp-taji"}).json()["items"][-1]
    found = client.get(f"/api/events/{event['id']}").json()
    quote = found["members"][0]["sources"][0]
    excerpt = quote["excerpt"]
    url = f"/documents/{quote['document_id']}?start={excerpt['start']}&end={excerpt['end']}"
    html = client.get(url).text
    focused = re.search(r'<mark class="[^"]*k-focus[^"]*"[^>]*id="focus">(.*?)</mark>', html, re.S)
    assert focused and focused.group(1) in excerpt["mark"]
    assert 'class="k-event ' in html or "k-event k-" in html


def test_actor_network_documents_pages(client: TestClient) -> None:
    actor = client.get("/actors/kataib-hezbollah").text
    assert "Relations" in actor and "Signature" in actor and "Attributions" in actor
    assert client.get("/actors/nobody").status_code == 404
    network = client.get("/network").text
    assert json_block(network, "network-data")
    assert "kataib-hezbollah" in client.get("/actors").text
    documents = client.get("/documents").text
    assert "Rockets kill two Americans" in documents


def test_upload_form_and_upload(client: TestClient) -> None:
    form = client.get("/upload").text
    assert 'type="password" name="token"' in form and 'enctype="multipart/form-data"' in form
    text = (
        "BAGHDAD, March 26 (Wire) - Two rockets struck the Besmaya base on Thursday, "
        "officials said. Nobody was hurt.\n"
    )
    response = client.post(
        "/upload",
        files={"file": ("besmaya.txt", text.encode(), "text/plain")},
        data={"token": TOKEN, "published": "2020-03-26"},
    )
    assert response.status_code == 201, response.text
    links = re.findall(r'<ul class="new-events">\s*<li><a href="(/events/[^"]+)"', response.text)
    assert links
    assert "Two rockets struck" in client.get(links[0]).text
    again = client.post(
        "/upload",
        files={"file": ("copy.txt", text.encode(), "text/plain")},
        data={"token": TOKEN},
    )
    assert again.status_code == 200 and "Already stored" in again.text
