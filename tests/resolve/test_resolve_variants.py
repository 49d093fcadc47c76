"""Every row of variants.csv resolves as expected against the shipped knowledge base.

Rows: surface, expected_id (empty: an unknown name, kept as a candidate),
kind (actor or place), note, context (other names in the document, `|`-separated).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from watchfloor.config import Settings
from watchfloor.knowledge import load_knowledge
from watchfloor.resolve import NameResolver, slug

VARIANTS = Path(__file__).with_name("variants.csv")
ROWS = list(csv.DictReader(VARIANTS.read_text(encoding="utf-8").splitlines()))


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    return NameResolver(load_knowledge(), threshold=Settings().fuzzy_threshold)


def test_the_table_is_large_and_well_formed() -> None:
    assert len(ROWS) >= 170
    assert {row["kind"] for row in ROWS} == {"actor", "place"}
    assert all(row["surface"] and row["note"] for row in ROWS)


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['kind']}:{r['surface']}:{r['context'] or '-'}" for r in ROWS]
)
def test_variant(resolver: NameResolver, row: dict[str, str]) -> None:
    context = [name for name in row["context"].split("|") if name]
    if row["kind"] == "actor":
        found = resolver.resolve_actor(row["surface"], context=context)
    else:
        found = resolver.resolve_place(row["surface"])
    expected = row["expected_id"] or None
    assert found.id == expected, f"{row['note']}: {found.reason}"
    if expected is None:
        assert found.candidate_id and found.candidate_id == slug(found.candidate_id)
