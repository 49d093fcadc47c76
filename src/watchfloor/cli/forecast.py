"""`watchfloor forecast`: how many attacks next period, and which model to trust for it."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from watchfloor.analyse.backtest import BacktestResult, backtest, count_series, read_counts_csv
from watchfloor.analyse.forecast import Forecaster, default_models
from watchfloor.cli.options import DbOption, console, fail, settings_for
from watchfloor.cli.tempo import VIOLENT
from watchfloor.errors import WatchfloorError
from watchfloor.store import Store

app = typer.Typer(
    help="Forecast counts of events per period, and test the forecasts on the past.\n\n"
    "Example:  watchfloor forecast backtest --counts weekly.csv --freq W",
    no_args_is_help=True,
)


class Freq(StrEnum):
    """The length of a period."""

    D = "D"
    W = "W"
    M = "M"


class Format(StrEnum):
    """How to print the result."""

    table = "table"
    json = "json"


MODEL_NAMES = [m.name for m in default_models()]


@app.callback()
def forecast_group() -> None:
    """Forecast counts of events per period, and test the forecasts on the past."""


@app.command("backtest")
def backtest_command(
    counts: Annotated[
        Path | None,
        typer.Option(
            "--counts",
            help="CSV of date,count: one row per period, the count empty where the source "
            "was not watching (missing, not zero). A header line is optional. "
            "(default: the attacks in the database)",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ] = None,
    freq: Annotated[
        Freq,
        typer.Option(
            help="Period: D (day), W (week, Monday to Sunday) or M (month).", case_sensitive=False
        ),
    ] = Freq.W,
    output: Annotated[
        Format, typer.Option("--format", help="table, or json for scripts.")
    ] = Format.table,
    min_train: Annotated[
        int, typer.Option(min=1, help="Observed periods of history before the first forecast.")
    ] = 26,
    horizon: Annotated[
        int, typer.Option(min=1, help="Forecast the count this many periods after the origin.")
    ] = 1,
    step: Annotated[
        int, typer.Option(min=1, help="Score every n-th eligible period only (faster).")
    ] = 1,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", "-m", help=f"Only these models (repeat): {', '.join(MODEL_NAMES)}."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the simulations.")] = 0,
    db: DbOption = None,
) -> None:
    """Score every forecasting model on the past of a count series.

    For each observed period after the first --min-train, every model is
    fitted on the history up to --horizon periods before it and forecasts
    that period's count as a probability distribution. Missing periods
    (empty counts) are never scored, and the models see them as missing,
    not as zeros.

    Scores, averaged over the periods: CRPS (the distribution's error, in
    events; lower is better), log score (nats; lower is better), Brier
    score of P(at least one event), and how often the 80% interval held
    the count (near 0.80 is right). The best model has the lowest CRPS.

    Models: no_change (the last count), poisson (Poisson at the last
    count), bootstrap (the last 12 counts), negbin (negative-binomial
    regression on the last count), hawkes (a self-exciting process fitted
    to the recent periods).

    Examples:
      watchfloor forecast backtest --counts weekly.csv --freq W
      watchfloor forecast backtest --counts weekly.csv --format json
      watchfloor forecast backtest --counts daily.csv --freq D \\
          --min-train 60 --step 7 -m negbin -m no_change
    """
    chosen = _models(model)
    try:
        series = (
            read_counts_csv(counts, freq=freq.value)
            if counts is not None
            else _store_series(db, freq.value)
        )
        result = backtest(
            series, models=chosen, min_train=min_train, horizon=horizon, step=step, seed=seed
        )
    except (WatchfloorError, ValueError) as e:
        fail(str(e), hint="Each line: YYYY-MM-DD,count (an empty count = missing).")
    if output is Format.json:
        typer.echo(json.dumps(_rounded(result), indent=2))
    else:
        console.print(_table(result, freq))


def _store_series(db: str | None, freq: str) -> pd.Series:
    """Attacks per period from the database's fused events (violent types only)."""
    settings = settings_for(db)
    with Store.open(settings.db) as store:
        events = [f.event for f in store.fused_events()] or store.events()
    dates = [e.date for e in events if e.event_type in VIOLENT]
    if not dates:
        raise ValueError(f"no attacks in {settings.db}: ingest reports first, or pass --counts")
    return count_series(dates, freq=freq)


def _models(names: list[str] | None) -> list[Forecaster]:
    """The models named, in the standard order; all of them when none is named."""
    unknown = sorted(set(names or []) - set(MODEL_NAMES))
    if unknown:
        fail(f"unknown model {', '.join(unknown)}", hint=f"Models: {', '.join(MODEL_NAMES)}")
    return [m for m in default_models() if not names or m.name in names]


def _rounded(result: BacktestResult) -> dict[str, object]:
    """The result's dictionary with the scores to 4 decimals."""
    data = result.to_dict()
    models = {
        name: {k: round(v, 4) for k, v in asdict(s).items()} for name, s in result.scores.items()
    }
    return {**data, "models": models}


def _table(result: BacktestResult, freq: Freq) -> Table:
    """One row per model, best first by CRPS."""
    table = Table(
        "model",
        "CRPS",
        "log score",
        "Brier P(≥1)",
        "80% coverage",
        title=f"Backtest over {result.periods} periods ({freq.value})",
        caption="Lower is better, except coverage (near 0.80 is right).",
    )
    for name, s in sorted(result.scores.items(), key=lambda item: item[1].crps):
        label = f"[bold]{name}[/] (best)" if name == result.best else name
        table.add_row(
            label, f"{s.crps:.3f}", f"{s.log_score:.3f}", f"{s.brier:.4f}", f"{s.coverage80:.2f}"
        )
    return table
