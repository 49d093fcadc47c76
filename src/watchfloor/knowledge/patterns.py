"""Token patterns (in spaCy EntityRuler's format) made from the knowledge base's names.

Every actor alias and place name becomes a token pattern, tolerant of what
news text does to Arabic names: curly or straight apostrophes ("Kata’ib",
"Kata'ib", "Kataib"), spelling variants ("Hizballah"), article forms
("al-", "as-", "al "), hyphens or spaces between words ("al-Muhandis",
"al Muhandis") and hyphenated compounds ("U.S.-led").

What the entities carry:

- `label_` is "ACTOR" or "PLACE";
- `ent_id_` is the actor or place id; for a *context alias* (a surname like
  "Sadr", a metonym like "Washington") it is the id prefixed with "ctx:"
  (see `CONTEXT_PREFIX`, `pattern_target`): the extractor must then ask the
  resolver, which accepts it only with support from the rest of the document;
- `ent_id_` is "ctx:" alone for a name that several actors share: again the
  resolver decides, with the document's context. (A name that several places
  share goes to the first: a site before a town, a larger town before a
  smaller one.)

Matching is case-insensitive for names of several words; a one-word name
matches only as written, in capitals or capitalised ("Hit" the town never
matches "hit"), and one-word gazetteer names that are common English words
are left out.

The patterns use only ORTH and LOWER, each one string or a set of them, and
optional tokens: `ruler_for` hands them to `watchfloor.knowledge.ruler`,
which matches them all in one pass (spaCy's own EntityRuler takes the same
patterns, at several times the cost). A compound of a dotted acronym ("U.S.-led")
is one token, listed with every dash and suffix rather than matched by a regex.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import spacy
from spacy.lang.en.stop_words import STOP_WORDS

from watchfloor.knowledge.ruler import CONTEXT_PREFIX, FACTORY, KnowledgeRuler
from watchfloor.resolve.names import (
    APOSTROPHES,
    ARTICLES,
    COMPOUND_SUFFIXES,
    DASHES,
    SPELLINGS,
    looks_like_acronym,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from watchfloor.knowledge.loader import KnowledgeBase

__all__ = ["CONTEXT_PREFIX", "RULER_NAME", "pattern_target", "ruler_for", "ruler_patterns"]

RULER_NAME = "knowledge_ruler"
APOSTROPHE_FORMS = ("'", "’", "‘", "`", "ʼ", "ʿ")
# One-word place names that are everyday English words (Iraq has a town called Hit).
COMMON_WORDS = frozenset(
    "hit bay camp base city center centre field gate green lake north south east west "
    "new old port river road station street town valley village well zone ana".split()
)
_SPELLING_FORMS = {
    v.replace("'", ""): variants for variants in SPELLINGS.values() for v in variants
}
# Actor names come before place names, which come before context aliases.
_PRIORITY = {"ACTOR": 0, "PLACE": 1, "CTX": 2}


@dataclass
class _Found:
    """The names that made one token pattern: their label and ids."""

    rank: int
    label: str
    tokens: list[dict[str, Any]]
    ids: list[str] = field(default_factory=list)


def pattern_target(ent_id: str) -> tuple[str, bool]:
    """The id in an entity's `ent_id_`, and whether it is a context alias needing support.

    >>> pattern_target("ctx:moqtada-al-sadr")
    ('moqtada-al-sadr', True)
    """
    if ent_id.startswith(CONTEXT_PREFIX):
        return ent_id.removeprefix(CONTEXT_PREFIX), True
    return ent_id, False


def ruler_patterns(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """EntityRuler token patterns for every actor alias, context alias and place name.

    >>> from watchfloor.knowledge import load_knowledge
    >>> any(p["id"] == "kataib-hezbollah" for p in ruler_patterns(load_knowledge()))
    True
    """
    found: dict[str, _Found] = {}
    for kind, owner, name in _names(kb):
        for tokens in _token_patterns(name):
            key = json.dumps(tokens, sort_keys=True)
            rank = _PRIORITY[kind]
            known = found.get(key)
            if known is None or rank < known.rank:
                label = "PLACE" if kind == "PLACE" else "ACTOR"
                found[key] = known = _Found(rank, label, tokens)
            if rank == known.rank and owner not in known.ids:
                known.ids.append(owner)
    return [_pattern(entry) for entry in found.values()]


def _pattern(entry: _Found) -> dict[str, Any]:
    if entry.label == "PLACE":  # places that share a name: sites first, then larger towns
        target = entry.ids[0]
    elif len(entry.ids) > 1:  # a name several actors answer to: the context decides
        target = CONTEXT_PREFIX
    else:
        target = (CONTEXT_PREFIX if entry.rank == _PRIORITY["CTX"] else "") + entry.ids[0]
    return {"label": entry.label, "pattern": entry.tokens, "id": target}


def _names(kb: KnowledgeBase) -> Iterator[tuple[str, str, str]]:
    for actor in kb.actors.values():
        for name in dict.fromkeys([actor.name, *actor.aliases]):
            yield "ACTOR", actor.actor_id, name
        for name in actor.context_aliases:
            yield "CTX", actor.actor_id, name
    for place in kb.places.values():
        for name in dict.fromkeys([place.name, *place.aliases]):
            if not _common_word(name):
                yield "PLACE", place.place_id or "", name


def _common_word(name: str) -> bool:
    word = name.strip().lower()
    return " " not in word and (word in STOP_WORDS or word in COMMON_WORDS or len(word) < 3)


@functools.cache
def _tokenizer() -> Any:
    return spacy.blank("en").tokenizer


def _token_patterns(name: str) -> list[list[dict[str, Any]]]:
    """The token patterns of one name: usually one; two for a dotted acronym ("U.S.")."""
    words = [t.text for t in _tokenizer()(name) if t.text.strip()]
    if not words:
        return []
    if len(words) == 1:
        patterns = [[_one_word(words[0])]]
        if re.fullmatch(r"(?:[A-Z]\.){2,}", words[0]):  # "U.S.-led" is one token
            compounds = [f"{words[0]}{d}{s}" for d in DASHES for s in COMPOUND_SUFFIXES]
            patterns.append([{"ORTH": {"IN": compounds}}])
        return patterns
    return [list(_several_words(words))]


def _one_word(word: str) -> dict[str, Any]:
    forms = _forms(word, case_sensitive=True)
    return {"ORTH": forms[0]} if len(forms) == 1 else {"ORTH": {"IN": forms}}


def _several_words(words: list[str]) -> Iterator[dict[str, Any]]:
    optional_dash = {"ORTH": {"IN": sorted(DASHES)}, "OP": "?"}
    previous_dash = True
    for n, word in enumerate(words):
        if all(c in DASHES for c in word):
            yield optional_dash
            previous_dash = True
            continue
        if not previous_dash:
            yield optional_dash
        previous_dash = False
        following = words[n + 1] if n + 1 < len(words) else ""
        yield _word(word, article=_is_article(word, following))


def _is_article(word: str, following: str) -> bool:
    lower = word.lower()
    return lower in ("al", "el") or (lower in ARTICLES and bool(following) and following in DASHES)


def _word(word: str, *, article: bool) -> dict[str, Any]:
    if all(c in APOSTROPHES for c in word):
        return {"ORTH": {"IN": list(APOSTROPHE_FORMS)}, "OP": "?"}
    if article:
        return {"LOWER": {"IN": list(ARTICLES)}}
    if looks_like_acronym(word) or word.isdigit():
        forms = _forms(word, case_sensitive=True)
        return {"ORTH": forms[0]} if len(forms) == 1 else {"ORTH": {"IN": forms}}
    forms = _forms(word, case_sensitive=False)
    return {"LOWER": forms[0]} if len(forms) == 1 else {"LOWER": {"IN": forms}}


def _forms(word: str, *, case_sensitive: bool) -> list[str]:
    """The ways one word is written: apostrophe forms, spelling variants (and cases)."""
    if looks_like_acronym(word):
        bare = word.replace(".", "")
        dotted = "".join(f"{c}." for c in bare) if len(bare) <= 3 and bare.isalpha() else word
        return list(dict.fromkeys([word, bare, dotted]))
    lower = word.lower()
    bare = "".join(c for c in lower if c not in APOSTROPHES)
    variants = {lower, *_SPELLING_FORMS.get(bare, ())}
    forms = set(_apostrophe_forms(variants))
    if not case_sensitive:
        return sorted(forms)
    cased = {word} | {f.upper() for f in forms} | {f[:1].upper() + f[1:] for f in forms}
    return sorted(cased)


def _apostrophe_forms(words: Iterable[str]) -> Iterator[str]:
    for word in words:
        if not any(c in APOSTROPHES for c in word):
            yield word
            continue
        for mark in (*APOSTROPHE_FORMS, ""):
            yield "".join(mark if c in APOSTROPHES else c for c in word)


def ruler_for(nlp: Language, kb: KnowledgeBase) -> KnowledgeRuler:
    """Add (or replace) the knowledge base's ruler in `nlp`, before "ner" if present.

    The ruler (`watchfloor.knowledge.ruler`) sets the entities that spaCy's
    EntityRuler would set with `ruler_patterns(kb)` and overwrite_ents=True, at
    a small part of its cost.

    >>> import spacy
    >>> from watchfloor.knowledge import load_knowledge
    >>> nlp = spacy.blank("en")
    >>> _ = ruler_for(nlp, load_knowledge())
    >>> [(e.text, e.ent_id_) for e in nlp("Kataib Hizbullah fired rockets.").ents]
    [('Kataib Hizbullah', 'kataib-hezbollah')]
    """
    if RULER_NAME in nlp.pipe_names:
        nlp.remove_pipe(RULER_NAME)
    before = "ner" if "ner" in nlp.pipe_names else None
    config = {"overwrite_ents": True}
    ruler = cast(
        "KnowledgeRuler", nlp.add_pipe(FACTORY, name=RULER_NAME, before=before, config=config)
    )
    ruler.add_patterns(ruler_patterns(kb))
    return ruler
