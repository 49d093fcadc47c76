"""Saving and reading back: round trips, idempotence, all-or-nothing, re-extraction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from watchfloor.errors import StoreError
from watchfloor.model import Actor, Document, Event, Extraction, Mention
from watchfloor.store import Store, db, schema

Sample = Callable[..., tuple[Document, Extraction]]


def test_round_trip_keeps_every_record(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    assert store.save(document, extraction) is True
    assert store.find_document(document.content_hash) == document.document_id
    assert store.document(document.document_id) == document
    assert store.documents() == [document]
    assert store.events() == extraction.events
    assert store.event(extraction.events[0].id) == extraction.events[0]
    assert store.mentions() == extraction.mentions
    assert store.mentions(document.document_id) == extraction.mentions
    assert store.mentions("elsewhere") == []
    assert store.candidates() == extraction.candidates
    assert store.relations() == extraction.relations
    assert store.judgments() == extraction.judgments
    assert store.key_dates() == extraction.key_dates


def test_rows_that_analysis_queries_see(store: Store, sample: Sample) -> None:
    store.save(*sample(1))
    with store.engine.connect() as connection:
        event = connection.execute(sa.select(schema.events)).mappings().one()
        claim = connection.execute(sa.select(schema.claims)).mappings().one()
        roles = connection.execute(
            sa.select(schema.event_actors.c.actor_id, schema.event_actors.c.role)
        ).all()
    assert event["date"] == dt.date(2020, 3, 11)
    assert (event["place_name"], event["lat"], event["munitions_count"]) == (
        "Camp Taji",
        33.5289,
        30,
    )
    assert event["munitions_qualifier"] == "more_than"
    assert (event["fatalities_min"], event["fatalities_max"]) == (3, 3)
    assert claim["claimant_id"] == "usbat-al-thairen"
    assert claim["claimed_on"] == dt.date(2020, 3, 15)
    assert sorted(roles) == [("coalition", "target"), ("usbat-al-thairen", "claimant")]


def test_document_without_extraction(store: Store, sample: Sample) -> None:
    document, _ = sample(1)
    assert store.save(document)
    assert store.counts()["documents"] == 1
    assert store.events() == []


def test_same_content_twice_is_stored_once(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    assert store.save(document, extraction) is True
    before = store.counts()
    assert store.save(document, extraction) is False
    renamed = document.model_copy(update={"document_id": "other", "source": "copy.txt"})
    assert store.save(renamed, extraction.model_copy(update={"document_id": "other"})) is False
    assert store.counts() == before


def test_a_concurrent_duplicate_is_not_an_error(
    store: Store, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, extraction = sample(1)
    store.save(document, extraction)
    before = store.counts()
    real_find = db._find
    calls: list[str] = []

    def miss_once(connection: sa.Connection, content_hash: str) -> str | None:
        # As if another process stored the same content between the check and the insert.
        calls.append(content_hash)
        return None if len(calls) == 1 else real_find(connection, content_hash)

    monkeypatch.setattr(db, "_find", miss_once)
    assert store.save(document, extraction) is False
    assert store.counts() == before


@pytest.mark.parametrize("failing", [t.name for t in schema.TABLES])
def test_a_failure_midway_leaves_nothing_of_the_document(
    store: Store, sample: Sample, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    first, first_extraction = sample(1)
    store.save(first, first_extraction)
    before = store.counts()
    real_insert = db.insert_rows

    def insert_or_fail(connection: sa.Connection, table: sa.Table, batch: list[Any]) -> None:
        if table.name == failing:
            raise RuntimeError(f"disk full while writing {table.name}")
        real_insert(connection, table, batch)

    monkeypatch.setattr(db, "insert_rows", insert_or_fail)
    second, second_extraction = sample(2)
    with pytest.raises(StoreError, match="could not save document doc2") as caught:
        store.save(second, second_extraction)
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert store.counts() == before
    assert store.find_document(second.content_hash) is None
    assert store.events() == first_extraction.events

    monkeypatch.setattr(db, "insert_rows", real_insert)
    assert store.save(second, second_extraction) is True


def test_a_database_error_rolls_back_the_document(store: Store, sample: Sample) -> None:
    first, first_extraction = sample(1)
    store.save(first, first_extraction)
    before = store.counts()
    second, _ = sample(2)
    # The same event id as the first document's: the primary key refuses it.
    clash = first_extraction.model_copy(update={"document_id": second.document_id})
    with pytest.raises(StoreError, match="could not save document doc2") as caught:
        store.save(second, clash)
    assert isinstance(caught.value.__cause__, sa.exc.IntegrityError)
    assert store.counts() == before


def test_extraction_of_another_document_is_refused(store: Store, sample: Sample) -> None:
    document, _ = sample(1)
    _, other = sample(2)
    with pytest.raises(StoreError, match="extraction is of document doc2"):
        store.save(document, other)
    assert store.counts()["documents"] == 0


def test_replace_extraction(store: Store, sample: Sample, new_event: Callable[..., Event]) -> None:
    first, first_extraction = sample(1)
    second, second_extraction = sample(2)
    store.save(first, first_extraction)
    store.save(second, second_extraction)
    newer = Extraction(
        document_id=first.document_id,
        events=[
            new_event(first.document_id, 1, sub_event_type="air/drone strike"),
            new_event(first.document_id, 2, date=dt.date(2020, 3, 14)),
        ],
        mentions=first_extraction.mentions[:1],
    )
    store.replace_extraction(newer)
    assert store.events(document_id=first.document_id) == newer.events
    assert store.events(document_id=second.document_id) == second_extraction.events
    assert store.mentions(first.document_id) == newer.mentions
    assert store.judgments() == second_extraction.judgments
    assert store.key_dates() == second_extraction.key_dates
    assert store.relations() == second_extraction.relations
    assert store.document(first.document_id) == first
    counts = store.counts()
    assert (counts["events"], counts["claims"], counts["event_actors"]) == (3, 3, 6)


def test_replace_extraction_of_an_unknown_document(store: Store) -> None:
    with pytest.raises(StoreError, match="no document 'ghost'"):
        store.replace_extraction(Extraction(document_id="ghost"))


def test_replace_extraction_is_all_or_nothing(
    store: Store, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, extraction = sample(1)
    store.save(document, extraction)
    before = store.counts()

    def fail(connection: sa.Connection, table: sa.Table, batch: list[Any]) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(db, "insert_rows", fail)
    with pytest.raises(StoreError, match="could not replace the extraction of doc1"):
        store.replace_extraction(extraction)
    assert store.counts() == before
    assert store.events() == extraction.events


def test_deleting_a_document_takes_its_records(store: Store, sample: Sample) -> None:
    store.save(*sample(1))
    store.save(*sample(2))
    with store.engine.begin() as connection:
        connection.execute(
            schema.documents.delete().where(schema.documents.c.document_id == "doc1")
        )
    counts = store.counts()
    assert counts["documents"] == 1
    assert counts["events"] == counts["claims"] == counts["attributions"] == 1
    assert counts["mentions"] == 2
    assert counts["relations"] == 2


def test_counts(store: Store, sample: Sample) -> None:
    assert store.counts() == dict.fromkeys([t.name for t in schema.TABLES], 0)
    store.save(*sample(1))
    assert store.counts() == {
        "documents": 1,
        "events": 1,
        "event_actors": 2,
        "claims": 1,
        "attributions": 1,
        "mentions": 2,
        "candidate_actors": 1,
        "relations": 2,
        "judgments": 1,
        "key_dates": 1,
        "statements": 0,
    }


def test_listing_leaves_the_text_out(store: Store, sample: Sample) -> None:
    for n in (1, 2, 3):
        store.save(*sample(n))
    listing = store.document_rows()
    assert [row["document_id"] for row in listing] == ["doc1", "doc2", "doc3"]
    assert "text" not in listing[0]
    assert listing[0]["published"] == dt.date(2020, 3, 20)
    assert listing[0]["ingested_at"].tzinfo is not None
    assert len(store.document_rows(limit=2)) == 2
    assert [d.document_id for d in store.documents(limit=1)] == ["doc1"]


def test_unknown_ids_are_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="no document 'nope'"):
        store.document("nope")
    with pytest.raises(StoreError, match="no event 'nope'"):
        store.event("nope")
    assert store.find_document("no-such-hash") is None


def test_candidates_are_merged_by_id(store: Store, sample: Sample) -> None:
    first, first_extraction = sample(1)
    second, second_extraction = sample(2)
    seen_again = second_extraction.candidates[0].model_copy(
        update={"mentions": ["League of Revolutionaries", "Usbat al-Thairen"]}
    )
    other = Actor(actor_id="candidate:x", name="X", candidate=True, mentions=["X"])
    store.save(first, first_extraction)
    store.save(second, second_extraction.model_copy(update={"candidates": [seen_again, other]}))
    merged = store.candidates()
    assert [a.actor_id for a in merged] == ["candidate:usbat-al-thairen", "candidate:x"]
    assert merged[0].mentions == ["Usbat al-Thairen", "League of Revolutionaries"]
    assert all(a.candidate for a in merged)


def test_resolve_judgment(store: Store, sample: Sample) -> None:
    store.save(*sample(1))
    store.resolve_judgment("doc1-j1", True)
    assert store.judgments()[0].outcome is True
    with pytest.raises(StoreError, match="no judgment 'nope'"):
        store.resolve_judgment("nope", False)


def test_mentions_keep_their_spans(store: Store, sample: Sample) -> None:
    document, extraction = sample(1)
    store.save(document, extraction)
    for mention in store.mentions():
        assert isinstance(mention, Mention)
        assert document.text[mention.span.start : mention.span.end] == mention.surface


def test_reopening_keeps_the_data(db_url: str, sample: Sample) -> None:
    document, extraction = sample(1)
    with Store.open(db_url) as store:
        store.save(document, extraction)
    with Store.open(db_url) as store:
        assert store.events() == extraction.events
        assert store.save(document, extraction) is False
