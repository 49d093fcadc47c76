"""The actor network: knowledge base relations, events, exports, ego networks, communities."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from watchfloor.analyse.network import (
    ATTRIBUTED_TO,
    CO_CLAIMED,
    actor_graph,
    centrality,
    communities,
    draw_graph,
    ego_network,
    export_graph,
    read_graph_json,
)
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Attribution, Claim, Event, Relation, SourceSpan


def rocket_attack() -> Event:
    return Event(
        id="e1", date=dt.date(2020, 3, 11), event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        claims=[Claim(claimant_id="usbat-al-thairen", document_id="d1"),
                Claim(claimant_id="new-group", document_id="d2")],
        attributions=[Attribution(actor_id="kataib-hezbollah", by_actor_id="united-states",
                                  document_id="d1")],
    )  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    span = SourceSpan(document_id="d2", start=0, end=4)
    stated = Relation(
        subject="new-group", relation="front_of", object="asaib-ahl-al-haq", span=span
    )
    return actor_graph(load_knowledge(), relations=[stated], events=[rocket_attack()])


def test_the_graph_has_the_knowledge_base_relations(graph: nx.DiGraph) -> None:
    kb = load_knowledge()
    for relation in kb.relations:
        edge = graph.edges[relation.subject, relation.object]
        assert relation.relation in edge["relations"].split(";")
    assert graph.nodes["kataib-hezbollah"]["kind"] == "militia"


def test_events_and_documents_add_typed_edges_with_sources(graph: nx.DiGraph) -> None:
    front = graph.edges["usbat-al-thairen", "kataib-hezbollah"]
    assert front["relations"] == f"{ATTRIBUTED_TO};front_of"
    assert "attributed by united-states in d1" in front["sources"]
    assert "knowledge" in front["sources"]
    assert graph.edges["new-group", "usbat-al-thairen"]["relation"] == CO_CLAIMED
    assert graph.edges["new-group", "asaib-ahl-al-haq"]["sources"] == "document:d2"
    assert graph.nodes["new-group"]["kind"] == "unknown"


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_exports_round_trip(graph: nx.DiGraph, tmp_path: Path, suffix: str) -> None:
    path = export_graph(graph, tmp_path / f"net{suffix}")
    readers = {".graphml": nx.read_graphml, ".gexf": nx.read_gexf, ".json": read_graph_json}
    back = readers[suffix](path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["kataib-hezbollah"]["name"] == "Kata'ib Hezbollah"


def test_ego_network(graph: nx.DiGraph) -> None:
    ego = ego_network(graph, "usbat-al-thairen")
    assert {"usbat-al-thairen", "kataib-hezbollah", "new-group"} <= set(ego)
    assert "united-kingdom" not in ego
    with pytest.raises(KeyError, match="no relations on record"):
        ego_network(graph, "nobody")


def test_centrality_and_communities(graph: nx.DiGraph) -> None:
    found = communities(graph)
    assert found and all(found)
    assert sum(len(c) for c in found) == graph.number_of_nodes()
    table = centrality(graph)
    assert len(table) == graph.number_of_nodes()
    assert table["betweenness"].between(0, 1).all()
    assert table["degree"].is_monotonic_decreasing


def test_the_picture_is_a_png(graph: nx.DiGraph, tmp_path: Path) -> None:
    path = draw_graph(ego_network(graph, "kataib-hezbollah"), tmp_path / "net.png")
    assert path.read_bytes().startswith(b"\x89PNG")
