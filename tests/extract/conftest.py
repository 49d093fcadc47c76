"""Fixtures for extraction tests: the full extractor, loaded once per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from watchfloor.extract import Extractor, build_extractor
from watchfloor.ingest import Skipped, read_path
from watchfloor.model import Document
from watchfloor.store import Store


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real pipeline: en_core_web_sm with the knowledge base's EntityRuler."""
    return build_extractor()


def load_document(path: Path, published: dt.date | None) -> Document:
    """Read one file as ingest does, with the given publication date."""
    items = list(read_path(path, published=published))
    assert len(items) == 1 and not isinstance(items[0], Skipped), items
    document = items[0]
    assert isinstance(document, Document)
    return document


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store in a temporary folder."""
    with Store.open(str(tmp_path / "t.db")) as opened:
        yield opened
