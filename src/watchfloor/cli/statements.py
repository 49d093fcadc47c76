"""`watchfloor statements` and `watchfloor narratives`: what actors said, and the themes rising."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.table import Table

from watchfloor.analyse.narratives import NarrativeSummary, narrative_summary, themes_of
from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge.statements import Theme, load_themes
from watchfloor.model import Statement, StatementKind
from watchfloor.report.export import statement_row
from watchfloor.store import Store

KINDS = get_args(StatementKind)
WORDS_WIDTH = 90


class Output(StrEnum):
    """How the statements are printed."""

    table = "table"
    csv = "csv"
    json = "json"


ThemesOption = Annotated[
    Path | None,
    typer.Option(
        "--themes",
        help="YAML file of themes laid over the shipped narratives.yaml (same shape).",
        exists=True,
        dir_okay=False,
    ),
]
SinceOption = Annotated[
    dt.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Only statements on or after this day."),
]
ActorOption = Annotated[
    str | None,
    typer.Option(help="Speaker or the group spoken for, e.g. kataib-hezbollah."),
]


def statements_command(
    db: DbOption = None,
    actor: ActorOption = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(help=f"Only this kind (repeatable): {', '.join(KINDS)}."),
    ] = None,
    since: SinceOption = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only statements on or before this day."),
    ] = None,
    themes: ThemesOption = None,
    output: Annotated[Output, typer.Option("--format", help="table, csv or json.")] = Output.table,
) -> None:
    """List what actors said: speaker and role, date, kind (with its CAMEO code), channel, words.

    A threat or demand with a time limit is an ultimatum, and its deadline is a key
    date (see `watchfloor outlook`). Undated statements come last.

    Examples:
      watchfloor statements --actor kataib-hezbollah --kind threat --kind ultimatum
      watchfloor statements --since 2020-03-01 --format csv > statements.csv
    """
    unknown = sorted(set(kind or ()) - set(KINDS))
    if unknown:
        fail(f"unknown kind(s) {', '.join(unknown)}", hint=f"kinds: {', '.join(KINDS)}")
    settings = settings_for(db)
    try:
        chosen = load_themes([themes] if themes else [])
        with Store.open(settings.db) as store:
            found = store.statements(
                actor_id=actor,
                kind=kind or None,
                since=since.date() if since else None,
                until=until.date() if until else None,
            )
    except WatchfloorError as e:
        fail(str(e))
    _print_statements(found, chosen, output)


def _print_statements(found: list[Statement], themes: list[Theme], output: Output) -> None:
    rows = [statement_row(s, themes=themes_of(s, themes)) for s in found]
    if output is Output.json:
        console.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if output is Output.csv:
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        console.out(out.getvalue(), end="", highlight=False)
        return
    table = Table(title=f"Statements ({len(rows)})")
    for name in ("date", "speaker", "kind", "channel", "words", "deadline", "themes"):
        table.add_column(name, overflow="fold", no_wrap=name == "date")
    for row in rows:
        speaker = row["speaker_id"] + (f" ({row['role']})" if row["role"] else "")
        if row["on_behalf_of"]:
            speaker += f" for {row['on_behalf_of']}"
        channel = " · ".join(x for x in (row["channel"], row["outlet"]) if x)
        table.add_row(row["date"] or "undated", speaker, f"{row['kind']} ({row['cameo']})",
                      channel, _clip(row["words"]), row["deadline"], row["themes"])  # fmt: skip
    console.print(table)


def _clip(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= WORDS_WIDTH else words[: WORDS_WIDTH - 1] + "…"


def narratives_command(
    db: DbOption = None,
    actor: ActorOption = None,
    themes: ThemesOption = None,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Day the trend is judged at [default: the day after the last statement].",
        ),
    ] = None,
    weeks: Annotated[
        int, typer.Option(min=1, max=26, help="Recent weeks compared with the baseline.")
    ] = 2,
    baseline: Annotated[
        int, typer.Option(min=1, max=104, help="Weeks of baseline before the recent ones.")
    ] = 8,
) -> None:
    """Themes in what actors say, counted by week and actor, and which are rising.

    A theme (shipped narratives.yaml, or --themes) is rising when, in the last
    --weeks weeks, it was said at least twice and at twice its baseline rate.

    Examples:
      watchfloor narratives
      watchfloor narratives --actor kataib-hezbollah --as-of 2020-04-02 --weeks 3
    """
    settings = settings_for(db)
    try:
        chosen = load_themes([themes] if themes else [])
        with Store.open(settings.db) as store:
            found = store.statements(actor_id=actor)
    except WatchfloorError as e:
        fail(str(e))
    summary = narrative_summary(found, chosen, as_of=as_of.date() if as_of else None,
                                recent_weeks=weeks, baseline_weeks=baseline)  # fmt: skip
    console.print(_trends_table(summary, weeks))
    console.print(_weekly_table(summary, chosen))


def _trends_table(summary: NarrativeSummary, weeks: int) -> Table:
    table = Table(title=f"Themes as of {summary.as_of} (last {weeks} weeks against before)")
    for name in ("theme", "recent", "baseline/week", "ratio", "p", "status", "said by"):
        table.add_column(name, overflow="fold")
    for trend in summary.trends:
        status = "[bold red]RISING[/]" if trend.rising else "steady"
        actors = ", ".join(f"{a} ({n})" for a, n in trend.actors)
        table.add_row(f"{trend.label} [dim]{trend.theme}[/]", str(trend.recent),
                      f"{trend.baseline_per_week:.2f}", f"{trend.ratio:.1f}",
                      f"{trend.p_value:.3f}", status, actors)  # fmt: skip
    return table


def _weekly_table(summary: NarrativeSummary, themes: list[Theme]) -> Table:
    weekly = summary.weekly
    table = Table(title="Statements per week and theme")
    table.add_column("week", no_wrap=True)
    shown = [t for t in themes if t.id in set(weekly["theme"])]
    for theme in shown:
        table.add_column(theme.id, justify="right")
    for week, rows in weekly.groupby("week", sort=True):
        counts = rows.groupby("theme")["statements"].sum()
        table.add_row(str(week), *(str(int(counts.get(t.id, 0))) for t in shown))
    if weekly.empty:
        table.add_row("no dated statements with a theme")
    return table
