"""`watchfloor export`: the store as a bundle (JSON), CSV, JSON lines, ACLED CSV, GeoJSON,
Parquet or STIX 2.1."""

from __future__ import annotations

from typing import Annotated

import typer

from watchfloor.cli.options import DbOption, OutOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import load_knowledge
from watchfloor.report.export import BINARY_FORMATS, ExportFormat, export_bytes
from watchfloor.store import Store


def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="bundle: one JSON object with documents, events, actors, relations, "
            "key_dates, judgments. csv: one row per event. jsonl: one event per line. "
            "acled: ACLED's CSV columns. geojson: located events as points. "
            "parquet: ACLED's columns, typed (needs --out). stix: a STIX 2.1 bundle.",
        ),
    ] = "bundle",
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Export what the database holds, for scoring, spreadsheets or other tools.

    Example:  watchfloor export --format bundle --out bundle.json

    Example:  watchfloor export --format stix --out desk.stix.json
    """
    if fmt in BINARY_FORMATS and out is None:
        fail(f"{fmt} is a binary format", hint=f"Add --out FILE, e.g. --out events.{fmt}")
    settings = settings_for(db)
    try:
        kb = load_knowledge(settings.knowledge)
        with Store.open(settings.db) as store:
            data = export_bytes(store, fmt, kb=kb)
    except WatchfloorError as e:
        fail(str(e))
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    out.write_bytes(data)
    console.print(f"Wrote {out} ({len(data):,} bytes, format {fmt}).")
