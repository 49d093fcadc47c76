"""Opening databases: migrations, schema revisions, URLs, and what is not a database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from watchfloor.errors import SchemaOutOfDate, StoreError
from watchfloor.store import Store, schema, schema_head, sqlalchemy_url


def test_a_new_database_is_at_the_head_revision(store: Store) -> None:
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == schema_head()


def test_the_migrations_build_the_tables_of_schema_py(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []


def test_a_newer_schema_is_refused(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaOutOfDate, match=r"revision 9999, newer than .* upgrade watchfloor"):
        Store.open(db_url)


def test_an_old_schema_without_migrate_is_refused(db_url: str) -> None:
    with pytest.raises(SchemaOutOfDate, match="run `watchfloor init`"):
        Store.open(db_url, migrate=False)
    with Store.open(db_url) as store:
        assert store.counts()["documents"] == 0
    with Store.open(db_url, migrate=False) as store:
        assert store.counts()["documents"] == 0


def test_opening_twice_migrates_once(db_url: str) -> None:
    with Store.open(db_url), Store.open(db_url) as second:
        assert second.counts()["events"] == 0


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("desk.db", "sqlite:///desk.db"),
        ("/srv/watch/desk.db", "sqlite:////srv/watch/desk.db"),
        ("sqlite:///desk.db", "sqlite:///desk.db"),
        ("postgresql:///postgres", "postgresql+psycopg:///postgres"),
        ("postgresql://ana:pw@db:5433/watch", "postgresql+psycopg://ana:pw@db:5433/watch"),
        ("postgres://db/watch", "postgresql+psycopg://db/watch"),
        ("postgresql+psycopg://db/watch", "postgresql+psycopg://db/watch"),
    ],
)
def test_urls(given: str, expected: str) -> None:
    assert sqlalchemy_url(given) == expected


def test_an_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"cannot reach the database .*ana:\*\*\*@127\.0\.0\.1"):
        Store.open("postgresql://ana:secret@127.0.0.1:1/watch?connect_timeout=2")


def test_a_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="unknown database kind"):
        Store.open("nosuchdialect://x/y")
