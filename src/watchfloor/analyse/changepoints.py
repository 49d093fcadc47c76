"""Change-points in a count series (frequency) and in a measured series (scale), and a trend test.

Segmentation is exact optimal partitioning, pruned as in PELT (Killick, Fearnhead
and Eckley 2012), with the cost of a segment equal to minus twice its maximised
log-likelihood:

- counts (`poisson_segments`): Poisson with a rate per segment and an exposure per
  period (the covered share of the period), cost ``-2 (Y log(Y/E) - Y)`` for a
  segment with Y events over exposure E. Missing periods (NaN) are dropped before
  segmenting, so a segment's rate is estimated on its covered periods only and a
  gap in coverage costs nothing and cannot by itself make a break.
- measures (`gaussian_segments`): Gaussian with a mean per segment and one
  variance, cost ``RSS / sigma^2``.

The penalty for each change-point is ``3 ln n`` (n = the covered periods), the
value the R changepoint package uses for its "MBIC" (Zhang and Siegmund 2007);
it is stricter than the BIC's ``2 ln n`` (a location and a level per change), which
finds too many breaks in series of a few hundred periods. Counts are usually
overdispersed (events cluster), so the Poisson penalty is multiplied by a
dispersion factor phi >= 1 estimated from successive differences
(`estimate_dispersion`), as quasi-likelihood scales a deviance: with phi = 10 a
break must explain ten times the deviance a Poisson series would need.

`trend` fits a Poisson GLM of counts on time with a log-exposure offset and a
HAC (Newey-West) sandwich covariance, robust to overdispersion and to the
autocorrelation of weekly counts, and states the change per month with a 95% CI.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import statsmodels.api as sm

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SegmentCost = Callable[[IntArray, int], FloatArray]

DAYS_PER_MONTH = 365.25 / 12
Z_95 = 1.959964


@dataclass(frozen=True)
class Segmentation:
    """Where a series changes level: breaks (labels), segment table, penalty, dispersion."""

    breaks: list[pd.Timestamp]
    segments: pd.DataFrame
    penalty: float
    dispersion: float

    def fitted(self, index: pd.Index) -> pd.Series:
        """Each segment's level on every label of `index` between its first and last label."""
        labels = pd.DatetimeIndex(index)
        levels = np.full(len(labels), np.nan)
        for start, end, level in self.rows():
            levels[(labels >= start) & (labels <= end)] = level
        return pd.Series(levels, index=index, name="level")

    def rows(self) -> list[tuple[pd.Timestamp, pd.Timestamp, float]]:
        """(first label, last label, level) of each segment."""
        table = self.segments
        return [
            (pd.Timestamp(start), pd.Timestamp(end), float(level))
            for start, end, level in zip(table["start"], table["end"], table["level"], strict=True)
        ]


@dataclass(frozen=True)
class Trend:
    """A log-linear trend over a window: % change per month with a 95% CI, or why none."""

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    periods: int
    events: float
    pct_per_month: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    reason: str | None = None

    @property
    def estimated(self) -> bool:
        """True when the window held enough data for a trend."""
        return self.pct_per_month is not None


def mbic_penalty(n: int) -> float:
    """The penalty per change-point: 3 ln n (changepoint's MBIC).

    >>> round(mbic_penalty(150), 2)
    15.03
    """
    return 3.0 * math.log(max(n, 2))


def pelt(cost: SegmentCost, n: int, *, penalty: float, min_size: int = 1) -> list[int]:
    """Optimal partition of positions 0..n-1; returns the positions where segments start.

    >>> data = np.array([0.0] * 5 + [9.0] * 5)
    >>> pelt(_gaussian_cost(data, 1.0), 10, penalty=5.0)
    [5]
    """
    best = np.full(n + 1, np.inf)
    best[0] = -penalty
    previous = np.zeros(n + 1, dtype=np.int64)
    candidates = np.zeros(1, dtype=np.int64)
    for end in range(1, n + 1):
        ready = candidates[end - candidates >= min_size]
        if ready.size:
            totals = best[ready] + cost(ready, end)
            pick = int(np.argmin(totals))
            best[end] = totals[pick] + penalty
            previous[end] = ready[pick]
            waiting = candidates[end - candidates < min_size]
            candidates = np.concatenate([waiting, ready[totals <= best[end]]])
        candidates = np.append(candidates, end)
    return _backtrack(previous, n)


def _backtrack(previous: IntArray, n: int) -> list[int]:
    starts: list[int] = []
    end = n
    while end > 0:
        end = int(previous[end])
        if end > 0:
            starts.append(end)
    return sorted(starts)


def _poisson_cost(counts: FloatArray, exposure: FloatArray) -> SegmentCost:
    total = np.concatenate([[0.0], np.cumsum(counts)])
    covered = np.concatenate([[0.0], np.cumsum(exposure)])

    def cost(starts: IntArray, end: int) -> FloatArray:
        events = total[end] - total[starts]
        time = covered[end] - covered[starts]
        positive = events > 0
        ratio = np.where(positive, events, 1.0) / np.where(time > 0, time, 1.0)
        result: FloatArray = np.where(positive, -2.0 * (events * np.log(ratio) - events), 0.0)
        return result

    return cost


def _gaussian_cost(values: FloatArray, variance: float) -> SegmentCost:
    total = np.concatenate([[0.0], np.cumsum(values)])
    squares = np.concatenate([[0.0], np.cumsum(values**2)])

    def cost(starts: IntArray, end: int) -> FloatArray:
        size = (end - starts).astype(np.float64)
        sums = total[end] - total[starts]
        rss = squares[end] - squares[starts] - sums**2 / size
        result: FloatArray = np.maximum(rss, 0.0) / variance
        return result

    return cost


def estimate_dispersion(counts: pd.Series, exposure: pd.Series | None = None) -> float:
    """Overdispersion phi of counts (variance / mean), from successive full periods; >= 1.

    >>> estimate_dispersion(pd.Series([10.0, 30.0, 10.0, 30.0, 10.0]))
    10.0
    """
    values = counts.to_numpy(dtype=np.float64)
    full = _exposure(counts, exposure) >= 1.0 - 1e-9
    full &= ~np.isnan(values)
    pairs = full[1:] & full[:-1]
    differences = (values[1:] - values[:-1])[pairs]
    sums = (values[1:] + values[:-1])[pairs]
    if sums.sum() <= 0:
        return 1.0
    return max(1.0, float((differences**2).sum() / sums.sum()))


def _exposure(counts: pd.Series, exposure: pd.Series | None) -> FloatArray:
    if exposure is None:
        return np.ones(len(counts), dtype=np.float64)
    return exposure.reindex(counts.index).fillna(0.0).to_numpy(dtype=np.float64)


def poisson_segments(
    counts: pd.Series,
    *,
    exposure: pd.Series | None = None,
    dispersion: float | None = None,
    penalty: float | None = None,
    min_size: int = 3,
) -> Segmentation:
    """Change-points in the rate of a count series; NaN periods are missing, not zero.

    >>> weeks = pd.date_range("2020-01-06", periods=40, freq="W-MON")
    >>> counts = pd.Series([2.0] * 20 + [9.0] * 20, index=weeks)
    >>> [str(b.date()) for b in poisson_segments(counts).breaks]
    ['2020-05-25']
    """
    weights = _exposure(counts, exposure)
    keep = counts.notna().to_numpy() & (weights > 0)
    values = counts.to_numpy(dtype=np.float64)[keep]
    phi = estimate_dispersion(counts, exposure) if dispersion is None else dispersion
    beta = phi * mbic_penalty(int(keep.sum())) if penalty is None else penalty
    starts = pelt(
        _poisson_cost(values, weights[keep]), len(values), penalty=beta, min_size=min_size
    )
    labels = counts.index[keep]
    table = _segment_table(labels, starts, values, weights[keep])
    return Segmentation([pd.Timestamp(labels[s]) for s in starts], table, beta, phi)


def _segment_table(
    labels: pd.Index, starts: list[int], values: FloatArray, weights: FloatArray
) -> pd.DataFrame:
    bounds = [0, *starts, len(values)]
    rows = []
    for first, stop in itertools.pairwise(bounds):
        total, time = float(values[first:stop].sum()), float(weights[first:stop].sum())
        rows.append(
            {
                "start": labels[first],
                "end": labels[stop - 1],
                "periods": stop - first,
                "total": total,
                "exposure": time,
                "level": total / time if time > 0 else math.nan,
            }
        )
    columns = ["start", "end", "periods", "total", "exposure", "level"]
    return pd.DataFrame(rows, columns=columns)


def gaussian_segments(
    values: pd.Series, *, penalty: float | None = None, min_size: int = 3
) -> Segmentation:
    """Change-points in the mean of a measured series (e.g. log munitions per attack).

    >>> values = pd.Series([1.0, 1.1, 0.9, 1.0, 1.1, 3.0, 3.1, 2.9, 3.0, 3.1])
    >>> values.index = pd.date_range("2020-01-01", periods=10)
    >>> [str(b.date()) for b in gaussian_segments(values).breaks]
    ['2020-01-06']
    """
    kept = values.dropna()
    data = kept.to_numpy(dtype=np.float64)
    variance = _difference_variance(data)
    beta = mbic_penalty(len(data)) if penalty is None else penalty
    starts = pelt(_gaussian_cost(data, variance), len(data), penalty=beta, min_size=min_size)
    table = _segment_table(kept.index, starts, data, np.ones(len(data)))
    return Segmentation([pd.Timestamp(kept.index[s]) for s in starts], table, beta, variance)


def _difference_variance(data: FloatArray) -> float:
    """Noise variance from successive differences, which a few level shifts barely move."""
    if len(data) < 2:
        return 1.0
    return max(float(np.mean(np.diff(data) ** 2)) / 2.0, 1e-3)


def trend(
    counts: pd.Series,
    *,
    exposure: pd.Series | None = None,
    min_periods: int = 6,
    min_events: int = 10,
) -> Trend:
    """Log-linear trend of counts per month, 95% CI and p-value (Poisson GLM, HAC errors).

    >>> index = pd.date_range("2020-01-05", periods=26, freq="W")
    >>> result = trend(pd.Series(np.round(5 * 1.05 ** np.arange(26)), index=index))
    >>> 20 < result.pct_per_month < 26
    True
    """
    weights = pd.Series(_exposure(counts, exposure), index=counts.index)
    kept = counts[counts.notna() & (weights > 0)]
    start = pd.Timestamp(kept.index[0]) if len(kept) else None
    end = pd.Timestamp(kept.index[-1]) if len(kept) else None
    events = float(kept.sum())
    if len(kept) < min_periods or events < min_events:
        reason = f"too few {'periods' if len(kept) < min_periods else 'events'} for a trend"
        return Trend(start, end, len(kept), events, reason=reason)
    if kept.nunique() == 1 and (weights[kept.index] == 1).all():
        return Trend(start, end, len(kept), events, reason="the count is the same every period")
    fitted = _fit_trend(kept, weights[kept.index])
    if isinstance(fitted, str):
        return Trend(start, end, len(kept), events, reason=fitted)
    slope, error, p_value = fitted
    return Trend(
        start,
        end,
        len(kept),
        events,
        pct_per_month=_percent(slope),
        ci_low=_percent(slope - Z_95 * error),
        ci_high=_percent(slope + Z_95 * error),
        p_value=p_value,
    )


def _percent(slope: float) -> float:
    return 100.0 * math.expm1(slope)


def _fit_trend(counts: pd.Series, exposure: pd.Series) -> tuple[float, float, float] | str:
    """Slope per month, its HAC standard error and p-value; or why the fit failed."""
    months = (pd.DatetimeIndex(counts.index) - counts.index[0]).days / DAYS_PER_MONTH
    design = sm.add_constant(np.asarray(months, dtype=np.float64))
    lags = int(4 * (len(counts) / 100) ** (2 / 9))
    model = sm.GLM(
        counts.to_numpy(dtype=np.float64),
        design,
        family=sm.families.Poisson(),
        offset=np.log(exposure.to_numpy(dtype=np.float64)),
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": max(lags, 1)})
    if caught:
        return f"the trend model did not fit ({caught[0].message})"
    return float(fit.params[1]), float(fit.bse[1]), float(fit.pvalues[1])
