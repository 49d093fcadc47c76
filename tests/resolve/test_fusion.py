"""Event fusion on synthetic reports: compatibility, clustering, figures, corrections."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest

from watchfloor.model import (
    Casualties,
    Claim,
    Event,
    EventActor,
    Munitions,
    Place,
    SourceSpan,
)
from watchfloor.resolve.fusion import (
    Correction,
    Figure,
    compatible,
    distance_km,
    estimate,
    fuse_events,
    fused_id,
    window,
)

TAJI = Place(place_id="camp-taji", name="Camp Taji", lat=33.53, lon=44.26, admin1="Baghdad")
TAJI_TOWN = Place(place_id="taji", name="Taji", lat=33.52, lon=44.27, admin1="Baghdad")
BESMAYA = Place(place_id="besmaya", name="Besmaya", lat=33.19, lon=44.64, admin1="Baghdad")
ERBIL = Place(place_id="erbil-airport", name="Erbil airport", lat=36.24, lon=43.96)
SHELLING = "Shelling/artillery/missile attack"
DAY = dt.date(2020, 3, 11)


def report(document: str, n: int = 1, **fields: Any) -> Event:
    """A day-precise rocket attack on Camp Taji, reported by one document."""
    values: dict[str, Any] = {
        "id": f"{document}-e{n}",
        "date": DAY,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": SHELLING,
        "disorder_type": "Political violence",
        "place": TAJI,
        "sources": [SourceSpan(document_id=document, start=0, end=80, text="Rockets hit Taji.")],
    }
    values.update(fields)
    return Event.model_validate(values)


def groups(events: list[Event], **options: Any) -> list[list[str]]:
    return [f.member_ids for f in fuse_events(events, **options)]


def rockets(document: str, count: int, qualifier: str = "exactly", **span: int) -> Munitions:
    where = SourceSpan(document_id=document, start=span.get("start", 10), end=span.get("end", 20))
    return Munitions.model_validate({"count": count, "qualifier": qualifier, "span": where})


# -- compatibility ------------------------------------------------------------


def test_windows_follow_the_precision() -> None:
    assert window(report("a")) == (DAY, DAY)
    assert window(report("a", date_precision="week")) == (DAY, DAY + dt.timedelta(days=6))
    assert window(report("a", date=dt.date(2020, 2, 3), date_precision="year"))[1] == dt.date(
        2020, 12, 31
    )
    assert window(report("a", date_end=dt.date(2020, 3, 12)))[1] == dt.date(2020, 3, 12)


def test_haversine_distance() -> None:
    assert distance_km(TAJI, BESMAYA) == pytest.approx(51.7, abs=0.5)
    assert distance_km(TAJI, Place(name="nowhere")) is None


def test_a_day_either_way_is_the_same_event() -> None:
    assert compatible(report("a"), report("b", date=DAY + dt.timedelta(days=1)))
    assert not compatible(report("a"), report("b", date=DAY + dt.timedelta(days=2)))


def test_generic_attack_fits_a_specific_type_of_political_violence() -> None:
    attack = report("b", sub_event_type="Attack", event_type="Violence against civilians")
    assert compatible(report("a"), attack)
    strike = report("b", sub_event_type="Air/drone strike")
    assert not compatible(report("a"), strike.model_copy(update={"date": DAY + dt.timedelta(1)}))
    protest = attack.model_copy(update={"disorder_type": "Demonstrations"})
    assert not compatible(report("a"), protest)


def test_places_within_the_radius_fit() -> None:
    assert compatible(report("a"), report("b", place=TAJI_TOWN))
    assert not compatible(report("a"), report("b", place=BESMAYA))
    assert compatible(report("a"), report("b", place=BESMAYA), radius_km=60)


def test_an_attacker_is_never_the_target_of_the_same_event() -> None:
    strike = report(
        "a",
        sub_event_type="Attack",
        actors=[EventActor(actor_id="united-states", name="US", role="perpetrator")],
    )
    rockets_on_us = report(
        "b", actors=[EventActor(actor_id="united-states", name="US", role="target")]
    )
    assert not compatible(strike, rockets_on_us)


def test_different_claimants_are_fine_but_different_perpetrators_are_not() -> None:
    def by(actor: str, role: str) -> list[EventActor]:
        return [EventActor(actor_id=actor, name=actor, role=role)]  # type: ignore[arg-type]

    assert compatible(
        report("a", actors=by("x", "claimant")), report("b", actors=by("y", "claimant"))
    )
    assert not compatible(
        report("a", actors=by("x", "perpetrator")), report("b", actors=by("y", "perpetrator"))
    )


# -- clustering ---------------------------------------------------------------


def test_reports_of_one_attack_fuse_and_keep_every_source() -> None:
    fused = fuse_events([report("a"), report("b"), report("c", place=TAJI_TOWN)])
    assert len(fused) == 1
    assert fused[0].document_ids == ["a", "b", "c"]
    assert {s.document_id for s in fused[0].event.sources} == {"a", "b", "c"}
    assert fused[0].n_sources == 3


def test_two_barrages_three_days_apart_stay_apart() -> None:
    later = DAY + dt.timedelta(days=3)
    events = [report("a"), report("b"), report("c", date=later), report("d", date=later)]
    assert groups(events) == [["a-e1", "b-e1"], ["c-e1", "d-e1"]]


def test_a_vague_week_does_not_chain_two_barrages() -> None:
    later = DAY + dt.timedelta(days=3)
    week = report("w", date_precision="week", date_end=DAY + dt.timedelta(days=6))
    events = [report("a"), report("c", date=later), week]
    fused = groups(events)
    assert len(fused) == 2
    assert not any({"a-e1", "c-e1"} <= set(members) for members in fused)


def test_a_placeless_report_joins_only_a_unique_fit() -> None:
    placeless = report("p", place=None)
    assert groups([report("a"), placeless]) == [["a-e1", "p-e1"]]
    elsewhere = report("b", place=BESMAYA)
    assert sorted(groups([report("a"), elsewhere, placeless])) == [["a-e1"], ["b-e1"], ["p-e1"]]


def test_a_report_without_place_and_with_a_month_joins_only_the_one_attack_it_fits() -> None:
    vague = report("v", place=None, date=dt.date(2020, 3, 1), date_precision="month")
    assert sorted(groups([report("a"), vague])) == [["a-e1", "v-e1"]]
    besmaya = report("b", place=BESMAYA, date=DAY + dt.timedelta(days=5))
    assert sorted(groups([report("a"), besmaya, vague])) == [["a-e1"], ["b-e1"], ["v-e1"]]
    year = report("y", place=None, date=dt.date(2020, 1, 1), date_end=dt.date(2020, 12, 31))
    assert sorted(groups([report("a"), year])) == [["a-e1"], ["y-e1"]]


def test_fusion_is_independent_of_order_and_repetition() -> None:
    later = DAY + dt.timedelta(days=3)
    events = [
        report("a"),
        report("b", date=DAY + dt.timedelta(days=1)),
        report("c", place=TAJI_TOWN),
        report("d", date=later),
        report("e", date=later, sub_event_type="Attack"),
        report("f", place=None),
        report("g", place=BESMAYA, date=later),
    ]
    expected = fuse_events(events)
    shuffler = random.Random(7)
    for _ in range(5):
        order = events * 2
        shuffler.shuffle(order)
        assert fuse_events(order) == expected


def test_ids_are_the_hash_of_the_smallest_member() -> None:
    fused = fuse_events([report("b"), report("a")])
    assert fused[0].id == fused_id(["a-e1"]) == fused_id(["a-e1", "b-e1"])
    assert fused[0].id.startswith("f-")


# -- figures ------------------------------------------------------------------


def test_an_exact_figure_beats_a_qualified_one() -> None:
    fused = fuse_events(
        [
            report("a", munitions=rockets("a", 30, "more_than")),
            report("b", munitions=rockets("b", 33)),
        ]
    )[0]
    assert fused.munitions is not None
    assert (fused.munitions.best, fused.munitions.low, fused.munitions.high) == (33, 30, 33)
    assert fused.munitions.rule == "exact over qualified"
    assert fused.event.munitions is not None and fused.event.munitions.count == 33
    assert [f.low for f in fused.munitions.figures] == [33, 30]


def test_a_later_report_beats_a_first_report() -> None:
    published = {"a": dt.date(2020, 9, 28), "b": dt.date(2020, 9, 29)}
    first = report("a", fatalities=Casualties(min=3))
    later = report("b", fatalities=Casualties(min=5))
    fused = fuse_events([later, first], published=published)[0]
    assert fused.fatalities is not None
    assert (fused.fatalities.best, fused.fatalities.rule) == (5, "latest report")
    assert (fused.fatalities.low, fused.fatalities.high) == (3, 5)


def test_a_claimants_own_count_is_set_aside() -> None:
    claim_text = "The group claimed it fired 24 rockets."
    sentence = SourceSpan(document_id="c", start=0, end=len(claim_text), text=claim_text)
    claim = Claim(
        claimant_id="front-group",
        claimant_name="the Front",
        document_id="c",
        span=SourceSpan(document_id="c", start=0, end=17, text="The group claimed"),
    )
    claimed = report("c", munitions=rockets("c", 24), claims=[claim], sources=[sentence])
    official = report("o", munitions=rockets("o", 14))
    published = {"c": dt.date(2021, 2, 18), "o": dt.date(2021, 2, 16)}
    fused = fuse_events([claimed, official], published=published)[0]
    assert fused.munitions is not None
    assert fused.munitions.best == 14
    assert fused.munitions.high == 24
    assert "claimant's own figure set aside" in fused.munitions.rule
    assert [c.claimant_id for c in fused.event.claims] == ["front-group"]


def test_estimate_of_a_claim_alone_says_so() -> None:
    found = estimate([Figure(event_id="a", document_id="a", low=80, claimed=True)])
    assert found is not None and found.rule == "single source"
    pair = [
        Figure(event_id="a", document_id="a", low=80, claimed=True),
        Figure(event_id="b", document_id="b", low=90, claimed=True),
    ]
    found = estimate(pair)
    assert found is not None and found.rule == "claimant's own figure, no other"


def test_claims_and_attributions_are_the_union() -> None:
    def claim(document: str, who: str) -> Claim:
        return Claim(claimant_id=who, document_id=document)

    fused = fuse_events(
        [report("a", claims=[claim("a", "x")]), report("b", claims=[claim("b", "y")])]
    )[0]
    assert sorted((c.claimant_id, c.document_id) for c in fused.event.claims) == [
        ("x", "a"),
        ("y", "b"),
    ]


def test_the_fused_record_prefers_the_specific_type_and_the_finest_date() -> None:
    attack = report("a", sub_event_type="Attack", date_precision="week", date_end=DAY)
    fused = fuse_events([attack, report("b")])[0]
    assert fused.event.sub_event_type == SHELLING
    assert fused.event.date_precision == "day"


# -- corrections --------------------------------------------------------------


def test_a_split_pins_members_apart_and_a_merge_together() -> None:
    events = [report("a"), report("b"), report("c", place=ERBIL)]
    split = Correction(kind="split", groups=[["a-e1"], ["b-e1"]])
    assert sorted(groups(events, corrections=[split])) == [["a-e1"], ["b-e1"], ["c-e1"]]
    merge = Correction(kind="merge", groups=[["a-e1", "c-e1"]])
    assert sorted(groups(events, corrections=[split, merge])) == [["a-e1", "c-e1"], ["b-e1"]]


def test_the_later_correction_wins() -> None:
    events = [report("a"), report("b")]
    split = Correction(kind="split", groups=[["a-e1"], ["b-e1"]])
    merge = Correction(kind="merge", groups=[["a-e1", "b-e1"]])
    assert groups(events, corrections=[split, merge]) == [["a-e1", "b-e1"]]
    assert len(groups(events, corrections=[merge, split])) == 2


def test_corrections_hold_when_new_reports_arrive() -> None:
    split = Correction(kind="split", groups=[["a-e1"], ["b-e1"]])
    events = [report("a"), report("b"), report("c"), report("d")]
    for fused in groups(events, corrections=[split]):
        assert not {"a-e1", "b-e1"} <= set(fused)


def test_corrections_naming_unknown_events_are_ignored() -> None:
    merge = Correction(kind="merge", groups=[["gone-e1", "a-e1"]])
    assert groups([report("a")], corrections=[merge]) == [["a-e1"]]


def test_every_event_is_in_exactly_one_fused_event() -> None:
    events = [report(d, date=DAY + dt.timedelta(days=n % 4)) for n, d in enumerate("abcdefgh")]
    members = [m for f in fuse_events(events) for m in f.member_ids]
    assert sorted(members) == sorted(e.id for e in events)
    assert not [p for p in itertools.combinations(members, 2) if p[0] == p[1]]


def test_a_first_report_of_rockets_fuses_with_the_strike_at_that_spot_that_day() -> None:
    strike = report(
        "b",
        sub_event_type="Air/drone strike",
        actors=[EventActor(actor_id="united-states", name="US", role="perpetrator")],
    )
    assert compatible(report("a"), strike)
    claimed = report(
        "a", actors=[EventActor(actor_id="kataib-hezbollah", name="KH", role="claimant")]
    )
    assert not compatible(claimed, strike), "a report that knows who fired knows what"
    elsewhere = report(
        "a", place=Place(place_id="balad-airbase", name="Balad", lat=33.94, lon=44.36)
    )
    assert not compatible(elsewhere, strike), "another base"
    assert not compatible(report("a", place=None), strike), "no place to agree on"


def test_a_force_and_its_state_as_perpetrators_agree_but_two_militias_do_not() -> None:
    def by(actor_id: str, doc: str) -> Event:
        return report(
            doc, actors=[EventActor(actor_id=actor_id, name=actor_id, role="perpetrator")]
        )

    assert compatible(by("irgc", "a"), by("iran", "b")), "the IRGC is part of Iran"
    assert compatible(by("usbat-al-thairen", "a"), by("kataib-hezbollah", "b")), "a front"
    assert not compatible(by("kataib-hezbollah", "a"), by("asaib-ahl-al-haq", "b"))
