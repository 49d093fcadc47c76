"""`watchfloor events`: list extracted events with filters, or explain one."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.model import Event
from watchfloor.store import Store


def events_command(
    db: DbOption = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only events on or after this day (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only events on or before this day (YYYY-MM-DD)."),
    ] = None,
    sub_type: Annotated[
        str | None,
        typer.Option("--type", help="ACLED sub-event type, e.g. 'Air/drone strike'."),
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Actor id in any role, e.g. kataib-hezbollah.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Place id or name, e.g. camp-taji.")] = None,
    explain: Annotated[
        str | None,
        typer.Option(help="Show one event with every sentence behind it, and why.", metavar="ID"),
    ] = None,
) -> None:
    """List the events on record, newest first, or explain one with --explain ID.

    Examples:
      watchfloor events --since 2020-03-01 --type 'Shelling/artillery/missile attack'
      watchfloor events --actor kataib-hezbollah
      watchfloor events --explain 3f2a9c0d1e4b5a6c-e2
    """
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            if explain:
                show_event(store.event(explain))
                return
            found = store.events(
                since=since.date() if since else None,
                until=until.date() if until else None,
                sub_event_type=sub_type,
                actor_id=actor,
                place=place,
            )
    except WatchfloorError as e:
        fail(str(e), hint="List event ids with: watchfloor events")
    table = Table(
        "id",
        "date",
        "type",
        "place",
        "munitions",
        "killed",
        "claimed by",
        "attributed to",
        "sources",
        title=f"{len(found)} events",
    )
    for event in sorted(found, key=lambda e: e.date, reverse=True):
        table.add_row(
            event.id,
            _when(event),
            event.sub_event_type,
            event.place.name if event.place else "—",
            _munitions(event),
            str(event.fatalities.min) if event.fatalities else "",
            ", ".join(sorted({c.claimant_id for c in event.claims})),
            ", ".join(sorted({a.actor_id for a in event.attributions})),
            str(len({s.document_id for s in event.sources})),
        )
    console.print(table)


def _when(event: Event) -> str:
    if event.date_end and event.date_end != event.date:
        return f"{event.date}…{event.date_end}"
    return str(event.date)


def _munitions(event: Event) -> str:
    if event.munitions is None:
        return ""
    words = {"exactly": "", "about": "~", "at_least": "≥", "more_than": ">", "fewer_than": "<"}
    return (
        f"{words[event.munitions.qualifier]}{event.munitions.count} {event.munitions.weapon or ''}"
    )


def show_event(event: Event) -> None:
    """Print one event: its fields, actors, claims, attributions and source sentences."""
    console.print(f"[bold]{event.sub_event_type}[/] · {_when(event)} ({event.date_precision})")
    if event.place:
        place = event.place
        console.print(
            f"place: {place.name} [{place.place_id or 'no id'}] "
            f"{place.lat}, {place.lon} precision {place.geo_precision}"
        )
    if event.weapon or event.munitions:
        console.print(f"weapon: {event.weapon or '—'}   munitions: {_munitions(event) or '—'}")
    if event.fatalities:
        console.print(f"killed: at least {event.fatalities.min}")
    for actor in event.actors:
        console.print(f"actor: {actor.role:12} {actor.name} [{actor.actor_id}]")
    for claim in event.claims:
        console.print(
            f"claim: {claim.claimant_id} on {claim.claimed_on or '?'} via {claim.channel or '?'}"
        )
    for attribution in event.attributions:
        by = attribution.by_actor_id or "the report's author"
        console.print(
            f"attribution: {attribution.actor_id} by {by} ({attribution.estimative or 'stated'})"
        )
    console.print("[bold]sources[/]")
    for source in event.sources:
        console.print(
            f"  [{source.document_id} {source.start}-{source.end}] {source.text}",
            highlight=False,
            markup=False,
        )
    for reason in event.reasons:
        console.print(f"  [dim]note: {reason}[/]", highlight=False)
