"""Rolling-origin backtests of count forecasts, and the count series they run on.

A count series is a pandas Series of counts in period order, NaN where the source was not
watching. `count_series` builds one from event dates; `read_counts_csv` reads one from a
`date,count` file. `backtest` moves the forecast origin through the series one period at
a time, refits every model on the history up to the origin, and scores its predictive
distribution of the count `horizon` periods later. Missing periods are never targets.

The scores, each averaged over the targets (lower is better except coverage):

- CRPS, computed exactly from the pmf: Σ_k (F(k) − 1{k ≥ y})², which for a distribution
  on the integers equals the energy form E|X − y| − ½·E|X − X′| (`crps_samples`);
- log score: −log P(Y = y), with the probability floored at LOG_SCORE_FLOOR (1e-6, so at
  most 13.8 nats a period) so that a point mass that misses costs a finite amount;
- Brier score of the forecast probability of at least one event;
- coverage of the central 80% interval [q10, q90], where q is the smallest count whose
  cumulative probability reaches the level; it should be near 0.8 (a little above, for
  a discrete distribution).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from watchfloor.analyse.forecast import Forecaster, Predictive, default_models
from watchfloor.analyse.hawkes import FloatArray
from watchfloor.errors import ImportFailed

PERIOD_CODES = {"D": "D", "W": "W-SUN", "M": "M"}
LOG_SCORE_FLOOR = 1e-6
DateLike = dt.date | str | pd.Timestamp


def period_code(freq: str) -> str:
    """The pandas period code for D (day), W (week ending Sunday) or M (month).

    >>> period_code("w")
    'W-SUN'
    """
    code = PERIOD_CODES.get(freq.upper())
    if code is None:
        raise ValueError(f"unknown frequency {freq!r}: use D (day), W (week) or M (month)")
    return code


def coverage_gaps(
    dates: Iterable[DateLike], *, quiet_events: float = 30.0
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of days with no events that are too long for the series' rate: (first, last) days.

    The rule: over the days from the first event to the last, at the mean daily rate r, a run
    of n empty days is a gap when r·n ≥ `quiet_events`, i.e. when a Poisson stream at that
    rate would stay silent that long with probability below e^−30. A busy series (100 a day)
    loses single empty days; a sparse one (1 a week) only silences of seven months or more.

    >>> days = ["2020-01-01"] * 50 + ["2020-01-02"] * 50 + ["2020-01-05"] * 50
    >>> [(str(a.date()), str(b.date())) for a, b in coverage_gaps(days)]
    [('2020-01-03', '2020-01-04')]
    """
    daily = _daily(dates)
    rate = float(daily.mean())
    empty = np.concatenate([[0], (daily.to_numpy() == 0).astype(np.int64), [0]])
    edges = np.flatnonzero(np.diff(empty))
    runs = zip(edges[::2], edges[1::2], strict=True)
    return [(daily.index[a], daily.index[b - 1]) for a, b in runs if rate * (b - a) >= quiet_events]


def _daily(dates: Iterable[DateLike]) -> pd.Series:
    """Events per day, from the first event's day to the last's, zeros included."""
    days = pd.DatetimeIndex(pd.to_datetime(pd.Series(list(dates), dtype=object))).normalize()
    if days.empty:
        raise ValueError("no event dates")
    counts = pd.Series(1.0, index=days).groupby(level=0).sum()
    return counts.reindex(pd.date_range(days.min(), days.max(), freq="D"), fill_value=0.0)


def count_series(
    dates: Iterable[DateLike],
    *,
    freq: str = "W",
    gaps: Sequence[tuple[DateLike, DateLike]] = (),
    start: DateLike | None = None,
    end: DateLike | None = None,
    detect_gaps: bool = False,
) -> pd.Series:
    """Events per period, NaN for every period not wholly covered, indexed by its first day.

    Coverage runs from `start` to `end` (default: the first and last event's days), less the
    `gaps` (inclusive (first, last) day pairs) and, with `detect_gaps`, the runs that
    `coverage_gaps` finds. A period that is only partly covered is NaN too: its count would
    be an undercount.

    >>> dates = ["2020-01-06", "2020-01-07", "2020-01-21", "2020-01-27"]
    >>> count_series(dates, gaps=[("2020-01-14", "2020-01-15")], end="2020-02-02").tolist()
    [2.0, nan, 1.0, 1.0]
    """
    days_of_events = list(dates)
    daily = _daily(days_of_events)
    first = pd.Timestamp(start or daily.index[0]).normalize()
    last = pd.Timestamp(end or daily.index[-1]).normalize()
    holes = [*gaps, *(coverage_gaps(days_of_events) if detect_gaps else [])]
    code = period_code(freq)
    periods = pd.period_range(first.to_period(code), last.to_period(code), freq=code)
    days = pd.date_range(periods[0].start_time, periods[-1].end_time.normalize(), freq="D")
    daily = daily.reindex(days, fill_value=0.0)
    daily[(days < first) | (days > last)] = np.nan
    for a, b in holes:
        daily[(days >= pd.Timestamp(a)) & (days <= pd.Timestamp(b))] = np.nan
    by_period = daily.groupby(days.to_period(code))
    values = by_period.sum().where(~daily.isna().groupby(days.to_period(code)).any())
    return _series(values.to_numpy(dtype=np.float64), periods)


def _series(values: FloatArray, periods: pd.PeriodIndex) -> pd.Series:
    index = pd.DatetimeIndex(periods.start_time, name="period")
    return pd.Series(values, index=index, name="count", dtype="float64")


def read_counts_csv(path: Path, *, freq: str = "W") -> pd.Series:
    """A count series from a `date,count` CSV: a row per period, an empty count is missing.

    The header line is optional. Periods with no row between the first and the last are
    missing (write 0 for a quiet period). Raises ImportFailed naming the line at fault.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("date,count\\n2020-01-06,3\\n2020-01-13,\\n2020-01-20,1\\n")
    >>> read_counts_csv(Path(f.name)).tolist()
    [3.0, nan, 1.0]
    """
    code = period_code(freq)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(enumerate(csv.reader(handle), start=1))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ImportFailed(f"{path}: cannot read it as CSV: {e}") from e
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if rows and _is_header(rows[0][1]):
        rows = rows[1:]
    if not rows:
        raise ImportFailed(f"{path}: no rows of data (expected lines like 2020-01-06,3)")
    counts: dict[pd.Period, tuple[float, int]] = {}
    for line, row in rows:
        period, count = _parse_row(path, line, row, code)
        if period in counts:
            raise ImportFailed(
                f"{path}:{line}: a second row for the period {period} (the first is on line "
                f"{counts[period][1]}); give one row per period, or choose another --freq"
            )
        counts[period] = (count, line)
    periods = pd.period_range(min(counts), max(counts), freq=code)
    return _series(np.array([counts.get(p, (np.nan, 0))[0] for p in periods]), periods)


def _is_header(row: list[str]) -> bool:
    """A first row that does not start with a date is a header (its names do not matter)."""
    try:
        dt.date.fromisoformat(row[0].strip())
    except ValueError:
        return True
    return False


def _parse_row(path: Path, line: int, row: list[str], code: str) -> tuple[pd.Period, float]:
    """One data row: the period its date falls in, and its count (NaN if empty)."""
    if len(row) != 2:
        raise ImportFailed(f"{path}:{line}: expected 2 fields (date,count), found {len(row)}")
    day, text = row[0].strip(), row[1].strip()
    try:
        period = pd.Period(dt.date.fromisoformat(day), freq=code)
    except ValueError as e:
        raise ImportFailed(f"{path}:{line}: {day!r} is not a date (YYYY-MM-DD)") from e
    if text == "":
        return period, np.nan
    try:
        count = float(text)
    except ValueError as e:
        raise ImportFailed(f"{path}:{line}: {text!r} is not a count") from e
    if not (count >= 0 and count.is_integer()):
        raise ImportFailed(f"{path}:{line}: {text!r} is not a count (a whole number >= 0)")
    return period, count


def crps(predictive: Predictive, observed: float) -> float:
    """The continuous ranked probability score of a count distribution, exactly.

    >>> crps(Predictive.point(3), 5), crps(Predictive.empirical(np.array([0, 2])), 1)
    (2.0, 0.5)
    """
    y = round(observed)
    size = max(predictive.pmf.size, y + 1)
    cdf = np.concatenate([predictive.cdf(), np.ones(size - predictive.pmf.size)])
    return float(np.sum((cdf - (np.arange(size) >= y)) ** 2))


def crps_samples(samples: NDArray[np.float64] | NDArray[np.int64], observed: float) -> float:
    """CRPS from draws by the energy form E|X − y| − ½·E|X − X′|, in O(n log n).

    >>> crps_samples(np.array([0, 2]), 1)
    0.5
    """
    x = np.sort(np.asarray(samples, dtype=np.float64))
    n = x.size
    spread = 2 * float(np.dot(2 * np.arange(1, n + 1) - n - 1, x)) / n**2
    return float(np.mean(np.abs(x - observed))) - spread / 2


def log_score(predictive: Predictive, observed: float) -> float:
    """−log P(Y = observed), the probability floored at LOG_SCORE_FLOOR.

    >>> round(log_score(Predictive.point(3), 5), 2)
    13.82
    """
    return float(-np.log(max(predictive.prob(round(observed)), LOG_SCORE_FLOOR)))


def brier(predictive: Predictive, observed: float) -> float:
    """Brier score of the forecast probability of at least one event.

    >>> brier(Predictive.empirical(np.array([0, 1, 1, 2])), 0)
    0.5625
    """
    return (predictive.prob_at_least(1) - float(observed >= 1)) ** 2


def covered(predictive: Predictive, observed: float, *, level: float = 0.8) -> bool:
    """Whether the count lies in the central interval that holds `level` of the probability.

    >>> covered(Predictive.poisson(10.0), 12), covered(Predictive.poisson(10.0), 30)
    (True, False)
    """
    tail = (1 - level) / 2
    return predictive.quantile(tail) <= observed <= predictive.quantile(1 - tail)


@dataclass(frozen=True)
class Scores:
    """A model's mean scores over the targets of a backtest."""

    crps: float
    log_score: float
    brier: float
    coverage80: float


@dataclass(frozen=True)
class BacktestResult:
    """Each model's mean scores, how many periods were scored, and every single forecast."""

    scores: dict[str, Scores]
    periods: int
    forecasts: pd.DataFrame

    @property
    def best(self) -> str:
        """The model with the lowest mean CRPS."""
        return min(self.scores, key=lambda name: self.scores[name].crps)

    def to_dict(self) -> dict[str, object]:
        """{"models": {name: scores}, "best": name, "periods": n}, ready for JSON."""
        models = {name: asdict(s) for name, s in self.scores.items()}
        return {"models": models, "best": self.best, "periods": self.periods}


def forecast_targets(values: FloatArray, *, min_train: int, horizon: int, step: int) -> list[int]:
    """Positions of the observed periods with `min_train` observed periods up to their origin.

    >>> forecast_targets(np.array([1.0, 2, np.nan, 4, 5, 6]), min_train=2, horizon=1, step=1)
    [3, 4, 5]
    """
    if min(min_train, horizon, step) < 1:
        raise ValueError("min_train, horizon and step must be at least 1")
    seen = ~np.isnan(values)
    history = np.cumsum(seen)  # observed periods up to and including each origin
    positions = [j for j in range(horizon, values.size) if seen[j]]
    return [j for j in positions if history[j - horizon] >= min_train][::step]


def _score(name: str, period: object, observed: float, predictive: Predictive) -> dict[str, object]:
    return {
        "model": name,
        "period": period,
        "observed": observed,
        "mean": predictive.mean(),
        "crps": crps(predictive, observed),
        "log_score": log_score(predictive, observed),
        "brier": brier(predictive, observed),
        "covered80": covered(predictive, observed),
    }


def backtest(
    counts: pd.Series,
    *,
    models: Sequence[Forecaster] | None = None,
    min_train: int = 26,
    horizon: int = 1,
    step: int = 1,
    seed: int = 0,
) -> BacktestResult:
    """Score every model by rolling the origin through a count series (NaN = missing).

    Every `step`-th observed period with `min_train` observed periods up to its origin
    (`horizon` periods before it) is a target; each model is refitted for each target.

    >>> from watchfloor.analyse.forecast import Bootstrap, NoChange
    >>> counts = pd.Series([5.0, 7, 6, np.nan, 8, 9, 7, 10, 9, 11])
    >>> result = backtest(counts, models=[NoChange(), Bootstrap()], min_train=4)
    >>> result.periods, sorted(result.scores)
    (5, ['bootstrap', 'no_change'])
    """
    values = counts.to_numpy(dtype=np.float64)
    if (values[~np.isnan(values)] < 0).any():
        raise ValueError("counts cannot be negative")
    targets = forecast_targets(values, min_train=min_train, horizon=horizon, step=step)
    if not targets:
        raise ValueError(
            f"nothing to score: need more than {min_train} observed periods (--min-train)"
        )
    models = default_models() if models is None else list(models)
    names = [m.name for m in models]
    if len(set(names)) < len(names):
        raise ValueError(f"two models share a name: {names}")
    rows = []
    for number, model in enumerate(models):
        for j in targets:
            rng = np.random.default_rng([seed, number, j])
            history = values[: j - horizon + 1]
            predictive = model.predict(history, horizon=horizon, rng=rng)
            rows.append(_score(model.name, counts.index[j], float(values[j]), predictive))
    return _result(pd.DataFrame(rows), names, len(targets))


def _result(table: pd.DataFrame, names: list[str], periods: int) -> BacktestResult:
    columns = ["crps", "log_score", "brier", "covered80"]
    means = table.groupby("model", sort=False)[columns].mean()
    rows = {name: means.loc[name].to_numpy(dtype=np.float64) for name in names}
    scores = {name: Scores(*(float(v) for v in row)) for name, row in rows.items()}
    return BacktestResult(scores, periods, table)
