"""Dates in plain text: forms, lists, windows, weekdays, year inference, anaphora, offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from watchfloor.extract.dates import (
    DateMention,
    date_spans,
    find_dates,
    find_offsets,
    guess_prefer,
)

THU = dt.date(2020, 4, 2)  # a Thursday
Row = tuple[str, str, str, str]


def summary(mentions: list[DateMention]) -> list[Row]:
    """(span text, first day, last day, precision) of each mention."""
    return [(m.text, m.date.isoformat(), m.date_end.isoformat(), m.precision) for m in mentions]


def day(text: str, iso: str) -> Row:
    return (text, iso, iso, "day")


EXPLICIT = [
    ("Rockets landed on March 11.", THU, [day("March 11", "2020-03-11")]),
    ("Rockets landed on Mar. 11.", THU, [day("Mar. 11", "2020-03-11")]),
    ("Rockets landed on 11 March.", THU, [day("11 March", "2020-03-11")]),
    ("On March 11, 2020, rockets landed.", THU, [day("March 11, 2020", "2020-03-11")]),
    ("It happened on 11 March 2020 at dusk.", THU, [day("11 March 2020", "2020-03-11")]),
    ("The siege began on December 31, 2019.", THU, [day("December 31, 2019", "2019-12-31")]),
    ("Logged as 2020-03-11 in the register.", THU, [day("2020-03-11", "2020-03-11")]),
    ("The barrage of March 11th was the largest.", THU, [day("March 11th", "2020-03-11")]),
    ("By the 11th of March the base was quiet.", THU, [day("the 11th of March", "2020-03-11")]),
    ("MARCH 11 — A HEADLINE IN CAPITALS", THU, [day("MARCH 11", "2020-03-11")]),
    ("A convoy was hit on Sept. 3 near Basra.", THU, [day("Sept. 3", "2019-09-03")]),
    (
        "KIRKUK, Dec. 28 (Wire) — A base was hit.",
        dt.date(2019, 12, 28),
        [day("Dec. 28", "2019-12-28")],
    ),
    ("Protests resumed on Sunday, March 29.", THU, [day("Sunday, March 29", "2020-03-29")]),
]

LISTS_AND_RANGES = [
    (
        "Bases were shelled on March 9, 12, and 14.",
        THU,
        [day("March 9", "2020-03-09"), day("12", "2020-03-12"), day("14", "2020-03-14")],
    ),
    (
        "Statements came on March 15 and 17.",
        THU,
        [day("March 15", "2020-03-15"), day("17", "2020-03-17")],
    ),
    (
        "The raids fell on 4 and 7 March.",
        THU,
        [day("4", "2020-03-04"), day("7 March", "2020-03-07")],
    ),
    ("It ran between March 2 and 6.", THU, [("March 2 and 6", "2020-03-02", "2020-03-06", "day")]),
    (
        "Strikes ran March 2-6 along the border.",
        THU,
        [("March 2-6", "2020-03-02", "2020-03-06", "day")],
    ),
    (
        "Talks ran from March 30 to April 1.",
        THU,
        [("March 30 to April 1", "2020-03-30", "2020-04-01", "day")],
    ),
    (
        "Unrest ran between December 29 and January 3, 2020.",
        None,
        [("December 29 and January 3, 2020", "2019-12-29", "2020-01-03", "day")],
    ),
    ("On March 11, 30 rockets hit the base.", THU, [day("March 11", "2020-03-11")]),
    ("On March 26, 2,500 troops left.", THU, [day("March 26", "2020-03-26")]),
]

MONTHS_AND_YEARS = [
    ("Talks stalled in February.", THU, [("February", "2020-02-01", "2020-02-29", "month")]),
    (
        "A meeting in October 2019 set the plan.",
        THU,
        [("October 2019", "2019-10-01", "2019-10-31", "month")],
    ),
    ("Troops moved in early March.", THU, [("early March", "2020-03-01", "2020-03-10", "week")]),
    ("A new name appeared in mid-March.", THU, [("mid-March", "2020-03-11", "2020-03-20", "week")]),
    ("Clashes grew in late March.", THU, [("late March", "2020-03-21", "2020-03-31", "week")]),
    (
        "Bases close at the end of March.",
        THU,
        [("the end of March", "2020-03-21", "2020-03-31", "week")],
    ),
    (
        "Rallies filled streets in February and March.",
        THU,
        [
            ("February", "2020-02-01", "2020-02-29", "month"),
            ("March", "2020-03-01", "2020-03-31", "month"),
        ],
    ),
    (
        "Attacks rose since late October.",
        THU,
        [("late October", "2019-10-21", "2019-10-31", "week")],
    ),
    (
        "The vote of last January still stands.",
        dt.date(2021, 1, 8),
        [("last January", "2020-01-01", "2020-01-31", "month")],
    ),
    (
        "The mission ends by the end of 2021.",
        THU,
        [("the end of 2021", "2021-12-01", "2021-12-31", "month")],
    ),
    ("Protests spread in late 2019.", THU, [("late 2019", "2019-09-01", "2019-12-31", "quarter")]),
    (
        "Sales fell in the first quarter of 2020.",
        THU,
        [("the first quarter of 2020", "2020-01-01", "2020-03-31", "quarter")],
    ),
    ("The troops came back in 2014.", THU, [("2014", "2014-01-01", "2014-12-31", "year")]),
    ("A review is due by mid-2020.", THU, [("mid-2020", "2020-05-01", "2020-08-31", "quarter")]),
]

RELATIVE = [
    (
        "Batteries arrived the week of March 30.",
        THU,
        [("the week of March 30", "2020-03-30", "2020-04-05", "week")],
    ),
    (
        "Batteries arrived the week of March 25.",
        THU,
        [("the week of March 25", "2020-03-23", "2020-03-29", "week")],
    ),
    ("Two bases closed last week.", THU, [("last week", "2020-03-23", "2020-03-29", "week")]),
    ("Two bases closed this week.", THU, [("this week", "2020-03-30", "2020-04-05", "week")]),
    (
        "Calm held earlier this month.",
        THU,
        [("earlier this month", "2020-04-01", "2020-04-02", "week")],
    ),
    (
        "A truce was declared last month.",
        THU,
        [("last month", "2020-03-01", "2020-03-31", "month")],
    ),
    (
        "A truce was declared late last month.",
        THU,
        [("late last month", "2020-03-21", "2020-03-31", "week")],
    ),
    (
        "Tempo rose earlier this year.",
        THU,
        [("earlier this year", "2020-01-01", "2020-04-02", "quarter")],
    ),
    ("Tempo rose last year.", THU, [("last year", "2019-01-01", "2019-12-31", "year")]),
    ("Tempo rose in recent weeks.", THU, []),
    ("A drone fell yesterday.", THU, [day("yesterday", "2020-04-01")]),
    ("A drone fell today.", THU, [day("today", "2020-04-02")]),
    ("A drone fell this morning.", THU, [day("this morning", "2020-04-02")]),
    ("A drone fell last night.", THU, [day("last night", "2020-04-01")]),
    ("A drone fell two days ago.", THU, [day("two days ago", "2020-03-31")]),
]

WEEKDAYS = [
    ("Rockets struck on Tuesday.", THU, "past", [day("Tuesday", "2020-03-31")]),
    ("Rockets struck Tuesday night.", THU, "past", [day("Tuesday", "2020-03-31")]),
    ("Rockets struck late on Saturday.", THU, "past", [day("Saturday", "2020-03-28")]),
    ("Rockets struck on Thursday.", THU, "past", [day("Thursday", "2020-04-02")]),
    ("Envoys meet on Thursday.", THU, "future", [day("Thursday", "2020-04-02")]),
    ("Envoys meet on Friday.", THU, "future", [day("Friday", "2020-04-03")]),
    ("Rockets struck on Friday.", THU, "past", [day("Friday", "2020-03-27")]),
    ("Rockets struck last Thursday.", THU, "past", [day("last Thursday", "2020-03-26")]),
    ("Envoys meet next Thursday.", THU, "past", [day("next Thursday", "2020-04-09")]),
    ("Friday's blast shook the city.", THU, "past", [day("Friday", "2020-03-27")]),
    ("Markets close on Mondays.", THU, "past", []),
    (
        "Parliament is expected to vote on Sunday.",
        dt.date(2019, 11, 30),
        "auto",
        [day("Sunday", "2019-12-01")],
    ),
]

YEARS = [
    (
        "Bases were hit on December 29.",
        dt.date(2020, 1, 5),
        "past",
        None,
        [day("December 29", "2019-12-29")],
    ),
    (
        "Talks resume on January 3.",
        dt.date(2019, 12, 28),
        "future",
        None,
        [day("January 3", "2020-01-03")],
    ),
    (
        "Talks resume on January 3.",
        dt.date(2020, 1, 5),
        "future",
        None,
        [day("January 3", "2021-01-03")],
    ),
    ("The waiver lapses on April 26.", THU, "future", None, [day("April 26", "2020-04-26")]),
    ("The waiver lapsed on April 26.", THU, "past", None, [day("April 26", "2019-04-26")]),
    ("The waiver lapses on April 26.", THU, "nearest", None, [day("April 26", "2020-04-26")]),
    ("The waiver will expire on April 26.", THU, "auto", None, [day("April 26", "2020-04-26")]),
    (
        "Officials said on March 10 that it would come.",
        THU,
        "auto",
        None,
        [day("March 10", "2020-03-10")],
    ),
    (
        "After announcing plans to do so on March 10.",
        THU,
        "auto",
        None,
        [day("March 10", "2020-03-10")],
    ),
    ("The raid came on March 1.", THU, "past", 2019, [day("March 1", "2019-03-01")]),
    ("The raid came on May 1.", THU, "past", 2020, [day("May 1", "2019-05-01")]),
    (
        "A leap-day raid on February 29.",
        dt.date(2021, 3, 1),
        "past",
        None,
        [day("February 29", "2020-02-29")],
    ),
    (
        "The siege of December 31, 2019 led to the strike of January 3.",
        None,
        "past",
        None,
        [day("December 31, 2019", "2019-12-31"), day("January 3", "2020-01-03")],
    ),
    ("The strike of January 3 shook the region.", None, "past", None, []),
    (
        "The strike of January 3 shook the region.",
        None,
        "past",
        2021,
        [day("January 3", "2021-01-03")],
    ),
    (
        "Troops left in 2019; they came back on March 4.",
        None,
        "past",
        None,
        [("2019", "2019-01-01", "2019-12-31", "year"), day("March 4", "2019-03-04")],
    ),
]

AUTO = [
    (
        "Officials said the force would shrink to 2,500 by January 15.",
        dt.date(2020, 11, 18),
        "2021-01-15",
    ),
    ("Activists called for marches on Friday, October 25.", dt.date(2019, 10, 23), "2019-10-25"),
    ("Envoys met on Monday, February 15.", dt.date(2021, 2, 16), "2021-02-15"),
    ("Militias vowed to respect the May 4 deadline.", THU, "2020-05-04"),
    ("The next premier may revisit the January 5 resolution.", THU, "2020-01-05"),
    ("Troops leave on May 4.", THU, "2020-05-04"),
    ("The militia attacked on May 4.", THU, "2019-05-04"),
    ("The group issued an ultimatum that runs out on April 20.", THU, "2020-04-20"),
]

NOT_DATES = [
    "A raid was set for February 30.",
    "A raid was set for April 31.",
    "Three men of the 19th Iraqi Army Division died.",
    "Two men of the 3rd Babil Emergency Police Regiment died.",
    "The camp lies 60 km southwest of the capital.",
    "They organised a 250,000-person march.",
    "Clerics still cite the 2014 fatwa.",
    "Iran's proxies may adapt their targets.",
    "Such strikes may play into Tehran's hands.",
    "Crowds chose to march on the embassy.",
    "The strike hit the K-1 base and C-RAM sites.",
]

MAY = [
    ("Talks stalled in May.", [("May", "2019-05-01", "2019-05-31", "month")]),
    ("Talks stalled on May 5.", [day("May 5", "2019-05-05")]),
    ("Talks stalled in early May.", [("early May", "2019-05-01", "2019-05-10", "week")]),
]

M11 = day("March 11", "2020-03-11")
FEBRUARY = ("February", "2020-02-01", "2020-02-29", "month")
ANAPHORA = [
    (
        "Rockets fell on March 11. The same day, a drone crashed.",
        [M11, day("The same day", "2020-03-11")],
    ),
    (
        "Rockets fell on March 11. That same week, a drone crashed.",
        [M11, ("That same week", "2020-03-09", "2020-03-15", "week")],
    ),
    (
        "Rockets fell on March 11. Three days later, a drone crashed.",
        [M11, day("Three days later", "2020-03-14")],
    ),
    (
        "Rockets fell on March 11. The next day, a drone crashed.",
        [M11, day("The next day", "2020-03-12")],
    ),
    ("The raid of March 11 came five days earlier.", [M11, day("five days earlier", "2020-03-06")]),
    (
        "Rockets fell in February. That same month, a drone crashed.",
        [FEBRUARY, ("That same month", "2020-02-01", "2020-02-29", "month")],
    ),
    ("That same week, a drone crashed.", []),
    ("Rockets fell in February. The same day, a drone crashed.", [FEBRUARY]),
    ("Rockets fell in February. Two days later, a drone crashed.", [FEBRUARY]),
]


@pytest.mark.parametrize(("text", "published", "expected"), EXPLICIT)
def test_explicit_forms(text: str, published: dt.date, expected: list[Row]) -> None:
    assert summary(find_dates(text, published)) == expected


@pytest.mark.parametrize(("text", "published", "expected"), LISTS_AND_RANGES)
def test_lists_and_ranges(text: str, published: dt.date | None, expected: list[Row]) -> None:
    assert summary(find_dates(text, published)) == expected


@pytest.mark.parametrize(("text", "published", "expected"), MONTHS_AND_YEARS)
def test_months_parts_and_years(text: str, published: dt.date, expected: list[Row]) -> None:
    assert summary(find_dates(text, published)) == expected


@pytest.mark.parametrize(("text", "published", "expected"), RELATIVE)
def test_relative_to_publication(text: str, published: dt.date, expected: list[Row]) -> None:
    assert summary(find_dates(text, published)) == expected


@pytest.mark.parametrize(("text", "published", "prefer", "expected"), WEEKDAYS)
def test_weekdays(text: str, published: dt.date, prefer: str, expected: list[Row]) -> None:
    assert summary(find_dates(text, published, prefer=prefer)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "published", "prefer", "hint", "expected"), YEARS)
def test_year_inference(
    text: str, published: dt.date | None, prefer: str, hint: int | None, expected: list[Row]
) -> None:
    found = find_dates(text, published, prefer=prefer, year_hint=hint)  # type: ignore[arg-type]
    assert summary(found) == expected


@pytest.mark.parametrize(("text", "published", "iso"), AUTO)
def test_auto_reads_the_words_around_the_date(text: str, published: dt.date, iso: str) -> None:
    (mention,) = find_dates(text, published, prefer="auto")
    assert mention.date.isoformat() == iso


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert find_dates(text, THU) == []


@pytest.mark.parametrize(("text", "expected"), MAY)
def test_may_the_month(text: str, expected: list[Row]) -> None:
    assert summary(find_dates(text, THU)) == expected


@pytest.mark.parametrize(("text", "expected"), ANAPHORA)
def test_anaphora_and_relative_days(text: str, expected: list[Row]) -> None:
    assert summary(find_dates(text, THU)) == expected


def test_anaphora_is_marked_in_the_reason() -> None:
    found = find_dates("Rockets fell on March 11. That same week, more came.", THU)
    assert found[-1].reason.startswith("anaphoric")
    assert "anaphor" not in found[0].reason


def test_reason_says_how_the_year_was_chosen() -> None:
    (mention,) = find_dates("on March 11", THU)
    assert mention.reason == "month-day, year from publication (past)"


def test_offset_shifts_spans_for_one_sentence_at_a_time() -> None:
    text = "Rockets hit on March 11."
    (mention,) = find_dates(text, THU, offset=1000)
    assert (mention.start, mention.end) == (1015, 1023)
    assert mention.text == text[15:23]


def test_date_spans_include_unresolved_days() -> None:
    text = "the raid of January 3 and the 19th Division"
    assert date_spans(text) == [(12, 21)]
    assert find_dates(text, None) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The waiver will expire on April 26.", "future"),
        ("Elections are scheduled for June 6.", "future"),
        ("The ultimatum expires on Friday.", "future"),
        ("Talks open next week in Erbil.", "future"),
        ("Envoys are due to meet on Monday.", "future"),
        ("Rockets hit the base on Tuesday.", "past"),
        ("The group announced its name on March 15.", "past"),
        ("Officials said a convoy was struck.", "past"),
    ],
)
def test_guess_prefer(sentence: str, expected: str) -> None:
    assert guess_prefer(sentence) == expected


@pytest.mark.parametrize(
    ("text", "phrase", "iso", "days"),
    [
        (
            "It will lapse on April 26, ten days after the legal deadline for a new cabinet.",
            "the legal deadline for a new cabinet",
            "2020-04-16",
            -10,
        ),
        (
            "Voting opens on May 10, two weeks before the end of the holy month.",
            "the end of the holy month",
            "2020-05-24",
            14,
        ),
        (
            "The talks start on April 20, the day after the ceasefire lapses.",
            "the ceasefire lapses",
            "2020-04-19",
            -1,
        ),
    ],
)
def test_offsets_date_the_thing_named(text: str, phrase: str, iso: str, days: int) -> None:
    mentions = find_dates(text, THU, prefer="future")
    (offset,) = find_offsets(text, mentions)
    assert (offset.text, offset.date.isoformat(), offset.days) == (phrase, iso, days)
    assert text[offset.start : offset.end] == phrase
    assert offset.anchor == mentions[0]


@pytest.mark.parametrize(
    "text",
    [
        "The waiver will lapse on April 26, ten days after March 1.",
        "The waiver will lapse on April 26, a week after it was signed.",
        "Ten days after the deadline, the waiver lapsed.",
    ],
)
def test_offsets_need_a_date_and_a_named_thing(text: str) -> None:
    assert find_offsets(text, find_dates(text, THU, prefer="future")) == []


def test_offsets_with_shifted_mentions() -> None:
    text = "It lapses on April 26, ten days after the vote."
    mentions = find_dates(text, THU, prefer="future", offset=50)
    (offset,) = find_offsets(text, mentions, offset=50)
    assert (offset.start, offset.text) == (text.index("the vote") + 50, "the vote")
