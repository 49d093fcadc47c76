"""Shared fixtures: paths to the shared case files, the PostgreSQL server, and the rule
for tests that need them (skip where absent, fail under CI=true)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from watchfloor.store import sqlalchemy_url

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("WATCHFLOOR_TEST_PG_URL", "postgresql:///postgres")


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skip the test where it is absent, except under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent (it ships beside the repository, not in it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[sa.Engine]:
    """An engine on the PostgreSQL server's admin database, or skip (fail under CI)."""
    engine = sa.create_engine(sqlalchemy_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as e:
        engine.dispose()
        reason = str(e.orig).strip().splitlines()[0]
        message = f"PostgreSQL not reachable at {PG_URL}; run .ci/postgres.sh ({reason})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield engine
    engine.dispose()
