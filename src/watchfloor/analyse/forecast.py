"""Forecasts of how many events the next period holds: predictive distributions and models.

A count series is a pandas Series of counts indexed by period (day, week or month), with NaN
where the source was not watching: a hole in coverage is missing data, never a quiet spell.

Every model answers the same question the same way: given the history of counts up to an
origin, `predict` returns the predictive distribution of the count `horizon` periods later,
as a pmf over 0, 1, 2, ... (`Predictive`). Missing periods in the history are skipped: the
baselines use the last observed values, the regression takes the observed counts with the
gaps closed up, and the Hawkes model fits on the observed windows only.

The first three models are benchmarks of the kind the VIEWS forecasting competition scores
entries against; the other two are a regression and a self-exciting process:

- `no_change`: all the mass on the last observed count (a point mass; it scores like the
  absolute error of a point forecast and gets the log-score floor whenever it misses);
- `poisson`: Poisson with its mean at the last observed count;
- `bootstrap`: the empirical distribution of the last 12 observed counts;
- `negbin`: negative-binomial (NB2) regression with log link of the count on log(1 + the
  count `horizon` observations before), over the whole observed history;
- `hawkes`: a Hawkes process fitted to the recent observed periods, simulated forward.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from watchfloor.analyse.hawkes import FloatArray, HawkesParams, fit_hawkes, forecast_counts

# Probability mass left out when a distribution with an infinite tail is cut to a finite pmf.
TAIL_MASS = 1e-9


@dataclass(frozen=True)
class Predictive:
    """A predictive distribution of one period's count: pmf[k] is the probability of k events."""

    pmf: FloatArray

    def __post_init__(self) -> None:
        pmf = self.pmf
        if pmf.ndim != 1 or pmf.size == 0 or (pmf < 0).any() or abs(pmf.sum() - 1) > 1e-6:
            raise ValueError("a pmf is a non-empty 1-D array of probabilities that sum to 1")

    @classmethod
    def point(cls, value: int) -> Predictive:
        """All the mass on one count.

        >>> Predictive.point(2).pmf.tolist()
        [0.0, 0.0, 1.0]
        """
        pmf = np.zeros(int(value) + 1)
        pmf[-1] = 1.0
        return cls(pmf)

    @classmethod
    def poisson(cls, mean: float) -> Predictive:
        """A Poisson distribution, cut where its upper tail falls below TAIL_MASS.

        >>> round(Predictive.poisson(3.0).mean(), 6)
        3.0
        """
        if mean <= 0:
            return cls.point(0)
        top = int(stats.poisson.isf(TAIL_MASS, mean))
        return cls._normalised(stats.poisson.pmf(np.arange(top + 1), mean))

    @classmethod
    def negative_binomial(cls, mean: float, dispersion: float) -> Predictive:
        """A negative binomial with variance mean + dispersion·mean² (NB2), cut at TAIL_MASS.

        >>> round(Predictive.negative_binomial(10.0, 0.5).mean(), 3)
        10.0
        """
        if dispersion <= 0:
            return cls.poisson(mean)
        if mean <= 0:
            return cls.point(0)
        size = 1 / dispersion
        prob = size / (size + mean)
        top = int(stats.nbinom.isf(TAIL_MASS, size, prob))
        return cls._normalised(stats.nbinom.pmf(np.arange(top + 1), size, prob))

    @classmethod
    def empirical(cls, values: NDArray[np.float64] | NDArray[np.int64]) -> Predictive:
        """Each observed count equally likely.

        >>> Predictive.empirical(np.array([0, 2, 2, 3])).pmf.tolist()
        [0.25, 0.0, 0.5, 0.25]
        """
        counts = np.rint(np.asarray(values, dtype=np.float64)).astype(np.int64)
        return cls._normalised(np.bincount(counts).astype(np.float64))

    @classmethod
    def from_samples(cls, samples: NDArray[np.int64]) -> Predictive:
        """Simulated counts, smoothed by a Gaussian kernel on the integers (Silverman's bandwidth).

        The kernel spreads each draw over its neighbours, so that a count between the draws
        is not impossible; mass below zero is reflected back.

        >>> Predictive.from_samples(np.array([1, 1, 1, 1])).pmf.tolist()
        [0.0, 1.0]
        """
        raw = np.bincount(samples.astype(np.int64)).astype(np.float64)
        width = _bandwidth(samples.astype(np.float64))
        if width == 0:
            return cls._normalised(raw)
        radius = math.ceil(4 * width)
        offsets = np.arange(-radius, radius + 1)
        kernel = np.exp(-0.5 * (offsets / width) ** 2)
        spread = np.convolve(raw, kernel / kernel.sum())
        pmf = spread[radius:].copy()
        pmf[:radius] += spread[:radius][::-1]
        return cls._normalised(pmf)

    @classmethod
    def _normalised(cls, weights: FloatArray) -> Predictive:
        return cls(np.asarray(weights / weights.sum(), dtype=np.float64))

    def prob(self, count: int) -> float:
        """The probability of exactly `count` events."""
        return float(self.pmf[count]) if 0 <= count < self.pmf.size else 0.0

    def prob_at_least(self, count: int) -> float:
        """The probability of `count` events or more.

        >>> Predictive.empirical(np.array([0, 1, 5, 5])).prob_at_least(1)
        0.75
        """
        return max(0.0, 1.0 - float(self.pmf[: max(count, 0)].sum()))

    def cdf(self) -> FloatArray:
        """P(X ≤ k) for k = 0 .. len(pmf) − 1."""
        return np.minimum(np.cumsum(self.pmf), 1.0)

    def quantile(self, level: float) -> int:
        """The smallest count k with P(X ≤ k) ≥ level.

        >>> Predictive.empirical(np.array([0, 1, 5, 5])).quantile(0.5)
        1
        """
        position = int(np.searchsorted(self.cdf(), level - 1e-12))
        return min(position, self.pmf.size - 1)

    def mean(self) -> float:
        """The expected count."""
        return float(np.arange(self.pmf.size) @ self.pmf)


def _bandwidth(samples: FloatArray) -> float:
    """Silverman's rule of thumb: 0.9 · min(sd, IQR / 1.34) · n^(−1/5)."""
    spread = float(samples.std())
    q75, q25 = np.percentile(samples, [75, 25])
    if q75 > q25:
        spread = min(spread, float(q75 - q25) / 1.34)
    return 0.9 * spread / math.pow(samples.size, 0.2)


class Forecaster(Protocol):
    """A model: history of counts (NaN = missing) → predictive distribution `horizon` periods on."""

    @property
    def name(self) -> str:
        """The model's name in scores and on the command line."""
        ...

    def predict(self, history: FloatArray, *, horizon: int, rng: np.random.Generator) -> Predictive:
        """Fit on the history and give the distribution of the count `horizon` periods on."""
        ...


def observed(history: FloatArray) -> FloatArray:
    """The observed counts, in order, without the missing periods.

    >>> observed(np.array([3.0, np.nan, 5.0])).tolist()
    [3.0, 5.0]
    """
    return history[~np.isnan(history)]


def _last_observed(history: FloatArray) -> float:
    seen = observed(history)
    if seen.size == 0:
        raise ValueError("the history holds no observed period")
    return float(seen[-1])


@dataclass(frozen=True)
class NoChange:
    """The last observed count, as a point mass."""

    name: str = "no_change"

    def predict(
        self, history: FloatArray, *, horizon: int = 1, rng: np.random.Generator | None = None
    ) -> Predictive:
        """All the mass on the last observed count.

        >>> NoChange().predict(np.array([4.0, 7.0, np.nan])).quantile(0.5)
        7
        """
        return Predictive.point(round(_last_observed(history)))


@dataclass(frozen=True)
class PoissonLast:
    """Poisson with its mean at the last observed count."""

    name: str = "poisson"

    def predict(
        self, history: FloatArray, *, horizon: int = 1, rng: np.random.Generator | None = None
    ) -> Predictive:
        """Poisson(last observed count).

        >>> round(PoissonLast().predict(np.array([4.0, 7.0, np.nan])).mean(), 6)
        7.0
        """
        return Predictive.poisson(_last_observed(history))


@dataclass(frozen=True)
class Bootstrap:
    """The empirical distribution of the last `window` observed counts."""

    name: str = "bootstrap"
    window: int = 12

    def predict(
        self, history: FloatArray, *, horizon: int = 1, rng: np.random.Generator | None = None
    ) -> Predictive:
        """Each of the last `window` observed counts equally likely.

        >>> Bootstrap(window=2).predict(np.array([9.0, 1.0, np.nan, 3.0])).pmf.tolist()
        [0.0, 0.5, 0.0, 0.5]
        """
        seen = observed(history)
        if seen.size == 0:
            raise ValueError("the history holds no observed period")
        return Predictive.empirical(seen[-self.window :])


@dataclass(frozen=True)
class NegBinRegression:
    """NB2 regression with log link: count_t on log(1 + count_{t−horizon}), over observed counts.

    The observed counts are taken in order with the gaps closed up, so a row's lag is the
    observed count `horizon` observations before it. When the fit fails (too few rows, a
    history of zeros, a singular design) the model falls back to Poisson at the mean of the
    last 12 observed counts.
    """

    name: str = "negbin"
    min_rows: int = 8

    def predict(
        self, history: FloatArray, *, horizon: int = 1, rng: np.random.Generator | None = None
    ) -> Predictive:
        """The NB2 distribution at the regression's mean for the next count.

        >>> history = np.array([10.0, 12, 15, 14, 18, 20, 22, 25, 24, 28, 30, 33])
        >>> 28 < NegBinRegression().predict(history).mean() < 40
        True
        """
        seen = observed(history)
        fitted = self._fit(seen, horizon) if seen.size >= self.min_rows + horizon else None
        if fitted is None:
            return Predictive.poisson(float(seen[-12:].mean()) if seen.size else 0.0)
        intercept, slope, dispersion = fitted
        mean = math.exp(intercept + slope * math.log1p(seen[-1]))
        return Predictive.negative_binomial(mean, dispersion)

    def _fit(self, seen: FloatArray, horizon: int) -> tuple[float, float, float] | None:
        """(intercept, slope, NB2 dispersion) by maximum likelihood, or None if it fails."""
        import statsmodels.api as sm
        from statsmodels.tools.sm_exceptions import (
            ConvergenceWarning,
            HessianInversionWarning,
            PerfectSeparationError,
        )

        target, lag = seen[horizon:], np.log1p(seen[:-horizon])
        if not target.any() or np.ptp(lag) == 0:
            return None
        design = np.column_stack([np.ones(lag.size), lag])
        # the optimiser may warn on its way; what it returns is checked below
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            for category in (ConvergenceWarning, HessianInversionWarning, RuntimeWarning):
                warnings.simplefilter("ignore", category)
            try:
                model = sm.NegativeBinomial(target, design, loglike_method="nb2")
                params = np.asarray(model.fit(disp=0, maxiter=200).params, dtype=np.float64)
            except (np.linalg.LinAlgError, ValueError, PerfectSeparationError):
                return None
        if not np.isfinite(params).all() or params[2] <= 0:
            return None
        return float(params[0]), float(params[1]), float(params[2])


def events_from_counts(counts: FloatArray) -> tuple[FloatArray, list[tuple[float, float]]]:
    """Event times for a count series, and the windows it was observed in.

    Period k spans [k, k + 1); its c events are spread evenly, at k + (i + ½)/c. Each run of
    observed periods is one window.

    >>> times, windows = events_from_counts(np.array([2.0, np.nan, 1.0, 0.0]))
    >>> times.tolist(), windows
    ([0.25, 0.75, 2.5], [(0.0, 1.0), (2.0, 4.0)])
    """
    seen = ~np.isnan(counts)
    per_period = np.where(seen, counts, 0).astype(np.int64)
    period = np.repeat(np.arange(counts.size), per_period)
    first = np.repeat(np.cumsum(per_period) - per_period, per_period)
    rank = np.arange(period.size) - first
    times = period + (rank + 0.5) / per_period[period]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], seen.astype(np.int64), [0]])))
    windows = [(float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    return times.astype(np.float64), windows


def _recent(history: FloatArray, *, periods: int, events: float, floor: int) -> FloatArray:
    """The history from its `periods`-th last observed period on, or from a later one.

    The start moves later while the observed periods from it on hold more than `events`
    events, but never to fewer than `floor` observed periods.
    """
    positions = np.flatnonzero(~np.isnan(history))
    if positions.size == 0:
        raise ValueError("the history holds no observed period")
    tail = positions[-periods:]
    after = np.cumsum(history[tail][::-1])[::-1]  # events from each observed period on
    fits = np.flatnonzero(after <= events)
    first = int(fits[0]) if fits.size else tail.size - 1
    return history[tail[min(first, max(tail.size - floor, 0))] :]


@dataclass
class HawkesForecaster:
    """A Hawkes process fitted to the recent observed periods and simulated forward.

    It fits on the last `periods` observed periods, or on fewer (but not fewer than
    `min_periods`) when those hold more than `max_events` events: a stationary process
    fits a series whose level moves best over a short stretch, and the fit's cost grows
    with the events. Counts become event times by `events_from_counts`; the fit uses only
    the observed windows; the forecast starts at the end of the last observed period, so
    missing periods after it are simulated through, for at most ten relaxation times
    1/(β(1 − α)), after which the process has forgotten its start to within e^−10. Each
    fit starts from the previous one's parameters and one default start: a rolling
    backtest refits many times on almost the same data. With fewer than `min_events`
    events it falls back to Poisson at their mean.
    """

    name: str = "hawkes"
    periods: int = 52
    min_periods: int = 8
    max_events: float = 5000.0
    n_paths: int = 500
    min_events: int = 5
    _warm: HawkesParams | None = field(default=None, init=False, repr=False)

    def predict(
        self, history: FloatArray, *, horizon: int = 1, rng: np.random.Generator
    ) -> Predictive:
        """The smoothed distribution of simulated counts `horizon` periods on.

        >>> history = np.array([3.0, 5, 2, 8, 6, 4, 7, 5, 9, 6])
        >>> p = HawkesForecaster().predict(history, rng=np.random.default_rng(0))
        >>> 2 < p.mean() < 12
        True
        """
        recent = _recent(
            history, periods=self.periods, events=self.max_events, floor=self.min_periods
        )
        times, windows = events_from_counts(recent)
        if times.size < self.min_events:
            return Predictive.poisson(float(observed(recent).mean()))
        params = fit_hawkes(times, windows=windows, initial=self._warm).params
        self._warm = params
        start, end = windows[-1]
        missing = recent.size - int(end)
        skip = max(0, missing - math.ceil(10 / (params.beta * (1 - params.alpha))))
        simulated = forecast_counts(
            params,
            times[times >= start],
            origin=end + skip,
            periods=missing - skip + horizon,
            rng=rng,
            n_paths=self.n_paths,
        )
        return Predictive.from_samples(simulated.samples[:, -1])


def default_models() -> list[Forecaster]:
    """The five models a backtest compares, in a fresh state.

    >>> [m.name for m in default_models()]
    ['no_change', 'poisson', 'bootstrap', 'negbin', 'hawkes']
    """
    return [NoChange(), PoissonLast(), Bootstrap(), NegBinRegression(), HawkesForecaster()]
