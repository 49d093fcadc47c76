"""Scale fixtures: a small mixed corpus, the extractor and gate, worker pools, PostgreSQL.

The pools start once per module (each worker loads the spaCy pipeline, a few
seconds); the PostgreSQL database is fresh for each test and dropped after it.
Where no PostgreSQL server answers, its tests skip, except under CI=true.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from watchfloor.extract import Extractor, build_extractor
from watchfloor.extract.gate import RelevanceGate, build_gate
from watchfloor.store import Store

ROOT = Path(__file__).resolve().parent.parent.parent
CASES = ROOT / "tests" / "cases"
REPORTS = (
    "01-k1-rocket-attack-kirkuk.txt",
    "05-iran-missiles-ain-al-asad-erbil.txt",
    "07-camp-taji-march-11.html",
    "13-green-zone-rockets-child-killed.txt",
    "15-awliya-al-dam-erbil-claim-telegram.txt",
    "18-erbil-drone-and-bashiqa-rockets.txt",
)
NOISE = {
    "sports.txt": "Northbridge beat Calder Town 2-1 on Saturday with a late strike from "
    "their captain. Their attack looked sharper after the break.\n",
    "markets.md": "# Markets\n\nShares of Altavio hit a record high after the two "
    "companies agreed a merger deal worth nine billion dollars.\n",
    "weather.txt": "Heavy rain hit the north coast on Monday, flooding roads and cutting "
    "power to thousands of homes. The storm is expected to weaken.\n",
}


def snapshot(url: str) -> dict[str, Any]:
    """What a database holds, in a form that ignores ingest times and row order."""
    with Store.open(url) as store:
        counts = store.counts()
        documents = sorted((d["document_id"], d["title"]) for d in store.document_rows())
        events = sorted(
            (
                e.id,
                e.date,
                e.event_type,
                e.sub_event_type,
                e.place.place_id if e.place else None,
                tuple(sorted((a.actor_id, a.role) for a in e.actors)),
            )
            for e in store.events()
        )
        fused = sorted(
            (f.id, f.event.date, f.event.sub_event_type, tuple(sorted(f.member_ids)))
            for f in store.fused_events()
        )
    return {"counts": counts, "documents": documents, "events": events, "fused": fused}


@pytest.fixture(scope="session")
def mixed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of six reports from tests/cases and three off-topic stories."""
    folder = tmp_path_factory.mktemp("mixed")
    for name in REPORTS:
        shutil.copy(CASES / name, folder / name)
    for name, text in NOISE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real pipeline, loaded once."""
    return build_extractor()


@pytest.fixture(scope="session")
def gate(extractor: Extractor) -> RelevanceGate:
    """The relevance gate over the extractor's knowledge base."""
    return build_gate(extractor.kb)


@pytest.fixture(autouse=True)
def _quiet_distributed() -> None:
    """Dask logs its workers' comings and goings at INFO: keep test output readable."""
    logging.getLogger("distributed").setLevel(logging.ERROR)


@pytest.fixture
def pg_urls(pg_admin: sa.Engine) -> Iterator[tuple[str, str]]:
    """The URLs of two fresh PostgreSQL databases, dropped after the test."""
    names = [f"watchfloor_scale_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with pg_admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(PG_URL)
    first, second = (url.set(database=n).render_as_string(hide_password=False) for n in names)
    yield first, second
    with pg_admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
