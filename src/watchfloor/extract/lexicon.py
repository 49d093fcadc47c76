"""The event lexicon: taxonomy triggers and weapon terms, matched on lemmas.

Triggers and terms are data (knowledge/data/taxonomy.yaml, weapons.yaml,
event_cues.yaml); this module lemmatises them once with the pipeline's own
lemmatiser and then matches token lemmas in O(tokens).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Span

from watchfloor.errors import KnowledgeError

DATA = "watchfloor.knowledge"


@dataclass(frozen=True)
class SubEventType:
    """An ACLED sub-event type with its parent type and codes."""

    name: str
    event_type: str
    disorder_type: str
    plover: str | None = None
    cameo: str | None = None


@dataclass(frozen=True)
class Weapon:
    """A weapon class: what a munition count counts, and the default sub-event type."""

    id: str
    counts_as: str
    sub_event_type: str | None


@dataclass(frozen=True)
class Hit:
    """A lexicon match in a sentence: tokens [start, end) of the doc, and what it is."""

    start: int
    end: int
    value: str


@dataclass
class LemmaMatcher:
    """Match lemma sequences: first lemma → [(lemmas, value)], longest first."""

    table: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    def add(self, lemmas: Sequence[str], value: str) -> None:
        """Add one phrase (as lemmas) with the value it stands for."""
        if not lemmas:
            return
        entries = self.table.setdefault(lemmas[0], [])
        if (tuple(lemmas), value) not in entries:
            entries.append((tuple(lemmas), value))
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, span: Span) -> Iterator[Hit]:
        """Every longest match in the span, left to right, not overlapping.

        A word matches by its lemma or by its lower-case form, because the tagger
        takes a capitalised "Rockets" opening a sentence for a proper noun.
        """
        forms = [(t.lemma_.lower(), t.lower_) for t in span]
        i = 0
        while i < len(forms):
            step = 1
            for phrase, value in self._candidates(forms[i]):
                if _fits(forms[i : i + len(phrase)], phrase):
                    yield Hit(span.start + i, span.start + i + len(phrase), value)
                    step = len(phrase)
                    break
            i += step

    def _candidates(self, form: tuple[str, str]) -> list[tuple[tuple[str, ...], str]]:
        found = self.table.get(form[0], [])
        if form[1] != form[0]:
            found = sorted([*found, *self.table.get(form[1], [])], key=lambda e: -len(e[0]))
        return found


def _fits(forms: list[tuple[str, str]], phrase: tuple[str, ...]) -> bool:
    return len(forms) == len(phrase) and all(w in f for f, w in zip(forms, phrase, strict=True))


@dataclass
class EventLexicon:
    """Everything the event extractor looks words up in."""

    sub_types: dict[str, SubEventType]
    weapons: dict[str, Weapon]
    triggers: LemmaMatcher
    weapon_terms: LemmaMatcher
    cues: dict[str, Any]
    _cue_sets: dict[str, frozenset[str]] = field(default_factory=dict)

    def cue(self, name: str) -> frozenset[str]:
        """A cue list from event_cues.yaml as a set of lemmas (built once, then cached)."""
        cached = self._cue_sets.get(name)
        if cached is not None:
            return cached
        value = self.cues.get(name, [])
        if isinstance(value, dict):
            value = [word for words in value.values() for word in words]
        found = frozenset(str(v).lower() for v in value)
        self._cue_sets[name] = found
        return found

    def sub_type(self, name: str) -> SubEventType:
        """The sub-event type by its ACLED name (any case)."""
        return self.sub_types[name.lower()]


def read_data(name: str, data_dir: Path | None = None) -> Any:
    """Load one YAML data file shipped in the knowledge package (or from `data_dir`)."""
    try:
        if data_dir is not None:
            text = (data_dir / name).read_text(encoding="utf-8")
        else:
            text = resources.files(DATA).joinpath("data", name).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as e:
        raise KnowledgeError(f"cannot read knowledge file {name}: {e}") from e


def build_lexicon(nlp: Language, *, data_dir: Path | None = None) -> EventLexicon:
    """Build the lexicon, lemmatising triggers and terms with `nlp`."""
    taxonomy = read_data("taxonomy.yaml", data_dir)
    weapons_data = read_data("weapons.yaml", data_dir)
    cues = read_data("event_cues.yaml", data_dir) or {}
    sub_types: dict[str, SubEventType] = {}
    phrases: list[tuple[str, str]] = []
    for event_type in taxonomy["event_types"]:
        for sub in event_type["sub_event_types"]:
            record = SubEventType(
                name=sub["name"],
                event_type=event_type["event_type"],
                disorder_type=event_type.get("disorder_type", ""),
                plover=sub.get("plover"),
                cameo=str(sub["cameo"]) if sub.get("cameo") is not None else None,
            )
            sub_types[record.name.lower()] = record
            phrases.extend((str(t), record.name) for t in sub.get("triggers") or [])
    phrases.extend((word, "generic") for word in cues.get("generic_attack", []))
    weapons = {
        w["id"]: Weapon(w["id"], str(w.get("counts_as") or w["id"]), w.get("sub_event_type"))
        for w in weapons_data
    }
    terms = [(str(t), w["id"]) for w in weapons_data for t in [w["id"], *w.get("terms", [])]]
    return EventLexicon(
        sub_types=sub_types,
        weapons=weapons,
        triggers=_matcher(nlp, phrases),
        weapon_terms=_matcher(nlp, terms),
        cues=cues,
    )


def _matcher(nlp: Language, phrases: Iterable[tuple[str, str]]) -> LemmaMatcher:
    phrases = list(phrases)
    matcher = LemmaMatcher()
    docs = nlp.pipe((p.replace("_", " ") for p, _ in phrases), disable=["ner", "parser"])
    for doc, (_, value) in zip(docs, phrases, strict=True):
        matcher.add([t.lemma_.lower() for t in doc], value)
        matcher.add([t.lower_ for t in doc], value)
    return matcher
