"""Counts with qualifiers and counted nouns, elided nouns, and casualty figures."""

from __future__ import annotations

import pytest

from watchfloor.extract.numbers import (
    CasualtyFigure,
    Quantity,
    find_casualties,
    find_quantities,
    lemma_of,
    resolve_elided,
)

Counted = tuple[str, int, str, str | None]


def counted(quantities: list[Quantity]) -> list[Counted]:
    """(span text, count, qualifier, lemma) of each quantity."""
    return [(q.text, q.count, q.qualifier, q.lemma) for q in quantities]


QUANTITIES: list[tuple[str, list[Counted]]] = [
    # number words and digits
    ("Militias fired two rockets.", [("two rockets", 2, "exactly", "rocket")]),
    ("Militias fired twenty-five rockets.", [("twenty-five rockets", 25, "exactly", "rocket")]),
    ("Militias fired 17 rockets.", [("17 rockets", 17, "exactly", "rocket")]),
    ("Some 1,000 troops stayed.", [("Some 1,000 troops", 1000, "about", "troop")]),
    (
        "A 250,000-person rally filled the square.",
        [("250,000-person", 250000, "exactly", "person")],
    ),
    (
        "Two hundred and fifty militiamen paraded.",
        [("Two hundred and fifty militiamen", 250, "exactly", "militiaman")],
    ),
    ("Aid reached 1.5 million people.", [("1.5 million people", 1500000, "exactly", "person")]),
    ("A dozen rockets fell.", [("A dozen rockets", 12, "about", "rocket")]),
    ("About a dozen guards were hurt.", [("About a dozen guards", 12, "about", "guard")]),
    ("Two dozen drones flew south.", [("Two dozen drones", 24, "about", "drone")]),
    ("Dozens of rockets hit the base.", [("Dozens of rockets", 24, "at_least", "rocket")]),
    ("Hundreds of protesters marched.", [("Hundreds of protesters", 200, "at_least", "protester")]),
    ("Thousands of pilgrims walked.", [("Thousands of pilgrims", 2000, "at_least", "pilgrim")]),
    ("A pair of drones circled.", [("A pair of drones", 2, "exactly", "drone")]),
    ("A couple of mortars landed.", [("A couple of mortars", 2, "about", "mortar")]),
    # qualifiers
    ("They launched over 30 rockets.", [("over 30 rockets", 30, "more_than", "rocket")]),
    ("They launched more than 30 rockets.", [("more than 30 rockets", 30, "more_than", "rocket")]),
    (
        "They launched upwards of 40 rockets.",
        [("upwards of 40 rockets", 40, "more_than", "rocket")],
    ),
    ("They launched at least 15 missiles.", [("at least 15 missiles", 15, "at_least", "missile")]),
    (
        "They launched no fewer than seven drones.",
        [("no fewer than seven drones", 7, "at_least", "drone")],
    ),
    ("They launched about 12 shells.", [("about 12 shells", 12, "about", "shell")]),
    ("They launched around 18 rockets.", [("around 18 rockets", 18, "about", "rocket")]),
    ("They launched roughly 20 rockets.", [("roughly 20 rockets", 20, "about", "rocket")]),
    ("They launched nearly 40 rockets.", [("nearly 40 rockets", 40, "about", "rocket")]),
    ("They launched up to 12 missiles.", [("up to 12 missiles", 12, "about", "missile")]),
    (
        "They launched fewer than five rockets.",
        [("fewer than five rockets", 5, "fewer_than", "rocket")],
    ),
    (
        "They launched less than ten rockets.",
        [("less than ten rockets", 10, "fewer_than", "rocket")],
    ),
    (
        "They launched no more than six rockets.",
        [("no more than six rockets", 6, "fewer_than", "rocket")],
    ),
    ("They launched just three drones.", [("just three drones", 3, "exactly", "drone")]),
    ("They launched only two rockets.", [("only two rockets", 2, "exactly", "rocket")]),
    ("They launched exactly nine rockets.", [("exactly nine rockets", 9, "exactly", "rocket")]),
    # the head noun of the phrase
    (
        "Analysts count 15 rocket and mortar attacks.",
        [("15 rocket and mortar attacks", 15, "exactly", "attack")],
    ),
    ("It took 18 107mm rockets to do it.", [("18 107mm rockets", 18, "exactly", "rocket")]),
    ("They fired seven Katyusha rockets.", [("seven Katyusha rockets", 7, "exactly", "rocket")]),
    ("Two of the rockets failed.", [("Two of the rockets", 2, "exactly", "rocket")]),
    ("The U.S. sanctioned 20 people and entities.", [("20 people", 20, "exactly", "person")]),
    ("It held only two U.S. positions.", [("only two U.S. positions", 2, "exactly", "position")]),
    ("They fired three mortar rounds.", [("three mortar rounds", 3, "exactly", "round")]),
    ("Four police officers stood guard.", [("Four police officers", 4, "exactly", "officer")]),
    # one of a munition
    ("A rocket hit the runway.", [("A rocket", 1, "exactly", "rocket")]),
    (
        "An explosive-laden drone hit a hangar.",
        [("An explosive-laden drone", 1, "exactly", "drone")],
    ),
    ("A single mortar round fell short.", [("A single mortar round", 1, "exactly", "round")]),
    ("One rocket hit the runway.", [("One rocket", 1, "exactly", "rocket")]),
    ("A rocket attack hit the runway.", []),
    ("A barrage of rockets hit the runway.", []),
    ("Envoys held a round of talks.", []),
    # durations are counts of days; the caller filters by noun
    ("The U.S. issued a 30-day waiver.", [("30-day", 30, "exactly", "day")]),
    ("It expires ten days after the vote.", [("ten days", 10, "exactly", "day")]),
    ("The siege lasted two-day.", [("two-day", 2, "exactly", "day")]),
    # not counts
    ("Crews fired 122 mm shells.", []),
    ("The camp lies 60 km from the city.", []),
    ("The 19th Division and the 3rd Regiment moved.", []),
    ("A third attack followed.", []),
    ("Troops returned in 2014.", []),
    ("Clerics cite the 2014 fatwa.", []),
    ("It began at 0720 local time.", []),
    ("The deal cost $10 million.", []),
    ("Turnout was 40 percent.", []),
    ("Rockets hit on March 11, 14, and 16.", []),
    ("COVID-19 reached the K-1 base.", []),
    ("A five-year-old boy was hurt.", []),
    ("No one was hurt.", []),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES)
def test_quantities(text: str, expected: list[Counted]) -> None:
    assert counted(find_quantities(text)) == expected


def test_each_is_kept_and_spanned() -> None:
    (quantity,) = find_quantities("Two strikes used over 30 rockets each.")[1:]
    assert (quantity.text, quantity.count, quantity.qualifier, quantity.each) == (
        "over 30 rockets each",
        30,
        "more_than",
        True,
    )
    assert (quantity.noun, quantity.lemma) == ("rockets", "rocket")


def test_elided_noun_is_none_then_resolved() -> None:
    text = (
        "Two raids on the airbase used over 30 rockets each, though most raids use fewer "
        "than five rockets. Another raid in the same week used just two."
    )
    found = find_quantities(text)
    assert (found[-1].text, found[-1].count, found[-1].qualifier, found[-1].noun) == (
        "just two",
        2,
        "exactly",
        None,
    )
    resolved = resolve_elided(found, text)
    assert (resolved[-1].noun, resolved[-1].lemma) == ("rockets", "rocket")
    assert resolved[0].lemma == "raid"


@pytest.mark.parametrize(
    "text",
    [
        "Five rockets were fired. Of the suspects, two escaped.",
        "Militias fired a rocket. " + "Nothing else happened that night. " * 15 + "It used two.",
    ],
)
def test_elided_noun_needs_a_near_munition_and_a_verb(text: str) -> None:
    assert resolve_elided(find_quantities(text), text)[-1].lemma is None


def test_elided_count_before_a_landing_verb() -> None:
    text = "Six rockets were launched; three landed inside the wire."
    assert [q.lemma for q in resolve_elided(find_quantities(text), text)] == ["rocket", "rocket"]


def test_offset_shifts_spans() -> None:
    (quantity,) = find_quantities("They fired two rockets.", offset=100)
    assert (quantity.start, quantity.end) == (111, 122)


@pytest.mark.parametrize(
    ("noun", "lemma"),
    [
        ("rockets", "rocket"),
        ("Missiles", "missile"),
        ("casualties", "casualty"),
        ("people", "person"),
        ("militiamen", "militiaman"),
        ("IEDs", "ied"),
        ("personnel", "personnel"),
        ("drone", "drone"),
    ],
)
def test_lemma_of(noun: str, lemma: str) -> None:
    assert lemma_of(noun) == lemma


Figure = tuple[str, str, int, str, str | None]


def figures(found: list[CasualtyFigure]) -> list[Figure]:
    return [(f.text, f.kind, f.count, f.qualifier, f.who) for f in found]


CASUALTIES: list[tuple[str, list[Figure]]] = [
    ("The blast killed three soldiers.", [("three soldiers", "killed", 3, "exactly", "soldiers")]),
    (
        "Rockets hit the camp, killing two Americans and a Briton.",
        [
            ("two Americans", "killed", 2, "exactly", "Americans"),
            ("a Briton", "killed", 1, "exactly", "Briton"),
        ],
    ),
    (
        "Two US service members were killed in the raid.",
        [("Two US service members", "killed", 2, "exactly", "US service members")],
    ),
    ("The bombing left 14 wounded.", [("14", "wounded", 14, "exactly", None)]),
    ("The bombing left five dead.", [("five", "killed", 5, "exactly", None)]),
    (
        "There were no casualties.",
        [
            ("no casualties", "killed", 0, "exactly", None),
            ("no casualties", "wounded", 0, "exactly", None),
        ],
    ),
    ("The drone caused no injuries.", [("no injuries", "wounded", 0, "exactly", None)]),
    ("No one was killed.", [("No one was killed", "killed", 0, "exactly", None)]),
    ("A contractor died in the blast.", [("A contractor", "killed", 1, "exactly", "contractor")]),
    (
        "A U.S. civilian contractor was killed and several troops were wounded.",
        [("A U.S. civilian contractor", "killed", 1, "exactly", "U.S. civilian contractor")],
    ),
    (
        "Four American troops and two members of the Iraqi security forces were hurt.",
        [
            ("Four American troops", "wounded", 4, "exactly", "American troops"),
            (
                "two members of the Iraqi security forces",
                "wounded",
                2,
                "exactly",
                "members of the Iraqi security forces",
            ),
        ],
    ),
    (
        "The reprisal killed both militants and, beyond them, regular troops: three soldiers "
        "of the 19th Division and two soldiers of the 3rd Police Regiment.",
        [
            ("three soldiers", "killed", 3, "exactly", "soldiers"),
            ("two soldiers", "killed", 2, "exactly", "soldiers"),
        ],
    ),
    (
        "Gunmen killed three police officers and wounded two others.",
        [
            ("three police officers", "killed", 3, "exactly", "police officers"),
            ("two others", "wounded", 2, "exactly", "others"),
        ],
    ),
    (
        "At least 24 people were killed.",
        [("At least 24 people", "killed", 24, "at_least", "people")],
    ),
    (
        "The attack killed 12 people, including three soldiers.",
        [("12 people", "killed", 12, "exactly", "people")],
    ),
    (
        "The shelling killed a child and wounded five other civilians.",
        [
            ("a child", "killed", 1, "exactly", "child"),
            ("five other civilians", "wounded", 5, "exactly", "other civilians"),
        ],
    ),
    (
        "14 wounded, 3 killed.",
        [("14", "wounded", 14, "exactly", None), ("3", "killed", 3, "exactly", None)],
    ),
    (
        "The gunmen fled after killing two and wounding five.",
        [("two", "killed", 2, "exactly", None), ("five", "wounded", 5, "exactly", None)],
    ),
    (
        "Two gunmen killed three guards.",
        [("three guards", "killed", 3, "exactly", "guards")],
    ),
    (
        "The raid killed a contractor and prompted 5,000 troops to deploy.",
        [("a contractor", "killed", 1, "exactly", "contractor")],
    ),
    ("The strike that killed the general was meant to deter.", []),
    ("Thirty rockets were fired at the base.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASUALTIES)
def test_casualties(text: str, expected: list[Figure]) -> None:
    assert figures(find_casualties(text)) == expected


def test_casualty_offset() -> None:
    (figure,) = find_casualties("It killed three soldiers.", offset=40)
    assert (figure.start, figure.end) == (50, 64)
