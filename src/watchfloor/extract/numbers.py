"""Counts in plain text (how many of what, how sure) and casualty figures.

Regular expressions and small word lists only. The choices:

- "a dozen" is about 12 ("two dozen" about 24); "dozens of" at least 24, "scores of" at
  least 40, "hundreds of" at least 200, "thousands of" at least 2,000. "a pair of" is
  exactly 2, "a couple of" about 2. "a", "an" and "a single" count 1 only before a
  munition noun ("a rocket hit" is 1, "a rocket attack" is no count of rockets).
- Qualifiers: over / more than / upwards of → more_than; at least / no fewer than →
  at_least; about / around / roughly / some / nearly / almost / up to / as many as →
  about; fewer than / less than / under, and the upper bounds no more than / at most →
  fewer_than; just / only / exactly / a total of → exactly; none → exactly.
- Not counts: ordinals (19th, third), calibers (107mm, 122 mm), distances, weights,
  percentages, money, clock times, years, digits in names (K-1, COVID-19, Brigade 47)
  and in dates. "30-day" is a count of 30 with noun "day": the caller filters by noun.
- The counted noun is the head of the phrase after the number: "15 rocket and mortar
  attacks" counts attacks, "18 107mm rockets" counts rockets. With no noun ("used just
  two.") the noun is None; `resolve_elided` fills it from a munition named just before.
- Casualties: each counted group of people is its own figure ("killing two Americans and
  a Briton" gives 2 and 1; the caller adds them up); "no casualties" gives a killed and a
  wounded figure of 0; people counted after "including" are not counted again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from watchfloor.extract.dates import date_spans

Qualifier = Literal["exactly", "about", "at_least", "more_than", "fewer_than"]
CasualtyKind = Literal["killed", "wounded"]

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000}

MUNITIONS = frozenset(
    "rocket missile mortar drone shell round grenade bomb ied device projectile katyusha "
    "explosive uav rpg munition".split()
)
PERSONS = frozenset(
    "person people soldier troop civilian member serviceman servicemember contractor american "
    "briton iraqi iranian kurd syrian militant fighter officer policeman police guard protester "
    "protestor demonstrator child woman man staff personnel employee worker marine sailor airman "
    "other recruit pilgrim journalist commander leader official resident bystander citizen "
    "national gunman attacker insurgent boy girl passenger driver student trooper commando "
    "militiaman paramilitary volunteer mourner worshipper pilot diplomat activist lawmaker".split()
)
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child",
              "policemen": "policeman", "servicemen": "serviceman", "gunmen": "gunman",
              "airmen": "airman", "personnel": "personnel", "police": "police", "staff": "staff",
              "others": "other", "series": "series"}  # fmt: skip
_COMPOUND_HEADS = frozenset(
    "attack attacks strike strikes launcher launchers barrage barrages fire salvo salvos system "
    "systems team teams cell cells unit units program programme factory factories site sites "
    "battery batteries defense defence defenses production campaign campaigns threat threats "
    "maker makers operator operators".split()
)
_NOT_COUNTED = frozenset(
    "mm km kg m cm kilometer kilometers kilometre kilometres mile miles meter meters metre "
    "metres percent per % ton tons tonne tonnes pound pounds am pm a.m. p.m. gmt degrees "
    "dollars dollar euros".split()
)
_STOP = frozenset(
    "the a an of in on at to from by with for into onto against near over under after before "
    "during since than as that which who whom whose were was is are be been being had have has "
    "did do does would will could should may might must can and or but each per it its their his "
    "her they them he she we our not also more killed wounded injured dead died hurt slain "
    "including among this these those there here when while where if so then said says".split()
)

_DIGITS = r"\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+(?:\.\d+)?"
_FIRST = "|".join(NUMBER_WORDS)
_WORD = "|".join([*NUMBER_WORDS, *_SCALES, "dozen"])
_COUNT = re.compile(
    rf"(?<![\w$€£.,/-])(?P<num>(?:{_DIGITS})(?:\s+(?i:hundred|thousand|million|billion)\b)?"
    rf"|(?i:a(?=\s+(?:hundred|thousand|million|dozen)\b)|{_FIRST})"
    rf"(?:(?:\s+|-)(?i:{_WORD})|(?:(?<=hundred)|(?<=thousand))\s+and\s+(?i:{_WORD}))*)"
    r"(?![\w%])(?:-(?P<unit>[A-Za-z]+)(?P<old>-old)?)?"
    r"|(?P<vague>(?i:tens\s+of\s+thousands|dozens|scores|hundreds|thousands|millions))\s+of\b"
    r"|(?P<pair>(?i:a\s+(?:pair|couple)))\s+of\b",
)
_ANCHOR_WORDS = [*NUMBER_WORDS, *"dozen hundred thousand million pair couple score".split()]
_NUMBER_ANCHOR = re.compile(  # case-sensitive literals after \b: far faster than (?i:...)
    r"\b(?:\d|" + "|".join(sorted({*_ANCHOR_WORDS, *(w.capitalize() for w in _ANCHOR_WORDS)})) + ")"
)
_QUALIFIER = re.compile(
    r"\b(?P<q>no\s+more\s+than|more\s+than|over|upwards\s+of|in\s+excess\s+of|at\s+least"
    r"|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|fewer\s+than"
    r"|less\s+than|under|below|at\s+most|a\s+maximum\s+of|about|around|roughly|some"
    r"|approximately|nearly|almost|close\s+to|an\s+estimated|estimated|up\s+to|as\s+many\s+as"
    r"|just|only|exactly|precisely|a\s+total\s+of|all)\s+$",
    re.I,
)
_QUALIFIERS: dict[str, Qualifier] = {
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "at least": "at_least", "no fewer than": "at_least",
    "no less than": "at_least", "not less than": "at_least", "a minimum of": "at_least",
    "fewer than": "fewer_than", "less than": "fewer_than", "under": "fewer_than",
    "below": "fewer_than", "no more than": "fewer_than", "at most": "fewer_than",
    "a maximum of": "fewer_than",
}  # fmt: skip
_EXACT = frozenset({"just", "only", "exactly", "precisely", "a total of", "all"})
_YEAR = re.compile(r"(?:19|20)\d\d")
_ADVERB_ENDINGS = ("edly", "ously", "ently", "antly", "ately", "ively", "ically", "nally")
_TOKEN = re.compile(r"\s+(\d+mm|[A-Za-z][\w'’-]*(?:(?:\.[A-Za-z][\w'’-]*)+\.?)?)")
_EACH = re.compile(r"\s+each\b")
_MUNITION_USE = re.compile(
    r"\b(?:used|using|fired|firing|launched|launching|employed|involved|with|included)\b[^.;]{0,30}$"
    r"|^\s+(?:landed|hit|fell|struck|exploded|missed|impacted|were|of\s+them)\b",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """A count in the text: how many, how sure, of what (as written and as a lemma)."""

    start: int
    end: int
    text: str
    count: int
    qualifier: Qualifier
    noun: str | None
    lemma: str | None
    each: bool


@dataclass(frozen=True)
class CasualtyFigure:
    """People killed or wounded, as one counted group of the text."""

    start: int
    end: int
    text: str
    kind: CasualtyKind
    count: int
    qualifier: Qualifier
    who: str | None


def find_quantities(text: str, *, offset: int = 0) -> list[Quantity]:
    """Every count in the text with its qualifier and counted noun, in text order.

    >>> [(q.count, q.qualifier, q.lemma) for q in find_quantities("over 30 rockets each")]
    [(30, 'more_than', 'rocket')]
    """
    dates = date_spans(text)
    found = [q for q in _counts(text) if not _overlapping(q, dates)]
    spans = [(q.start, q.end) for q in found]
    found += [q for q in _articles(text, _A_MUNITION, MUNITIONS) if not _overlapping(q, spans)]
    found.sort(key=lambda q: q.start)
    return [replace(q, start=q.start + offset, end=q.end + offset) for q in found]


def lemma_of(noun: str) -> str:
    """The singular lower-case form of a counted noun.

    >>> lemma_of("Casualties"), lemma_of("rockets"), lemma_of("people")
    ('casualty', 'rocket', 'person')
    """
    word = noun.lower().strip(".'’")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ch|sh|x|ss|z)es$", word):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def resolve_elided(quantities: list[Quantity], text: str, *, window: int = 400) -> list[Quantity]:
    """Give a count with no noun the munition counted just before it ("used just two").

    >>> text = "Most attacks use fewer than five rockets. A third used just two."
    >>> [q.lemma for q in resolve_elided(find_quantities(text), text)]
    ['rocket', 'rocket']
    """
    ordered = sorted(quantities, key=lambda q: q.start)
    resolved: list[Quantity] = []
    for quantity in ordered:
        source = _munition_before(resolved, quantity, window) if quantity.noun is None else None
        if source is not None and _used(text, quantity):
            quantity = replace(quantity, noun=source.noun, lemma=source.lemma)  # noqa: PLW2901
        resolved.append(quantity)
    return resolved


def _used(text: str, q: Quantity) -> bool:
    """A bare count that a verb of firing or landing governs ('used just two', 'two landed')."""
    before = _MUNITION_USE.search(text, max(0, q.start - 60), q.start)
    return before is not None or _MUNITION_USE.match(text[q.end : q.end + 30]) is not None


def _munition_before(done: list[Quantity], q: Quantity, window: int) -> Quantity | None:
    for earlier in reversed(done):
        if q.start - earlier.end > window:
            return None
        if earlier.lemma in MUNITIONS:
            return earlier
    return None


def _overlapping(q: Quantity, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether q overlaps one of `spans` (sorted and disjoint)."""
    i = bisect.bisect_left(spans, (q.end, -1)) - 1
    return i >= 0 and spans[i][1] > q.start


def _counts(text: str) -> Iterator[Quantity]:
    for low, high in _windows(text):
        for match in _COUNT.finditer(text, low, high):
            found = _count_at(text, match)
            if found is not None:
                yield found


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Stretches of text around digits and number words, where counts can be."""
    low = high = -1
    for hit in _NUMBER_ANCHOR.finditer(text):
        if hit.start() - 12 > high:
            if high >= 0:
                yield low, high
            low = max(0, hit.start() - 12)
        high = min(len(text), hit.end() + 48)
    if high >= 0:
        yield low, high


def _count_at(text: str, match: re.Match[str]) -> Quantity | None:
    count, fuzzy = _value(match)
    if count is None or _skipped(text, match):
        return None
    start, qualifier = _qualifier(text, match.start(), fuzzy)
    if match["unit"]:
        noun: str | None = match["unit"]
        end = match.end()
    else:
        end, noun = _head(text, match.end(), count)
    if noun is None and (
        count < 2 or match["vague"] or match["pair"] or _YEAR.fullmatch(match["num"])
    ):
        return None
    each = bool(_EACH.match(text, end))
    end = _EACH.match(text, end).end() if each else end  # type: ignore[union-attr]
    lemma = lemma_of(noun) if noun else None
    return Quantity(start, end, text[start:end], count, qualifier, noun, lemma, each)


def _value(match: re.Match[str]) -> tuple[int | None, Qualifier | None]:
    if match["vague"]:
        word = match["vague"].lower().split()[-1]
        return (20_000 if match["vague"].lower().startswith("tens") else _VAGUE[word]), "at_least"
    if match["pair"]:
        return 2, ("exactly" if "pair" in match["pair"].lower() else "about")
    words = match["num"].lower().replace(",", "")
    value = _words_value(words)
    return value, ("about" if "dozen" in words else None)


def _words_value(words: str) -> int | None:
    total, current = 0.0, 0.0
    for token in re.split(r"[\s-]+", words):
        if re.fullmatch(r"\d+(?:\.\d+)?", token):
            current += float(token)
        elif token in NUMBER_WORDS:
            current += NUMBER_WORDS[token]
        elif token in ("hundred", "dozen"):
            current = (current or 1) * (100 if token == "hundred" else 12)
        elif token in _SCALES:
            total, current = total + (current or 1) * _SCALES[token], 0
        elif token == "a":
            current = current or 1
    value = total + current
    return int(value) if value == int(value) else None


def _skipped(text: str, match: re.Match[str]) -> bool:
    """Years, ordinals, measures, money, times and labels ("Brigade 47") are not counts."""
    num, after = match["num"] or "", text[match.end() : match.end() + 12].lower()
    first = (after.split() or [""])[0].strip(",.;:)")
    if match["old"] or (match["unit"] or "").lower() in _NOT_COUNTED or first in _NOT_COUNTED:
        return True
    if re.fullmatch(r"0\d+", num):
        return True
    before = text[max(0, match.start() - 40) : match.start()]
    if re.search(r"\b(?:[Nn]o\.?|[Nn]umber)\s+$", before):
        return True
    return num[:1].isdigit() and _is_label(before)


def _is_label(before: str) -> bool:
    """A capitalised word just before digits, not opening a sentence: 'Brigade 47', 'Route 1'."""
    word = re.search(r"(?:^|(?<=\s))(?P<w>[A-Z][a-z]+)\s+$", before)
    if word is None:
        return False
    opening = before[: word.start("w")].rstrip()
    return bool(opening) and opening[-1] not in '.!?:“"(—–\n'


def _qualifier(text: str, start: int, fuzzy: Qualifier | None) -> tuple[int, Qualifier]:
    found = _QUALIFIER.search(text, max(0, start - 24), start)
    if found is None:
        return start, fuzzy or "exactly"
    word = re.sub(r"\s+", " ", found["q"].lower())
    return found.start(), _QUALIFIERS.get(word, "exactly" if word in _EXACT else "about")


def _head(text: str, pos: int, count: int) -> tuple[int, str | None]:
    """The end and head noun of the phrase after a number ("rocket and mortar attacks")."""
    if text.startswith(" of ", pos):
        return _partitive(text, pos + 4, count)
    origin, words = pos, list[re.Match[str]]()
    for _ in range(6):
        token = _TOKEN.match(text, pos)
        if token is None or not _nominal(token[1], text, token.end(), bool(words)):
            break
        words.append(token)
        pos = token.end()
        if count != 1 and _plural(token[1]):
            return _compound(text, token)
    if count == 1 and words:
        known = next((w for w in words if lemma_of(w[1]) in MUNITIONS | PERSONS), None)
        return _compound(text, known or words[-1])
    return origin, None


def _nominal(word: str, text: str, end: int, started: bool) -> bool:
    low = word.lower()
    if low in NUMBER_WORDS or (low[:1].isdigit() and not low.endswith("mm")):
        return False
    if low in ("and", "or"):
        after = _TOKEN.match(text, end)
        return started and after is not None and after[1].lower() not in _STOP
    return low not in _STOP and not low.endswith(_ADVERB_ENDINGS)


def _plural(word: str) -> bool:
    low = word.lower()
    if low in _IRREGULAR or (low.endswith("men") and len(low) > 4):
        return True
    return low.endswith("s") and not low.endswith("ss") and "." not in word and not word.isupper()


def _compound(text: str, token: re.Match[str]) -> tuple[int, str]:
    """Move the head on to a noun that follows it: 'rocket attacks', 'police officers'."""
    after = _TOKEN.match(text, token.end())
    if after is None:
        return token.end(), token[1]
    word = after[1]
    if word.lower() in _COMPOUND_HEADS or (_plural(word) and lemma_of(word) in MUNITIONS | PERSONS):
        return after.end(), word
    return token.end(), token[1]


def _partitive(text: str, pos: int, count: int) -> tuple[int, str | None]:
    det = re.match(r"(?:the|those|these|its|their|them)\b", text[pos:])
    if det is None or det.group(0) == "them":
        return pos - 4, None
    end, noun = _head(text, pos + det.end(), max(count, 2))
    return (end, noun) if noun else (pos - 4, None)


def _article_pattern(nouns: frozenset[str]) -> re.Pattern[str]:
    words = "|".join(sorted(nouns, key=len, reverse=True))
    return re.compile(
        rf"\b(?:[Aa]n?(?:\s+single)?|[Ss]ingle)\s+(?:[\w.'’-]+\s+){{0,2}}?(?P<noun>(?i:{words}))\b(?![’'-])"
    )


_A_MUNITION = _article_pattern(MUNITIONS)
_A_PERSON = _article_pattern(PERSONS - {"other", "staff", "personnel", "police", "national"})


def _articles(text: str, pattern: re.Pattern[str], nouns: frozenset[str]) -> Iterator[Quantity]:
    """'a rocket', 'an explosive drone', 'a U.S. civilian contractor': one of a known noun."""
    for match in pattern.finditer(text):
        start, end, noun = match.start(), match.end(), match["noun"]
        after = _TOKEN.match(text, end)
        if after is not None and lemma_of(after[1]) in nouns and not _plural(after[1]):
            end, noun = after.end(), after[1]
            after = _TOKEN.match(text, end)
        if after is not None and after[1].lower() in _COMPOUND_HEADS | {"of"}:
            continue
        yield Quantity(start, end, text[start:end], 1, "exactly", noun, lemma_of(noun), False)


# Casualties: counted people next to a verb of killing or wounding.

_CASUALTY = re.compile(
    r"\b(?P<verb>kill(?:ed|ing|s)?|slain|slew|die[sd]?|dead|wound(?:ed|ing|s)?|injur(?:ed|ing|es|e)"
    r"|hurt(?:ing|s)?)\b",
    re.I,
)
_KILLING = frozenset("killed killing kill kills slain slew died dies die dead".split())
_INTRANSITIVE = frozenset("died dies die dead slain".split())
_PASSIVE = re.compile(
    r"(?:\bwho\s+)?(?:\b(?:have|has|had)\s+)?(?:\b(?:were|was|are|is|been|being|be|got|get)\s+"
    r"(?:(?:also|reportedly|later|all|both|subsequently|then)\s+)*)+$",
    re.I,
)
_OBJECT_FREE = re.compile(
    r"\s*(?:[,.;:)!?]|$|(?:and|or|in|on|at|by|when|as|after|during|while|since|from|with|near"
    r"|inside|outside|across|including|amid)\b)"
)
_GAP = re.compile(r"(?:\s+(?:in|from|of|at|with|near|on)\s+[^,;.\d]{1,50}?)?(?:\s+who)?\s*")
_CHAIN = re.compile(
    r"(?:\s+(?:in|from|of|at|with|near|on)\s+[^,;.:]{1,60}?)?\s*(?:,\s*(?:and\s+)?|and\s+|as\s+well\s+as\s+)"
)
_SENTENCE_END = re.compile(
    r"[;!?]|(?<![A-Z])(?<!\bCol)(?<!\bMr)(?<!\bDr)(?<!\bGen)(?<!\bNo)(?<!\bSt)\.(?=\s+[A-Z“\"]|\s*$)"
)
_NEW_CLAUSE = re.compile(
    r",?\s+(?:and|but|while|after|before|when|as)\s+(?!(?:killed|wounded|injured)\b)[a-z]+ed\b"
)
_SPACE = re.compile(r"\s*")
_INCLUDING = re.compile(r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+$", re.I)
_MEMBERS_OF = re.compile(
    r"\s+of\s+(?:the\s+)?(?:[\w’'.-]+\s+){0,4}?(?:forces|force|army|police|militias?|groups?|coalition|units?)\b",
    re.I,
)
_NONE = re.compile(
    r"\b(?:[Nn]o|[Ww]ithout(?:\s+causing)?(?:\s+any)?)\s+(?:(?:immediate|reported|other|further|serious"
    r"|major|human|American|U\.S\.|coalition|Iraqi|civilian)\s+)?(?P<what>casualties|injuries|deaths"
    r"|fatalities|one\s+(?:was|were|has\s+been|had\s+been)\s+(?:killed|hurt|injured|wounded|harmed))\b"
    r"|\b[Nn]obody\s+(?:was|has\s+been|had\s+been)\s+(?P<what2>killed|hurt|injured|wounded|harmed)\b"
)
_NUMBER_TOKEN = re.compile(rf"{_DIGITS}|\b(?i:{_WORD}|an?|single|pair|couple|of)\b")


def find_casualties(text: str, *, offset: int = 0) -> list[CasualtyFigure]:
    """People killed or wounded, one figure per counted group, in text order.

    >>> [(f.kind, f.count, f.who) for f in find_casualties("The blast killed three soldiers.")]
    [('killed', 3, 'soldiers')]
    """
    people = _people(text)
    claimed: set[int] = set()
    verbs = list(_CASUALTY.finditer(text))
    figures = list(_zeros(text))
    for verb in verbs:
        figures += _subjects(text, verb, people, claimed)
    for i, verb in enumerate(verbs):
        stop = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        figures += _objects(text, verb, stop, people, claimed)
    figures.sort(key=lambda f: (f.start, f.kind))
    return [replace(f, start=f.start + offset, end=f.end + offset) for f in figures]


@dataclass(frozen=True)
class _Pool:
    """Counted people, sorted by start, with their starts for bisection."""

    items: list[Quantity]
    starts: list[int]

    def starting_in(self, low: int, high: int) -> list[Quantity]:
        """The counted people that start in [low, high)."""
        return self.items[
            bisect.bisect_left(self.starts, low) : bisect.bisect_left(self.starts, high)
        ]


def _people(text: str) -> _Pool:
    counted = [_members(q, text) for q in find_quantities(text) if _counts_people(q)]
    spans = [(q.start, q.end) for q in counted]
    single = [q for q in _articles(text, _A_PERSON, PERSONS) if not _overlapping(q, spans)]
    items = sorted(counted + single, key=lambda q: q.start)
    return _Pool(items, [q.start for q in items])


def _counts_people(q: Quantity) -> bool:
    if q.noun is None:
        return True
    return q.lemma in PERSONS or (q.noun[:1].isupper() and _plural(q.noun) and "." not in q.noun)


def _members(q: Quantity, text: str) -> Quantity:
    tail = _MEMBERS_OF.match(text, q.end) if q.lemma == "member" else None
    return replace(q, end=tail.end(), text=text[q.start : tail.end()]) if tail else q


def _kind(verb: str) -> CasualtyKind:
    return "killed" if verb.lower() in _KILLING else "wounded"


def _figure(q: Quantity, kind: CasualtyKind) -> CasualtyFigure:
    return CasualtyFigure(q.start, q.end, q.text, kind, q.count, q.qualifier, _who(q))


def _who(q: Quantity) -> str | None:
    if q.noun is None:
        return None
    at = q.text.find(q.noun)
    starts = [m.end() for m in _NUMBER_TOKEN.finditer(q.text) if m.end() <= at]
    who = q.text[max(starts, default=0) :].strip()
    return who.removesuffix(" each") or None


def _subjects(
    text: str, verb: re.Match[str], people: _Pool, claimed: set[int]
) -> list[CasualtyFigure]:
    """'two soldiers were killed', 'four troops and two police were hurt', '14 wounded'."""
    word = verb["verb"].lower()
    passive = _PASSIVE.search(text, max(0, verb.start() - 40), verb.start())
    if passive is None and word not in _INTRANSITIVE and not _OBJECT_FREE.match(text, verb.end()):
        return []
    chain = passive is not None or word in _INTRANSITIVE
    q = _ending_at(text, people, passive.start() if passive else verb.start(), chain=chain)
    found: list[CasualtyFigure] = []
    while q is not None and q.start not in claimed:
        claimed.add(q.start)
        found.append(_figure(q, _kind(word)))
        q = _chained_before(text, people, q) if chain else None
    return found


def _ending_at(text: str, people: _Pool, end: int, *, chain: bool) -> Quantity | None:
    gap = _GAP if chain else _SPACE
    near = people.starting_in(end - 240, end)
    before = [q for q in near if q.end <= end and gap.fullmatch(text, q.end, end)]
    return before[-1] if before else None


def _chained_before(text: str, people: _Pool, q: Quantity) -> Quantity | None:
    near = people.starting_in(q.start - 240, q.start)
    before = [p for p in near if p.end <= q.start and _CHAIN.fullmatch(text, p.end, q.start)]
    return before[-1] if before else None


def _objects(
    text: str, verb: re.Match[str], stop: int, people: _Pool, claimed: set[int]
) -> list[CasualtyFigure]:
    """'killed three soldiers', 'killing two Americans and a Briton', 'killing two'."""
    word = verb["verb"].lower()
    if word in _INTRANSITIVE or _PASSIVE.search(text, max(0, verb.start() - 40), verb.start()):
        return []
    sentence = _SENTENCE_END.search(text, verb.end())
    end = min(stop, sentence.start() if sentence else len(text), verb.end() + 300)
    clause = _NEW_CLAUSE.search(text, verb.end(), end)
    end = clause.start() if clause else end
    found: list[CasualtyFigure] = []
    for q in people.starting_in(verb.end(), end):
        if q.start in claimed:
            continue
        if q.noun is None and text[verb.end() : q.start].strip():
            continue
        if _INCLUDING.search(text, max(0, q.start - 25), q.start):
            continue
        claimed.add(q.start)
        found.append(_figure(q, _kind(word)))
    return found


def _zeros(text: str) -> Iterator[CasualtyFigure]:
    """'no casualties' (both kinds), 'no injuries', 'no one was killed', 'nobody was hurt'."""
    for match in _NONE.finditer(text):
        what = (match["what"] or match["what2"]).lower()
        kinds: tuple[CasualtyKind, ...] = ("killed", "wounded")
        if re.search(r"injur|wound", what):
            kinds = ("wounded",)
        elif re.search(r"death|fatalit|killed", what):
            kinds = ("killed",)
        for kind in kinds:
            yield CasualtyFigure(
                match.start(), match.end(), match.group(0), kind, 0, "exactly", None
            )
