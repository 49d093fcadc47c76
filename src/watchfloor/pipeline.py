"""The only orchestrator: ingest → gate → extract → resolve → store, one document at a time.

Each document is stored in one transaction with everything extracted from it, so a
failure leaves nothing half-written; a failing stage is reported with its name.

Two options make it fit a news stream:

- a relevance **gate** (`watchfloor.extract.gate`) sends on to extraction only the
  documents that can hold a record; the others are stored without extraction (so a
  second ingest skips them too) and counted in `IngestSummary.gated` with the reason;
- a **pool** of workers (`watchfloor.scale`: local processes or a Dask cluster) gates
  and extracts batches of documents in parallel, while this process reads the files
  and is the one writer: it stores the results in the order the files were read.

An ingest that is interrupted resumes where it stopped: stored documents are
recognised by their content hash and skipped, the rest are read again.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from watchfloor.errors import ExtractError, StageFailed, StoreError, WatchfloorError
from watchfloor.ingest import Skipped, read_path
from watchfloor.ingest.files import iter_files
from watchfloor.model import Document, Extraction
from watchfloor.resolve.fusion import DEFAULT_RADIUS_KM
from watchfloor.store import Store, schema

if TYPE_CHECKING:
    from watchfloor.extract.gate import Verdict

DEFAULT_BATCH = 32
READ_AHEAD = 16  # with a gate here, a batch reads at most this many times its size


class ExtractFn(Protocol):
    """Anything that turns a Document into an Extraction (the extract stage)."""

    def __call__(self, document: Document) -> Extraction: ...


class GateFn(Protocol):
    """Anything that says whether a Document is worth extracting (the relevance gate)."""

    def __call__(self, document: Document) -> Verdict: ...


@dataclass(frozen=True)
class Outcome:
    """What gating and extraction made of one document: an extraction, a gate's no, or an error."""

    document_id: str
    extraction: Extraction | None = None
    gated: str | None = None
    error: str | None = None


class PendingBatch(Protocol):
    """A batch handed to a pool: `result()` waits for its outcomes, in the batch's order."""

    def result(self) -> list[Outcome]: ...


class ExtractionPool(Protocol):
    """Workers that gate and extract batches of documents (see `watchfloor.scale`)."""

    def submit(self, documents: Sequence[Document]) -> PendingBatch: ...

    @property
    def size(self) -> int: ...


@dataclass
class IngestSummary:
    """What one ingest run did: documents added, duplicates, gated, skips and failures.

    A document the gate set aside is added (stored, without extraction) and also
    listed in `gated` as (source, reason).
    """

    added: list[Document] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[StageFailed] = field(default_factory=list)
    gated: list[tuple[str, str]] = field(default_factory=list)
    events: int = 0

    @property
    def clean(self) -> bool:
        """True when nothing was skipped and nothing failed (the gate's choices are not faults)."""
        return not self.skipped and not self.failed

    @property
    def extracted(self) -> int:
        """How many added documents the gate let through (all of them without a gate)."""
        return len(self.added) - len(self.gated)


Progress = Callable[[str], None]


def run(
    paths: Iterable[Path],
    *,
    store: Store,
    extractor: ExtractFn | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    published: dt.date | None = None,
    max_bytes: int = 20_000_000,
    progress: Progress | None = None,
    fusion_radius_km: float = DEFAULT_RADIUS_KM,
    gate: GateFn | None = None,
    pool: ExtractionPool | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> IngestSummary:
    """Ingest files and folders into the store, extracting each new document, then fuse
    the stored events into one event per real-world event (`Store.refuse`).

    With `gate`, documents it finds irrelevant are stored without extraction. With
    `pool`, its workers extract (they hold their own extractor; `extractor` is then
    unused) and this process writes; `gate` then runs here, so that only the
    documents worth extracting travel to the workers.

    >>> run([Path("reports/")], store=store, extractor=extractor, gate=gate)  # doctest: +SKIP
    """
    summary = IngestSummary()
    files = iter_files(paths, include=include, exclude=exclude)
    read = ((path, read_path(path, published=published, max_bytes=max_bytes)) for path in files)
    if pool is None:
        for path, items in read:
            for item in items:
                if isinstance(item, Skipped):
                    summary.skipped.append(item)
                else:
                    add_document(item, store=store, extractor=extractor, summary=summary, gate=gate)
            if progress is not None:
                progress(str(path))
    else:
        writer = _Writer(store=store, pool=pool, summary=summary, progress=progress, gate=gate)
        writer.run(read, batch_size=batch_size)
    if summary.added or not store.fusion_is_current():
        store.refuse(radius_km=fusion_radius_km)
    return summary


def add_document(
    document: Document,
    *,
    store: Store,
    extractor: ExtractFn | None,
    summary: IngestSummary,
    gate: GateFn | None = None,
) -> None:
    """Gate, extract and store one document, recording the outcome in `summary`.

    The gate runs first: it costs less than asking the database whether the document
    is stored, and a document it sets aside is saved as it is (or found a duplicate).
    """
    if gate is not None and extractor is not None:
        verdict = gate(document)
        if not verdict.relevant:
            outcome = Outcome(document.document_id, gated=verdict.reason)
            record_outcome(document, outcome, store=store, summary=summary)
            return
    if store.find_document(document.content_hash) is not None:
        summary.duplicates.append(document.source)
        return
    outcome = process_document(document, extractor=extractor)
    record_outcome(document, outcome, store=store, summary=summary)


def process_document(
    document: Document, *, extractor: ExtractFn | None, gate: GateFn | None = None
) -> Outcome:
    """Gate and extract one document (a worker's job); a failure is returned, not raised.

    >>> process_document(document, extractor=None).extraction is None  # doctest: +SKIP
    True
    """
    if extractor is None:
        return Outcome(document.document_id)
    if gate is not None:
        verdict = gate(document)
        if not verdict.relevant:
            return Outcome(document.document_id, gated=verdict.reason)
    try:
        extraction = extractor(document)
    except (WatchfloorError, ValueError, RuntimeError) as e:
        return Outcome(document.document_id, error=str(e) or type(e).__name__)
    return Outcome(document.document_id, extraction=extraction)


def record_outcome(
    document: Document, outcome: Outcome, *, store: Store, summary: IngestSummary
) -> None:
    """Store a document with its outcome (nothing for an extraction error) and count it."""
    if outcome.error is not None:
        summary.failed.append(StageFailed("extract", document.source, ExtractError(outcome.error)))
        return
    try:
        added = store.save(document, outcome.extraction)
    except WatchfloorError as e:
        summary.failed.append(StageFailed("store", document.source, e))
        return
    if not added:
        summary.duplicates.append(document.source)
        return
    summary.added.append(document)
    if outcome.gated is not None:
        summary.gated.append((document.source, outcome.gated))
    summary.events += len(outcome.extraction.events) if outcome.extraction else 0


def stored_hashes(store: Store, hashes: Sequence[str]) -> set[str]:
    """The content hashes among these that the store holds, in one query.

    >>> stored_hashes(store, [document.content_hash])  # doctest: +SKIP
    set()
    """
    if not hashes:
        return set()
    column = schema.documents.c.content_hash
    try:
        with store.engine.connect() as connection:
            found = connection.execute(sa.select(column).where(column.in_(list(hashes))))
            return {str(row[0]) for row in found}
    except SQLAlchemyError as e:
        raise StoreError(f"could not look up stored documents: {e}") from e


@dataclass
class _Batch:
    """Documents read together, and the files whose last document is among them.

    `local` holds the outcome decided here (set aside by the gate) by position; the
    others go to the pool, and their outcomes fill the gaps in order.
    """

    documents: list[Document] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    local: list[Outcome | None] = field(default_factory=list)

    @property
    def to_send(self) -> int:
        """How many of its documents are for the pool to extract."""
        return sum(1 for o in self.local if o is None)

    def merged(self, outcomes: Sequence[Outcome]) -> list[Outcome]:
        """Every document's outcome in reading order: the pool's fill the undecided places."""
        sent = iter(outcomes)
        return [o if o is not None else next(sent) for o in self.local]


class _Ready:
    """A batch with nothing to send to the pool: its outcomes are already known."""

    def result(self) -> list[Outcome]:
        return []


@dataclass
class _Writer:
    """Feeds batches to a pool, a few at a time, and stores their outcomes in reading order."""

    store: Store
    pool: ExtractionPool
    summary: IngestSummary
    progress: Progress | None
    gate: GateFn | None = None
    pending: deque[tuple[_Batch, PendingBatch]] = field(default_factory=deque)
    seen: set[str] = field(default_factory=set)

    def run(
        self, read: Iterator[tuple[Path, Iterable[Document | Skipped]]], *, batch_size: int
    ) -> None:
        """Read everything, keeping at most two batches per worker in flight."""
        batch = _Batch()
        for path, items in read:
            for item in items:
                self._take(item, batch)
            batch.paths.append(str(path))
            if batch.to_send >= batch_size or len(batch.documents) >= READ_AHEAD * batch_size:
                self._submit(batch)
                batch = _Batch()
                while len(self.pending) > 2 * max(self.pool.size, 1):
                    self._write_oldest()
        self._submit(batch)
        while self.pending:
            self._write_oldest()

    def _take(self, item: Document | Skipped, batch: _Batch) -> None:
        if isinstance(item, Skipped):
            self.summary.skipped.append(item)
        elif item.content_hash in self.seen:
            self.summary.duplicates.append(item.source)
        else:
            self.seen.add(item.content_hash)
            batch.documents.append(item)
            batch.local.append(self._verdict(item))

    def _submit(self, batch: _Batch) -> None:
        stored = stored_hashes(self.store, [d.content_hash for d in batch.documents])
        if stored:  # stored before: by an earlier, perhaps interrupted, ingest
            self.summary.duplicates.extend(
                d.source for d in batch.documents if d.content_hash in stored
            )
            kept = [
                (d, o)
                for d, o in zip(batch.documents, batch.local, strict=True)
                if d.content_hash not in stored
            ]
            batch.documents, batch.local = [d for d, _ in kept], [o for _, o in kept]
        if batch.documents:
            send = [d for d, o in zip(batch.documents, batch.local, strict=True) if o is None]
            ready: PendingBatch = self.pool.submit(send) if send else _Ready()
            self.pending.append((batch, ready))
        elif batch.paths and self.pending:  # nothing to extract: report with the batch ahead
            self.pending[-1][0].paths.extend(batch.paths)
        elif batch.paths:
            self._report(batch.paths)

    def _write_oldest(self) -> None:
        batch, pending = self.pending.popleft()
        try:
            outcomes = pending.result()
        except Exception as e:  # a worker died or the cluster went away: stop, rerun resumes
            source = f"a batch of {len(batch.documents)} documents from {batch.documents[0].source}"
            raise StageFailed("extract", source, e) from e
        for document, outcome in zip(batch.documents, batch.merged(outcomes), strict=True):
            record_outcome(document, outcome, store=self.store, summary=self.summary)
        self._report(batch.paths)

    def _verdict(self, document: Document) -> Outcome | None:
        """Set aside here by the gate (an outcome), or None: for the workers to extract."""
        if self.gate is None:
            return None
        verdict = self.gate(document)
        return None if verdict.relevant else Outcome(document.document_id, gated=verdict.reason)

    def _report(self, paths: Iterable[str]) -> None:
        if self.progress is not None:
            for path in paths:
                self.progress(path)
