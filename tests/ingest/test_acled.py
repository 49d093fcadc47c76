"""ACLED import: good rows become events once, bad rows are reported by line."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from watchfloor.errors import ImportFailed
from watchfloor.ingest.acled import AcledImport, import_acled, parse_date, read_acled
from watchfloor.knowledge import load_knowledge
from watchfloor.report.export import export_text
from watchfloor.resolve.names import NameResolver
from watchfloor.store import Store

SAMPLE = Path(__file__).parent / "data" / "acled-iraq-2020-2021.csv"
GOOD_ROWS = 12
BAD_LINES = {15: "missing event_date", 16: "impossible date", 17: "bad latitude",
             18: "out of range", 19: "unknown event_type"}  # fmt: skip


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    return NameResolver(load_knowledge())


def _import(path: Path, url: str, resolver: NameResolver) -> AcledImport:
    with Store.open(url) as store:
        return import_acled(path, store=store, resolver=resolver)


def test_good_rows_are_imported_and_bad_ones_reported_by_line(
    tmp_path: Path, resolver: NameResolver
) -> None:
    summary = _import(SAMPLE, str(tmp_path / "a.db"), resolver)
    assert summary.rows == GOOD_ROWS + len(BAD_LINES)
    assert len(summary.added) == GOOD_ROWS
    assert {p.line for p in summary.skipped} == set(BAD_LINES)
    for problem in summary.skipped:
        assert BAD_LINES[problem.line] in problem.reason
    assert not summary.clean


def test_reimport_doubles_nothing(tmp_path: Path, resolver: NameResolver) -> None:
    url = str(tmp_path / "a.db")
    _import(SAMPLE, url, resolver)
    again = _import(SAMPLE, url, resolver)
    assert again.added == [] and len(again.duplicates) == GOOD_ROWS
    with Store.open(url) as store:
        assert len(store.events()) == GOOD_ROWS
        assert len(store.document_rows()) == GOOD_ROWS


def test_rows_become_events_with_actors_place_and_provenance(
    tmp_path: Path, resolver: NameResolver
) -> None:
    url = str(tmp_path / "a.db")
    _import(SAMPLE, url, resolver)
    with Store.open(url) as store:
        taji = store.event("acled-IRQ900001-e1")
        strikes = store.event("acled-IRQ900009-e1")
        document = store.document("acled-IRQ900001")
        candidates = {a.actor_id for a in store.candidates()}
    assert taji.date == dt.date(2020, 3, 11) and taji.date_precision == "day"
    assert taji.sub_event_type == "Shelling/artillery/missile attack"
    assert taji.place is not None and taji.place.place_id == "camp-taji"
    assert (taji.place.lat, taji.place.lon, taji.place.admin1) == (33.5265, 44.2569, "Baghdad")
    assert taji.fatalities is not None and taji.fatalities.min == 3
    assert document.source.endswith("acled-iraq-2020-2021.csv:2")
    assert document.outlet == "Reuters; Shafaq News"
    assert taji.sources[0].text.startswith("On 11 March 2020")
    roles = {a.actor_id: a.role for a in strikes.actors}
    assert roles["kataib-sayyid-al-shuhada"] == "target"
    assert roles["kataib-hezbollah"] == "target"
    assert "unidentified-armed-grup-iraq" in candidates  # kept, never forced


def test_precision_from_time_precision(tmp_path: Path, resolver: NameResolver) -> None:
    url = str(tmp_path / "a.db")
    _import(SAMPLE, url, resolver)
    with Store.open(url) as store:
        assert store.event("acled-IRQ900005-e1").date_precision == "week"
        assert store.event("acled-IRQ900012-e1").date_precision == "month"
        assert store.event("acled-IRQ900002-e1").date == dt.date(2020, 3, 13)


def test_round_trip_through_acled_csv_loses_and_doubles_nothing(
    tmp_path: Path, resolver: NameResolver
) -> None:
    first = str(tmp_path / "first.db")
    _import(SAMPLE, first, resolver)
    with Store.open(first) as store:
        exported = export_text(store, "acled")
        before = store.events()
    path = tmp_path / "exported.csv"
    path.write_text(exported, encoding="utf-8")
    second = str(tmp_path / "second.db")
    summary = _import(path, second, resolver)
    assert summary.clean and len(summary.added) == GOOD_ROWS
    again = _import(path, second, resolver)  # the exported file a second time: nothing new
    assert again.added == [] and len(again.duplicates) == GOOD_ROWS
    with Store.open(second) as store:
        after = store.events()
        assert len(store.document_rows()) == GOOD_ROWS
        assert export_text(store, "acled") == exported  # byte-identical
    ids = [e.id for e in after]
    assert ids == [e.id for e in before] and len(set(ids)) == GOOD_ROWS
    keep = {"reasons", "sources"}
    assert [e.model_dump(exclude=keep) for e in after] == [
        e.model_dump(exclude=keep) for e in before
    ]
    assert [e.sources[0].text for e in after] == [e.sources[0].text for e in before]


def test_gzip_files_are_read(tmp_path: Path, resolver: NameResolver) -> None:
    packed = tmp_path / "events.csv.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert len(_import(packed, str(tmp_path / "a.db"), resolver).added) == GOOD_ROWS


def test_a_file_without_acled_columns_fails_clearly(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("date,longitude,latitude,side,type\n2007-01-01,44,33,a,b\n")
    with pytest.raises(ImportFailed, match="not an ACLED export"):
        list(read_acled(other))


def test_dates_in_acled_forms() -> None:
    assert parse_date("2021-06-27") == dt.date(2021, 6, 27)
    assert parse_date("27 June 2021") == dt.date(2021, 6, 27)
