"""Gated, pooled and clustered ingests store what the plain single-process ingest stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.scale.conftest import snapshot
from watchfloor import pipeline
from watchfloor.errors import StageFailed
from watchfloor.extract import Extractor
from watchfloor.extract.gate import RelevanceGate
from watchfloor.model import Document
from watchfloor.pipeline import Outcome, process_document
from watchfloor.scale.cluster import DaskPool
from watchfloor.scale.workers import ExtractorSpec, ProcessPool
from watchfloor.store import Store

PUBLISHED = dt.date(2020, 6, 1)

pytestmark = pytest.mark.model


def ingest(url: str, folder: Path, **options: Any) -> pipeline.IngestSummary:
    """Ingest the folder into the database at `url`."""
    with Store.open(url) as store:
        return pipeline.run([folder], store=store, published=PUBLISHED, **options)


@pytest.fixture(scope="module")
def dask_pool() -> Iterator[DaskPool]:
    """A LocalCluster of two worker processes, one thread each, for the module."""
    with DaskPool(ExtractorSpec(), address="local", workers=2) as pool:
        yield pool


@pytest.fixture(scope="module")
def process_pool() -> Iterator[ProcessPool]:
    """One local worker process (two would double the model loading, not the coverage)."""
    with ProcessPool(ExtractorSpec(), workers=1) as pool:
        yield pool


def test_the_gate_stores_set_aside_documents_unextracted(
    mixed_corpus: Path, extractor: Extractor, gate: RelevanceGate, tmp_path: Path
) -> None:
    url = str(tmp_path / "gated.db")
    summary = ingest(url, mixed_corpus, extractor=extractor, gate=gate)
    assert len(summary.added) == 9 and summary.clean
    assert sorted(Path(source).name for source, _ in summary.gated) == [
        "markets.md",
        "sports.txt",
        "weather.txt",
    ]
    assert all(reason for _, reason in summary.gated)
    assert summary.extracted == 6 and summary.events > 0
    with Store.open(url) as store:
        set_aside = {d.document_id for d in store.documents() if d.source.endswith("sports.txt")}
        assert not [m for m in store.mentions() if m.span.document_id in set_aside]
    again = ingest(url, mixed_corpus, extractor=extractor, gate=gate)
    assert not again.added and len(again.duplicates) == 9


def test_a_pool_of_processes_stores_what_one_process_stores(
    mixed_corpus: Path,
    extractor: Extractor,
    gate: RelevanceGate,
    process_pool: ProcessPool,
    tmp_path: Path,
) -> None:
    single, pooled = str(tmp_path / "single.db"), str(tmp_path / "pooled.db")
    ingest(single, mixed_corpus, extractor=extractor, gate=gate)
    summary = ingest(pooled, mixed_corpus, pool=process_pool, batch_size=2)
    assert len(summary.gated) == 3 and summary.extracted == 6
    assert snapshot(pooled) == snapshot(single)
    # the gate run here, so that only the documents worth extracting travel to the workers
    here = str(tmp_path / "gated-here.db")
    summary = ingest(here, mixed_corpus, pool=process_pool, gate=gate, batch_size=2)
    assert len(summary.gated) == 3 and summary.extracted == 6
    assert snapshot(here) == snapshot(single)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_local_cluster_stores_what_one_process_stores(
    backend: str,
    mixed_corpus: Path,
    extractor: Extractor,
    gate: RelevanceGate,
    dask_pool: DaskPool,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    if backend == "sqlite":
        single, clustered = str(tmp_path / "single.db"), str(tmp_path / "cluster.db")
    else:
        single, clustered = request.getfixturevalue("pg_urls")
    ingest(single, mixed_corpus, extractor=extractor, gate=gate)
    summary = ingest(clustered, mixed_corpus, pool=dask_pool, batch_size=2)
    assert summary.clean and len(summary.added) == 9
    expected, found = snapshot(single), snapshot(clustered)
    assert found["events"], "the comparison needs events"
    assert found == expected


class InlinePool:
    """A pool in this process whose batch number `fail_at` fails, as a dying worker would."""

    size = 1

    def __init__(self, extractor: Extractor, gate: RelevanceGate, *, fail_at: int = -1) -> None:
        self.extractor, self.gate, self.fail_at, self.batches = extractor, gate, fail_at, 0

    def submit(self, documents: Sequence[Document]) -> _Done:
        self.batches += 1
        if self.batches == self.fail_at:
            return _Done(None)
        return _Done(
            [process_document(d, extractor=self.extractor, gate=self.gate) for d in documents]
        )


class _Done:
    def __init__(self, outcomes: list[Outcome] | None) -> None:
        self.outcomes = outcomes

    def result(self) -> list[Outcome]:
        if self.outcomes is None:
            raise RuntimeError("worker lost")
        return self.outcomes


def test_an_interrupted_pooled_ingest_resumes_without_gap_or_duplicate(
    mixed_corpus: Path, extractor: Extractor, gate: RelevanceGate, tmp_path: Path
) -> None:
    clean, broken = str(tmp_path / "clean.db"), str(tmp_path / "broken.db")
    ingest(clean, mixed_corpus, extractor=extractor, gate=gate)
    with pytest.raises(StageFailed, match="worker lost"):
        ingest(broken, mixed_corpus, pool=InlinePool(extractor, gate, fail_at=3), batch_size=2)
    with Store.open(broken) as store:
        assert 0 < store.counts()["documents"] < 9
    resumed = ingest(broken, mixed_corpus, pool=InlinePool(extractor, gate), batch_size=2)
    assert resumed.duplicates and resumed.added
    assert snapshot(broken) == snapshot(clean)
