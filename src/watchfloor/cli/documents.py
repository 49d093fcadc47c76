"""`watchfloor documents`: list the stored documents, show one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.store import Store

app = typer.Typer(help="List stored documents, or show one with its text.", no_args_is_help=False)


@app.callback(invoke_without_command=True)
def documents(ctx: typer.Context, db: DbOption = None) -> None:
    """List stored documents (or use a subcommand: list, show).

    Example:  watchfloor documents --db desk.db
    """
    if ctx.invoked_subcommand is None:
        list_documents(db=db)


@app.command("list")
def list_documents(
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
) -> None:
    """List stored documents: id, published date, format, title, source.

    Example:  watchfloor documents list --limit 20
    """
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            rows = store.document_rows()
    except WatchfloorError as e:
        fail(str(e))
    table = Table("id", "published", "format", "title", "source", title=f"{len(rows)} documents")
    for row in rows[:limit]:
        table.add_row(
            row["document_id"],
            str(row["published"] or "—"),
            row["format"],
            row["title"][:70],
            row["source"],
        )
    console.print(table)


@app.command("show")
def show_document(
    document_id: Annotated[str, typer.Argument(help="A document id (see `watchfloor documents`).")],
    db: DbOption = None,
) -> None:
    """Show one document: its metadata and text.

    Example:  watchfloor documents show 3f2a9c0d1e4b5a6c
    """
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            document = store.document(document_id)
    except WatchfloorError as e:
        fail(str(e), hint="List the ids with: watchfloor documents")
    console.print(f"[bold]{document.title}[/]", highlight=False)
    console.print(
        f"id {document.document_id} · published {document.published or 'unknown'} · "
        f"{document.format} · {document.source}",
        highlight=False,
    )
    console.print()
    console.print(document.text, highlight=False, markup=False)
