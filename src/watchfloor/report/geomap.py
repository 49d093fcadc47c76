"""Boundaries for offline maps: Natural Earth governorates and countries shipped as package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

GOVERNORATES = "iraq-governorates.geojson"
COUNTRIES = "region-countries.geojson"


@cache
def load_boundaries(name: str = GOVERNORATES) -> dict[str, Any]:
    """One shipped GeoJSON FeatureCollection, parsed.

    >>> len(load_boundaries()["features"])
    18
    >>> load_boundaries(COUNTRIES)["features"][0]["id"]
    'IRQ'
    """
    text = resources.files("watchfloor.report").joinpath("data", name).read_text("utf-8")
    collection: dict[str, Any] = json.loads(text)
    return collection
