"""The SITREP's analytic sections: front-group assessments (competing hypotheses), the
actor network around the period's attacks, and the outlook with key dates and indicators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import networkx as nx

from watchfloor.analyse.attribution import STATE_KINDS, attribute
from watchfloor.analyse.indicators import Context, IndicatorStatus, load_indicators
from watchfloor.analyse.network import store_graph
from watchfloor.analyse.outlook import LARGE_MUNITIONS, Outlook, build_outlook
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.model import KeyDate
from watchfloor.model import Statement as Said
from watchfloor.report.sections import Names
from watchfloor.report.sitrep_model import (
    FrontAssessment,
    IndicatorRow,
    KeyDateRow,
    NetworkEdge,
    OutlookSection,
    SourceIndex,
    Statement,
)
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

PARENT_RELATIONS = ("front_of", "proxy_of", "part_of", "member_of")
MAX_FRONTS = 5
MAX_EDGES = 30


# -- front groups ----------------------------------------------------------------------


def front_candidates(
    store: Store, attacks: Sequence[FusedEvent], names: Names, documents: Iterable[str]
) -> list[str]:
    """Claimants that are not states, then front groups the period's documents name."""
    claimants = [
        c.claimant_id
        for f in attacks
        for c in f.event.claims
        if names.kind(c.claimant_id) not in STATE_KINDS
    ]
    named = [
        m.resolved_id
        for document_id in sorted(set(documents))
        for m in store.mentions(document_id)
        if m.resolved_id and names.kind(m.resolved_id) == "front_group"
    ]
    return list(dict.fromkeys([*claimants, *named]))[:MAX_FRONTS]


def front_assessment(
    store: Store, kb: KnowledgeBase, actor_id: str, index: SourceIndex
) -> FrontAssessment:
    """The analysis of competing hypotheses on one claimant, with its strongest evidence."""
    report = attribute(store, kb, actor_id)
    conclusion = report.conclusion
    evidence = sorted(report.ach.evidence, key=lambda e: (-e.diagnosticity, -e.weight, e.text))
    statements = tuple(
        Statement(f"{e.text} [{e.kind}, weight {e.weight:g}]", index.document(e.source))
        for e in evidence[:6]
    )
    documented = {r for s in statements for r in s.refs}
    candidates = tuple(
        (str(row["name"]), float(row["probability"]))
        for row in report.candidates.to_dict("records")
    )
    return FrontAssessment(
        actor_id=actor_id,
        name=report.name,
        conclusion=Statement(conclusion.text, tuple(sorted(documented, key=lambda r: r.number))),
        favoured=conclusion.favoured,
        term=conclusion.term,
        probability=conclusion.probability,
        candidates=candidates,
        evidence=statements,
    )


# -- the actor network -----------------------------------------------------------------


def period_graph(store: Store, kb: KnowledgeBase, involved: Iterable[str]) -> nx.DiGraph:
    """The actor network around the period's actors: them, and the groups they belong to."""
    graph = store_graph(store, kb)
    nodes = {a for a in involved if a in graph}
    for actor_id in list(nodes):
        nodes |= {
            other
            for _, other, data in graph.out_edges(actor_id, data=True)
            if set(str(data.get("relations", "")).split(";")) & set(PARENT_RELATIONS)
        }
    found: nx.DiGraph = graph.subgraph(nodes).copy()
    return found


def network_edges(graph: nx.DiGraph, index: SourceIndex) -> list[NetworkEdge]:
    """The graph's edges, strongest first, each with the documents that state it."""
    edges = sorted(
        graph.edges(data=True),
        key=lambda e: (
            str(e[2].get("sources", "")) == "knowledge",
            -int(e[2].get("weight", 1)),
            str(e[0]),
            str(e[1]),
        ),
    )
    rows = []
    for subject, obj, data in edges[:MAX_EDGES]:
        sources = tuple(str(data.get("sources", "")).split(";"))
        refs = tuple(r for s in sources if s.startswith("document:") for r in index.document(s[9:]))
        rows.append(
            NetworkEdge(
                subject=str(graph.nodes[subject].get("name", subject)),
                relations=str(data.get("relations", "")).replace(";", ", ").replace("_", " "),
                obj=str(graph.nodes[obj].get("name", obj)),
                weight=int(data.get("weight", 1)),
                sources=sources,
                refs=refs,
            )
        )
    return rows


def involved_actors(attacks: Sequence[FusedEvent]) -> set[str]:
    """Every actor that takes part in, claims or is blamed for one of the attacks."""
    found = {a.actor_id for f in attacks for a in f.event.actors}
    found |= {c.claimant_id for f in attacks for c in f.event.claims}
    return found | {a.actor_id for f in attacks for a in f.event.attributions}


# -- the outlook -----------------------------------------------------------------------


def outlook_section(
    store: Store,
    kb: KnowledgeBase,
    fused: Sequence[FusedEvent],
    index: SourceIndex,
    *,
    as_of: dt.date,
    days: int,
    statements: Sequence[Said] = (),
) -> OutlookSection:
    """The forecast for the `days` days from `as_of`, its key dates and indicators (the
    threat indicators read `statements`)."""
    context = Context.of(
        kb, candidates=[a.actor_id for a in store.candidates()], statements=statements
    )
    outlook = build_outlook(
        fused,
        as_of=as_of,
        days=days,
        kb=kb,
        key_dates=store.key_dates(),
        indicators=load_indicators(),
        context=context,
    )
    return OutlookSection(
        start=outlook.start,
        end=outlook.end,
        statements=tuple(_forecast_statements(outlook)),
        key_dates=tuple(_key_date_row(k, index) for k in outlook.key_dates),
        indicators=tuple(_indicator_row(s) for s in outlook.indicators),
    )


def _forecast_statements(outlook: Outlook) -> list[Statement]:
    f = outlook.forecast
    return [
        Statement(
            f"Expected attacks from {outlook.start} to {outlook.end}: {f.expected:.1f} "
            f"(80% interval {f.low} to {f.high}); probability of at least one {f.p_any:.0%}; "
            f"of a large attack ({LARGE_MUNITIONS} or more munitions) {f.p_large:.0%}."
        ),
        Statement(
            f"Model: {f.model}, from {f.attacks} attacks on record before {outlook.start}: "
            f"{f.reason}."
        ),
    ]


def _key_date_row(key: KeyDate, index: SourceIndex) -> KeyDateRow:
    refs = index.span(key.span) if key.span else ()
    if not refs and key.document_id:
        refs = index.document(key.document_id)
    origin = "a report" if key.document_id else "the calendar"
    return KeyDateRow(key.date, key.kind, key.what, origin, refs)


def _indicator_row(status: IndicatorStatus) -> IndicatorRow:
    indicator = status.indicator
    if status.active:
        alert = status.alerts[-1]
        state, evidence = f"active since {alert.date}", alert.evidence
    else:
        last = f"; last fired {status.last.date}" if status.last else ""
        state, evidence = "quiet", f"nothing in the last {indicator.window_days} days{last}"
    return IndicatorRow(indicator.id, indicator.description, status.active, state, evidence)
