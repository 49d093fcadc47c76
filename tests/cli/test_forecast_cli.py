"""`watchfloor forecast backtest`: JSON and table output, clear errors, and the Iraq series."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import shared_path
from watchfloor.analyse.backtest import count_series
from watchfloor.cli import options
from watchfloor.cli.forecast import app

runner = CliRunner()
METRICS = {"crps", "log_score", "brier", "coverage80"}


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(options.console, "_width", 200)  # restored to None after
    monkeypatch.setattr(options.err_console, "_width", 200)


def write_counts(path: Path, counts: pd.Series) -> Path:
    """A date,count CSV, empty where the count is missing."""
    lines = ["date,count"]
    for day, value in zip(pd.DatetimeIndex(counts.index), counts.to_numpy(), strict=True):
        lines.append(f"{day.date()},{'' if np.isnan(value) else int(value)}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def weekly_csv(tmp_path: Path) -> Path:
    values = np.random.default_rng(0).poisson(np.linspace(5, 30, 40)).astype(float)
    values[[12, 13, 30]] = np.nan
    index = pd.date_range("2020-01-05", periods=40, freq="W-SUN")
    return write_counts(tmp_path / "weekly.csv", pd.Series(values, index=index))


def test_json_has_exactly_the_documented_shape(weekly_csv: Path) -> None:
    args = ["backtest", "--counts", str(weekly_csv), "--format", "json", "--min-train", "20"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"models", "best", "periods"}
    assert list(data["models"]) == ["no_change", "poisson", "bootstrap", "negbin", "hawkes"]
    assert all(set(scores) == METRICS for scores in data["models"].values())
    assert data["best"] == min(data["models"], key=lambda m: data["models"][m]["crps"])
    assert data["periods"] == 17  # weeks 22 to 39 less 30: the 20 observed before 22 skip 12, 13


def test_table_is_the_default_and_models_can_be_chosen(weekly_csv: Path) -> None:
    args = ["backtest", "--counts", str(weekly_csv), "-m", "no_change", "-m", "poisson"]
    result = runner.invoke(app, [*args, "--min-train", "10", "--horizon", "2", "--step", "3"])
    assert result.exit_code == 0, result.output
    assert "Backtest over" in result.stdout and "(best)" in result.stdout
    assert "poisson" in result.stdout and "negbin" not in result.stdout


def test_help_teaches_with_an_example() -> None:
    result = runner.invoke(app, ["backtest", "--help"])
    assert result.exit_code == 0
    for words in ("--counts", "--min-train", "--horizon", "CRPS", "Examples", "missing"):
        assert words in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--counts", "absent.csv"], "does not exist"),
        (["--freq", "Y"], "'Y' is not one of"),
        (["-m", "oracle"], "unknown model oracle"),
        (["--min-train", "400"], "nothing to score"),
    ],
)
def test_bad_arguments_exit_2(weekly_csv: Path, args: list[str], message: str) -> None:
    counts = [] if "--counts" in args else ["--counts", str(weekly_csv)]
    result = runner.invoke(app, ["backtest", *counts, *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_malformed_csv_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,count\n2020-01-05,4\n2020-01-12;3\n")
    result = runner.invoke(app, ["backtest", "--counts", str(path)])
    assert result.exit_code == 2
    assert "bad.csv:3: expected 2 fields" in " ".join(result.output.split())


def test_iraq_weekly_attacks_best_model_beats_no_change(tmp_path: Path) -> None:
    """The 2006-2008 insurgent attacks, with the five-month hole in the records left missing."""
    events = pd.read_csv(shared_path("data", "iraq-insurgency-2006-2008", "events.csv.gz"))
    attacks = events.loc[events["side"] == "insurgent", "date"]
    weekly = count_series(attacks, freq="W", gaps=[("2006-09-30", "2007-02-23")], end="2008-07-05")
    path = write_counts(tmp_path / "iraq-weekly.csv", weekly)
    args = ["backtest", "--counts", str(path), "--freq", "W", "--format", "json", "--step", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["periods"] == 41
    assert data["best"] != "no_change"
    assert data["models"][data["best"]]["crps"] < data["models"]["no_change"]["crps"]


def test_backtest_uses_the_database_without_counts(tmp_path: Path) -> None:
    from tests.cli.test_tempo_cli import seeded

    db = seeded(tmp_path)
    result = runner.invoke(app, ["backtest", "--db", db, "--min-train", "4", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["periods"] > 0


def test_backtest_on_an_empty_database_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["backtest", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 2
    assert "ingest reports first" in result.output
