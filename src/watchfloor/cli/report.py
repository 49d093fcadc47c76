"""`watchfloor report`: the SITREP for a period, as HTML, Markdown and/or PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.errors import WatchfloorError
from watchfloor.knowledge import load_knowledge
from watchfloor.report.sitrep import build_sitrep, headline_findings, write_sitrep
from watchfloor.store import Store

FORMATS = (".html", ".htm", ".md", ".markdown", ".pdf")


def report_command(
    db: DbOption = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="First day of the period (default: 90 days before --until)."
        ),
    ] = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="Last day of the period (default: the day of the latest event on record).",
        ),
    ] = None,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="First day of the outlook (default: the day after --until).",
        ),
    ] = None,
    out: Annotated[
        list[str] | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the SITREP here; the suffix picks the format: .html (one "
            "self-contained file), .md (pictures in NAME_files/ beside it) or .pdf. "
            "Repeat it, or give a comma-separated list, for several formats "
            "(default: sitrep.html).",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
) -> None:
    """Write the SITREP: key takeaways, tempo chart, map, events, claims and
    attributions, front groups, network, outlook, what they are saying (threats,
    deadlines, narratives), whether strikes deterred, and the sources of every statement.

    Counts fused events: one per real attack, however many reports tell it.

    Examples:
      watchfloor report --out sitrep.html
      watchfloor report --since 2020-01-01 --until 2020-03-31 --out sitrep.html --out sitrep.pdf
      watchfloor report --out sitrep.html,sitrep.md,sitrep.pdf --title "Iraq, Q1 2020"
    """
    paths = _paths(out)
    settings = settings_for(db)
    try:
        kb = load_knowledge(settings.knowledge)
        with Store.open(settings.db) as store:
            sitrep = build_sitrep(
                store, since=_day(since), until=_day(until), as_of=_day(as_of), title=title, kb=kb
            )
        written = [f for path in paths for f in write_sitrep(sitrep, path)]
    except WatchfloorError as e:
        fail(str(e))
    attacks = f"{sitrep.attacks} attack{'' if sitrep.attacks == 1 else 's'}"
    console.print(
        f"[bold]{sitrep.title}[/]: {attacks}, {len(sitrep.sources)} sources cited", highlight=False
    )
    for n, finding in enumerate(headline_findings(sitrep), start=1):
        console.print(f"{n}. {finding}", highlight=False)
    for path in written:
        console.print(f"Wrote {path}", highlight=False)


def _paths(out: list[str] | None) -> list[Path]:
    """The output files, split on commas; exits 2 on an unknown suffix."""
    names = [n.strip() for value in (out or ["sitrep.html"]) for n in value.split(",")]
    paths = [Path(n) for n in names if n]
    wrong = [p.name for p in paths if p.suffix.lower() not in FORMATS]
    if wrong or not paths:
        fail(
            f"cannot tell the format of {', '.join(wrong) or 'an empty --out'}",
            hint="Give --out a file ending in .html, .md or .pdf.",
        )
    return paths


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None
