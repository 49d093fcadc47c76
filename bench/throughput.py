"""Ingest throughput: the full pipeline on every document, gated, and gated on a Dask cluster.

    python bench/throughput.py [--docs 20000] [--relevant-share 0.05] [--sample 400]
                               [--workers 2] [--repeat 1] [--seed 7] [--corpus DIR]

Generates a corpus (bench/corpus_gen.py) and ingests it into fresh SQLite files:

  (a) the full pipeline on every document (no gate), on a sample of --sample
      documents drawn with the corpus's share of relevant ones: at about 20
      documents a second, the whole corpus would take many minutes. Its rate is
      extrapolated to the corpus, and the output says so;
  (b) gated, in one process, on the whole corpus;
  (c) gated, on a dask.distributed LocalCluster of --workers processes, this
      process reading and writing, on the whole corpus.

Each time covers reading, gating, extraction, storing and fusion; loading the
model (and starting the cluster) happens before the clock starts, once. With
--repeat N the three modes run N times, interleaved, and each keeps its fastest
run (on a shared machine the others' load only ever slows a run down). Prints
documents per second side by side with their ratios, and the gate's recall and
pass rate on the corpus. Nothing is asserted: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import generate

from watchfloor import pipeline
from watchfloor.extract import build_extractor
from watchfloor.extract.gate import build_gate
from watchfloor.scale.cluster import DaskPool
from watchfloor.scale.workers import ExtractorSpec
from watchfloor.store import Store


@dataclass
class Measure:
    """One mode's run: how many documents, how long, the CPU it took, and what it stored."""

    label: str
    docs: int
    seconds: float
    summary: pipeline.IngestSummary
    cpu_main: float
    cpu_workers: float = 0.0
    note: str = ""

    @property
    def rate(self) -> float:
        """Documents per second."""
        return self.docs / self.seconds


def timed(label: str, paths: list[Path], db: Path, **options: Any) -> Measure:
    """Ingest `paths` into a fresh database with these options, timed (wall and CPU)."""
    pool = options.get("pool")
    with Store.open(str(db)) as store:
        workers = workers_cpu(pool)
        cpu, start = time.process_time(), time.perf_counter()
        summary = pipeline.run(paths, store=store, **options)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        workers = workers_cpu(pool) - workers
    return Measure(label, len(paths), seconds, summary, cpu_main=cpu, cpu_workers=workers)


def workers_cpu(pool: DaskPool | None) -> float:
    """CPU seconds the pool's worker processes have used so far (0 without a pool)."""
    if pool is None:
        return 0.0
    used = pool.client.run(time.process_time)
    return float(sum(used.values()))


def read_truth(corpus: Path) -> dict[str, bool]:
    """File name -> relevant, from the generator's truth.csv."""
    with (corpus / "truth.csv").open(encoding="utf-8") as f:
        return {row["file"]: row["relevant"] == "True" for row in csv.DictReader(f)}


def stratified_sample(truth: dict[str, bool], size: int, seed: int) -> list[str]:
    """`size` file names with the corpus's share of relevant ones, in corpus order."""
    rng = random.Random(seed)
    relevant = sorted(n for n, r in truth.items() if r)
    other = sorted(n for n, r in truth.items() if not r)
    take = round(size * len(relevant) / max(len(truth), 1))
    chosen = rng.sample(relevant, min(take, len(relevant)))
    chosen += rng.sample(other, min(size - len(chosen), len(other)))
    return sorted(chosen)


def gate_figures(summary: pipeline.IngestSummary, truth: dict[str, bool]) -> str:
    """Recall of the gate on the relevant documents, and the share of others it passed."""
    gated = {Path(source).name for source, _ in summary.gated}
    relevant = [n for n, r in truth.items() if r]
    other = [n for n, r in truth.items() if not r]
    kept = sum(1 for n in relevant if n not in gated)
    passed = sum(1 for n in other if n not in gated)
    return (
        f"gate: kept {kept}/{len(relevant)} relevant (recall {kept / max(len(relevant), 1):.3f}); "
        f"passed {passed}/{len(other)} others ({passed / max(len(other), 1):.1%}); "
        f"extracted {summary.extracted} of {len(summary.added)}"
    )


def report(measures: list[Measure], total: int) -> None:
    """The table: docs, seconds, docs/s and the ratio to the mode before."""
    print(f"\n{'mode':<44} {'docs':>7} {'seconds':>9} {'docs/s':>9} {'ratio':>12} {'CPU s':>12}")
    previous: Measure | None = None
    for m in measures:
        ratio = f"{m.rate / previous.rate:6.2f} x prev" if previous else ""
        cpu = f"{m.cpu_main:.1f}" + (f" + {m.cpu_workers:.1f}" if m.cpu_workers else "")
        print(f"{m.label:<44} {m.docs:>7} {m.seconds:>9.1f} {m.rate:>9.1f} {ratio:>12} {cpu:>12}")
        if m.note:
            print(f"{'':<4}{m.note}")
        previous = m
    a, c = measures[0], measures[-1]
    print(f"\n(a) extrapolated to the corpus: {total / a.rate:,.0f} s for {total:,} documents")
    cores = os.cpu_count() or 1
    floor = max(c.cpu_main, (c.cpu_main + c.cpu_workers) / cores)
    print(
        f"CPU s: this process (+ the Dask workers). (c) used {c.cpu_main + c.cpu_workers:.1f} "
        f"CPU s; with this machine's {cores} cores idle it could not take less than "
        f"{floor:.1f} s ({c.docs / floor:.0f} docs/s). Load from other programs slows "
        "(c) most: it needs the cores at once."
    )


def main() -> None:
    """Generate, ingest three ways, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=20_000, help="documents in the corpus")
    parser.add_argument("--relevant-share", type=float, default=0.05, help="share relevant")
    parser.add_argument("--sample", type=int, default=400, help="documents for mode (a)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers for (c)")
    parser.add_argument("--seed", type=int, default=7, help="corpus and sample seed")
    parser.add_argument("--corpus", type=Path, help="use this generated corpus folder")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mode; best kept")
    args = parser.parse_args()
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as tmp:
        work = Path(tmp)
        corpus = args.corpus or work / "corpus"
        if args.corpus is None:
            generate(corpus, docs=args.docs, relevant_share=args.relevant_share, seed=args.seed)
        truth = read_truth(corpus)
        files = [corpus / n for n in sorted(truth)]
        words = sum(len(f.read_text(encoding="utf-8").split()) for f in files) / len(files)
        print(
            f"corpus: {len(files):,} documents in {corpus}, {sum(truth.values())} relevant, "
            f"{words:.0f} words each on average"
        )
        measures = run_modes(args, work, files, truth, print_step=print)
        report(measures, len(files))


def run_modes(
    args: argparse.Namespace,
    work: Path,
    files: list[Path],
    truth: dict[str, bool],
    *,
    print_step: Callable[[str], None],
) -> list[Measure]:
    """Measure (a), (b) and (c), each on a fresh database, --repeat times; keep the fastest."""
    start = time.perf_counter()
    extractor = build_extractor()
    gate = build_gate(extractor.kb)
    print_step(f"loaded the model and the gate in {time.perf_counter() - start:.1f} s")
    chosen = set(stratified_sample(truth, args.sample, args.seed))
    sample = [f for f in files if f.name in chosen]
    start = time.perf_counter()
    best: dict[str, Measure] = {}
    with DaskPool(ExtractorSpec(), address="local", workers=args.workers) as pool:
        started = time.perf_counter() - start
        print_step(f"started a LocalCluster of {args.workers} workers in {started:.1f} s")
        for n in range(args.repeat):
            runs: list[tuple[str, list[Path], dict[str, Any]]] = [
                ("(a) full pipeline, every document, 1 process", sample, {"extractor": extractor}),
                ("(b) gated, 1 process", files, {"extractor": extractor, "gate": gate}),
                (
                    f"(c) gated, Dask LocalCluster, {args.workers} workers",
                    files,
                    {"pool": pool, "gate": gate},
                ),
            ]
            for label, paths, options in runs:
                measure = timed(label, paths, work / f"{label[1]}{n}.db", **options)
                print_step(f"{label}: {measure.rate:.1f} docs/s (run {n + 1})")
                if label not in best or measure.seconds < best[label].seconds:
                    best[label] = measure
    a, b, c = best.values()
    a.note = f"measured on a sample of {len(sample)} documents; docs/s extrapolated"
    b.note = gate_figures(b.summary, truth)
    c.note = (
        f"stored {len(c.summary.added)} documents, {c.summary.events} events "
        f"((b): {len(b.summary.added)}, {b.summary.events})"
    )
    return [a, b, c]


if __name__ == "__main__":
    main()
