"""The Python API: `watchfloor.open(db)` gives a Desk whose methods return DataFrames.

>>> import watchfloor
>>> desk = watchfloor.open("desk.db")                     # doctest: +SKIP
>>> desk.ingest("reports/", published="2020-04-02")       # doctest: +SKIP
>>> desk.events().groupby("sub_event_type").size()        # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from watchfloor.analyse.narratives import themes_of, weekly_counts
from watchfloor.config import load_settings
from watchfloor.knowledge.statements import load_themes
from watchfloor.pipeline import ExtractFn, IngestSummary, run
from watchfloor.report.export import event_row, statement_row
from watchfloor.store import Store


class Desk:
    """One analyst's database, read as pandas DataFrames."""

    def __init__(self, store: Store, *, extractor: ExtractFn | None = None) -> None:
        self.store = store
        self._extractor = extractor

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self.store.close()

    def ingest(
        self, *paths: str | Path, published: str | dt.date | None = None, extract: bool = True
    ) -> IngestSummary:
        """Ingest files or folders, extracting events unless `extract=False`."""
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return run(
            [Path(p) for p in paths],
            store=self.store,
            extractor=self.extractor() if extract else None,
            published=published,
        )

    def extractor(self) -> ExtractFn:
        """The extractor, loaded on first use (it takes a few seconds)."""
        if self._extractor is None:
            from watchfloor.extract import build_extractor

            settings = load_settings()
            self._extractor = build_extractor(
                model=settings.spacy_model, knowledge=settings.knowledge
            )
        return self._extractor

    def documents(self) -> pd.DataFrame:
        """One row per document: id, title, source, published, format."""
        return pd.DataFrame(self.store.document_rows())

    def events(self, **filters: Any) -> pd.DataFrame:
        """One row per event (filters as `Store.events`: since, until, sub_event_type, ...)."""
        rows = [event_row(e) for e in self.store.events(**filters)]
        frame = pd.DataFrame(rows)
        if not frame.empty:
            frame["date"] = pd.to_datetime(frame["date"])
        return frame

    def claims(self) -> pd.DataFrame:
        """One row per claim of responsibility, with its event."""
        rows = [
            {"event_id": e.id, "event_date": e.date, **c.model_dump(exclude={"span"})}
            for e in self.store.events()
            for c in e.claims
        ]
        return pd.DataFrame(rows)

    def attributions(self) -> pd.DataFrame:
        """One row per attribution (who is believed responsible, by whom), with its event."""
        rows = [
            {"event_id": e.id, "event_date": e.date, **a.model_dump(exclude={"span"})}
            for e in self.store.events()
            for a in e.attributions
        ]
        return pd.DataFrame(rows)

    def judgments(self) -> pd.DataFrame:
        """One row per estimative judgment, with its ICD 203 range."""
        return pd.DataFrame([j.model_dump(exclude={"span"}) for j in self.store.judgments()])

    def key_dates(self) -> pd.DataFrame:
        """One row per key date: anniversaries, deadlines, scheduled events."""
        return pd.DataFrame([k.model_dump(exclude={"span"}) for k in self.store.key_dates()])

    def statements(self, *, themes: Path | None = None, **filters: Any) -> pd.DataFrame:
        """One row per statement, with its themes (filters as `Store.statements`: actor_id,
        kind, since, until, document_id; `themes` a file laid over the shipped themes)."""
        chosen = load_themes([themes] if themes else [])
        rows = [
            statement_row(s, themes=themes_of(s, chosen)) for s in self.store.statements(**filters)
        ]
        frame = pd.DataFrame(rows)
        if not frame.empty:
            frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
        return frame

    def narratives(self, *, themes: Path | None = None, **filters: Any) -> pd.DataFrame:
        """Statements per week, theme and actor (filters as `statements`)."""
        chosen = load_themes([themes] if themes else [])
        frame = weekly_counts(self.store.statements(**filters), chosen)
        labels = {t.id: t.label for t in chosen}
        frame.insert(2, "label", frame["theme"].map(labels))
        if not frame.empty:
            frame["week"] = pd.to_datetime(frame["week"])
        return frame

    def mentions(self) -> pd.DataFrame:
        """One row per name found in a document, with what it resolved to."""
        rows = [
            {**m.model_dump(exclude={"span"}), "document_id": m.span.document_id}
            for m in self.store.mentions()
        ]
        return pd.DataFrame(rows)


def open_desk(db: str | None = None) -> Desk:
    """Open (creating if needed) the database `db` (a path or URL; default from settings)."""
    settings = load_settings(db=db)
    return Desk(Store.open(settings.db))
