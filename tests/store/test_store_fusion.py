"""Store: fused events, their members and the analysts' corrections, on both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from watchfloor.errors import StoreError
from watchfloor.model import Document, Event, Extraction, Place
from watchfloor.resolve.fusion import Correction
from watchfloor.store import Store, schema

Sample = Callable[..., tuple[Document, Extraction]]
BESMAYA = Place(place_id="besmaya", name="Besmaya Base", lat=33.19, lon=44.64, country="Iraq")


@pytest.fixture
def fusing(store: Store) -> Iterator[Store]:
    """The store with fusion's tables emptied too (the shared PostgreSQL database keeps them)."""
    with store.engine.begin() as connection:
        for table in reversed(schema.FUSION_TABLES):
            connection.execute(table.delete())
    yield store


@pytest.fixture
def filled(fusing: Store, sample: Sample, new_event: Callable[..., Event]) -> Store:
    """Taji reported by doc1 and doc2; Besmaya five days later by doc2."""
    fusing.save(*sample(1))
    document, extraction = sample(2)
    besmaya = new_event("doc2", 2, date=dt.date(2020, 3, 16), place=BESMAYA, claims=[])
    fusing.save(document, extraction.model_copy(update={"events": [*extraction.events, besmaya]}))
    return fusing


def test_refuse_fuses_and_stores(filled: Store) -> None:
    assert not filled.fusion_is_current()
    fused = filled.refuse()
    assert [f.member_ids for f in fused] == [["doc1-e1", "doc2-e1"], ["doc2-e2"]]
    assert filled.fusion_is_current()
    assert filled.fused_events() == fused
    assert filled.fused_event(fused[0].id) == fused[0]
    assert fused[0].n_sources == 2


def test_refuse_is_idempotent(filled: Store) -> None:
    first = filled.refuse()
    assert filled.refuse() == first
    assert filled.fused_events() == first


def test_fused_event_filters(filled: Store) -> None:
    filled.refuse()
    since = filled.fused_events(since=dt.date(2020, 3, 12))
    assert [f.member_ids for f in since] == [["doc2-e2"]]
    assert len(filled.fused_events(until=dt.date(2020, 3, 11))) == 1
    assert len(filled.fused_events(place="besmaya")) == 1
    assert len(filled.fused_events(place="TAJI")) == 1
    assert len(filled.fused_events(document_id="doc1")) == 1
    assert len(filled.fused_events(document_id="doc2")) == 2
    assert len(filled.fused_events(actor_id="kataib-hezbollah")) == 2
    assert len(filled.fused_events(actor_id="nobody")) == 0
    shelling = "shelling/artillery/missile attack"
    assert len(filled.fused_events(sub_event_type=shelling)) == 2
    assert len(filled.fused_events(event_type="Protests")) == 0


def test_stored_figures_keep_every_source(filled: Store) -> None:
    fused = filled.refuse()[0]
    with filled.engine.connect() as connection:
        row = connection.execute(
            schema.fused_events.select().where(schema.fused_events.c.id == fused.id)
        ).one()
    assert (row.munitions_best, row.munitions_min, row.munitions_max) == (30, 30, 30)
    assert row.munitions_rule == "sources agree"
    assert row.fatalities_best == 3
    assert row.n_sources == 2
    assert fused.munitions is not None and len(fused.munitions.figures) == 2


def test_corrections_persist_in_order_and_apply(filled: Store) -> None:
    filled.refuse()
    split = Correction(kind="split", groups=[["doc1-e1"], ["doc2-e1"]])
    filled.add_correction(split)
    assert sorted(f.member_ids for f in filled.refuse()) == [["doc1-e1"], ["doc2-e1"], ["doc2-e2"]]
    merge = Correction(kind="merge", groups=[["doc1-e1", "doc2-e2"]])
    filled.add_correction(merge, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert filled.corrections() == [split, merge]
    assert sorted(f.member_ids for f in filled.refuse()) == [["doc1-e1", "doc2-e2"], ["doc2-e1"]]


def test_members_of_a_fused_event_or_an_event(filled: Store) -> None:
    fused = filled.refuse()[0]
    assert filled.members_of(fused.id) == ["doc1-e1", "doc2-e1"]
    assert filled.members_of("doc2-e2") == ["doc2-e2"]
    with pytest.raises(StoreError, match="no fused event or event"):
        filled.members_of("nothing")


def test_an_unknown_fused_event_is_a_store_error(fusing: Store) -> None:
    with pytest.raises(StoreError, match="no fused event"):
        fusing.fused_event("f-0")


def test_re_extraction_makes_fusion_stale(
    filled: Store, new_extraction: Callable[[str], Extraction]
) -> None:
    filled.refuse()
    filled.replace_extraction(new_extraction("doc2"))
    assert not filled.fusion_is_current()
    assert [f.member_ids for f in filled.refuse()] == [["doc1-e1", "doc2-e1"]]


def test_save_fusion_replaces_everything(filled: Store) -> None:
    fused = filled.refuse()
    filled.save_fusion(fused[:1])
    assert filled.fused_events() == fused[:1]
    assert not filled.fusion_is_current()
