"""The actor network: who is related to whom, by which relation, on whose word.

One directed graph (`networkx.DiGraph`), one node per actor (`name`, `kind`), one
edge per ordered pair of actors. An edge gathers every relation between the pair
from four sources: the knowledge base (`knowledge`), relations that documents state
(`document:<id>`), co-claims (two actors claiming the same fused event, `event:<id>`)
and attributions (claimant -> attributed actor, `attributed by <actor> in <document>`).
Its attributes are strings and numbers only, so GraphML and GEXF take it as it is:
`relations` and `sources` (';'-joined, sorted), `relation` (the first of them) and
`weight` (how many records say so).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure

from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.model import Event, Relation
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

CO_CLAIMED = "co_claimed"
ATTRIBUTED_TO = "attributed_to"
KIND_COLOURS = {
    "state": "#1f77b4", "state_force": "#aec7e8", "government_body": "#9edae5",
    "international_force": "#17becf", "militia": "#d62728", "front_group": "#ff9896",
    "alliance": "#9467bd", "collective": "#c5b0d5", "person": "#7f7f7f",
    "terrorist_group": "#2ca02c", "party": "#bcbd22", "media_outlet": "#8c564b",
}  # fmt: skip
OTHER_COLOUR = "#e7e7e7"


def actor_graph(
    kb: KnowledgeBase,
    *,
    relations: Iterable[Relation] = (),
    events: Iterable[Event] = (),
) -> nx.DiGraph:
    """The actor network from the knowledge base, stated relations and events.

    >>> from watchfloor.knowledge import load_knowledge
    >>> graph = actor_graph(load_knowledge())
    >>> graph.edges["usbat-al-thairen", "kataib-hezbollah"]["relations"]
    'front_of'
    """
    graph = nx.DiGraph()
    for relation in kb.relations:
        _add_edge(graph, kb, relation.subject, relation.object, relation.relation, "knowledge")
    for relation in relations:
        source = f"document:{relation.span.document_id}" if relation.span else relation.source
        _add_edge(graph, kb, relation.subject, relation.object, relation.relation, source)
    for event in events:
        _add_event(graph, kb, event)
    return graph


def store_graph(store: Store, kb: KnowledgeBase) -> nx.DiGraph:
    """The actor network of everything in a store, over the knowledge base's.

    >>> with Store.open("desk.db") as store:                 # doctest: +SKIP
    ...     graph = store_graph(store, load_knowledge())
    """
    fused: list[FusedEvent] = store.fused_events()
    events = [f.event for f in fused] or store.events()
    return actor_graph(kb, relations=store.relations(), events=events)


def _add_event(graph: nx.DiGraph, kb: KnowledgeBase, event: Event) -> None:
    claimants = sorted(
        {c.claimant_id for c in event.claims}
        | {a.actor_id for a in event.actors if a.role == "claimant"}
    )
    for one, other in itertools.combinations(claimants, 2):
        _add_edge(graph, kb, one, other, CO_CLAIMED, f"event:{event.id}")
    for attribution in event.attributions:
        by = attribution.by_actor_id or "unnamed source"
        source = f"attributed by {by} in {attribution.document_id}"
        for claimant in claimants:
            if claimant != attribution.actor_id:
                _add_edge(graph, kb, claimant, attribution.actor_id, ATTRIBUTED_TO, source)


def _add_edge(
    graph: nx.DiGraph, kb: KnowledgeBase, subject: str, obj: str, relation: str, source: str
) -> None:
    for actor_id in (subject, obj):
        if actor_id not in graph:
            actor = kb.actors.get(actor_id)
            graph.add_node(
                actor_id,
                name=actor.name if actor else actor_id,
                kind=actor.kind if actor else "unknown",
            )
    data: dict[str, Any] = graph.get_edge_data(subject, obj) or {"weight": 0}
    kinds = set(filter(None, str(data.get("relations", "")).split(";"))) | {relation}
    sources = set(filter(None, str(data.get("sources", "")).split(";"))) | {source}
    graph.add_edge(
        subject,
        obj,
        relation=sorted(kinds)[0],
        relations=";".join(sorted(kinds)),
        sources=";".join(sorted(sources)),
        weight=int(data["weight"]) + 1,
    )


def ego_network(graph: nx.DiGraph, actor_id: str, *, radius: int = 1) -> nx.DiGraph:
    """The actors within `radius` steps of one actor (either direction), and their edges.

    >>> from watchfloor.knowledge import load_knowledge
    >>> "kataib-hezbollah" in ego_network(actor_graph(load_knowledge()), "usbat-al-thairen")
    True
    """
    if actor_id not in graph:
        raise KeyError(f"{actor_id!r} has no relations on record")
    found: nx.DiGraph = nx.ego_graph(graph, actor_id, radius=radius, undirected=True)
    return found


def communities(graph: nx.DiGraph) -> list[set[str]]:
    """Groups of closely tied actors (greedy modularity), largest first.

    >>> from watchfloor.knowledge import load_knowledge
    >>> len(communities(actor_graph(load_knowledge()))) > 1
    True
    """
    if graph.number_of_edges() == 0:
        return [{node} for node in graph]
    found = nx.community.greedy_modularity_communities(graph.to_undirected(), weight="weight")
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def centrality(graph: nx.DiGraph) -> pd.DataFrame:
    """Each actor's degree and betweenness centrality and community, most central first.

    >>> from watchfloor.knowledge import load_knowledge
    >>> centrality(actor_graph(load_knowledge())).columns.tolist()
    ['actor_id', 'name', 'kind', 'degree', 'betweenness', 'community']
    """
    columns = ["actor_id", "name", "kind", "degree", "betweenness", "community"]
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns)
    undirected = graph.to_undirected()
    degree = nx.degree_centrality(undirected)
    between = nx.betweenness_centrality(undirected)
    community = {node: n for n, group in enumerate(communities(graph)) for node in group}
    rows = [
        [node, data.get("name", node), data.get("kind", "unknown"),
         degree[node], between[node], community[node]]
        for node, data in graph.nodes(data=True)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["degree", "betweenness", "actor_id"], ascending=[False, False, True])


def export_graph(graph: nx.DiGraph, path: Path) -> Path:
    """Write the graph as GraphML, GEXF or node-link JSON, by the file's suffix.

    >>> export_graph(nx.DiGraph(), Path("net.csv"))
    Traceback (most recent call last):
    ...
    ValueError: cannot write a graph as '.csv': use .graphml, .gexf or .json
    """
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(graph, path)
    elif suffix == ".gexf":
        nx.write_gexf(graph, path)
    elif suffix == ".json":
        data = nx.node_link_data(graph, edges="edges")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        raise ValueError(f"cannot write a graph as {suffix!r}: use .graphml, .gexf or .json")
    return path


def read_graph_json(path: Path) -> nx.DiGraph:
    """Read back a graph written as node-link JSON by `export_graph`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    graph: nx.DiGraph = nx.node_link_graph(data, directed=True, edges="edges")
    return graph


def draw_graph(
    graph: nx.DiGraph, path: Path, *, labels: Sequence[str] | None = None, top: int = 25
) -> Path:
    """Draw the graph as PNG: nodes coloured by kind, the `top` most central named.

    >>> draw_graph(nx.DiGraph(), Path("net.svg"))
    Traceback (most recent call last):
    ...
    ValueError: the picture is written as PNG: give a .png path, not 'net.svg'
    """
    if path.suffix.lower() != ".png":
        raise ValueError(f"the picture is written as PNG: give a .png path, not {path.name!r}")
    figure = Figure(figsize=(12, 9), dpi=100)
    axes = figure.add_subplot()
    axes.set_axis_off()
    if graph.number_of_nodes():
        _draw_on(axes, graph, labels if labels is not None else _central(graph, top))
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path


def _central(graph: nx.DiGraph, top: int) -> list[str]:
    return [str(a) for a in centrality(graph)["actor_id"].head(top)]


def _draw_on(axes: Any, graph: nx.DiGraph, labels: Sequence[str]) -> None:
    position = nx.spring_layout(graph.to_undirected(), seed=7)
    colours = [
        KIND_COLOURS.get(str(d.get("kind")), OTHER_COLOUR) for _, d in graph.nodes(data=True)
    ]
    sizes = [80 + 40 * graph.degree(n) for n in graph]
    nx.draw_networkx_edges(graph, position, ax=axes, alpha=0.3, arrows=False)
    nx.draw_networkx_nodes(graph, position, ax=axes, node_color=colours, node_size=sizes)
    names = {n: str(graph.nodes[n].get("name", n)) for n in labels if n in graph}
    nx.draw_networkx_labels(graph, position, labels=names, ax=axes, font_size=8)
    for kind, colour in KIND_COLOURS.items():
        axes.scatter([], [], color=colour, label=kind)
    axes.legend(loc="lower left", fontsize=7, frameon=False)
