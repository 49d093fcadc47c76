"""Predictive distributions, the models, the scores, count series and the rolling backtest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import shared_path
from watchfloor.analyse.backtest import (
    LOG_SCORE_FLOOR,
    backtest,
    brier,
    count_series,
    coverage_gaps,
    covered,
    crps,
    crps_samples,
    forecast_targets,
    log_score,
    read_counts_csv,
)
from watchfloor.analyse.forecast import (
    Bootstrap,
    HawkesForecaster,
    NegBinRegression,
    NoChange,
    PoissonLast,
    Predictive,
    events_from_counts,
)
from watchfloor.analyse.hawkes import HawkesParams, simulate_hawkes
from watchfloor.errors import ImportFailed

IRAQ_GAP = ("2006-09-30", "2007-02-23")
IRAQ_END = "2008-07-05"  # the last day with data; July 2008 is not covered after it


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# Predictive distributions


def test_predictive_constructors_give_proper_distributions() -> None:
    poisson = Predictive.poisson(40.0)
    nb = Predictive.negative_binomial(40.0, 0.25)
    support = np.arange(nb.pmf.size)
    assert poisson.pmf.sum() == pytest.approx(1.0)
    assert poisson.mean() == pytest.approx(40.0, rel=1e-6)
    assert nb.mean() == pytest.approx(40.0, rel=1e-6)
    assert np.dot((support - 40.0) ** 2, nb.pmf) == pytest.approx(40 + 0.25 * 1600, rel=1e-4)
    assert Predictive.poisson(0.0).pmf.tolist() == [1.0]
    assert Predictive.negative_binomial(5.0, 0.0).mean() == pytest.approx(5.0)
    with pytest.raises(ValueError, match="sum to 1"):
        Predictive(np.array([0.5, 0.2]))


def test_quantiles_and_tail_probabilities() -> None:
    p = Predictive.empirical(np.array([2, 2, 3, 7, 7, 7, 9, 9, 9, 9]))
    assert [p.quantile(q) for q in (0.1, 0.2, 0.5, 0.9, 1.0)] == [2, 2, 7, 9, 9]
    assert p.prob_at_least(1) == 1.0 and p.prob_at_least(8) == pytest.approx(0.4)
    assert p.prob(7) == pytest.approx(0.3) and p.prob(100) == 0.0 and p.prob(-1) == 0.0


def test_smoothed_samples_keep_their_mean_and_fill_between_draws() -> None:
    draws = rng().poisson(300, size=400)
    p = Predictive.from_samples(draws)
    assert p.mean() == pytest.approx(draws.mean(), abs=0.5)
    never_drawn = sorted(set(range(270, 330)) - set(draws.tolist()))
    assert all(p.prob(k) > 0 for k in never_drawn)
    near_zero = Predictive.from_samples(np.array([0, 0, 1, 3, 0, 2, 0, 1]))
    assert near_zero.pmf.sum() == pytest.approx(1.0) and near_zero.prob(0) > 0.3


# Scores


def test_crps_from_the_pmf_equals_the_energy_form_on_samples() -> None:
    draws = rng(1).negative_binomial(3, 0.1, size=500)
    for observed in (0, 10, 27, 200):
        assert crps(Predictive.empirical(draws), observed) == pytest.approx(
            crps_samples(draws, observed), rel=1e-9
        )


def test_crps_of_a_point_mass_is_the_absolute_error() -> None:
    assert crps(Predictive.point(12), 5) == 7.0
    assert crps(Predictive.point(5), 12) == 7.0
    assert crps(Predictive.point(5), 5) == 0.0


def test_crps_of_a_poisson_matches_sampling() -> None:
    draws = rng(2).poisson(6.0, size=200_000)
    assert crps(Predictive.poisson(6.0), 9) == pytest.approx(crps_samples(draws, 9), rel=0.01)


def test_log_score_brier_and_coverage() -> None:
    p = Predictive.empirical(np.array([0, 1, 1, 2]))
    assert log_score(p, 1) == pytest.approx(np.log(2))
    assert log_score(p, 50) == pytest.approx(-np.log(LOG_SCORE_FLOOR))
    assert brier(p, 0) == pytest.approx(0.75**2) and brier(p, 4) == pytest.approx(0.25**2)
    assert covered(Predictive.poisson(100.0), 100)
    assert not covered(Predictive.poisson(100.0), 130)


def test_eighty_percent_intervals_cover_about_eighty_percent() -> None:
    p = Predictive.negative_binomial(50.0, 0.1)
    draws = rng(3).negative_binomial(10, 10 / 60, size=20_000)  # the same NB2
    share = np.mean([covered(p, y) for y in draws[:4000]])
    assert 0.78 < share < 0.86


# Models


HISTORY = np.array([5.0, 8, np.nan, 6, 9, 7, np.nan, np.nan])


def test_baselines_use_the_last_observed_values_not_zeros() -> None:
    assert NoChange().predict(HISTORY).pmf.argmax() == 7
    assert PoissonLast().predict(HISTORY).mean() == pytest.approx(7.0)
    assert Bootstrap(window=3).predict(HISTORY).pmf.tolist()[6:] == pytest.approx(
        [1 / 3, 1 / 3, 0, 1 / 3]
    )
    assert Bootstrap().predict(HISTORY).mean() == pytest.approx(7.0)
    with pytest.raises(ValueError, match="no observed period"):
        NoChange().predict(np.array([np.nan, np.nan]))


def test_negbin_tracks_the_level_and_falls_back_when_it_cannot_fit() -> None:
    level = np.repeat([100.0, 200.0, 400.0], 10) + rng(4).normal(0, 10, 30).round()
    p = NegBinRegression().predict(level)
    assert 330 < p.mean() < 470
    assert NegBinRegression().predict(np.zeros(20)).pmf.tolist() == [1.0]
    short = NegBinRegression().predict(np.array([3.0, np.nan, 5.0]))
    assert short.mean() == pytest.approx(4.0, rel=1e-6)


def test_negbin_with_a_longer_horizon_regresses_on_older_counts() -> None:
    history = rng(5).poisson(np.linspace(10, 40, 40)).astype(float)
    one, four = NegBinRegression().predict(history), NegBinRegression().predict(history, horizon=4)
    assert one.mean() != pytest.approx(four.mean())


def test_events_from_counts_spreads_events_and_keeps_observed_windows() -> None:
    times, windows = events_from_counts(np.array([np.nan, 3.0, 0.0, np.nan, 1.0]))
    assert times.tolist() == pytest.approx([1 + 1 / 6, 1.5, 1 + 5 / 6, 4.5])
    assert windows == [(1.0, 3.0), (4.0, 5.0)]


def test_hawkes_forecaster_works_across_a_trailing_gap_and_falls_back_on_few_events() -> None:
    counts = rng(6).poisson(20, size=30).astype(float)
    model = HawkesForecaster()
    p = model.predict(np.concatenate([counts, [np.nan] * 5]), horizon=2, rng=rng())
    assert 12 < p.mean() < 30
    assert model._warm is not None
    sparse = HawkesForecaster().predict(np.array([0.0, 1, 0, 0, 1, 0]), rng=rng())
    assert sparse.mean() == pytest.approx(1 / 3, rel=1e-6)


# Count series and files


def test_count_series_marks_gaps_and_partly_covered_periods_missing() -> None:
    dates = ["2020-01-01", "2020-01-02", "2020-01-08", "2020-01-15", "2020-01-30"]
    gaps = [("2020-01-14", "2020-01-14")]
    weekly = count_series(dates, gaps=gaps, start="2019-12-30", end="2020-02-02")
    assert weekly.index[0] == pd.Timestamp("2019-12-30") and np.isnan(weekly.iloc[2])
    assert weekly.iloc[:2].tolist() == [2.0, 1.0] and weekly.iloc[3:].tolist() == [0.0, 1.0]
    partial = count_series(dates, start="2020-01-01")  # the week of 30 Dec starts uncovered
    assert np.isnan(partial.iloc[0]) and np.isnan(partial.iloc[-1])
    monthly = count_series(dates, freq="M", start="2020-01-01", end="2020-01-31")
    assert monthly.tolist() == [5.0]
    daily = count_series(dates, freq="D", gaps=[("2020-01-03", "2020-01-05")])
    assert daily.isna().sum() == 3 and daily.sum() == 5


def test_coverage_gaps_flag_silences_only_in_busy_series() -> None:
    busy = [d for d in pd.date_range("2020-01-01", "2020-03-31") for _ in range(5)]
    busy = [d for d in busy if not pd.Timestamp("2020-02-01") <= d <= pd.Timestamp("2020-02-10")]
    assert coverage_gaps(busy) == [(pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-10"))]
    sparse = ["2020-01-01", "2020-02-20", "2020-03-01"]  # a fifty-day lull is plausible
    assert coverage_gaps(sparse) == []
    series = count_series(busy, freq="D", detect_gaps=True)
    assert series.isna().sum() == 10


def test_read_counts_csv_reads_missing_and_absent_periods(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("date,count\n2020-01-05,4\n2020-01-12,\n\n2020-01-26,2.0\n")
    series = read_counts_csv(path)
    assert series.index[0] == pd.Timestamp("2019-12-30")
    assert series.tolist()[0] == 4.0 and np.isnan(series.iloc[1]) and np.isnan(series.iloc[2])
    path.write_text("2020-01-01,1\n2020-02-15,3\n")
    assert read_counts_csv(path, freq="m").tolist() == [1.0, 3.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,count\n2020-01-05,4\n2020-01-12,3,1\n", ":3: expected 2 fields"),
        ("date,count\n2020-01-05,4\n2020-13-12,3\n", ":3: '2020-13-12' is not a date"),
        ("date,count\n2020-01-05,four\n", ":2: 'four' is not a count"),
        ("date,count\n2020-01-05,-2\n", ":2: '-2' is not a count"),
        ("date,count\n2020-01-05,1.5\n", ":2: '1.5' is not a count"),
        ("date,count\n2020-01-06,1\n2020-01-07,2\n", ":3: a second row for the period"),
        ("date,count\n", "no rows of data"),
    ],
)
def test_read_counts_csv_names_the_line_at_fault(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ImportFailed, match=message):
        read_counts_csv(path)


# The backtest


def test_targets_skip_missing_periods_and_count_observed_history() -> None:
    values = np.array([1.0, np.nan, 2, 3, np.nan, 4, 5, 6])
    assert forecast_targets(values, min_train=2, horizon=1, step=1) == [3, 5, 6, 7]
    assert forecast_targets(values, min_train=2, horizon=2, step=1) == [5, 6, 7]
    assert forecast_targets(values, min_train=2, horizon=1, step=2) == [3, 6]
    with pytest.raises(ValueError, match="at least 1"):
        forecast_targets(values, min_train=0, horizon=1, step=1)


@dataclass
class Spy:
    """A model that remembers the histories it was given."""

    name: str = "spy"
    seen: list[np.ndarray] = field(default_factory=list)

    def predict(self, history: np.ndarray, *, horizon: int, rng: np.random.Generator) -> Predictive:
        self.seen.append(history.copy())
        return Predictive.point(1)


def test_backtest_never_scores_missing_periods_and_passes_them_on_as_missing() -> None:
    counts = pd.Series([3.0, 4, 5, np.nan, np.nan, 6, 7, np.nan, 8])
    spy = Spy()
    result = backtest(counts, models=[spy, NoChange()], min_train=3)
    assert result.periods == 3
    assert result.forecasts["period"].unique().tolist() == [5, 6, 8]
    assert [h.size for h in spy.seen] == [5, 6, 8]
    assert np.isnan(spy.seen[0][3:]).all()
    assert result.scores["no_change"].crps == pytest.approx((1 + 1 + 1) / 3)
    assert result.to_dict()["best"] == "no_change"
    with pytest.raises(ValueError, match="nothing to score"):
        backtest(counts, models=[NoChange()], min_train=30)
    with pytest.raises(ValueError, match="share a name"):
        backtest(counts, models=[NoChange(), NoChange()], min_train=3)


def test_hawkes_model_wins_on_a_self_exciting_stream() -> None:
    times = simulate_hawkes(HawkesParams(0.2, 0.7, 0.5), end=300.0, rng=rng(1))
    daily = pd.Series(np.bincount(times.astype(int), minlength=300).astype(float))
    result = backtest(daily, min_train=60, step=3)
    assert result.best == "hawkes"
    assert result.scores["hawkes"].crps < 0.7 * result.scores["no_change"].crps


# The Iraq series: 2006-2008 insurgent attacks with a five-month hole in the records


@pytest.fixture(scope="module")
def iraq_weekly() -> pd.Series:
    events = pd.read_csv(shared_path("data", "iraq-insurgency-2006-2008", "events.csv.gz"))
    attacks = events.loc[events["side"] == "insurgent", "date"]
    return count_series(attacks, freq="W", gaps=[IRAQ_GAP], end=IRAQ_END)


def test_iraq_weekly_series_has_the_gap_missing_not_zero(iraq_weekly: pd.Series) -> None:
    missing = iraq_weekly[iraq_weekly.isna()].index
    assert missing[1] == pd.Timestamp("2006-09-25") and missing[-2] == pd.Timestamp("2007-02-19")
    assert missing.size == 1 + 22 + 1  # the first and last weeks are partly covered
    assert (iraq_weekly.dropna() > 200).all()
    events = pd.read_csv(shared_path("data", "iraq-insurgency-2006-2008", "events.csv.gz"))
    attacks = events.loc[events["side"] == "insurgent", "date"]
    detected = count_series(attacks, freq="W", detect_gaps=True)
    pd.testing.assert_series_equal(detected, iraq_weekly)


def test_iraq_regression_beats_no_change(iraq_weekly: pd.Series) -> None:
    result = backtest(iraq_weekly, models=[NoChange(), NegBinRegression()], step=2)
    assert result.periods > 35
    assert result.best == "negbin"
    assert result.scores["negbin"].crps < 0.9 * result.scores["no_change"].crps
    assert 0.6 < result.scores["negbin"].coverage80 < 0.95
