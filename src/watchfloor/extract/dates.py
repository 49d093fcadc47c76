"""Dates in plain text, each a window with its span and the reason it was resolved so.

Regular expressions only (compiled once), so that a whole document costs milliseconds.
The choices, where reporting style leaves room for more than one:

- A day with no year takes the occurrence nearest the publication date in the preferred
  direction: `past` the latest on or before it, `future` the earliest on or after it,
  `nearest` the closer. A `year_hint` wins when it agrees with that direction. With no
  publication date the year comes from `year_hint`, else from the nearest explicit year
  in the text (the last one before, else the first after); with neither, no mention.
- `auto` reads the words: the tense cue nearest before the date in its clause, else the
  first after it ("will expire on" future, "said on" past); "the March 11 attack" is past
  and "the May 4 deadline" nearest. With no cue it is past, unless the coming occurrence
  is within 45 days and the past one over half a year back; a future cue likewise yields
  to a past day within 31 days ("announced plans to do so on March 10").
- "Friday, October 25": the year, near publication, in which that day is a Friday.
- A bare weekday ("on Tuesday", "Tuesday night", "late on Saturday") is the latest such
  day on or before publication (wire style: a piece published on a Tuesday that says "on
  Tuesday" means that day); with `future`, the first on or after; "last Tuesday" is
  strictly before and "next Tuesday" strictly after.
- Lists ("March 11, 14, and 16") give one mention per day, each spanning its own words.
  Ranges ("between March 11 and 16", "March 11-16", "from March 30 to April 2") give one
  mention with precision "day", from the first day to `date_end` at the last.
- Weeks run Monday to Sunday: "the week of March 30" is the week that holds March 30.
- Parts of a month (precision "week"): early 1-10, mid 11-20, late and "end of" 21-last.
  Parts of a year (precision "quarter"): early Jan-Apr, mid May-Aug, late Sep-Dec;
  "the end of 2021" is December (precision "month").
- "the same day", "that same week" take the window of the last date before them (reason
  "anaphoric: ..."); "three days later", "the next day" count from the last day named.
- Vague spans ("in recent weeks", "recently") and slashed digits (3/11/2020, ambiguous
  between US and European order) give nothing; impossible days (February 30) neither.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

Precision = Literal["day", "week", "month", "quarter", "year"]
Prefer = Literal["past", "future", "nearest", "auto"]
Direction = Literal["past", "future", "nearest", "before", "after"]
Window = tuple[dt.date, dt.date]
Resolved = tuple[Window, Precision, str]

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}
_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
                  "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
_WORDS = ("a one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty").split()  # fmt: skip
SMALL_NUMBERS = {word: max(i, 1) for i, word in enumerate(_WORDS)} | {"an": 1}
_PART_WORDS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid",
               "middle": "mid", "late": "late", "end": "end"}  # fmt: skip

_FULL = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = (
    rf"(?P<month>{_FULL}|{_FULL.upper()}|(?:Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.?)"
)
_MONTH_WORD = rf"(?P<month>{_FULL})"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?(?![\d:])"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|through|until|till)\s+|\s*[-–]\s*)"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d|,\d)"
_WEEKDAY = "|".join(WEEKDAYS)
_PART = (r"(?:(?P<part>(?i:early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of))"
         r"(?:\s*-\s*|\s+))")  # fmt: skip
_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(SMALL_NUMBERS) + ")"
_CUE = (r"(?P<cue>(?i:in|during|since|until|till|through|throughout|by|before|after|from|last"
        r"|this|next|of|and|or|to|between))\s+")  # fmt: skip

_MONTH_DAY = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?{_MONTH}\s+(?P<days>{_DAY}(?:{_SEP}{_DAY})*)"
    rf"(?:(?:,\s*|\s+){_YEAR})?"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w,.-])(?:the\s+)?(?P<days>{_DAY}(?:{_SEP}{_DAY})*)\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_WEEK_OF = re.compile(rf"\b(?:[Tt]he\s+)?week\s+of\s+{_MONTH}\s+(?P<day>{_DAY})(?:,?\s+{_YEAR})?")
_MONTH_YEAR = re.compile(rf"\b{_PART}?{_MONTH_WORD},?\s+(?:of\s+)?{_YEAR}")
_MONTH_ALONE = re.compile(
    rf"\b(?:{_CUE})?{_PART}?{_MONTH_WORD}\b(?!\.?\s*\d|,?\s+(?:of\s+)?(?:19|20)\d\d)"
)
_YEAR_ALONE = re.compile(
    r"\b(?:(?P<cue>(?i:in|during|since|until|till|through|throughout|by|before|after|from))\s+)?"
    rf"{_PART}?{_YEAR}(?![-–]\d|\s*(?:mm|km|%))"
)
_QUARTER = re.compile(
    r"\b(?:(?:the\s+)?(?P<q>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter\s+of\s+"
    rf"|Q(?P<qn>[1-4])\s+){_YEAR}",
    re.I,
)
_WEEKDAY_RE = re.compile(
    rf"\b(?:(?P<mod>(?i:last|next|this|coming|past))\s+)?(?P<weekday>{_WEEKDAY})\b(?!s\b)"
)
_TODAY = re.compile(
    r"\b(?:(?P<word>yesterday|today|tonight|tomorrow)|this\s+(?:morning|afternoon|evening)"
    r"|(?P<night>last\s+night|overnight(?=\s*[,.;]|\s+(?:on|in|at|near|and|as|when|after)\b)))\b",
    re.I,
)
_AGO = re.compile(
    rf"\b{_NUMBER}\s+(?P<unit>day|week|month|year)s?\s+"
    r"(?P<dir>ago|earlier|later|before(?=\s*[,.;:)])|after(?=\s*[,.;:)]))",
    re.I,
)
_NEXT_DAY = re.compile(
    r"\b(?:the|that)\s+(?P<which>next|following|previous|preceding)\s+"
    r"(?P<unit>day|morning|evening|night|week|month)\b|\bthe\s+day\s+(?P<which2>after|before)(?=\s*[,.;:)])",
    re.I,
)
_SAME = re.compile(
    r"\b(?:the\s+(?:very\s+)?same|that(?:\s+(?:very|same))?)\s+(?P<unit>day|week|month|year)\b(?!\s+of\b)",
    re.I,
)
_SPAN = re.compile(
    r"\b(?:(?P<part>earlier|later|early|late|mid)[\s-]+)?(?P<which>this|last|next|past)\s+"
    r"(?P<unit>week|weekend|month|year)\b",
    re.I,
)
_OFFSET = re.compile(
    rf",?\s*(?:[—–-]\s*)?(?:(?:just|only|exactly|some)\s+)?(?:{_NUMBER}\s+(?P<unit>day|week)s?|the\s+day)"
    r"\s+(?P<dir>after|before)\s+(?P<what>\S.*)",
    re.I,
)
_NOT_A_THING = re.compile(rf"(?:{_FULL}|\d|that\b|it\b|this\b|which\b)")
_FUTURE_CUES = re.compile(
    r"\b(?i:will|would|shall|must|won[’']t|(?:is|are)\s+(?:due|set|scheduled|expected|slated|poised|going|to)"
    r"|due\s+to|set\s+(?:to|for)|scheduled|slated|expected\s+to|expires|expiring|upcoming"
    r"|(?<![Tt]he\s)next|coming\s+(?:days|weeks|months|year)|plann?(?:ing|s)?\s+to|intends?\s+to"
    r"|needs?\s+to|ahead\s+of|tomorrow|later\s+this|looming|no\s+later\s+than)\b|['’]ll\b"
)
_PAST_CUES = re.compile(
    r"\b(?:(?i:said|says|told|was|were|had|did|ago|last|earlier|yesterday|previously|already"
    r"|(?:was|were|had\s+been)\s+(?:due|set|scheduled|expected|slated|planned)|began|came|went"
    r"|took|fell|struck|fought|shot|led|met|held|made|gave|saw|won|lost|fled|sent|brought|found"
    r"|stood|rose|ran|broke|became|drew|drove|flew|grew|knew|threw|wrote|chose|spoke|shook|sat)"
    r"|[a-z]{3,}ed)\b"
)
_CLAUSE_START = re.compile(
    r"[!?;:(\n—–]|(?<!\d),|,(?!\d)|(?<![A-Z])\.(?=\s+[A-Z“\"]|\s*$)"
    r"|\b(?:that|which|who|whom|and|but|while|whereas|because)\b"
)
_CLAUSE_END = re.compile(
    r"[,;:!?()\n—–]|(?<![A-Z])(?<!\bCol)(?<!\bMr)(?<!\bDr)(?<!\bGen)(?<!\bNo)(?<!\bSt)\.(?=\s+[A-Z“\"]|\s*$)"
)
_THE = re.compile(r"\b[Tt]he\s+$")
_ATTRIBUTE = re.compile(r"(?:\s+[a-z][a-z-]*){1,2}")
_FORWARD_NOUNS = frozenset(
    "deadline deadlines expiry vote votes election elections summit meeting talks ballot poll "
    "polls handover withdrawal visit rally protest protests demonstration demonstrations "
    "anniversary session hearing trial referendum ceasefire truce ultimatum launch opening".split()
)
_DAY_NUMBER = re.compile(r"(\d+)(?:st|nd|rd|th)?")
_LIST_STOP = re.compile(  # a count after a list of days: "on March 11, 30 rockets"
    r"\s+(?!(?:this|thus|towards|afterwards|perhaps|whereas|besides|was|has|is|its|as|his|us)\b)"
    r"(?:[a-z]+(?<!s)s|people|men|women|children|personnel|police|more|other|of)\b"
)
_RANGE_GAP = re.compile(r"\s*(?:[-–]|to|through|until|till)\s*")
_BETWEEN = re.compile(r"(?i:between)\s+$")


@dataclass(frozen=True)
class DateMention:
    """A date in the text: its span, its window, how precise, and how it was resolved."""

    start: int
    end: int
    text: str
    date: dt.date
    date_end: dt.date
    precision: Precision
    reason: str


@dataclass(frozen=True)
class OffsetMention:
    """Something the text dates by an offset from a date ("April 26, ten days after P")."""

    start: int
    end: int
    text: str
    date: dt.date
    days: int
    anchor: DateMention
    reason: str


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    kind: str
    month: int = 0
    day: int = 0
    year: int | None = None
    part: str = ""
    n: int = 0
    unit: str = ""
    last: _Atom | None = None


def find_dates(
    text: str,
    published: dt.date | None,
    *,
    prefer: Prefer = "past",
    offset: int = 0,
    year_hint: int | None = None,
) -> list[DateMention]:
    """Every date the text gives, as windows in text order (choices: module docstring).

    >>> [m.date.isoformat() for m in find_dates("On March 11 and 14.", dt.date(2020, 4, 2))]
    ['2020-03-11', '2020-03-14']
    """
    atoms = _merge_ranges(text, list(_atoms(text)))
    resolver = _Resolver(text, published, prefer, year_hint, _anchors(atoms))
    found = (resolver.resolve(atom) for atom in atoms)
    return [replace(m, start=m.start + offset, end=m.end + offset) for m in found if m]


def date_spans(text: str) -> list[tuple[int, int]]:
    """The spans of everything that reads as a date, resolvable or not.

    >>> date_spans("the attack on March 11 killed 3")
    [(14, 22)]
    """
    return [(a.start, a.end) for a in _atoms(text)]


def guess_prefer(sentence: str) -> Literal["past", "future"]:
    """Whether a sentence speaks of the future (will, is due to, expires, next, ...).

    >>> guess_prefer("The waiver will expire on April 26.")
    'future'
    """
    return "future" if _FUTURE_CUES.search(sentence) else "past"


def find_offsets(
    text: str, mentions: Sequence[DateMention], *, offset: int = 0
) -> list[OffsetMention]:
    """Things dated by an offset from a date in apposition: "D, N days after P" puts P at D - N.

    >>> text = "It expires on April 26, ten days after the deadline for a cabinet."
    >>> found = find_offsets(text, find_dates(text, dt.date(2020, 4, 2), prefer="future"))
    >>> (found[0].text, found[0].date.isoformat())
    ('the deadline for a cabinet', '2020-04-16')
    """
    found: list[OffsetMention] = []
    for mention in mentions:
        if mention.precision != "day" or mention.date != mention.date_end:
            continue
        match = _OFFSET.match(text, mention.end - offset)
        if match is not None and not _NOT_A_THING.match(match["what"]):
            found.append(_offset_mention(text, match, mention, offset))
    return found


def clause_end(text: str, start: int, *, limit: int = 240) -> int:
    """Where the clause that starts at `start` ends: punctuation, a sentence end, or `limit`.

    >>> clause_end("the deadline for the U.S. force, which expired.", 0)
    31
    """
    stop = min(len(text), start + limit)
    match = _CLAUSE_END.search(text, start, stop)
    end = match.start() if match is not None else stop
    return start + len(text[start:end].rstrip())


def prefer_at(text: str, start: int, end: int) -> Literal["past", "future"]:
    """The direction the words around text[start:end] suggest: the nearest tense cue wins.

    >>> prefer_at("Rockets hit on Tuesday; the deal will end on Tuesday.", 47, 54)
    'future'
    """
    if _attribute(text, start, end) == "past":
        return "past"
    return _tense_at(text, start, end) or "past"


def _tense_at(text: str, start: int, end: int) -> Literal["past", "future"] | None:
    """The tense cue nearest before the date in its clause, else the first after it."""
    left = text[max(0, start - 160) : start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(left)), default=0)
    cue = _nearest_cue(left[cut:], last=True)
    return cue or _nearest_cue(text[end : clause_end(text, end)], last=False)


def _attribute(text: str, start: int, end: int) -> Literal["past", "forward"] | None:
    """'the March 11 attack' names a known (past) event; 'the May 4 deadline' looks ahead."""
    if not _THE.search(text, max(0, start - 5), start):
        return None
    nouns = _ATTRIBUTE.match(text, end)
    if nouns is None:
        return None
    return "forward" if _FORWARD_NOUNS.intersection(nouns.group(0).split()) else "past"


def _nearest_cue(words: str, *, last: bool) -> Literal["past", "future"] | None:
    cues = [
        (m.end() if last else -m.start(), m.end() - m.start(), 1, m)
        for m in _FUTURE_CUES.finditer(words)
    ]
    cues += [
        (m.end() if last else -m.start(), m.end() - m.start(), 0, m)
        for m in _PAST_CUES.finditer(words)
    ]
    if not cues:
        return None
    return "future" if max(cues, key=lambda c: c[:3])[2] else "past"


def _offset_mention(
    text: str, match: re.Match[str], anchor: DateMention, offset: int
) -> OffsetMention:
    start = match.start("what")
    end = clause_end(text, start)
    days = _count(match["n"] or "1") * (7 if (match["unit"] or "day").lower() == "week" else 1)
    signed = -days if match["dir"].lower() == "after" else days
    said = text[match.start() : start].strip(" ,—–-")
    return OffsetMention(
        start=start + offset,
        end=end + offset,
        text=text[start:end],
        date=anchor.date + dt.timedelta(days=signed),
        days=signed,
        anchor=anchor,
        reason=f"'{anchor.text}' is {said} it",
    )


# Scanning: each pattern gives groups of atoms; of overlapping groups the longest is kept.


@functools.lru_cache(maxsize=8)
def _atoms(text: str) -> tuple[_Atom, ...]:
    """The scan of a text, kept for the next caller (dates, then counts, then key dates)."""
    return tuple(_choose(_scan(text)))


def _scan(text: str) -> Iterator[list[_Atom]]:
    for anchor, before, after, patterns in _GROUPS:
        for low, high in _windows(text, anchor, before, after):
            for pattern, parse in patterns:
                for match in pattern.finditer(text, low, high):
                    group = parse(match)
                    if group:
                        yield group


def _windows(text: str, anchor: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """Merged stretches of text around each hit of a cheap anchor pattern."""
    windows: list[tuple[int, int]] = []
    for hit in anchor.finditer(text):
        low, high = max(0, hit.start() - before), min(len(text), hit.end() + after)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows


def _choose(groups: Iterator[list[_Atom]]) -> list[_Atom]:
    ordered = sorted(groups, key=lambda g: (g[0].start, g[0].start - g[-1].end))
    chosen: list[_Atom] = []
    end = -1
    for group in ordered:
        if group[0].start >= end:
            chosen.extend(group)
            end = group[-1].end
    return chosen


def _merge_ranges(text: str, atoms: list[_Atom]) -> list[_Atom]:
    merged: list[_Atom] = []
    for atom in atoms:
        before = merged[-1] if merged else None
        if before is not None and _joins(text, before, atom):
            merged[-1] = replace(before, end=atom.end, kind="range", last=atom)
        else:
            merged.append(atom)
    return merged


def _joins(text: str, first: _Atom, second: _Atom) -> bool:
    if first.kind != "day" or second.kind != "day":
        return False
    gap = text[first.end : second.start]
    if _RANGE_GAP.fullmatch(gap):
        return True
    return gap.strip() == "and" and bool(
        _BETWEEN.search(text, max(0, first.start - 10), first.start)
    )


def _month_number(word: str) -> int:
    word = word.rstrip(".")
    return MONTHS.get(word.capitalize()) or _ABBREVIATIONS.get(word, 0)


def _year(match: re.Match[str]) -> int | None:
    return int(match["year"]) if match["year"] else None


def _count(word: str) -> int:
    return SMALL_NUMBERS.get(word.lower()) or int(word)


def _part(match: re.Match[str]) -> str:
    words = re.findall("[a-z]+", (match["part"] or "").lower())
    return next((_PART_WORDS[w] for w in words if w in _PART_WORDS), "")


def _days(match: re.Match[str], *, strict: bool) -> list[tuple[int, int, int]]:
    """The days of a list with their spans; the list stops where the days stop rising."""
    base, found, previous = match.start("days"), [], 0
    for number in _DAY_NUMBER.finditer(match["days"]):
        start, end, day = base + number.start(), base + number.end(), int(number[1])
        if day <= previous or (strict and previous and _LIST_STOP.match(match.string, end)):
            break
        found.append((start, end, day))
        previous = day
    return found


def _parse_month_day(match: re.Match[str]) -> list[_Atom]:
    days = _days(match, strict=True)
    if not days:
        return []
    whole = len(days) == len(_DAY_NUMBER.findall(match["days"]))
    month, year = _month_number(match["month"]), _year(match) if whole else None
    atoms = [_Atom(s, e, "day", month, day, year) for s, e, day in days]
    weekday = WEEKDAYS[match["weekday"]] + 1 if match["weekday"] and len(atoms) == 1 else 0
    atoms[0] = replace(atoms[0], start=match.start(), n=weekday)
    if year is not None:
        atoms[-1] = replace(atoms[-1], end=match.end())
    return atoms


def _parse_day_month(match: re.Match[str]) -> list[_Atom]:
    days = _days(match, strict=False)
    if len(days) != len(_DAY_NUMBER.findall(match["days"])):
        return []
    month, year = _month_number(match["month"]), _year(match)
    atoms = [_Atom(s, e, "day", month, day, year) for s, e, day in days]
    atoms[0] = replace(atoms[0], start=match.start())
    atoms[-1] = replace(atoms[-1], end=match.end())
    return atoms


def _parse_iso(match: re.Match[str]) -> list[_Atom]:
    month, day = int(match["month"]), int(match["day"])
    return [_Atom(match.start(), match.end(), "day", month, day, _year(match))]


def _parse_week_of(match: re.Match[str]) -> list[_Atom]:
    day = int(_DAY_NUMBER.match(match["day"])[1])  # type: ignore[index]
    month = _month_number(match["month"])
    return [_Atom(match.start(), match.end(), "week_of", month, day, _year(match))]


def _parse_month(match: re.Match[str]) -> list[_Atom]:
    start = match.start("part") if match["part"] else match.start("month")
    month = MONTHS[match["month"]]
    return [_Atom(start, match.end(), "month", month, 0, _year(match), _part(match))]


def _parse_month_alone(match: re.Match[str]) -> list[_Atom]:
    cue = (match["cue"] or "").lower()
    if not cue and not match["part"]:
        return []
    part = _part(match) or (cue if cue in ("last", "next", "this") else "")
    start = match.start("part") if match["part"] else match.start("month")
    if cue in ("last", "next", "this"):
        start = match.start("cue")
    return [_Atom(start, match.end(), "month", MONTHS[match["month"]], 0, None, part)]


def _parse_year(match: re.Match[str]) -> list[_Atom]:
    if not match["cue"] and not match["part"]:
        return []
    start = match.start("part") if match["part"] else match.start("year")
    return [_Atom(start, match.end(), "year", 0, 0, _year(match), _part(match))]


def _parse_quarter(match: re.Match[str]) -> list[_Atom]:
    word = (match["q"] or match["qn"]).lower()
    quarter = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}.get(word) or int(
        word[0]
    )
    return [_Atom(match.start(), match.end(), "quarter", 0, 0, _year(match), n=quarter)]


def _parse_weekday(match: re.Match[str]) -> list[_Atom]:
    mod = (match["mod"] or "").lower()
    start = match.start() if mod else match.start("weekday")
    return [_Atom(start, match.end(), "weekday", part=mod, n=WEEKDAYS[match["weekday"]])]


def _parse_today(match: re.Match[str]) -> list[_Atom]:
    word = (match["word"] or "").lower()
    shift = {"yesterday": -1, "tomorrow": 1}.get(word, -1 if match["night"] else 0)
    return [_Atom(match.start(), match.end(), "today", n=shift)]


def _parse_ago(match: re.Match[str]) -> list[_Atom]:
    direction = match["dir"].lower()
    sign = -1 if direction in ("ago", "earlier", "before") else 1
    kind = "ago" if direction == "ago" else "later"
    unit, n = match["unit"].lower(), sign * _count(match["n"])
    return [_Atom(match.start(), match.end(), kind, n=n, unit=unit)]


def _parse_next_day(match: re.Match[str]) -> list[_Atom]:
    which = (match["which"] or match["which2"]).lower()
    unit = (match["unit"] or "day").lower()
    sign = 1 if which in ("next", "following", "after") else -1
    unit = unit if unit in ("week", "month") else "day"
    return [_Atom(match.start(), match.end(), "later", n=sign, unit=unit)]


def _parse_same(match: re.Match[str]) -> list[_Atom]:
    return [_Atom(match.start(), match.end(), "same", unit=match["unit"].lower())]


def _parse_span(match: re.Match[str]) -> list[_Atom]:
    which = {"last": -1, "this": 0, "next": 1, "past": 9}[match["which"].lower()]
    part = (match["part"] or "").lower()
    return [
        _Atom(match.start(), match.end(), "span", part=part, n=which, unit=match["unit"].lower())
    ]


Parser = Callable[[re.Match[str]], list[_Atom]]
# Anchors are case-sensitive literals after \b: far faster to scan for than (?i:...).
_MONTH_ANCHOR = re.compile(
    rf"\b(?:{_FULL}|{_FULL.upper()}|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
)
_YEAR_ANCHOR = re.compile(r"\b(?:19|20)\d\d")
_WEEKDAY_ANCHOR = re.compile(rf"\b(?:{_WEEKDAY})")
_UNIT_WORDS = (
    "day week month year yesterday today tonight tomorrow morning afternoon evening night overnight"
)
_UNIT_ANCHOR = re.compile(
    r"\b(?:" + "|".join(w for word in _UNIT_WORDS.split() for w in (word, word.capitalize())) + ")"
)
# Each pattern runs only in windows around a cheap anchor: (anchor, chars before, after).
_GROUPS: list[tuple[re.Pattern[str], int, int, list[tuple[re.Pattern[str], Parser]]]] = [
    (
        _MONTH_ANCHOR,
        48,
        120,
        [
            (_MONTH_DAY, _parse_month_day),
            (_DAY_MONTH, _parse_day_month),
            (_WEEK_OF, _parse_week_of),
            (_MONTH_YEAR, _parse_month),
            (_MONTH_ALONE, _parse_month_alone),
        ],
    ),
    (
        _YEAR_ANCHOR,
        64,
        16,
        [(_ISO, _parse_iso), (_YEAR_ALONE, _parse_year), (_QUARTER, _parse_quarter)],
    ),
    (_WEEKDAY_ANCHOR, 16, 16, [(_WEEKDAY_RE, _parse_weekday)]),
    (
        _UNIT_ANCHOR,
        48,
        48,
        [
            (_TODAY, _parse_today),
            (_AGO, _parse_ago),
            (_NEXT_DAY, _parse_next_day),
            (_SAME, _parse_same),
            (_SPAN, _parse_span),
        ],
    ),
]


# Resolving: atoms in text order become windows; the last one is kept for anaphora.


@dataclass
class _Resolver:
    text: str
    published: dt.date | None
    prefer: Prefer
    year_hint: int | None
    anchors: list[tuple[int, dt.date, bool]]
    last: DateMention | None = None

    def resolve(self, atom: _Atom) -> DateMention | None:
        found = _HANDLERS[atom.kind](self, atom)
        if found is None:
            return None
        (start, end), precision, reason = found
        text = self.text[atom.start : atom.end]
        self.last = DateMention(atom.start, atom.end, text, start, end, precision, reason)
        return self.last

    def direction(self, atom: _Atom) -> Direction:
        return self.prefer if self.prefer != "auto" else self._auto(atom)[0]

    def _auto(self, atom: _Atom) -> tuple[Direction, int]:
        """The direction the words suggest, and within how many days the other side may win."""
        attribute = _attribute(self.text, atom.start, atom.end)
        if attribute is not None:
            return ("past" if attribute == "past" else "nearest"), 0
        tense = _tense_at(self.text, atom.start, atom.end)
        return tense or "past", {"future": 31, "past": 0}.get(tense or "", 45)

    def place(
        self,
        atom: _Atom,
        make: Callable[[int], Window | None],
        label: str,
        way: Direction | None = None,
    ) -> tuple[Window, str] | None:
        """The window in the atom's year, else in the year its context gives."""
        if atom.year is not None:
            window = make(atom.year)
            return (window, f"{label} with its year") if window else None
        if self.published is None:
            return self._place_by_text(atom, make, label)
        way = way or self.direction(atom)
        if self.year_hint is not None:
            hinted = make(self.year_hint)
            if hinted is not None and _pick([hinted], self.published, way):
                return hinted, f"{label}, year from year_hint"
        years = range(self.published.year - 1, self.published.year + 2)
        options = [w for y in years if (w := make(y))]
        chosen = _pick(options, self.published, way)
        if self.prefer == "auto" and way in ("past", "future"):
            chosen, way = _reconsider(options, self.published, chosen, way, self._auto(atom)[1])
        return (chosen, f"{label}, year from publication ({way})") if chosen else None

    def _place_by_text(
        self, atom: _Atom, make: Callable[[int], Window | None], label: str
    ) -> tuple[Window, str] | None:
        if self.year_hint is not None:
            window = make(self.year_hint)
            return (window, f"{label}, year from year_hint") if window else None
        if not self.anchors:
            return None
        i = bisect.bisect_left(self.anchors, atom.start, key=lambda a: a[0])
        _, near, year_only = self.anchors[max(i - 1, 0)]
        years = [near.year] if year_only else [near.year - 1, near.year, near.year + 1]
        chosen = _pick([w for y in years if (w := make(y))], near, "nearest")
        said = near.year if year_only else near.isoformat()
        return (chosen, f"{label}, year from {said} in the text") if chosen else None


def _anchors(atoms: list[_Atom]) -> list[tuple[int, dt.date, bool]]:
    found: list[tuple[int, dt.date, bool]] = []
    for atom in atoms:
        year = atom.year if atom.year is not None else atom.last.year if atom.last else None
        if year is None:
            continue
        if atom.kind in ("year", "quarter"):
            found.append((atom.start, dt.date(year, 7, 1), True))
        elif window := _day_window(year, atom.month, atom.day or 15):
            found.append((atom.start, window[0], False))
    return found


def _reconsider(
    options: list[Window], pivot: dt.date, chosen: Window | None, way: Direction, reach: int
) -> tuple[Window | None, Direction]:
    """Under `auto`, a weak guess loses to a date within `reach` days on the other side."""
    other_way: Direction = "future" if way == "past" else "past"
    other = _pick(options, pivot, other_way)
    far = chosen is None or _distance(chosen, pivot) > 183
    if other is not None and far and _distance(other, pivot) <= reach:
        return other, other_way
    return chosen, way


def _pick(options: list[Window], pivot: dt.date, way: Direction) -> Window | None:
    if way == "nearest":
        return min(options, key=lambda w: (_distance(w, pivot), w[0]), default=None)
    fits = [w for w in options if _FITS[way](w, pivot)]
    if not fits:
        return None
    return max(fits) if way in ("past", "before") else min(fits)


_FITS: dict[str, Callable[[Window, dt.date], bool]] = {
    "past": lambda w, p: w[0] <= p,
    "future": lambda w, p: w[1] >= p,
    "before": lambda w, p: w[1] < p,
    "after": lambda w, p: w[0] > p,
}


def _distance(window: Window, day: dt.date) -> int:
    return max((window[0] - day).days, (day - window[1]).days, 0)


def _day_window(year: int, month: int, day: int) -> Window | None:
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    return found, found


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_window(year: int, month: int, part: str) -> Window:
    last = _month_end(year, month).day
    low, high = {"early": (1, 10), "mid": (11, 20), "late": (21, last), "end": (21, last)}.get(
        part, (1, last)
    )
    return dt.date(year, month, low), dt.date(year, month, high)


def _year_window(year: int, part: str) -> Window:
    low, high = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (12, 12)}.get(
        part, (1, 12)
    )
    return dt.date(year, low, 1), _month_end(year, high)


def _week(day: dt.date) -> Window:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _on_day(r: _Resolver, atom: _Atom) -> Resolved | None:
    found = _on_weekday_day(r, atom) if atom.n and atom.year is None else None
    found = found or r.place(atom, lambda y: _day_window(y, atom.month, atom.day), "month-day")
    return (found[0], "day", found[1]) if found else None


def _on_weekday_day(r: _Resolver, atom: _Atom) -> tuple[Window, str] | None:
    """'Friday, October 25': the year, near publication, in which that day is a Friday."""
    if r.published is None:
        return None

    def make(year: int) -> Window | None:
        window = _day_window(year, atom.month, atom.day)
        return window if window and window[0].weekday() == atom.n - 1 else None

    return r.place(atom, make, "weekday and month-day", "nearest")


def _on_range(r: _Resolver, atom: _Atom) -> Resolved | None:
    last = atom.last
    if last is None:
        return None
    first = atom
    if atom.year is None and last.year is not None:
        first = replace(atom, year=last.year - ((atom.month, atom.day) > (last.month, last.day)))
    found = r.place(first, lambda y: _day_window(y, atom.month, atom.day), "range")
    if found is None:
        return None
    start = found[0][0]
    year = last.year or start.year + ((last.month, last.day) < (atom.month, atom.day))
    end = _day_window(year, last.month, last.day)
    if end is None or end[0] < start:
        return None
    return (start, end[0]), "day", found[1]


def _on_week_of(r: _Resolver, atom: _Atom) -> Resolved | None:
    found = r.place(atom, lambda y: _day_window(y, atom.month, atom.day), "week of a day")
    return (_week(found[0][0]), "week", f"{found[1]}; Monday to Sunday") if found else None


def _on_month(r: _Resolver, atom: _Atom) -> Resolved | None:
    ways: dict[str, Direction] = {"last": "before", "next": "after", "this": "nearest"}
    way = ways.get(atom.part)
    part = "" if way else atom.part
    label = f"{part} of a month" if part else "month"
    found = r.place(atom, lambda y: _month_window(y, atom.month, part), label, way)
    return (found[0], "week" if part else "month", found[1]) if found else None


def _on_year(r: _Resolver, atom: _Atom) -> Resolved | None:
    if atom.year is None:
        return None
    precision: Precision = "year" if not atom.part else "month" if atom.part == "end" else "quarter"
    return _year_window(atom.year, atom.part), precision, f"{atom.part or 'year'} as written"


def _on_quarter(r: _Resolver, atom: _Atom) -> Resolved | None:
    if atom.year is None:
        return None
    start = dt.date(atom.year, 3 * atom.n - 2, 1)
    return (start, _month_end(atom.year, 3 * atom.n)), "quarter", "quarter as written"


def _on_weekday(r: _Resolver, atom: _Atom) -> Resolved | None:
    if r.published is None:
        return None
    back = (r.published.weekday() - atom.n) % 7
    ahead = (atom.n - r.published.weekday()) % 7
    if atom.part in ("last", "past"):
        shift, how = -(back or 7), "the last such day before publication"
    elif atom.part in ("next", "coming"):
        shift, how = ahead or 7, "the next such day after publication"
    elif r.direction(atom) == "future" or (r.direction(atom) == "nearest" and ahead < back):
        shift, how = ahead, "the first such day on or after publication (future)"
    else:
        shift, how = -back, "the latest such day on or before publication (past)"
    day = r.published + dt.timedelta(days=shift)
    return (day, day), "day", f"weekday: {how}"


def _on_today(r: _Resolver, atom: _Atom) -> Resolved | None:
    if r.published is None:
        return None
    day = r.published + dt.timedelta(days=atom.n)
    return (day, day), "day", "relative to publication"


def _on_ago(r: _Resolver, atom: _Atom) -> Resolved | None:
    if r.published is None:
        return None
    return _shifted(r.published, atom, "publication")


def _on_later(r: _Resolver, atom: _Atom) -> Resolved | None:
    last = r.last
    if last is None or (atom.unit == "day" and last.precision != "day"):
        return None
    base = last.date_end if atom.n > 0 else last.date
    return _shifted(base, atom, f"'{last.text}'")


def _shifted(base: dt.date, atom: _Atom, what: str) -> Resolved | None:
    reason = f"{abs(atom.n)} {atom.unit}(s) {'after' if atom.n > 0 else 'before'} {what}"
    if atom.unit == "day":
        day = base + dt.timedelta(days=atom.n)
        return (day, day), "day", reason
    if atom.unit == "week":
        return _week(base + dt.timedelta(days=7 * atom.n)), "week", reason
    if atom.unit == "month":
        year, month = _add_months(base, atom.n)
        return _month_window(year, month, ""), "month", reason
    return _year_window(base.year + atom.n, ""), "year", reason


def _on_same(r: _Resolver, atom: _Atom) -> Resolved | None:
    last = r.last
    allowed = {"day": ("day",), "week": ("day", "week"), "month": ("day", "week", "month")}
    if last is None or last.precision not in allowed.get(
        atom.unit, ("day", "week", "month", "year")
    ):
        return None
    reason = f"anaphoric: the same {atom.unit} as '{last.text}'"
    if atom.unit == "day":
        return (last.date, last.date_end), "day", reason
    if atom.unit == "week":
        return _week(last.date), "week", reason
    if atom.unit == "month":
        return _month_window(last.date.year, last.date.month, ""), "month", reason
    return _year_window(last.date.year, ""), "year", reason


def _on_span(r: _Resolver, atom: _Atom) -> Resolved | None:
    p = r.published
    if p is None:
        return None
    if atom.n == 9:
        return _past_span(p, atom.unit)
    if atom.unit in ("week", "weekend"):
        return _week_span(p, atom)
    if atom.unit == "month":
        year, month = _add_months(p, atom.n)
        window = _relative_part(_month_window(year, month, ""), p, atom)
        return window, "week" if atom.part else "month", "month relative to publication"
    window = _relative_part(_year_window(p.year + atom.n, ""), p, atom)
    return window, "quarter" if atom.part else "year", "year relative to publication"


def _past_span(p: dt.date, unit: str) -> Resolved:
    days = {"week": 7, "weekend": 7, "month": 30, "year": 365}[unit]
    precision: Precision = "week" if unit == "weekend" else unit  # type: ignore[assignment]
    return (p - dt.timedelta(days=days), p), precision, f"the past {unit} before publication"


def _week_span(p: dt.date, atom: _Atom) -> Resolved:
    monday = _week(p)[0] + dt.timedelta(days=7 * atom.n)
    if atom.unit == "weekend":
        return (
            (monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)),
            "week",
            "weekend relative to publication",
        )
    window = _relative_part((monday, monday + dt.timedelta(days=6)), p, atom)
    return window, "week", "week relative to publication"


def _relative_part(window: Window, p: dt.date, atom: _Atom) -> Window:
    """Narrow a window to 'earlier this', 'later this', or its early, middle or late third."""
    start, end = window
    if atom.part == "earlier" and atom.n == 0:
        return start, p
    if atom.part == "later" and atom.n == 0:
        return p, end
    third = (end - start).days // 3
    index = {"earlier": 0, "early": 0, "mid": 1, "late": 2, "later": 2}.get(atom.part)
    if index is None:
        return window
    low = start + dt.timedelta(days=third * index)
    return low, end if index == 2 else low + dt.timedelta(days=third)


_HANDLERS: dict[str, Callable[[_Resolver, _Atom], Resolved | None]] = {
    "day": _on_day,
    "range": _on_range,
    "week_of": _on_week_of,
    "month": _on_month,
    "year": _on_year,
    "quarter": _on_quarter,
    "weekday": _on_weekday,
    "today": _on_today,
    "ago": _on_ago,
    "later": _on_later,
    "same": _on_same,
    "span": _on_span,
}
