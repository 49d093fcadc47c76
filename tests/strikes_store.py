"""Half a year of rocket attacks on US sites and two US strikes after which they fall off:
a store with a known effect, for the `effect` command's and the API's tests."""

from __future__ import annotations

import datetime as dt

import numpy as np

from watchfloor.ingest import make_document
from watchfloor.model import Event, EventActor, Extraction, Place
from watchfloor.store import Store

ROCKETS = "Shelling/artillery/missile attack"
STRIKE = "Air/drone strike"
STRIKES = (dt.date(2020, 1, 3), dt.date(2020, 3, 13))


def attack(n: int, day: dt.date, sub_type: str, by: str, on: str, doc_id: str) -> Event:
    """One event on a site of its own (no two fuse)."""
    return Event(
        id=f"{doc_id}-e{n}",
        date=day,
        event_type="Explosions/Remote violence",
        sub_event_type=sub_type,
        place=Place(name=f"site {n}"),
        actors=[
            EventActor(actor_id=by, name=by, role="perpetrator"),
            EventActor(actor_id=on, name=on, role="target"),
        ],
    )


def save_attacks(store: Store) -> None:
    """Rockets at 1.5 a day, 0.4 a day after the strike of 2020-03-13; one document, fused."""
    document = make_document(
        "A log of rocket attacks and two strikes.",
        source="log.txt",
        fmt="txt",
        published=dt.date(2020, 4, 30),
    )
    doc_id, rng, events = document.document_id, np.random.default_rng(4), []
    for offset in range(182):
        day = dt.date(2019, 11, 1) + dt.timedelta(days=offset)
        for _ in range(rng.poisson(1.5 if day < STRIKES[1] else 0.4)):
            events.append(
                attack(len(events), day, ROCKETS, "kataib-hezbollah", "united-states", doc_id)
            )
    for day in STRIKES:
        events.append(attack(len(events), day, STRIKE, "united-states", "kataib-hezbollah", doc_id))
    store.save(document, Extraction(document_id=doc_id, events=events))
    store.refuse()
