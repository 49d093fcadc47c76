"""Event fusion over the demo corpus, ingested in several orders, scored against GOLD.yaml.

Pairs are scored per attack: a fused event is matched to the gold attack of its type
within a day of its date that most of its documents report; a pair of its documents is
right when both report (or allude to) that attack. Recall counts the gold pairs (two
documents reporting one attack) that some fused event holds. The bar: P and R >= 0.95
in every order, and the attacks fuse to exactly the 16 gold attacks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from watchfloor.extract import build_extractor
from watchfloor.ingest import Skipped, ingest
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Document, Extraction
from watchfloor.pipeline import IngestSummary, add_document
from watchfloor.resolve.fusion import Correction, FusedEvent, distance_km
from watchfloor.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"
SEEDS = (1, 2, 3, 4, 5)
Pair = frozenset[str]

pytestmark = pytest.mark.model


@dataclass
class Corpus:
    """The corpus read once: documents, their extractions, and the gold."""

    documents: list[Document]
    extractions: dict[str, Extraction]
    gold: dict[str, Any]

    def path(self, document_id: str) -> str:
        source = next(d.source for d in self.documents if d.document_id == document_id)
        return Path(source).resolve().relative_to(CORPUS).as_posix()

    def extract(self, document: Document) -> Extraction:
        return self.extractions[document.document_id]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    extractor = build_extractor()
    items = ingest([CORPUS], exclude=["README.md"])
    documents = [d for d in items if not isinstance(d, Skipped)]
    extractions = {d.document_id: extractor(d) for d in documents}
    gold = yaml.safe_load((CORPUS / "GOLD.yaml").read_text(encoding="utf-8"))
    return Corpus(documents, extractions, gold)


def ingest_in_order(corpus: Corpus, documents: list[Document], store: Store) -> None:
    """Add documents one by one, fusing after each (as each ingest run does)."""
    for document in documents:
        add_document(document, store=store, extractor=corpus.extract, summary=IngestSummary())
        store.refuse()


def shuffled(corpus: Corpus, seed: int) -> list[Document]:
    documents = list(corpus.documents)
    random.Random(seed).shuffle(documents)
    return documents


@pytest.fixture(scope="module")
def runs(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[FusedEvent]]:
    """The fused events after ingesting the corpus in each seeded order."""
    found = {}
    for seed in SEEDS:
        path = tmp_path_factory.mktemp(f"order{seed}") / "desk.db"
        with Store.open(str(path)) as store:
            ingest_in_order(corpus, shuffled(corpus, seed), store)
            found[seed] = store.fused_events()
    return found


def pairs(documents: Iterator[str] | list[str] | set[str]) -> set[Pair]:
    return {frozenset(p) for p in itertools.combinations(sorted(set(documents)), 2)}


@dataclass
class Score:
    precision: float
    recall: float
    matched: set[str]
    extra: int
    wrong: list[Pair]


def known_documents(gold: dict[str, Any], attack: str) -> set[str]:
    """The documents that report an attack or allude to it."""
    documents = gold["documents"]
    mentions = {d for d, v in documents.items() if attack in (v.get("mentions") or [])}
    reports = next(a["reports"] for a in gold["attacks"] if a["id"] == attack)
    return set(reports) | mentions


def match(fused: FusedEvent, documents: set[str], gold: dict[str, Any]) -> str | None:
    """The gold attack a fused event stands for: a day either way, same type, most reports."""
    start, end = fused.event.date, fused.event.date_end or fused.event.date
    kind = fused.event.sub_event_type.casefold()
    best: tuple[bool, int, int, str] | None = None
    for attack in gold["attacks"]:
        a_start, a_end = attack["date"], attack.get("date_end") or attack["date"]
        if max(start, a_start) - min(end, a_end) > dt.timedelta(days=1):
            continue
        reports = len(documents & set(attack["reports"]))
        known = len(documents & known_documents(gold, attack["id"]))
        key = (kind in (attack["sub_event_type"], "attack"), reports, known, attack["id"])
        if reports and (best is None or key[:3] > best[:3]):
            best = key
    return best[3] if best else None


def score(corpus: Corpus, fused_events: list[FusedEvent]) -> Score:
    gold = corpus.gold
    expected = set().union(*(pairs(a["reports"]) for a in gold["attacks"]))
    right: set[Pair] = set()
    wrong: list[Pair] = []
    matched: set[str] = set()
    extra = 0
    for fused in fused_events:
        documents = {corpus.path(d) for d in fused.document_ids}
        attack = match(fused, documents, gold)
        if attack is None:
            extra += 1
            wrong.extend(pairs(documents))
            continue
        matched.add(attack)
        known = known_documents(gold, attack)
        for pair in pairs(documents):
            if pair <= known:
                right.add(pair)
            else:
                wrong.append(pair)
    predicted = len(right) + len(wrong)
    precision = len(right) / predicted if predicted else 1.0
    return Score(precision, len(right & expected) / len(expected), matched, extra, wrong)


def test_every_order_gives_the_same_fused_events(runs: dict[int, list[FusedEvent]]) -> None:
    first = runs[SEEDS[0]]
    assert first
    for seed in SEEDS[1:]:
        assert runs[seed] == first, f"order {seed} differs from order {SEEDS[0]}"


def test_ingesting_twice_changes_nothing(
    corpus: Corpus, runs: dict[int, list[FusedEvent]], tmp_path: Path
) -> None:
    with Store.open(str(tmp_path / "twice.db")) as store:
        ingest_in_order(corpus, shuffled(corpus, 9) * 2, store)
        assert store.fused_events() == runs[SEEDS[0]]


def test_pairwise_precision(
    corpus: Corpus, runs: dict[int, list[FusedEvent]], capsys: pytest.CaptureFixture[str]
) -> None:
    for seed, fused_events in runs.items():
        found = score(corpus, fused_events)
        with capsys.disabled():
            print(
                f"\norder {seed}: P {found.precision:.3f} R {found.recall:.3f} "
                f"fused {len(fused_events)} attacks matched {len(found.matched)}/16 "
                f"unmatched fused events {found.extra}"
            )
        assert found.precision >= 0.95, found.wrong


VIOLENT = (
    "Political violence",
    "Political violence; Demonstrations",
)


def attack_events(fused_events: list[FusedEvent]) -> list[FusedEvent]:
    """The fused events that are attacks (political violence), not protests or agreements."""
    return [f for f in fused_events if (f.event.disorder_type or "Political violence") in VIOLENT]


def also_hit(gold: dict[str, Any], attack: str) -> str | None:
    entry = next(a for a in gold["attacks"] if a["id"] == attack)
    return (entry.get("also_hit") or {}).get("place_id")


def at_place(fused: FusedEvent, place_id: str | None) -> bool:
    """The fused event lies at (or within 25 km of) the named place."""
    if place_id is None or fused.event.place is None:
        return False
    km = distance_km(fused.event.place, load_knowledge().place(place_id))
    return fused.event.place.place_id == place_id or (km is not None and km <= 25)


def test_fusion_meets_the_bar(corpus: Corpus, runs: dict[int, list[FusedEvent]]) -> None:
    """Pairwise precision and recall >= 0.95, and the attacks fuse to exactly the gold attacks.

    One salvo struck two places (GOLD.yaml `also_hit`): a second event at that place
    is right and is not counted as another attack.
    """
    for seed, fused_events in runs.items():
        found = score(corpus, fused_events)
        assert found.precision >= 0.95, (seed, found.wrong)
        assert found.recall >= 0.95, seed
        per_attack: dict[str | None, list[FusedEvent]] = {}
        for fused in attack_events(fused_events):
            documents = {corpus.path(d) for d in fused.document_ids}
            per_attack.setdefault(match(fused, documents, corpus.gold), []).append(fused)
        assert None not in per_attack, [f.event for f in per_attack[None]]
        assert len(per_attack) == len(corpus.gold["attacks"])
        for attack, events in per_attack.items():
            second = also_hit(corpus.gold, str(attack))
            allowed = 1 + any(at_place(f, second) for f in events)
            assert len(events) <= allowed, (attack, [f.event for f in events])


def test_merge_and_split_survive_a_re_ingest(corpus: Corpus, tmp_path: Path) -> None:
    documents = shuffled(corpus, 11)
    half = len(documents) // 2
    with Store.open(str(tmp_path / "corrected.db")) as store:
        ingest_in_order(corpus, documents[:half], store)
        biggest = max(store.fused_events(), key=lambda f: (len(f.member_ids), f.id))
        pulled = biggest.member_ids[0]
        store.add_correction(Correction(kind="split", groups=[[pulled], biggest.member_ids[1:]]))
        lone = [f for f in store.refuse() if len(f.member_ids) == 1 and pulled not in f.member_ids]
        assert len(lone) >= 2
        pair = sorted([lone[0].member_ids[0], lone[-1].member_ids[0]])
        store.add_correction(Correction(kind="merge", groups=[pair]))
        store.refuse()
        ingest_in_order(corpus, documents, store)
        for fused in store.fused_events():
            members = set(fused.member_ids)
            assert not (pulled in members and members & set(biggest.member_ids[1:]))
            assert (pair[0] in members) == (pair[1] in members)
