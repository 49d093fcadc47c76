"""The Store: one database holding documents and everything extracted from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from watchfloor.errors import StoreError
from watchfloor.model import (
    Actor,
    Document,
    Event,
    Extraction,
    Judgment,
    KeyDate,
    Mention,
    Relation,
    Statement,
)
from watchfloor.resolve.fusion import DEFAULT_RADIUS_KM, Correction, FusedEvent, fuse_events
from watchfloor.store import rows, schema
from watchfloor.store.engine import create_store_engine, ensure_schema, shown_url, writer

E = schema.events.c
F = schema.fused_events.c
M = schema.fusion_members.c


class Store:
    """A watchfloor database: a SQLite file by default, PostgreSQL by URL.

    >>> with Store.open("desk.db") as store:                 # doctest: +SKIP
    ...     store.save(document, extraction)
    True
    """

    def __init__(self, engine: Engine, *, url: str) -> None:
        self.url = url
        self._engine = engine
        self._writer = writer(engine)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Open the database at a path or URL, creating it or upgrading its schema if needed."""
        engine = create_store_engine(url)
        try:
            ensure_schema(engine, url=url, migrate=migrate)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, url=url)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for the analysis stages' own queries."""
        return self._engine

    def close(self) -> None:
        """Close every connection to the database."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({shown_url(self.url)!r})"

    # -- writing --------------------------------------------------------

    def save(self, document: Document, extraction: Extraction | None = None) -> bool:
        """Store a document and its extraction in one transaction; False if already stored.

        On any failure nothing of the document is written, and StoreError is raised.
        """
        _check_owner(document, extraction)
        try:
            with (
                self._failing(f"could not save document {document.document_id}"),
                self._writer.begin() as connection,
            ):
                if _find(connection, document.content_hash) is not None:
                    return False
                row = rows.document_row(document, ingested_at=dt.datetime.now(dt.UTC))
                insert_rows(connection, schema.documents, [row])
                if extraction is not None:
                    _insert_extraction(connection, extraction)
            return True
        except StoreError as e:
            if isinstance(e.__cause__, IntegrityError) and self.find_document(
                document.content_hash
            ):
                return False  # another process stored the same content meanwhile
            raise

    def replace_extraction(self, extraction: Extraction) -> None:
        """Replace a stored document's extracted records (after re-extraction), in one go."""
        document_id = extraction.document_id
        with (
            self._failing(f"could not replace the extraction of {document_id}"),
            self._writer.begin() as connection,
        ):
            found = connection.execute(
                sa.select(schema.documents.c.document_id).where(
                    schema.documents.c.document_id == document_id
                )
            ).first()
            if found is None:
                raise StoreError(f"no document {document_id!r} in the database")
            _delete_extraction(connection, document_id)
            _insert_extraction(connection, extraction)

    def resolve_judgment(
        self, judgment_id: str, outcome: bool, *, at: dt.datetime | None = None
    ) -> None:
        """Record whether a judgment came true, for scoring."""
        table = schema.judgments
        with (
            self._failing(f"could not resolve judgment {judgment_id}"),
            self._writer.begin() as connection,
        ):
            done = connection.execute(
                table.update()
                .where(table.c.id == judgment_id)
                .values(outcome=outcome, resolved_at=at or dt.datetime.now(dt.UTC))
            )
            if done.rowcount == 0:
                raise StoreError(f"no judgment {judgment_id!r} in the database")

    def refuse(self, *, radius_km: float = DEFAULT_RADIUS_KM) -> list[FusedEvent]:
        """Fuse every stored event anew, applying the corrections, and store the result.

        Fusion is deterministic and order-independent, so refusing after each ingest
        (as `pipeline.run` does) gives the same fused events as refusing once at the end.
        """
        with self._failing("could not fuse the events"), self._writer.begin() as connection:
            events = [rows.event_from_row(r) for r in _rows(connection, _all_events())]
            fused = fuse_events(
                events,
                corrections=_read_corrections(connection),
                published=_published(connection),
                radius_km=radius_km,
            )
            _replace_fusion(connection, fused)
        return fused

    def save_fusion(self, fused: Sequence[FusedEvent]) -> None:
        """Replace the stored fused events and their members with these, in one go."""
        with self._failing("could not save the fused events"), self._writer.begin() as connection:
            _replace_fusion(connection, fused)

    def add_correction(self, correction: Correction, *, at: dt.datetime | None = None) -> int:
        """Record an analyst's merge or split (applied by the next `refuse`); its row id."""
        table = schema.fusion_corrections
        row = {
            "kind": correction.kind,
            "event_ids": correction.groups,
            "created_at": at or dt.datetime.now(dt.UTC),
        }
        with self._failing("could not save the correction"), self._writer.begin() as connection:
            found = connection.execute(table.insert().returning(table.c.id), [row])
            return int(found.scalar_one())

    # -- reading --------------------------------------------------------

    def find_document(self, content_hash: str) -> str | None:
        """The id of the stored document with this content hash, or None."""
        with self._failing("could not look up a document"), self._engine.connect() as connection:
            return _find(connection, content_hash)

    def document(self, document_id: str) -> Document:
        """One stored document, with its text."""
        table = schema.documents
        found = self._select(sa.select(table).where(table.c.document_id == document_id))
        if not found:
            raise StoreError(f"no document {document_id!r} in the database")
        return rows.document_from_row(found[0])

    def documents(self, *, limit: int | None = None) -> list[Document]:
        """The stored documents with their texts, oldest ingest first."""
        table = schema.documents
        query = sa.select(table).order_by(table.c.ingested_at, table.c.document_id).limit(limit)
        return [rows.document_from_row(row) for row in self._select(query)]

    def document_rows(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """The stored documents as dicts without their texts, for listings."""
        table = schema.documents
        columns = [c for c in table.c if c.name != "text"]
        query = sa.select(*columns).order_by(table.c.ingested_at, table.c.document_id)
        return [rows.listing_from_row(row) for row in self._select(query.limit(limit))]

    def events(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sub_event_type: str | None = None,
        event_type: str | None = None,
        actor_id: str | None = None,
        place: str | None = None,
        document_id: str | None = None,
    ) -> list[Event]:
        """Events by date, filtered: `since`/`until` bound the event's date (inclusive),
        `actor_id` matches an actor, claimant or attributed actor, `place` a place id or
        part of a place name (any case).
        """
        query = sa.select(E.record).order_by(E.date, E.id)
        if since is not None:
            query = query.where(E.date >= since)
        if until is not None:
            query = query.where(E.date <= until)
        if sub_event_type is not None:
            query = query.where(E.sub_event_type == sub_event_type)
        if event_type is not None:
            query = query.where(E.event_type == event_type)
        if document_id is not None:
            query = query.where(E.document_id == document_id)
        if actor_id is not None:
            query = query.where(_involving(actor_id))
        if place is not None:
            query = query.where(_at_place(place))
        return self._events(query)

    def event(self, event_id: str) -> Event:
        """One event by its id."""
        found = self._events(sa.select(E.record).where(E.id == event_id))
        if not found:
            raise StoreError(f"no event {event_id!r} in the database")
        return found[0]

    def fused_events(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        sub_event_type: str | None = None,
        event_type: str | None = None,
        actor_id: str | None = None,
        place: str | None = None,
        document_id: str | None = None,
    ) -> list[FusedEvent]:
        """Fused events by date, with the filters of `events`; `actor_id` and `document_id`
        match any member event, `place` the fused event's place.
        """
        query = sa.select(F.record).order_by(F.date, F.id)
        if since is not None:
            query = query.where(F.date >= since)
        if until is not None:
            query = query.where(F.date <= until)
        if sub_event_type is not None:
            query = query.where(F.sub_event_type == sub_event_type)
        if event_type is not None:
            query = query.where(F.event_type == event_type)
        if document_id is not None:
            query = query.where(F.id.in_(_fused_of(E.document_id == document_id)))
        if actor_id is not None:
            query = query.where(F.id.in_(_fused_of(_involving(actor_id))))
        if place is not None:
            query = query.where(_fused_at(place))
        return self._fused(query)

    def fused_event(self, fused_id: str) -> FusedEvent:
        """One fused event by its id."""
        found = self._fused(sa.select(F.record).where(F.id == fused_id))
        if not found:
            raise StoreError(f"no fused event {fused_id!r} in the database")
        return found[0]

    def members_of(self, some_id: str) -> list[str]:
        """The event ids behind an id: a fused event's members, or an event's own id."""
        found = self._select(sa.select(M.event_id).where(M.fused_id == some_id))
        if found:
            return sorted(row["event_id"] for row in found)
        if self._select(sa.select(E.id).where(E.id == some_id)):
            return [some_id]
        raise StoreError(f"no fused event or event {some_id!r} in the database")

    def corrections(self) -> list[Correction]:
        """The analysts' merges and splits, oldest first."""
        with self._failing("could not read the corrections"), self._engine.connect() as connection:
            return _read_corrections(connection)

    def fusion_is_current(self) -> bool:
        """Whether every stored event belongs to a fused event (else `refuse` is due)."""
        with self._failing("could not count fused events"), self._engine.connect() as connection:
            events = connection.execute(sa.select(sa.func.count()).select_from(schema.events))
            members = connection.execute(
                sa.select(sa.func.count()).select_from(schema.fusion_members)
            )
            return bool(events.scalar_one() == members.scalar_one())

    def mentions(self, document_id: str | None = None) -> list[Mention]:
        """The names found in documents (or in one), with what they resolved to."""
        table = schema.mentions
        query = sa.select(table).order_by(table.c.id)
        if document_id is not None:
            query = query.where(table.c.document_id == document_id)
        return [rows.mention_from_row(row) for row in self._select(query)]

    def candidates(self) -> list[Actor]:
        """Candidate actors seen in documents, merged by id, with every name they went by."""
        table = schema.candidate_actors
        found = self._select(sa.select(table.c.record).order_by(table.c.id))
        with self._failing("a stored candidate actor is malformed"):
            return rows.merge_candidates([row["record"] for row in found])

    def relations(self) -> list[Relation]:
        """The relations between actors that documents state."""
        table = schema.relations
        found = self._select(sa.select(table).order_by(table.c.id))
        return [rows.relation_from_row(row) for row in found]

    def judgments(self) -> list[Judgment]:
        """The estimative judgments, with their outcomes where resolved."""
        table = schema.judgments
        found = self._select(sa.select(table).order_by(table.c.document_id, table.c.id))
        return [rows.judgment_from_row(row) for row in found]

    def key_dates(self) -> list[KeyDate]:
        """The dates to watch that documents name, by date."""
        table = schema.key_dates
        found = self._select(sa.select(table).order_by(table.c.date, table.c.id))
        return [rows.key_date_from_row(row) for row in found]

    def statements(
        self,
        *,
        actor_id: str | None = None,
        kind: str | Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        document_id: str | None = None,
    ) -> list[Statement]:
        """Statements by date (undated last): `actor_id` matches the speaker or the group
        spoken for, `kind` one kind or several, `since`/`until` bound the date (inclusive).
        """
        table = schema.statements
        query = sa.select(table.c.record).order_by(
            table.c.date.is_(None), table.c.date, table.c.document_id, table.c.start, table.c.id
        )
        if actor_id is not None:
            query = query.where(
                sa.or_(table.c.speaker_id == actor_id, table.c.on_behalf_of == actor_id)
            )
        if kind is not None:
            query = query.where(table.c.kind.in_([kind] if isinstance(kind, str) else list(kind)))
        if since is not None:
            query = query.where(table.c.date >= since)
        if until is not None:
            query = query.where(table.c.date <= until)
        if document_id is not None:
            query = query.where(table.c.document_id == document_id)
        found = self._select(query)
        with self._failing("a stored statement is malformed"):
            return [rows.statement_from_row(row) for row in found]

    def counts(self) -> dict[str, int]:
        """Rows per table, for `watchfloor status`."""
        with self._failing("could not count rows"), self._engine.connect() as connection:
            return {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
                for table in schema.TABLES
            }

    # -- helpers --------------------------------------------------------

    def _select(self, query: sa.Select[Any]) -> list[dict[str, Any]]:
        with self._failing("could not read the database"), self._engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]

    def _events(self, query: sa.Select[Any]) -> list[Event]:
        found = self._select(query)
        with self._failing("a stored event is malformed"):
            return [rows.event_from_row(row) for row in found]

    def _fused(self, query: sa.Select[Any]) -> list[FusedEvent]:
        found = self._select(query)
        with self._failing("a stored fused event is malformed"):
            return [rows.fused_event_from_row(row) for row in found]

    @contextmanager
    def _failing(self, what: str) -> Iterator[None]:
        """Re-raise any failure inside as StoreError, saying what was being done."""
        try:
            yield
        except StoreError:
            raise
        except (SQLAlchemyError, ValidationError) as e:
            raise StoreError(f"{what} in {shown_url(self.url)}: {_reason(e)}") from e
        except Exception as e:
            raise StoreError(f"{what}: {type(e).__name__}: {e}") from e


def insert_rows(connection: Connection, table: sa.Table, batch: list[rows.Row]) -> None:
    """Insert rows into one table (a seam: tests make it fail to check rollback)."""
    if batch:
        connection.execute(table.insert(), batch)


def _insert_extraction(connection: Connection, extraction: Extraction) -> None:
    for table, batch in rows.extraction_rows(extraction):
        insert_rows(connection, table, batch)


def _delete_extraction(connection: Connection, document_id: str) -> None:
    """Delete what was extracted from a document; event children go first."""
    event_ids = sa.select(E.id).where(E.document_id == document_id).scalar_subquery()
    for table in (schema.event_actors, schema.claims, schema.attributions):
        connection.execute(table.delete().where(table.c.event_id.in_(event_ids)))
    for table in schema.TABLES[1:]:
        if "event_id" not in table.c:
            connection.execute(table.delete().where(table.c.document_id == document_id))


def _rows(connection: Connection, query: sa.Select[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(query).mappings()]


def _all_events() -> sa.Select[Any]:
    return sa.select(E.record).order_by(E.date, E.id)


def _published(connection: Connection) -> dict[str, dt.date | None]:
    table = schema.documents
    query = sa.select(table.c.document_id, table.c.published)
    return {row["document_id"]: row["published"] for row in _rows(connection, query)}


def _read_corrections(connection: Connection) -> list[Correction]:
    table = schema.fusion_corrections
    query = sa.select(table.c.kind, table.c.event_ids).order_by(table.c.id)
    return [
        Correction(kind=row["kind"], groups=row["event_ids"]) for row in _rows(connection, query)
    ]


def _replace_fusion(connection: Connection, fused: Sequence[FusedEvent]) -> None:
    connection.execute(schema.fusion_members.delete())
    connection.execute(schema.fused_events.delete())
    insert_rows(connection, schema.fused_events, [rows.fused_event_row(f) for f in fused])
    members = [{"fused_id": f.id, "event_id": i} for f in fused for i in f.member_ids]
    insert_rows(connection, schema.fusion_members, members)


def _fused_of(condition: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """The ids of fused events with a member event that meets the condition."""
    return sa.select(M.fused_id).join(schema.events, E.id == M.event_id).where(condition)


def _fused_at(place: str) -> sa.ColumnElement[bool]:
    return sa.or_(
        F.place_id == place,
        sa.func.lower(F.place_name).contains(place.lower(), autoescape=True),
    )


def _find(connection: Connection, content_hash: str) -> str | None:
    table = schema.documents
    query = sa.select(table.c.document_id).where(table.c.content_hash == content_hash)
    found: str | None = connection.execute(query).scalar_one_or_none()
    return found


def _check_owner(document: Document, extraction: Extraction | None) -> None:
    if extraction is not None and extraction.document_id != document.document_id:
        raise StoreError(
            f"the extraction is of document {extraction.document_id}, not of {document.document_id}"
        )


def _involving(actor_id: str) -> sa.ColumnElement[bool]:
    """Events where the actor takes part, claims or is held responsible."""
    sources = (
        sa.select(schema.event_actors.c.event_id).where(schema.event_actors.c.actor_id == actor_id),
        sa.select(schema.claims.c.event_id).where(schema.claims.c.claimant_id == actor_id),
        sa.select(schema.attributions.c.event_id).where(schema.attributions.c.actor_id == actor_id),
    )
    return sa.or_(*(E.id.in_(source) for source in sources))


def _at_place(place: str) -> sa.ColumnElement[bool]:
    return sa.or_(
        E.place_id == place,
        sa.func.lower(E.place_name).contains(place.lower(), autoescape=True),
    )


def _reason(error: Exception) -> str:
    if isinstance(error, sa.exc.DBAPIError) and error.orig is not None:
        return str(error.orig).strip()
    return str(error)
