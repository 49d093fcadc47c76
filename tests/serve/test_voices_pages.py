"""The statements, narratives and effects pages, and a hostile quotation that must stay inert,
over a store built without the model."""

from __future__ import annotations

import json
import re

import pytest

from tests.serve.conftest import TestClient
from tests.serve.voices_store import SAYINGS
from watchfloor.serve.security import CSP

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
ESCAPED = "&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&#34;window"


def rows(html: str) -> list[str]:
    return re.findall(r'data-statement-id="([^"]+)"', html)


def assert_inert(html: str) -> None:
    """No script but our own files and JSON blocks, no handler attribute, no raw hostile tag."""
    for attributes in SCRIPT_TAG.findall(html):
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.IGNORECASE)
    assert "<script>window" not in html and "<img src=x" not in html
    assert "javascript:" not in html.lower()


def test_statements_page_lists_each_quote_with_a_link_to_its_sentence(
    voices_client: TestClient,
) -> None:
    response = voices_client.get("/statements")
    assert response.status_code == 200
    html = response.text
    assert len(rows(html)) == len(SAYINGS)
    links = re.findall(r'<a class="said" href="([^"]+)"[^>]*>“([^”]*)”</a>', html)
    assert len(links) == len(SAYINGS)
    href = next(h for h, w in links if "heavy price" in w)
    found = re.fullmatch(r"/documents/(\w+)\?start=(\d+)&amp;end=(\d+)#focus", href)
    assert found
    document = voices_client.get(f"/documents/{found[1]}?start={found[2]}&end={found[3]}").text
    focus = re.search(r'<mark class="[^"]*k-focus[^"]*"[^>]*id="focus">(.*?)</mark>', document)
    assert focus and "heavy price" in focus[1]
    assert "k-statement" in document and "threat by asaib-ahl-al-haq" in document
    assert 'href="/statements" class="here"' in html and 'href="/effects"' in html


def test_statements_page_filters_and_pages(voices_client: TestClient) -> None:
    html = voices_client.get("/statements", params={"kind": ["threat", "ultimatum"]}).text
    assert len(rows(html)) == 4
    assert 'value="threat" checked' in html and 'value="denial" checked' not in html
    asaib = voices_client.get("/statements", params={"actor": "asaib-ahl-al-haq"}).text
    assert len(rows(asaib)) == 1
    dated = voices_client.get("/statements", params={"since": "2020-03-18", "q": "occupation"}).text
    assert len(rows(dated)) == 1 and 'value="occupation"' in dated
    bad = voices_client.get("/statements", params={"kind": "rumour"})
    assert bad.status_code == 422 and "unknown kind(s)" in bad.text


def test_narratives_panel_embeds_its_data_as_json(voices_client: TestClient) -> None:
    html = voices_client.get("/statements").text
    block = re.search(r'<script type="application/json" id="narratives-data">(.*?)</script>', html)
    assert block
    data = json.loads(block[1])
    assert data["rising"] == ["us-occupier"] and data["weeks"]
    assert '<tr data-theme="us-occupier">' in html and '<span class="rising">rising</span>' in html
    assert 'id="narratives-chart"' in html and '<script src="/static/dashboard.js">' in html


def test_a_hostile_quote_renders_inert(voices_client: TestClient) -> None:
    for path in ("/statements", "/statements?q=burn", "/actors/kataib-hezbollah"):
        response = voices_client.get(path)
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CSP
        html = response.text
        assert ESCAPED in html, path
        assert_inert(html)
    api = voices_client.get("/api/statements", params={"q": "burn"}).json()["items"][0]
    document = voices_client.get(api["link"].split("#")[0]).text
    assert ESCAPED in document
    assert_inert(document)


def test_actor_page_shows_its_threats_and_statements(voices_client: TestClient) -> None:
    html = voices_client.get("/actors/kataib-hezbollah").text
    threats = html.split('<h2 id="threats">', 1)[1].split('<h2 id="statements">', 1)[0]
    assert "Threats and ultimatums (3)" in threats
    assert {"threat", "ultimatum"} == set(re.findall(r'class="kind k-(\w+)"', threats))
    said = html.split('<h2 id="statements">', 1)[1].split("<h2>Signature</h2>", 1)[0]
    assert "Latest statements (5)" in said and "humiliating defeat" in said
    assert 'href="/statements?actor=kataib-hezbollah"' in said
    api = voices_client.get("/api/actors/kataib-hezbollah").json()
    assert api["threats_total"] == 3 and len(api["statements"]) == 5


def test_effects_page_shows_each_strike_with_its_verdict(voices_client: TestClient) -> None:
    html = voices_client.get("/effects", params={"actor": "us"}).text
    strikes = re.findall(r'<tr data-intervention="([^"]+)">', html)
    assert len(strikes) == 2
    assert '<span class="verdict v-drop">drop</span>' in html
    assert "After the air/drone strike by united-states against kataib-hezbollah" in html
    assert "Of 2 interventions" in html and '<option value="Air/drone strike" selected>' in html
    one = voices_client.get("/effects", params={"at": "2020-03-13", "window": "4w"}).text
    sentence = re.search(r'<p id="one-sentence">(.*?)</p>', one, re.S)
    assert sentence and "After 2020-03-13" in sentence[1] and "drop" in sentence[1]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"at": "someday"}, "is not a day"),
        ({"actor": "no-such-actor-anywhere"}, "no actor with id"),
    ],
)
def test_effects_page_says_what_it_cannot_answer(
    voices_client: TestClient, params: dict[str, str], words: str
) -> None:
    response = voices_client.get("/effects", params=params)
    assert response.status_code == 422 and words in response.text
    assert 'class="error"' in response.text


def test_a_bad_window_gives_an_error_page(voices_client: TestClient) -> None:
    response = voices_client.get("/effects", params={"window": "soon"})
    assert response.status_code == 422
    assert "<h1>Error 422</h1>" in response.text and "is not a span" in response.text
