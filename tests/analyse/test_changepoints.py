"""Change-points in counts and in measures, and the trend test, on simulated series."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from watchfloor.analyse.changepoints import (
    estimate_dispersion,
    gaussian_segments,
    mbic_penalty,
    pelt,
    poisson_segments,
    trend,
)

WEEKS = pd.date_range("2019-01-07", periods=150, freq="W-MON")


def weekly(values: np.ndarray) -> pd.Series:
    """A weekly count series starting on a Monday."""
    return pd.Series(values.astype(np.float64), index=WEEKS[: len(values)])


def positions(breaks: list[pd.Timestamp], index: pd.Index) -> list[int]:
    """Where the breaks sit in the index."""
    return [int(index.get_indexer(pd.DatetimeIndex([b]))[0]) for b in breaks]


def brute_force(data: np.ndarray, penalty: float) -> list[int]:
    """The optimal Gaussian partition by trying every set of breaks (small n only)."""
    best, best_starts = math.inf, []
    n = len(data)
    for k in range(n):
        for starts in itertools.combinations(range(1, n), k):
            bounds = [0, *starts, n]
            cost = sum(
                float(((data[a:b] - data[a:b].mean()) ** 2).sum())
                for a, b in itertools.pairwise(bounds)
            )
            if cost + penalty * k < best - 1e-9:
                best, best_starts = cost + penalty * k, list(starts)
    return best_starts


@pytest.mark.parametrize("seed", range(5))
def test_pelt_matches_an_exhaustive_search(seed: int) -> None:
    data = np.random.default_rng(seed).normal(0, 1, 10) + np.repeat([0.0, 3.0], 5)
    series = pd.Series(data, index=pd.date_range("2020-01-01", periods=10))
    found = gaussian_segments(series, penalty=4.0, min_size=1)
    assert [series.index.get_loc(b) for b in found.breaks] == brute_force(
        data, 4.0 * found.dispersion
    )


def test_pelt_on_a_known_step() -> None:
    data = np.array([0.0] * 6 + [5.0] * 6)
    total = np.concatenate([[0.0], np.cumsum(data)])
    squares = np.concatenate([[0.0], np.cumsum(data**2)])

    def cost(starts: npt.NDArray[np.int64], end: int) -> npt.NDArray[np.float64]:
        sums = total[end] - total[starts]
        rss: npt.NDArray[np.float64] = squares[end] - squares[starts] - sums**2 / (end - starts)
        return rss

    assert pelt(cost, 12, penalty=1.0, min_size=2) == [6]


@pytest.mark.parametrize("seed", range(5))
def test_poisson_finds_rises_and_falls_within_three_weeks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    counts = weekly(np.concatenate([rng.poisson(r, 50) for r in (2, 8, 3)]))
    found = poisson_segments(counts)
    where = positions(found.breaks, counts.index)
    assert len(where) == 2
    assert abs(where[0] - 50) <= 3 and abs(where[1] - 100) <= 3
    assert found.segments["level"].round().tolist() == pytest.approx([2, 8, 3], abs=1)


@pytest.mark.parametrize("seed", range(10))
def test_a_constant_rate_has_no_breaks(seed: int) -> None:
    counts = weekly(np.random.default_rng(seed).poisson(4, 150))
    assert poisson_segments(counts).breaks == []


def test_overdispersion_rarely_makes_breaks() -> None:
    rng = np.random.default_rng(11)
    series = [
        weekly(rng.negative_binomial(2, 2 / (2 + 6), 150)) for _ in range(40)
    ]  # mean 6, var 24
    found = [poisson_segments(counts) for counts in series]
    assert sum(bool(f.breaks) for f in found) <= 2
    assert all(f.dispersion > 2 for f in found)
    assert sum(bool(poisson_segments(c, dispersion=1.0).breaks) for c in series) > 20


@pytest.mark.parametrize("seed", range(5))
def test_a_missing_block_makes_no_break(seed: int) -> None:
    counts = weekly(np.random.default_rng(seed).poisson(5, 150))
    counts.iloc[60:85] = np.nan
    found = poisson_segments(counts)
    assert found.breaks == []
    assert found.segments["periods"].tolist() == [125]


def test_a_break_hidden_in_a_gap_is_placed_after_it() -> None:
    rng = np.random.default_rng(3)
    counts = weekly(np.concatenate([rng.poisson(2, 70), rng.poisson(9, 80)]))
    counts.iloc[60:80] = np.nan
    found = poisson_segments(counts)
    assert positions(found.breaks, counts.index) == [80]
    assert found.segments["end"].iloc[0] == counts.index[59]


def test_partly_covered_periods_are_weighed_by_exposure() -> None:
    counts = weekly(np.full(40, 6.0))
    exposure = pd.Series(1.0, index=counts.index)
    counts.iloc[10], counts.iloc[25] = 1.0, 3.0
    exposure.iloc[10], exposure.iloc[25] = 1 / 7, 0.5
    found = poisson_segments(counts, exposure=exposure)
    assert found.breaks == []
    assert found.segments["level"].iloc[0] == pytest.approx(6.0, rel=0.01)
    assert poisson_segments(counts).segments["level"].iloc[0] == pytest.approx(5.8)


def test_dispersion_is_near_one_for_poisson_counts() -> None:
    counts = weekly(np.random.default_rng(0).poisson(10, 150))
    assert 0.99 <= estimate_dispersion(counts) < 1.4


def test_penalty_is_three_log_n() -> None:
    assert mbic_penalty(100) == pytest.approx(3 * math.log(100))
    counts = weekly(np.random.default_rng(0).poisson(10, 100))
    found = poisson_segments(counts, dispersion=2.0)
    assert found.penalty == pytest.approx(2.0 * 3 * math.log(100))


def test_fitted_levels_follow_segments_and_skip_gaps() -> None:
    counts = weekly(np.array([1.0] * 10 + [np.nan] * 3 + [9.0] * 10))
    fitted = poisson_segments(counts).fitted(counts.index)
    assert fitted.iloc[0] == 1.0 and fitted.iloc[-1] == 9.0
    assert fitted.iloc[10:13].isna().all()


@pytest.mark.parametrize("seed", range(3))
def test_scale_break_in_log_munitions(seed: int) -> None:
    rng = np.random.default_rng(seed)
    munitions = np.concatenate([rng.poisson(3, 40) + 1, rng.poisson(20, 30) + 1])
    values = pd.Series(np.log1p(munitions), index=pd.date_range("2020-01-01", periods=70))
    where = positions(gaussian_segments(values).breaks, values.index)
    assert len(where) == 1 and abs(where[0] - 40) <= 3


def test_steady_scale_and_identical_values_have_no_break() -> None:
    days = pd.date_range("2020-01-01", periods=50)
    steady = pd.Series(np.log1p(np.random.default_rng(1).poisson(4, 50) + 1), index=days)
    assert gaussian_segments(steady).breaks == []
    assert gaussian_segments(pd.Series(2.0, index=days)).breaks == []


def test_trend_recovers_a_known_growth_rate() -> None:
    months = (WEEKS - WEEKS[0]).days / (365.25 / 12)
    counts = weekly(np.random.default_rng(4).poisson(3 * 1.05**months))
    fit = trend(counts)
    assert fit.ci_low is not None and fit.ci_high is not None
    assert fit.ci_low < 5.0 < fit.ci_high
    assert fit.p_value is not None and fit.p_value < 0.001


def test_flat_counts_give_a_ci_around_zero() -> None:
    fit = trend(weekly(np.random.default_rng(5).poisson(6, 104)))
    assert fit.ci_low is not None and fit.ci_high is not None
    assert fit.ci_low < 0 < fit.ci_high


def test_trend_drops_missing_periods() -> None:
    counts = weekly(np.random.default_rng(6).poisson(5, 80))
    holed = counts.copy()
    holed.iloc[20:40] = np.nan
    assert trend(holed).pct_per_month == pytest.approx(
        trend(counts.dropna().drop(counts.index[20:40])).pct_per_month
    )
    assert trend(holed).periods == 60


def test_too_little_data_gives_a_reason_not_a_trend() -> None:
    fit = trend(weekly(np.array([0.0, 1.0, 0.0, 2.0, 0.0, 1.0, 0.0])))
    assert not fit.estimated
    assert fit.reason == "too few events for a trend"
    assert trend(weekly(np.array([3.0, 4.0]))).reason == "too few periods for a trend"


def test_identical_counts_are_reported_not_fitted() -> None:
    fit = trend(weekly(np.full(20, 6.0)))
    assert not fit.estimated and fit.reason == "the count is the same every period"
