"""The dashboard in Chromium (Debian's, driven by Playwright): charts drawn offline, filters,
an event's highlighted sentence, an upload, and a hostile page that must stay inert.

Every request the pages make is routed through a guard that lets only 127.0.0.1 through
and records anything else; each test asserts that nothing tried to leave.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve.conftest import DEMO, TOKEN, Watched, watch

pytestmark = [pytest.mark.browser, pytest.mark.model]

SHELLING = "Shelling/artillery/missile attack"
HOSTILE_MD = (
    "---\n"
    'title: "<script>window.__pwned=1</script>Hostile <b>report</b>"\n'
    "url: javascript:window.__pwned=4\n"
    "published: 2020-03-22\n"
    "---\n"
    "BAGHDAD, March 22 - Four rockets struck Camp Taji on Sunday, officials said. "
    "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2;alert('x')\">"
    '<a href="javascript:window.__pwned=3">more</a> '
    '<svg onload="window.__pwned=5"></svg> No group claimed it.\n'
)
HOSTILE_HTML = (
    "<!doctype html><html lang=en><head><title>Rockets &lt;script&gt; page</title>"
    '<link rel="canonical" href="javascript:window.__pwned=6">'
    '<meta property="article:published_time" content="2020-03-23">'
    "<script>window.__pwned=1</script></head><body><article><h1>Rockets hit Besmaya</h1>"
    "<p>BAGHDAD, March 23 - Two rockets struck the Besmaya base on Monday, officials said."
    '<img src="http://203.0.113.9/x.png" onerror="window.__pwned=2">'
    '<a href="javascript:window.__pwned=3">details</a> Nobody claimed it.</p>'
    "<p>&lt;script&gt;window.__pwned=7&lt;/script&gt; was written in the page's text.</p>"
    "</article></body></html>"
)


@pytest.fixture
def watched(browser: Any, live_server: str) -> Iterator[Watched]:
    """A fresh page on the live server, its requests guarded and recorded."""
    with watch(browser, live_server) as found:
        yield found


def upload(watched: Watched, path: Path, published: str = "") -> Any:
    page = watched.open("/upload")
    page.set_input_files("input[name=file]", str(path))
    if published:
        page.fill("input[name=published]", published)
    page.fill("input[name=token]", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Upload')")
    return page


def test_overview_draws_the_tempo_chart_offline(watched: Watched) -> None:
    page = watched.open("/")
    page.wait_for_selector("#tempo-chart .main-svg")
    assert page.locator("table.events tr[data-event-id]").count() > 0
    assert page.evaluate("document.getElementById('tempo-chart').data[0].type") == "bar"
    watched.assert_clean()


def test_the_api_reference_is_a_page_of_our_own(watched: Watched) -> None:
    page = watched.open("/docs")
    assert page.locator("section.operation").count() >= 10
    watched.assert_clean()


def test_filter_events_and_the_map(watched: Watched) -> None:
    page = watched.open("/events")
    page.wait_for_selector("#map .main-svg")
    every = page.locator("tr[data-event-id]").count()
    page.select_option("select[name=type]", SHELLING)
    page.click("#filters button[type=submit]")
    page.wait_for_url("**type=Shelling*")
    types = page.locator("tr[data-event-id] td:nth-child(2) a").all_inner_texts()
    assert types and set(types) == {SHELLING} and len(types) < every
    page.wait_for_selector("#map .main-svg")
    page.wait_for_function("document.getElementById('map').data.length === 3")
    points = page.evaluate("document.getElementById('map').data[2].x.length")
    assert 0 < points <= len(types)
    watched.assert_clean()


def test_an_event_shows_its_highlighted_sentence(watched: Watched) -> None:
    page = watched.open("/events?place=camp-taji")
    page.locator("tr[data-event-id] td:nth-child(2) a").last.click()
    mark = page.locator("mark.source-sentence").first
    mark.wait_for()
    assert "rocket" in " ".join(page.locator("mark.source-sentence").all_inner_texts()).lower()
    page.locator("blockquote.source footer a").first.click()
    focus = page.locator("#focus")
    focus.wait_for()
    assert focus.inner_text().strip()
    watched.assert_clean()


def test_upload_a_document_and_see_its_event(watched: Watched) -> None:
    page = upload(watched, DEMO / "2019-12" / "k1-kirkuk-flash.md")
    link = page.locator("ul.new-events a").first
    link.wait_for()
    link.click()
    page.locator("mark.source-sentence").first.wait_for()
    assert "Kirkuk" in page.content()
    page = watched.open("/events?since=2019-12-27&until=2019-12-27")
    assert page.locator("tr[data-event-id]").count() >= 1
    watched.assert_clean()


@pytest.mark.parametrize(("name", "content"), [("hostile.md", HOSTILE_MD),
                                               ("hostile.html", HOSTILE_HTML)])  # fmt: skip
def test_a_hostile_document_runs_nothing(
    watched: Watched, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    page = upload(watched, path)
    assert page.locator("section.added").count() == 1, page.content()
    pages = [page.locator("section.added h2 a").get_attribute("href")]
    pages += page.locator("ul.new-events a").evaluate_all("links => links.map(a => a.href)")
    for target in pages:
        page.goto(target if target.startswith("http") else watched.base + target)
        page.wait_for_load_state("load")
        hrefs = page.locator("a[href]").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
        assert page.locator("[onerror], [onload], [onclick]").count() == 0
        assert page.locator("article script, main script").count() == 0
        watched.assert_clean()
