"""Exports for other tools: STIX validates, GeoJSON is RFC 7946, Parquet reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import stix2

from watchfloor.errors import WatchfloorError
from watchfloor.ingest.acled import import_acled
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.model import Attribution, Claim, Event, EventActor, Place, SourceSpan
from watchfloor.report import interop
from watchfloor.report.export import export_bytes, export_text
from watchfloor.resolve.names import NameResolver
from watchfloor.store import Store

SAMPLE = Path(__file__).parent.parent / "ingest" / "data" / "acled-iraq-2020-2021.csv"
GOOD_ROWS = 12


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def store(tmp_path: Path, kb: KnowledgeBase) -> Store:
    opened = Store.open(str(tmp_path / "desk.db"))
    import_acled(SAMPLE, store=opened, resolver=NameResolver(kb))
    return opened


def _claimed_event() -> Event:
    span = SourceSpan(document_id="d1", start=0, end=20, text="Rockets hit Erbil.")
    return Event(
        id="d1-e1",
        date=dt.date(2021, 2, 15),
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        place=Place(name="Erbil", lat=36.19, lon=44.01, country="Iraq", admin1="Erbil"),
        actors=[EventActor(actor_id="saraya-awliya-al-dam", name="Awliya al-Dam", role="claimant")],
        claims=[Claim(claimant_id="saraya-awliya-al-dam", document_id="d1")],
        attributions=[
            Attribution(
                actor_id="kataib-hezbollah",
                by_actor_id="united-states",
                estimative="likely",
                probability=(0.55, 0.8),
                document_id="d1",
            )
        ],
        sources=[span],
    )


def test_stix_bundle_parses_and_validates(store: Store, kb: KnowledgeBase) -> None:
    with store:
        text = export_text(store, "stix", kb=kb)
    bundle = stix2.parse(text, allow_custom=False)
    kinds = {obj.type for obj in bundle.objects}
    assert {"incident", "threat-actor", "relationship", "location", "report"} <= kinds
    incidents = [o for o in bundle.objects if o.type == "incident"]
    assert len(incidents) == GOOD_ROWS
    reports = [o for o in bundle.objects if o.type == "report"]
    assert len(reports) == GOOD_ROWS


def test_stix_attributions_carry_confidence(kb: KnowledgeBase) -> None:
    text = interop.stix_json([_claimed_event()], kb=kb)
    bundle = stix2.parse(text, allow_custom=False)
    relations = [o for o in bundle.objects if o.type == "relationship"]
    attributed = [r for r in relations if r.relationship_type == "attributed-to" and
                  "according to" in r.description]  # fmt: skip
    assert len(attributed) == 1 and attributed[0].confidence == 68
    claims = [r for r in relations if r.relationship_type == "related-to"]
    assert claims and claims[0].description.startswith("claimed responsibility")
    names = {o.name for o in bundle.objects if o.type == "threat-actor"}
    assert kb.actor("kataib-hezbollah").name in names


def test_stix_ids_are_stable(kb: KnowledgeBase) -> None:
    created = dt.datetime(2021, 3, 1, tzinfo=dt.UTC)
    one = interop.stix_bundle([_claimed_event()], kb=kb, created=created)
    two = interop.stix_bundle([_claimed_event()], kb=kb, created=created)
    assert one.serialize(sort_keys=True) == two.serialize(sort_keys=True)


def test_geojson_is_a_feature_collection_of_lon_lat_points(store: Store) -> None:
    with store:
        geo = json.loads(export_text(store, "geojson"))
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == GOOD_ROWS
    taji = next(f for f in geo["features"] if f["properties"]["event_id_cnty"] == "IRQ900001")
    assert taji["geometry"] == {"type": "Point", "coordinates": [44.2569, 33.5265]}
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)


def test_geojson_leaves_out_events_without_coordinates() -> None:
    event = _claimed_event().model_copy(update={"place": None})
    assert interop.geojson([event])["features"] == []


def test_parquet_reads_back_with_the_same_rows(store: Store, tmp_path: Path) -> None:
    with store:
        data = export_bytes(store, "parquet")
        rows = list(csv.DictReader(io.StringIO(export_text(store, "acled"))))
    path = tmp_path / "events.parquet"
    path.write_bytes(data)
    table = pq.read_table(path)
    assert table.num_rows == GOOD_ROWS
    read = table.to_pylist()
    assert [r["event_id_cnty"] for r in read] == [r["event_id_cnty"] for r in rows]
    assert [r["fatalities"] for r in read] == [int(r["fatalities"]) for r in rows]
    assert [r["latitude"] for r in read] == [float(r["latitude"]) for r in rows]
    assert [r["notes"] for r in read] == [r["notes"] for r in rows]


def test_parquet_is_not_text(store: Store) -> None:
    with store, pytest.raises(WatchfloorError, match="binary"):
        export_text(store, "parquet")


def test_acled_row_puts_claims_and_attributions_in_notes() -> None:
    row = interop.acled_row(_claimed_event())
    assert row["actor1"] == "Awliya al-Dam"
    assert "[Claimed by: saraya-awliya-al-dam.]" in row["notes"]
    assert "kataib-hezbollah (likely), according to united-states" in row["notes"]
    assert row["iso"] == 368 and row["interaction"] is None


def test_fused_events_are_exported_when_fusion_is_current(store: Store) -> None:
    with store:
        store.refuse()
        events = interop.product_events(store)
        fused = store.fused_events()
    assert len(events) == len(fused)
    singles = [f.member_ids[0] for f in fused if len(f.member_ids) == 1]
    assert set(singles) <= {e.id for e in events}
