"""`watchfloor network` and `watchfloor attribute`: the actor network, and who is behind a name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from watchfloor.analyse.attribution import AttributionReport, attribute
from watchfloor.analyse.network import (
    centrality,
    draw_graph,
    ego_network,
    export_graph,
    store_graph,
)
from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import load_knowledge
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.resolve.names import NameResolver
from watchfloor.store import Store


def network_command(
    db: DbOption = None,
    ego: Annotated[
        str | None, typer.Option(help="Only this actor (a name or id) and its neighbours.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write the graph: .graphml, .gexf or .json.", dir_okay=False
        ),
    ] = None,
    picture: Annotated[
        Path | None, typer.Option(help="Draw the graph to this PNG file.", dir_okay=False)
    ] = None,
    top: Annotated[int, typer.Option(help="How many actors to list.", min=1)] = 15,
) -> None:
    """The actor network: relations, co-claims and attributions; the most central actors.

    Examples:
      watchfloor network --out network.graphml --picture network.png
      watchfloor network --ego "Saraya Awliya al-Dam"
    """
    settings = settings_for(db)
    try:
        kb = load_knowledge(settings.knowledge)
        with Store.open(settings.db) as store:
            graph = store_graph(store, kb)
        if ego is not None:
            graph = ego_network(graph, _resolve(kb, ego))
        if out is not None:
            console.print(f"Graph: {export_graph(graph, out)}")
        if picture is not None:
            console.print(f"Picture: {draw_graph(graph, picture)}")
    except (WatchfloorError, KeyError, ValueError, OSError) as e:
        fail(str(e).strip("'\""))
    console.print(f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} relations")
    console.print(_centrality_table(centrality(graph).head(top)))


def attribute_command(
    name: Annotated[str, typer.Argument(help="The claimant's name (or id), as reports write it.")],
    db: DbOption = None,
) -> None:
    """Who is behind a claimant: attributions on record, signatures, and competing hypotheses.

    Examples:
      watchfloor attribute "Saraya Awliya al-Dam"
    """
    settings = settings_for(db)
    try:
        kb = load_knowledge(settings.knowledge)
        claimant_id = _resolve(kb, name)
        with Store.open(settings.db) as store:
            report = attribute(store, kb, claimant_id)
    except (WatchfloorError, KeyError) as e:
        fail(str(e).strip("'\""))
    _print_report(report)


def _resolve(kb: KnowledgeBase, name: str) -> str:
    if name in kb.actors:
        return name
    found = NameResolver(kb).resolve_actor(name)
    if found.id is None:
        raise KeyError(f"no known actor answers to {name!r} ({found.reason})")
    return found.id


def _centrality_table(frame: pd.DataFrame) -> Table:
    table = Table("actor", "kind", "degree", "betweenness", "community", title="Most central")
    for row in frame.to_dict("records"):
        table.add_row(str(row["name"]), str(row["kind"]), f"{float(row['degree']):.3f}",
                      f"{float(row['betweenness']):.3f}", str(row["community"]))  # fmt: skip
    return table


def _print_report(report: AttributionReport) -> None:
    console.print(f"[bold]{report.name}[/] ({report.claimant_id})", highlight=False)
    if report.attributions.empty:
        console.print("No explicit attribution of its attacks on record.")
    for row in report.attributions.to_dict("records"):
        by, word = row["by"] or "an unnamed source", row["estimative"] or "no estimative word"
        console.print(f"- {row['date']}: attributed to {row['attributed']} by {by} ({word}), "
                      f"document {row['document']}: {row['text']}", highlight=False)  # fmt: skip
    for line in report.prior:
        console.print(f"- {line} [dim](prior knowledge, not evidence from the documents)[/]")
    if report.signatures.empty:
        console.print("Signatures: no known group has attacks of its own on record to compare.")
    else:
        console.print(_frame_table(report.signatures, "Signature similarity (0-1)"))
    console.print(_frame_table(report.candidates, "Candidate parents"))
    console.print(_frame_table(report.ach.matrix().drop(columns=["source"]), "ACH matrix"))
    scores = ", ".join(f"{k} {v:.1f}" for k, v in report.ach.inconsistency().items())
    console.print(f"Inconsistency (least is favoured): {scores}", highlight=False)
    console.print(f"[bold]{report.conclusion.text}[/]", highlight=False)


def _frame_table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(*[str(c) for c in frame.columns], title=title)
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.2f}" if isinstance(v, float) else str(v) for v in row])
    return table
