"""The relevance gate: recall on our corpora, what it drops, and that it is data, not code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from watchfloor.extract.gate import (
    NO_CUE,
    NO_NAME,
    RelevanceGate,
    build_gate,
    inflections,
    text_words,
)
from watchfloor.ingest import Skipped, read_path
from watchfloor.ingest.files import iter_files
from watchfloor.model import Document

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "demo" / "corpus"
CASES = ROOT / "tests" / "cases"
RECALL_FLOOR = 0.99

OFF_TOPIC = [
    "Northbridge beat Calder Town 2-1 on Saturday with a late strike; their attack "
    "looked sharper after the break and the striker hit the post twice.",
    "Shares of a carmaker hit a record high after the two companies agreed a merger deal; "
    "analysts raised their price target.",
    "Gunmen attacked a village in central Mali on Tuesday, killing seven people, and rebels "
    "claimed responsibility for an ambush on an army patrol near the border.",
    "Heavy rain hit the north coast, flooding roads; the storm killed two people.",
]


@pytest.fixture(scope="module")
def gate() -> RelevanceGate:
    """The gate over the shipped knowledge base."""
    return build_gate()


def corpus() -> list[tuple[str, str, Document]]:
    """(kind, key, document) for the demo corpus (kinds from GOLD.yaml) and tests/cases."""
    gold = yaml.safe_load((DEMO / "GOLD.yaml").read_text(encoding="utf-8"))["documents"]
    found = []
    for path in iter_files([DEMO], exclude=["README.md", "GOLD.yaml"]):
        documents = [d for d in read_path(path) if not isinstance(d, Skipped)]
        rel = path.relative_to(DEMO).as_posix()
        for n, document in enumerate(documents, start=1):
            key = rel if len(documents) == 1 else f"{rel}#item-{n}"
            found.append((gold[key]["kind"], key, document))
    for path in iter_files([CASES]):
        found.extend(("case", path.name, d) for d in read_path(path) if isinstance(d, Document))
    return found


def test_recall_on_our_corpora(gate: RelevanceGate) -> None:
    documents = corpus()
    relevant = [(key, d) for kind, key, d in documents if kind != "noise"]
    missed = [(key, gate(d).reason) for key, d in relevant if not gate(d).relevant]
    recall = 1 - len(missed) / len(relevant)
    noise = [d for kind, _, d in documents if kind == "noise"]
    dropped = sum(not gate(d).relevant for d in noise)
    print(f"gate recall {recall:.3f} on {len(relevant)} documents; dropped {dropped}/{len(noise)}")
    assert len(relevant) >= 90, "the corpora shrank: the recall figure means less"
    assert recall >= RECALL_FLOOR, missed


def test_every_report_and_context_document_is_kept(gate: RelevanceGate) -> None:
    kinds = {"report": 0, "context": 0}
    for kind, key, document in corpus():
        if kind in kinds:
            assert gate(document).relevant, key
            kinds[kind] += 1
    assert kinds["report"] >= 40 and kinds["context"] >= 8


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_news_is_dropped_with_a_reason(gate: RelevanceGate, text: str) -> None:
    verdict = gate.check(text)
    assert not verdict.relevant
    assert verdict.reason in (NO_CUE, NO_NAME)


def test_an_attack_in_inflected_words_passes(gate: RelevanceGate) -> None:
    verdict = gate.check("Three rockets struck Ain al-Asad air base late on Sunday.")
    assert verdict.relevant
    assert "ain-al-asad" in verdict.names
    assert {"rocket", "strike"} <= set(verdict.cues)


def test_a_statement_or_judgment_about_a_group_passes(gate: RelevanceGate) -> None:
    statement = gate.check("Kataib Hezbollah said in a statement that foreign troops must go.")
    judgment = gate.check("Asaib Ahl al-Haq is likely to stay out of the vote.")
    assert statement.relevant and "statement" in statement.cues
    assert judgment.relevant and "likely" in judgment.cues


def test_a_context_alias_alone_is_not_a_name(gate: RelevanceGate) -> None:
    verdict = gate.check("Washington said it would strike back at anyone who attacked it.")
    assert not verdict.relevant
    assert verdict.reason == NO_NAME


def test_a_cue_counts_only_in_a_sentence_with_a_name(gate: RelevanceGate) -> None:
    verdict = gate.check("Baghdad hosted a trade fair. In sport, the home side's attack shone.")
    assert not verdict.relevant
    assert verdict.reason == "no cue in a sentence with a name"
    assert gate.check("Lt. Gen. Smith said U.S. jets struck Kataib Hezbollah.").relevant


def test_months_are_not_protest_cues(gate: RelevanceGate) -> None:
    assert gate.check("Basra, March 3: the port reopened.").reason.startswith(NO_CUE)


def test_the_name_filter_never_rejects_a_text_with_a_name(gate: RelevanceGate) -> None:
    """The cheap word test must be a necessary condition for the knowledge ruler's match."""
    names = gate._names
    assert names is not None
    for _, key, document in corpus():
        if gate.names_at(document.text):
            assert names.might_match(text_words(document.text)), key


def test_names_come_from_the_knowledge_files(tmp_path: Path) -> None:
    text = "Rockets hit an outpost of the Qarawi Lions near the river."
    assert not build_gate().check(text).relevant
    user = tmp_path / "desk.yaml"
    user.write_text(
        "actors:\n  - id: qarawi-lions\n    name: Qarawi Lions\n    kind: militia\n",
        encoding="utf-8",
    )
    verdict = build_gate(knowledge=[user]).check(text)
    assert verdict.relevant and verdict.names == ("qarawi-lions",)


def test_inflections() -> None:
    assert {"attacks", "attacked", "attacking"} <= inflections("attack")
    assert {"injured", "injuring"} <= inflections("injure")
    assert {"kidnapped", "kidnapping"} <= inflections("kidnap")
    assert {"casualties"} <= inflections("casualty")
    assert inflections("107mm") == {"107mm"}


def test_a_statement_cue_needs_an_actor_not_a_place() -> None:
    patterns = [
        {"label": "PLACE", "id": "basra", "pattern": [{"LOWER": "basra"}]},
        {"label": "ACTOR", "id": "kh", "pattern": [{"LOWER": "kh"}]},
    ]
    gate = RelevanceGate(cues={"statement": ["warn"]}, patterns=patterns)
    assert not gate.check("Doctors in Basra warned that cases would rise.").relevant
    assert gate.check("KH warned that foreign troops must leave.").relevant
