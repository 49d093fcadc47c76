"""The store stage: one database (SQLite file by default, PostgreSQL by URL).

>>> from watchfloor.store import Store
>>> with Store.open("desk.db") as store:                  # doctest: +SKIP
...     store.save(document, extraction)
...     store.events(since=dt.date(2020, 3, 1), actor_id="kataib-hezbollah")

`watchfloor.store.schema` holds the tables, for the analysis stages' own queries
on `Store.engine`.
"""

from watchfloor.store.db import Store
from watchfloor.store.engine import schema_head, sqlalchemy_url

__all__ = ["Store", "schema_head", "sqlalchemy_url"]
