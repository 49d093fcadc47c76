"""`watchfloor outlook`, `watch` and `judgments`: what comes next, what to watch, who was right."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from watchfloor.analyse.indicators import (
    AlertLog,
    Context,
    Indicator,
    Sender,
    load_indicators,
    post_json,
    watch,
)
from watchfloor.analyse.ledger import (
    GroupScore,
    LedgerEntry,
    LedgerScores,
    forecast_probability,
    ledger_entries,
    score_ledger,
)
from watchfloor.analyse.outlook import Outlook, build_outlook, outlook_text
from watchfloor.cli.options import DbOption, TypesOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import load_knowledge
from watchfloor.store import Store

# The webhook's sender: a seam that tests replace.
SEND: Sender = post_json

IndicatorsOption = Annotated[
    Path | None,
    typer.Option(
        "--indicators",
        help="YAML file of indicators (default: the shipped indicators.yaml).",
        exists=True,
        dir_okay=False,
    ),
]


def outlook_command(
    db: DbOption = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="Length of the window in days.")] = 14,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="First day of the window; only attacks before it count (default: today).",
        ),
    ] = None,
    sub_type: TypesOption = None,
    indicators: IndicatorsOption = None,
) -> None:
    """The outlook for the coming days: attacks expected, dates to watch, indicators.

    The forecast uses the fused events before --as-of. With enough history
    the model with the best backtest score forecasts; with little, a
    Poisson on the recent rate with a wide interval. Key dates come from
    the calendar (anniversaries, deadlines) and from the reports.

    Examples:
      watchfloor outlook --days 14
      watchfloor outlook --as-of 2020-04-02 --days 30
    """
    settings = settings_for(db)
    start = as_of.date() if as_of else dt.date.today()
    try:
        kb = load_knowledge(settings.knowledge)
        chosen = load_indicators(indicators)
        with Store.open(settings.db) as store:
            context = Context.of(
                kb,
                candidates=[a.actor_id for a in store.candidates()],
                statements=store.statements(),
            )
            outlook = build_outlook(
                store.fused_events(),
                as_of=start,
                days=days,
                kb=kb,
                key_dates=store.key_dates(),
                indicators=chosen,
                context=context,
                sub_event_types=sub_type or (),
            )
    except WatchfloorError as e:
        fail(str(e))
    console.print(outlook_text(outlook), highlight=False)
    console.print(_key_dates_table(outlook))
    console.print(_indicators_table(outlook))


def _key_dates_table(outlook: Outlook) -> Table:
    table = Table("date", "kind", "what", "source", title="Key dates in the window")
    for key in outlook.key_dates:
        source = key.document_id or "calendar"
        table.add_row(key.date.isoformat(), key.kind, key.what, source)
    if not outlook.key_dates:
        table.add_row("", "", "none on record", "")
    return table


def _indicators_table(outlook: Outlook) -> Table:
    table = Table(title="Indicators")
    table.add_column("indicator", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("evidence", overflow="fold")
    table.add_column("events", overflow="fold")
    for status in outlook.indicators:
        window = status.indicator.window_days
        if status.active:
            alert = status.alerts[-1]
            state = f"[bold red]ACTIVE[/] ({alert.date})"
            evidence, ids = alert.evidence, ", ".join(alert.event_ids)
        else:
            last = f"; last {status.last.date}" if status.last else ""
            state, evidence, ids = "quiet", f"nothing in the last {window} days{last}", ""
        table.add_row(status.indicator.id, state, evidence, ids)
    return table


def watch_command(
    db: DbOption = None,
    alerts: Annotated[
        Path,
        typer.Option(
            "--alerts",
            help="JSON-lines file the new alerts are appended to; it also records which "
            "alerts already fired, so that each fires once.",
            dir_okay=False,
        ),
    ] = Path("watchfloor-alerts.jsonl"),
    webhook: Annotated[
        str | None,
        typer.Option(help="POST each new alert as JSON to this URL (retried with back-off)."),
    ] = None,
    indicators: IndicatorsOption = None,
) -> None:
    """Evaluate the indicators over the events on record and raise the new alerts.

    Each alert names the indicator, the fused event and its member event
    ids, and fires once: alerts already in the --alerts file are not
    raised again. A webhook that cannot be reached is reported, not fatal.

    Examples:
      watchfloor watch
      watchfloor watch --alerts alerts.jsonl --webhook https://chat.example/hooks/desk
    """
    settings = settings_for(db)
    try:
        kb = load_knowledge(settings.knowledge)
        chosen: list[Indicator] = load_indicators(indicators)
        with Store.open(settings.db) as store:
            context = Context.of(
                kb,
                candidates=[a.actor_id for a in store.candidates()],
                statements=store.statements(),
            )
            raised = watch(
                chosen,
                store.fused_events(),
                AlertLog(alerts),
                context=context,
                webhook=webhook,
                send=SEND,
            )
    except (WatchfloorError, OSError) as e:
        fail(str(e))
    for alert, delivery in raised:
        console.print(
            f"[bold]{alert.date}[/] {alert.indicator_id}: {alert.evidence} "
            f"[dim](events {', '.join(alert.event_ids)})[/]",
            highlight=False,
        )
        if delivery is not None and not delivery.ok:
            console.print(
                f"  [yellow]webhook failed after {delivery.attempts} tries: {delivery.error}[/]",
                highlight=False,
            )
    console.print(f"{len(raised)} new alert(s); log: {alerts}", highlight=False)


judgments_app = typer.Typer(
    help="The judgment ledger: estimative judgments, their outcomes, and scores.",
    no_args_is_help=True,
)


class Outcome(StrEnum):
    """Whether a judgment came true."""

    true = "true"
    false = "false"


@judgments_app.command("list")
def list_command(
    db: DbOption = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only unresolved judgments.")] = False,
) -> None:
    """List the estimative judgments with their ranges, sources and outcomes.

    The forecast probability of a judgment is the midpoint of its term's
    ICD 203 range ("likely", 55-80%: 0.675).

    Example:
      watchfloor judgments list --open
    """
    entries = _entries(db)
    table = Table(title="Judgments")
    table.add_column("id", no_wrap=True)  # pasted into `judgments resolve`: never cut
    for name in ("term", "range", "p", "outcome", "source", "text"):
        table.add_column(name, overflow="fold")
    for entry in entries:
        judgment = entry.judgment
        if open_only and judgment.outcome is not None:
            continue
        low, high = judgment.probability
        outcome = "open" if judgment.outcome is None else str(judgment.outcome).lower()
        source = " · ".join(x for x in (entry.outlet, entry.author, entry.title) if x)
        table.add_row(
            judgment.id,
            judgment.term,
            f"{low:.0%}-{high:.0%}",
            f"{forecast_probability(judgment):.3f}",
            outcome,
            source or judgment.document_id,
            judgment.text,
        )
    console.print(table)


@judgments_app.command("resolve")
def resolve_command(
    judgment_id: Annotated[str, typer.Argument(metavar="ID", help="The judgment's id.")],
    outcome: Annotated[Outcome, typer.Argument(help="true if it came true, else false.")],
    db: DbOption = None,
) -> None:
    """Record whether a judgment came true, so that it is scored.

    Example:
      watchfloor judgments resolve a191444ff623f9a1:j4155 true
    """
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            store.resolve_judgment(judgment_id, outcome is Outcome.true)
    except WatchfloorError as e:
        fail(str(e), hint="List judgment ids with: watchfloor judgments list")
    console.print(f"{judgment_id}: {outcome.value}", highlight=False)


@judgments_app.command("scores")
def scores_command(db: DbOption = None) -> None:
    """Brier scores by document, outlet and author, and the calibration by term.

    Example:
      watchfloor judgments scores
    """
    scores = score_ledger(_entries(db))
    console.print(_scores_table(scores))
    console.print(_calibration_table(scores))


def _entries(db: str | None) -> list[LedgerEntry]:
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            return ledger_entries(store.judgments(), store.document_rows())
    except WatchfloorError as e:
        fail(str(e))


def _scores_table(scores: LedgerScores) -> Table:
    table = Table("by", "group", "judgments", "resolved", "Brier", title="Brier scores")
    groups: list[tuple[str, list[GroupScore]]] = [
        ("all", [scores.overall]),
        ("document", scores.documents),
        ("outlet", scores.outlets),
        ("author", scores.authors),
    ]
    for by, found in groups:
        for g in found:
            shown = "-" if g.brier is None else f"{g.brier:.3f}"
            table.add_row(by, g.group, str(g.judgments), str(g.resolved), shown)
    return table


def _calibration_table(scores: LedgerScores) -> Table:
    table = Table("term", "promised", "observed", "n", title="Calibration by term")
    for b in scores.calibration:
        observed = "-" if b.observed is None else f"{b.observed:.0%}"
        table.add_row(b.term, f"{b.low:.0%}-{b.high:.0%}", observed, str(b.resolved))
    return table
