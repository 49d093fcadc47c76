"""`watchfloor import`: bring outside data files into the database (ACLED CSV exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.acled import AcledImport, count_rows, import_acled
from watchfloor.knowledge import load_knowledge
from watchfloor.resolve.names import NameResolver
from watchfloor.store import Store

app = typer.Typer(
    help="Import outside data files: ACLED CSV exports.\n\n"
    "Example:  watchfloor import acled iraq-2020.csv --db desk.db",
    no_args_is_help=True,
)


@app.callback()
def imports() -> None:
    """Import outside data files into the database (ACLED CSV exports)."""


# Below this many rows the import is quick enough to need no progress bar.
PROGRESS_ROWS = 500


@app.command("acled")
def acled_command(
    file: Annotated[
        Path,
        typer.Argument(help="An ACLED CSV export (.csv or .csv.gz) with the codebook's columns."),
    ],
    db: DbOption = None,
) -> None:
    """Import an ACLED CSV export: one event (and one source document) per row.

    Actors are matched to the knowledge base; unknown ones are kept as candidates.
    Importing the same rows again adds nothing. Malformed rows are skipped and
    listed with their line numbers; the exit code is then 1.

    Example:  watchfloor import acled 2020-01-01-2021-12-31-Iraq.csv --db desk.db
    """
    settings = settings_for(db)
    try:
        resolver = NameResolver(load_knowledge(settings.knowledge))
        with Store.open(settings.db) as store:
            summary = _run(file, store=store, resolver=resolver)
    except WatchfloorError as e:
        fail(str(e))
    _print_summary(summary)
    if not summary.clean:
        raise typer.Exit(1)


def _run(file: Path, *, store: Store, resolver: NameResolver) -> AcledImport:
    total = count_rows(file)
    if total < PROGRESS_ROWS:
        return import_acled(file, store=store, resolver=resolver)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("rows", total=total)
        return import_acled(
            file,
            store=store,
            resolver=resolver,
            progress=lambda done: bar.update(task, completed=done),
        )


def _print_summary(summary: AcledImport) -> None:
    table = Table("rows", "added", "already stored", "skipped", "candidate actors")
    table.title = f"ACLED import of {summary.source}"
    table.add_row(
        str(summary.rows),
        str(len(summary.added)),
        str(len(summary.duplicates)),
        str(len(summary.skipped)),
        str(len(summary.candidates)),
    )
    console.print(table)
    if summary.skipped:
        skipped = Table("line", "event_id_cnty", "why skipped", title="Skipped rows")
        for problem in summary.skipped:
            skipped.add_row(str(problem.line), problem.event_id_cnty or "—", problem.reason)
        console.print(skipped)
