"""The knowledge base's ruler and its patterns, on a blank English pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from watchfloor.knowledge import (
    CONTEXT_PREFIX,
    KnowledgeBase,
    load_knowledge,
    pattern_target,
    ruler_for,
    ruler_patterns,
)
from watchfloor.knowledge.ruler import KnowledgeRuler

ACTORS = """\
- {id: united-states, name: United States, kind: state, aliases: [U.S., US],
   context_aliases: [Washington, American]}
- {id: kataib-hezbollah, name: Kata’ib Hezbollah, kind: militia, aliases: [KH]}
- {id: hezbollah, name: Hezbollah, kind: militia}
- {id: asaib-ahl-al-haq, name: Asa'ib Ahl al-Haq, kind: militia}
- {id: irgc, name: IRGC, kind: state_force}
- {id: irgc-quds-force, name: IRGC – Quds Force, kind: state_force, aliases: [Quds Force]}
- {id: cjtf-oir, name: CJTF-OIR, kind: international_force}
- {id: iran-backed-militias, name: Iran’s proxies, kind: network}
- {id: abu-mahdi-al-muhandis, name: Abu Mahdi al-Muhandis, kind: person,
   context_aliases: [Muhandis]}
- {id: moqtada-al-sadr, name: Moqtada al-Sadr, kind: person, context_aliases: [Sadr]}
- {id: adel-abdul-mehdi, name: Adel Abdul Mehdi, kind: person, context_aliases: [Mehdi]}
- {id: badr-organization, name: Badr Organization, kind: militia, aliases: [Badr]}
- {id: badr-corps, name: Badr Corps, kind: militia, aliases: [Badr]}
"""
SITES = """\
- {id: sadr-city, name: Sadr City, kind: district, lat: 33.39, lon: 44.46}
- {id: jurf-al-sakhar, name: Jurf al-Sakhar, kind: town, lat: 32.65, lon: 44.13}
- {id: camp-taji, name: Camp Taji, kind: base, lat: 33.53, lon: 44.26, aliases: [Taji]}
- {id: samarra, name: Samarra’, kind: city, lat: 34.2, lon: 43.87}
- {id: washington-dc, name: Washington, kind: city, lat: 38.9, lon: -77.0}
"""
GAZETTEER = """\
id,name,kind,lat,lon,admin1,country,aliases,population,source
hit,Hit,town,33.64,42.83,Anbar,Iraq,Heet,60000,geonames
baghdad,Baghdad,city,33.31,44.36,Baghdad,Iraq,Bagdad,7000000,geonames
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("data")
    (folder / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (folder / "sites.yaml").write_text(SITES, encoding="utf-8")
    (folder / "iraq_places.csv").write_text(GAZETTEER, encoding="utf-8")
    return load_knowledge(data_dir=folder)


@pytest.fixture(scope="module")
def nlp(kb: KnowledgeBase) -> Language:
    nlp = spacy.blank("en")
    ruler_for(nlp, kb)
    return nlp


def ents(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kata’ib Hezbollah fired.", ("Kata’ib Hezbollah", "ACTOR", "kataib-hezbollah")),
        ("Kata'ib Hezbollah fired.", ("Kata'ib Hezbollah", "ACTOR", "kataib-hezbollah")),
        ("KATAIB HIZBALLAH fired.", ("KATAIB HIZBALLAH", "ACTOR", "kataib-hezbollah")),
        ("kataeb hizbullah fired.", ("kataeb hizbullah", "ACTOR", "kataib-hezbollah")),
        ("Asa’ib Ahl al-Haq said.", ("Asa’ib Ahl al-Haq", "ACTOR", "asaib-ahl-al-haq")),
        ("Asaib Ahl al Haq said.", ("Asaib Ahl al Haq", "ACTOR", "asaib-ahl-al-haq")),
        ("near Jurf as-Sakhar.", ("Jurf as-Sakhar", "PLACE", "jurf-al-sakhar")),
        ("near Jurf al Sakhar.", ("Jurf al Sakhar", "PLACE", "jurf-al-sakhar")),
        ("the IRGC – Quds Force", ("IRGC – Quds Force", "ACTOR", "irgc-quds-force")),
        ("the IRGC-Quds Force", ("IRGC-Quds Force", "ACTOR", "irgc-quds-force")),
        ("CJTF-OIR said", ("CJTF-OIR", "ACTOR", "cjtf-oir")),
        ("CJTF – OIR said", ("CJTF – OIR", "ACTOR", "cjtf-oir")),
        ("Iran's proxies struck.", ("Iran's proxies", "ACTOR", "iran-backed-militias")),
        ("in Samarra today", ("Samarra", "PLACE", "samarra")),
        ("in Samarra’ today", ("Samarra’", "PLACE", "samarra")),
        ("the U.S.-led coalition", ("U.S.-led", "ACTOR", "united-states")),
        ("U.S.-backed forces", ("U.S.-backed", "ACTOR", "united-states")),
        ("US-Iraqi talks", ("US", "ACTOR", "united-states")),
        ("Abu Mahdi al-Muhandis died", ("Abu Mahdi al-Muhandis", "ACTOR", "abu-mahdi-al-muhandis")),
        ("Abu Mehdi al-Muhandis died", ("Abu Mehdi al-Muhandis", "ACTOR", "abu-mahdi-al-muhandis")),
    ],
)
def test_names_as_news_writes_them(
    nlp: Language, text: str, expected: tuple[str, str, str]
) -> None:
    assert ents(nlp, text) == [expected]


def test_longest_name_wins(nlp: Language) -> None:
    found = ents(nlp, "Sadr met Adel Abdul Mehdi in Sadr City; Muhandis and Mehdi did not.")
    assert found == [
        ("Sadr", "ACTOR", "ctx:moqtada-al-sadr"),
        ("Adel Abdul Mehdi", "ACTOR", "adel-abdul-mehdi"),
        ("Sadr City", "PLACE", "sadr-city"),
        ("Muhandis", "ACTOR", "ctx:abu-mahdi-al-muhandis"),
        ("Mehdi", "ACTOR", "ctx:adel-abdul-mehdi"),
    ]


def test_hezbollah_alone_and_inside_kataib_hezbollah(nlp: Language) -> None:
    found = ents(nlp, "Hezbollah and Kata’ib Hezbollah")
    assert [i for _, _, i in found] == ["hezbollah", "kataib-hezbollah"]


def test_acronyms_and_one_word_names_keep_their_case(nlp: Language) -> None:
    assert ents(nlp, "They told us the rocket hit Taji, not taji.") == [
        ("Taji", "PLACE", "camp-taji"),
    ]
    assert ents(nlp, "the irgc and kh") == []
    assert ents(nlp, "Baghdad and BAGHDAD") == [
        ("Baghdad", "PLACE", "baghdad"),
        ("BAGHDAD", "PLACE", "baghdad"),
    ]


def test_a_compound_counts_only_with_a_known_suffix(nlp: Language) -> None:
    assert ents(nlp, "U.S.-Iraqi talks") == []


def test_common_words_are_no_place_names(nlp: Language) -> None:
    assert ents(nlp, "Hit by rockets near Hit, also called Heet.") == [("Heet", "PLACE", "hit")]


def test_a_place_name_beats_a_context_alias(nlp: Language) -> None:
    assert ents(nlp, "Washington said") == [("Washington", "PLACE", "washington-dc")]


def test_a_name_shared_by_two_actors_is_left_to_the_resolver(nlp: Language) -> None:
    assert ents(nlp, "Badr said") == [("Badr", "ACTOR", CONTEXT_PREFIX)]
    assert pattern_target(CONTEXT_PREFIX) == ("", True)


def test_pattern_ids_and_labels(kb: KnowledgeBase) -> None:
    patterns = ruler_patterns(kb)
    assert {p["label"] for p in patterns} == {"ACTOR", "PLACE"}
    ids = {p["id"] for p in patterns}
    assert {"kataib-hezbollah", "ctx:moqtada-al-sadr", "sadr-city", "hit"} <= ids
    assert pattern_target("ctx:moqtada-al-sadr") == ("moqtada-al-sadr", True)
    assert pattern_target("sadr-city") == ("sadr-city", False)
    assert len({repr(p["pattern"]) for p in patterns}) == len(patterns)


def test_ruler_goes_before_ner_and_is_replaced_not_doubled(kb: KnowledgeBase) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("ner")
    ruler_for(nlp, kb)
    ruler_for(nlp, kb)
    assert nlp.pipe_names == ["sentencizer", "knowledge_ruler", "ner"]
    ruler = nlp.get_pipe("knowledge_ruler")
    assert isinstance(ruler, KnowledgeRuler)
    assert ruler.overwrite is True


SENTENCES = [
    "Kata’ib Hezbollah and KATAIB HIZBALLAH, kataeb hizbullah and Kataib - Hezbollah fired.",
    "Asa'ib Ahl as-Haq, Asaib Ahl al Haq and Asa`ib Ahl el - Haq said so in Sadr City.",
    "The U.S.-led and U.S.–backed coalition (CJTF-OIR, CJTF – OIR) met US-Iraqi envoys.",
    "U.S.-Iraqi talks: the US, the U.S. and the U.S.-aligned forces.",
    "Abu Mahdi al-Muhandis, Abu Mehdi al Muhandis, Muhandis and Mehdi met Adel Abdul Mehdi.",
    "Rockets hit Taji and Camp Taji near Samarra’ and samarra; Washington and Badr said.",
    "the IRGC – Quds Force, the IRGC-Quds Force, Quds Force and Iran’s proxies in Baghdad.",
]


def test_same_entities_as_spacys_entity_ruler(kb: KnowledgeBase, nlp: Language) -> None:
    reference = spacy.blank("en")
    ruler = reference.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(kb))  # type: ignore[attr-defined]
    for text in SENTENCES:
        want = [(e.start, e.end, e.label_, e.ent_id_) for e in reference(text).ents]
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in nlp(text).ents] == want
        assert want


def test_patterns_need_no_regex(kb: KnowledgeBase) -> None:
    for pattern in ruler_patterns(kb):
        for token in pattern["pattern"]:
            assert set(token) <= {"ORTH", "LOWER", "OP"}, token


def test_ruler_keeps_entities_it_may_not_overwrite() -> None:
    nlp = spacy.blank("en")
    ruler = KnowledgeRuler(nlp.vocab, overwrite=False)
    ruler.add_patterns([{"label": "ACTOR", "id": "kh", "pattern": [{"LOWER": "kataib"}]}])
    doc = nlp.make_doc("Kataib and kataib")
    doc.ents = [Span(doc, 0, 1, label="ORG")]
    assert [(e.text, e.label_, e.ent_id_) for e in ruler(doc).ents] == [
        ("Kataib", "ORG", ""),
        ("kataib", "ACTOR", "kh"),
    ]


def test_on_one_span_an_actor_beats_a_place_and_a_context_alias() -> None:
    nlp = spacy.blank("en")
    ruler = KnowledgeRuler(nlp.vocab)
    ruler.add_patterns(
        [
            {"label": "ACTOR", "id": "ctx:badr-corps", "pattern": [{"ORTH": "Badr"}]},
            {"label": "PLACE", "id": "badr", "pattern": [{"LOWER": "badr"}]},
            {"label": "ACTOR", "id": "badr-organization", "pattern": [{"ORTH": "Badr"}]},
        ]
    )
    assert [(e.label_, e.ent_id_) for e in ruler(nlp.make_doc("Badr")).ents] == [
        ("ACTOR", "badr-organization")
    ]


@pytest.mark.parametrize(
    "token", [{"TEXT": {"REGEX": "^x$"}}, {"LOWER": "x", "OP": "+"}, {"LOWER": {"NOT_IN": ["x"]}}]
)
def test_ruler_refuses_token_specs_it_cannot_match(token: dict[str, object]) -> None:
    ruler = KnowledgeRuler(spacy.blank("en").vocab)
    with pytest.raises(ValueError, match="unsupported"):
        ruler.add_patterns([{"label": "ACTOR", "pattern": [token]}])
