"""Serve fixtures: a small store ingested from the demo corpus (once), apps and clients over
copies of it, a store of statements and attacks built without the model, real uvicorn
servers in a thread, and Chromium for the browser tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

from tests.serve import voices_store
from watchfloor import pipeline
from watchfloor.extract import Extractor, build_extractor
from watchfloor.serve.app import create_app
from watchfloor.store import Store

with warnings.catch_warnings():
    # starlette's TestClient warns at import that it prefers httpx2; httpx works.
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "demo" / "corpus"
SEED_FILES = [
    DEMO / "2020-03" / "taji-wire-1.txt",
    DEMO / "2020-03" / "taji-hit-again.md",
    DEMO / "2020-03" / "taji-coalition-statement.html",
    DEMO / "2020-03" / "besmaya-two-rockets.txt",
    DEMO / "2020-03" / "usbat-al-thairen-claims.md",
    DEMO / "2020-03" / "us-strikes-kh-depots.txt",
]
TOKEN = "test-token-3f9a"
BASE = "http://127.0.0.1"

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

__all__ = ["BASE", "TOKEN", "TestClient", "Watched", "watch"]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real extractor (spaCy model and knowledge base), loaded once."""
    return build_extractor()


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """A store of a handful of demo reports, ingested and fused as `watchfloor ingest` does."""
    path = tmp_path_factory.mktemp("serve") / "seeded.db"
    with Store.open(str(path)) as store:
        summary = pipeline.run(SEED_FILES, store=store, extractor=extractor)
    assert summary.clean and summary.events > 0, summary
    return path


def copy_store(seeded: Path, folder: Path) -> str:
    """A copy of the seeded store that a test may write to."""
    target = folder / "copy.db"
    shutil.copy(seeded, target)
    return str(target)


@pytest.fixture(scope="module")
def app(seeded: Path, tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> FastAPI:
    """An app over a copy of the seeded store, with a token and the shared extractor."""
    db = copy_store(seeded, tmp_path_factory.mktemp("app"))
    return create_app(db, token=TOKEN, extractor=extractor, max_upload_bytes=200_000)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client of that app, on a loopback host name."""
    with TestClient(app, base_url=BASE) as opened:
        yield opened


def free_port() -> int:
    """A TCP port that is free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(app: FastAPI) -> Iterator[str]:
    """The seeded app served by uvicorn; its base URL."""
    with serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def voices_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of statements (one hostile) and of attacks and strikes, built without the model."""
    path = tmp_path_factory.mktemp("voices") / "voices.db"
    voices_store.build(str(path))
    return path


@pytest.fixture(scope="module")
def voices_app(voices_db: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """An app over a copy of the statements store."""
    return create_app(copy_store(voices_db, tmp_path_factory.mktemp("voices-app")))


@pytest.fixture(scope="module")
def voices_client(voices_app: FastAPI) -> Iterator[TestClient]:
    """A test client of the statements app."""
    with TestClient(voices_app, base_url=BASE) as opened:
        yield opened


@pytest.fixture(scope="module")
def voices_server(voices_app: FastAPI) -> Iterator[str]:
    """The statements app served by uvicorn; its base URL."""
    with serving(voices_app) as base:
        yield base


@dataclass
class Watched:
    """A page, and what it did that it should not: requests off loopback, dialogs, errors."""

    page: Any
    base: str
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left 127.0.0.1: {self.outside}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        blocked = [e for e in self.errors if "Content Security Policy" in e]
        assert blocked == [], blocked


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; skip where it is absent (fail under CI=true)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        opened = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield opened
        opened.close()


@contextmanager
def watch(browser: Any, base: str) -> Iterator[Watched]:
    """A fresh page on the server at `base`, its requests guarded and recorded."""
    context = browser.new_context()
    found = Watched(page=None, base=base)

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            found.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda dialog: (found.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: found.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: found.errors.append(str(error)))
    found.page = page
    try:
        yield found
    finally:
        context.close()
