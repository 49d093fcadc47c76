"""The command line: one command per analyst task, each a few lines over the library."""

from __future__ import annotations

import typer

from watchfloor.cli import (
    analysis,
    documents,
    effects,
    events,
    export,
    forecast,
    horizon,
    imports,
    ingest,
    kb,
    report,
    serve,
    statements,
    tempo,
)

app = typer.Typer(
    name="watchfloor",
    help=(
        "watchfloor turns reports and news about armed proxy networks into an "
        "evidence-linked record of events, claims, attributions and judgments.\n\n"
        "Start with:  watchfloor ingest reports/ --published 2020-04-02\n\n"
        "then:        watchfloor events   ·   watchfloor export --format bundle"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.command("init")(ingest.init)
app.command("ingest")(ingest.ingest_command)
app.add_typer(documents.app, name="documents")
app.add_typer(events.app, name="events")
app.command("export")(export.export_command)
app.add_typer(imports.app, name="import")
app.add_typer(kb.app, name="kb")
app.add_typer(forecast.app, name="forecast")
app.command("tempo")(tempo.tempo_command)
app.command("network")(analysis.network_command)
app.command("attribute")(analysis.attribute_command)
app.command("outlook")(horizon.outlook_command)
app.command("watch")(horizon.watch_command)
app.add_typer(horizon.judgments_app, name="judgments")
app.command("report")(report.report_command)
app.command("statements")(statements.statements_command)
app.command("narratives")(statements.narratives_command)
app.add_typer(effects.app, name="effect")
app.command("serve")(serve.serve_command)


def main() -> None:
    """Run the command line (the `watchfloor` console script)."""
    app()
