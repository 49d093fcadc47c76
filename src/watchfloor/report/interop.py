"""Exports for other tools: ACLED-compatible CSV, GeoJSON, Parquet and a STIX 2.1 bundle.

All four take events (`product_events(store)`: the fused events when fusion is
current, else the stored ones) and the stored documents' rows, for outlets,
titles and dates. An event imported from ACLED keeps its `event_id_cnty`.
The STIX bundle is built in `report.stix`; its functions are re-exported here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from watchfloor.ingest.acled import ACLED_COLUMNS, ID_PREFIX
from watchfloor.knowledge import KnowledgeBase
from watchfloor.model import Event, EventActor
from watchfloor.report.stix import stix_bundle, stix_id, stix_json
from watchfloor.store import Store

__all__ = [
    "acled_csv",
    "acled_event_id",
    "acled_row",
    "documents_by_id",
    "geojson",
    "geojson_text",
    "parquet_bytes",
    "parquet_table",
    "product_events",
    "stix_bundle",
    "stix_id",
    "stix_json",
]

CODE_OF_PRECISION = {"day": 1, "week": 2}
INTER_CODES = {
    "State forces": 1,
    "Rebel group": 2,
    "Political militia": 3,
    "Identity militia": 4,
    "Rioters": 5,
    "Protesters": 6,
    "Civilians": 7,
    "External/Other forces": 8,
}
# country: ISO 3166 numeric code, ACLED region
COUNTRIES = {
    "Iraq": (368, "Middle East"),
    "Syria": (760, "Middle East"),
    "Iran": (364, "Middle East"),
    "Lebanon": (422, "Middle East"),
    "Yemen": (887, "Middle East"),
    "Jordan": (400, "Middle East"),
    "Kuwait": (414, "Middle East"),
    "Saudi Arabia": (682, "Middle East"),
    "Israel": (376, "Middle East"),
    "Turkey": (792, "Middle East"),
    "Bahrain": (48, "Middle East"),
    "United Arab Emirates": (784, "Middle East"),
}
SIDE_ONE = ("perpetrator", "organiser", "actor")
SIDE_TWO = ("target", "victim")
EXTRA_COLUMNS = ["watchfloor_id", "weapon", "munitions", "claimants", "attributed_to"]
PARQUET_TYPES = {
    "year": pa.int32(),
    "time_precision": pa.int8(),
    "inter1": pa.int8(),
    "inter2": pa.int8(),
    "interaction": pa.int16(),
    "iso": pa.int16(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "geo_precision": pa.int8(),
    "fatalities": pa.int32(),
    "timestamp": pa.int64(),
    "munitions": pa.int32(),
}
# ACLED's generic actor names and their inter codes, where the knowledge base is silent;
# a state's forces are "State forces" at home and "External/Other forces" abroad.
GENERIC_ACTORS = (
    (re.compile(r"^Civilians\b"), 7),
    (re.compile(r"^Protesters\b"), 6),
    (re.compile(r"^Rioters\b"), 5),
    (re.compile(r"^Unidentified Armed Group\b"), 3),
)
STATE_FORCES = re.compile(r"^(Military|Police) Forces of |^Government of ")


def product_events(store: Store) -> list[Event]:
    """The events to export: fused ones when fusion is current, else the stored ones.

    A fused event of one member keeps its member's id (an ACLED row keeps its id).

    >>> product_events(store)  # doctest: +SKIP
    [Event(id='acled-IRQ900001-e1', ...), ...]
    """
    if store.fusion_is_current():
        fused = store.fused_events()
        if fused:
            return [
                f.event.model_copy(update={"id": f.member_ids[0]})
                if len(f.member_ids) == 1
                else f.event
                for f in fused
            ]
    return store.events()


# -- ACLED ---------------------------------------------------------------------


def acled_event_id(event: Event) -> str:
    """ACLED's event_id_cnty of an event: the imported one, else our event id.

    >>> acled_event_id(Event(id="acled-IRQ900001-e1", date=dt.date(2020, 3, 11),
    ...                      event_type="x", sub_event_type="y"))
    'IRQ900001'
    """
    found = re.fullmatch(re.escape(ID_PREFIX) + r"(.+)-e1", event.id)
    return found.group(1) if found else event.id


def _names(actors: Iterable[EventActor], roles: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(a.name for a in actors if a.role in roles))


def _inter(event: Event, name: str, kb: KnowledgeBase | None) -> int | None:
    """ACLED's inter code of an actor: from the knowledge base, else from ACLED's name."""
    ids = [a.actor_id for a in event.actors if a.name == name]
    actor = kb.actors.get(ids[0]) if kb is not None and ids else None
    if actor is not None and actor.acled_type in INTER_CODES:
        return INTER_CODES[actor.acled_type]
    for pattern, code in GENERIC_ACTORS:
        if pattern.match(name):
            return code
    if STATE_FORCES.match(name):
        country = event.place.country if event.place else None
        return 1 if country and country in name else 8
    return None


def _notes(event: Event) -> str:
    """The event's source sentences, then its claims and attributions in words."""
    texts = list(dict.fromkeys(s.text for s in event.sources if s.text))
    notes = " ".join(texts)
    claims = sorted({c.claimant_name or c.claimant_id for c in event.claims})
    if claims:
        notes += f" [Claimed by: {'; '.join(claims)}.]"
    blamed = sorted(
        {
            f"{a.actor_name or a.actor_id}"
            + (f" ({a.estimative})" if a.estimative else "")
            + (f", according to {a.by_actor_id}" if a.by_actor_id else "")
            for a in event.attributions
        }
    )
    if blamed:
        notes += f" [Attributed to: {'; '.join(blamed)}.]"
    return notes.strip()


def _sides(event: Event) -> tuple[list[str], list[str]]:
    one = _names(event.actors, SIDE_ONE) or _names(event.actors, ("claimant",))
    if not one:
        one = list(dict.fromkeys(c.claimant_name or c.claimant_id for c in event.claims))
    return one, _names(event.actors, SIDE_TWO)


def acled_row(
    event: Event,
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    kb: KnowledgeBase | None = None,
) -> dict[str, Any]:
    """One event as an ACLED row (codebook columns), plus watchfloor's extra columns.

    >>> e = Event(id="e1", date=dt.date(2020, 3, 11), event_type="Battles",
    ...           sub_event_type="Armed clash")
    >>> acled_row(e)["event_date"], acled_row(e)["time_precision"]
    ('2020-03-11', 1)
    """
    one, two = _sides(event)
    inter1 = _inter(event, one[0], kb) if one else None
    inter2 = _inter(event, two[0], kb) if two else None
    return {
        **_acled_when(event),
        "disorder_type": event.disorder_type or "",
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": one[0] if one else "",
        "assoc_actor_1": "; ".join(one[1:]),
        "inter1": inter1,
        "actor2": two[0] if two else "",
        "assoc_actor_2": "; ".join(two[1:]),
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        **_acled_where(event),
        **_acled_sources(event, documents or {}),
        "notes": _notes(event),
        "fatalities": event.fatalities.min if event.fatalities else 0,
        "tags": "",
        **_extra(event),
    }


def _acled_when(event: Event) -> dict[str, Any]:
    return {
        "event_id_cnty": acled_event_id(event),
        "event_date": event.date.isoformat(),
        "year": event.date.year,
        "time_precision": CODE_OF_PRECISION.get(event.date_precision, 3),
    }


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two actor codes, lower first (a lone actor's is X0)."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def _acled_where(event: Event) -> dict[str, Any]:
    place = event.place
    country = place.country if place and place.country else ""
    iso, region = COUNTRIES.get(country, (None, ""))
    return {
        "iso": iso,
        "region": region,
        "country": country,
        "admin1": (place.admin1 or "") if place else "",
        "admin2": "",
        "admin3": "",
        "location": place.name if place else "",
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.geo_precision if place else 3,
    }


def _acled_sources(event: Event, documents: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    found = [documents[s.document_id] for s in event.sources if s.document_id in documents]
    outlets = [str(d.get("outlet") or d.get("title") or d["document_id"]) for d in found]
    stamps = [_timestamp(d) for d in found]
    return {
        "source": "; ".join(dict.fromkeys(outlets)),
        "source_scale": "",
        "timestamp": max((s for s in stamps if s is not None), default=None),
    }


def _timestamp(document: Mapping[str, Any]) -> int | None:
    published = document.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    if not isinstance(published, dt.date):
        return None
    return int(
        dt.datetime(published.year, published.month, published.day, tzinfo=dt.UTC).timestamp()
    )


def _extra(event: Event) -> dict[str, Any]:
    return {
        "watchfloor_id": event.id,
        "weapon": event.weapon or "",
        "munitions": event.munitions.count if event.munitions else None,
        "claimants": ";".join(sorted({c.claimant_id for c in event.claims})),
        "attributed_to": ";".join(sorted({a.actor_id for a in event.attributions})),
    }


def acled_csv(
    events: Iterable[Event],
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    kb: KnowledgeBase | None = None,
) -> str:
    """Events as an ACLED CSV: the codebook's columns in its order, nothing else.

    >>> acled_csv([]).split(",")[:2]
    ['event_id_cnty', 'event_date']
    """
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=ACLED_COLUMNS, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for event in events:
        row = acled_row(event, documents=documents, kb=kb)
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


# -- GeoJSON and Parquet ----------------------------------------------------------


def geojson(
    events: Iterable[Event],
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    kb: KnowledgeBase | None = None,
) -> dict[str, Any]:
    """Events with coordinates as an RFC 7946 FeatureCollection of points [lon, lat].

    >>> geojson([])["type"]
    'FeatureCollection'
    """
    features = []
    for event in events:
        place = event.place
        if place is None or place.lat is None or place.lon is None:
            continue
        properties = acled_row(event, documents=documents, kb=kb)
        properties.pop("latitude")
        properties.pop("longitude")
        features.append(
            {
                "type": "Feature",
                "id": event.id,
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def parquet_table(
    events: Iterable[Event],
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    kb: KnowledgeBase | None = None,
) -> pa.Table:
    """Events as an Arrow table: ACLED's columns, typed, then watchfloor's extras.

    >>> parquet_table([]).num_rows
    0
    """
    rows = [acled_row(e, documents=documents, kb=kb) for e in events]
    columns = [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    fields = [pa.field(c, PARQUET_TYPES.get(c, pa.string())) for c in columns]
    data = {c: [row[c] for row in rows] for c in columns}
    return pa.table(data, schema=pa.schema(fields))


def parquet_bytes(
    events: Iterable[Event],
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    kb: KnowledgeBase | None = None,
) -> bytes:
    """Events as a Parquet file's bytes (see `parquet_table`).

    >>> parquet_bytes([])[:4]
    b'PAR1'
    """
    sink = io.BytesIO()
    pq.write_table(parquet_table(events, documents=documents, kb=kb), sink)
    return sink.getvalue()


def documents_by_id(store: Store) -> dict[str, dict[str, Any]]:
    """The stored documents' rows (without texts) by document id.

    >>> documents_by_id(store)["acled-IRQ900001"]["outlet"]  # doctest: +SKIP
    'Reuters; Shafaq News'
    """
    return {row["document_id"]: row for row in store.document_rows()}


def geojson_text(geo: Mapping[str, Any]) -> str:
    """A GeoJSON object as JSON text.

    >>> geojson_text(geojson([]))
    '{"type": "FeatureCollection", "features": []}'
    """
    return json.dumps(geo, ensure_ascii=False)
