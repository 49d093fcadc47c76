"""The outlook: the forecast for the window, its key dates and indicators, on the seed report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import shared_path
from watchfloor import pipeline
from watchfloor.analyse.outlook import forecast_attacks, period_counts
from watchfloor.cli import horizon
from watchfloor.store import Store

runner = CliRunner()


def test_periods_end_the_day_before_the_window() -> None:
    days = [dt.date(2020, 3, 1), dt.date(2020, 3, 14), dt.date(2020, 3, 15)]
    counts = period_counts(days, end=dt.date(2020, 3, 15), length=14)
    assert counts.tolist() == [1.0, 2.0]
    assert counts.index[-1].date() == dt.date(2020, 3, 2)


def test_thin_history_gives_a_wide_poisson_interval() -> None:
    days = [dt.date(2020, 3, d) for d in (2, 9, 11, 14, 16)]
    forecast = forecast_attacks(days, as_of=dt.date(2020, 4, 2), length=14)
    assert forecast.model == "poisson-recent-rate"
    assert "thin history" in forecast.reason
    assert forecast.low == 0 and forecast.high >= 2 * forecast.expected


def test_no_history_still_answers() -> None:
    forecast = forecast_attacks([], as_of=dt.date(2020, 4, 2), length=14)
    assert forecast.expected < 0.2 and forecast.attacks == 0


def test_long_history_picks_the_model_with_the_best_backtest() -> None:
    rng = np.random.default_rng(3)
    offsets = np.sort(rng.integers(0, 420, 150))
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=int(d)) for d in offsets]
    forecast = forecast_attacks(days, as_of=dt.date(2020, 3, 1), length=14, large=15)
    assert forecast.model != "poisson-recent-rate"
    assert "no-change baseline" in forecast.reason
    assert forecast.low <= forecast.expected <= forecast.high
    assert 0 < forecast.p_large < forecast.p_any <= 1


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from watchfloor.extract import build_extractor

    seed = shared_path("seed", "iraq-proxies-2020.txt")
    db = str(tmp_path_factory.mktemp("seed") / "seed.db")
    with Store.open(db) as store:
        pipeline.run(
            [seed], store=store, extractor=build_extractor(), published=dt.date(2020, 4, 2)
        )
    yield db


def app() -> typer.Typer:
    cli = typer.Typer()
    cli.command("outlook")(horizon.outlook_command)
    cli.command("watch")(horizon.watch_command)
    return cli


@pytest.mark.model
def test_seed_outlook_lists_the_april_deadlines(seed_db: str) -> None:
    result = runner.invoke(
        app(), ["outlook", "--db", seed_db, "--as-of", "2020-04-02", "--days", "30"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2020-04-16" in result.output and "2020-04-26" in result.output
    assert "Zurfi" in result.output and "waiver" in result.output
    assert "thin history" in result.output
    assert "large-rocket-salvo" in result.output and "ACTIVE" in result.output


@pytest.mark.model
def test_seed_outlook_before_the_attacks_is_quiet(seed_db: str) -> None:
    result = runner.invoke(
        app(), ["outlook", "--db", seed_db, "--as-of", "2020-01-01", "--days", "7"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ACTIVE" not in result.output
    assert "2020-01-03" in result.output  # Soleimani's killing, in the calendar


@pytest.mark.model
def test_seed_watch_raises_the_taji_salvo_once(seed_db: str, tmp_path: Path) -> None:
    alerts = tmp_path / "alerts.jsonl"
    args = ["watch", "--db", seed_db, "--alerts", str(alerts)]
    first = runner.invoke(app(), args, env={"COLUMNS": "200"})
    again = runner.invoke(app(), args, env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "large-rocket-salvo" in first.output and "Usbat al-Thairen" in first.output
    assert "0 new alert(s)" in again.output
