"""`watchfloor events`: list fused events with filters, explain one, merge or split them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypedDict

import typer
from rich.table import Table

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.config import Settings
from watchfloor.errors import StoreError, WatchfloorError
from watchfloor.model import Event
from watchfloor.resolve.fusion import Correction, FusedEvent
from watchfloor.store import Store

app = typer.Typer(
    help="List events (one per real-world event, with its sources), explain, merge, split.",
    no_args_is_help=False,
    rich_markup_mode="rich",
)

HINT = "List event ids with: watchfloor events"


class Filters(TypedDict):
    """The listing's filters, as `Store.events` and `Store.fused_events` take them."""

    since: dt.date | None
    until: dt.date | None
    sub_event_type: str | None
    actor_id: str | None
    place: str | None


@app.callback(invoke_without_command=True)
def events_command(
    ctx: typer.Context,
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
        typer.Option(
            help="Show one event with each source's values side by side, and why.", metavar="ID"
        ),
    ] = None,
    reports: Annotated[
        bool, typer.Option("--reports", help="List each document's own events, unfused.")
    ] = False,
) -> None:
    """List the events on record, newest first, each with its number of sources.

    Examples:
      watchfloor events --since 2020-03-01 --type 'Shelling/artillery/missile attack'
      watchfloor events --actor kataib-hezbollah
      watchfloor events --explain f-3f2a9c0d1e4b5a6c
      watchfloor events merge f-3f2a9c0d1e4b5a6c f-77aa01b2c3d4e5f6
      watchfloor events split f-3f2a9c0d1e4b5a6c
    """
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_for(db)
    filters: Filters = {
        "since": since.date() if since else None,
        "until": until.date() if until else None,
        "sub_event_type": sub_type,
        "actor_id": actor,
        "place": place,
    }
    try:
        with Store.open(settings.db) as store:
            if explain:
                _explain(store, explain, settings)
                return
            if reports:
                _print_reports(store.events(**filters))
                return
            _refresh(store, settings)
            found = store.fused_events(**filters)
    except WatchfloorError as e:
        fail(str(e), hint=HINT)
    _print_fused(found)


@app.command("merge")
def merge_command(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Two or more event or fused event ids.")],
    db: DbOption = None,
) -> None:
    """Pin events together as one event (the correction holds when documents arrive).

    Example:
      watchfloor events merge f-3f2a9c0d1e4b5a6c 9f59ec22a3d20985-e1
    """
    if len(ids) < 2:
        fail("name two or more events to merge", hint=HINT)
    settings = settings_for(db or _parent_db(ctx))
    try:
        with Store.open(settings.db) as store:
            members = sorted({i for some_id in ids for i in store.members_of(some_id)})
            store.add_correction(Correction(kind="merge", groups=[members]))
            fused = store.refuse(radius_km=settings.fusion_radius_km)
    except WatchfloorError as e:
        fail(str(e), hint=HINT)
    _print_fused([f for f in fused if set(members) & set(f.member_ids)])


@app.command("split")
def split_command(
    ctx: typer.Context,
    fused_id: Annotated[str, typer.Argument(help="The fused event to split.")],
    part: Annotated[
        list[str] | None,
        typer.Argument(help="Member event ids to take out together; default: all apart."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Split a fused event: the named members apart from the rest, or every member apart.

    Examples:
      watchfloor events split f-3f2a9c0d1e4b5a6c
      watchfloor events split f-3f2a9c0d1e4b5a6c 2ddacf92fdc57095-e1
    """
    settings = settings_for(db or _parent_db(ctx))
    try:
        with Store.open(settings.db) as store:
            members = store.fused_event(fused_id).member_ids
            groups = _split_groups(members, part or [])
            store.add_correction(Correction(kind="split", groups=groups))
            fused = store.refuse(radius_km=settings.fusion_radius_km)
    except WatchfloorError as e:
        fail(str(e), hint=HINT)
    _print_fused([f for f in fused if set(members) & set(f.member_ids)])


def _split_groups(members: list[str], part: list[str]) -> list[list[str]]:
    """The groups to pin apart: the part and the rest, or each member alone."""
    unknown = sorted(set(part) - set(members))
    if unknown:
        fail(f"not members of this event: {', '.join(unknown)}", hint="See its members: --explain")
    if not part:
        return [[m] for m in members]
    rest = [m for m in members if m not in part]
    return [sorted(set(part)), rest]


def _parent_db(ctx: typer.Context) -> str | None:
    found = (ctx.parent.obj or {}).get("db") if ctx.parent else None
    return str(found) if found else None


def _refresh(store: Store, settings: Settings) -> None:
    """Fuse lazily: a store filled without the pipeline (or by an older version) is fused here."""
    if not store.fusion_is_current():
        store.refuse(radius_km=settings.fusion_radius_km)


def _explain(store: Store, some_id: str, settings: Settings) -> None:
    _refresh(store, settings)
    try:
        fused = store.fused_event(some_id)
    except StoreError:
        show_event(store.event(some_id))
        return
    show_event(fused.event)
    console.print(f"{fused.n_sources} sources · {len(fused.member_ids)} reports")
    console.print(side_by_side(fused, [store.event(i) for i in fused.member_ids]))


def _print_fused(found: list[FusedEvent]) -> None:
    table = Table(title=f"{len(found)} events")
    table.add_column("id", no_wrap=True, min_width=18)  # copied into --explain: never cut
    table.add_column("date", no_wrap=True, min_width=10)
    for name in ("type", "place", "munitions", "killed", "claimed by", "attributed to"):
        table.add_column(name, overflow="fold")
    table.add_column("sources", justify="right")
    for fused in sorted(found, key=lambda f: f.event.date, reverse=True):
        event = fused.event
        table.add_row(
            fused.id,
            _when(event),
            event.sub_event_type,
            event.place.name if event.place else "—",
            _munitions(event),
            str(event.fatalities.min) if event.fatalities else "",
            ", ".join(sorted({c.claimant_id for c in event.claims})),
            ", ".join(sorted({a.actor_id for a in event.attributions})),
            str(fused.n_sources),
        )
    console.print(table)


def _print_reports(found: list[Event]) -> None:
    table = Table(title=f"{len(found)} reports")
    table.add_column("id", no_wrap=True, min_width=20)
    table.add_column("date", no_wrap=True, min_width=10)
    for name in ("type", "place", "munitions", "killed"):
        table.add_column(name, overflow="fold")
    for event in sorted(found, key=lambda e: e.date, reverse=True):
        table.add_row(
            event.id,
            _when(event),
            event.sub_event_type,
            event.place.name if event.place else "—",
            _munitions(event),
            str(event.fatalities.min) if event.fatalities else "",
        )
    console.print(table)


def side_by_side(fused: FusedEvent, members: list[Event]) -> Table:
    """A table with one column per source report: what each says, and the fused value."""
    table = Table("", "fused", *(m.id for m in members), title="what each source says")
    rows: dict[str, Callable[[Event], str]] = {
        "date": _when,
        "type": lambda e: e.sub_event_type,
        "place": lambda e: e.place.name if e.place else "—",
        "munitions": _munitions,
        "killed": _killed,
        "claimed by": lambda e: ", ".join(sorted({c.claimant_id for c in e.claims})),
        "attributed to": lambda e: ", ".join(sorted({a.actor_id for a in e.attributions})),
    }
    for name, value in rows.items():
        table.add_row(name, value(fused.event), *(value(m) for m in members))
    for name, figure in (("munitions rule", fused.munitions), ("killed rule", fused.fatalities)):
        if figure is not None:
            table.add_row(name, f"{figure.rule} (range {figure.low}-{figure.high})")
    return table


def _when(event: Event) -> str:
    if event.date_end and event.date_end != event.date:
        return f"{event.date}…{event.date_end}"
    return str(event.date)


def _killed(event: Event) -> str:
    if event.fatalities is None:
        return ""
    high = event.fatalities.max
    return (
        str(event.fatalities.min)
        if high in (None, event.fatalities.min)
        else (f"{event.fatalities.min}-{high}")
    )


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
