"""Alembic's environment: migrates the connection that `Store.open` passes in.

From the command line (for writing a new revision), name the database with
`-x db=PATH_OR_URL`:

    alembic -c src/watchfloor/store/alembic.ini -x db=dev.db revision -m "add x"

No logging configuration is loaded here, on purpose: the library must not
change its caller's logging.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from watchfloor.store.engine import create_store_engine, sqlalchemy_url, writer
from watchfloor.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _database_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("WATCHFLOOR_DB")
    if not url:
        raise SystemExit("name the database: alembic -x db=PATH_OR_URL ...")
    return url


def _run_offline() -> None:
    context.configure(
        url=sqlalchemy_url(_database_url()), target_metadata=metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_store_engine(_database_url())
    try:
        with writer(engine).begin() as opened:
            _run(opened)
    finally:
        engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
