"""`watchfloor tempo`: how often and how hard attacks come, in figures and words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from watchfloor.analyse.tempo import assess_tempo, coverage_from_dates, events_frame, tempo_chart
from watchfloor.cli.options import DbOption, TypesOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.model import Event
from watchfloor.store import Store

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def tempo_command(
    db: DbOption = None,
    freq: Annotated[
        Literal["D", "W", "M"], typer.Option(help="Count by day (D), week (W) or month (M).")
    ] = "W",
    since: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Compare the rate since this day with the rate before it "
            "[default: the last change-point].",
        ),
    ] = None,
    sub_type: TypesOption = None,
    coverage: Annotated[
        Literal["auto", "documents"],
        typer.Option(
            help="Which periods count as covered: 'auto' finds implausible silences in a "
            "busy series; 'documents' counts only periods in which a stored document was "
            "published. Uncovered periods are missing data, never zero attacks."
        ),
    ] = "auto",
    chart: Annotated[
        Path | None, typer.Option(help="Write the chart here as PNG and SVG.", dir_okay=False)
    ] = None,
) -> None:
    """Tempo and scale of attacks: rate per period, change-points, trend, munitions.

    Counts fused events (one per real-world attack, however many reports).

    Examples:
      watchfloor tempo --since 2020-01-03
      watchfloor tempo --freq M --type 'Shelling/artillery/missile attack' --chart tempo.png
    """
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            events = [f.event for f in store.fused_events()] or store.events()
            published = [r["published"] for r in store.document_rows() if r["published"]]
    except WatchfloorError as e:
        fail(str(e))
    chosen = [e for e in events if _wanted(e, sub_type)]
    if len(chosen) < 2:
        fail(
            f"only {len(chosen)} matching events on record: too few to measure tempo",
            hint="Ingest more reports, or widen --type.",
        )
    frame = events_frame(chosen)
    gaps = coverage_from_dates(published, freq) if coverage == "documents" else None
    try:
        assessment = assess_tempo(frame, since=since, freq=freq, coverage=gaps)
    except ValueError as e:
        fail(f"cannot assess tempo: {e}")
    console.print(assessment.text, highlight=False)
    console.print(_table(assessment.table.tail(16), assessment.unit))
    if chart is not None:
        png, svg = tempo_chart(assessment, chart)
        console.print(f"Chart: {png} and {svg}")


def _wanted(event: Event, types: list[str] | None) -> bool:
    if types:
        return event.sub_event_type.lower() in {t.lower() for t in types}
    return event.event_type in VIOLENT


def _table(table: object, unit: str) -> Table:
    out = Table(unit, "attacks", "coverage", "level", title=f"Latest periods (per {unit})")
    for period, row in table.iterrows():  # type: ignore[attr-defined]
        count = "no coverage" if row["count"] != row["count"] else str(int(row["count"]))
        level = "" if row["level"] != row["level"] else f"{row['level']:.1f}"
        out.add_row(str(period.date()), count, f"{row['exposure']:.0%}", level)
    return out
