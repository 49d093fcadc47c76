"""`watchfloor effect`: did it deter? Attacks after a strike, a deadline or a withdrawal."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from watchfloor.analyse.backtest import read_counts_csv
from watchfloor.analyse.effects import (
    LEVEL,
    WHATS,
    EffectEstimate,
    Intervention,
    What,
    estimate_effect,
    intervention_table,
    parse_days,
    table_summary,
)
from watchfloor.analyse.interventions import (
    INTERVENTION_TYPES,
    DeskRecord,
    EffectAsk,
    actor_family,
    attack_frame,
    attack_series,
    calendar_day,
    choose_interventions,
    effect_at,
    key_days,
    resolve_actor_id,
)
from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import load_knowledge
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.store import Store

app = typer.Typer(
    help="Did it deter? The change in attacks after a strike, a deadline or a withdrawal, "
    "against what the trend before predicts.\n\n"
    "Examples:  watchfloor effect at 2020-03-13 --window 30d\n\n"
    "           watchfloor effect table --actor us --target kataib-hezbollah",
    no_args_is_help=True,
)


class WhatChoice(StrEnum):
    """What is counted."""

    attacks = "attacks"
    large_attacks = "large-attacks"
    fatalities = "fatalities"


class CoverageChoice(StrEnum):
    """Which days count as covered."""

    auto = "auto"
    documents = "documents"


class Format(StrEnum):
    """How to print the result."""

    text = "text"
    json = "json"


WindowOption = Annotated[
    str,
    typer.Option(help="Days after the intervention to measure: 30d, 8w, 6m or 1y."),
]
BeforeOption = Annotated[
    str | None,
    typer.Option(
        help="Days before it that set the trend (default: 3 times the window, as far back "
        "as the data go).",
        show_default=False,
    ),
]
WhatOption = Annotated[
    WhatChoice,
    typer.Option(
        help="Count attacks, large attacks (20 or more munitions) or deaths (the lowest "
        "reported toll)."
    ),
]
AttackTypeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--attack-type",
        help="Count only these ACLED sub-event types, repeatable (default: all violent events).",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        help="Count only attacks involving this actor (id, name or alias): perpetrator, "
        "claimant or attributed.",
        show_default=False,
    ),
]
CoverageOption = Annotated[
    CoverageChoice,
    typer.Option(
        help="Which days count as covered: 'auto' finds implausible silences; 'documents' "
        "only weeks in which a stored document was published. Uncovered days are missing, "
        "never zero attacks."
    ),
]
LevelOption = Annotated[
    float, typer.Option(min=0.5, max=0.99, help="Confidence level of the intervals.")
]
FormatOption = Annotated[Format, typer.Option("--format", help="text, or json for scripts.")]


@app.callback()
def effect_group() -> None:
    """Did it deter? The change in attacks after an intervention, against the trend."""


@app.command("at")
def at_command(
    intervention: Annotated[
        str,
        typer.Argument(
            metavar="EVENT_OR_DATE",
            help="A day (YYYY-MM-DD), a fused or raw event id, or a calendar id (a deadline; "
            "an anniversary as ID:YEAR).",
            show_default=False,
        ),
    ],
    window: WindowOption = "30d",
    before: BeforeOption = None,
    washout: Annotated[
        str,
        typer.Option(
            help="The last days before it that get their own level, so that a spike which "
            "provoked it is not taken for the baseline."
        ),
    ] = "7d",
    what: WhatOption = WhatChoice.attacks,
    attack_type: AttackTypeOption = None,
    by: ByOption = None,
    counts: Annotated[
        Path | None,
        typer.Option(
            "--counts",
            help="CSV of date,count, one row a day, the count empty (or the row absent) "
            "where no source was watching: missing, not zero. (default: the database)",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ] = None,
    coverage: CoverageOption = CoverageChoice.auto,
    level: LevelOption = LEVEL,
    output: FormatOption = Format.text,
    db: DbOption = None,
) -> None:
    """The change in attacks after one intervention, against what the trend predicts.

    Counts fused events (one per real attack) a day, or 7-day bins for windows
    over 90 days, and fits a segmented Poisson regression: the trend before
    the day, a change of level and slope after it, their own level for the
    last days before it (a spike that provoked it), for symbolic days and for
    weekdays. It states the attacks after against those the trend predicts,
    the ratio with its interval, and a verdict: drop, rise, no change, or
    that the data cannot tell. Notes flag a trend already under way, a spike
    before the day, coverage gaps (left out, never zero), a changed
    coverage, other interventions in the window, and the same window a year
    earlier (the season).

    Examples:
      watchfloor effect at 2020-03-13
      watchfloor effect at f-3a1c9e0d2b7f4a61 --window 8w --what large-attacks
      watchfloor effect at 2007-02-14 --counts daily.csv --window 1y --format json
    """
    try:
        spans = _spans(window, before, washout)
        kb = load_knowledge(settings_for(db).knowledge)
        if counts is not None:
            day, label = calendar_day(intervention, kb)
            daily = read_counts_csv(counts, freq="D")
            found = _estimate(daily, day, label, spans, what, level, [])
        else:
            found = _from_store(db, kb, intervention, spans, what, attack_type, by, coverage, level)
    except (WatchfloorError, ValueError) as e:
        fail(str(e))
    if output is Format.json:
        typer.echo(json.dumps(found.to_dict(), indent=2))
        return
    _print_estimate(found)


@dataclass(frozen=True)
class _Spans:
    window: int
    before: int | None
    washout: int


def _spans(window: str, before: str | None, washout: str) -> _Spans:
    rest = 0 if washout.strip() in ("0", "0d") else parse_days(washout)
    return _Spans(parse_days(window), parse_days(before) if before else None, rest)


def _estimate(
    daily: pd.Series,
    day: dt.date,
    label: str,
    spans: _Spans,
    what: WhatChoice,
    level: float,
    symbolic: list[dt.date],
    others: list[dt.date] | None = None,
) -> EffectEstimate:
    return estimate_effect(
        daily,
        day,
        window=spans.window,
        before=spans.before,
        washout=spans.washout,
        what=_what(what),
        label=label,
        key_dates=symbolic,
        others=others or [],
        level=level,
    )


def _what(choice: WhatChoice) -> What:
    for what in WHATS:
        if choice.value == what:
            return what
    raise ValueError(f"unknown measure {choice}")


def _from_store(
    db: str | None,
    kb: KnowledgeBase,
    text: str,
    spans: _Spans,
    what: WhatChoice,
    attack_type: list[str] | None,
    by: str | None,
    coverage: CoverageChoice,
    level: float,
) -> EffectEstimate:
    ask = EffectAsk(
        window=spans.window,
        before=spans.before,
        washout=spans.washout,
        what=_what(what),
        attack_types=tuple(attack_type or ()),
        by=by,
        documents=coverage is CoverageChoice.documents,
        level=level,
    )
    with Store.open(settings_for(db).db) as store:
        return effect_at(store, kb, text, ask)[1]


def _print_estimate(found: EffectEstimate) -> None:
    console.print(found.sentence(), highlight=False)
    for note in found.notes:
        console.print(f"  - {note}", highlight=False)
    console.print(_figures(found))


def _figures(e: EffectEstimate) -> Table:
    table = Table("figure", "value", title="The estimate", show_header=False)
    rows = [
        ("method", e.method),
        ("windows", f"{e.before_days} days before, {e.window_days} after ({e.bin_days}-day bins)"),
        (
            "covered days",
            f"{e.days_before} before (less the last {e.washout_days}), {e.days_after} after",
        ),
        ("observed", f"{e.observed_before:,.0f} before, {e.observed_after:,.0f} after"),
    ]
    if e.expected_after is not None:
        rows.append(("expected after", e.expected_after.count_text()))
    for name, value in (
        ("ratio", e.ratio),
        ("last days before, vs trend", e.spike),
        ("ratio without trend", e.flat),
    ):
        if value is not None:
            rows.append((name, value.text()))
    if e.pre_trend is not None:
        t = e.pre_trend
        change = f"{t.value - 1:+.0%} ({t.low - 1:+.0%} to {t.high - 1:+.0%})"
        rows.insert(5, ("trend before, a month", change))
    rows.append(("verdict", e.verdict))
    for name, text in rows:
        table.add_row(name, text)
    return table


@app.command("table")
def table_command(
    type_: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            help="The interventions' ACLED sub-event types, repeatable "
            f"(default: {', '.join(INTERVENTION_TYPES)}).",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            help="Interventions by this actor or any part of it (id, name or alias) "
            "(default: any state's forces).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(help="Interventions against this actor.", show_default=False),
    ] = None,
    use_deadlines: Annotated[
        bool,
        typer.Option(
            "--deadlines", help="The interventions are the deadlines (calendar and reports)."
        ),
    ] = False,
    window: WindowOption = "30d",
    before: BeforeOption = None,
    what: WhatOption = WhatChoice.attacks,
    attack_type: AttackTypeOption = None,
    by: ByOption = None,
    coverage: CoverageOption = CoverageChoice.auto,
    level: LevelOption = LEVEL,
    output: FormatOption = Format.text,
    db: DbOption = None,
) -> None:
    """Every intervention of one kind on record, each with its estimated effect.

    One row per intervention: the ratio of the attacks after it to those
    the trend predicts, its interval, the verdict, and how many other
    interventions fall in its windows (their effects mix). Below the table:
    how many were followed by a drop or a rise, and the pooled ratio (which
    treats the windows as independent). Attacks by the intervening side
    are not counted.

    Examples:
      watchfloor effect table --actor us --target kataib-hezbollah
      watchfloor effect table --type 'Air/drone strike' --window 14d --what large-attacks
      watchfloor effect table --deadlines --window 21d
    """
    try:
        kb = load_knowledge(settings_for(db).knowledge)
        with Store.open(settings_for(db).db) as store:
            desk = DeskRecord.read(store)
        actors = [resolve_actor_id(kb, actor)] if actor else []
        targets = [resolve_actor_id(kb, target)] if target else []
        chosen = _interventions(desk, kb, type_, actors, targets, use_deadlines)
        side = set().union(*(actor_family(kb, a) for a in actors))
        frame = attack_frame(
            desk.events,
            interventions=chosen,
            actors=side,
            sub_event_types=attack_type or (),
            by=actor_family(kb, resolve_actor_id(kb, by)) if by else (),
        )
        documents = coverage is CoverageChoice.documents
        daily = attack_series(frame, desk, what=_what(what), documents=documents)
        spans = _spans(window, before, "7d")
        table, estimates = intervention_table(
            daily,
            chosen,
            window=spans.window,
            before=spans.before,
            what=_what(what),
            key_dates=key_days(kb, desk.key_dates, daily),
            level=level,
        )
    except (WatchfloorError, ValueError) as e:
        fail(str(e))
    summary = table_summary(estimates, kind="interventions", level=level)
    if output is Format.json:
        rows = json.loads(table.to_json(orient="records", date_format="iso"))
        typer.echo(json.dumps({"summary": summary, "rows": rows}, indent=2))
        return
    console.print(_rows(chosen, estimates, [int(n) for n in table["overlaps"]], level))
    console.print(summary, highlight=False)


def _interventions(
    desk: DeskRecord,
    kb: KnowledgeBase,
    types: list[str] | None,
    actors: list[str],
    targets: list[str],
    use_deadlines: bool,
) -> list[Intervention]:
    found = choose_interventions(
        desk,
        kb,
        types=types or INTERVENTION_TYPES,
        actors=actors,
        targets=targets,
        use_deadlines=use_deadlines,
    )
    if not found:
        raise ValueError("no interventions of that kind on record: widen --type, --actor, --target")
    return found


def _rows(
    chosen: list[Intervention], estimates: list[EffectEstimate], overlaps: list[int], level: float
) -> Table:
    out = Table(title=f"Interventions and the attacks after them ({level:.0%} intervals)")
    for name in ("date", "intervention", "verdict", "ratio", "interval", "after", "expected"):
        out.add_column(name, overflow="fold")
    out.add_column("overlaps", justify="right")
    for i, e, overlap in zip(chosen, estimates, overlaps, strict=True):
        ratio, expected = e.ratio, e.expected_after
        out.add_row(
            str(i.date),
            f"{i.label} ({i.id})",
            e.verdict,
            f"{ratio.value:.2f}" if ratio else "",
            f"{ratio.low:.2f} to {ratio.high:.2f}" if ratio else "",
            f"{e.observed_after:,.0f} in {e.days_after} days",
            f"{expected.value:,.1f}" if expected else "",
            str(overlap),
        )
    return out
