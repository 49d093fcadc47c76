"""What one running server holds: the store, the settings, and what loads on first use.

The knowledge base, the indicators and the spaCy extractor load once per app, lazily:
the extractor (seconds to load) only when the first document is uploaded. Analyses
are cached until the store changes (`queries.fingerprint`).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from watchfloor.analyse.indicators import Indicator, load_indicators
from watchfloor.config import Settings
from watchfloor.ingest import Skipped, read_path
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.pipeline import ExtractFn, IngestSummary, add_document
from watchfloor.serve import queries
from watchfloor.serve.security import DEFAULT_MAX_UPLOAD_BYTES
from watchfloor.store import Store

T = TypeVar("T")
UPLOAD_PREFIX = "upload:"
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
CACHE_SIZE = 32


def safe_filename(name: str | None) -> str:
    """An uploaded file's name reduced to its last part and safe characters.

    >>> safe_filename("../../etc/re port<script>.html")
    're_port_script_.html'
    >>> safe_filename(None)
    'upload.txt'
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = SAFE_NAME.sub("_", base).strip("._")[:120]
    return cleaned or "upload.txt"


@dataclass
class ServeState:
    """The store and settings of one app, with the knowledge base and extractor on demand."""

    store: Store
    settings: Settings
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    extractor: ExtractFn | None = None
    _kb: KnowledgeBase | None = None
    _indicators: list[Indicator] | None = None
    _load_lock: threading.Lock = field(default_factory=threading.Lock)
    _ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read connection to the store."""
        with self.store.engine.connect() as connection:
            yield connection

    def kb(self) -> KnowledgeBase:
        """The knowledge base (shipped files and the user's), loaded once."""
        with self._load_lock:
            if self._kb is None:
                self._kb = load_knowledge(self.settings.knowledge)
            return self._kb

    def indicators(self) -> list[Indicator]:
        """The shipped indicators, loaded once."""
        with self._load_lock:
            if self._indicators is None:
                self._indicators = load_indicators()
            return self._indicators

    def get_extractor(self) -> ExtractFn:
        """The extractor, built on first use (it loads the spaCy model)."""
        with self._load_lock:
            if self.extractor is None:
                from watchfloor.extract import build_extractor

                self.extractor = build_extractor(
                    model=self.settings.spacy_model, knowledge=self.settings.knowledge
                )
            return self.extractor

    def cached(
        self,
        key: tuple[Any, ...],
        compute: Callable[[], T],
        *,
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """The value computed for key while the store is unchanged (if `keep` lets it be)."""
        with self.connect() as connection:
            full = (*key, queries.fingerprint(connection))
        if full in self._cache:
            found: T = self._cache[full]
            return found
        value = compute()
        if keep is not None and not keep(value):
            return value
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[full] = value
        return value

    def ingest_upload(
        self, filename: str | None, data: bytes, *, published: dt.date | None = None
    ) -> IngestSummary:
        """Ingest one uploaded file as `watchfloor ingest` does a file: read, extract, store,
        then fuse the events anew.
        """
        name = safe_filename(filename)
        extractor = self.get_extractor()
        summary = IngestSummary()
        with self._ingest_lock, tempfile.TemporaryDirectory(prefix="watchfloor-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            for item in read_path(path, published=published, max_bytes=self.max_upload_bytes):
                if isinstance(item, Skipped):
                    summary.skipped.append(Skipped(UPLOAD_PREFIX + name, item.reason, item.detail))
                    continue
                document = item.model_copy(update={"source": UPLOAD_PREFIX + name})
                add_document(document, store=self.store, extractor=extractor, summary=summary)
            if summary.added or not self.store.fusion_is_current():
                self.store.refuse(radius_km=self.settings.fusion_radius_km)
        return summary
