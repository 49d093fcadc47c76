"""`watchfloor init` and `watchfloor ingest`: create the database, read reports into it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.files import iter_files
from watchfloor.pipeline import IngestSummary, run
from watchfloor.store import Store


def init(db: DbOption = None) -> None:
    """Create the database (or bring its schema up to date).

    Example:  watchfloor init --db desk.db
    """
    settings = settings_for(db)
    try:
        with Store.open(settings.db) as store:
            counts = store.counts()
    except WatchfloorError as e:
        fail(str(e))
    console.print(
        f"Database ready: [bold]{settings.db}[/] ({counts.get('documents', 0)} documents)"
    )


def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders (read recursively): .txt .md .html .pdf, RSS/Atom."),
    ],
    db: DbOption = None,
    published: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Publication date for documents that carry none (YYYY-MM-DD). "
            "Relative dates in the text ('on Tuesday', 'March 11') resolve against it.",
        ),
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Only files matching this glob (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Skip files matching this glob (repeatable).")
    ] = None,
    extract: Annotated[
        bool, typer.Option(help="Extract events, claims and judgments (--no-extract: store only).")
    ] = True,
) -> None:
    """Read reports into the database, extracting events, claims, attributions and judgments.

    The same content twice is stored once. Unreadable files (empty, binary, wrong
    encoding, broken PDF, too large) are skipped and listed with the reason; the
    exit code is 1 when anything was skipped, 0 when all went in.

    Example:  watchfloor ingest reports/ --published 2020-04-02 --include '*.html'
    """
    settings = settings_for(db)
    missing = [p for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(map(str, missing))}")
    files = list(iter_files(paths, include=include or (), exclude=exclude or ()))
    extractor = _load_extractor(settings.spacy_model, settings.knowledge) if extract else None
    try:
        with Store.open(settings.db) as store, _progress() as bar:
            task = bar.add_task("ingest", total=len(files))
            summary = run(
                files,
                store=store,
                extractor=extractor,
                published=published.date() if published else None,
                max_bytes=settings.max_document_bytes,
                progress=lambda _source: bar.update(task, advance=1),
                fusion_radius_km=settings.fusion_radius_km,
            )
    except WatchfloorError as e:
        fail(str(e))
    print_summary(summary)
    if not summary.clean:
        raise typer.Exit(1)


def _load_extractor(model: str, knowledge: list[Path]):  # type: ignore[no-untyped-def]
    from watchfloor.extract import build_extractor

    with console.status("Loading the language model and knowledge base..."):
        try:
            return build_extractor(model=model, knowledge=knowledge)
        except WatchfloorError as e:
            fail(str(e))


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def print_summary(summary: IngestSummary) -> None:
    """A table of what the ingest did, and every skip or failure with its reason."""
    table = Table(title="Ingest summary", show_header=False)
    table.add_row("documents added", str(len(summary.added)))
    table.add_row("events extracted", str(summary.events))
    table.add_row("already stored (same content)", str(len(summary.duplicates)))
    table.add_row("skipped", str(len(summary.skipped)))
    table.add_row("failed", str(len(summary.failed)))
    console.print(table)
    if summary.skipped or summary.failed:
        problems = Table("source", "reason", title="Not ingested")
        for skip in summary.skipped:
            problems.add_row(
                skip.source, f"{skip.reason}: {skip.detail}" if skip.detail else skip.reason
            )
        for failure in summary.failed:
            problems.add_row(failure.source, str(failure))
        console.print(problems)
