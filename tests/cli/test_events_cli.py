"""`watchfloor events`: the fused listing, --explain side by side, merge and split."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.model import Document, Event, Extraction, Munitions, Place, SourceSpan
from watchfloor.store import Store

runner = CliRunner()
TAJI = Place(place_id="camp-taji", name="Camp Taji", lat=33.53, lon=44.26)
ERBIL = Place(place_id="erbil-airport", name="Erbil airport", lat=36.24, lon=43.96)


def report(n: int, *, place: Place = TAJI, count: int = 18) -> tuple[Document, Extraction]:
    """Document n, reporting one rocket attack of 2020-03-11."""
    document_id = f"doc{n}"
    text = f"About {count} rockets struck the base, report {n}."
    document = Document(
        document_id=document_id,
        source=f"r/{n}.txt",
        content_hash=f"hash{n}",
        text=text,
        published=dt.date(2020, 3, 11 + n),
    )
    event = Event(
        id=f"{document_id}-e1",
        date=dt.date(2020, 3, 11),
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        place=place,
        munitions=Munitions(count=count, qualifier="exactly", weapon="rocket"),
        sources=[SourceSpan(document_id=document_id, start=0, end=len(text), text=text)],
    )
    return document, Extraction(document_id=document_id, events=[event])


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database with two reports of the Taji attack and one of Erbil, not yet fused."""
    path = str(tmp_path / "desk.db")
    with Store.open(path) as store:
        store.save(*report(1, count=15))
        store.save(*report(2, count=18))
        store.save(*report(3, place=ERBIL, count=3))
    return path


def fused_ids(db: str) -> dict[int, str]:
    with Store.open(db) as store:
        return {len(f.member_ids): f.id for f in store.fused_events()}


def invoke(*args: str) -> str:
    result = runner.invoke(app, ["events", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_listing_fuses_lazily_and_counts_sources(db: str) -> None:
    output = invoke("--db", db)
    assert "2 events" in output
    taji = fused_ids(db)[2]
    assert taji in output
    line = next(row for row in output.splitlines() if taji in row)
    assert line.rstrip(" │").endswith("2")


def test_the_old_filters_still_work(db: str) -> None:
    assert "1 events" in invoke("--db", db, "--place", "erbil")
    assert "0 events" in invoke("--db", db, "--since", "2020-03-12")
    assert "3 reports" in invoke("--db", db, "--reports")


def test_explain_shows_each_source_side_by_side(db: str) -> None:
    invoke("--db", db)
    output = invoke("--db", db, "--explain", fused_ids(db)[2])
    assert "doc1-e1" in output and "doc2-e1" in output
    assert "what each source says" in output
    assert "15 rocket" in output and "18 rocket" in output
    assert "latest report" in output
    assert "Camp Taji" in invoke("--db", db, "--explain", "doc1-e1")


def test_split_then_merge_and_they_hold(db: str, tmp_path: Path) -> None:
    invoke("--db", db)
    invoke("split", fused_ids(db)[2], "--db", db)
    with Store.open(db) as store:
        assert len(store.fused_events()) == 3
    invoke("merge", "doc1-e1", "doc3-e1", "--db", db)
    with Store.open(db) as store:
        assert sorted(f.member_ids for f in store.fused_events()) == [
            ["doc1-e1", "doc3-e1"],
            ["doc2-e1"],
        ]
        store.save(*report(4, count=18))
    assert "2 events" in invoke("--db", db)
    with Store.open(db) as store:
        members = sorted(f.member_ids for f in store.fused_events())
    assert members == [["doc1-e1", "doc3-e1"], ["doc2-e1", "doc4-e1"]]
    assert not any({"doc1-e1", "doc2-e1"} <= set(m) for m in members)


def test_split_off_a_part(db: str) -> None:
    invoke("--db", db)
    invoke("split", fused_ids(db)[2], "doc2-e1", "--db", db)
    assert "3 events" in invoke("--db", db)


def test_bad_ids_fail_with_a_hint(db: str) -> None:
    result = runner.invoke(app, ["events", "merge", "nothing", "doc1-e1", "--db", db])
    assert result.exit_code == 2
    assert "no fused event or event" in result.output
    result = runner.invoke(app, ["events", "merge", "doc1-e1", "--db", db])
    assert result.exit_code == 2
    invoke("--db", db)
    result = runner.invoke(app, ["events", "split", fused_ids(db)[2], "doc3-e1", "--db", db])
    assert result.exit_code == 2
    assert "not members" in result.output
    result = runner.invoke(app, ["events", "--explain", "f-0", "--db", db])
    assert result.exit_code == 2
