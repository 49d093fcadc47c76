"""Exports for other tools: STIX validates, GeoJSON is RFC 7946, Parquet reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import stix2

from watchfloor.analyse.indicators import load_indicators
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.acled import import_acled
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.model import Attribution, Claim, Event, EventActor, Munitions, Place, SourceSpan
from watchfloor.report import interop, stix
from watchfloor.report.export import export_bytes, export_text
from watchfloor.resolve.names import NameResolver
from watchfloor.store import Store

from .test_stix_demo import stix_problems

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


def test_stix_bundle_of_acled_rows_has_no_problems(store: Store, kb: KnowledgeBase) -> None:
    with store:
        assert stix_problems(export_text(store, "stix", kb=kb)) == []


def _relations(bundle: stix2.v21.Bundle, target: str) -> list[stix2.v21.Relationship]:
    ref = interop.stix_id("threat-actor", target)
    return [o for o in bundle.objects if o.type == "relationship" and o.target_ref == ref]


def test_stix_claim_and_attribution_are_separate_relationships(kb: KnowledgeBase) -> None:
    bundle = stix2.parse(interop.stix_json([_claimed_event()], kb=kb), allow_custom=False)
    incident = interop.stix_id("incident", "d1-e1")
    claims = [r for r in _relations(bundle, "saraya-awliya-al-dam") if r.source_ref == incident]
    blamed = [r for r in _relations(bundle, "kataib-hezbollah") if r.source_ref == incident]
    assert [r.relationship_type for r in claims] == ["related-to"]  # the claimant, not blamed
    assert claims[0].description.startswith("claim of responsibility")
    assert [r.relationship_type for r in blamed] == ["attributed-to"]
    assert blamed[0].confidence == 70  # "likely" on the DNI scale
    assert "according to United States (likely)" in blamed[0].description
    names = {o.name for o in bundle.objects if o.type == "threat-actor"}
    assert kb.actor("kataib-hezbollah").name in names


def test_flat_attributions_get_confidence_from_corroboration() -> None:
    one = [Attribution(actor_id="g", by_actor_id="s", document_id="d1")]
    two = [*one, Attribution(actor_id="g", by_actor_id="s", document_id="d2")]
    assert stix.attribution_confidence(one)[0] == 50  # Admiralty 3, possibly true
    assert stix.attribution_confidence(two)[0] == 70  # Admiralty 2, probably true
    doubled = [*one, one[0].model_copy()]
    assert stix.attribution_confidence(doubled)[0] == 50  # one document said it twice


def _attack(day: dt.date, n: int, *, claimed: bool) -> Event:
    event = _claimed_event().model_copy(update={"id": f"d{n}-e1", "date": day})
    return event if claimed else event.model_copy(update={"claims": [], "actors": []})


def test_campaigns_are_series_within_30_days(kb: KnowledgeBase) -> None:
    days = [dt.date(2021, 1, 1), dt.date(2021, 1, 25), dt.date(2021, 2, 20), dt.date(2021, 6, 1)]
    events = [_attack(d, n, claimed=n < 2) for n, d in enumerate(days)]
    bundle = interop.stix_bundle(events, kb=kb, indicators=[])
    campaigns = {o.id: o for o in bundle.objects if o.type == "campaign"}
    front = [r for r in _relations(bundle, "saraya-awliya-al-dam") if r.source_ref in campaigns]
    parent = [r for r in _relations(bundle, "kataib-hezbollah") if r.source_ref in campaigns]
    assert [r.relationship_type for r in front] == ["related-to"]  # claimed 2 attacks
    assert front[0].description.endswith("claimed 2 of its 2 attacks")
    assert [(r.relationship_type, r.confidence) for r in parent] == [("attributed-to", 70)]
    series = campaigns[parent[0].source_ref]
    assert (series.first_seen.date(), series.last_seen.date()) == (days[0], days[2])
    members = [o.source_ref for o in bundle.objects
               if o.type == "relationship" and o.target_ref == series.id]  # fmt: skip
    assert sorted(members) == sorted(interop.stix_id("incident", f"d{n}-e1") for n in range(3))


def test_indicators_have_patterns_and_sightings_where_they_fired(kb: KnowledgeBase) -> None:
    event = _claimed_event().model_copy(
        update={"munitions": Munitions(count=24, qualifier="exactly", weapon="rocket")}
    )
    bundle = interop.stix_bundle([event], kb=kb)
    indicators = {o.name: o for o in bundle.objects if o.type == "indicator"}
    assert set(indicators) == {i.id for i in load_indicators()}
    assert indicators["convoy-attack"].pattern_type == "pcre"
    salvo = indicators["large-rocket-salvo"]
    assert salvo.pattern_type == stix.PATTERN_TYPE
    assert json.loads(salvo.pattern)["condition"]["count"] == 20
    sightings = [o for o in bundle.objects if o.type == "sighting"]
    fired = {s.sighting_of_ref for s in sightings}
    assert {salvo.id, indicators["new-claimant"].id} <= fired
    where = next(s for s in sightings if s.sighting_of_ref == salvo.id).where_sighted_refs
    assert [bundle_object(bundle, ref).name for ref in where] == ["Erbil"]
    indicates = [r for r in _relations(bundle, "kataib-hezbollah") if r.source_ref == salvo.id]
    assert [r.relationship_type for r in indicates] == ["indicates"]
    assert stix_problems(bundle.serialize()) == []


def bundle_object(bundle: stix2.v21.Bundle, ref: str) -> Any:
    return next(o for o in bundle.objects if o.id == ref)


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
