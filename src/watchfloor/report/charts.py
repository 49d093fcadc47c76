"""The SITREP's pictures as bytes: the tempo chart, the map and the actor network.

Each picture is drawn once with matplotlib and kept as SVG (for HTML, text drawn as
paths so that no font is fetched) and PNG (for Markdown and PDF).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import networkx as nx
from matplotlib.figure import Figure

from watchfloor.analyse.network import draw_graph
from watchfloor.analyse.tempo import TempoAssessment, tempo_chart
from watchfloor.report.geomap import MapPoint, event_map
from watchfloor.report.sitrep_model import Chart

PNG_DPI = 110


def figure_bytes(figure: Figure, *, dpi: int = PNG_DPI) -> tuple[bytes, bytes]:
    """A matplotlib figure as SVG and PNG bytes (the SVG without a date, so it is stable).

    >>> svg, png = figure_bytes(Figure(figsize=(1, 1)))
    >>> svg[:5], png[:4]
    (b'<?xml', b'\\x89PNG')
    """
    svg, png = io.BytesIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None})
    figure.set_layout_engine("none")  # laid out by the first save: keep it, don't redo it
    figure.savefig(png, format="png", dpi=dpi)
    return svg.getvalue(), png.getvalue()


def tempo_picture(assessment: TempoAssessment) -> Chart:
    """The tempo and scale chart of `analyse.tempo`."""
    with tempfile.TemporaryDirectory(prefix="watchfloor-") as folder:
        png, svg = tempo_chart(assessment, Path(folder) / "tempo")
        chart = Chart(
            name="tempo",
            title=f"Tempo and scale: {assessment.label} a {assessment.unit}",
            alt=f"Bar chart of {assessment.label} a {assessment.unit} with the rate of each "
            "segment between change-points, and munitions per attack below.",
            svg=svg.read_bytes(),
            png=png.read_bytes(),
        )
    return chart


def map_picture(points: list[MapPoint], *, title: str) -> Chart:
    """The map of events on Iraq's governorates and its neighbours."""
    svg, png = figure_bytes(event_map(points, title=title))
    return Chart(
        name="map",
        title=title,
        alt=f"Map of Iraq and its neighbours with {len(points)} events, marked by type "
        "and sized by the number of munitions.",
        svg=svg,
        png=png,
    )


def network_picture(graph: nx.DiGraph, *, top: int = 30) -> Chart:
    """The actor network, coloured by kind, the most central actors named (PNG only)."""
    with tempfile.TemporaryDirectory(prefix="watchfloor-") as folder:
        png = draw_graph(graph, Path(folder) / "network.png", top=top).read_bytes()
    return Chart(
        name="network",
        title="Actor network of the period",
        alt=f"Network of {graph.number_of_nodes()} actors and {graph.number_of_edges()} "
        "relations, coloured by kind of actor.",
        svg=None,
        png=png,
    )
