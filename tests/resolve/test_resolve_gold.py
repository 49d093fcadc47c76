"""The seed report's gold actors: every surface form resolves to its id.

Each surface is resolved with the other names of the gold file as its context,
as the extractor does with the other names of a document.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from watchfloor.knowledge import load_knowledge
from watchfloor.resolve import NameResolver

SHARED = Path(__file__).resolve().parents[3] / "shared"


def shared_path(*parts: str) -> Path:
    """A file beside the repository; skip where it is absent, but fail under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent (it ships beside the repository, not in it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def gold_actors() -> dict[str, list[str]]:
    path: Path = shared_path("gold", "iraq-proxies-2020.gold.yaml")
    actors: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))["actors"]
    return actors


def test_every_gold_surface_resolves_to_its_id() -> None:
    actors = gold_actors()
    resolver = NameResolver(load_knowledge())
    names = [surface for surfaces in actors.values() for surface in surfaces]
    wrong = []
    for actor_id, surfaces in actors.items():
        for surface in surfaces:
            context = [name for name in names if name != surface]
            found = resolver.resolve_actor(surface, context=context)
            if found.id != actor_id:
                wrong.append(f"{surface!r} -> {found.id} (want {actor_id}): {found.reason}")
    assert not wrong, "\n".join(wrong)
    assert len(names) >= 40


@pytest.mark.parametrize(
    ("surface", "context", "not_id"),
    [
        ("Abu Mehdi al-Muhandis", ["Adel Abdul Mehdi"], "adel-abdul-mehdi"),
        ("Sadr City", ["Moqtada al-Sadr", "Sadr"], "moqtada-al-sadr"),
        ("Mehdi", ["Abu Mehdi al-Muhandis"], "adel-abdul-mehdi"),
    ],
)
def test_gold_confusables(surface: str, context: list[str], not_id: str) -> None:
    found = NameResolver(load_knowledge()).resolve_actor(surface, context=context)
    assert found.id != not_id, found.reason


CASES = sorted((Path(__file__).resolve().parents[1] / "cases").glob("*.gold.yaml"))


@pytest.mark.parametrize("gold", CASES, ids=[c.name.split(".")[0] for c in CASES])
def test_every_case_gold_surface_resolves_to_its_id(gold: Path) -> None:
    actors: dict[str, list[str]] = yaml.safe_load(gold.read_text(encoding="utf-8")).get("actors")
    resolver = NameResolver(load_knowledge())
    names = [surface for surfaces in (actors or {}).values() for surface in surfaces]
    wrong = [
        f"{surface!r} -> {found.id} (want {actor_id}): {found.reason}"
        for actor_id, surfaces in (actors or {}).items()
        for surface in surfaces
        if (found := resolver.resolve_actor(surface, context=[n for n in names if n != surface])).id
        != actor_id
    ]
    assert not wrong, "\n".join(wrong)
