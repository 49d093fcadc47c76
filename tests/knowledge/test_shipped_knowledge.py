"""The knowledge files shipped in the package: present, valid, and enough for the seed report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import spacy

from watchfloor.knowledge import KnowledgeBase, load_knowledge, ruler_for, shipped_data
from watchfloor.knowledge.loader import DATA_FILES

SHARED = Path(__file__).resolve().parents[3] / "shared"


def shared_path(*parts: str) -> Path:
    """A file beside the repository; skip where it is absent, but fail under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent (it ships beside the repository, not in it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


ACTOR_IDS = """
iran iran-backed-militias irgc-quds-force united-states kataib-hezbollah asaib-ahl-al-haq
kataib-sayyid-al-shuhada usbat-al-thairen iraqi-resistance-front popular-mobilization-forces
iraqi-security-forces isis cjtf-oir qassem-soleimani abu-mahdi-al-muhandis moqtada-al-sadr
qais-al-khazali hadi-al-ameri abu-ali-al-askari adnan-al-zurfi mohammed-tawfiq-allawi
adel-abdul-mehdi myles-caggins irgc us-centcom global-coalition iraqi-government iraqi-army
iraqi-federal-police iraqi-counter-terrorism-service iraqi-joint-operations-command krg
peshmerga turkey israel harakat-hezbollah-al-nujaba badr-organization kataib-imam-ali
kataib-jund-al-imam saraya-khorasani saraya-al-salam ashab-al-kahf saraya-awliya-al-dam
qasim-al-jabbarin saraya-thawrat-al-ishreen-al-thaniya rab-allah islamic-resistance-in-iraq
hezbollah akram-al-kaabi falih-al-fayyadh mustafa-al-kadhimi mohammed-shia-al-sudani
abu-fadak-al-mohammedawi esmail-qaani abu-alaa-al-walai
""".split()
PLACE_IDS = """
camp-taji besmaya ain-al-asad balad-airbase k1-base erbil-airport us-embassy-baghdad green-zone
baghdad-airport al-qaim jurf-al-sakhar sadr-city
""".split()


def kb() -> KnowledgeBase:
    return load_knowledge()


def test_every_data_file_is_shipped() -> None:
    missing = [name for name in DATA_FILES if not (shipped_data() / name).is_file()]
    assert not missing


def test_the_shipped_files_load_and_hold_every_section() -> None:
    knowledge = kb()
    assert knowledge.actors and knowledge.places and knowledge.relations
    assert knowledge.calendar and knowledge.taxonomy and knowledge.weapons
    assert knowledge.estimative


def test_the_actors_and_places_the_desk_needs_are_there() -> None:
    knowledge = kb()
    assert sorted(set(ACTOR_IDS) - set(knowledge.actors)) == []
    assert sorted(set(PLACE_IDS) - set(knowledge.places)) == []


def test_the_gold_relations_are_known() -> None:
    known = {(r.subject, r.relation, r.object) for r in kb().relations}
    assert ("usbat-al-thairen", "front_of", "kataib-hezbollah") in known
    assert ("abu-ali-al-askari", "spokesperson_of", "kataib-hezbollah") in known
    assert ("abu-mahdi-al-muhandis", "leader_of", "kataib-hezbollah") in known
    assert ("qassem-soleimani", "commander_of", "irgc-quds-force") in known


def test_sites_have_coordinates_in_the_region() -> None:
    for place_id in PLACE_IDS:
        place = kb().place(place_id)
        assert place.lat is not None and place.lon is not None, place_id
        assert 29 <= place.lat <= 38 and 38 <= place.lon <= 49, place_id


def test_the_ruler_finds_the_seed_reports_names() -> None:
    text = shared_path("seed", "iraq-proxies-2020.txt").read_text(encoding="utf-8")
    nlp = spacy.blank("en")
    ruler_for(nlp, kb())
    found = {e.ent_id_ for e in nlp(text).ents}
    expected = {
        "kataib-hezbollah", "asaib-ahl-al-haq", "kataib-sayyid-al-shuhada", "usbat-al-thairen",
        "iraqi-resistance-front", "popular-mobilization-forces", "qais-al-khazali",
        "hadi-al-ameri", "abu-mahdi-al-muhandis", "adnan-al-zurfi", "camp-taji", "besmaya",
        "jurf-al-sakhar", "ctx:moqtada-al-sadr", "ctx:abu-ali-al-askari",
    }  # fmt: skip
    assert sorted(expected - found) == []
