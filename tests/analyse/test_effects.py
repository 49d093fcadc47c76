"""Effects of interventions: coverage of the truth on simulated series, the guards, real data."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from tests.conftest import shared_path
from watchfloor.analyse.effects import (
    EffectEstimate,
    Interval,
    Intervention,
    daily_series,
    estimate_effect,
    intervention_table,
    parse_days,
    pooled_effect,
    table_summary,
    verdict,
)
from watchfloor.analyse.interventions import (
    actor_family,
    attack_frame,
    deadlines,
    find_interventions,
    recent_effects,
    resolve_actor_id,
)
from watchfloor.errors import KnowledgeError
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Event, EventActor, Munitions
from watchfloor.resolve.fusion import FusedEvent

AT = pd.Timestamp("2021-06-01")
WEEKDAY = np.array([0.0, 0.1, 0.0, -0.2, -0.4, 0.1, 0.2])
# scenario: (true ratio of attacks after to those expected without the intervention)
SCENARIOS = {"none": 1.0, "drop": 0.5, "rise": 1.8, "trend": 1.0, "spike": 1.0}
RUNS = 200
LEVEL = 0.9
# three binomial standard errors of a coverage rate at the nominal level over RUNS runs
TOLERANCE = 3 * math.sqrt(LEVEL * (1 - LEVEL) / RUNS)


def simulate(scenario: str, rng: np.random.Generator, *, base: float = 1.5) -> pd.Series:
    """90 days before AT and 30 after: clustered, overdispersed daily counts with a weekday
    pattern and a random 5-day coverage gap; the scenario sets what happens around AT.

    The clustering is a latent AR(1) log-intensity (ρ 0.4, sd 0.3), as when attacks come
    in runs: a day's count is Poisson given that intensity.
    """
    t = np.arange(-90, 31)
    days = AT + pd.to_timedelta(t, unit="D")
    log_rate = np.log(base) + WEEKDAY[np.asarray(days.day_of_week)]
    if scenario in ("drop", "rise"):
        log_rate[t > 0] += np.log(SCENARIOS[scenario])
    if scenario == "trend":  # already rising ~20% a month, and it goes on
        log_rate += 0.006 * t
    if scenario == "spike":  # a burst in the last 5 days provokes the intervention
        log_rate[(t < 0) & (t >= -5)] += np.log(4.0)
    noise = np.zeros(t.size)
    shocks = rng.normal(0.0, 0.3 * math.sqrt(1 - 0.4**2), t.size)
    noise[0] = rng.normal(0.0, 0.3)
    for i in range(1, t.size):
        noise[i] = 0.4 * noise[i - 1] + shocks[i]
    counts = rng.poisson(np.exp(log_rate + noise - 0.3**2 / 2)).astype(float)
    gap = rng.integers(-90, 25)
    counts[(t >= gap) & (t < gap + 5)] = np.nan
    return pd.Series(counts, index=days)


def run(scenario: str, *, seed: int, runs: int = RUNS, **options: object) -> list[EffectEstimate]:
    rng = np.random.default_rng(seed)
    return [
        estimate_effect(simulate(scenario, rng), AT, level=LEVEL, placebo=False, **options)  # type: ignore[arg-type]
        for _ in range(runs)
    ]


def coverage(estimates: list[EffectEstimate], truth: float) -> float:
    held = [e.ratio is not None and e.ratio.low <= truth <= e.ratio.high for e in estimates]
    return sum(held) / len(held)


@pytest.fixture(scope="module")
def simulated() -> dict[str, list[EffectEstimate]]:
    return {name: run(name, seed=n) for n, name in enumerate(SCENARIOS)}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_interval_covers_the_truth_at_the_nominal_rate(
    simulated: dict[str, list[EffectEstimate]], scenario: str
) -> None:
    found = coverage(simulated[scenario], SCENARIOS[scenario])
    assert abs(found - LEVEL) <= TOLERANCE, f"{scenario}: {found:.3f} of intervals hold the truth"


def test_no_effect_is_rarely_called_a_change(simulated: dict[str, list[EffectEstimate]]) -> None:
    for scenario in ("none", "trend", "spike"):
        called = sum(e.verdict in ("drop", "rise") for e in simulated[scenario]) / RUNS
        assert called <= 1 - LEVEL + TOLERANCE, f"{scenario}: {called:.3f} called a change"


def test_real_effects_are_found_often_and_in_the_right_direction(
    simulated: dict[str, list[EffectEstimate]],
) -> None:
    drops = [e.verdict for e in simulated["drop"]]
    rises = [e.verdict for e in simulated["rise"]]
    assert drops.count("drop") >= 0.35 * RUNS and drops.count("rise") == 0
    assert rises.count("rise") >= 0.35 * RUNS and rises.count("drop") == 0


def test_without_the_guards_a_trend_and_a_spike_look_like_effects() -> None:
    """No pre-trend: a rising series looks like a rise. No washout: the spike before the
    day tilts the pre-trend up, and the return to the usual rate looks like a drop."""
    flat = run("trend", seed=11, runs=60, trend=False)
    unwashed = run("spike", seed=12, runs=60, washout=0)
    assert coverage(flat, 1.0) < 0.7 and [e.verdict for e in flat].count("rise") > 15
    assert coverage(unwashed, 1.0) < 0.75 and [e.verdict for e in unwashed].count("drop") > 15


def test_the_spike_before_is_named_and_kept_out_of_the_baseline(
    simulated: dict[str, list[EffectEstimate]],
) -> None:
    named = [e for e in simulated["spike"] if any("were a spike" in n for n in e.notes)]
    assert len(named) > 0.5 * RUNS
    assert all(e.spike is not None and e.spike.value > 1.5 for e in named)


def test_a_trend_under_way_is_named(simulated: dict[str, list[EffectEstimate]]) -> None:
    named = [e for e in simulated["trend"] if any("already rising" in n for n in e.notes)]
    assert len(named) > 0.15 * RUNS  # chance alone would name it in about 5%


# -- the pieces ------------------------------------------------------------------------


def test_verdicts_follow_the_interval() -> None:
    assert verdict(0.2, 0.95) == "drop" and verdict(1.05, 3.0) == "rise"
    assert verdict(0.85, 1.2) == "no-change"
    assert verdict(0.5, 2.0) == "cannot-tell"
    assert verdict(0.9, 1.6) == verdict(0.6, 1.1) == "unclear"


def test_spans_parse_and_bad_ones_are_refused() -> None:
    assert [parse_days(s) for s in ("14", "14d", "2w", "6m", "1y")] == [14, 14, 14, 180, 365]
    for bad in ("", "0d", "two weeks", "3q"):
        with pytest.raises(ValueError, match="not a span"):
            parse_days(bad)


def test_daily_series_leaves_gaps_missing_and_weighs_scale() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-05"]),
            "munitions": [30.0, 3.0, np.nan],
            "fatalities_min": [2.0, np.nan, 1.0],
        }
    )
    gaps = [("2020-01-02", "2020-01-03")]
    counted = daily_series(frame, gaps=gaps)
    assert counted.fillna(-1).tolist() == [2.0, -1, -1, 0.0, 1.0]
    large = daily_series(frame, what="large-attacks", gaps=gaps)
    deaths = daily_series(frame, what="fatalities", gaps=gaps, end="2020-01-06")
    assert large.iloc[0] == 1.0 and large.iloc[-1] == 0.0
    assert deaths.fillna(-1).tolist() == [2.0, -1, -1, 0.0, 1.0, 0.0]


def steady(rate: float, days: int = 200, start: str = "2020-01-01") -> pd.Series:
    index = pd.date_range(start, periods=days)
    return pd.Series(np.random.default_rng(0).poisson(rate, days).astype(float), index=index)


def test_too_few_days_or_events_say_so_in_words() -> None:
    late = estimate_effect(steady(2.0), "2020-07-18")  # the last day of the series
    assert late.verdict == "too-few" and "no covered days after it" in late.reason
    short = estimate_effect(steady(2.0), "2020-01-08")
    assert short.verdict == "too-few" and "covered days before" in short.reason
    assert "cannot tell" in short.sentence()
    silent = estimate_effect(
        pd.Series(0.0, index=pd.date_range("2020-01-01", periods=120)), "2020-04-01"
    )
    assert silent.verdict == "too-few" and "no baseline" in silent.reason


def test_sparse_series_fall_back_to_the_exact_test() -> None:
    daily = pd.Series(0.0, index=pd.date_range("2020-01-01", periods=200))
    daily[["2020-02-03", "2020-02-20", "2020-03-09", "2020-04-02", "2020-04-11", "2020-05-20"]] = 1
    found = estimate_effect(daily, "2020-05-01")
    assert found.method.startswith("exact") and found.ratio is not None
    assert any("exact Poisson test" in n for n in found.notes)
    zero_after = daily.copy()
    zero_after[zero_after.index > "2020-05-01"] = 0.0
    nothing = estimate_effect(zero_after, "2020-05-01")
    assert nothing.ratio is not None and nothing.ratio.value == 0.0 and nothing.ratio.high > 0


def test_the_windows_stop_where_the_data_stop() -> None:
    found = estimate_effect(steady(3.0, days=100), "2020-03-31")
    assert found.window_days == 9 and found.before_days == 90
    assert any("cut to 9 days" in n for n in found.notes)


def test_a_gap_before_the_day_is_missing_not_zero_and_is_named() -> None:
    daily = steady(3.0)
    daily[(daily.index >= "2020-03-20") & (daily.index < "2020-04-20")] = np.nan
    found = estimate_effect(daily, "2020-04-20")
    assert found.days_before == 90 - 31 and found.days_after == 30
    assert found.verdict in ("no-change", "cannot-tell", "unclear")
    assert any("31 days without coverage" in n for n in found.notes)
    assert any("carries the trend across" in n for n in found.notes)


def test_symbolic_days_are_modelled_apart() -> None:
    daily = steady(3.0)
    marked = [dt.date(2020, 3, d) for d in (3, 10, 17, 24)] + [dt.date(2020, 4, 12)]
    for day in marked:
        daily[pd.Timestamp(day)] += 25
    found = estimate_effect(daily, "2020-04-01", key_dates=marked)
    plain = estimate_effect(daily, "2020-04-01")
    assert found.ratio is not None and plain.ratio is not None
    assert abs(math.log(found.ratio.value)) < abs(math.log(plain.ratio.value))
    assert any("Symbolic days" in n for n in found.notes)


def test_a_year_earlier_shows_the_season() -> None:
    index = pd.date_range("2019-01-01", "2020-07-31")
    rate = np.where((index.month >= 5) & (index.month <= 6), 1.0, 4.0)
    daily = pd.Series(np.random.default_rng(1).poisson(rate).astype(float), index=index)
    found = estimate_effect(daily, "2020-05-01")
    assert found.verdict == "drop" and found.placebo is not None
    assert found.placebo.verdict == "drop"
    assert any("the season alone" in n for n in found.notes)


def test_other_interventions_in_the_windows_are_named() -> None:
    found = estimate_effect(steady(3.0), "2020-05-01", others=["2020-04-20", "2020-01-01"])
    assert any("1 other intervention(s)" in n and "2020-04-20" in n for n in found.notes)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        estimate_effect(steady(1.0), "2020-05-01", level=1.5)
    with pytest.raises(ValueError, match="no covered day"):
        estimate_effect(
            pd.Series([np.nan, np.nan], index=pd.date_range("2020-01-01", periods=2)), "2020-01-02"
        )


def test_table_pools_and_summarises() -> None:
    days = pd.date_range("2020-01-01", periods=300)
    rate = np.where(days < "2020-06-01", 3.0, 1.5)
    daily = pd.Series(np.random.default_rng(5).poisson(rate).astype(float), index=days)
    strikes = [
        Intervention(dt.date(2020, 4, 1), "s1", "a strike"),
        Intervention(dt.date(2020, 6, 1), "s2", "a strike"),
        Intervention(dt.date(2020, 6, 10), "s3", "a strike"),
    ]
    table, estimates = intervention_table(daily, strikes)
    assert table["id"].tolist() == ["s1", "s2", "s3"]
    assert table.loc[1, "verdict"] == "drop" and table["overlaps"].tolist() == [0, 2, 2]
    pooled = pooled_effect(estimates)
    assert pooled is not None and pooled.low < pooled.value < pooled.high
    summary = table_summary(estimates, kind="strikes")
    assert summary.startswith("Of 3 strikes, 3 have enough data") and "Pooled" in summary
    assert pooled_effect([]) is None


def test_the_estimate_reads_as_plain_words_and_json() -> None:
    found = estimate_effect(steady(3.0), "2020-05-01", label="the strike")
    assert found.sentence().startswith("After the strike (2020-05-01), attacks ran at ")
    data = found.to_dict()
    assert data["verdict"] == found.verdict and data["ratio"]["low"] <= data["ratio"]["high"]
    assert Interval(1.0, 0.5, 2.0).text(1) == "1.0 (0.5 to 2.0)"


# -- interventions on record -----------------------------------------------------------


def fused(
    n: int,
    day: dt.date,
    sub_type: str,
    *,
    by: str,
    on: str,
    munitions: int | None = None,
) -> FusedEvent:
    event = Event(
        id=f"e{n}",
        date=day,
        event_type="Explosions/Remote violence",
        sub_event_type=sub_type,
        actors=[
            EventActor(actor_id=by, name=by, role="perpetrator"),
            EventActor(actor_id=on, name=on, role="target"),
        ],
        munitions=Munitions(count=munitions) if munitions is not None else None,
    )
    return FusedEvent(id=f"f{n}", event=event, member_ids=[event.id], document_ids=[])


ROCKETS = "Shelling/artillery/missile attack"
STRIKE = "Air/drone strike"


@pytest.fixture(scope="module")
def desk_events() -> list[FusedEvent]:
    """Rocket attacks on US sites, 1.5 a day, 0.5 a day after a US strike on 2020-03-13."""
    rng = np.random.default_rng(3)
    start, events = dt.date(2019, 11, 1), []
    for offset in range(180):
        day = start + dt.timedelta(days=offset)
        rate = 1.5 if day < dt.date(2020, 3, 13) else 0.5
        for _ in range(rng.poisson(rate)):
            events.append(
                fused(len(events), day, ROCKETS, by="kataib-hezbollah", on="united-states")
            )
    for day in (dt.date(2020, 1, 3), dt.date(2020, 3, 13)):
        events.append(fused(len(events), day, STRIKE, by="united-states", on="kataib-hezbollah"))
    events.append(
        fused(len(events), dt.date(2020, 3, 20), STRIKE, by="kataib-hezbollah", on="united-states")
    )
    return events


def test_actors_resolve_by_alias_and_include_their_parts() -> None:
    kb = load_knowledge()
    assert resolve_actor_id(kb, "us") == "united-states"
    assert resolve_actor_id(kb, "Kataib-Hezbollah") == "kataib-hezbollah"
    assert {"united-states", "us-department-of-defense"} <= actor_family(kb, "united-states")
    with pytest.raises(KnowledgeError, match="no actor"):
        resolve_actor_id(kb, "nobody-at-all")


def test_interventions_are_found_by_actor_target_and_kind(desk_events: list[FusedEvent]) -> None:
    kb = load_knowledge()
    us = find_interventions(
        desk_events, actors=["united-states"], targets=["kataib-hezbollah"], kb=kb
    )
    assert [i.date for i in us] == [dt.date(2020, 1, 3), dt.date(2020, 3, 13)]
    assert us[0].label == "the air/drone strike by united-states against kataib-hezbollah"
    by_states = find_interventions(desk_events, kb=kb)  # the militia's drone is not a state's
    assert [i.id for i in by_states] == [i.id for i in us]
    assert len(find_interventions(desk_events)) == 3
    found = deadlines(kb, [], start=dt.date(2020, 3, 1), end=dt.date(2020, 3, 31))
    assert [d.kind for d in found] == ["deadline"]
    assert found[0].label.startswith("Kata'ib Hezbollah's deadline for Iraqis")


def test_attacks_leave_out_the_striking_side(desk_events: list[FusedEvent]) -> None:
    frame = attack_frame(desk_events, actors={"united-states"})
    assert len(frame) == len(desk_events) - 2
    only = attack_frame(desk_events, actors={"united-states"}, sub_event_types=[ROCKETS])
    assert len(only) == len(desk_events) - 3
    assert attack_frame(desk_events, by={"nobody"}).empty


def test_recent_effects_measure_the_latest_strike(desk_events: list[FusedEvent]) -> None:
    found = recent_effects(desk_events, as_of=dt.date(2020, 4, 20), kb=load_knowledge())
    assert [e.at for e in found] == [dt.date(2020, 3, 15), dt.date(2020, 3, 13)]
    strike = found[1]
    assert strike.window_days == 30 and strike.verdict == "drop"
    assert "the air/drone strike by united-states" in strike.sentence()
    assert any("other intervention(s)" in n for n in strike.notes)
    early = recent_effects(desk_events, as_of=dt.date(2020, 3, 16), kb=load_knowledge())
    assert [e.at for e in early] == [dt.date(2020, 1, 3)]  # the latest is too recent to tell
    assert recent_effects(desk_events, as_of=dt.date(2019, 12, 1), kb=load_knowledge()) == []


# -- the real series: SIGACTs 2006-2008, with no records from 2006-09-25 to 2007-02-22 -------


@pytest.fixture(scope="module")
def iraq_daily() -> pd.Series:
    events = pd.read_csv(
        shared_path("data", "iraq-insurgency-2006-2008", "events.csv.gz"), parse_dates=["date"]
    )
    return daily_series(events.loc[events["side"] == "insurgent", ["date"]])


def test_iraq_gap_is_missing_days(iraq_daily: pd.Series) -> None:
    missing = iraq_daily[iraq_daily.isna()].index
    assert (missing.min(), missing.max()) == (
        pd.Timestamp("2006-09-25"),
        pd.Timestamp("2007-02-22"),
    )


def test_iraq_surge_gets_an_interval_and_a_gap_note(iraq_daily: pd.Series) -> None:
    surge = estimate_effect(iraq_daily, "2007-02-14", window=365, label="the surge")
    assert surge.method.startswith("segmented") and surge.bin_days == 7
    assert surge.ratio is not None and surge.ratio.low < surge.ratio.value < surge.ratio.high
    assert surge.expected_after is not None and surge.observed_after > 50_000
    assert any("142 days without coverage" in n for n in surge.notes)
    assert any("left out, not counted as zero" in n for n in surge.notes)
    assert surge.rests_on_trend and "flat baseline" in surge.sentence()
