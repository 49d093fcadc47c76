"""Dates to watch: deadlines, scheduled events and anniversaries, each with its sentence.

The choices:

- Sentences are the caller's (spaCy's) spans, else `split_sentences`: a newline always
  ends one; otherwise [.!?] (and any closing quote) followed by a space and a capital,
  digit or opening quote, except after a title (Col., Mr., Dr., Gen., No., ...), after a
  month abbreviation before a day (Jan. 12), or after U.S., U.N. and initials unless the
  next word opens sentences ("The", "It", "This", ...).
- Dates are resolved with prefer="auto": the tense words around each date decide.
- In a sentence, each day date takes the kind of the cue nearest to it: deadline
  (deadline, expire, expiry, ultimatum, no later than, set for, is due), scheduled
  (scheduled, slated, will hold, elections, vote on, expected to), anniversary (birthday,
  anniversary, commemorate, symbolic, marks the death). "by <date>" in a future clause is a
  deadline. Past deadlines and anniversaries count; a scheduled date must not be before
  publication (an election that took place is no longer a date to watch).
- "D, N days after P" (`dates.find_offsets`) dates P when P names a deadline, a schedule or
  an anniversary ("ten days after the constitutional deadline for a cabinet").
- A day whose month and day are in the calendar is that entry's anniversary (from `since`).
- Only day dates count, and month or year windows said as "the end of ...", which give
  their last day. One key date per date and kind: the first found.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from watchfloor.extract.dates import DateMention, OffsetMention, find_dates, find_offsets, prefer_at

KeyDateKind = Literal["anniversary", "deadline", "scheduled"]

_CUES: tuple[tuple[KeyDateKind, re.Pattern[str]], ...] = (
    ("deadline", re.compile(
        r"\b(?:deadlines?|expir(?:e|es|ed|ing|y|ation)|ultimatums?|no\s+later\s+than|set\s+for"
        r"|(?:is|are|was|were)\s+due)\b", re.I)),
    ("scheduled", re.compile(
        r"\b(?:scheduled|slated|will\s+hold|will\s+be\s+held|to\s+be\s+held|elections?|vote\s+on"
        r"|polls|planned\s+for|expected\s+to|is\s+to\s+(?:hold|meet|vote|visit)|summit)\b", re.I)),
    ("anniversary", re.compile(
        r"\b(?:birthday|anniversar(?:y|ies)|commemorat\w*|symbolic\w*|memorial"
        r"|marks?\s+the\s+(?:death|killing|day))\b", re.I)),
)  # fmt: skip
_ANNIVERSARY_OF = re.compile(r"anniversar", re.I)
_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+$",
    re.I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip
_BY = re.compile(r"\b(?:by|no\s+later\s+than)\s+(?:the\s+)?$", re.I)
_EXPIRE = re.compile(r"\bexpir", re.I)
_INSTRUMENT = re.compile(
    r"\b(?:the|this|that|its|their|a|an)\s+(?:(?!(?:the|this|that|for|of|to|in|on|and)\b)[\w’'-]+\s+){0,4}?"
    r"(?:waiver|agreement|deal|ceasefire"
    r"|truce|mandate|ultimatum|sanctions|exemption|licen[cs]e|term|authori[sz]ation|resolution"
    r"|contract|moratorium|extension|suspension|pause|window|grace\s+period)s?\b",
    re.I,
)
_SEGMENT = re.compile(r"(?<!\d),|,(?!\d)|[;:()]|\s[—–-]\s|[—–]")
_SUBORDINATE = re.compile(r"\b(?:that|which|after|when|because|while|whereas)\s+")
_FILLER = re.compile(
    r"^(?:and|but|or|which|who|that|was|is|were|are|will|be|a|an|the|now|also|on|marks?|marked)\s+",
    re.I,
)
_SPLIT = re.compile(r"(?<=[.!?])(?P<close>[”\"’)]*)\s+(?=[“\"‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?P<word>[A-Za-z](?:\.[A-Za-z])*|[A-Z][a-z]{1,4})\.$")
_TITLES = frozenset(
    "Col Mr Mrs Ms Dr Gen Lt Sgt Capt Maj Sen Rep Gov St No Jr Sr Prof Adm Brig".split()
)
_MONTH_ABBREVIATIONS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
_OPENERS = frozenset(
    "The This That These Those It Its They Their He She His Her We In On At As A An But However "
    "And Yet Meanwhile After Before When While Some Many Most".split()
)


@dataclass(frozen=True)
class RecurringDate:
    """A day that comes back every year: month, day, what it marks, since which year."""

    month: int
    day: int
    what: str
    since: int | None = None
    actor_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyDateMention:
    """A date to watch, with the sentence that gives it and how it was found."""

    start: int
    end: int
    text: str
    date: dt.date
    what: str
    kind: KeyDateKind
    reason: str


def find_key_dates(
    text: str,
    published: dt.date | None,
    *,
    sentences: list[tuple[int, int]] | None = None,
    calendar: Sequence[RecurringDate] = (),
) -> list[KeyDateMention]:
    """Deadlines, scheduled days and anniversaries in the text, in text order.

    >>> found = find_key_dates("The truce will expire on May 4.", dt.date(2020, 4, 2))
    >>> [(k.date.isoformat(), k.kind, k.what) for k in found]
    [('2020-05-04', 'deadline', 'expiry of the truce')]
    """
    mentions = [
        m for m in find_dates(text, published, prefer="auto") if "anaphoric" not in m.reason
    ]
    offsets = find_offsets(text, mentions)
    starts = [m.start for m in mentions]
    found: list[KeyDateMention] = []
    for start, end in sentences if sentences is not None else split_sentences(text):
        inside = mentions[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        if not inside:
            continue
        sentence = _Sentence(text, *_trimmed(text, start, end), published)
        found += sentence.offsets([o for o in offsets if start <= o.start < end])
        for mention in inside:
            found += sentence.key_dates(mention, calendar)
    return _first_of_each(found)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by the rule in the module docstring.

    >>> text = "Col. Myles spoke. The U.S. Embassy shut on Jan. 3. It reopened."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['Col. Myles spoke.', 'The U.S. Embassy shut on Jan. 3.', 'It reopened.']
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for match in _SPLIT.finditer(text, line.start(), line.end()):
            if _ends_sentence(text, match):
                spans.append((start, match.end("close")))
                start = match.end()
        spans.append((start, line.end()))
    return [_trimmed(text, s, e) for s, e in spans if text[s:e].strip()]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the white space at its ends."""
    stretch = text[start:end]
    return start + len(stretch) - len(stretch.lstrip()), start + len(stretch.rstrip())


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    abbreviation = _ABBREVIATION.search(text, max(0, match.start() - 12), match.start())
    if abbreviation is None:
        return True
    word = abbreviation["word"]
    following = re.match(r"[“\"‘(]?([\w’']+)", text[match.end() :])
    after = following[1] if following else ""
    if word in _TITLES or (word in _MONTH_ABBREVIATIONS and after[:1].isdigit()):
        return False
    if "." in word or len(word) == 1:
        return after in _OPENERS
    return True


@dataclass
class _Sentence:
    text: str
    start: int
    end: int
    published: dt.date | None

    def key_dates(
        self, mention: DateMention, calendar: Sequence[RecurringDate]
    ) -> list[KeyDateMention]:
        """The calendar's anniversaries on this day, then the kind its nearest cue gives."""
        day = _key_day(mention)
        if day is None:
            return []
        found = [
            self._make(day, r.what, "anniversary", f"calendar: {r.what}")
            for r in _recurring(day, calendar)
        ]
        cued = self._cued(mention, day)
        return found + ([cued] if cued else [])

    def offsets(self, offsets: list[OffsetMention]) -> list[KeyDateMention]:
        """Things dated by an offset ('ten days after the deadline for ...') that name a cue."""
        found: list[KeyDateMention] = []
        for offset in offsets:
            kind = next((k for k, cue in _CUES if cue.search(offset.text)), None)
            if kind is not None:
                found.append(self._make(offset.date, _plain(offset.text), kind, offset.reason))
        return found

    def _cued(self, mention: DateMention, day: dt.date) -> KeyDateMention | None:
        cue = self._nearest_cue(mention)
        by = _BY.search(self.text, max(0, mention.start - 20), mention.start)
        if by and prefer_at(self.text, mention.start, mention.end) == "future":
            what = self._what(mention.start, mention.end)
            return self._make(day, what, "deadline", f"'by {mention.text}' in a future clause")
        if cue is None:
            return None
        kind, match = cue
        if kind == "scheduled" and self.published is not None and day < self.published:
            return None
        if (
            kind == "anniversary"
            and _ANNIVERSARY_OF.match(match.group(0))
            and mention.start > match.end()
        ):
            day = _anniversary(
                day, self.published, self.text[max(0, match.start() - 20) : match.start()]
            )
        what = self._what(match.start(), match.end())
        return self._make(day, what, kind, f"'{match.group(0)}' near '{mention.text}'")

    def _nearest_cue(self, mention: DateMention) -> tuple[KeyDateKind, re.Match[str]] | None:
        cues = [(k, m) for k, cue in _CUES for m in cue.finditer(self.text, self.start, self.end)]
        if not cues:
            return None
        return min(
            cues, key=lambda c: max(c[1].start() - mention.end, mention.start - c[1].end(), 0)
        )

    def _what(self, start: int, end: int) -> str:
        """The clause around text[start:end], or 'expiry of X' for an expiring instrument."""
        if _EXPIRE.match(self.text, start):
            owner = list(_INSTRUMENT.finditer(self.text, self.start, start))
            if owner:
                words = owner[-1].group(0).split()
                return "expiry of " + " ".join([words[0].lower(), *words[1:]])
        bounds = [m.start() for m in _SEGMENT.finditer(self.text, self.start, self.end)]
        low = max((b for b in bounds if b < start), default=self.start)
        high = min((b for b in bounds if b >= end), default=self.end)
        joints = [m.end() for m in _SUBORDINATE.finditer(self.text, low, start)]
        return _plain(self.text[max(joints, default=low) : high])

    def _make(self, day: dt.date, what: str, kind: KeyDateKind, reason: str) -> KeyDateMention:
        sentence = self.text[self.start : self.end]
        return KeyDateMention(self.start, self.end, sentence, day, what, kind, reason)


def _anniversary(day: dt.date, published: dt.date | None, before: str) -> dt.date:
    """The day an 'Nth anniversary of the <day> event' falls on: N years on, else the next one."""
    ordinal = _ORDINAL.search(before)
    if ordinal is not None:
        word = ordinal[1].lower()
        years = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        return _in_year(day, day.year + years)
    if published is None:
        return _in_year(day, day.year + 1)
    upcoming = _in_year(day, published.year)
    return upcoming if upcoming >= published else _in_year(day, published.year + 1)


def _in_year(day: dt.date, year: int) -> dt.date:
    return (
        day.replace(year=year, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=year)
    )


def _key_day(mention: DateMention) -> dt.date | None:
    if mention.precision == "day" and mention.date == mention.date_end:
        return mention.date
    return mention.date_end if "end of" in mention.text.lower() else None


def _recurring(day: dt.date, calendar: Sequence[RecurringDate]) -> Iterator[RecurringDate]:
    for entry in calendar:
        if (entry.month, entry.day) == (day.month, day.day) and day.year >= (
            entry.since or day.year
        ):
            yield entry


def _plain(words: str, *, limit: int = 140) -> str:
    """Words as a short label: one line, no leading filler, at most `limit` characters."""
    plain = " ".join(words.split()).strip(" ,;:.–—-\"“”'’")
    while (shorter := _FILLER.sub("", plain)) != plain:
        plain = shorter
    if len(plain) > limit:
        plain = plain[:limit].rsplit(" ", 1)[0] + "…"
    return plain


def _first_of_each(found: list[KeyDateMention]) -> list[KeyDateMention]:
    seen: set[tuple[dt.date, str]] = set()
    kept: list[KeyDateMention] = []
    for key in sorted(found, key=lambda k: k.start):
        if (key.date, key.kind) not in seen:
            seen.add((key.date, key.kind))
            kept.append(key)
    return kept
