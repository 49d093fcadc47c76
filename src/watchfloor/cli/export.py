"""`watchfloor export`: the store as a bundle (JSON), CSV or JSON lines."""

from __future__ import annotations

from typing import Annotated

import typer

from watchfloor.cli.options import DbOption, OutOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import load_knowledge
from watchfloor.report.export import ExportFormat, export_text
from watchfloor.store import Store


def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="bundle: one JSON object with documents, events, actors, relations, "
            "key_dates, judgments. csv: one row per event. jsonl: one event per line.",
        ),
    ] = "bundle",
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Export what the database holds, for scoring, spreadsheets or other tools.

    Example:  watchfloor export --format bundle --out bundle.json
    """
    settings = settings_for(db)
    try:
        kb = load_knowledge(settings.knowledge)
        with Store.open(settings.db) as store:
            text = export_text(store, fmt, kb=kb)
    except WatchfloorError as e:
        fail(str(e))
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"Wrote {out} ({len(text):,} characters, format {fmt}).")
