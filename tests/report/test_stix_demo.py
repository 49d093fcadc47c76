"""The STIX bundle of the demo corpus validates, and a front group's claim and the attribution
to its parent survive as separate relationships.

Two bundles: one built from GOLD.yaml's attacks (the corpus's truth, no model needed), and
one from the corpus ingested by the pipeline (marked `model`). `stix_problems` is the check
both get: stix2 parses the bundle with allow_custom=False, every object round-trips through
`stix2.parse`, ids are unique, every reference resolves inside the bundle, relationships join
domain objects with the types the module docstring of `report.stix` documents, and every
indicator's pattern reads back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stix2
import yaml

from watchfloor.analyse.indicators import Indicator, load_indicators
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.model import Attribution, Claim, Event, EventActor, SourceSpan
from watchfloor.report import interop
from watchfloor.report.export import export_text
from watchfloor.report.stix import PATTERN_TYPE, stix_bundle
from watchfloor.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"
CREATED = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
# relationship types the STIX 2.1 spec defines for these pairs, and those watchfloor adds
# where the spec defines none for an incident (allowed: relationship_type is open)
SPEC_DEFINED = {
    ("campaign", "attributed-to", "threat-actor"),
    ("indicator", "indicates", "campaign"),
    ("indicator", "indicates", "threat-actor"),
}
INCIDENT_LINKS = {
    ("incident", "attributed-to", "threat-actor"),
    ("incident", "targets", "identity"),
    ("incident", "located-at", "location"),
}
SUB_EVENTS = {
    "shelling/artillery/missile attack": "Shelling/artillery/missile attack",
    "air/drone strike": "Air/drone strike",
    "remote explosive/landmine/ied": "Remote explosive/landmine/IED",
}


# -- the checks -------------------------------------------------------------------------


def _refs(value: Any, key: str = "") -> Iterator[str]:
    """Every id an object refers to (properties named *_ref or *_refs, at any depth)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _refs(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item, key)
    elif isinstance(value, str) and key.endswith(("_ref", "_refs")):
        yield value


def _pattern_problem(indicator: dict[str, Any]) -> str | None:
    kind, pattern = indicator["pattern_type"], indicator["pattern"]
    try:
        if kind == "pcre":
            re.compile(pattern)
        elif kind == PATTERN_TYPE:
            Indicator.model_validate({"id": "x", "description": "x", **json.loads(pattern)})
        elif kind != "stix":  # stix patterns are validated by stix2 when parsed
            return f"{indicator['id']}: unexpected pattern_type {kind}"
    except (re.error, ValueError) as e:
        return f"{indicator['id']}: pattern does not read back: {e}"
    return None


def stix_problems(text: str) -> list[str]:
    """What is wrong with a STIX bundle's JSON (nothing: an empty list)."""
    bundle = stix2.parse(text, allow_custom=False)
    objects = json.loads(text)["objects"]
    ids = Counter(o["id"] for o in objects)
    problems = [f"{i} appears {n} times" for i, n in ids.items() if n > 1]
    types = {o["id"]: o["type"] for o in objects}
    for raw, parsed in zip(objects, bundle.objects, strict=True):
        again = stix2.parse(parsed.serialize(), allow_custom=False)
        if json.loads(again.serialize()) != raw or raw.get("spec_version") != "2.1":
            problems.append(f"{raw['id']} does not round-trip")
        problems += [f"{raw['id']} refers to missing {r}" for r in _refs(raw) if r not in types]
        if raw["type"] == "relationship":
            problems += _relationship_problems(raw, types)
        if raw["type"] == "indicator":
            problems += [p for p in [_pattern_problem(raw)] if p]
    return problems


def _relationship_problems(raw: dict[str, Any], types: dict[str, str]) -> list[str]:
    source, target = types.get(raw["source_ref"]), types.get(raw["target_ref"])
    if {source, target} & {"relationship", "sighting", None}:
        return [f"{raw['id']} joins {source} to {target}"]
    link = (source, raw["relationship_type"], target)
    if raw["relationship_type"] != "related-to" and link not in SPEC_DEFINED | INCIDENT_LINKS:
        return [f"{raw['id']}: undocumented relationship {link}"]
    return []


# -- the demo corpus's truth as events ------------------------------------------------------


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CORPUS / "GOLD.yaml").read_text(encoding="utf-8"))
    return data


def front_claimed_parent_blamed(
    gold: dict[str, Any], kb: KnowledgeBase
) -> list[tuple[str, str, str]]:
    """(attack, front, parent): a front group claimed it and its parent was blamed."""
    fronts = {(r.subject, r.object) for r in kb.relations if r.relation == "front_of"}
    return [
        (attack["id"], front, parent)
        for attack in gold["attacks"]
        for front in attack["claimed_by"]
        for parent in attack["attributed_to"]
        if (front, parent) in fronts
    ]


def _gold_event(attack: dict[str, Any], gold: dict[str, Any], kb: KnowledgeBase) -> Event:
    reports = attack["reports"]
    roles = {"perpetrator": [attack["actor"]] if attack["actor"] else []}
    roles |= {"target": attack.get("target", []), "victim": attack.get("victims", [])}
    claims = [
        Claim(claimant_id=c["claimant"], claimed_on=c["claimed_on"][0], channel=c["channel"],
              document_id=reports[0])
        for c in gold["claims"] if attack["id"] in c["attacks"]
    ]  # fmt: skip
    blamed = [
        Attribution(actor_id=actor, by_actor_id=by, document_id=reports[0])
        for actor in attack["attributed_to"] for by in attack["attributed_by"]
    ]  # fmt: skip
    sub_event = SUB_EVENTS[attack["sub_event_type"]]
    return Event(
        id=attack["id"],
        date=attack["date"],
        date_end=attack.get("date_end"),
        event_type="Explosions/Remote violence",
        sub_event_type=sub_event,
        place=kb.places.get(attack.get("place_id") or ""),
        actors=[
            EventActor(actor_id=a, name=kb.actor(a).name, role=role)
            for role, ids in roles.items()
            for a in ids
        ],
        claims=claims,
        attributions=blamed,
        sources=[SourceSpan(document_id=r, start=0, end=0, text="") for r in reports],
    )


@pytest.fixture(scope="module")
def gold_bundle(gold: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    events = [_gold_event(a, gold, kb) for a in gold["attacks"]]
    documents = [{"document_id": path, "title": path, "published": str(entry["published"])}
                 for path, entry in gold["documents"].items()]  # fmt: skip
    text = str(stix_bundle(events, documents=documents, kb=kb, created=CREATED).serialize())
    return {"text": text, "objects": json.loads(text)["objects"], "events": events}


def _incident_of(objects: list[dict[str, Any]], event_id: str) -> dict[str, Any]:
    return next(
        o
        for o in objects
        if o["type"] == "incident" and o["external_references"][0]["external_id"] == event_id
    )


def _links(objects: list[dict[str, Any]], source: str, target: str) -> list[dict[str, Any]]:
    return [
        o
        for o in objects
        if o["type"] == "relationship" and o["source_ref"] == source and o["target_ref"] == target
    ]


def assert_claim_and_attribution_apart(
    objects: list[dict[str, Any]], incident: str, front: str, parent: str, by: str
) -> None:
    """The front's claim and the parent's attribution are two relationships, neither lost."""
    front_ref, parent_ref = (interop.stix_id("threat-actor", a) for a in (front, parent))
    claims = _links(objects, incident, front_ref)
    blames = _links(objects, incident, parent_ref)
    assert [c["relationship_type"] for c in claims] == ["related-to"]
    assert claims[0]["description"].startswith("claim of responsibility")
    attributed = [b for b in blames if b["relationship_type"] == "attributed-to"
                  and b["description"].startswith(f"attribution according to {by}")]  # fmt: skip
    assert len(attributed) == 1
    assert 1 <= attributed[0]["confidence"] <= 100
    assert claims[0]["id"] != attributed[0]["id"]
    assert not any(b["relationship_type"] == "related-to" for b in blames)  # not claimed


# -- the tests --------------------------------------------------------------------------------


def test_gold_has_a_front_that_claims_what_its_parent_is_blamed_for(
    gold: dict[str, Any], kb: KnowledgeBase
) -> None:
    assert front_claimed_parent_blamed(gold, kb) == [
        ("taji-2020-03-11", "usbat-al-thairen", "kataib-hezbollah")
    ]


def test_gold_bundle_validates(gold_bundle: dict[str, Any]) -> None:
    assert stix_problems(gold_bundle["text"]) == []
    kinds = Counter(o["type"] for o in gold_bundle["objects"])
    assert kinds["incident"] == 16 and kinds["indicator"] == len(load_indicators())
    assert kinds["campaign"] >= 1 and kinds["sighting"] >= 1 and kinds["report"] >= 16


def test_gold_claim_and_attribution_stay_separate(
    gold_bundle: dict[str, Any], gold: dict[str, Any], kb: KnowledgeBase
) -> None:
    objects = gold_bundle["objects"]
    for attack, front, parent in front_claimed_parent_blamed(gold, kb):
        incident = _incident_of(objects, attack)["id"]
        assert_claim_and_attribution_apart(objects, incident, front, parent, "United States")
    front_ref = interop.stix_id("threat-actor", "usbat-al-thairen")
    parent_ref = interop.stix_id("threat-actor", "kataib-hezbollah")
    kb_link = _links(objects, front_ref, parent_ref)
    assert [r["description"] for r in kb_link] == ["knowledge base: front of"]


def test_gold_front_campaign_is_claimed_not_attributed(gold_bundle: dict[str, Any]) -> None:
    objects = gold_bundle["objects"]
    front_ref = interop.stix_id("threat-actor", "usbat-al-thairen")
    campaigns = [
        o for o in objects if o["type"] == "campaign" and _links(objects, o["id"], front_ref)
    ]
    assert len(campaigns) == 1
    (campaign,) = campaigns
    assert campaign["first_seen"].startswith("2020-03-11")
    assert campaign["last_seen"].startswith("2020-03-16")
    links = _links(objects, campaign["id"], front_ref)
    assert [r["relationship_type"] for r in links] == ["related-to"]
    assert links[0]["description"].startswith("claim of responsibility: Usbat al-Thairen claimed 3")
    members = [o["source_ref"] for o in objects if o.get("target_ref") == campaign["id"]
               and o["source_ref"].startswith("incident--")]  # fmt: skip
    expected = ("taji-2020-03-11", "taji-2020-03-14", "besmaya-2020-03-16")
    assert sorted(members) == sorted(interop.stix_id("incident", i) for i in expected)


# -- the corpus through the pipeline ------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> dict[str, Any]:
    from watchfloor.extract import build_extractor
    from watchfloor.pipeline import run

    with Store.open(str(tmp_path_factory.mktemp("demo") / "demo.db")) as store:
        summary = run([CORPUS], store=store, extractor=build_extractor(),
                      exclude=["README.md", "GOLD.yaml"])  # fmt: skip
        events = interop.product_events(store)
        documents = list(interop.documents_by_id(store).values())
        text = export_text(store, "stix", kb=kb)
    return {"summary": summary, "events": events, "documents": documents, "text": text}


@pytest.mark.model
def test_demo_bundle_validates(demo: dict[str, Any]) -> None:
    assert len(demo["summary"].added) == 57  # README.md: the corpus holds 57 documents
    assert stix_problems(demo["text"]) == []
    objects = json.loads(demo["text"])["objects"]
    kinds = Counter(o["type"] for o in objects)
    assert kinds["incident"] == len(demo["events"])
    assert kinds["indicator"] == len(load_indicators())
    assert kinds["campaign"] >= 1 and kinds["sighting"] >= 1 and kinds["threat-actor"] >= 1


@pytest.mark.model
def test_demo_every_claim_and_attribution_survives_apart(demo: dict[str, Any]) -> None:
    objects = json.loads(demo["text"])["objects"]
    for event in demo["events"]:
        incident = interop.stix_id("incident", event.id)
        for claimant in {c.claimant_id for c in event.claims}:
            links = _links(objects, incident, interop.stix_id("threat-actor", claimant))
            claims = [r for r in links if r["relationship_type"] == "related-to"]
            assert len(claims) == 1 and claims[0]["description"].startswith("claim of")
        for actor_id in {a.actor_id for a in event.attributions}:
            parties = {a.by_actor_id for a in event.attributions if a.actor_id == actor_id}
            links = _links(objects, incident, interop.stix_id("threat-actor", actor_id))
            blamed = [r for r in links if r["description"].startswith("attribution")]
            assert len(blamed) == len(parties)
            assert all(
                r["relationship_type"] == "attributed-to" and r["confidence"] for r in blamed
            )


@pytest.mark.model
def test_demo_front_claim_and_parent_attribution_stay_separate(
    demo: dict[str, Any], gold: dict[str, Any], kb: KnowledgeBase
) -> None:
    objects = json.loads(demo["text"])["objects"]
    attacks = {a["id"]: a for a in gold["attacks"]}
    for attack_id, front, parent in front_claimed_parent_blamed(gold, kb):
        attack = attacks[attack_id]
        event = next(
            e for e in demo["events"]
            if e.date == attack["date"] and e.place and e.place.place_id == attack["place_id"]
            and e.event_type == "Explosions/Remote violence"
        )  # fmt: skip
        parties = {a.by_actor_id for a in event.attributions if a.actor_id == parent}
        assert parties, f"no attribution of {attack_id} to {parent} was extracted"
        assert front in {c.claimant_id for c in event.claims}, f"{front}'s claim of {attack_id}"
        incident = interop.stix_id("incident", event.id)
        for by in parties:
            who = kb.actor(by).name if by else "an unnamed source"
            assert_claim_and_attribution_apart(objects, incident, front, parent, who)


@pytest.mark.model
def test_demo_export_is_stable(demo: dict[str, Any], kb: KnowledgeBase) -> None:
    one, two = (
        stix_bundle(demo["events"], documents=demo["documents"], kb=kb, created=CREATED)
        for _ in range(2)
    )
    assert one.serialize(sort_keys=True) == two.serialize(sort_keys=True)
