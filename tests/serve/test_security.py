"""Security: headers, no inline script, escaping, the write token, size limits, bound SQL,
host names. Tests that ingest go through the real extractor (model)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.serve.conftest import BASE, TOKEN, TestClient, copy_store
from watchfloor.serve import filters
from watchfloor.serve.app import create_app
from watchfloor.serve.pages import TEMPLATES, environment
from watchfloor.serve.security import CSP
from watchfloor.store import Store, schema

PAGES = ["/", "/events", "/network", "/actors", "/documents", "/upload", "/docs",
         "/actors/kataib-hezbollah", "/statements", "/effects"]  # fmt: skip
HOSTILE = (
    "---\n"
    'title: "<script>window.__pwned=1</script> Rockets report"\n'
    "url: javascript:window.__pwned=3\n"
    "published: 2020-03-21\n"
    "---\n"
    "BAGHDAD, March 21 - Three rockets struck Camp Taji on Saturday. "
    "<script>window.__pwned=1</script> "
    '<img src=x onerror="window.__pwned=2"> '
    '<a href="javascript:window.__pwned=3">click here</a> '
    "No group claimed the attack.\n"
)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture(scope="module")
def tokenless(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of an app that has no token configured."""
    db = copy_store(seeded, tmp_path_factory.mktemp("tokenless"))
    with TestClient(create_app(db, token=None), base_url=BASE) as opened:
        yield opened


def script_attributes(html: str) -> list[str]:
    return SCRIPT_TAG.findall(html)


@pytest.mark.model
@pytest.mark.parametrize("path", [*PAGES, "/api/events", "/static/dashboard.js"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert policy == CSP
    script = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script.split() == ["script-src", "'self'"]
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.model
@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script(client: TestClient, path: str) -> None:
    html = client.get(path).text
    for attributes in script_attributes(html):
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)
    assert "javascript:" not in html.lower()


def test_templates_never_mark_text_safe() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), template.name
        assert "autoescape" not in text and "Markup" not in text, template.name
    assert environment.autoescape is True


def test_json_in_pages_cannot_close_its_script_block() -> None:
    hostile = "</script><script>alert(1)</script>"
    network = {
        "nodes": [
            {
                "id": "x",
                "name": hostile,
                "kind": "militia",
                "degree": 0.0,
                "betweenness": 0.0,
                "community": 0,
            }
        ],
        "edges": [],
    }
    html = environment.get_template("network.html").render(
        nav=(), path="/network", title="t", network=network, ego=hostile
    )
    block = html.split('id="network-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "\\u003c/script\\u003e" in block
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html


def test_bound_parameters_never_become_sql(tmp_path: Path) -> None:
    evil = "x' OR '1'='1"
    found = filters.EventFilter.of(
        actor=evil, claimant=evil, place=evil, text=evil, types=[evil], bbox="1,2,3,4"
    )
    with Store.open(str(tmp_path / "empty.db")) as store, store.engine.connect() as connection:
        for table in (schema.events, schema.fused_events):
            plan = filters.plan_listing(connection, table, found)
            for where in (plan.where, filters.conditions(table, found)):
                statement = sa.select(table.c.id).where(*where).order_by(*plan.order)
                compiled = statement.compile(
                    connection, compile_kwargs={"render_postcompile": True}
                )
                assert evil not in str(compiled) and "x'" not in str(compiled)
                assert evil in compiled.params.values()


@pytest.mark.model
def test_injection_in_filters_matches_nothing_and_harms_nothing(client: TestClient) -> None:
    before = client.get("/api/events").json()["total"]
    for name in ("actor", "claimant", "place", "q", "type", "event_type"):
        for evil in ("x' OR '1'='1", "x'; DROP TABLE events; --", '" OR 1=1 --', "%", "_"):
            response = client.get("/api/events", params={name: evil})
            assert response.status_code == 200
            assert response.json()["items"] == [], (name, evil)
    assert client.get("/api/events").json()["total"] == before


@pytest.mark.model
def test_writes_need_the_token(client: TestClient) -> None:
    files = {"file": ("r.txt", b"Rockets hit a base.", "text/plain")}
    none = client.post("/api/documents", files=files)
    assert none.status_code == 401 and "token" in none.json()["detail"]
    assert none.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/api/documents", files=files, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    page = client.post("/upload", files=files, data={"token": "nope"})
    assert page.status_code == 401 and "valid token" in page.text


@pytest.mark.model
def test_without_a_token_writes_are_refused_with_a_reason(tokenless: TestClient) -> None:
    files = {"file": ("r.txt", b"Rockets hit a base.", "text/plain")}
    response = tokenless.post(
        "/api/documents", files=files, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 403
    assert "no token configured" in response.json()["detail"]
    assert "WATCHFLOOR_TOKEN" in response.json()["detail"]
    assert "Writes are disabled" in tokenless.get("/upload").text


@pytest.mark.model
def test_uploads_over_the_limit_are_413(client: TestClient) -> None:
    big = b"x" * 300_000
    headers = {"Authorization": f"Bearer {TOKEN}"}
    declared = client.post("/api/documents", files={"file": ("big.txt", big)}, headers=headers)
    assert declared.status_code == 413 and "limit" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"y" * 10_000

    streamed = client.post(
        "/api/documents", content=chunks(), headers={**headers, "Content-Type": "text/plain"}
    )
    assert streamed.status_code == 413


@pytest.mark.model
def test_other_host_names_are_refused(client: TestClient) -> None:
    assert client.get("/api/events", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/events", headers={"Host": "localhost:8000"}).status_code == 200


@pytest.mark.model
def test_a_hostile_document_renders_inert(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    files = {"file": ("<hostile>.md", HOSTILE.encode(), "text/markdown")}
    response = client.post("/api/documents", files=files, headers=headers)
    assert response.status_code == 201, response.text
    added = response.json()["added"][0]
    html = client.get(f"/documents/{added['document_id']}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<script>window" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    assert script_attributes(html) == []
    for event in added["events"]:
        page = client.get(f"/events/{event['fused_id'] or event['id']}").text
        assert "<script>window" not in page and 'href="javascript:' not in page
    assert client.get("/documents").text.count("&lt;script&gt;window.__pwned=1") == 1


def test_app_without_loopback_names_is_refused_by_default(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "a.db"))) as default_host:
        assert default_host.get("/api/events").status_code == 400
    with TestClient(create_app(str(tmp_path / "b.db"), allowed_hosts=["*"])) as anyone:
        assert anyone.get("/api/events").status_code == 200
