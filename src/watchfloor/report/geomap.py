"""Offline maps: Natural Earth governorates and countries shipped as package data, and the
SITREP's map of events drawn on them with matplotlib (no tiles, no network)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from watchfloor.resolve.fusion import FusedEvent

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


# -- the map of events -------------------------------------------------------------------

IRAQ_EXTENT = (38.4, 49.0, 28.8, 37.6)  # lon min, lon max, lat min, lat max
MAX_REACH = 4.0  # degrees the map may grow beyond Iraq to show an event
MAX_LABELS = 8
STYLES: dict[str, tuple[str, str, str]] = {
    "shelling/artillery/missile attack": ("^", "#b2182b", "shelling, artillery, missiles"),
    "air/drone strike": ("v", "#2166ac", "air or drone strike"),
    "remote explosive/landmine/ied": ("X", "#e08214", "IED or landmine"),
}
OTHER_STYLE = ("o", "#6a3d9a", "other attack")
CLUSTER_REACH = 0.5
CLUSTER_PLACES = 3
DETAIL_BOX = (0.015, 0.015, 0.44, 0.44)  # the inset, in the map's axes fractions
LABEL_RISES = (0.6, -0.6, 1.8, -1.8, 3.0, -3.0, 4.2, -4.2)  # in lines of text


@dataclass(frozen=True)
class MapPoint:
    """One event on the map: where, what type, how many munitions, and its place's name."""

    lon: float
    lat: float
    sub_event_type: str
    munitions: int | None
    place: str


def map_points(events: Iterable[FusedEvent]) -> list[MapPoint]:
    """The events that have coordinates, as points to draw.

    >>> map_points([])
    []
    """
    points = []
    for fused in events:
        place = fused.event.place
        if place is None or place.lat is None or place.lon is None:
            continue
        count = fused.munitions.best if fused.munitions else None
        points.append(
            MapPoint(place.lon, place.lat, fused.event.sub_event_type.lower(), count, place.name)
        )
    return points


def event_map(points: Sequence[MapPoint], *, title: str = "") -> Figure:
    """Iraq's governorates and its neighbours in grey, the events on top, key sites named.

    >>> event_map([MapPoint(44.4, 33.3, "air/drone strike", None, "Baghdad")]).axes[0].get_title()
    ''
    """
    figure = Figure(figsize=(8.0, 7.8), layout="constrained")
    axes = figure.add_subplot()
    west, east, south, north = _extent(points)
    _draw_boundaries(axes, (west, east, south, north))
    _draw_points(axes, points)
    _frame(axes, (west, east, south, north))
    cluster = densest_cluster(points)
    shown = [p for p in points if p not in cluster] if cluster else points
    _label_sites(axes, shown, (west, east, south, north))
    if cluster:
        _detail(axes, cluster)
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.tick_params(labelsize=8)
    axes.set_title(title)
    _legend(figure, points)
    return figure


def _frame(axes: Axes, extent: tuple[float, float, float, float]) -> None:
    west, east, south, north = extent
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))


def densest_cluster(points: Sequence[MapPoint], *, reach: float = CLUSTER_REACH) -> list[MapPoint]:
    """The points around the place with most other places within `reach` degrees, when
    they are at least CLUSTER_PLACES places (too close to tell apart on the whole map).

    >>> near = [MapPoint(44.3 + i / 10, 33.3, "x", None, f"p{i}") for i in range(3)]
    >>> len(densest_cluster([*near, MapPoint(40.0, 30.0, "x", None, "far")]))
    3
    """
    best: list[MapPoint] = []
    for centre in points:
        around = [p for p in points if _near(p, centre, reach)]
        if len({p.place for p in around}) > len({p.place for p in best}):
            best = around
    return best if len({p.place for p in best}) >= CLUSTER_PLACES else []


def _near(one: MapPoint, other: MapPoint, reach: float) -> bool:
    return abs(one.lon - other.lon) <= reach and abs(one.lat - other.lat) <= reach


def _detail(axes: Axes, cluster: Sequence[MapPoint]) -> None:
    """An inset that enlarges a cluster of places, named, linked to where it lies."""
    inset = axes.inset_axes(DETAIL_BOX)
    margin = 0.12
    extent = (
        min(p.lon for p in cluster) - margin,
        max(p.lon for p in cluster) + margin,
        min(p.lat for p in cluster) - margin,
        max(p.lat for p in cluster) + margin,
    )
    inset.set_facecolor("#ffffff")
    _draw_features(inset, load_boundaries()["features"], face="none", edge="#bdbdbd", width=0.5)
    _draw_points(inset, cluster)
    _frame(inset, extent)
    _label_sites(inset, cluster, extent, scale=DETAIL_BOX[2])
    inset.set_xticks([])
    inset.set_yticks([])
    main = Counter(p.place for p in cluster).most_common(1)[0][0]
    inset.set_title(f"detail: around {main}", fontsize=8)
    axes.indicate_inset_zoom(inset, edgecolor="#555555")


def _extent(points: Sequence[MapPoint]) -> tuple[float, float, float, float]:
    west, east, south, north = IRAQ_EXTENT
    lons = [min(max(p.lon, west - MAX_REACH), east + MAX_REACH) for p in points]
    lats = [min(max(p.lat, south - MAX_REACH), north + MAX_REACH) for p in points]
    return (
        min([west, *(x - 0.5 for x in lons)]),
        max([east, *(x + 0.5 for x in lons)]),
        min([south, *(y - 0.5 for y in lats)]),
        max([north, *(y + 0.5 for y in lats)]),
    )


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _draw_boundaries(axes: Axes, extent: tuple[float, float, float, float]) -> None:
    axes.set_facecolor("#eef3f7")
    countries = load_boundaries(COUNTRIES)["features"]
    iraq = [f for f in countries if f["id"] == "IRQ"]
    _draw_features(axes, [f for f in countries if f["id"] != "IRQ"], face="#e4e4e4")
    _draw_features(axes, iraq, face="#ffffff")
    _draw_features(axes, load_boundaries()["features"], face="none", edge="#bdbdbd", width=0.5)
    _draw_features(axes, iraq, face="none", edge="#555555", width=1.1)
    for feature in countries:
        _name_country(axes, feature, extent, feature["id"] == "IRQ")


def _draw_features(
    axes: Axes,
    features: Sequence[dict[str, Any]],
    *,
    face: str,
    edge: str = "#9a9a9a",
    width: float = 0.7,
) -> None:
    """Draw the outer rings of the features as one collection (fast to draw and to save)."""
    rings = [ring for feature in features for ring in _rings(feature["geometry"])]
    shapes = PolyCollection(rings, closed=True, facecolors=face, edgecolors=edge, linewidths=width)
    axes.add_collection(shapes, autolim=False)


def _name_country(
    axes: Axes, feature: dict[str, Any], extent: tuple[float, float, float, float], inside: bool
) -> None:
    west, east, south, north = extent
    lon, lat = feature["properties"].get("label_lon"), feature["properties"].get("label_lat")
    if inside or lon is None or lat is None:
        return
    lon, lat = min(max(lon, west + 0.8), east - 0.8), min(max(lat, south + 0.4), north - 0.4)
    axes.text(
        lon,
        lat,
        feature["properties"]["name"],
        color="#8c8c8c",
        fontsize=9,
        ha="center",
        va="center",
        style="italic",
    )


def _style(sub_event_type: str) -> tuple[str, str, str]:
    return STYLES.get(sub_event_type, OTHER_STYLE)


def _size(munitions: int | None) -> float:
    return 36.0 if munitions is None else 36.0 + 22.0 * math.sqrt(munitions)


def _draw_points(axes: Axes, points: Sequence[MapPoint]) -> None:
    for kind in sorted({p.sub_event_type for p in points}):
        chosen = [p for p in points if p.sub_event_type == kind]
        marker, colour, _ = _style(kind)
        axes.scatter(
            [p.lon for p in chosen],
            [p.lat for p in chosen],
            s=[_size(p.munitions) for p in chosen],
            marker=marker,
            color=colour,
            alpha=0.65,
            edgecolors="#222222",
            linewidths=0.6,
            zorder=3,
        )


def key_sites(points: Sequence[MapPoint], *, top: int = MAX_LABELS) -> list[MapPoint]:
    """The places with most events (then most munitions), one point each.

    >>> p = MapPoint(44.0, 33.0, "x", 3, "A")
    >>> [s.place for s in key_sites([p, p, MapPoint(45.0, 34.0, "x", 30, "B")], top=1)]
    ['A']
    """
    by_place: dict[str, list[MapPoint]] = {}
    for point in points:
        by_place.setdefault(point.place, []).append(point)
    ranked = sorted(
        by_place.values(),
        key=lambda ps: (-len(ps), -max(p.munitions or 0 for p in ps), ps[0].place),
    )
    return [ps[0] for ps in ranked[:top]]


def _label_sites(
    axes: Axes,
    points: Sequence[MapPoint],
    extent: tuple[float, float, float, float],
    *,
    scale: float = 1.0,
) -> None:
    """Name the key sites, each label where it covers no other label, with a leader line."""
    counts: dict[str, int] = {}
    for point in points:
        counts[point.place] = counts.get(point.place, 0) + 1
    west, east, south, north = extent
    # a character's width and a line's height, in degrees, for 8-point text on this map
    char, line = (east - west) / (95 * scale), (north - south) / (42 * scale)
    placed: list[tuple[float, float, float, float]] = []
    for site in key_sites(points):
        text = site.place + (f" ({counts[site.place]})" if counts[site.place] > 1 else "")
        width = len(text) * char
        boxes = _boxes(site, width, char, line)
        box = next((b for b in boxes if not any(_overlap(b, p) for p in placed)), boxes[0])
        placed.append(box)
        left = box[0] >= site.lon
        x = box[0] if left else box[2]
        axes.annotate(
            text,
            xy=(site.lon, site.lat),
            xytext=(x, (box[1] + box[3]) / 2),
            fontsize=8,
            ha="left" if left else "right",
            va="center",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.6},
        )


def _boxes(
    site: MapPoint, width: float, char: float, line: float
) -> list[tuple[float, float, float, float]]:
    """Candidate label boxes (x0, y0, x1, y1): right of the point, then left, rising and falling."""
    found = []
    for rise in LABEL_RISES:
        for side in (1, -1):
            x = site.lon + side * 3 * char
            y = site.lat + rise * line
            x0, x1 = (x, x + width) if side > 0 else (x - width, x)
            found.append((x0, y - line / 2, x1, y + line / 2))
    return found


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _legend(figure: Figure, points: Sequence[MapPoint]) -> None:
    handles = []
    for kind in sorted({p.sub_event_type for p in points}):
        marker, colour, label = _style(kind)
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                color=colour,
                linestyle="none",
                markersize=8,
                label=label,
                markeredgecolor="#222222",
            )
        )
    for count in (1, 10, 30):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                color="#bbbbbb",
                linestyle="none",
                markersize=math.sqrt(_size(count)),
                label=f"{count} munition{'s' if count > 1 else ''}",
                markeredgecolor="#222222",
            )
        )
    if points:
        figure.legend(
            handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False
        )
