"""The Hawkes process: likelihood against brute force, recovery of known parameters, simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from watchfloor.analyse.hawkes import (
    CountForecast,
    HawkesParams,
    _window_terms,
    decayed_sums,
    fit_hawkes,
    forecast_counts,
    log_likelihood,
    simulate_hawkes,
)

TRUE = HawkesParams(mu=0.5, alpha=0.6, beta=1.5)


def brute_log_likelihood(params: HawkesParams, times: np.ndarray, length: float) -> float:
    """The log-likelihood on [0, length] by the O(n²) definition."""
    total = 0.0
    for i, t in enumerate(times):
        past = times[:i][times[:i] < t]
        total += np.log(
            params.mu + np.sum(params.alpha * params.beta * np.exp(-params.beta * (t - past)))
        )
    tail = np.sum(1 - np.exp(-params.beta * (length - times)))
    return float(total - params.mu * length - params.alpha * tail)


def test_decayed_sums_match_the_double_sums() -> None:
    times = np.sort(np.random.default_rng(0).uniform(0, 50, 200))
    times[10] = times[9]  # a tie: both terms must still be right
    a, b = decayed_sums(times, 0.7)
    lags = times[:, None] - times[None, :]
    earlier = np.tril(np.ones_like(lags, dtype=bool), k=-1)
    weights = np.where(earlier, np.exp(-0.7 * lags), 0.0)
    np.testing.assert_allclose(a, weights.sum(axis=1), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b, (weights * lags).sum(axis=1), rtol=1e-9, atol=1e-12)


def test_decayed_sums_do_not_overflow_on_long_streams() -> None:
    times = np.arange(0.0, 1e6, 0.5)
    a, _ = decayed_sums(times, 50.0)
    assert np.isfinite(a).all()
    assert a[-1] == pytest.approx(np.exp(-25) / (1 - np.exp(-25)), rel=1e-6)


def test_log_likelihood_matches_brute_force_over_windows() -> None:
    params = HawkesParams(mu=0.8, alpha=0.4, beta=2.0)
    times = simulate_hawkes(params, end=60.0, rng=np.random.default_rng(3))
    first, second = times[times < 25], times[times >= 35]
    expected = brute_log_likelihood(params, first, 25.0) + brute_log_likelihood(
        params, second - 35.0, 25.0
    )
    got = log_likelihood(params, np.concatenate([first, second]), windows=[(0, 25), (35, 60)])
    assert got == pytest.approx(expected, rel=1e-10)


def test_gradient_matches_finite_differences() -> None:
    times = simulate_hawkes(TRUE, end=200.0, rng=np.random.default_rng(4))
    point = np.array([0.7, 0.3, 1.1])
    _, grad = _window_terms(HawkesParams(*point), times, 200.0)
    for i in range(3):
        step = np.zeros(3)
        step[i] = 1e-6
        up = _window_terms(HawkesParams(*(point + step)), times, 200.0)[0]
        down = _window_terms(HawkesParams(*(point - step)), times, 200.0)[0]
        assert grad[i] == pytest.approx((up - down) / 2e-6, rel=1e-5)


def test_fit_recovers_known_parameters_within_ten_percent() -> None:
    end = 5000 / TRUE.mean_rate
    times = simulate_hawkes(TRUE, end=end, rng=np.random.default_rng(2024))
    assert 4500 < times.size < 5500
    fit = fit_hawkes(times, windows=[(0.0, end)])
    assert fit.params.mu == pytest.approx(TRUE.mu, rel=0.1)
    assert fit.params.alpha == pytest.approx(TRUE.alpha, rel=0.1)
    assert fit.params.beta == pytest.approx(TRUE.beta, rel=0.1)
    assert fit.log_likelihood == pytest.approx(
        log_likelihood(fit.params, times, windows=[(0.0, end)])
    )


def test_fit_over_windows_recovers_parameters_and_a_gap_read_as_quiet_does_not() -> None:
    rng = np.random.default_rng(7)
    times = np.concatenate(
        [
            simulate_hawkes(TRUE, end=2000.0, rng=rng),
            simulate_hawkes(TRUE, start=2500.0, end=4500.0, rng=rng),
        ]
    )
    fit = fit_hawkes(times, windows=[(0.0, 2000.0), (2500.0, 4500.0)]).params
    assert fit.mu == pytest.approx(TRUE.mu, rel=0.1)
    assert fit.alpha == pytest.approx(TRUE.alpha, rel=0.1)
    assert fit.beta == pytest.approx(TRUE.beta, rel=0.1)
    naive = fit_hawkes(times, windows=[(0.0, 4500.0)]).params
    assert naive.mu < 0.8 * TRUE.mu  # five hundred silent units pass for a quiet spell


def test_a_warm_start_finds_the_same_fit() -> None:
    times = simulate_hawkes(TRUE, end=1000.0, rng=np.random.default_rng(5))
    cold = fit_hawkes(times, windows=[(0.0, 1000.0)])
    warm = fit_hawkes(times, windows=[(0.0, 1000.0)], initial=HawkesParams(1.0, 0.2, 5.0))
    assert warm.log_likelihood == pytest.approx(cold.log_likelihood, abs=1e-4)


def test_fit_refuses_events_outside_the_windows_and_too_few_events() -> None:
    with pytest.raises(ValueError, match="outside every window"):
        fit_hawkes(np.array([1.0, 2.0, 9.0]), windows=[(0.0, 5.0)])
    with pytest.raises(ValueError, match="overlap"):
        fit_hawkes(np.array([1.0, 2.0, 3.0]), windows=[(0.0, 2.0), (2.0, 5.0)])
    with pytest.raises(ValueError, match="at least 2 events"):
        fit_hawkes(np.array([1.0]), windows=[(0.0, 5.0)])
    with pytest.raises(ValueError, match="alpha < 1"):
        HawkesParams(mu=1.0, alpha=1.0, beta=1.0)


def test_simulation_passes_the_time_rescaling_test() -> None:
    """Compensator increments of a correct simulation are independent Exp(1) draws."""
    params = HawkesParams(mu=0.3, alpha=0.7, beta=2.0)
    times = simulate_hawkes(params, end=3000.0, rng=np.random.default_rng(11))
    a, _ = decayed_sums(times, params.beta)
    compensator = params.mu * times + params.alpha * (np.arange(times.size) - a)
    assert stats.kstest(np.diff(compensator), "expon").pvalue > 0.01
    assert times.size == pytest.approx(3000 * params.mean_rate, rel=0.15)


def test_simulation_is_seeded_and_stays_in_its_interval() -> None:
    first = simulate_hawkes(TRUE, start=10.0, end=60.0, rng=np.random.default_rng(1))
    again = simulate_hawkes(TRUE, start=10.0, end=60.0, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(first, again)
    assert (np.diff(first) >= 0).all() and first.min() >= 10.0 and first.max() < 60.0


def test_forecast_mean_matches_the_expected_count_given_history() -> None:
    params = HawkesParams(mu=2.0, alpha=0.5, beta=1.0)
    history = np.array([9.0, 9.5, *[9.9] * 8])  # a burst just before the origin
    fc = forecast_counts(
        params, history, origin=10.0, periods=3, rng=np.random.default_rng(0), n_paths=4000
    )
    excess = np.sum(params.alpha * params.beta * np.exp(-params.beta * (10.0 - history)))
    rate, relax = params.mean_rate, params.beta * (1 - params.alpha)
    edges = np.arange(4.0)
    # E λ(t) = rate + (μ + excess − rate)·e^{−β(1−α)t}; integrate it over each period
    decay = (np.exp(-relax * edges[:-1]) - np.exp(-relax * edges[1:])) / relax
    expected = rate + (params.mu + excess - rate) * decay
    spread = fc.samples.std(axis=0) / np.sqrt(4000)
    assert np.all(np.abs(fc.mean() - expected) < 4 * spread)
    assert fc.mean()[0] > fc.mean()[2]


def test_count_forecast_summary() -> None:
    fc = CountForecast(np.array([[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]]))
    table = fc.summary(threshold=7, level=0.6)
    assert list(table.columns) == ["period", "mean", "low", "high", "p_any", "p_at_least_7"]
    assert table["mean"].tolist() == [2.0, 7.0]
    assert table["low"].tolist() == [0.0, 5.0] and table["high"].tolist() == [3.0, 8.0]
    assert table["p_any"].tolist() == [0.8, 1.0]
    assert table["p_at_least_7"].tolist() == [0.0, 0.6]
