"""Load the knowledge base: the shipped data files, then the user's own files laid over them.

A user's file is YAML with any of the sections `actors:`, `places:` and
`calendar:` (`recurring:` and `deadlines:`), in the shapes of the shipped
`actors.yaml`, `sites.yaml` and `calendar.yaml`. An entry whose id is already
known extends it: its aliases, context aliases, relations and roles are added,
and the other fields it gives replace the known ones. So a Syria or Sahel desk
adds data, not code.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from watchfloor.errors import KnowledgeError
from watchfloor.knowledge.records import (
    ActorEntry,
    CalendarEntry,
    CalendarSection,
    E,
    PlaceEntry,
    RecurringDate,
)
from watchfloor.model import Actor, KeyDate, Place, Relation, RelationRef

DATA_PACKAGE = "watchfloor.knowledge"
ADMIN_KINDS = frozenset({"governorate", "province", "region", "country", "admin1"})
DISTRICT_KINDS = frozenset({"district", "admin2", "road"})


@dataclass
class KnowledgeBase:
    """What watchfloor knows before it reads anything: actors, places, calendar, lexicons."""

    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    calendar: list[CalendarEntry] = field(default_factory=list)
    taxonomy: dict[str, Any] = field(default_factory=dict)
    weapons: list[dict[str, Any]] = field(default_factory=list)
    estimative: dict[str, Any] = field(default_factory=dict)
    active: dict[str, str] = field(default_factory=dict)
    near: dict[str, list[str]] = field(default_factory=dict)
    ambiguous_aliases: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id; a KnowledgeError names the closest ids if there is none."""
        try:
            return self.actors[actor_id]
        except KeyError:
            raise KnowledgeError(
                f"no actor with id {actor_id!r}{_suggest(actor_id, self.actors)}"
            ) from None

    def place(self, place_id: str) -> Place:
        """The place with this id; a KnowledgeError names the closest ids if there is none."""
        try:
            return self.places[place_id]
        except KeyError:
            raise KnowledgeError(
                f"no place with id {place_id!r}{_suggest(place_id, self.places)}"
            ) from None

    def relations_of(self, actor_id: str) -> list[Relation]:
        """The relations in which the actor is the subject or the object."""
        return [r for r in self.relations if actor_id in (r.subject, r.object)]

    def key_dates(self, start: dt.date, end: dt.date) -> list[KeyDate]:
        """The calendar's dates between `start` and `end` (inclusive), as KeyDate records."""
        found = [key for entry in self.calendar for key in entry.key_dates(start, end)]
        return sorted(found, key=lambda key: key.date)


def _suggest(wrong: str, known: Mapping[str, Any]) -> str:
    from rapidfuzz import process

    close = [m for m, _, _ in process.extract(wrong, list(known), limit=3, score_cutoff=60)]
    return f"; did you mean {', '.join(close)}?" if close else ""


# -- reading files -----------------------------------------------------------------


def _read_yaml(source: Path, label: str) -> Any:
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise KnowledgeError(f"knowledge file not found: {label}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise KnowledgeError(f"cannot read knowledge file {label}: {e}") from e
    except yaml.YAMLError as e:
        raise KnowledgeError(f"{label}: not valid YAML: {e}") from e


def _read_gazetteer(source: Path, label: str) -> list[dict[str, Any]]:
    try:
        rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise KnowledgeError(f"cannot read knowledge file {label}: {e}") from e
    return [_gazetteer_row(row) for row in rows]


def _gazetteer_row(row: dict[str, str | None]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
    data["aliases"] = [a.strip() for a in data.get("aliases", "").split("|") if a.strip()]
    return data


def _validated(model: type[E], data: Any, label: str, section: str) -> list[E]:
    """The entries of one section, validated; errors name the file, the entry and the field."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise KnowledgeError(f"{label}: `{section}` must be a list of entries")
    entries: list[E] = []
    for n, item in enumerate(data):
        try:
            entries.append(model.model_validate(item))
        except ValidationError as e:
            raise KnowledgeError(_describe(e, label, section, n, item)) from e
    return entries


def _describe(error: ValidationError, label: str, section: str, n: int, item: Any) -> str:
    name = item.get("id") if isinstance(item, dict) else None
    where = f"{label}: {section}[{n}]" + (f" (id {name!r})" if name else "")
    problems = [
        f"field {'.'.join(str(p) for p in e['loc']) or '(entry)'}: {e['msg']}"
        for e in error.errors()
    ]
    return f"{where}: " + "; ".join(problems)


def _mapping(data: Any, label: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KnowledgeError(f"{label}: expected a mapping of sections at the top")
    return data


# -- building the knowledge base ------------------------------------------------------


@dataclass
class _Builder:
    """Actors, places and calendar as they are laid one file over another."""

    actors: dict[str, ActorEntry] = field(default_factory=dict)
    places: dict[str, PlaceEntry] = field(default_factory=dict)
    calendar: dict[str, CalendarEntry] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)

    def add_actors(self, entries: Iterable[ActorEntry], label: str, *, overlay: bool) -> None:
        for entry in entries:
            self._check_unique(f"actor {entry.id}", label, overlay=overlay)
            known = self.actors.get(entry.id)
            self.actors[entry.id] = _merged(known, entry) if known else entry

    def add_places(
        self, entries: Iterable[PlaceEntry], label: str, *, overlay: bool, under: bool = False
    ) -> None:
        """Add places; with `under`, known entries win and only gain the new aliases."""
        for entry in entries:
            self._check_unique(f"place {entry.id}", label, overlay=overlay)
            known = self.places.get(entry.id)
            if known is None:
                self.places[entry.id] = entry
            else:
                self.places[entry.id] = _merged(entry, known) if under else _merged(known, entry)

    def add_calendar(self, section: CalendarSection, label: str, *, overlay: bool) -> None:
        entries: list[CalendarEntry] = [*section.recurring, *section.deadlines]
        for entry in entries:
            self._check_unique(f"calendar {entry.id}", label, overlay=overlay)
            self.calendar[entry.id] = entry

    def _check_unique(self, what: str, label: str, *, overlay: bool) -> None:
        first = self.origin.get(what)
        if first == label or (first is not None and not overlay):
            raise KnowledgeError(f"{label}: {what} is defined twice (first in {first})")
        self.origin[what] = label


LISTS = ("aliases", "context_aliases", "relations", "roles", "near")


def _merged(known: E, extra: E) -> E:
    """`known` with the lists of `extra` added to its own and its given fields replacing."""
    update: dict[str, Any] = {}
    for name in extra.model_fields_set - {"id"}:
        value = getattr(extra, name)
        if name in LISTS:
            value = list(dict.fromkeys([*getattr(known, name), *value]))
        update[name] = value
    return known.model_copy(update=update)


def _load_shipped(builder: _Builder, data: Path) -> KnowledgeBase:
    kb = KnowledgeBase()
    label = "actors.yaml"
    actors = _read_yaml(data / label, label)
    builder.add_actors(_validated(ActorEntry, actors, label, "actors"), label, overlay=False)
    sites = data / "sites.yaml"
    if sites.is_file():
        entries = _validated(PlaceEntry, _read_yaml(sites, "sites.yaml"), "sites.yaml", "places")
        builder.add_places(entries, "sites.yaml", overlay=False)
    gazetteer = data / "iraq_places.csv"
    if gazetteer.is_file():
        rows = _read_gazetteer(gazetteer, "iraq_places.csv")
        entries = _validated(PlaceEntry, rows, "iraq_places.csv", "rows")
        # Where names are shared, towns come before provinces, larger before smaller.
        entries.sort(key=lambda p: (_precision(p.kind), -(p.population or 0)))
        builder.add_places(entries, "iraq_places.csv", overlay=True, under=True)
    calendar = data / "calendar.yaml"
    if calendar.is_file():
        builder.add_calendar(_calendar(_read_yaml(calendar, "calendar.yaml"), "calendar.yaml"),
                             "calendar.yaml", overlay=False)  # fmt: skip
    kb.taxonomy = _optional_mapping(data, "taxonomy.yaml")
    kb.weapons = _optional_list(data, "weapons.yaml", "weapons")
    kb.estimative = _optional_mapping(data, "estimative.yaml")
    return kb


def _calendar(data: Any, label: str) -> CalendarSection:
    try:
        return CalendarSection.model_validate(data or {})
    except ValidationError as e:
        raise KnowledgeError(_describe(e, label, "calendar", 0, {})) from e


def _optional_mapping(data: Path, name: str) -> dict[str, Any]:
    source = data / name
    return _mapping(_read_yaml(source, name), name) if source.is_file() else {}


def _optional_list(data: Path, name: str, key: str) -> list[dict[str, Any]]:
    """A lexicon file: a list of entries, or a mapping that holds the list under `key`."""
    source = data / name
    if not source.is_file():
        return []
    loaded = _read_yaml(source, name)
    if isinstance(loaded, dict) and key in loaded:
        loaded = loaded[key]
    elif isinstance(loaded, dict):  # id -> entry
        loaded = [{"id": k, **_mapping(v, name)} for k, v in loaded.items()]
    if not isinstance(loaded, list) or not all(isinstance(i, dict) for i in loaded):
        raise KnowledgeError(f"{name}: expected a list of entries")
    return loaded


def _load_user_file(builder: _Builder, path: Path) -> None:
    label = str(path)
    if not path.is_file():
        raise KnowledgeError(
            f"knowledge file not found: {label} (listed in the setting `knowledge`)"
        )
    data = _mapping(_read_yaml(path, label), label)
    unknown = set(data) - {"actors", "places", "calendar"}
    if unknown:
        raise KnowledgeError(
            f"{label}: unknown section(s) {', '.join(sorted(unknown))}; "
            "a knowledge file holds actors:, places: and calendar:"
        )
    builder.add_actors(_validated(ActorEntry, data.get("actors"), label, "actors"),
                       label, overlay=True)  # fmt: skip
    builder.add_places(_validated(PlaceEntry, data.get("places"), label, "places"),
                       label, overlay=True)  # fmt: skip
    builder.add_calendar(_calendar(data.get("calendar"), label), label, overlay=True)


def _finish(kb: KnowledgeBase, builder: _Builder) -> KnowledgeBase:
    for entry in builder.actors.values():
        kb.actors[entry.id] = _actor(entry, builder.origin[f"actor {entry.id}"])
        if entry.active not in (None, ""):
            kb.active[entry.id] = str(entry.active)
    for place in builder.places.values():
        kb.places[place.id] = _place(place, builder.origin[f"place {place.id}"])
        if place.near:
            kb.near[place.id] = list(place.near)
    kb.relations = [
        Relation(subject=a.actor_id, relation=r.relation, object=r.object, source="knowledge")
        for a in kb.actors.values()
        for r in a.relations
    ]
    kb.calendar = list(builder.calendar.values())
    _check_references(kb, builder)
    kb.ambiguous_aliases = _ambiguous_aliases(kb.actors.values())
    return kb


def _actor(entry: ActorEntry, label: str) -> Actor:
    if not entry.name:
        raise KnowledgeError(f"{label}: actor {entry.id!r}: field name: a new actor needs a name")
    return Actor(
        actor_id=entry.id,
        name=entry.name,
        kind=entry.kind or "unknown",
        **entry.model_dump(include={"acled_type", "country", "arabic", "notes", "sources"}),
        aliases=[a for a in entry.aliases if a != entry.name],
        context_aliases=entry.context_aliases,
        relations=[RelationRef(**r.model_dump()) for r in entry.relations],
        roles=entry.roles,
    )


def _precision(kind: str | None) -> int:
    """ACLED's geo-precision for a place of this kind: 1 a town or site, 3 a province."""
    kind = (kind or "").lower()
    return 3 if kind in ADMIN_KINDS else 2 if kind in DISTRICT_KINDS else 1


def _place(entry: PlaceEntry, label: str) -> Place:
    if not entry.name:
        raise KnowledgeError(f"{label}: place {entry.id!r}: field name: a new place needs a name")
    precision = _precision(entry.kind)
    return Place(
        place_id=entry.id,
        name=entry.name,
        lat=entry.lat,
        lon=entry.lon,
        admin1=entry.admin1,
        country=entry.country,
        geo_precision=precision,
        kind=entry.kind,
        aliases=[a for a in entry.aliases if a != entry.name],
    )


def _check_references(kb: KnowledgeBase, builder: _Builder) -> None:
    """Relation objects and calendar actors must be known actors; `near` must be known places."""
    for actor in kb.actors.values():
        for rel in actor.relations:
            if rel.object not in kb.actors:
                label = builder.origin[f"actor {actor.actor_id}"]
                raise KnowledgeError(
                    f"{label}: actor {actor.actor_id!r}: field relations: {rel.relation} "
                    f"{rel.object!r} is not a known actor{_suggest(rel.object, kb.actors)}"
                )
    for entry in kb.calendar:
        if isinstance(entry, RecurringDate):
            for actor_id in entry.actors:
                if actor_id not in kb.actors:
                    label = builder.origin[f"calendar {entry.id}"]
                    raise KnowledgeError(
                        f"{label}: calendar {entry.id!r}: field actors: {actor_id!r} is not "
                        f"a known actor{_suggest(actor_id, kb.actors)}"
                    )


def _ambiguous_aliases(actors: Iterable[Actor]) -> dict[str, list[str]]:
    """Names (normalised) that more than one actor answers to: allowed, but recorded."""
    from watchfloor.resolve.names import normalise_name

    owners: dict[str, list[str]] = defaultdict(list)
    for actor in actors:
        for name in {normalise_name(n) for n in [actor.name, *actor.aliases]}:
            if name:
                owners[name].append(actor.actor_id)
    return {name: ids for name, ids in sorted(owners.items()) if len(ids) > 1}


def shipped_data() -> Path:
    """The folder of data files shipped in the package (installed as plain files)."""
    return Path(str(resources.files(DATA_PACKAGE) / "data"))


DATA_FILES = (
    "actors.yaml", "sites.yaml", "iraq_places.csv", "calendar.yaml",
    "taxonomy.yaml", "weapons.yaml", "estimative.yaml",
)  # fmt: skip
Stamps = tuple[tuple[Path, tuple[int, int]], ...]


def load_knowledge(extra: Sequence[Path] = (), *, data_dir: Path | None = None) -> KnowledgeBase:
    """The shipped knowledge (or `data_dir`'s) with the user's files laid over it in order.

    Loaded once per set of files and their modification times: treat the result
    as read-only, since later calls share it.

    >>> load_knowledge().actor("kataib-hezbollah").kind
    'militia'
    """
    data = shipped_data() if data_dir is None else data_dir
    shipped = tuple((data / n, _stamp(data / n)) for n in DATA_FILES)
    files = tuple(_expand(Path(p)) for p in extra)
    stamps = tuple((path, _stamp(path)) for group in files for path in group)
    return _load_cached(data, shipped, stamps)


def _expand(path: Path) -> list[Path]:
    return sorted(path.glob("*.y*ml")) if path.is_dir() else [path]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(data: Path, shipped: Stamps, stamps: Stamps) -> KnowledgeBase:
    """The knowledge base from these files; `shipped` and `stamps` key the cache."""
    builder = _Builder()
    kb = _load_shipped(builder, data)
    for path, _ in stamps:
        _load_user_file(builder, path)
    kb.files = [str(path) for path, _ in stamps]
    return _finish(kb, builder)
