"""Name keys and the resolver's rules, on a small knowledge base written here."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.resolve import NameResolver, Resolution, normalise_name, slug
from watchfloor.resolve.names import NORMALISATION_RULES, looks_like_acronym

ACTORS = """\
- {id: iran, name: Iran, kind: state, aliases: [Islamic Republic of Iran],
   context_aliases: [Tehran, Iranian]}
- {id: united-states, name: United States, kind: state, aliases: [U.S., US, USA],
   context_aliases: [Washington, American, Americans]}
- id: kataib-hezbollah
  name: Kata’ib Hezbollah
  kind: militia
  aliases: [KH, Hezbollah Brigades]
  relations: [{relation: proxy_of, object: iran}]
- {id: hezbollah, name: Hezbollah, kind: militia, aliases: [Lebanese Hezbollah]}
- {id: kataib-sayyid-al-shuhada, name: Kata’ib Sayyid al-Shuhada, kind: militia}
- {id: asaib-ahl-al-haq, name: Asa’ib Ahl al-Haq, kind: militia, aliases: [AAH]}
- {id: irgc, name: Islamic Revolutionary Guard Corps, kind: state_force, aliases: [IRGC, Pasdaran]}
- {id: irgc-quds-force, name: IRGC – Quds Force, kind: state_force, aliases: [Quds Force, IRGC]}
- id: abu-ali-al-askari
  name: Abu Ali al-Askari
  kind: person
  context_aliases: [Askari]
  relations: [{relation: spokesperson_of, object: kataib-hezbollah}]
- {id: moqtada-al-sadr, name: Moqtada al-Sadr, kind: person, context_aliases: [Sadr]}
- {id: muhammad-sadiq-al-sadr, name: Muhammad Sadiq al-Sadr, kind: person,
   context_aliases: [Sadr]}
- {id: adel-abdul-mehdi, name: Adel Abdul Mehdi, kind: person, context_aliases: [Mehdi]}
- id: abu-mahdi-al-muhandis
  name: Abu Mahdi al-Muhandis
  kind: person
  context_aliases: [Muhandis]
  relations: [{relation: leader_of, object: kataib-hezbollah}]
- {id: qassem-soleimani, name: Qassem Soleimani, kind: person, context_aliases: [Soleimani]}
- {id: myles-caggins, name: Myles B. Caggins III, kind: person}
- {id: isis, name: Islamic State, kind: insurgent, aliases: [ISIS, ISIL, IS, Daesh]}
"""
SITES = """\
- {id: sadr-city, name: Sadr City, kind: district, lat: 33.39, lon: 44.46}
- {id: jurf-al-sakhar, name: Jurf al-Sakhar, kind: town, lat: 32.65, lon: 44.13,
   aliases: [Jurf al-Nasr]}
- {id: ain-al-asad, name: Ain al-Asad, kind: base, lat: 33.80, lon: 42.44}
- {id: soleimani-square, name: Soleimani Square, kind: site, lat: 33.3, lon: 44.4}
"""
GAZETTEER = """\
id,name,kind,lat,lon,admin1,country,aliases,population,source
nasiriyah,Nasiriyah,city,31.05,46.26,Dhi Qar,Iraq,An Nasiriyah,400000,geonames
basra,Basra,city,30.5,47.8,Basra,Iraq,Al Basrah,1300000,geonames
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("data")
    (folder / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (folder / "sites.yaml").write_text(SITES, encoding="utf-8")
    (folder / "iraq_places.csv").write_text(GAZETTEER, encoding="utf-8")
    return load_knowledge(data_dir=folder)


@pytest.fixture(scope="module")
def resolver(kb: KnowledgeBase) -> NameResolver:
    return NameResolver(kb)


# -- the key -----------------------------------------------------------------------

SAME = [
    ("Kata’ib Hezbollah", "Kataib Hizballah", "Kataeb Hizbullah", "KATAYIB HIZBOLLAH",
     "Kata'eb Hizbolla", "Kata‘ib Hezbollah"),
    ("Asa’ib Ahl al-Haq", "Asaib Ahl al-Haq", "Assaib Ahl al Haq", "Asaeb Ahl el-Haqq"),
    ("Jurf al-Sakhar", "Jurf as-Sakhar", "Jurf al Sakhar", "Jurf Al-Sakhr"),
    ("Qassem Soleimani", "Qasem Soleimani", "Qasim Suleimani", "Gen. Qassem Soleimani"),
    ("U.S.", "US", "u.s.", "U.S.-led"),
    ("Ain al-Asad", "Ain al-Assad", "ʿAyn al-Asad".replace("Ayn", "Ain"), "Ain Al Asad"),
    ("Abu Mahdi al-Muhandis", "Abu Mehdi al-Muhandis", "Abou Mahdi al-Mohandes"),
    ("Islamic State", "the Islamic State", "Islamic State’s"),
    ("Nasiriyah", "An Nasiriyah", "an-Nasiriya", "Nassiriyah"),
    ("Basra", "Al Basrah", "Basrah"),
    ("Myles B. Caggins III", "Col. Myles B. Caggins III", "Myles Caggins"),
    ("Adel Abdul Mehdi", "Adel Abd al-Mahdi", "Caretaker Prime Minister Adel Abdul Mehdi"),
    ("Usbat al-Thairen", "Usbat al-Tha’ireen", "Osbat al-Thaireen"),
    ("Popular Mobilization Forces", "Popular Mobilisation Forces", "popular mobilization forces"),
    ("Muqtada al-Sadr", "Moqtada al-Sadr", "Muqtada as-Sadr"),
    ("Moussa", "Musa"),
    ("Sheeba", "Shiba"),
    ("Sayyid", "Sayed"),
]  # fmt: skip
DIFFERENT = [
    ("Sadr City", "Moqtada al-Sadr"),
    ("Abu Mahdi al-Muhandis", "Adel Abdul Mehdi"),
    ("Kata’ib Hezbollah", "Hezbollah"),
    ("IRGC", "IRGC – Quds Force"),
    ("US", "USA"),
]


@pytest.mark.parametrize("names", SAME, ids=[n[0] for n in SAME])
def test_variants_share_one_key(names: tuple[str, ...]) -> None:
    assert len({normalise_name(n) for n in names}) == 1, [normalise_name(n) for n in names]


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert normalise_name(one) != normalise_name(other)


def test_the_key_is_a_table_of_named_rules() -> None:
    assert all(isinstance(name, str) and callable(rule) for name, rule in NORMALISATION_RULES)
    assert normalise_name("Kata’ib Hezbollah") == "kataib hezbola"
    assert normalise_name("") == ""
    assert normalise_name("الحشد الشعبي") == normalise_name("الحشد  الشعبى")


def test_slug_and_acronym_shape() -> None:
    assert slug("Saraya Awliya al-Dam’s") == "saraya-awliya-al-dam-s"
    assert looks_like_acronym("CJTF-OIR") and looks_like_acronym("U.S.")
    assert not looks_like_acronym("Iran") and not looks_like_acronym("A")


# -- actors ------------------------------------------------------------------------


def resolve(resolver: NameResolver, surface: str, *context: str) -> Resolution:
    return resolver.resolve_actor(surface, context=context)


@pytest.mark.parametrize(
    ("surface", "expected", "method"),
    [
        ("Kata’ib Hezbollah", "kataib-hezbollah", "exact"),
        ("kata’ib hezbollah", "kataib-hezbollah", "exact"),
        ("Kataib Hizbullah", "kataib-hezbollah", "normalised"),
        ("KH", "kataib-hezbollah", "acronym"),
        ("U.S.", "united-states", "acronym"),
        ("AAH", "asaib-ahl-al-haq", "acronym"),
        ("KSS", None, "none"),  # initials are not an alias: an unknown acronym stays unknown
        ("Moqtada al-Sar", "moqtada-al-sadr", "fuzzy"),
        ("Kataib Hezbolla Brigades", None, "none"),
        ("Hezbollah", "hezbollah", "exact"),
        ("Islamic State", "isis", "exact"),
        ("Tehran", "iran", "context"),
        ("Americans", "united-states", "context"),
    ],
)
def test_actor_methods(
    resolver: NameResolver, surface: str, expected: str | None, method: str
) -> None:
    found = resolve(resolver, surface)
    assert (found.id, found.method) == (expected, method), found.reason
    assert found.surface == surface


def test_context_alias_needs_support(resolver: NameResolver) -> None:
    alone = resolve(resolver, "Askari")
    assert alone.id is None
    assert alone.reason == "context alias without support"
    assert alone.candidate_id == "askari"
    assert resolve(resolver, "Askari", "Abu Ali al-Askari").id == "abu-ali-al-askari"
    related = resolve(resolver, "Askari", "KH", "Baghdad")
    assert related.id == "abu-ali-al-askari"
    assert "related actor kataib-hezbollah" in related.reason


def test_a_context_alias_shared_by_two_actors(resolver: NameResolver) -> None:
    assert resolve(resolver, "Sadr").id is None
    assert resolve(resolver, "Sadr", "Moqtada al-Sadr").id == "moqtada-al-sadr"
    assert resolve(resolver, "Sadr", "Muhammad Sadiq al-Sadr").id == "muhammad-sadiq-al-sadr"
    both = resolve(resolver, "Sadr", "Moqtada al-Sadr", "Muhammad Sadiq al-Sadr")
    assert both.id is None and both.reason.startswith("ambiguous context alias")


def test_context_owners(resolver: NameResolver) -> None:
    assert resolver.context_owners("Askari") == ["abu-ali-al-askari"]
    assert resolver.context_owners("Sadr") == ["moqtada-al-sadr", "muhammad-sadiq-al-sadr"]
    assert resolver.context_owners("KH") == []


def test_a_misspelled_full_name_supports_its_surname(resolver: NameResolver) -> None:
    assert resolve(resolver, "Sadr", "Moqtada al-Sar").id == "moqtada-al-sadr"


def test_an_ambiguous_alias_is_decided_by_context(resolver: NameResolver) -> None:
    assert resolve(resolver, "IRGC").id is None
    assert resolve(resolver, "IRGC").reason == "ambiguous: irgc or irgc-quds-force"
    assert resolve(resolver, "IRGC", "Quds Force").id == "irgc-quds-force"
    assert resolve(resolver, "IRGC", "Pasdaran").id == "irgc"


def test_sadr_city_is_a_place_never_the_cleric(resolver: NameResolver) -> None:
    assert resolve(resolver, "Sadr City", "Moqtada al-Sadr").id is None
    assert resolver.resolve_place("Sadr City").id == "sadr-city"


def test_mehdi_inside_muhandis_never_resolves_to_abdul_mehdi(resolver: NameResolver) -> None:
    found = resolve(resolver, "Abu Mehdi al-Muhandis", "Adel Abdul Mehdi")
    assert found.id == "abu-mahdi-al-muhandis"
    assert resolve(resolver, "Mehdi", "Abu Mehdi al-Muhandis").id is None
    assert resolve(resolver, "Mehdi", "Adel Abdul Mehdi").id == "adel-abdul-mehdi"
    assert resolve(resolver, "Muhandis", "Abu Mehdi al-Muhandis").id == "abu-mahdi-al-muhandis"


def test_short_names_match_only_exactly(resolver: NameResolver) -> None:
    assert resolve(resolver, "KHH").id is None
    assert resolve(resolver, "ISIL").id == "isis"
    assert resolve(resolver, "ISIX").id is None
    assert resolve(resolver, "is").id is None  # a lower-case word is not the acronym IS
    assert resolve(resolver, "us").id is None


def test_an_unknown_name_becomes_a_candidate(resolver: NameResolver) -> None:
    found = resolve(resolver, "Usbat al-Thairen")
    assert (found.id, found.method, found.score) == (None, "none", 0.0)
    assert found.candidate_id == "usbat-thairen"
    assert resolve(resolver, "Usbat al-Tha’ireen").candidate_id == found.candidate_id
    assert resolve(resolver, "  ").reason == "empty name"


def test_fuzzy_does_not_cross_from_person_to_place(resolver: NameResolver) -> None:
    assert resolve(resolver, "Soleimani Square").id is None
    assert resolver.resolve_place("Qassem Soleimani").id is None
    assert resolver.resolve_place("Qasem Soleimany").id is None
    assert resolver.resolve_place("Soleimani Squar").id == "soleimani-square"


def test_fuzzy_forgives_typos_not_other_words(resolver: NameResolver) -> None:
    assert resolve(resolver, "Myles B. Cagins").id == "myles-caggins"
    assert resolve(resolver, "Abu MahdiAl-Muhandis").id == "abu-mahdi-al-muhandis"
    for other in ("Iraqi Revolutionary Guard Corps", "Islamic Revolutionary Army Corps"):
        found = resolve(resolver, other)  # ratio >= 90 with the IRGC's name, but another word
        assert found.id is None and "a word differs" in found.reason
    assert resolve(resolver, "Islamic Statehood").id is None


def test_threshold_is_a_setting(kb: KnowledgeBase) -> None:
    assert NameResolver(kb, threshold=99).resolve_actor("Moqtada al-Sar").id is None
    assert NameResolver(kb, threshold=80).resolve_actor("Moqtada al-Sar").id == "moqtada-al-sadr"


def test_scorer_can_be_chosen(kb: KnowledgeBase) -> None:
    resolver = NameResolver(kb, scorer=fuzz.token_sort_ratio)
    assert resolver.resolve_actor("Sadr Moqtada").id == "moqtada-al-sadr"


def test_resolutions_are_cached(resolver: NameResolver) -> None:
    assert resolve(resolver, "Kataib Hizbullah") is resolve(resolver, "Kataib Hizbullah")
    assert resolver.resolve_place("Basrah") is resolver.resolve_place("Basrah")


# -- places and search -------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Jurf as-Sakhar", "jurf-al-sakhar"),
        ("Jurf al-Nasr", "jurf-al-sakhar"),
        ("Ain al-Assad", "ain-al-asad"),
        ("An Nasiriyah", "nasiriyah"),
        ("Al Basrah", "basra"),
        ("Nasiriya", "nasiriyah"),
        ("Kufa", None),
    ],
)
def test_places(resolver: NameResolver, surface: str, expected: str | None) -> None:
    assert resolver.resolve_place(surface).id == expected


def test_search_ranks_direct_resolutions_first(resolver: NameResolver) -> None:
    found = resolver.search("Kataib Hizbullah")
    assert found[0].id == "kataib-hezbollah"
    assert found[0].method == "normalised"
    assert "hezbollah" in [r.id for r in found]
    assert [r.score for r in found[1:]] == sorted((r.score for r in found[1:]), reverse=True)


def test_search_finds_places_and_context_aliases(resolver: NameResolver) -> None:
    assert resolver.search("Askari")[0].id == "abu-ali-al-askari"
    assert resolver.search("Jurf")[0].id == "jurf-al-sakhar"
    assert resolver.search("zzzz qqqq") == []
    assert len(resolver.search("a", limit=3)) <= 3
