"""Tempo and scale: coverage, counts, summaries, the assessment's words, the chart, real data."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import shared_path
from watchfloor.analyse.changepoints import Segmentation
from watchfloor.analyse.tempo import (
    Coverage,
    assess_tempo,
    count_since,
    counts,
    coverage_from_dates,
    detect_silences,
    events_frame,
    fatalities_summary,
    frequency_changepoints,
    munitions_summary,
    scale_changepoints,
    scale_jump,
    tempo_chart,
    tempo_table,
)
from watchfloor.model import Attribution, Casualties, Claim, Event, EventActor, Munitions, Place

SHELLING = "Shelling/artillery/missile attack"


def rocket_attack(
    day: str, index: int, *, munitions: int | None = None, claimant: str = ""
) -> Event:
    """A rocket attack on a day, claimed by `claimant` when given."""
    claims = [Claim(claimant_id=claimant, document_id="d1")] if claimant else []
    return Event(
        id=f"e{index}",
        date=dt.date.fromisoformat(day),
        event_type="Explosions/Remote violence",
        sub_event_type=SHELLING,
        place=Place(name="Camp Taji", place_id="camp-taji"),
        weapon="rocket",
        munitions=Munitions(count=munitions) if munitions is not None else None,
        claims=claims,
    )


def simulated_attacks(seed: int = 7) -> pd.DataFrame:
    """60 weeks of attacks at 0.6 a week, then 2.3 a week from 2020-03-09, some with munitions."""
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2019-10-07", periods=60, freq="W-MON")
    rates = np.where(weeks < pd.Timestamp("2020-03-09"), 0.6, 2.3)
    days = [
        w + pd.Timedelta(days=int(rng.integers(0, 7)))
        for w, r in zip(weeks, rates, strict=True)
        for _ in range(rng.poisson(r))
    ]
    munitions = rng.choice([1, 2, 3, 3, 4, 5, 8, 30, 33], size=len(days)).astype(float)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(days),
            "event_type": "Explosions/Remote violence",
            "sub_event_type": SHELLING,
            "munitions": munitions,
            "fatalities_min": rng.choice([0.0, 0.0, 1.0, 2.0], size=len(days)),
        }
    )


def test_events_frame_flattens_records() -> None:
    event = rocket_attack("2020-03-11", 1, munitions=18, claimant="usbat-al-thairen")
    event.actors.append(EventActor(actor_id="kataib-hezbollah", name="KH", role="perpetrator"))
    event.attributions.append(Attribution(actor_id="kataib-hezbollah", document_id="d1"))
    event.fatalities = Casualties(min=3)
    row = events_frame([event, rocket_attack("2020-01-03", 2)]).iloc[1]
    assert row["date"] == pd.Timestamp("2020-03-11")
    assert (row["munitions"], row["fatalities_min"]) == (18.0, 3.0)
    assert row["claimants"] == "usbat-al-thairen"
    assert row["perpetrators"] == row["attributed_to"] == "kataib-hezbollah"
    assert (row["place"], row["weapon"]) == ("camp-taji", "rocket")


def test_events_frame_of_nothing_has_the_columns() -> None:
    frame = events_frame([])
    assert frame.empty and {"date", "munitions", "claimants"} <= set(frame.columns)
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])


def test_exposure_is_the_covered_share_of_each_week() -> None:
    coverage = Coverage.between("2020-01-01", "2020-01-26", [("2020-01-13", "2020-01-16")])
    assert coverage.exposure("W").round(3).tolist() == [round(5 / 7, 3), 1.0, round(3 / 7, 3), 1.0]
    assert coverage.exposure("W").index[0] == pd.Timestamp("2019-12-30")


def test_coverage_from_publication_dates_marks_empty_weeks() -> None:
    coverage = coverage_from_dates(["2020-01-06", "2020-01-08", "2020-01-29", "2020-02-10"], "W")
    assert [(str(a.date()), str(b.date())) for a, b in coverage.gaps] == [
        ("2020-01-13", "2020-01-26"),
        ("2020-02-03", "2020-02-09"),
    ]
    assert coverage.end == pd.Timestamp("2020-02-16")
    frame = events_frame([rocket_attack("2020-01-07", 1), rocket_attack("2020-02-11", 2)])
    assert counts(frame, "W", coverage=coverage).isna().tolist() == [
        False,
        True,
        True,
        False,
        True,
        False,
    ]
    with pytest.raises(ValueError, match="no publication dates"):
        coverage_from_dates([])


def test_silences_in_a_busy_series_are_gaps_but_lulls_in_a_sparse_one_are_not() -> None:
    busy = [
        *pd.date_range("2020-01-01", "2020-03-01").repeat(5),
        *pd.date_range("2020-03-20", "2020-05-01").repeat(5),
    ]
    assert detect_silences(busy) == [(pd.Timestamp("2020-03-02"), pd.Timestamp("2020-03-19"))]
    sparse = [*pd.date_range("2020-01-01", periods=30, freq="5D"), pd.Timestamp("2020-09-01")]
    assert detect_silences(sparse) == []


def test_counts_are_nan_where_uncovered_and_zero_where_quiet() -> None:
    frame = events_frame(
        [rocket_attack(d, i) for i, d in enumerate(["2020-01-06", "2020-01-07", "2020-02-03"])]
    )
    weekly = counts(frame, "W", coverage=[("2020-01-13", "2020-01-19")])
    assert weekly.iloc[0] == 2.0
    assert np.isnan(weekly.iloc[1]) and weekly.iloc[2] == 0.0 and weekly.iloc[-1] == 1.0


def test_counts_by_claimant_split_multiple_ids() -> None:
    frame = events_frame(
        [rocket_attack("2020-01-06", 1, claimant="a"), rocket_attack("2020-01-07", 2, claimant="b")]
    )
    frame.loc[1, "claimants"] = "a;b"
    table = counts(frame, "W", by="claimants", coverage=[])
    assert table.loc["2020-01-06"].to_dict() == {"a": 2.0, "b": 1.0}


def test_monthly_and_daily_counts() -> None:
    frame = events_frame(
        [rocket_attack(d, i) for i, d in enumerate(["2020-01-30", "2020-02-02", "2020-02-03"])]
    )
    assert counts(frame, "M", coverage=[]).tolist() == [1.0, 2.0]
    assert counts(frame, "D", coverage=[]).tolist() == [1.0, 0.0, 0.0, 1.0, 1.0]


def test_count_since_matches_weapon_or_type_and_window() -> None:
    frame = events_frame(
        [rocket_attack(d, i) for i, d in enumerate(["2020-01-02", "2020-01-05", "2020-02-01"])]
    )
    frame.loc[2, "weapon"] = "mortar"
    assert count_since(frame, "2020-01-03", types=["rocket", "mortar"]) == 2
    assert count_since(frame, "2020-01-03", types=["Rocket"]) == 1
    assert count_since(frame, "2020-01-01", types=[SHELLING], until="2020-01-31") == 2


def test_munitions_and_fatalities_summaries() -> None:
    frame = pd.DataFrame(
        {
            "munitions": [3.0, 2.0, 4.0, 30.0, 5.0, None],
            "fatalities_min": [0.0, 2.0, None, 1.0, 0.0, 0.0],
        }
    )
    summary = munitions_summary(frame)
    assert (summary.counted, summary.median, summary.large, summary.largest) == (5, 4.0, 1, 30.0)
    assert summary.share_large == pytest.approx(0.2)
    assert munitions_summary(frame.iloc[:0]).median is None
    assert fatalities_summary(frame).killed == 3 and fatalities_summary(frame).lethal == 2


def test_frequency_and_scale_change_points_from_a_frame() -> None:
    frame = simulated_attacks()
    assert [str(b.date()) for b in frequency_changepoints(frame).breaks] == ["2020-03-09"]
    frame["munitions"] = (
        np.where(frame["date"] < "2020-06-01", 3.0, 24.0) + np.arange(len(frame)) % 3
    )
    found = scale_changepoints(frame)
    assert len(found.breaks) == 1 and abs(
        found.breaks[0] - pd.Timestamp("2020-06-01")
    ) < pd.Timedelta(days=8)
    assert found.segments["median"].tolist() == [4.0, 25.0]


def test_assessment_reads_like_a_report() -> None:
    found = assess_tempo(simulated_attacks())
    assert found.sentences[0] == (
        "Attacks have come at 2.7 a week since 2020-03-09, "
        "against 0.5 a week in the 22 covered weeks before (a change-point)."
    )
    assert found.sentences[1].startswith(
        "There is no clear trend since 2020-03-09: +1.9% a month (95% CI -2%"
    )
    assert "Scale is inconsistent: the median attack used 4 munitions" in found.text
    assert found.table.columns.tolist() == ["count", "exposure", "rate", "level"]


def test_assessment_from_a_chosen_date_and_of_thin_data() -> None:
    frame = simulated_attacks()
    since = assess_tempo(frame, since="2020-06-01")
    assert since.sentences[0].startswith(
        "Attacks have come at 2.8 a week since 2020-06-01, against 1.2"
    )
    assert "One frequency change-point, a week: 2020-03-09 (0.5 to 2.7)." in since.text
    thin = assess_tempo(frame.iloc[:5].drop(columns="munitions"))
    assert (
        "too few attacks (5 in 10 covered weeks)" in thin.text
        and "to estimate a trend" in thin.text
    )
    assert "No report gives a munitions count" in thin.text


def test_declared_gaps_are_stated_and_excluded() -> None:
    found = assess_tempo(simulated_attacks(), coverage=[("2020-06-01", "2020-07-12")])
    assert "6 weeks without source coverage (2020-06-01 to 2020-07-12) are left out" in found.text
    assert found.table.loc["2020-06-01":"2020-07-06", "count"].isna().all()


def test_chart_writes_png_and_svg(tmp_path: Path) -> None:
    found = assess_tempo(simulated_attacks(), coverage=[("2020-06-01", "2020-07-12")])
    png, svg = tempo_chart(found, tmp_path / "tempo.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.suffix == ".svg" and "no coverage" in svg.read_text(encoding="utf-8")


# The real series: SIGACTs 2006-2008, with no rows from 2006-09-25 to 2007-02-22.

GAP = (pd.Timestamp("2006-09-25"), pd.Timestamp("2007-02-22"))


def changes(found: Segmentation) -> tuple[list[pd.Timestamp], list[pd.Timestamp]]:
    """The change-points where the rate rose, and those where it fell."""
    pairs = list(itertools.pairwise(found.rows()))
    return [new[0] for old, new in pairs if new[2] > old[2]], [
        new[0] for old, new in pairs if new[2] < old[2]
    ]


def near(breaks: list[pd.Timestamp]) -> list[pd.Timestamp]:
    """The breaks within two weeks of either edge of the gap (its first week, its last)."""
    edges = [GAP[0], pd.Timestamp("2007-02-19")]
    return [b for b in breaks if min(abs(b - e) for e in edges) <= pd.Timedelta(weeks=2)]


@pytest.fixture(scope="module")
def iraq() -> pd.DataFrame:
    """Insurgent attacks, one row each."""
    frame = pd.read_csv(
        shared_path("data", "iraq-insurgency-2006-2008", "events.csv.gz"), parse_dates=["date"]
    )
    attacks = frame[frame["side"] == "insurgent"].rename(columns={"type": "sub_event_type"})
    return attacks.assign(event_type="Insurgent attack").reset_index(drop=True)


def test_iraq_gap_is_found_and_its_weeks_are_missing(iraq: pd.DataFrame) -> None:
    assert detect_silences(iraq["date"]) == [GAP]
    weekly = tempo_table(iraq)
    inside = weekly.loc["2006-10-02":"2007-02-12"]
    assert len(inside) == 20 and inside["count"].isna().all()
    assert weekly.loc["2006-09-25", "exposure"] == 0.0 and weekly.loc[
        "2007-02-19", "exposure"
    ] == pytest.approx(3 / 7)


def test_iraq_weekly_tempo_finds_the_peak_and_the_decline(iraq: pd.DataFrame) -> None:
    found = frequency_changepoints(iraq)
    peak = found.segments.iloc[int(found.segments["level"].to_numpy().argmax())]
    assert peak["start"] <= pd.Timestamp("2007-04-01") and peak["end"] >= pd.Timestamp("2007-07-01")
    assert pd.Timestamp("2007-07-15") <= peak["end"] <= pd.Timestamp("2007-09-01")
    rises, falls = changes(found)
    assert sum(b < GAP[0] for b in rises) >= 2
    assert sum(pd.Timestamp("2007-07-15") <= b <= pd.Timestamp("2008-06-30") for b in falls) >= 3
    assert found.segments["level"].iloc[-1] < 0.3 * peak["level"]


def test_iraq_gap_edges_hold_no_change_point(iraq: pd.DataFrame) -> None:
    assert near(frequency_changepoints(iraq).breaks) == []
    assert near(frequency_changepoints(iraq, coverage=[GAP]).breaks) == []
    assert (
        len(near(frequency_changepoints(iraq, coverage=[]).breaks)) == 2
    )  # zeros would invent both


def test_iraq_daily_tempo_sees_the_2007_surge_rise_and_fall(iraq: pd.DataFrame) -> None:
    ups, downs = changes(frequency_changepoints(iraq, freq="D"))
    assert any(pd.Timestamp("2007-03-01") <= b <= pd.Timestamp("2007-06-30") for b in ups)
    assert any(pd.Timestamp("2007-07-01") <= b <= pd.Timestamp("2007-10-31") for b in downs)


def test_iraq_assessment_states_rates_trend_and_gap(iraq: pd.DataFrame) -> None:
    found = assess_tempo(iraq, since="2007-06-01")
    assert found.trend.ci_high is not None and found.trend.ci_high < 0
    assert "The trend since 2007-06-01 is -11% a month" in found.text
    assert "21 weeks without source coverage (2006-09-25 to 2007-02-22) are left out" in found.text
    assert (
        "The highest rate was 1,512 a week, from 2006-08-21 to 2007-07-30 (across a coverage gap)."
        in found.text
    )


def test_a_jump_in_scale_needs_earlier_attacks_that_were_not_large() -> None:
    dates = pd.date_range("2020-01-05", periods=6, freq="W")
    late = pd.DataFrame({"date": dates, "munitions": [None, 3, None, 4, 30, 33]})
    found = scale_jump(late)
    assert found is not None and str(found.date.date()) == "2020-02-02"
    assert (found.before, found.counted_before, found.large_after) == (4, 2, 2)
    early = pd.DataFrame({"date": dates, "munitions": [30, 3, None, 4, 2, 1]})
    assert scale_jump(early) is None, "large from the start: no jump"
    soon = pd.DataFrame({"date": dates[:3], "munitions": [2, 3, 30]})
    assert scale_jump(soon) is None, "two weeks on record say nothing of a change"
    assert scale_jump(late.assign(munitions=[1, 2, 3, 4, 5, 6])) is None
