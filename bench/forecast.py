"""Forecasting speed: Hawkes fits and simulations by size, and a backtest's cost by model.

    python bench/forecast.py [--repeat N]

Prints seconds per Hawkes fit (4 starts) at 1,000 to 50,000 events, per forecast of next
period's count (500 paths), and per scored period of a rolling backtest for each model on
the weekly Iraq series (when ../shared is present) or a simulated one. Nothing is asserted:
the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from watchfloor.analyse.backtest import backtest, count_series
from watchfloor.analyse.forecast import default_models
from watchfloor.analyse.hawkes import HawkesParams, fit_hawkes, forecast_counts, simulate_hawkes

IRAQ = Path(__file__).resolve().parents[2] / "shared/data/iraq-insurgency-2006-2008/events.csv.gz"
PARAMS = HawkesParams(mu=0.5, alpha=0.6, beta=1.5)


def best_of(repeat: int, task: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_size(n_events: int, repeat: int) -> tuple[int, float, float]:
    """Events simulated, seconds per fit, seconds per one-period forecast."""
    end = n_events / PARAMS.mean_rate
    times = simulate_hawkes(PARAMS, end=end, rng=np.random.default_rng(0))
    windows = [(0.0, end)]
    fit = best_of(repeat, partial(fit_hawkes, times, windows=windows))
    ahead = partial(
        forecast_counts,
        PARAMS,
        times,
        origin=end,
        periods=1,
        period=end / 100,  # a period that holds about 1% of the events
        rng=np.random.default_rng(1),
    )
    return times.size, fit, best_of(repeat, ahead)


def bench_hawkes(repeat: int) -> None:
    """Fit and forecast times as the number of events grows."""
    print(f"{'events':>8} {'fit s':>8} {'forecast s':>11}")
    for n in (1_000, 5_000, 20_000, 50_000):
        size, fit, ahead = bench_size(n, repeat)
        print(f"{size:>8} {fit:>8.3f} {ahead:>11.3f}")


def weekly_series() -> tuple[str, pd.Series]:
    """The Iraq weekly attacks if the shared data is here, else a simulated stream."""
    if IRAQ.exists():
        events = pd.read_csv(IRAQ)
        attacks = events.loc[events["side"] == "insurgent", "date"]
        gap = [("2006-09-30", "2007-02-23")]
        return "Iraq weekly", count_series(attacks, freq="W", gaps=gap, end="2008-07-05")
    times = simulate_hawkes(PARAMS, end=700.0, rng=np.random.default_rng(2))
    return "simulated", pd.Series(np.bincount(times.astype(int) // 7).astype(float))


def bench_backtest() -> None:
    """Seconds per scored period, model by model."""
    label, series = weekly_series()
    print(f"\nbacktest on {label} ({series.notna().sum()} observed periods)")
    for model in default_models():
        start = time.perf_counter()
        result = backtest(series, models=[model])
        seconds = time.perf_counter() - start
        crps = result.scores[model.name].crps
        print(f"{model.name:>10} {seconds / result.periods:8.4f} s/period  CRPS {crps:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    args = parser.parse_args()
    bench_hawkes(args.repeat)
    bench_backtest()


if __name__ == "__main__":
    main()
