"""Extraction scored against the text+gold pairs in tests/cases/ (our own reports)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.extract.conftest import load_document
from watchfloor.evaluate import Score, score
from watchfloor.extract import Extractor
from watchfloor.report.export import bundle
from watchfloor.store import Store

CASES = Path(__file__).resolve().parent.parent / "cases"
GOLDS = sorted(CASES.glob("*.gold.yaml"))
RECALL_FLOOR = 0.85
PRECISION_FLOOR = 0.80


def run_case(gold_path: Path, extractor: Extractor, store: Store) -> tuple[dict[str, Any], Score]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    published = gold.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    document = load_document(CASES / gold["document"], published)
    store.save(document, extractor(document))
    exported = bundle(store, kb=extractor.kb)
    return exported, score(gold, exported)


@pytest.mark.model
def test_corpus_recall_and_precision(extractor: Extractor, tmp_path: Path) -> None:
    total = Score()
    report = []
    for n, gold_path in enumerate(GOLDS):
        with Store.open(str(tmp_path / f"case{n}.db")) as store:
            _, result = run_case(gold_path, extractor, store)
        total = total + result
        report.append(
            f"{gold_path.name}: found {result.found}/{result.required}, "
            f"extra {result.extra}, missed {result.missed}, wrong {result.wrong}"
        )
    summary = (
        f"recall={total.recall:.2f} precision={total.precision:.2f} "
        f"fields={total.field_accuracy:.2f} over {len(GOLDS)} cases"
    )
    print(summary, *report, sep="\n")
    assert len(GOLDS) >= 25
    assert total.recall >= RECALL_FLOOR, summary
    assert total.precision >= PRECISION_FLOOR, summary
