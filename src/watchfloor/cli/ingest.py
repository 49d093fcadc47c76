"""`watchfloor init` and `watchfloor ingest`: create the database, read reports into it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.files import iter_files
from watchfloor.pipeline import ExtractFn, ExtractionPool, GateFn, IngestSummary, run
from watchfloor.store import Store

if TYPE_CHECKING:
    from watchfloor.scale.cluster import DaskPool
    from watchfloor.scale.workers import ExtractorSpec, ProcessPool


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
    gate: Annotated[
        bool,
        typer.Option(
            help="Extract only documents with a sentence that names a known actor or place "
            "and has a word of an event, claim, statement, judgment or key date; the "
            "others are stored unextracted (--no-gate: extract every document)."
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Extract in this many local processes (each loads the model once); "
            "with --cluster local, the number of Dask workers.",
        ),
    ] = 1,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Extract on a Dask cluster: a scheduler address (tcp://host:8786), or "
            "'local' for a cluster of --workers processes on this machine.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read reports into the database, extracting events, claims, attributions and judgments.

    The same content twice is stored once. Unreadable files (empty, binary, wrong
    encoding, broken PDF, too large) are skipped and listed with the reason; the
    exit code is 1 when anything was skipped, 0 when all went in.

    A relevance gate sends on to extraction only the documents that can hold an
    event or a statement; the rest are stored without extraction (so that a second
    ingest skips them too) and counted in the summary. With --workers or --cluster,
    workers extract and this process writes; an interrupted ingest resumes where it
    stopped when run again.

    Example:  watchfloor ingest reports/ --published 2020-04-02 --include '*.html'
    """
    settings = settings_for(db)
    missing = [p for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(map(str, missing))}")
    files = list(iter_files(paths, include=include or (), exclude=exclude or ()))
    try:
        with (
            _tools(settings, extract=extract, gate=gate, workers=workers, cluster=cluster) as tools,
            Store.open(settings.db) as store,
            _progress() as bar,
        ):
            task = bar.add_task("ingest", total=len(files))
            summary = run(
                files,
                store=store,
                extractor=tools.extractor,
                gate=tools.gate,
                pool=tools.pool,
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


@dataclass
class _Tools:
    """What the ingest extracts with: an extractor and gate here, or a pool of workers."""

    extractor: ExtractFn | None = None
    gate: GateFn | None = None
    pool: ExtractionPool | None = None


@contextmanager
def _tools(
    settings: Settings, *, extract: bool, gate: bool, workers: int, cluster: str | None
) -> Iterator[_Tools]:
    if not extract:
        yield _Tools()
        return
    if workers == 1 and cluster is None:
        yield _load_tools(settings, gate=gate)
        return
    from watchfloor.scale.workers import ExtractorSpec

    spec = ExtractorSpec.of(model=settings.spacy_model, knowledge=settings.knowledge, gate=gate)
    pool = _pool(spec, workers=workers, cluster=cluster)
    with ExitStack() as stack:
        with console.status("Starting the workers (each loads the language model)..."):
            stack.enter_context(pool)
            relevance = _local_gate(settings) if gate else None
        yield _Tools(pool=pool, gate=relevance)


def _pool(spec: ExtractorSpec, *, workers: int, cluster: str | None) -> ProcessPool | DaskPool:
    if cluster is None:
        from watchfloor.scale.workers import ProcessPool

        return ProcessPool(spec, workers=workers)
    from watchfloor.scale.cluster import DaskPool

    return DaskPool(spec, address=cluster, workers=workers)


def _local_gate(settings: Settings) -> GateFn:
    """The gate alone, here: only the documents it passes travel to the workers."""
    from watchfloor.extract.gate import build_gate

    try:
        return build_gate(knowledge=settings.knowledge, model=settings.spacy_model)
    except WatchfloorError as e:
        fail(str(e))


def _load_tools(settings: Settings, *, gate: bool) -> _Tools:
    from watchfloor.extract import build_extractor
    from watchfloor.extract.gate import build_gate

    with console.status("Loading the language model and knowledge base..."):
        try:
            extractor = build_extractor(model=settings.spacy_model, knowledge=settings.knowledge)
            relevance = build_gate(extractor.kb, model=settings.spacy_model) if gate else None
        except WatchfloorError as e:
            fail(str(e))
    return _Tools(extractor=extractor, gate=relevance)


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
    if summary.gated:
        table.add_row(
            "skipped by the relevance gate (stored, not extracted)", str(len(summary.gated))
        )
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
