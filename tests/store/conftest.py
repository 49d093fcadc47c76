"""Store fixtures: a fresh database on each backend, and a document with a full extraction.

The PostgreSQL backend connects to WATCHFLOOR_TEST_PG_URL (default
`postgresql:///postgres`, the unix socket as the current user), creates a database
for each test and drops it afterwards. Where no server answers, its tests skip,
except under CI=true, where they fail: run .ci/postgres.sh to get one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from watchfloor.model import (
    Actor,
    Attribution,
    Casualties,
    Claim,
    Document,
    Event,
    EventActor,
    Extraction,
    Judgment,
    KeyDate,
    Mention,
    Munitions,
    Place,
    Relation,
    SourceSpan,
)
from watchfloor.store import Store, schema

Sample = Callable[..., tuple[Document, Extraction]]


def _create_database(admin: sa.Engine) -> str:
    name = f"watchfloor_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return name


def _drop_database(admin: sa.Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(name: str) -> str:
    return sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def pg_url(pg_admin: sa.Engine) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    name = _create_database(pg_admin)
    yield _database_url(name)
    _drop_database(pg_admin, name)


@pytest.fixture(scope="session")
def pg_shared_url(pg_admin: sa.Engine) -> Iterator[str]:
    """A PostgreSQL database migrated once for the session (creating one costs ~0.5 s)."""
    name = _create_database(pg_admin)
    url = _database_url(name)
    Store.open(url).close()
    yield url
    _drop_database(pg_admin, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend a test runs on."""
    name: str = request.param
    return name


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A path or URL of a fresh, empty database, once per backend."""
    if backend == "sqlite":
        return str(tmp_path / "desk" / "store.db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An open store with empty tables, once per backend.

    On PostgreSQL the session's database is emptied for each test rather than created anew.
    """
    if backend == "sqlite":
        url = str(tmp_path / "desk" / "store.db")
    else:
        url = request.getfixturevalue("pg_shared_url")
    with Store.open(url) as opened:
        if backend == "postgresql":
            names = ", ".join(t.name for t in schema.TABLES)
            with opened.engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        yield opened


TEXT = (
    "On March 11, 2020 more than 30 Katyusha rockets struck Camp Taji, north of Baghdad, "
    "killing two American soldiers and one British soldier. Usbat al-Thairen claimed the "
    "attack on Telegram on March 15. US officials named Kata'ib Hezbollah as responsible; "
    "the group is likely a front of Kata'ib Hezbollah. Further attacks on Camp Taji are "
    "likely before April 26."
)


def span(document_id: str, words: str, *, after: int = 0) -> SourceSpan:
    """The span of `words` in TEXT."""
    start = TEXT.index(words, after)
    return SourceSpan(document_id=document_id, start=start, end=start + len(words), text=words)


def make_event(document_id: str, n: int = 1, **fields: object) -> Event:
    """A rocket attack on Camp Taji, claimed by one group and attributed to another."""
    values: dict[str, object] = {
        "id": f"{document_id}-e{n}",
        "date": dt.date(2020, 3, 11),
        "date_precision": "day",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "shelling/artillery/missile attack",
        "disorder_type": "Political violence",
        "place": Place(
            place_id="camp-taji",
            name="Camp Taji",
            lat=33.5289,
            lon=44.2614,
            admin1="Baghdad",
            country="Iraq",
            geo_precision=1,
            kind="base",
            aliases=["Taji"],
        ),
        "actors": [
            EventActor(actor_id="usbat-al-thairen", name="Usbat al-Thairen", role="claimant"),
            EventActor(actor_id="coalition", name="Coalition forces", role="target"),
        ],
        "weapon": "rocket",
        "munitions": Munitions(
            count=30,
            qualifier="more_than",
            weapon="rocket",
            span=span(document_id, "more than 30 Katyusha rockets"),
        ),
        "fatalities": Casualties(min=3, max=3, side="coalition"),
        "claims": [
            Claim(
                claimant_id="usbat-al-thairen",
                claimant_name="Usbat al-Thairen",
                claimed_on=dt.date(2020, 3, 15),
                channel="Telegram",
                document_id=document_id,
                span=span(document_id, "Usbat al-Thairen claimed the attack"),
            )
        ],
        "attributions": [
            Attribution(
                actor_id="kataib-hezbollah",
                actor_name="Kata'ib Hezbollah",
                by_actor_id="united-states",
                estimative="named",
                probability=(0.8, 0.95),
                document_id=document_id,
                span=span(document_id, "US officials named Kata'ib Hezbollah as responsible"),
            )
        ],
        "sources": [span(document_id, "struck Camp Taji")],
        "reasons": ["trigger 'struck'", "place from the sites gazetteer"],
    }
    values.update(fields)
    return Event.model_validate(values)


def make_extraction(document_id: str) -> Extraction:
    """An extraction holding one of every kind of record."""
    return Extraction(
        document_id=document_id,
        events=[make_event(document_id)],
        mentions=[
            Mention(
                surface="Usbat al-Thairen",
                label="ACTOR",
                resolved_id="usbat-al-thairen",
                score=100.0,
                span=span(document_id, "Usbat al-Thairen"),
                reason="alias",
            ),
            Mention(
                surface="Camp Taji",
                label="PLACE",
                resolved_id="camp-taji",
                score=97.5,
                span=span(document_id, "Camp Taji"),
            ),
        ],
        candidates=[
            Actor(
                actor_id="candidate:usbat-al-thairen",
                name="Usbat al-Thairen",
                kind="militia",
                candidate=True,
                mentions=["Usbat al-Thairen"],
            )
        ],
        relations=[
            Relation(
                subject="usbat-al-thairen",
                relation="front_of",
                object="kataib-hezbollah",
                source="document",
                estimative="likely",
                span=span(document_id, "the group is likely a front of Kata'ib Hezbollah"),
            ),
            Relation(subject="kataib-hezbollah", relation="proxy_of", object="iran"),
        ],
        judgments=[
            Judgment(
                id=f"{document_id}-j1",
                text="Further attacks on Camp Taji are likely before April 26.",
                term="likely",
                probability=(0.55, 0.8),
                document_id=document_id,
                span=span(document_id, "Further attacks on Camp Taji are likely"),
            )
        ],
        key_dates=[
            KeyDate(
                date=dt.date(2020, 4, 26),
                what="Further attacks expected before this date",
                kind="deadline",
                document_id=document_id,
                actor_ids=["kataib-hezbollah", "usbat-al-thairen"],
                span=span(document_id, "before April 26"),
            )
        ],
        notes=["built by the store tests"],
    )


def make_document(n: int = 1, *, text: str = TEXT) -> Document:
    """Document number n; its content hash differs with n."""
    return Document(
        document_id=f"doc{n}",
        title=f"Rockets on Camp Taji, report {n}",
        source=f"reports/taji-{n}.txt",
        url=f"https://example.org/taji/{n}",
        published=dt.date(2020, 3, 20),
        content_hash=f"hash{n}",
        format="txt",
        text=text,
        outlet="Example Wire",
        author="A. Analyst",
    )


@pytest.fixture
def sample() -> Sample:
    """A function giving document n and its full extraction."""

    def build(n: int = 1) -> tuple[Document, Extraction]:
        document = make_document(n)
        return document, make_extraction(document.document_id)

    return build


@pytest.fixture
def new_event() -> Callable[..., Event]:
    """`make_event`: an event of a document, its fields overridable."""
    return make_event


@pytest.fixture
def new_extraction() -> Callable[[str], Extraction]:
    """`make_extraction`: a full extraction of a document."""
    return make_extraction
