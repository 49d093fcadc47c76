"""The SITREP of the demo corpus, its key figures checked against demo/corpus/GOLD.yaml.

The corpus is ingested once (the full spaCy pipeline). Attack counts allow the one
salvo that struck two places (GOLD.yaml `also_hit`) to count twice, as ACLED codes it.
Two figures that hang on what extraction still misses (some tolls, two attributions)
are non-strict xfails that say so; the rest must hold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from watchfloor.extract import build_extractor
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.pipeline import run
from watchfloor.report.sections import Names
from watchfloor.report.sitrep import Sitrep, build_sitrep, headline_findings, write_sitrep
from watchfloor.report.sitrep_model import EventRow, SourceRef
from watchfloor.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"
FIRST, LAST = dt.date(2019, 10, 1), dt.date(2021, 11, 30)
EXTRACTION = "extraction misses this claim or attribution in the corpus's wording"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CORPUS / "GOLD.yaml").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    run([CORPUS], store=opened, extractor=build_extractor(), exclude=["README.md", "GOLD.yaml"])
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def whole(store: Store, kb: KnowledgeBase) -> Sitrep:
    """The SITREP of the whole corpus, pictures and all."""
    return build_sitrep(store, since=FIRST, until=LAST, kb=kb)


def _attacks(gold: dict[str, Any], first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    return [a for a in gold["attacks"] if first <= a["date"] <= last]


def _names(kb: KnowledgeBase, ids: list[str]) -> set[str]:
    return {kb.actors[i].name for i in ids}


def _row(sitrep: Sitrep, attack: dict[str, Any]) -> EventRow:
    """The event row of a gold attack: its day, its place."""
    found = [e for e in sitrep.events if e.date == attack["date"] and e.place == attack["place"]]
    assert found, f"no row for {attack['id']}"
    return found[0]


# -- figures that do not hang on fusion --------------------------------------------------


def test_default_period_ends_on_the_last_attack(store: Store, kb: KnowledgeBase, gold: Any) -> None:
    last = max(a["date"] for a in gold["attacks"])
    found = build_sitrep(store, kb=kb, pictures=False)
    assert found.until == last
    assert found.since == last - dt.timedelta(days=89)
    assert all(found.since <= e.date <= found.until for e in found.events)
    assert found.outlook.start == last + dt.timedelta(days=1)


def test_largest_attack_is_the_gold_barrage(whole: Sitrep, gold: dict[str, Any]) -> None:
    barrage = gold["headline_facts"]["largest_rocket_barrage"]
    attack = next(a for a in gold["attacks"] if a["id"] == barrage["attack"])
    largest = max(whole.events, key=lambda e: e.munitions or 0)
    assert largest.munitions == barrage["count"] == 33
    assert largest.place == attack["place"]
    assert whole.takeaways[1].text.startswith(f"Largest attack: 33 rockets on {attack['place']}")


def test_claimants_are_the_gold_claimants(whole: Sitrep, kb: KnowledgeBase, gold: Any) -> None:
    claimants = {c for e in whole.events for c in e.claimants if "(acknowledged)" not in c}
    gold_claimants = _names(kb, [c["claimant"] for c in gold["claims"]])
    assert claimants and claimants <= gold_claimants
    erbil = next(a for a in gold["attacks"] if a["claimed_by"] == ["saraya-awliya-al-dam"])
    assert _row(whole, erbil).claimants == ("Saraya Awliya al-Dam",)
    summary = [s.text for s in whole.claim_summary]
    assert any(t.startswith("Saraya Awliya al-Dam claimed 1 attack (2021-02-15)") for t in summary)


def test_attributed_parents_match_the_gold(whole: Sitrep, kb: KnowledgeBase, gold: Any) -> None:
    for attack_id in ("taji-2020-03-11", "ain-al-asad-2020-01-08"):
        attack = next(a for a in gold["attacks"] if a["id"] == attack_id)
        row = _row(whole, attack)
        assert set(row.attributed) & _names(kb, attack["attributed_to"]), row
    taji = next(c for c in whole.claims if c.date == dt.date(2020, 3, 11) and c.attributions)
    by_us = {a.name for a in kb.actors.values() if Names(kb).within(a.actor_id, "united-states")}
    found = [s.text for s in taji.attributions]
    assert any(
        t.startswith(f"Attributed to Kata'ib Hezbollah by {b}") for t in found for b in by_us
    )


def test_every_source_quotes_its_document(whole: Sitrep, store: Store) -> None:
    assert len(whole.sources) > 20
    texts = {d.document_id: d.text for d in store.documents()}
    for ref in whole.sources:
        if ref.start is not None and ref.end is not None:
            assert " ".join(texts[ref.document_id][ref.start : ref.end].split()) == ref.text
    for statement in whole.takeaways[:3]:
        assert statement.refs, statement.text


def test_outlook_and_pictures(whole: Sitrep, tmp_path: Path) -> None:
    forecast = whole.outlook.statements[0].text
    assert forecast.startswith("Expected attacks from 2021-12-01 to 2021-12-14")
    assert set(whole.charts) == {"tempo", "map", "network"}
    (page,) = write_sitrep(whole, tmp_path / "demo.html")
    assert 'id="event-map"' in page.read_text(encoding="utf-8")
    assert len(headline_findings(whole)) == 3


# -- figures that hang on fusion or on extraction ----------------------------------------


def _second_sites(gold: dict[str, Any]) -> Counter[str]:
    """Months of the attacks that struck a second place too: a second event there is right."""
    return Counter(a["date"].strftime("%Y-%m") for a in gold["attacks"] if a.get("also_hit"))


def test_attack_count_is_the_gold_count(whole: Sitrep, gold: dict[str, Any]) -> None:
    assert gold["headline_facts"]["attacks_total"] == 16
    expected = 16 + sum(_second_sites(gold).values())
    assert whole.attacks == expected
    assert whole.takeaways[0].text.startswith(f"{expected} attacks between 2019-10-01")


def test_attacks_by_month_are_the_gold_counts(whole: Sitrep, gold: dict[str, Any]) -> None:
    months = Counter(e.date.strftime("%Y-%m") for e in whole.events)
    expected = Counter(gold["headline_facts"]["attacks_by_month"]) + _second_sites(gold)
    assert months == expected


def test_a_month_window_counts_its_gold_attacks(store: Store, kb: KnowledgeBase, gold: Any) -> None:
    first, last = dt.date(2020, 3, 1), dt.date(2020, 3, 31)
    found = build_sitrep(store, since=first, until=last, kb=kb, pictures=False)
    assert found.attacks == len(_attacks(gold, first, last)) == 4


@pytest.mark.xfail(strict=False, reason="casualty figures: extraction misses some tolls")
def test_fatalities_are_the_gold_total(whole: Sitrep, gold: dict[str, Any]) -> None:
    total = sum(e.fatalities or 0 for e in whole.events)
    assert total == gold["headline_facts"]["fatalities_total"] == 55


def test_largest_attack_is_on_its_gold_day(whole: Sitrep, gold: dict[str, Any]) -> None:
    barrage = gold["headline_facts"]["largest_rocket_barrage"]
    attack = next(a for a in gold["attacks"] if a["id"] == barrage["attack"])
    assert max(whole.events, key=lambda e: e.munitions or 0).date == attack["date"]


def test_front_group_claims_are_the_gold_claims(
    whole: Sitrep, kb: KnowledgeBase, gold: Any
) -> None:
    claimed = Counter(c for e in whole.events for c in e.claimants)
    for actor_id, n in gold["headline_facts"]["claimed_by_front_groups"].items():
        assert claimed[kb.actors[actor_id].name] == n


@pytest.mark.xfail(strict=False, reason=EXTRACTION)
def test_attributions_to_the_parent_are_the_gold_ones(whole: Sitrep, gold: Any) -> None:
    blamed = [e for e in whole.events if "Kata'ib Hezbollah" in e.attributed]
    assert len(blamed) == len(gold["headline_facts"]["attributed_to_kataib_hezbollah"]) == 3


# -- what they are saying, and did the strikes deter --------------------------------------


def _voices_lines(sitrep: Sitrep) -> list[tuple[dt.date, str, tuple[SourceRef, ...]]]:
    """Every dated line of "What they are saying": threats, deadlines, other statements."""
    voices = sitrep.voices
    lines = [(t.date, f"{t.speaker} {t.kind} {t.words}", t.refs) for t in voices.threats]
    lines += [(d.date, f"deadline {d.what}", d.refs) for d in voices.deadlines]
    lines += [
        (dt.date.fromisoformat(s.text[:10]), s.text, s.refs) for g in voices.groups for s in g.top
    ]
    return lines


def test_what_they_are_saying_names_the_gold_kataib_hezbollah_warnings(
    whole: Sitrep, kb: KnowledgeBase, gold: Any
) -> None:
    """The gold context events of Kata'ib Hezbollah's (its 1 km warning, its deadline, its
    official's words on a base handover) are in the section, named, dated (within a day: a
    statement reported the next day is dated by its report) and linked to the gold document."""
    name = kb.actors["kataib-hezbollah"].name
    events = [e for e in gold["context_events"] if re.search(r"\bKH\b", e["what"])]
    assert len(events) >= 2
    lines = _voices_lines(whole)
    for event in events:
        found = [
            (text, refs)
            for day, text, refs in lines
            if abs((day - event["date"]).days) <= 1
            and name in text
            and any(r.source.endswith(event["document"]) for r in refs)
        ]
        assert found, f"no line for {event['what']}"
    deadline = next(d for d in whole.voices.deadlines if d.date == dt.date(2020, 3, 15))
    assert "deadline Kata'ib Hezbollah had set" in deadline.refs[0].text


def test_the_effects_section_measures_the_gold_us_strikes(whole: Sitrep, gold: Any) -> None:
    ids = set(gold["headline_facts"]["us_strikes"])
    spans = [(a["date"], a.get("date_end") or a["date"]) for a in gold["attacks"] if a["id"] in ids]
    rows = [r for r in whole.effects.rows if r.kind == "strike"]
    assert len(rows) == len(spans) == 4
    for row in rows:
        assert any(first <= row.date <= last for first, last in spans), row.date
        assert row.refs and row.sentence
    assert any("90% CI" in r.ratio for r in rows)
    assert all("90% CI" in r.ratio or "cannot tell" in r.sentence for r in whole.effects.rows)
    verdict = whole.effects.verdict
    assert "The data cannot tell" in verdict.text or "90% CI" in verdict.text
    assert verdict in whole.takeaways
