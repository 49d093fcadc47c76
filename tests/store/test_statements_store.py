"""Statements in the store: round trip, filters, re-extraction and rollback, on both backends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from tests.store.conftest import Sample, span
from watchfloor.errors import StoreError
from watchfloor.model import Extraction, SourceSpan, Statement
from watchfloor.store import Store, db


def statement(document_id: str, n: int, **fields: Any) -> Statement:
    """A statement of the document, its fields overridable."""
    values: dict[str, Any] = {
        "id": f"{document_id}-s{n}",
        "document_id": document_id,
        "speaker_id": "usbat-al-thairen",
        "speaker_name": "Usbat al-Thairen",
        "kind": "victory_claim",
        "plover": None,
        "cameo": "013",
        "verb": "claimed",
        "date": dt.date(2020, 3, 15),
        "date_precision": "day",
        "date_basis": "stated",
        "channel": "telegram",
        "target_ids": ["united-states"],
        "content": span(document_id, "the attack on Telegram on March 15"),
        "quotes": [SourceSpan(document_id=document_id, start=0, end=8, text="On March")],
        "span": span(document_id, "Usbat al-Thairen claimed the attack on Telegram on March 15."),
        "reasons": ["speech verb 'claimed'"],
    }
    values.update(fields)
    return Statement.model_validate(values)


def with_statements(extraction: Extraction, *statements: Statement) -> Extraction:
    return extraction.model_copy(update={"statements": list(statements)})


def test_round_trip_keeps_every_field(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    said = statement("doc1", 1, deadline=dt.date(2020, 4, 1), condition="or face consequences")
    store.save(document, with_statements(extraction, said))
    assert store.statements() == [said]
    assert store.counts()["statements"] == 1


def test_filters(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    kept = [
        statement("doc1", 1),
        statement(
            "doc1",
            2,
            speaker_id="abu-ali-al-askari",
            on_behalf_of="kataib-hezbollah",
            kind="threat",
            date=dt.date(2020, 3, 19),
        ),
        statement("doc1", 3, speaker_id="kataib-hezbollah", kind="ultimatum", date=None),
    ]
    store.save(document, with_statements(extraction, *kept))
    assert [s.id for s in store.statements()] == ["doc1-s1", "doc1-s2", "doc1-s3"]
    assert [s.id for s in store.statements(actor_id="kataib-hezbollah")] == ["doc1-s2", "doc1-s3"]
    assert [s.id for s in store.statements(kind="threat")] == ["doc1-s2"]
    assert [s.id for s in store.statements(kind=["threat", "ultimatum"])] == ["doc1-s2", "doc1-s3"]
    assert [s.id for s in store.statements(since=dt.date(2020, 3, 16))] == ["doc1-s2"]
    assert [s.id for s in store.statements(until=dt.date(2020, 3, 16))] == ["doc1-s1"]
    assert store.statements(document_id="doc9") == []


def test_replace_extraction_replaces_the_statements(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    store.save(document, with_statements(extraction, statement("doc1", 1)))
    store.replace_extraction(with_statements(extraction, statement("doc1", 1, kind="threat")))
    assert [s.kind for s in store.statements()] == ["threat"]


def test_a_failure_writing_statements_leaves_nothing(
    store: Store, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = db.insert_rows

    def fail_on_statements(connection: sa.Connection, table: sa.Table, batch: list[Any]) -> None:
        if table.name == "statements":
            raise RuntimeError("disk full")
        real_insert(connection, table, batch)

    monkeypatch.setattr(db, "insert_rows", fail_on_statements)
    document, extraction = sample(1)
    with pytest.raises(StoreError, match="could not save document doc1"):
        store.save(document, with_statements(extraction, statement("doc1", 1)))
    assert store.counts()["documents"] == 0
    assert store.statements() == []


def test_deleting_a_document_takes_its_statements(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    store.save(document, with_statements(extraction, statement("doc1", 1)))
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM documents WHERE document_id = 'doc1'")
    assert store.statements() == []
