"""Dates to watch: deadlines, scheduled days, anniversaries, offsets, the calendar, sentences."""

from __future__ import annotations

import calendar as months
import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.conftest import shared_path
from watchfloor.extract.keydates import (
    KeyDateMention,
    RecurringDate,
    find_key_dates,
    split_sentences,
)

THU = dt.date(2020, 4, 2)
CALENDAR = (
    RecurringDate(1, 3, "anniversary of the airport strike", since=2020, actor_ids=("iran",)),
    RecurringDate(3, 11, "the general's birthday", since=2020),
    RecurringDate(12, 31, "anniversary of the embassy siege", since=2020),
)
CALENDAR_FILE = Path(__file__).resolve().parents[2] / "src/watchfloor/knowledge/data/calendar.yaml"


def dated(found: list[KeyDateMention]) -> list[tuple[str, str]]:
    return [(k.date.isoformat(), k.kind) for k in found]


KEY_DATES: list[tuple[str, dt.date, list[tuple[str, str]]]] = [
    (
        "The sanctions waiver will expire on May 4, officials said.",
        THU,
        [("2020-05-04", "deadline")],
    ),
    (
        "Militias had named March 15 as the deadline for foreign troops.",
        THU,
        [("2020-03-15", "deadline")],
    ),
    ("The group issued an ultimatum that runs out on April 20.", THU, [("2020-04-20", "deadline")]),
    ("Parliament must approve a cabinet by April 9.", THU, [("2020-04-09", "deadline")]),
    ("No group had claimed the attack by Friday.", THU, []),
    ("Elections are scheduled for June 6.", THU, [("2020-06-06", "scheduled")]),
    ("The council will hold a vote on May 12.", THU, [("2020-05-12", "scheduled")]),
    ("Parties that lost the October 10 elections cried foul.", dt.date(2021, 11, 7), []),
    (
        "The waiver runs out on April 26, ten days after the legal deadline for forming a cabinet.",
        THU,
        [("2020-04-16", "deadline"), ("2020-04-26", "deadline")],
    ),
    (
        "March 11 was the general's birthday, a date his men hold sacred.",
        THU,
        [("2020-03-11", "anniversary")],
    ),
    ("Crowds gathered to commemorate the dead on March 20.", THU, [("2020-03-20", "anniversary")]),
    (
        "Rallies marked the first anniversary of the January 3 strike.",
        dt.date(2020, 12, 21),
        [("2021-01-03", "anniversary")],
    ),
    ("The combat mission will end by the end of 2021.", THU, [("2021-12-31", "deadline")]),
    ("The talks were useful, he said on Tuesday.", THU, []),
    ("The deadline passed at some point in March.", THU, []),
    (
        "The truce expires on May 4. Militias vowed to respect the May 4 deadline.",
        THU,
        [("2020-05-04", "deadline")],
    ),
    (
        "The president is expected to name a new premier on Sunday.",
        dt.date(2019, 11, 30),
        [("2019-12-01", "scheduled")],
    ),
    ("A strike killed two guards on March 3.", THU, []),
]


@pytest.mark.parametrize(("text", "published", "expected"), KEY_DATES)
def test_key_dates(text: str, published: dt.date, expected: list[tuple[str, str]]) -> None:
    assert dated(find_key_dates(text, published)) == expected


CALENDAR_CASES: list[tuple[str, dt.date, list[tuple[str, str, str]]]] = [
    (
        "Rockets struck the base on January 3.",
        dt.date(2020, 1, 4),
        [("2020-01-03", "anniversary", "anniversary of the airport strike")],
    ),
    (
        "Crowds marched on March 11 and 14.",
        THU,
        [("2020-03-11", "anniversary", "the general's birthday")],
    ),
    ("The embassy was stormed on December 31, 2019.", THU, []),
    (
        "Crowds returned to the embassy on December 31, 2020.",
        dt.date(2021, 1, 2),
        [("2020-12-31", "anniversary", "anniversary of the embassy siege")],
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), CALENDAR_CASES)
def test_calendar_anniversaries(
    text: str, published: dt.date, expected: list[tuple[str, str, str]]
) -> None:
    found = find_key_dates(text, published, calendar=CALENDAR)
    assert [(k.date.isoformat(), k.kind, k.what) for k in found] == expected


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("This waiver will expire on April 26.", "expiry of this waiver"),
        (
            "The front group appeared on March 15, a deadline the militia had set for Iraqis "
            "to stop working with foreign forces.",
            "deadline the militia had set for Iraqis to stop working with foreign forces",
        ),
        (
            "It runs out on April 26, ten days after the legal deadline for forming a cabinet.",
            "legal deadline for forming a cabinet",
        ),
        (
            "Officials said the base would close by April 30.",
            "Officials said the base would close by April 30",
        ),
    ],
)
def test_what_is_a_short_clause(text: str, what: str) -> None:
    assert find_key_dates(text, THU)[0].what == what


def test_span_is_the_sentence_and_reason_says_why() -> None:
    text = "Rockets fell. The truce will expire on May 4. Calm followed."
    (key,) = find_key_dates(text, THU)
    assert (key.text, text[key.start : key.end]) == (
        "The truce will expire on May 4.",
        "The truce will expire on May 4.",
    )
    assert key.reason == "'expire' near 'May 4'"


def test_sentences_from_the_caller_are_used() -> None:
    text = "The deadline is firm. Troops leave on May 4."
    assert find_key_dates(text, THU) == []
    assert dated(find_key_dates(text, THU, sentences=[(0, len(text))])) == [
        ("2020-05-04", "deadline")
    ]


def test_caller_sentences_are_trimmed() -> None:
    text = "Calm.\n\n  The truce will expire on May 4.  \n"
    (key,) = find_key_dates(text, THU, sentences=[(0, 5), (5, len(text))])
    assert key.text == "The truce will expire on May 4."
    assert text[key.start : key.end] == key.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Col. Myles spoke. The U.S. Embassy shut on Jan. 3. It reopened.",
            ["Col. Myles spoke.", "The U.S. Embassy shut on Jan. 3.", "It reopened."],
        ),
        (
            "Iraqis resent the U.S. The proxies know it.",
            ["Iraqis resent the U.S.", "The proxies know it."],
        ),
        ("He met Mr. Hadi. Then he left!", ["He met Mr. Hadi.", "Then he left!"]),
        ('He said: "We stay." Troops stayed.', ['He said: "We stay."', "Troops stayed."]),
        (
            "Horizon\n\nTroops stay. No. 3 Brigade moved.",
            ["Horizon", "Troops stay.", "No. 3 Brigade moved."],
        ),
        ("Rockets hit.However, nobody died.", ["Rockets hit.However, nobody died."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_seed_report_key_dates() -> None:
    seed = shared_path("seed", "iraq-proxies-2020.txt").read_text(encoding="utf-8")
    calendar = [c for c in CALENDAR if c.month in (1, 3)]
    found = {(k.date.isoformat(), k.kind) for k in find_key_dates(seed, THU, calendar=calendar)}
    assert {
        ("2020-04-16", "deadline"),
        ("2020-04-26", "deadline"),
        ("2020-03-15", "deadline"),
        ("2020-03-11", "anniversary"),
        ("2020-01-03", "anniversary"),
    } <= found


def test_the_shipped_calendar_can_be_used() -> None:
    if not CALENDAR_FILE.is_file():
        pytest.skip("no calendar.yaml shipped yet")
    recurring = yaml.safe_load(CALENDAR_FILE.read_text(encoding="utf-8"))["recurring"]
    entries = [RecurringDate(e["month"], e["day"], e["what"], e.get("since")) for e in recurring]
    entry = entries[0]
    year = max(entry.since or 2020, 2020)
    text = f"Crowds gathered on {months.month_name[entry.month]} {entry.day}, {year}."
    found = find_key_dates(text, dt.date(year + 1, 1, 1), calendar=entries)
    assert (found[0].kind, found[0].what) == ("anniversary", entry.what)
