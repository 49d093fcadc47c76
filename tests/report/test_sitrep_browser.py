"""The SITREP in a real browser (Debian's Chromium, offline) and the PDF as page images.

The HTML must load with no request leaving the machine and no console error, show
its chart and map, and run none of the hostile markup in its documents; the PDF
must turn into plausible, non-blank pages with pdftoppm.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from watchfloor.report.sitrep import Sitrep, build_sitrep, write_sitrep

from .sitrep_store import build_store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def _need(path: str | None, what: str) -> str:
    """The tool's path; skip without it, except under CI=true where it must be there."""
    if path and Path(path).exists():
        return path
    message = f"{what} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def sitrep(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sitrep]:
    store = build_store(tmp_path_factory.mktemp("browser") / "small.db")
    yield build_sitrep(store, since=dt.date(2020, 3, 1), title="Browser SITREP")
    store.close()


def test_html_renders_offline_without_errors(sitrep: Sitrep, tmp_path: Path) -> None:
    executable = _need(CHROMIUM, f"Chromium ({CHROMIUM})")
    sync_api = pytest.importorskip("playwright.sync_api")
    (page_file,) = write_sitrep(sitrep, tmp_path / "sitrep.html")
    left: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file://", "data:")):
            request_route.continue_()
        else:
            left.append(url)
            request_route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", route)
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            for element in ("#tempo-chart", "#event-map", "#network-chart"):
                assert page.locator(element).is_visible(), element
                width = page.eval_on_selector(element, "img => img.naturalWidth")
                assert width > 200, (element, width)
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("section#takeaways li").count() >= 3
            for section in ("#statements", "#effects"):
                assert page.locator(section).is_visible(), section
            assert page.locator("section#statements table.threats tbody tr").count() == 1
            page.locator("section#statements table.threats a.ref").first.click()
            assert page.evaluate("location.hash").startswith("#src-")
            shot = tmp_path / "sitrep.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert left == []
    assert errors == []
    _check_image(shot, min_width=1000, min_height=2000)


def test_pdf_pages_are_real(sitrep: Sitrep, tmp_path: Path) -> None:
    pdftoppm = _need(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")
    (pdf,) = write_sitrep(sitrep, tmp_path / "sitrep.pdf")
    subprocess.run([pdftoppm, "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2  # the report does not fit on one A4 page
    for page in pages:
        _check_image(page, min_width=300, min_height=420, max_width=360)


def _check_image(path: Path, *, min_width: int, min_height: int, max_width: int = 10**5) -> None:
    """A PNG of plausible size with something drawn on it (not one flat colour)."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image_module = pytest.importorskip("PIL.Image")
    with image_module.open(path) as image:
        width, height = image.size
        assert min_width <= width <= max_width and height >= min_height, image.size
        grey = image.convert("L")
        histogram = grey.histogram()
        dark = sum(histogram[:200])
        assert dark > 0.005 * width * height, "the page is blank"
