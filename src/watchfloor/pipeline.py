"""The only orchestrator: ingest → extract → resolve → store, one document at a time.

Each document is stored in one transaction with everything extracted from it, so a
failure leaves nothing half-written; a failing stage is reported with its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from watchfloor.errors import StageFailed, WatchfloorError
from watchfloor.ingest import Skipped, read_path
from watchfloor.ingest.files import iter_files
from watchfloor.model import Document, Extraction
from watchfloor.resolve.fusion import DEFAULT_RADIUS_KM
from watchfloor.store import Store


class ExtractFn(Protocol):
    """Anything that turns a Document into an Extraction (the extract stage)."""

    def __call__(self, document: Document) -> Extraction: ...


@dataclass
class IngestSummary:
    """What one ingest run did: documents added, duplicates, skips and failures."""

    added: list[Document] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[StageFailed] = field(default_factory=list)
    events: int = 0

    @property
    def clean(self) -> bool:
        """True when nothing was skipped and nothing failed."""
        return not self.skipped and not self.failed


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
) -> IngestSummary:
    """Ingest files and folders into the store, extracting each new document, then fuse
    the stored events into one event per real-world event (`Store.refuse`).
    """
    summary = IngestSummary()
    for path in iter_files(paths, include=include, exclude=exclude):
        for item in read_path(path, published=published, max_bytes=max_bytes):
            if isinstance(item, Skipped):
                summary.skipped.append(item)
            else:
                add_document(item, store=store, extractor=extractor, summary=summary)
        if progress is not None:
            progress(str(path))
    if summary.added or not store.fusion_is_current():
        store.refuse(radius_km=fusion_radius_km)
    return summary


def add_document(
    document: Document,
    *,
    store: Store,
    extractor: ExtractFn | None,
    summary: IngestSummary,
) -> None:
    """Extract and store one document, recording the outcome in `summary`."""
    if store.find_document(document.content_hash) is not None:
        summary.duplicates.append(document.source)
        return
    extraction = None
    if extractor is not None:
        try:
            extraction = extractor(document)
        except (WatchfloorError, ValueError, RuntimeError) as e:
            summary.failed.append(StageFailed("extract", document.source, e))
            return
    try:
        added = store.save(document, extraction)
    except WatchfloorError as e:
        summary.failed.append(StageFailed("store", document.source, e))
        return
    if added:
        summary.added.append(document)
        summary.events += len(extraction.events) if extraction else 0
    else:
        summary.duplicates.append(document.source)
