"""The statements page in Chromium: the quotations listed, the narratives chart drawn offline,
a quotation followed to its sentence in the document, and the hostile one inert."""

from __future__ import annotations

from typing import Any

import pytest

from tests.serve.conftest import watch

pytestmark = pytest.mark.browser


def test_statements_page_shows_quotes_and_the_narratives_chart(
    browser: Any, voices_server: str
) -> None:
    with watch(browser, voices_server) as watched:
        page = watched.open("/statements")
        page.wait_for_selector("#narratives-chart .main-svg")
        quotes = page.locator("table.statements a.said").all_inner_texts()
        assert any("we will strike the occupier wherever it hides" in q for q in quotes)
        assert any("<script>window.__pwned=1</script>" in q for q in quotes)  # shown as text
        assert page.evaluate("document.getElementById('narratives-chart').data.length") == 2
        page.locator("a.said", has_text="heavy price").click()
        focus = page.locator("#focus")
        focus.wait_for()
        assert "the occupiers will pay a heavy price" in focus.inner_text()
        watched.assert_clean()
