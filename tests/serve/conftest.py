"""Serve fixtures: a small store ingested from the demo corpus (once), apps and clients over
copies of it, and a real uvicorn server in a thread for the browser tests.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

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

__all__ = ["BASE", "TOKEN", "TestClient"]


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


@pytest.fixture(scope="module")
def live_server(app: FastAPI) -> Iterator[str]:
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
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
