"""Import ACLED CSV exports: each good row becomes an Event with its own Document.

Design: one synthetic `Document` per row. Its id is `acled-<event_id_cnty>` and its
content hash is derived from ACLED's event id alone, so importing a file again (or
the same rows from another file) stores nothing twice; a row that ACLED has revised
since is reported as already stored, not updated. Its text is the row's `notes`
followed by one line naming the event and its actors (which gives the actor
mentions a span), its `source` the file path and line, its `outlet` ACLED's
`source` column. Actors are resolved against the knowledge base; unknown names are
kept as candidate actors under their written name, never forced onto a known one.

Malformed rows (no date, an impossible date, bad coordinates, a type that is not in
ACLED's taxonomy, ...) are skipped and reported with their line numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import ImportFailed, WatchfloorError
from watchfloor.model import (
    Actor,
    ActorRole,
    Casualties,
    DatePrecision,
    Document,
    Event,
    EventActor,
    Extraction,
    Mention,
    Place,
    SourceSpan,
)
from watchfloor.resolve.names import NameResolver, Resolution
from watchfloor.store import Store

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "sub_event_type")
PRECISION_OF_CODE: dict[str, DatePrecision] = {"1": "day", "2": "week", "3": "month"}
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
CROWD_TYPES = frozenset({"Protests", "Riots"})
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y")
ID_PREFIX = "acled-"

Progress = Callable[[int], None]


class RowError(ValueError):
    """Why one ACLED row cannot be imported."""


@dataclass(frozen=True)
class RowProblem:
    """A skipped row: the line it starts on, its ACLED id if any, and why."""

    line: int
    reason: str
    event_id_cnty: str = ""


@dataclass
class AcledImport:
    """What one import did: rows read, events added, rows already stored, rows skipped."""

    source: str
    rows: int = 0
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    candidates: set[str] = field(default_factory=set)

    @property
    def clean(self) -> bool:
        """True when no row was skipped."""
        return not self.skipped


# -- reading the file ---------------------------------------------------------


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def read_acled(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of an ACLED CSV (plain or .gz), each with the line it starts on.

    >>> next(read_acled(Path("no-such.csv")))
    Traceback (most recent call last):
    ...
    watchfloor.errors.ImportFailed: cannot read no-such.csv: No such file or directory
    """
    try:
        handle = _open_text(path)
    except OSError as e:
        raise ImportFailed(f"cannot read {path}: {e.strerror or e}") from e
    with handle:
        try:
            yield from _rows(csv.DictReader(handle), path)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise ImportFailed(f"cannot read {path}: {e}") from e


def _rows(reader: csv.DictReader[str], path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFailed(
            f"{path} is not an ACLED export: no column {', '.join(missing)} "
            f"(found {', '.join(reader.fieldnames or []) or 'no header'})"
        )
    start = reader.line_num + 1
    for row in reader:
        yield start, {k: (v or "").strip() for k, v in row.items() if k is not None}
        start = reader.line_num + 1


def count_rows(path: Path) -> int:
    """How many data rows an ACLED CSV holds (for a progress bar); 0 if unreadable.

    >>> count_rows(Path("no-such.csv"))
    0
    """
    try:
        return sum(1 for _ in read_acled(path))
    except ImportFailed:
        return 0


# -- one row to records -------------------------------------------------------


def parse_date(text: str) -> dt.date:
    """An ACLED event_date (ISO, or "11 March 2020") as a date.

    >>> parse_date("11 March 2020")
    datetime.date(2020, 3, 11)
    >>> parse_date("2021-02-30")
    Traceback (most recent call last):
    ...
    watchfloor.ingest.acled.RowError: impossible date '2021-02-30'
    """
    if not text:
        raise RowError("missing event_date")
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        year, month, day = (int(part) for part in text.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise RowError(f"impossible date {text!r}") from None
    for form in DATE_FORMATS[1:]:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise RowError(f"unreadable event_date {text!r}")


def _precision(row: Mapping[str, str]) -> DatePrecision:
    code = row.get("time_precision", "") or "1"
    if code not in PRECISION_OF_CODE:
        raise RowError(f"time_precision {code!r} is not 1, 2 or 3")
    return PRECISION_OF_CODE[code]


def _coordinate(text: str, name: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"bad {name} {text!r}") from None
    if not -limit <= value <= limit:
        raise RowError(f"{name} {text} is out of range")
    return value


def _place(row: Mapping[str, str], resolver: NameResolver) -> Place | None:
    lat_text, lon_text = row.get("latitude", ""), row.get("longitude", "")
    lat = _coordinate(lat_text, "latitude", 90) if lat_text or lon_text else None
    lon = _coordinate(lon_text, "longitude", 180) if lat_text or lon_text else None
    name = row.get("location") or row.get("admin1") or row.get("country") or ""
    if not name:
        return None
    found = resolver.resolve_place(name)
    precision = row.get("geo_precision", "") or "1"
    if precision not in {"1", "2", "3"}:
        raise RowError(f"geo_precision {precision!r} is not 1, 2 or 3")
    return Place(
        place_id=found.id if found.method in ("exact", "normalised") else None,
        name=name,
        lat=lat,
        lon=lon,
        admin1=row.get("admin1") or None,
        country=row.get("country") or None,
        geo_precision=int(precision),
    )


def _types(row: Mapping[str, str], taxonomy: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """The row's event type, sub-event type and disorder type, checked against ACLED's."""
    event_type, sub_event_type = row["event_type"], row["sub_event_type"]
    for entry in taxonomy.get("event_types", []):
        if entry["event_type"] != event_type:
            continue
        subs = {s["name"]: s for s in entry["sub_event_types"]}
        if sub_event_type not in subs:
            raise RowError(f"unknown sub_event_type {sub_event_type!r} for {event_type!r}")
        disorder = subs[sub_event_type].get("disorder_type") or entry.get("disorder_type")
        return event_type, sub_event_type, row.get("disorder_type") or disorder
    raise RowError(f"unknown event_type {event_type!r}" if event_type else "missing event_type")


def _fatalities(text: str) -> Casualties | None:
    if not text:
        return None
    if not text.isdigit():
        raise RowError(f"bad fatalities {text!r}")
    return Casualties(min=int(text))


def _published(text: str) -> dt.date | None:
    """The day of ACLED's upload timestamp (Unix seconds), if it reads."""
    if not text.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(text), tz=dt.UTC).date()


def split_actors(text: str) -> list[str]:
    """ACLED's associated actors: names separated by semicolons.

    >>> split_actors("Kata'ib Hezbollah; Harakat al-Nujaba")
    ["Kata'ib Hezbollah", 'Harakat al-Nujaba']
    """
    return [name.strip() for name in text.split(";") if name.strip()]


def _roles(event_type: str, row: Mapping[str, str]) -> tuple[ActorRole, ActorRole]:
    """The roles of ACLED's first and second actor in an event of this type."""
    first: ActorRole = (
        "perpetrator"
        if event_type in VIOLENT_TYPES
        else "organiser"
        if event_type in CROWD_TYPES
        else "actor"
    )
    civilians = row.get("inter2") in {"7", "Civilians"} or row.get("actor2", "").startswith(
        "Civilians"
    )
    return first, "victim" if civilians else "target"


@dataclass
class _Actors:
    """The actors of one row: event actors, candidates, mentions and the reasons."""

    event: list[EventActor] = field(default_factory=list)
    candidates: dict[str, Actor] = field(default_factory=dict)
    names: list[tuple[str, Resolution]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def resolve_acled_actor(name: str, resolver: NameResolver) -> Resolution:
    """Resolve an ACLED actor name; a trailing "(Iraq)" or "(2018-)" is tried without.

    >>> from watchfloor.knowledge import load_knowledge
    >>> resolve_acled_actor("Kataib Hizbullah (Iraq)", NameResolver(load_knowledge())).id
    'kataib-hezbollah'
    """
    found = resolver.resolve_actor(name)
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    if found.id is None and bare and bare != name:
        plain = resolver.resolve_actor(bare)
        if plain.id is not None:
            return plain
    return found


def _actors(row: Mapping[str, str], event_type: str, resolver: NameResolver) -> _Actors:
    first, second = _roles(event_type, row)
    sides = [
        (row.get("actor1", ""), row.get("assoc_actor_1", ""), first),
        (row.get("actor2", ""), row.get("assoc_actor_2", ""), second),
    ]
    found = _Actors()
    for actor, assoc, role in sides:
        for name in [*split_actors(actor), *split_actors(assoc)]:
            _add_actor(found, name, role, resolver)
    return found


def _add_actor(found: _Actors, name: str, role: ActorRole, resolver: NameResolver) -> None:
    resolution = resolve_acled_actor(name, resolver)
    actor_id = resolution.id or resolution.candidate_id
    if actor_id is None:
        found.reasons.append(f"actor {name!r} dropped: {resolution.reason}")
        return
    found.event.append(EventActor(actor_id=actor_id, name=name, role=role))
    found.names.append((name, resolution))
    if resolution.id is None:
        found.candidates.setdefault(
            actor_id,
            Actor(actor_id=actor_id, name=name, kind="unknown", candidate=True, mentions=[name]),
        )
        found.reasons.append(f"actor {name!r} kept as candidate {actor_id}: {resolution.reason}")
    else:
        found.reasons.append(f"actor {name!r} is {resolution.id}: {resolution.reason}")


def _text(row: Mapping[str, str], names: list[str]) -> tuple[str, int, dict[str, int]]:
    """The document text: notes, then a line naming the event and its actors.

    Also the length of the notes part and where each actor name starts in the text.
    """
    notes = row.get("notes", "")
    head = f"ACLED {row['event_id_cnty']}: {row['sub_event_type']}"
    head += f", {row['location']}" if row.get("location") else ""
    head += f", {row['event_date']}."
    line = head + (" Actors: " if names else "")
    starts: dict[str, int] = {}
    offset = len(notes) + 2 if notes else 0
    for n, name in enumerate(names):
        line += ("; " if n else "") + name
        starts.setdefault(name, offset + len(line) - len(name))
    return (f"{notes}\n\n{line}" if notes else line), len(notes), starts


def document_id_for(event_id_cnty: str) -> str:
    """The id of the document (and prefix of the event) for one ACLED event id.

    >>> document_id_for("IRQ12345")
    'acled-IRQ12345'
    """
    return ID_PREFIX + re.sub(r"[^A-Za-z0-9_.:]+", "_", event_id_cnty)


def acled_records(
    row: Mapping[str, str], *, line: int, source: str, resolver: NameResolver
) -> tuple[Document, Extraction]:
    """The Document and Extraction of one ACLED row; RowError says why a row is bad."""
    event_id_cnty = row.get("event_id_cnty", "")
    if not event_id_cnty:
        raise RowError("missing event_id_cnty")
    date = parse_date(row.get("event_date", ""))
    if row.get("year") and row["year"] != str(date.year):
        raise RowError(f"year {row['year']} disagrees with event_date {row['event_date']}")
    event_type, sub_event_type, disorder = _types(row, resolver.kb.taxonomy)
    place, precision = _place(row, resolver), _precision(row)
    fatalities = _fatalities(row.get("fatalities", ""))
    actors = _actors(row, event_type, resolver)
    text, notes_end, starts = _text(row, [name for name, _ in actors.names])
    document = _document(row, text, line=line, source=source)
    notes_end = notes_end or len(text)
    span = SourceSpan(
        document_id=document.document_id, start=0, end=notes_end, text=text[:notes_end]
    )
    event = Event(
        id=f"{document.document_id}-e1",
        date=date,
        date_precision=precision,
        event_type=event_type,
        sub_event_type=sub_event_type,
        disorder_type=disorder,
        place=place,
        actors=actors.event,
        fatalities=fatalities,
        sources=[span],
        reasons=[f"imported from ACLED {event_id_cnty} ({source}:{line})", *actors.reasons],
    )
    extraction = Extraction(
        document_id=document.document_id,
        events=[event],
        mentions=_mentions(document, actors, starts),
        candidates=list(actors.candidates.values()),
    )
    return document, extraction


def _document(row: Mapping[str, str], text: str, *, line: int, source: str) -> Document:
    event_id_cnty = row["event_id_cnty"]
    digest = hashlib.sha256(f"acled\0{event_id_cnty}".encode()).hexdigest()
    where = f" in {row['location']}" if row.get("location") else ""
    return Document(
        document_id=document_id_for(event_id_cnty),
        title=f"ACLED {event_id_cnty}: {row['sub_event_type']}{where}",
        source=f"{source}:{line}",
        published=_published(row.get("timestamp", "")),
        content_hash=digest,
        format="acled",
        text=text,
        outlet=row.get("source") or None,
    )


def _mentions(document: Document, actors: _Actors, starts: Mapping[str, int]) -> list[Mention]:
    mentions: list[Mention] = []
    for name, resolution in actors.names:
        start = starts[name]
        span = SourceSpan(
            document_id=document.document_id, start=start, end=start + len(name), text=name
        )
        mentions.append(
            Mention(
                surface=name,
                label="ACTOR",
                resolved_id=resolution.id,
                score=resolution.score,
                span=span,
                reason=resolution.reason,
            )
        )
    return mentions


# -- the import ---------------------------------------------------------------


def import_acled(
    path: Path,
    *,
    store: Store,
    resolver: NameResolver,
    progress: Progress | None = None,
) -> AcledImport:
    """Import an ACLED CSV into the store: good rows stored once, bad rows reported.

    >>> import_acled(Path("events.csv"), store=store, resolver=resolver)  # doctest: +SKIP
    AcledImport(source='events.csv', rows=120, ...)
    """
    summary = AcledImport(source=str(path))
    for line, row in read_acled(path):
        summary.rows += 1
        _import_row(row, line=line, summary=summary, store=store, resolver=resolver)
        if progress is not None:
            progress(summary.rows)
    return summary


def _import_row(
    row: Mapping[str, str],
    *,
    line: int,
    summary: AcledImport,
    store: Store,
    resolver: NameResolver,
) -> None:
    try:
        document, extraction = acled_records(
            row, line=line, source=summary.source, resolver=resolver
        )
    except (RowError, ValueError) as e:
        reason = str(e).splitlines()[0] if isinstance(e, RowError) else _first_error(e)
        summary.skipped.append(RowProblem(line, reason, row.get("event_id_cnty", "")))
        return
    event_id = extraction.events[0].id
    try:
        added = store.save(document, extraction)
    except WatchfloorError as e:
        summary.skipped.append(RowProblem(line, f"not stored: {e}", row["event_id_cnty"]))
        return
    (summary.added if added else summary.duplicates).append(event_id)
    if added:
        summary.candidates.update(a.actor_id for a in extraction.candidates)


def _first_error(error: ValueError) -> str:
    """A pydantic error's first problem, in one line."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg', error)}" if where else str(first.get("msg", error))
    return str(error).splitlines()[0]
