"""The knowledge loader: shipped files, the user's overlay, validation errors that point."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watchfloor.errors import KnowledgeError
from watchfloor.knowledge import Deadline, KnowledgeBase, RecurringDate, load_knowledge

ACTORS = """\
- id: iran
  name: Iran
  kind: state
  context_aliases: [Tehran, Iranian]
- id: kataib-hezbollah
  name: Kata’ib Hezbollah
  kind: militia
  aliases: [KH, Kataib Hezbollah]
  relations:
    - {relation: proxy_of, object: iran, since: 2007}
  active: 2003
  sources: [US Treasury 2009, CTC 2020]
- id: hezbollah
  name: Hezbollah
  kind: militia
  aliases: [Lebanese Hezbollah, Kataib Hezbollah]
- id: abu-ali-al-askari
  name: Abu Ali al-Askari
  kind: person
  context_aliases: [Askari]
  relations: [{relation: spokesperson_of, object: kataib-hezbollah}]
"""
SITES = """\
- {id: camp-taji, name: Camp Taji, kind: base, lat: 33.53, lon: 44.26, admin1: Baghdad,
   country: Iraq, aliases: [Taji], near: [baghdad], sources: [CENTCOM]}
- {id: baghdad, name: Baghdad, kind: city, lat: 33.31, lon: 44.37, country: Iraq}
"""
GAZETTEER = """\
id,name,kind,lat,lon,admin1,country,aliases,population,source
baghdad,Baghdad City,city,33.3,44.4,Baghdad,Iraq,Bagdad|Baghdād,7000000,geonames
anbar,Anbar,governorate,33.0,42.0,Anbar,Iraq,Al Anbar,1800000,geonames
hit,Hit,town,33.64,42.83,Anbar,Iraq,Hīt,60000,geonames
"""
CALENDAR = """\
recurring:
  - {id: soleimani-death, month: 1, day: 3, since: 2020, what: Soleimani killed,
     actors: [iran], kind: anniversary, sources: [DoD]}
deadlines:
  - {id: zurfi-deadline, date: 2020-04-16, what: Zurfi must form a government, set_by: constitution,
     kind: deadline}
"""


def write_data(folder: Path, **files: str) -> Path:
    """A data folder like the shipped one; `files` replace or add files by stem."""
    defaults = {
        "actors.yaml": ACTORS, "sites.yaml": SITES, "iraq_places.csv": GAZETTEER,
        "calendar.yaml": CALENDAR, "taxonomy.yaml": "battles:\n  armed clash: {}\n",
        "weapons.yaml": "- {id: rocket, terms: [rocket, Katyusha]}\n",
        "estimative.yaml": "terms:\n  - {term: likely, low: 0.55, high: 0.80}\n",
    }  # fmt: skip
    for name, text in {**defaults, **{k.replace("_", "."): v for k, v in files.items()}}.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return write_data(folder)


def user_file(tmp_path: Path, text: str, name: str = "desk.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_actors_places_relations_and_calendar(data: Path) -> None:
    kb = load_knowledge(data_dir=data)
    assert isinstance(kb, KnowledgeBase)
    assert kb.actor("kataib-hezbollah").aliases == ["KH", "Kataib Hezbollah"]
    assert kb.actor("kataib-hezbollah").sources == "US Treasury 2009; CTC 2020"
    assert kb.actor("kataib-hezbollah").relations[0].since == "2007"
    assert kb.active["kataib-hezbollah"] == "2003"
    assert [(r.subject, r.relation, r.object, r.source) for r in kb.relations] == [
        ("kataib-hezbollah", "proxy_of", "iran", "knowledge"),
        ("abu-ali-al-askari", "spokesperson_of", "kataib-hezbollah", "knowledge"),
    ]
    assert {type(c) for c in kb.calendar} == {RecurringDate, Deadline}
    assert kb.taxonomy == {"battles": {"armed clash": {}}}
    assert kb.weapons == [{"id": "rocket", "terms": ["rocket", "Katyusha"]}]
    assert kb.estimative["terms"][0]["term"] == "likely"


def test_places_sites_first_then_towns_then_provinces(data: Path) -> None:
    kb = load_knowledge(data_dir=data)
    assert list(kb.places) == ["camp-taji", "baghdad", "hit", "anbar"]
    baghdad = kb.place("baghdad")
    assert baghdad.name == "Baghdad"  # the site's entry wins over the gazetteer's
    assert "Bagdad" in baghdad.aliases
    assert kb.place("camp-taji").geo_precision == 1
    assert kb.place("anbar").geo_precision == 3
    assert kb.near == {"camp-taji": ["baghdad"]}


def test_alias_shared_by_two_actors_is_recorded(data: Path) -> None:
    kb = load_knowledge(data_dir=data)
    assert kb.ambiguous_aliases == {"kataib hezbola": ["kataib-hezbollah", "hezbollah"]}


def test_unknown_id_error_suggests_close_ids(data: Path) -> None:
    kb = load_knowledge(data_dir=data)
    with pytest.raises(KnowledgeError, match=r"kataib-hezbolah.*did you mean kataib-hezbollah"):
        kb.actor("kataib-hezbolah")
    with pytest.raises(KnowledgeError, match="no place with id 'tajj'"):
        kb.place("tajj")


def test_key_dates_between_two_days(data: Path) -> None:
    kb = load_knowledge(data_dir=data)
    found = kb.key_dates(dt.date(2019, 12, 1), dt.date(2021, 1, 31))
    assert [(k.date, k.kind) for k in found] == [
        (dt.date(2020, 1, 3), "anniversary"),
        (dt.date(2020, 4, 16), "deadline"),
        (dt.date(2021, 1, 3), "anniversary"),
    ]
    assert found[0].actor_ids == ["iran"]


def test_leap_day_falls_on_28_february_in_other_years() -> None:
    day = RecurringDate(id="x", month=2, day=29, what="x")
    assert day.on(2021) == dt.date(2021, 2, 28)
    with pytest.raises(ValueError, match="no such day"):
        RecurringDate(id="y", month=4, day=31, what="y")


def test_the_default_call_is_cached(data: Path) -> None:
    assert load_knowledge(data_dir=data) is load_knowledge(data_dir=data)


def test_a_changed_user_file_is_read_again(data: Path, tmp_path: Path) -> None:
    path = user_file(tmp_path, "actors:\n  - {id: iran, aliases: [IRI]}\n")
    assert load_knowledge([path], data_dir=data).actor("iran").aliases == ["IRI"]
    path.write_text("actors:\n  - {id: iran, aliases: [IRI, Persia]}\n", encoding="utf-8")
    assert load_knowledge([path], data_dir=data).actor("iran").aliases == ["IRI", "Persia"]


# -- overlay ---------------------------------------------------------------------


def test_user_file_adds_an_actor_and_an_alias(data: Path, tmp_path: Path) -> None:
    path = user_file(
        tmp_path,
        """\
actors:
  - id: usbat-al-thairen
    name: Usbat al-Thairen
    kind: front_group
    aliases: [League of Revolutionaries]
    relations: [{relation: front_of, object: kataib-hezbollah}]
  - id: kataib-hezbollah
    aliases: [Hezbollah Brigades, KH]
places:
  - {id: besmaya, name: Besmaya, kind: base, lat: 33.19, lon: 44.64}
calendar:
  deadlines:
    - {id: waiver, date: 2020-04-26, what: sanctions waiver ends}
""",
    )
    kb = load_knowledge([path], data_dir=data)
    assert kb.actor("usbat-al-thairen").kind == "front_group"
    assert kb.actor("kataib-hezbollah").aliases == ["KH", "Kataib Hezbollah", "Hezbollah Brigades"]
    assert kb.actor("kataib-hezbollah").kind == "militia"  # fields not given are kept
    assert ("usbat-al-thairen", "front_of", "kataib-hezbollah") in {
        (r.subject, r.relation, r.object) for r in kb.relations
    }
    assert kb.place("besmaya").lat == 33.19
    assert "waiver" in {c.id for c in kb.calendar}
    assert kb.files == [str(path)]


def test_user_file_replaces_fields_it_gives(data: Path, tmp_path: Path) -> None:
    path = user_file(tmp_path, "actors:\n  - {id: hezbollah, name: Lebanese Hezbollah}\n")
    assert load_knowledge([path], data_dir=data).actor("hezbollah").name == "Lebanese Hezbollah"


def test_user_files_are_laid_in_order(data: Path, tmp_path: Path) -> None:
    first = user_file(tmp_path, "actors:\n  - {id: iran, notes: first}\n", "a.yaml")
    second = user_file(tmp_path, "actors:\n  - {id: iran, notes: second}\n", "b.yaml")
    assert load_knowledge([first, second], data_dir=data).actor("iran").notes == "second"
    assert load_knowledge([tmp_path], data_dir=data).actor("iran").notes == "second"


def test_the_shipped_data_is_not_changed_by_an_overlay(data: Path, tmp_path: Path) -> None:
    path = user_file(tmp_path, "actors:\n  - {id: iran, aliases: [IRI]}\n")
    load_knowledge([path], data_dir=data)
    assert load_knowledge(data_dir=data).actor("iran").aliases == []


# -- validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "actors:\n  - {id: x-front, name: X, relations: [{relation: fronts, object: iran}]}\n",
            r"desk\.yaml: actors\[0\] \(id 'x-front'\): field relations\.0\.relation",
        ),
        ("actors:\n  - {id: x, name: X, alias: [Y]}\n", r"actors\[0\] \(id 'x'\): field alias"),
        ("actors:\n  - {id: Bad Id, name: X}\n", r"field id: String should match pattern"),
        ("actors:\n  - {id: newcomer}\n", r"actor 'newcomer': field name: a new actor needs"),
        (
            "actors:\n  - {id: x, name: X, relations: [{relation: proxy_of, object: irann}]}\n",
            r"actor 'x': field relations: proxy_of 'irann' is not a known actor; did you mean iran",
        ),
        (
            "places:\n  - {id: p, name: P, lat: 133.2, lon: 44.0}\n",
            r"places\[0\] \(id 'p'\): field lat",
        ),
        ("places:\n  - {id: p, name: P, lat: 33.2}\n", r"give both lat and lon"),
        (
            "calendar:\n  recurring:\n    - {id: c, month: 13, day: 1, what: x}\n",
            r"field recurring\.0\.month",
        ),
        (
            "calendar:\n  recurring:\n    - {id: c, month: 1, day: 1, what: x, actors: [nobody]}\n",
            r"calendar 'c': field actors: 'nobody' is not a known actor",
        ),
        ("actors:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", r"actor a is defined twice"),
        ("events: []\n", r"unknown section\(s\) events"),
        ("actors: {id: a}\n", r"`actors` must be a list of entries"),
        ("- just a list\n", r"expected a mapping of sections"),
        ("actors: [unclosed\n", r"desk\.yaml: not valid YAML"),
    ],
)
def test_errors_name_the_file_the_entry_and_the_field(
    data: Path, tmp_path: Path, text: str, expected: str
) -> None:
    path = user_file(tmp_path, text)
    with pytest.raises(KnowledgeError, match=expected):
        load_knowledge([path], data_dir=data)


def test_a_missing_user_file_is_named(data: Path, tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match=r"not found: .*nowhere\.yaml.*setting `knowledge`"):
        load_knowledge([tmp_path / "nowhere.yaml"], data_dir=data)


def test_shipped_duplicates_and_bad_rows_are_errors(tmp_path: Path) -> None:
    twice = write_data(tmp_path, actors_yaml=ACTORS + "- {id: iran, name: Persia}\n")
    with pytest.raises(KnowledgeError, match=r"actors\.yaml: actor iran is defined twice"):
        load_knowledge(data_dir=twice)
    (tmp_path / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "iraq_places.csv").write_text(GAZETTEER + "far,Far,town,95,44,,Iraq,,1,x\n")
    with pytest.raises(
        KnowledgeError, match=r"iraq_places\.csv: rows\[3\] \(id 'far'\): field lat"
    ):
        load_knowledge(data_dir=tmp_path)


def test_only_actors_yaml_is_required(tmp_path: Path) -> None:
    (tmp_path / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    kb = load_knowledge(data_dir=tmp_path)
    assert kb.places == {} and kb.calendar == [] and kb.taxonomy == {}
    with pytest.raises(KnowledgeError, match=r"knowledge file not found: actors\.yaml"):
        load_knowledge(data_dir=tmp_path / "empty")
