"""`watchfloor serve`: the web dashboard and the JSON API."""

from __future__ import annotations

from typing import Annotated

import typer

from watchfloor.cli.options import DbOption, console, err_console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.serve.security import DEFAULT_MAX_UPLOAD_BYTES, LOOPBACK_NAMES, is_loopback
from watchfloor.store.engine import shown_url


def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on. Anything but loopback needs --public.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Allow a non-loopback --host: others on the network can then read "
            "everything in the database (there is no TLS and no login for reading).",
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Host name that requests may name (repeatable) [default: the loopback "
            "names; with --public, any].",
        ),
    ] = None,
    max_upload_mb: Annotated[
        float, typer.Option(min=0.001, help="Largest request body (uploads) in megabytes.")
    ] = DEFAULT_MAX_UPLOAD_BYTES / 1_000_000,
) -> None:
    """Serve the dashboard and the JSON API (OpenAPI docs at /docs).

    Reading needs nothing; writing (uploading a document) needs the token from
    WATCHFLOOR_TOKEN (or `token` in watchfloor.toml), sent as 'Authorization:
    Bearer <token>' or typed into the upload form. Without a token, writes are
    refused. The server listens on loopback only unless --public is given.

    Examples:
      watchfloor serve --db desk.db
      WATCHFLOOR_TOKEN=$(openssl rand -hex 16) watchfloor serve --port 8080
      watchfloor serve --host 0.0.0.0 --public --allowed-host desk.example.org
    """
    settings = settings_for(db)
    if not is_loopback(host) and not public:
        fail(
            f"--host {host} would let others on the network read the database",
            hint="Add --public if that is what you want, or keep the default 127.0.0.1.",
        )
    hosts = allowed_host or (["*"] if public else list(LOOPBACK_NAMES))
    if public:
        err_console.print(
            f"[bold yellow]warning:[/] listening on {host}: anyone who can reach it can read "
            "the whole database, over plain HTTP.",
            highlight=False,
        )
    if not settings.token:
        err_console.print("[dim]No token set (WATCHFLOOR_TOKEN): uploads are disabled.[/]")
    try:
        from watchfloor.serve.app import create_app

        app = create_app(
            settings, max_upload_bytes=int(max_upload_mb * 1_000_000), allowed_hosts=hosts
        )
    except WatchfloorError as e:
        fail(str(e))
    where = f"http://{_shown(host)}:{port}/"
    console.print(f"Serving {shown_url(settings.db)} at {where} (API docs at {where}docs)")
    run_server(app, host=host, port=port)


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def run_server(app: object, *, host: str, port: int) -> None:
    """Run uvicorn (a seam: tests replace it)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)  # type: ignore[arg-type]
