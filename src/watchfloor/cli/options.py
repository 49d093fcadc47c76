"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from watchfloor.config import Settings, load_settings
from watchfloor.errors import WatchfloorError

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLite file path or a postgresql:// URL. "
        "(default: ./watchfloor.db, or $WATCHFLOOR_DB)",
        show_default=False,
    ),
]
TypesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        help="Only these ACLED sub-event types (repeatable) (default: all violent events).",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file instead of the terminal.", dir_okay=False),
]

console = Console()
err_console = Console(stderr=True)


def settings_for(db: str | None) -> Settings:
    """Settings with the --db flag laid over file and environment; exits 2 on bad settings."""
    try:
        return load_settings(db=db)
    except WatchfloorError as e:
        fail(str(e))


def fail(message: str, *, hint: str | None = None, code: int = 2) -> NoReturn:
    """Print an error (and what to do about it) to stderr and exit."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    if hint:
        err_console.print(f"[dim]{hint}[/]", highlight=False)
    raise typer.Exit(code)
