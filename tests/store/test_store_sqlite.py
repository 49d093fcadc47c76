"""SQLite specifics: WAL, foreign keys, readers beside a writer, files that are not databases."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from watchfloor.errors import StoreError
from watchfloor.model import Document, Extraction
from watchfloor.store import Store, schema
from watchfloor.store.engine import writer

Sample = Callable[..., tuple[Document, Extraction]]


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    return Store.open(str(tmp_path / "desk.db"))


def document_row(document: Document) -> dict[str, Any]:
    return {**document.model_dump(), "ingested_at": dt.datetime.now(dt.UTC)}


def pragma(store: Store, name: str) -> object:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "desk.db")) as store:
        assert pragma(store, "journal_mode") == "wal"
        assert pragma(store, "foreign_keys") == 1
        assert pragma(store, "busy_timeout") == 30_000
    with sqlite3.connect(tmp_path / "desk.db") as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    plain.close()


def test_paths_and_urls_open_the_same_file(tmp_path: Path, sample: Sample) -> None:
    path = tmp_path / "new" / "folder" / "desk.db"
    with Store.open(str(path)) as store:
        store.save(*sample(1))
    assert path.is_file()
    with Store.open(f"sqlite:///{path}") as store:
        assert store.counts()["documents"] == 1
        assert store.url == f"sqlite:///{path}"


def test_a_reader_is_not_blocked_by_an_open_write(tmp_path: Path, sample: Sample) -> None:
    url = str(tmp_path / "desk.db")
    with Store.open(url) as ingest, Store.open(url) as web:
        ingest.save(*sample(1))
        document, _ = sample(2)
        with writer(ingest.engine).begin() as connection:
            connection.execute(schema.documents.insert(), document_row(document))
            # The write is open and uncommitted: the web page still reads, and sees the
            # last committed state.
            assert [d["document_id"] for d in web.document_rows()] == ["doc1"]
            assert len(web.events()) == 1
        assert [d["document_id"] for d in web.document_rows()] == ["doc1", "doc2"]


def test_a_second_writer_waits_for_the_first(tmp_path: Path, sample: Sample) -> None:
    url = str(tmp_path / "desk.db")
    holding = threading.Event()
    with Store.open(url) as first, Store.open(url) as second:

        def hold_the_write_lock() -> None:
            with writer(first.engine).begin() as connection:
                connection.execute(schema.documents.insert(), document_row(sample(2)[0]))
                holding.set()
                time.sleep(0.5)

        thread = threading.Thread(target=hold_the_write_lock)
        thread.start()
        holding.wait(timeout=10)
        started = time.monotonic()
        assert second.save(*sample(1))  # waits for the lock rather than failing
        waited = time.monotonic() - started
        thread.join()
        assert waited > 0.2
        assert second.counts()["documents"] == 2


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database. " * 200)
    with pytest.raises(StoreError, match=r"not a database.*give another path with --db"):
        Store.open(str(path))
    assert path.read_bytes().startswith(b"These are my notes")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot use"):
        Store.open(str(tmp_path))


def test_closed_store_reopens(sqlite_store: Store, sample: Sample) -> None:
    sqlite_store.save(*sample(1))
    sqlite_store.close()
    with Store.open(sqlite_store.url) as again:
        assert again.counts()["documents"] == 1
