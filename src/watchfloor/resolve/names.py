"""Names to ids: a transliteration-insensitive key, and a resolver over the knowledge base.

The key (`normalise_name`) is built by a small ordered table of rules, so that
"Kata’ib Hizbullah", "Kataib Hezbollah" and "KATAIB HEZBOLLAH" share one key.
`NameResolver` then tries, in order: an exact alias, a normalised alias, an
acronym, a context alias (a surname or a capital, only with support from the
document), and a fuzzy match; a name that fails all of them is never forced
onto a known one: it becomes a candidate with a slug id.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process

from watchfloor.model import Actor, Place

if TYPE_CHECKING:
    from watchfloor.knowledge import KnowledgeBase

Method = Literal["exact", "normalised", "acronym", "fuzzy", "context", "none"]

APOSTROPHES = "ʿʾ‘’'`´ʼ′ʻ"
DASHES = "-‐‑‒–—―"
DASH_CLASS = "".join(re.escape(c) for c in DASHES)  # for character classes
ARTICLES = ("al", "el", "ad", "as", "ash", "an", "ar", "at", "az", "ath", "adh", "aj", "il")
TITLES = (
    "col", "colonel", "lt", "lieutenant", "gen", "general", "maj", "major", "brig",
    "brigadier", "adm", "admiral", "capt", "captain", "sgt", "cmdr", "commander", "dr",
    "mr", "mrs", "ms", "president", "prime minister", "pm", "caretaker", "minister",
    "foreign minister", "defense minister", "sheikh", "shaykh", "cleric", "spokesman",
    "spokesperson", "grand ayatollah", "ayatollah",
)  # fmt: skip
COMPOUND_SUFFIXES = ("led", "backed", "based", "aligned", "linked", "affiliated", "sponsored")

# Spellings of one word, after apostrophes are dropped and letters lower-cased:
# canonical form -> variants. Used by the key and by the EntityRuler patterns.
SPELLINGS: Mapping[str, tuple[str, ...]] = {
    "kataib": ("kataib", "kataeb", "katayib", "kata'ib", "kata'eb"),
    "hezbollah": (
        "hezbollah", "hizballah", "hizbullah", "hizbollah", "hizbolla", "hezbolla",
        "hizbulla", "hezballah", "hisbollah", "hizbollah",
    ),
    "asaib": ("asaib", "assaib", "asaeb", "asa'ib", "asa'eb", "asayib"),
    "qasem": ("qassem", "qasem", "qasim", "qassim", "kassem", "ghassem", "ghasem"),
    "muhammad": ("muhammad", "mohammed", "mohammad", "muhammed", "mohamed", "mohamad"),
    "mahdi": ("mahdi", "mehdi"),
    "muqtada": ("muqtada", "moqtada", "muqtadha", "moqtadha"),
    "soleimani": ("soleimani", "sulaimani", "suleimani", "solaimani", "soleymani"),
    "muhandis": ("muhandis", "mohandes", "muhandes", "mohandis"),
    "ameri": ("ameri", "amiri"),
    "qais": ("qais", "qays", "kais", "qeis"),
    "khazali": ("khazali", "khazaali", "khazaly", "khazeli"),
    "kadhimi": ("kadhimi", "kadhemi", "kazimi", "kazemi"),
    "fayyadh": ("fayyadh", "fayadh", "fayyad", "fayad"),
    "sayyid": ("sayyid", "sayid", "sayed", "sayyed", "seyyed", "seyed"),
    "shuhada": ("shuhada", "shohada", "shuhadaa"),
    "thairen": ("thairen", "thaireen", "thairin", "thaerin", "thaereen"),
    "usbat": ("usbat", "osbat", "asbat", "usbah"),
    "abd": ("abd", "abdul", "abdel", "abdol"),
    "mobilization": ("mobilization", "mobilisation"),
    "qaani": ("qaani", "ghaani", "kaani", "qani"),
    "esmail": ("esmail", "ismail", "esmaeil", "ismael", "esmaeel"),
    "kaabi": ("kaabi", "kabi", "kaebi"),
    "mohammedawi": ("mohammedawi", "muhammadawi", "mohammadawi", "muhammedawi"),
    "besmaya": ("besmaya", "basmaya", "besmayah", "basmayah"),
    "sakhar": ("sakhar", "sakhr"),
    "tawfiq": ("tawfiq", "tawfik", "towfiq", "tawfeeq"),
    "quds": ("quds", "qods", "qudz"),
    "organization": ("organization", "organisation"),
    "falih": ("falih", "faleh"),
    "adel": ("adel", "adil"),
    "peshmerga": ("peshmerga", "peshmarga"),
    "khorasani": ("khorasani", "khurasani", "khorasany"),
}  # fmt: skip
_SPELLING = {v.replace("'", ""): canon for canon, variants in SPELLINGS.items() for v in variants}


def _spellings(text: str) -> str:
    return " ".join(_SPELLING.get(word, word) for word in text.split())


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_Rule = tuple[str, Callable[[str], str]]
_ARABIC = str.maketrans("أإآٱةى", "ااااهي", "ـ")


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)
    return lambda text: compiled.sub(replacement, text)


_COMPOUND = rf"[{DASH_CLASS}](?:{'|'.join(COMPOUND_SUFFIXES)})$"
_TITLES = rf"^\s*(?:(?:{_alternation(TITLES)})\s+)+(?=\S)"
_ARTICLES = rf"(?:^|(?<=\s))(?:{_alternation(ARTICLES)})\s+(?=\S)"

# The key, rule by rule, in order. Each rule is (what it does, how).
NORMALISATION_RULES: tuple[_Rule, ...] = (
    ("decompose and drop diacritics", _strip_marks),
    ("lower case", str.casefold),
    ("Arabic letter variants", lambda t: t.translate(_ARABIC)),
    ("compound suffix: U.S.-led = U.S.", _sub(_COMPOUND, "")),
    ("possessive 's", _sub(rf"[{APOSTROPHES}]s\b", "")),
    ("ayn, hamza and apostrophes", _sub(rf"[{APOSTROPHES}]", "")),
    ("dots of acronyms: U.S. = US", _sub(r"\.", "")),
    ("dashes and punctuation to spaces", _sub(r"[^\w\s]|_", " ")),
    ("leading 'the'", _sub(r"^\s*the\s+", "")),
    ("leading ranks and titles", _sub(_TITLES, "")),
    ("generational suffix", _sub(r"(?<=\S)\s+(?:jr|sr|ii|iii|iv)\s*$", "")),
    ("middle initials", _sub(r"(?<=\w\w)\s+[a-z](?=\s+\w\w)", "")),
    ("articles al-, as-, ash-, el-, ...", _sub(_ARTICLES, "")),
    ("spelling variants of words", _spellings),
    ("ou = u", _sub("ou", "u")),
    ("ee = i", _sub("ee", "i")),
    ("double letters", _sub(r"([a-z])\1+", r"\1")),
    ("plural of the last word: Americans = American", _sub(r"(?<=[a-z]{4})s$", "")),
    ("final -ah = -a", _sub(r"(?<=\w)ah\b", "a")),
    ("spaces", lambda t: " ".join(t.split())),
)  # fmt: skip
# An acronym keeps its letters as they are ("AAH" is not "AH"): only case and marks go.
ACRONYM_RULES: tuple[_Rule, ...] = (
    ("lower case", str.casefold),
    ("dots, dashes and spaces", _sub(r"[\W_]+", "")),
)


def normalise_name(text: str) -> str:
    """A transliteration-insensitive key for a name.

    >>> normalise_name("Kata’ib Hizbullah") == normalise_name("Kataib Hezbollah")
    True
    >>> normalise_name("Jurf as-Sakhar") == normalise_name("Jurf al Sakhar")
    True
    >>> normalise_name("U.S."), normalise_name("AAH")
    ('us', 'aah')
    """
    rules = ACRONYM_RULES if looks_like_acronym(text.strip()) else NORMALISATION_RULES
    for _, rule in rules:
        text = rule(text)
    return text


def slug(text: str) -> str:
    """An id made of the words of a name.

    >>> slug("Ashab al-Kahf")
    'ashab-al-kahf'
    """
    return re.sub(r"[\W_]+", "-", _strip_marks(text).casefold()).strip("-")


def looks_like_acronym(text: str) -> bool:
    """True for "KH", "U.S.", "CJTF-OIR": capitals, with dots or dashes, no lower case.

    >>> looks_like_acronym("U.S."), looks_like_acronym("Hezbollah")
    (True, False)
    """
    letters = re.sub(rf"[.\s{DASH_CLASS}]", "", text)
    return 1 < len(letters) <= 8 and letters.isupper() and letters.isalnum()


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to, how, and why; `candidate_id` names an unknown one."""

    surface: str
    id: str | None
    name: str | None
    score: float
    method: Method
    reason: str
    candidate_id: str | None = None


@dataclass(frozen=True)
class _Entry:
    """One known name: the id it stands for and how it is written in the knowledge base."""

    id: str
    alias: str
    acronym: bool


class _Index:
    """Names of one kind of thing (actors or places): exact, normalised and fuzzy lookups."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self.exact: dict[str, list[_Entry]] = defaultdict(list)
        self.key: dict[str, list[_Entry]] = defaultdict(list)
        for id_, alias in names:
            entry = _Entry(id_, alias, looks_like_acronym(alias))
            _add_once(self.exact[_exact_key(alias)], entry)
            key = normalise_name(alias)
            if key:
                _add_once(self.key[key], entry)
        self.fuzzy_keys = [k for k in self.key if len(k) > 4]

    @staticmethod
    def ids(entries: Sequence[_Entry]) -> list[str]:
        return list(dict.fromkeys(e.id for e in entries))


def _add_once(entries: list[_Entry], entry: _Entry) -> None:
    if all(e.id != entry.id for e in entries):
        entries.append(entry)


def _exact_key(text: str) -> str:
    return " ".join(text.casefold().split())


# What the context-free match found: an actor ("shadowed": an actor, but the name is
# also another's context alias), several, a context alias, or nothing.
_Outcome = Literal["resolved", "shadowed", "ambiguous", "context", "unknown"]


class NameResolver:
    """Resolve actor and place names against a knowledge base.

    >>> from watchfloor.knowledge import load_knowledge
    >>> NameResolver(load_knowledge()).resolve_actor("Kataib Hizbullah").id
    'kataib-hezbollah'
    """

    STATE_KINDS = frozenset({"state"})
    PERSON_KINDS = frozenset({"person"})
    SCORES: Mapping[Method, float] = {
        "exact": 100.0, "normalised": 98.0, "acronym": 100.0, "context": 90.0, "none": 0.0,
    }  # fmt: skip
    CACHE_SIZE = 500_000

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        threshold: float = 90.0,
        scorer: Callable[..., float] = fuzz.ratio,
    ) -> None:
        self.kb = kb
        self.threshold = threshold
        self.scorer = scorer
        self.actors = _Index((a.actor_id, n) for a in kb.actors.values() for n in _names(a))
        self.places = _Index((p.place_id or "", n) for p in kb.places.values() for n in _pnames(p))
        self.context = _Index(
            (a.actor_id, n) for a in kb.actors.values() for n in a.context_aliases
        )
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        for rel in kb.relations:
            self.neighbours[rel.subject].add(rel.object)
            self.neighbours[rel.object].add(rel.subject)
        self._strict_cache: dict[str, tuple[Resolution, _Outcome]] = {}
        self._place_cache: dict[str, Resolution] = {}
        self._support_cache: dict[frozenset[str], frozenset[str]] = {}

    # -- actors -----------------------------------------------------------------

    def resolve_actor(self, surface: str, *, context: Sequence[str] = ()) -> Resolution:
        """Resolve an actor's name; `context` holds the other names of the same document.

        >>> from watchfloor.knowledge import load_knowledge
        >>> resolver = NameResolver(load_knowledge())
        >>> resolver.resolve_actor("Sadr").reason
        'context alias without support'
        >>> resolver.resolve_actor("Sadr", context=["Moqtada al-Sadr"]).id
        'moqtada-al-sadr'
        """
        resolution, outcome = self._strict(surface)
        if outcome == "ambiguous" and context:
            return self._choose_by_context(resolution, context)
        if outcome == "shadowed" and context:
            return self._named_in_full(resolution, context) or resolution
        if outcome == "context":
            return self._context_alias(surface, context)
        return resolution

    def _strict(self, surface: str) -> tuple[Resolution, _Outcome]:
        """Everything but the document's context: exact, normalised, acronym, fuzzy; cached."""
        found = self._strict_cache.get(surface)
        if found is None:
            if len(self._strict_cache) >= self.CACHE_SIZE:
                self._strict_cache.clear()
            found = self._strict_cache[surface] = self._match_actor(surface)
        return found

    def _match_actor(self, surface: str) -> tuple[Resolution, _Outcome]:
        key = normalise_name(surface)
        entries, method = self._lookup(self.actors, surface, key)
        if entries:
            resolution, outcome = self._from_entries(surface, key, entries, method, self._actor)
            if outcome == "resolved" and key in self.context.key:
                outcome = "shadowed"  # also another actor's context alias: see _named_in_full
            return resolution, outcome
        if key in self.context.key:
            return self._none(surface, key, "context alias without support"), "context"
        return self._unmatched(surface, key, self.actors, self._actor), "unknown"

    def _unmatched(
        self,
        surface: str,
        key: str,
        index: _Index,
        make: Callable[[str, str, float, Method, str], Resolution],
    ) -> Resolution:
        """A name with no alias of its own: fuzzy, unless guards forbid it."""
        if not key:
            return self._none(surface, key, "empty name")
        if len(key) <= 4:
            return self._none(surface, key, "unknown short name (those match only exactly)")
        if index is self.actors and key in self.places.key:
            return self._none(surface, key, "not an actor: it names a place")
        if index is self.places and self._names_a_person(key):
            return self._none(surface, key, "not a place: it names a person")
        return self._fuzzy(surface, key, index, make)

    @staticmethod
    def _lookup(index: _Index, surface: str, key: str) -> tuple[list[_Entry], Method]:
        entries = index.exact.get(_exact_key(surface), [])
        if len(index.ids(entries)) == 1:
            return entries, "exact"
        return index.key.get(key, []), "normalised"

    def _from_entries(
        self,
        surface: str,
        key: str,
        entries: list[_Entry],
        method: Method,
        make: Callable[[str, str, float, Method, str], Resolution],
    ) -> tuple[Resolution, _Outcome]:
        if entries[0].acronym and surface.islower() and len(key) <= 4:
            reason = "unknown name (a lower-case word is not an acronym)"
            return self._none(surface, key, reason), "unknown"
        if looks_like_acronym(surface) and entries[0].acronym:
            method = "acronym"
        ids = _Index.ids(entries)
        if len(ids) > 1:
            return self._none(surface, key, f"ambiguous: {' or '.join(ids)}"), "ambiguous"
        reason = f"{method} match on {entries[0].alias!r}"
        return make(surface, ids[0], self.SCORES[method], method, reason), "resolved"

    def _fuzzy(
        self,
        surface: str,
        key: str,
        index: _Index,
        make: Callable[[str, str, float, Method, str], Resolution],
    ) -> Resolution:
        best = process.extractOne(
            key, index.fuzzy_keys, scorer=self.scorer, score_cutoff=self.threshold
        )
        if best is None:
            return self._none(surface, key, f"unknown name (no fuzzy score >= {self.threshold:g})")
        match, score, _ = best
        if not _words_agree(key, match):
            return self._none(surface, key, f"unknown name (near {match!r}, but a word differs)")
        entries = index.key[match]
        ids = _Index.ids(entries)
        if len(ids) > 1:
            return self._none(surface, key, f"ambiguous fuzzy match: {' or '.join(ids)}")
        reason = f"fuzzy match on {entries[0].alias!r} ({score:.0f})"
        return make(surface, ids[0], float(score), "fuzzy", reason)

    def _context_alias(self, surface: str, context: Sequence[str]) -> Resolution:
        key = normalise_name(surface)
        ids = _Index.ids(self.context.key[key])
        states = [i for i in ids if self.kb.actors[i].kind in self.STATE_KINDS]
        if len(states) == 1:
            reason = "context alias of a state (demonym or capital): needs no support"
            return self._actor(surface, states[0], 95.0, "context", reason)
        support = self._support(context)
        backed = [i for i in ids if i in support or self.neighbours[i] & support]
        if len(backed) == 1:
            reason = f"context alias, supported by {self._supporter(backed[0], support)}"
            return self._actor(surface, backed[0], self.SCORES["context"], "context", reason)
        if len(backed) > 1:
            return self._none(surface, key, f"ambiguous context alias: {' or '.join(backed)}")
        return self._none(surface, key, "context alias without support")

    def _choose_by_context(self, ambiguous: Resolution, context: Sequence[str]) -> Resolution:
        surface = ambiguous.surface
        entries, _ = self._lookup(self.actors, surface, normalise_name(surface))
        support = self._support(context)
        ids = [i for i in _Index.ids(entries) if i in support or self.neighbours[i] & support]
        if len(ids) != 1:
            return ambiguous
        reason = f"ambiguous name, decided by {self._supporter(ids[0], support)}"
        return self._actor(surface, ids[0], self.SCORES["context"], "context", reason)

    def _named_in_full(self, resolution: Resolution, context: Sequence[str]) -> Resolution | None:
        """The actor whose context alias this is, if the document names it in full.

        "IRGC" is the corps' acronym and a context alias of the Quds Force: in a
        document that names the "IRGC – Quds Force", the bare IRGC means it.
        """
        surface = resolution.surface
        owners = _Index.ids(self.context.key[normalise_name(surface)])
        support = self._support(context)
        named = [i for i in owners if i in support and i != resolution.id]
        if len(named) != 1:
            return None
        reason = (
            f"context alias of {named[0]}, which the document names in full "
            f"(preferred to the alias of {resolution.id})"
        )
        return self._actor(surface, named[0], self.SCORES["context"], "context", reason)

    def _support(self, context: Sequence[str]) -> frozenset[str]:
        """The actors that the document's other names resolve to, without context aliases."""
        names = frozenset(context)
        found = self._support_cache.get(names)
        if found is None:
            resolved = (self._strict(name)[0].id for name in names)
            found = self._support_cache[names] = frozenset(i for i in resolved if i)
        return found

    def _supporter(self, actor_id: str, support: frozenset[str]) -> str:
        if actor_id in support:
            return f"a full name of {actor_id} in the document"
        return f"related actor {sorted(self.neighbours[actor_id] & support)[0]} in the document"

    def context_owners(self, surface: str) -> list[str]:
        """The actors that answer to `surface` as a context alias (a surname, a capital).

        >>> from watchfloor.knowledge import load_knowledge
        >>> NameResolver(load_knowledge()).context_owners("Askari")
        ['abu-ali-al-askari']
        """
        return _Index.ids(self.context.key.get(normalise_name(surface), []))

    def _names_a_person(self, key: str) -> bool:
        entries = self.actors.key.get(key, []) + self.context.key.get(key, [])
        return any(self.kb.actors[e.id].kind in self.PERSON_KINDS for e in entries)

    # -- places -----------------------------------------------------------------

    def resolve_place(self, surface: str) -> Resolution:
        """Resolve a place name (sites and gazetteer).

        >>> from watchfloor.knowledge import load_knowledge
        >>> NameResolver(load_knowledge()).resolve_place("Sadr City").id
        'sadr-city'
        """
        found = self._place_cache.get(surface)
        if found is None:
            if len(self._place_cache) >= self.CACHE_SIZE:
                self._place_cache.clear()
            found = self._place_cache[surface] = self._match_place(surface)
        return found

    def _match_place(self, surface: str) -> Resolution:
        key = normalise_name(surface)
        entries, method = self._lookup(self.places, surface, key)
        if entries:
            # Places that share a name: sites come first, then the larger towns.
            return self._from_entries(surface, key, entries[:1], method, self._place)[0]
        return self._unmatched(surface, key, self.places, self._place)

    # -- search -----------------------------------------------------------------

    def search(self, query: str, *, limit: int = 10) -> list[Resolution]:
        """Actors and places whose names are like `query`, best first (for `kb search`).

        >>> from watchfloor.knowledge import load_knowledge
        >>> NameResolver(load_knowledge()).search("Kataib Hizbullah")[0].id
        'kataib-hezbollah'
        """
        key = normalise_name(query)
        if not key:
            return []
        direct = [r for r in (self.resolve_actor(query), self.resolve_place(query)) if r.id]
        found: dict[str, Resolution] = {}
        for index in (self.actors, self.context, self.places):
            for match, score, _ in process.extract(
                key, list(index.key), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=75
            ):
                for entry in index.key[match]:
                    if entry.id not in found or found[entry.id].score < score:
                        reason = f"{entry.alias!r} is like the query ({score:.0f})"
                        found[entry.id] = self._named(query, entry.id, float(score), reason)
        ranked = sorted(found.values(), key=lambda r: (-r.score, r.id or ""))
        ids = {r.id for r in direct}
        return [*direct, *(r for r in ranked if r.id not in ids)][:limit]

    # -- results ----------------------------------------------------------------

    def _actor(
        self, surface: str, actor_id: str, score: float, method: Method, reason: str
    ) -> Resolution:
        return Resolution(surface, actor_id, self.kb.actors[actor_id].name, score, method, reason)

    def _place(
        self, surface: str, place_id: str, score: float, method: Method, reason: str
    ) -> Resolution:
        return Resolution(surface, place_id, self.kb.places[place_id].name, score, method, reason)

    def _named(self, surface: str, any_id: str, score: float, reason: str) -> Resolution:
        make = self._actor if any_id in self.kb.actors else self._place
        return make(surface, any_id, score, "fuzzy", reason)

    @staticmethod
    def _none(surface: str, key: str, reason: str) -> Resolution:
        return Resolution(surface, None, None, 0.0, "none", reason, slug(key) or None)


WORD_AGREEMENT = 75.0


def _words_agree(one: str, other: str) -> bool:
    """Every word of each name is like a word of the other: a typo, not another word.

    Words of one or two letters are let go, and so are two words run together.

    >>> _words_agree("muqtada sar", "muqtada sadr")
    True
    >>> _words_agree("grand government", "iran government")
    False
    >>> _words_agree("islamic revolutionaryguard", "islamic revolutionary guard")
    True
    """
    words, others = one.split(), other.split()
    return all(_has_twin(w, words) for w in others) and all(_has_twin(w, others) for w in words)


def _has_twin(word: str, words: list[str]) -> bool:
    if len(word) <= 2:
        return True
    pairs = [a + b for a, b in itertools.pairwise(words)]
    if any(fuzz.ratio(word, w) >= WORD_AGREEMENT for w in [*words, *pairs]):
        return True
    return any(w.startswith(word) or w.endswith(word) for w in words if len(w) >= len(word) + 3)


def _names(actor: Actor) -> list[str]:
    return [actor.name, *actor.aliases, *([actor.arabic] if actor.arabic else [])]


def _pnames(place: Place) -> list[str]:
    return [place.name, *place.aliases]
