"""Attribution of a claimant: the seed report's front group, and a masked known group."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest

from tests.conftest import shared_path
from watchfloor import pipeline
from watchfloor.analyse.attribution import (
    ACH,
    INDEPENDENT,
    AttributionReport,
    Evidence,
    Rating,
    attribute,
    signature_ranking,
)
from watchfloor.extract import build_extractor
from watchfloor.knowledge import load_knowledge
from watchfloor.knowledge.records import RecurringDate
from watchfloor.model import Claim, Event, EventActor, Munitions, Place
from watchfloor.store import Store


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    seed = shared_path("seed", "iraq-proxies-2020.txt")
    db = tmp_path_factory.mktemp("attribution") / "seed.db"
    with Store.open(str(db)) as store:
        pipeline.run(
            [seed], store=store, extractor=build_extractor(), published=dt.date(2020, 4, 2)
        )
        yield store


@pytest.fixture(scope="module")
def usbat(seeded: Store) -> AttributionReport:
    return attribute(seeded, load_knowledge(), "usbat-al-thairen")


def test_the_seed_names_kataib_hezbollah_first_as_likely(usbat: AttributionReport) -> None:
    assert usbat.candidates["hypothesis"].iloc[0] == "kataib-hezbollah"
    assert usbat.conclusion.favoured == "kataib-hezbollah"
    assert usbat.conclusion.term == "likely"
    assert "likely (55-80%)" in usbat.conclusion.text


def test_the_seed_keeps_the_us_attribution_and_the_prior_apart(usbat: AttributionReport) -> None:
    record = usbat.attributions.iloc[0]
    assert (record["attributed"], record["by"]) == ("kataib-hezbollah", "united-states")
    assert usbat.prior == ["Knowledge base: Usbat al-Thairen front_of Kata'ib Hezbollah"]
    kinds = {e.kind for e in usbat.ach.evidence}
    assert {"attribution", "judgment", "prior", "deadline"} <= kinds


def test_independent_or_unknown_is_always_a_hypothesis(usbat: AttributionReport) -> None:
    assert INDEPENDENT in usbat.ach.hypotheses
    assert INDEPENDENT in set(usbat.candidates["hypothesis"])
    inconsistency = usbat.ach.inconsistency()
    assert inconsistency.idxmin() == "kataib-hezbollah"
    assert abs(usbat.ach.probabilities().sum() - 1) < 1e-9


def test_thin_evidence_is_said_so() -> None:
    ratings: dict[str, Rating] = {"kh": "C", "aah": "I", INDEPENDENT: "N"}
    ach = ACH(["kh", "aah", INDEPENDENT], {"kh": "KH", "aah": "AAH", INDEPENDENT: "?"},
              [Evidence("one weak report", "attribution", 1.0, "d1", ratings)])  # fmt: skip
    conclusion = ach.conclude("New Name")
    assert conclusion.term is None and conclusion.favoured is None
    assert conclusion.text.startswith("The evidence on record is too thin to")


# -- a masked known group ----------------------------------------------------------

GROUPS = {
    # group: (places, weapon, rocket counts, channel, target, symbolic share)
    "group-a": (["taji", "besmaya"], "rocket", (15, 35), "telegram-a", "coalition", 0.6),
    "group-b": (["green-zone"], "rocket", (2, 4), "statement", "embassy", 0.1),
    "group-c": (["diwaniyah-road", "nasiriyah-road"], "ied", (1, 1), "sabereen", "convoys", 0.0),
    "group-d": (["erbil", "harir"], "drone", (1, 3), "website", "krg", 0.3),
}
CALENDAR = [RecurringDate(id=f"day-{m}", month=m, day=11, what=f"day {m}") for m in range(1, 13)]
START = dt.date(2020, 1, 1)


def synthetic_events(rng: random.Random) -> list[Event]:
    events = []
    for group, (places, weapon, (low, high), channel, target, symbolic) in GROUPS.items():
        for n in range(10):
            noisy = rng.random() < 0.15
            place = rng.choice(["baghdad", *places]) if noisy else rng.choice(places)
            month = rng.randint(1, 12)
            day = dt.date(2020, month, 11) if rng.random() < symbolic else dt.date(
                2020, month, rng.choice([1, 5, 20, 25]))  # fmt: skip
            events.append(Event(
                id=f"{group}-{n}", date=day, event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                place=Place(place_id=place, name=place),
                actors=[EventActor(actor_id=target, name=target, role="target")],
                weapon=rng.choice(["rocket", "mortar"]) if noisy else weapon,
                munitions=Munitions(count=rng.randint(low, high), weapon=weapon),
                claims=[Claim(claimant_id=group, channel=channel, document_id="d")],
            ))  # fmt: skip
    return events


def masked(events: list[Event], group: str, rng: random.Random) -> list[Event]:
    """The events with half of one group's claims (chosen at random) renamed to a new name."""
    own = sorted(e.id for e in events if e.id.startswith(group))
    chosen = set(rng.sample(own, len(own) // 2))
    return [rename(e) if e.id in chosen else e for e in events]


def rename(event: Event) -> Event:
    claims = [c.model_copy(update={"claimant_id": "new-name"}) for c in event.claims]
    return event.model_copy(update={"claims": claims})


def test_the_signature_ranking_finds_a_masked_group() -> None:
    rng = random.Random(20200311)
    trials, hits = 20, 0
    for _ in range(trials):
        group = rng.choice(sorted(GROUPS))
        events = masked(synthetic_events(rng), group, rng)
        ranking = signature_ranking(events, "new-name", calendar=CALENDAR)
        hits += ranking["actor_id"].iloc[0] == group
    rate = hits / trials
    print(f"masked claimant: true group ranked first in {hits}/{trials} trials ({rate:.0%})")
    assert rate >= 0.6, f"only {rate:.0%}; chance is 25%"


def test_the_signature_ranking_is_empty_without_other_groups() -> None:
    assert signature_ranking([], "new-name").empty
