"""Opening the database: URLs, the engine (SQLite tuned for one writer and many readers),
and bringing the schema to Alembic's head.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from watchfloor.errors import SchemaOutOfDate, StoreError

HERE = Path(__file__).resolve().parent
ALEMBIC_INI = HERE / "alembic.ini"
MIGRATIONS = HERE / "migrations"

# How long a connection waits for another one's write lock before giving up.
BUSY_TIMEOUT_S = 30
# Key of the PostgreSQL advisory lock that serialises migrations between processes.
MIGRATION_LOCK = 0x77666C6F6F72  # "wfloor"
WRITE_OPTION = "watchfloor_write"


def sqlalchemy_url(url: str) -> str:
    """The SQLAlchemy URL for a path or URL: plain paths are SQLite, psycopg 3 for PostgreSQL.

    >>> sqlalchemy_url("desk.db")
    'sqlite:///desk.db'
    >>> sqlalchemy_url("postgresql://team@db/watch")
    'postgresql+psycopg://team@db/watch'
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def shown_url(url: str) -> str:
    """The URL with its password masked, for messages.

    >>> shown_url("postgresql://ana:secret@db/watch")
    'postgresql://ana:***@db/watch'
    """
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_store_engine(url: str) -> Engine:
    """An engine for the URL: SQLite in WAL mode with foreign keys, or PostgreSQL by psycopg."""
    try:
        parsed = sa.make_url(sqlalchemy_url(url))
    except ArgumentError as e:
        raise StoreError(f"{url!r} is not a database URL or path: {e}") from e
    try:
        if parsed.get_backend_name() != "sqlite":
            return sa.create_engine(parsed, pool_pre_ping=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
    except (ArgumentError, NoSuchModuleError, ImportError) as e:
        raise StoreError(
            f"cannot open {shown_url(url)}: unknown database kind or driver ({e})"
        ) from e
    if parsed.database and parsed.database != ":memory:" and "mode=memory" not in str(parsed):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take SQLite's write lock when they begin.

    A deferred transaction that reads and then writes cannot wait for a lock that
    another writer holds (SQLite returns 'database is locked' at once); one that
    begins IMMEDIATE waits up to the busy timeout instead.
    """
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy emit BEGIN (see _sqlite_begin), not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@functools.cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped in this package."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


def schema_head() -> str:
    """The newest schema revision this version of watchfloor knows.

    >>> schema_head()
    '0004'
    """
    head = _script().get_current_head()
    if head is None:
        raise StoreError(f"no migrations found in {MIGRATIONS}")
    return head


def ensure_schema(engine: Engine, *, url: str, migrate: bool) -> None:
    """Check the database's schema revision; upgrade it to head when `migrate` is true."""
    try:
        current = _current_revision(engine)
        if current == schema_head():
            return
        _check_known(current, url=url)
        if not migrate:
            raise SchemaOutOfDate(
                f"the database {shown_url(url)} is at schema revision {current or 'none'}, "
                f"older than {schema_head()}; run `watchfloor init` to upgrade it"
            )
        _upgrade(engine)
    except sa.exc.DatabaseError as e:
        raise StoreError(_unusable(url, e)) from e
    except (SQLAlchemyError, CommandError) as e:
        raise StoreError(f"cannot open the database {shown_url(url)}: {e}") from e


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _check_known(revision: str | None, *, url: str) -> None:
    known = {r.revision for r in _script().walk_revisions()}
    if revision is not None and revision not in known:
        raise SchemaOutOfDate(
            f"the database {shown_url(url)} has schema revision {revision}, newer than this "
            f"version of watchfloor knows (its newest is {schema_head()}); "
            "upgrade watchfloor to use this database"
        )


def _upgrade(engine: Engine) -> None:
    config = alembic_config()
    with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _unusable(url: str, error: sa.exc.DatabaseError) -> str:
    cause = str(error.orig).strip() if error.orig is not None else str(error)
    shown = shown_url(url)
    if sa.make_url(sqlalchemy_url(url)).get_backend_name() == "sqlite":
        return (
            f"cannot use {shown} as a database ({cause}); if it is not a watchfloor "
            "database, give another path with --db or move the file away"
        )
    if isinstance(error, sa.exc.OperationalError):
        return (
            f"cannot reach the database {shown} ({cause}); check that the server is "
            "running and that the URL, user and password are right"
        )
    return f"cannot use the database {shown} ({cause})"
