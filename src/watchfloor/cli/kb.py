"""`watchfloor kb`: browse the knowledge base (actors, places) and extend it with your own file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape
from rich.table import Column, Table

from watchfloor.cli.options import console, err_console, fail
from watchfloor.config import USER_KNOWLEDGE_FILE, Settings, load_settings
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.knowledge.userfile import DEFAULT_USER_FILE, Section, add_alias, merge_file
from watchfloor.model import Actor
from watchfloor.resolve import NameResolver, Resolution

app = typer.Typer(
    help="Browse and extend the knowledge base: actors, places, aliases.\n\n"
    'Example:  watchfloor kb search "Kataib Hizbullah"',
    no_args_is_help=True,
)

FileOption = Annotated[
    Path,
    typer.Option(
        "--file",
        help="Your knowledge file (YAML), created if missing. watchfloor reads "
        "./watchfloor-knowledge.yaml by default; list any other file in watchfloor.toml "
        '(knowledge = ["desk.yaml"]).',
        dir_okay=False,
    ),
]


def _id_column() -> Column:
    """Ids are what users copy: never cut short, folded if the terminal is narrow."""
    return Column("id", overflow="fold")


def _knowledge() -> tuple[KnowledgeBase, Settings]:
    """The knowledge base with the user's files from the settings; exits 2 on errors."""
    try:
        settings = load_settings()
        return load_knowledge(settings.knowledge), settings
    except WatchfloorError as e:
        fail(str(e), hint="Check the files listed in the setting `knowledge` (watchfloor config).")


def _resolver(kb: KnowledgeBase, settings: Settings) -> NameResolver:
    return NameResolver(kb, threshold=settings.fuzzy_threshold)


@app.command("actors")
def actors_command(
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only actors of this kind: state, militia, person, ..."),
    ] = None,
) -> None:
    """List the known actors: id, name, kind, number of aliases and their relations.

    Example:  watchfloor kb actors --kind militia
    """
    kb, _ = _knowledge()
    actors = [a for a in kb.actors.values() if kind is None or a.kind == kind]
    if not actors:
        kinds = ", ".join(sorted({a.kind for a in kb.actors.values()}))
        fail(f"no actor of kind {kind!r}", hint=f"Known kinds: {kinds}")
    table = Table(
        _id_column(), "name", "kind", "aliases", "relations", title=f"{len(actors)} actors"
    )
    for actor in actors:
        relations = "; ".join(f"{r.relation} {r.object}" for r in actor.relations)
        table.add_row(actor.actor_id, actor.name, actor.kind, str(len(actor.aliases)), relations)
    console.print(table)


@app.command("actor")
def actor_command(
    actor_id: Annotated[
        str,
        typer.Argument(
            help="An actor id (see `watchfloor kb actors`) or one of its names.",
            metavar="ID_OR_NAME",
        ),
    ],
) -> None:
    """Show everything known about one actor: names, relations both ways, notes, sources.

    Example:  watchfloor kb actor kataib-hezbollah      (or: watchfloor kb actor KH)
    """
    kb, settings = _knowledge()
    if actor_id not in kb.actors:
        resolution = _by_name(_resolver(kb, settings), actor_id)
        if resolution is None or resolution.id is None:
            _unknown(kb, settings, actor_id, what="actor")
        err_console.print(
            f"[dim]{escape(repr(actor_id))} is {resolution.id}: {escape(resolution.reason)}[/]",
            highlight=False,
        )
        actor_id = resolution.id
    _show_actor(kb, kb.actors[actor_id])


def _by_name(resolver: NameResolver, name: str) -> Resolution | None:
    """The actor a name stands for; a context alias ("Askari") is enough when browsing."""
    resolution = resolver.resolve_actor(name)
    owners = resolver.context_owners(name)
    if resolution.id is None and len(owners) == 1:
        actor = resolver.kb.actors[owners[0]]
        reason = "a context alias of this actor only"
        return Resolution(name, actor.actor_id, actor.name, 90.0, "context", reason)
    return resolution if resolution.id is not None else None


def _show_actor(kb: KnowledgeBase, actor: Actor) -> None:
    facts = {
        "kind": actor.kind, "ACLED type": actor.acled_type, "country": actor.country,
        "Arabic": actor.arabic, "active": kb.active.get(actor.actor_id),
        "roles": ", ".join(actor.roles) or None,
    }  # fmt: skip
    console.print(f"[bold]{escape(actor.name)}[/]  ({actor.actor_id})", highlight=False)
    for label, value in facts.items():
        if value:
            console.print(f"  {label}: {value}", highlight=False, markup=False)
    console.print(f"  aliases: {', '.join(actor.aliases) or '—'}", highlight=False, markup=False)
    if actor.context_aliases:
        console.print(
            f"  context aliases (need support in the document): {', '.join(actor.context_aliases)}",
            highlight=False,
            markup=False,
        )
    for rel in kb.relations_of(actor.actor_id):
        if rel.subject == actor.actor_id:
            line = f"{rel.relation} → {_label(kb, rel.object)}"
        else:
            line = f"← {rel.relation} of {_label(kb, rel.subject)}"
        console.print(f"  {line}", highlight=False, markup=False)
    shared = [n for n, ids in kb.ambiguous_aliases.items() if actor.actor_id in ids]
    if shared:
        console.print(
            f"  names shared with other actors: {', '.join(shared)}", highlight=False, markup=False
        )
    for label, value in (("notes", actor.notes), ("sources", actor.sources)):
        if value:
            console.print(f"  {label}: {value}", highlight=False, markup=False)


def _label(kb: KnowledgeBase, actor_id: str) -> str:
    return f"{kb.actors[actor_id].name} ({actor_id})" if actor_id in kb.actors else actor_id


@app.command("places")
def places_command(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only places of this kind: base, city, ...")
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (0: all).", min=0)] = 50,
) -> None:
    """List the known places (sites first, then gazetteer towns): id, name, kind, where.

    Example:  watchfloor kb places --kind base
    """
    kb, _ = _knowledge()
    places = [p for p in kb.places.values() if kind is None or p.kind == kind]
    if not places:
        kinds = ", ".join(sorted({p.kind or "—" for p in kb.places.values()}))
        fail(f"no place of kind {kind!r}", hint=f"Known kinds: {kinds}")
    shown = places[:limit] if limit else places
    title = f"{len(places)} places" + (f" (first {len(shown)})" if len(shown) < len(places) else "")
    table = Table(_id_column(), "name", "kind", "admin1", "lat", "lon", "aliases", title=title)
    for place in shown:
        table.add_row(
            place.place_id, place.name, place.kind or "", place.admin1 or "",
            _coordinate(place.lat), _coordinate(place.lon), str(len(place.aliases)),
        )  # fmt: skip
    console.print(table)


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


@app.command("search")
def search_command(
    name: Annotated[
        str, typer.Argument(help="A name as a report writes it, any spelling.", metavar="NAME")
    ],
    limit: Annotated[int, typer.Option(help="Show at most this many.", min=1)] = 10,
) -> None:
    """Find actors and places by name, best first, with the score and how each matched.

    Exits 1 when nothing is like the name.

    Example:  watchfloor kb search "Kataib Hizbullah"
    """
    kb, settings = _knowledge()
    found = _resolver(kb, settings).search(name, limit=limit)
    if not found:
        err_console.print(f"Nothing in the knowledge base is like {name!r}.", highlight=False)
        err_console.print("[dim]Add it with: watchfloor kb add-alias ID ALIAS[/]")
        raise typer.Exit(1)
    table = Table("score", "method", _id_column(), "name", "what", title=f"matches for {name!r}")
    for resolution in found:
        table.add_row(
            f"{resolution.score:.0f}", resolution.method, resolution.id, resolution.name,
            _what(kb, resolution.id or ""),
        )  # fmt: skip
    console.print(table)


def _what(kb: KnowledgeBase, any_id: str) -> str:
    if any_id in kb.actors:
        return f"actor ({kb.actors[any_id].kind})"
    return f"place ({kb.places[any_id].kind or '?'})"


@app.command("add-alias")
def add_alias_command(
    entity_id: Annotated[
        str, typer.Argument(help="The id of a known actor or place.", metavar="ID")
    ],
    alias: Annotated[
        str, typer.Argument(help="The new name, as reports write it.", metavar="ALIAS")
    ],
    file: FileOption = DEFAULT_USER_FILE,
    context: Annotated[
        bool,
        typer.Option(
            "--context",
            help="A context alias (a surname, a capital): used only when the document "
            "also names the actor in full or a related actor.",
        ),
    ] = False,
) -> None:
    """Add a name for a known actor or place to your knowledge file (created if missing).

    Example:  watchfloor kb add-alias kataib-hezbollah "Hezbollah Brigades"
    """
    kb, settings = _knowledge()
    if entity_id not in kb.actors and entity_id not in kb.places:
        _unknown(kb, settings, entity_id, what="actor or place")
    section: Section = "actors" if entity_id in kb.actors else "places"
    try:
        added = add_alias(
            file, section=section, entity_id=entity_id, alias=alias, context=context,
            others=settings.knowledge,
        )  # fmt: skip
    except WatchfloorError as e:
        fail(str(e))
    if not added:
        console.print(f"{file} already gives {alias!r} for {entity_id}.", highlight=False)
        return
    kind = "context alias" if context else "alias"
    console.print(f"Added {kind} {alias!r} to {entity_id} in {file}.", highlight=False)
    _hint_settings(file, settings)


@app.command("import")
def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="A knowledge file (YAML: actors:, places:, calendar:).",
            metavar="FILE",
            exists=True,
            dir_okay=False,
        ),
    ],
    file: FileOption = DEFAULT_USER_FILE,
) -> None:
    """Validate a knowledge file and merge it into yours: new entries added, known ones extended.

    Example:  watchfloor kb import syria-desk.yaml --file watchfloor-knowledge.yaml
    """
    _, settings = _knowledge()
    try:
        report = merge_file(source, file, others=settings.knowledge)
    except WatchfloorError as e:
        fail(str(e))
    for line in report.lines() or ["nothing to add"]:
        console.print(line, highlight=False)
    console.print(f"Merged {source} into {file}.", highlight=False)
    _hint_settings(file, settings)


def _unknown(kb: KnowledgeBase, settings: Settings, name: str, *, what: str) -> NoReturn:
    close = [r.id for r in _resolver(kb, settings).search(name, limit=5) if r.id]
    hint = f"Did you mean: {', '.join(close)}?" if close else "List them: watchfloor kb actors"
    fail(f"no {what} with id {name!r}", hint=hint)


def _hint_settings(file: Path, settings: Settings) -> None:
    known = {p.resolve() for p in settings.knowledge} | {Path(USER_KNOWLEDGE_FILE).resolve()}
    if file.resolve() not in known:
        err_console.print(
            f"[dim]note: watchfloor reads {file} only once it is listed in the settings: "
            f'knowledge = ["{file}"] in watchfloor.toml, or WATCHFLOOR_KNOWLEDGE={file}[/]',
            highlight=False,
        )
