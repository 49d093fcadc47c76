"""Tempo and scale: how often they attack, how hard, and whether that is changing.

Works on a DataFrame of events (`events_frame` builds one from `Event` records),
one row an event, with columns `date`, `event_type`, `sub_event_type` and, where
known, `munitions`, `fatalities_min`, `perpetrators`, `claimants`,
`attributed_to`, `place`, `weapon` (ids joined by ';').

Periods without source coverage are missing data, never zero attacks. Coverage
is a span of days less its gaps: given as gaps, derived from when documents were
published (`coverage_from_dates`), or, when none is given, taken as the span of
the events less the silences that `detect_silences` finds implausible. A
period's exposure is its covered share of days; counts are NaN where it is 0,
and rates, change-points and trends weigh partly covered periods by exposure.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, cast, overload

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from watchfloor.analyse.changepoints import (
    Segmentation,
    Trend,
    gaussian_segments,
    poisson_segments,
    trend,
)
from watchfloor.model import Event

Freq = Literal["D", "W", "M"]
DateLike = dt.date | str | pd.Timestamp
Gap = tuple[DateLike, DateLike]

PERIOD_CODES: dict[str, str] = {"D": "D", "W": "W-SUN", "M": "M"}
UNITS: dict[str, str] = {"D": "day", "W": "week", "M": "month"}
FRAME_COLUMNS = [
    "id",
    "date",
    "event_type",
    "sub_event_type",
    "place",
    "weapon",
    "munitions",
    "fatalities_min",
    "perpetrators",
    "claimants",
    "attributed_to",
]


def events_frame(events: Iterable[Event]) -> pd.DataFrame:
    """A DataFrame of events, one row each, sorted by date.

    >>> event = Event(id="e1", date=dt.date(2020, 3, 11), event_type="Explosions/Remote violence",
    ...               sub_event_type="Shelling/artillery/missile attack")
    >>> events_frame([event])[["date", "munitions"]].to_dict("records")
    [{'date': Timestamp('2020-03-11 00:00:00'), 'munitions': nan}]
    """
    frame = pd.DataFrame([_event_row(event) for event in events], columns=FRAME_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("munitions", "fatalities_min"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _event_row(event: Event) -> dict[str, object]:
    place = event.place
    munitions = event.munitions
    return {
        "id": event.id,
        "date": event.date,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "place": (place.place_id or place.name) if place else None,
        "weapon": event.weapon or (munitions.weapon if munitions else None),
        "munitions": munitions.count if munitions else math.nan,
        "fatalities_min": event.fatalities.min if event.fatalities else math.nan,
        "perpetrators": _actor_ids(event, "perpetrator", []),
        "claimants": _actor_ids(event, "claimant", [c.claimant_id for c in event.claims]),
        "attributed_to": _actor_ids(event, "attributed", [a.actor_id for a in event.attributions]),
    }


def _actor_ids(event: Event, role: str, more: list[str]) -> str | None:
    ids = dict.fromkeys([a.actor_id for a in event.actors if a.role == role] + more)
    return ";".join(ids) or None


@dataclass(frozen=True)
class Coverage:
    """The days sources cover: a span (ends inclusive) less its gaps."""

    start: pd.Timestamp
    end: pd.Timestamp
    gaps: tuple[tuple[pd.Timestamp, pd.Timestamp], ...] = ()

    @classmethod
    def between(cls, start: DateLike, end: DateLike, gaps: Sequence[Gap] = ()) -> Coverage:
        """Coverage from `start` to `end`, less `gaps` (each a (first, last) day pair).

        >>> Coverage.between("2020-01-01", "2020-01-31", [("2020-01-10", "2020-01-12")]).days()
        28
        """
        spans = tuple(sorted((_day(first), _day(last)) for first, last in gaps))
        return cls(_day(start), _day(end), spans)

    def covered(self) -> pd.Series:
        """True for each day of the span that no gap holds."""
        days = pd.date_range(self.start, self.end, freq="D")
        flags = pd.Series(True, index=days)
        for first, last in self.gaps:
            flags[(days >= first) & (days <= last)] = False
        return flags

    def days(self) -> int:
        """How many days are covered."""
        return int(self.covered().sum())

    def exposure(self, freq: Freq = "W") -> pd.Series:
        """Covered share of each period's days, indexed by the period's first day."""
        flags = self.covered().astype("float64")
        periods = pd.DatetimeIndex(flags.index).to_period(PERIOD_CODES[freq])
        full = pd.period_range(periods[0], periods[-1], freq=PERIOD_CODES[freq])
        lengths = pd.Series((full.end_time - full.start_time).days + 1, index=full)
        shares = flags.groupby(periods).sum().reindex(full, fill_value=0.0) / lengths
        return pd.Series(shares.to_numpy(), index=_starts(full), name="exposure")


def _day(value: DateLike) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _days(values: Iterable[DateLike]) -> pd.DatetimeIndex:
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return pd.DatetimeIndex(pd.to_datetime(series)).normalize()


def _starts(periods: pd.PeriodIndex) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(periods.start_time.normalize(), name="period")


def coverage_from_dates(dates: Iterable[DateLike], freq: Freq = "W") -> Coverage:
    """Coverage from documents' publication dates: a period is covered when one was published.

    >>> c = coverage_from_dates(["2020-01-06", "2020-01-20"], "W")
    >>> [(str(a.date()), str(b.date())) for a, b in c.gaps]
    [('2020-01-13', '2020-01-19')]
    """
    periods = _days(dates).to_period(PERIOD_CODES[freq])
    if periods.empty:
        raise ValueError("no publication dates, so no coverage")
    full = pd.period_range(periods.min(), periods.max(), freq=PERIOD_CODES[freq])
    empty = full[~full.isin(periods)]
    gaps = [(p.start_time, p.end_time) for p in empty]
    return Coverage.between(full[0].start_time, full[-1].end_time, _merge(gaps))


def _merge(gaps: list[tuple[pd.Timestamp, pd.Timestamp]]) -> list[Gap]:
    merged: list[list[pd.Timestamp]] = []
    for first, last in gaps:
        if merged and first.normalize() - merged[-1][1].normalize() <= pd.Timedelta(days=1):
            merged[-1][1] = last
        else:
            merged.append([first, last])
    return [(first, last) for first, last in merged]


def detect_silences(
    dates: Iterable[DateLike],
    *,
    min_days: int = 7,
    window: int = 28,
    min_rate: float = 1.0,
    alpha: float = 1e-4,
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Runs of days without events too long to be chance in a busy series: coverage gaps.

    The rule: a run of at least `min_days` empty days is a gap when the series is
    busy on both sides (at least `min_rate` events a day over the `window` days
    before and after it, days beyond the series counting as empty) and, at the
    lower of those two rates, a Poisson series would stay silent that long with
    probability below `alpha`: exp(-rate * days) < alpha. At 1 event a day that
    takes 10 empty days, at 200 a day `min_days`. Sparser series are left alone:
    there a month of quiet may be a real lull, and only the sources can tell
    (`coverage_from_dates`).

    >>> days = [*pd.date_range("2020-01-01", periods=60), *pd.date_range("2020-04-01", periods=60)]
    >>> [(str(a.date()), str(b.date())) for a, b in detect_silences(days * 3)]
    [('2020-03-01', '2020-03-31')]
    """
    stamps = _days(dates)
    if stamps.empty:
        return []
    daily = pd.Series(1, index=stamps).groupby(level=0).sum()
    daily = daily.reindex(pd.date_range(stamps.min(), stamps.max()), fill_value=0)
    values = daily.to_numpy(dtype=np.float64)
    gaps = []
    for first, stop in _empty_runs(values):
        before = values[max(first - window, 0) : first].sum() / window
        rate = min(before, values[stop : stop + window].sum() / window)
        silent = stop - first >= min_days and math.exp(-rate * (stop - first)) < alpha
        if silent and rate >= min_rate:
            gaps.append((daily.index[first], daily.index[stop - 1]))
    return gaps


def _empty_runs(values: np.ndarray) -> list[tuple[int, int]]:
    """(first, stop) positions of each run of zeros strictly inside the series."""
    bounds = np.flatnonzero(np.diff(np.concatenate([[0], (values == 0).astype(np.int64), [0]])))
    return [(int(a), int(b)) for a, b in zip(bounds[::2], bounds[1::2], strict=True)]


def resolve_coverage(frame: pd.DataFrame, coverage: Coverage | Sequence[Gap] | None) -> Coverage:
    """The coverage to use: as given, the events' span less given gaps, or less detected silences.

    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2020-01-09"])})
    >>> resolve_coverage(frame, [("2020-01-03", "2020-01-04")]).days()
    7
    """
    if isinstance(coverage, Coverage):
        return coverage
    if frame.empty:
        raise ValueError("no events, so no span to cover: pass a Coverage with start and end")
    gaps = detect_silences(frame["date"]) if coverage is None else coverage
    return Coverage.between(frame["date"].min(), frame["date"].max(), gaps)


def _period_starts(dates: pd.Series, freq: Freq) -> pd.DatetimeIndex:
    return _starts(pd.DatetimeIndex(dates).to_period(PERIOD_CODES[freq]))


@overload
def counts(
    frame: pd.DataFrame,
    freq: Freq = "W",
    by: None = None,
    *,
    coverage: Coverage | Sequence[Gap] | None = None,
) -> pd.Series: ...


@overload
def counts(
    frame: pd.DataFrame,
    freq: Freq = "W",
    by: str = ...,
    *,
    coverage: Coverage | Sequence[Gap] | None = None,
) -> pd.DataFrame: ...


def counts(
    frame: pd.DataFrame,
    freq: Freq = "W",
    by: str | None = None,
    *,
    coverage: Coverage | Sequence[Gap] | None = None,
) -> pd.Series | pd.DataFrame:
    """Events per period (by a column's ';'-separated values if `by`), NaN where uncovered.

    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-20"])})
    >>> counts(frame, "W", coverage=[("2020-01-06", "2020-01-12")]).tolist()
    [2.0, nan, 0.0, 1.0]
    """
    span = resolve_coverage(frame, coverage)
    exposure = span.exposure(freq)
    periods = _period_starts(frame["date"], freq)
    if by is None:
        table: pd.Series | pd.DataFrame = pd.Series(periods).value_counts().rename("count")
    else:
        table = _counts_by(frame[by], periods)
    table = table.reindex(exposure.index, fill_value=0).astype("float64")
    table.loc[exposure.to_numpy() == 0] = np.nan
    return table


def _counts_by(values: pd.Series, periods: pd.DatetimeIndex) -> pd.DataFrame:
    tokens = values.astype("string").fillna("").str.split(";")
    long = pd.DataFrame({"period": periods, "value": tokens.to_numpy()}).explode("value")
    long["value"] = long["value"].astype("string").str.strip()
    long = long[long["value"].fillna("") != ""]
    table = pd.crosstab(long["period"], long["value"])
    order = table.sum().sort_values(ascending=False, kind="stable").index
    return table[order]


def count_since(
    frame: pd.DataFrame,
    date: DateLike,
    *,
    types: Iterable[str] | None = None,
    until: DateLike | None = None,
) -> int:
    """Events on or after `date` (to `until`), of `types` (event/sub-event type or weapon).

    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-02", "2020-01-05"]),
    ...                       "event_type": ["Explosions/Remote violence"] * 2,
    ...                       "sub_event_type": ["Shelling/artillery/missile attack"] * 2,
    ...                       "weapon": ["rocket", "mortar"]})
    >>> count_since(frame, "2020-01-03", types=["rocket", "mortar"])
    1
    """
    dates = frame["date"]
    mask = dates >= _day(date)
    if until is not None:
        mask &= dates <= _day(until)
    if types is not None:
        mask &= _matches(frame, {t.strip().lower() for t in types})
    return int(mask.sum())


def _matches(frame: pd.DataFrame, wanted: set[str]) -> pd.Series:
    found = pd.Series(False, index=frame.index)
    for column in ("event_type", "sub_event_type", "weapon"):
        if column in frame:
            tokens = frame[column].astype("string").fillna("").str.lower().str.split(";")
            found |= tokens.map(lambda values: any(v.strip() in wanted for v in values))
    return found


@dataclass(frozen=True)
class MunitionsSummary:
    """Munitions per attack: how many were counted, median, IQR, largest, share 'large'."""

    attacks: int
    counted: int
    large_from: int
    large: int = 0
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    largest: float | None = None

    @property
    def share_large(self) -> float | None:
        """Share of counted attacks with at least `large_from` munitions."""
        return self.large / self.counted if self.counted else None


def munitions_summary(frame: pd.DataFrame, *, large_from: int = 20) -> MunitionsSummary:
    """The distribution of munitions per attack, over attacks whose count is known.

    >>> frame = pd.DataFrame({"munitions": [3.0, 2.0, 4.0, 30.0, None]})
    >>> munitions_summary(frame).median, munitions_summary(frame).large
    (3.5, 1)
    """
    column = frame["munitions"] if "munitions" in frame else pd.Series(dtype="float64")
    known = column.dropna().astype("float64")
    if known.empty:
        return MunitionsSummary(len(frame), 0, large_from)
    q1, median, q3 = (float(known.quantile(q)) for q in (0.25, 0.5, 0.75))
    large = int((known >= large_from).sum())
    return MunitionsSummary(len(frame), len(known), large_from, large, median, q1, q3, known.max())


@dataclass(frozen=True)
class ScaleJump:
    """The first large attack after a run of attacks none of which was reported large."""

    date: pd.Timestamp
    munitions: float
    before: int
    since: pd.Timestamp
    counted_before: int
    large_after: int


def scale_jump(
    frame: pd.DataFrame, *, large_from: int = 20, min_before: int = 2, min_days: int = 28
) -> ScaleJump | None:
    """When attacks first reached `large_from` munitions, after `min_before` that did not.

    The attacks before must span `min_days` at least: a first large attack in the
    first weeks on record says nothing of a change.

    Counts are sparse in reporting, so an attack with no count is taken as not large:
    a barrage of 20 or more rockets is news, and its count is nearly always given.
    The change-point test on counted attacks alone needs more counts than most
    periods have; this finding needs only the first large one.

    >>> frame = pd.DataFrame({"date": pd.date_range("2020-01-01", periods=8, freq="W"),
    ...                       "munitions": [None, 3, None, None, 2, None, 30, 33]})
    >>> found = scale_jump(frame)
    >>> str(found.date.date()), found.before, found.large_after
    ('2020-02-16', 6, 2)
    """
    attacks = _attacks(frame).sort_values("date", kind="stable")
    if attacks.empty or "munitions" not in attacks:
        return None
    large = attacks["munitions"].fillna(0).to_numpy(dtype=np.float64) >= large_from
    if not large.any():
        return None
    first = int(np.argmax(large))
    if first < min_before:
        return None
    before = attacks.iloc[:first]
    if _day(attacks["date"].iloc[first]) - _day(before["date"].iloc[0]) < pd.Timedelta(
        days=min_days
    ):
        return None
    return ScaleJump(
        date=_day(attacks["date"].iloc[first]),
        munitions=float(attacks["munitions"].iloc[first]),
        before=first,
        since=_day(before["date"].iloc[0]),
        counted_before=int(before["munitions"].notna().sum()),
        large_after=int(large[first:].sum()),
    )


@dataclass(frozen=True)
class FatalitiesSummary:
    """Deaths reported: attacks with a figure, deaths (lower bounds summed), lethal attacks."""

    reported: int
    killed: int
    lethal: int
    deadliest: int


def fatalities_summary(frame: pd.DataFrame) -> FatalitiesSummary:
    """Reported deaths over the attacks that give a figure (their lower bounds).

    >>> fatalities_summary(pd.DataFrame({"fatalities_min": [0.0, 2.0, None]}))
    FatalitiesSummary(reported=2, killed=2, lethal=1, deadliest=2)
    """
    column = frame["fatalities_min"] if "fatalities_min" in frame else pd.Series(dtype="float64")
    known = column.dropna().astype("float64")
    deadliest = int(known.max()) if len(known) else 0
    return FatalitiesSummary(len(known), int(known.sum()), int((known > 0).sum()), deadliest)


def tempo_table(
    frame: pd.DataFrame, *, freq: Freq = "W", coverage: Coverage | Sequence[Gap] | None = None
) -> pd.DataFrame:
    """Per period: count (NaN uncovered), exposure (covered share) and rate (per full period).

    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-20"])})
    >>> tempo_table(frame, coverage=[])["exposure"].round(2).tolist()
    [0.71, 1.0, 1.0, 0.14]
    """
    span = resolve_coverage(frame, coverage)
    exposure = span.exposure(freq)
    table = pd.DataFrame({"count": counts(frame, freq, coverage=span), "exposure": exposure})
    table["rate"] = table["count"] / exposure.where(exposure > 0)
    return table


def frequency_changepoints(
    frame: pd.DataFrame,
    *,
    freq: Freq = "W",
    coverage: Coverage | Sequence[Gap] | None = None,
    min_size: int = 3,
) -> Segmentation:
    """Change-points in how often events come (overdispersed Poisson, uncovered periods left out).

    >>> dates = pd.date_range("2020-01-06", periods=20, freq="W").repeat([1] * 10 + [6] * 10)
    >>> [str(b.date()) for b in frequency_changepoints(pd.DataFrame({"date": dates})).breaks]
    ['2020-03-16']
    """
    table = tempo_table(frame, freq=freq, coverage=coverage)
    return poisson_segments(table["count"], exposure=table["exposure"], min_size=min_size)


def scale_changepoints(frame: pd.DataFrame, *, min_size: int = 3) -> Segmentation:
    """Change-points in munitions per attack (Gaussian on log(1 + munitions)), by attack date.

    >>> frame = pd.DataFrame({"date": pd.date_range("2020-01-01", periods=12),
    ...                       "munitions": [2.0, 3, 2, 3, 2, 3, 20, 25, 22, 30, 21, 24]})
    >>> [str(b.date()) for b in scale_changepoints(frame).breaks]
    ['2020-01-07']
    """
    measured = frame.dropna(subset=["munitions"]).sort_values("date", kind="stable")
    raw = measured["munitions"].to_numpy(dtype=np.float64)
    values = pd.Series(np.log1p(raw), index=pd.DatetimeIndex(measured["date"]))
    found = gaussian_segments(values, min_size=min_size)
    sizes = found.segments["periods"].to_numpy()
    parts = np.split(raw, np.cumsum(sizes)[:-1]) if len(raw) else []
    segments = found.segments.assign(median=[float(np.median(p)) for p in parts])
    return Segmentation(found.breaks, segments, found.penalty, found.dispersion)


@dataclass(frozen=True)
class TempoAssessment:
    """Tempo and scale in figures, the per-period table, and sentences for a report."""

    label: str
    freq: Freq
    coverage: Coverage
    table: pd.DataFrame
    frequency: Segmentation
    since: pd.Timestamp | None
    since_break: pd.Timestamp | None
    rate_since: float | None
    rate_before: float | None
    periods_before: int
    trend: Trend
    munitions: MunitionsSummary
    fatalities: FatalitiesSummary
    scale: Segmentation | None
    attacks: pd.DataFrame
    jump: ScaleJump | None = None
    sentences: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The assessment as one paragraph."""
        return " ".join(self.sentences)

    @property
    def unit(self) -> str:
        """The period in words: day, week or month."""
        return UNITS[self.freq]


def assess_tempo(
    frame: pd.DataFrame,
    *,
    since: DateLike | None = None,
    freq: Freq = "W",
    coverage: Coverage | Sequence[Gap] | None = None,
    label: str = "attacks",
    large_from: int = 20,
) -> TempoAssessment:
    """Rate since a date (by default the last change-point), trend, scale, in figures and words.

    >>> dates = pd.date_range("2020-01-06", periods=20, freq="W").repeat([1, 2] * 5 + [6, 7] * 5)
    >>> found = assess_tempo(pd.DataFrame({"date": dates}))
    >>> str(found.since.date()), round(found.rate_since, 1), round(found.rate_before, 1)
    ('2020-03-16', 6.5, 1.6)
    """
    span = resolve_coverage(frame, coverage)
    table = tempo_table(frame, freq=freq, coverage=span)
    frequency = poisson_segments(table["count"], exposure=table["exposure"])
    table["level"] = frequency.fitted(table.index).where(table["count"].notna())
    start = _window_start(since, frequency, freq)
    window = table[table.index >= start] if start is not None else table
    near = _nearest_break(start, frequency, freq)
    before = _before(table, start, frequency, near)
    munitions = munitions_summary(frame, large_from=large_from)
    assessment = TempoAssessment(
        label=label,
        freq=freq,
        coverage=span,
        table=table,
        frequency=frequency,
        since=_day(since) if since is not None else start,
        since_break=near,
        rate_since=_rate(window),
        rate_before=_rate(before),
        periods_before=int(before["count"].notna().sum()),
        trend=trend(window["count"], exposure=window["exposure"]),
        munitions=munitions,
        fatalities=fatalities_summary(frame),
        scale=scale_changepoints(frame) if munitions.counted >= 6 else None,
        attacks=_attacks(frame),
        jump=scale_jump(frame, large_from=large_from),
    )
    return replace(assessment, sentences=_sentences(assessment))


def _window_start(
    since: DateLike | None, frequency: Segmentation, freq: Freq
) -> pd.Timestamp | None:
    if since is None:
        return frequency.breaks[-1] if frequency.breaks else None
    return _period_starts(pd.Series([_day(since)]), freq)[0]


def _nearest_break(
    start: pd.Timestamp | None, frequency: Segmentation, freq: Freq
) -> pd.Timestamp | None:
    """The change-point within two periods of `start`, if there is one."""
    tolerance = pd.Timedelta(days={"D": 3, "W": 14, "M": 31}[freq])
    near = [b for b in frequency.breaks if start is not None and abs(b - start) <= tolerance]
    return min(near, key=lambda b: abs(b - start)) if near and start is not None else None


def _before(
    table: pd.DataFrame,
    start: pd.Timestamp | None,
    frequency: Segmentation,
    near: pd.Timestamp | None,
) -> pd.DataFrame:
    """What `since` is compared with: the segment before its change-point, or all before it."""
    if start is None:
        return table.iloc[:0]
    earlier = table[table.index < start]
    if near is None:
        return earlier
    first = max(s for s, _, _ in frequency.rows() if s < near)
    return earlier[earlier.index >= first]


def _rate(table: pd.DataFrame) -> float | None:
    covered = table[table["count"].notna()]
    exposure = float(covered["exposure"].sum())
    return float(covered["count"].sum()) / exposure if exposure > 0 else None


def _attacks(frame: pd.DataFrame) -> pd.DataFrame:
    munitions = frame.get("munitions", np.nan)
    return pd.DataFrame({"date": frame["date"], "munitions": munitions}).reset_index(drop=True)


def _sentences(a: TempoAssessment) -> tuple[str, ...]:
    parts = [
        _rate_sentence(a),
        _breaks_sentence(a),
        _peak_sentence(a),
        _trend_sentence(a),
        _coverage_sentence(a),
        _scale_sentence(a),
        _scale_change_sentence(a),
        _jump_sentence(a),
        _fatalities_sentence(a),
    ]
    return tuple(p for p in parts if p)


def _number(value: float) -> str:
    return f"{value:.1f}" if abs(value) < 10 else f"{value:,.0f}"


def _percent(value: float) -> str:
    return f"{value:+.1f}%" if abs(value) < 2 else f"{value:+.0f}%"


def _date(value: pd.Timestamp) -> str:
    return str(value.date())


def _rate_sentence(a: TempoAssessment) -> str:
    table, name, unit = a.table, a.label.capitalize(), a.unit
    covered = table[table["count"].notna()]
    if covered.empty or covered["count"].sum() == 0:
        return f"No {a.label} are on record in the covered {unit}s."
    if a.since is not None and a.rate_since is not None and a.rate_before is not None:
        mark = _break_mark(a.since_break, a.since, a.freq)
        return (
            f"{name} have come at {_number(a.rate_since)} a {unit} since {_date(a.since)}, "
            f"against {_number(a.rate_before)} a {unit} in the {a.periods_before} covered "
            f"{unit}s before{mark}."
        )
    first, last = _date(covered.index[0]), _date(covered.index[-1])
    steady = "" if a.frequency.breaks else ", with no change-point in frequency"
    return (
        f"{name} have come at {_number(a.rate_since or 0.0)} a {unit} from {first} to {last} "
        f"({covered['count'].sum():,.0f} in {len(covered)} covered {unit}s){steady}."
    )


def _break_mark(found: pd.Timestamp | None, since: pd.Timestamp, freq: Freq) -> str:
    if found is None:
        return ""
    if found == _period_starts(pd.Series([since]), freq)[0]:
        return " (a change-point)"
    return f" (a change-point on {_date(found)})"


def _breaks_sentence(a: TempoAssessment) -> str:
    rows = a.frequency.rows()
    if len(rows) < 2 or (len(rows) == 2 and a.since_break is not None):
        return ""
    shown = [
        f"{_date(new[0])} ({_number(old[2])} to {_number(new[2])})"
        for old, new in itertools.pairwise(rows)
    ]
    if len(shown) == 1:
        return f"One frequency change-point, a {a.unit}: {shown[0]}."
    head = f"The last 4 of {len(shown)}" if len(shown) > 4 else f"All {len(shown)}"
    return f"{head} frequency change-points, a {a.unit}: " + "; ".join(shown[-4:]) + "."


def _peak_sentence(a: TempoAssessment) -> str:
    rows = a.frequency.rows()
    if len(rows) < 3:
        return ""
    start, end, level = max(rows, key=lambda row: row[2])
    inside = [g for g in a.coverage.gaps if start <= g[0] <= end]
    note = " (across a coverage gap)" if inside else ""
    return (
        f"The highest rate was {_number(level)} a {a.unit}, from {_date(start)} to "
        f"{_date(end)}{note}."
    )


def _trend_sentence(a: TempoAssessment) -> str:
    fit, unit = a.trend, a.unit
    where = f"since {_date(a.since)}" if a.since is not None else "over the whole series"
    if fit.pct_per_month is None or fit.ci_low is None or fit.ci_high is None:
        if fit.reason == "too few periods for a trend":
            return f"There are too few covered {unit}s ({fit.periods}) to estimate a trend {where}."
        if fit.reason == "too few events for a trend":
            return (
                f"There are too few {a.label} ({fit.events:,.0f} in {fit.periods} covered "
                f"{unit}s) to estimate a trend {where}."
            )
        return f"No trend can be estimated {where}: {fit.reason}."
    figures = (
        f"{_percent(fit.pct_per_month)} a month (95% CI {_percent(fit.ci_low)} "
        f"to {_percent(fit.ci_high)}; {_p_value(fit.p_value)})"
    )
    if fit.ci_low > 0 or fit.ci_high < 0:
        return f"The trend {where} is {figures}."
    return f"There is no clear trend {where}: {figures}."


def _p_value(p: float | None) -> str:
    return "p < 0.001" if p is None or p < 0.001 else f"p = {p:.2g}"


def _coverage_sentence(a: TempoAssessment) -> str:
    missing = int((a.table["exposure"] == 0).sum())
    if not a.coverage.gaps:
        return ""
    spans = [f"{_date(first)} to {_date(last)}" for first, last in a.coverage.gaps]
    listed = "; ".join(spans[:3]) + (f"; and {len(spans) - 3} more" if len(spans) > 3 else "")
    return (
        f"{missing} {a.unit}s without source coverage ({listed}) are left out, not counted as zero."
    )


def _scale_sentence(a: TempoAssessment) -> str:
    m = a.munitions
    if m.counted == 0:
        return "No report gives a munitions count, so scale cannot be judged."
    if m.counted < 3 or m.median is None or m.q1 is None or m.q3 is None:
        return (
            f"Only {m.counted} of {m.attacks} {a.label} have a munitions count: "
            "too few to judge scale."
        )
    typical = f"the median attack used {m.median:g} munitions (IQR {m.q1:g} to {m.q3:g})"
    bigger = f"{m.large} of {m.counted} counted {a.label} used {m.large_from} or more"
    if m.q3 >= 3 * max(m.q1, 1.0) or (0 < m.large < m.counted / 2 and m.median < m.large_from):
        return f"Scale is inconsistent: {typical}, but {bigger}."
    return f"Scale is steady: {typical}; {bigger}."


def _scale_change_sentence(a: TempoAssessment) -> str:
    if a.scale is None or not a.scale.breaks:
        return ""
    medians = [float(m) for m in a.scale.segments["median"]]
    shown = [
        f"on {_date(start)} from a median of {old:g} to {new:g} munitions"
        for start, (old, new) in zip(a.scale.breaks, itertools.pairwise(medians), strict=True)
    ]
    return "Scale changed " + "; ".join(shown) + "."


def _jump_sentence(a: TempoAssessment) -> str:
    j = a.jump
    if j is None:
        return ""
    counted = (
        f"{j.counted_before} of them with a count, all under {a.munitions.large_from}"
        if j.counted_before
        else "none of them reported with a count"
    )
    return (
        f"A jump in scale on {_date(j.date)}: the first {a.label.removesuffix('s')} with "
        f"{a.munitions.large_from} or more munitions ({j.munitions:g}), after {j.before} "
        f"since {_date(j.since)} ({counted}); {j.large_after} large since then."
    )


def _fatalities_sentence(a: TempoAssessment) -> str:
    f = a.fatalities
    if f.reported == 0:
        return ""
    return (
        f"At least {f.killed} people were reported killed, in {f.lethal} of the {f.reported} "
        f"{a.label} with a reported toll (the deadliest killed {f.deadliest})."
    )


def tempo_chart(assessment: TempoAssessment, path: str | Path) -> tuple[Path, Path]:
    """Write the tempo chart as PNG and SVG beside `path` (its suffix is replaced).

    >>> tempo_chart(assess_tempo(frame), "out/tempo")  # doctest: +SKIP
    (PosixPath('out/tempo.png'), PosixPath('out/tempo.svg'))
    """
    figure = Figure(figsize=(10, 6), layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1.4])
    _draw_counts(top, assessment)
    _draw_gaps(top, assessment.coverage)
    _draw_scale(bottom, assessment)
    base = Path(path).with_suffix("")
    written = (base.with_suffix(".png"), base.with_suffix(".svg"))
    figure.savefig(written[0], dpi=120)
    figure.savefig(written[1], metadata={"Date": None})
    return written


def _draw_counts(axes: Axes, a: TempoAssessment) -> None:
    table = a.table
    ends = pd.DatetimeIndex(table.index).to_period(PERIOD_CODES[a.freq]).end_time
    widths = (ends.normalize() - table.index).days + 1
    colours = np.where(table["exposure"] < 1, "#c9d6e3", "#8aa6c1")
    axes.bar(table.index, table["count"], width=widths * 0.85, align="edge", color=colours)
    steps = pd.concat([table["level"], pd.Series([table["level"].iloc[-1]], index=[ends[-1]])])
    axes.plot(
        steps.index,
        steps.to_numpy(),
        drawstyle="steps-post",
        color="#b2182b",
        lw=2,
        label="rate of the segment (change-points)",
    )
    axes.legend(loc="upper left", frameon=False)
    axes.set_ylabel(f"{a.label} a {a.unit}")
    axes.set_title(f"{a.label.capitalize()} a {a.unit}, with the rate of each segment")


def _draw_gaps(axes: Axes, coverage: Coverage) -> None:
    for first, last in coverage.gaps:
        left, right = _date_number(first), _date_number(last + pd.Timedelta(days=1))
        axes.axvspan(left, right, color="#bbbbbb", alpha=0.4, lw=0)
        middle = (left + right) / 2
        axes.text(
            middle,
            0.5,
            "no coverage",
            transform=axes.get_xaxis_transform(),
            ha="center",
            va="center",
            rotation=90,
            color="#555555",
        )


def _date_number(day: pd.Timestamp) -> float:
    """Matplotlib's number for a date (days since its epoch)."""
    convert = cast(Callable[[pd.Timestamp], float], mdates.date2num)
    return convert(day)


def _draw_scale(axes: Axes, a: TempoAssessment) -> None:
    measured = a.attacks.dropna(subset=["munitions"])
    axes.set_ylabel("munitions per attack")
    if measured.empty:
        axes.text(
            0.5,
            0.5,
            "no munitions counts reported",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="#555555",
        )
        return
    axes.scatter(measured["date"], measured["munitions"], s=14, color="#2166ac")
    large = a.munitions.large_from
    axes.axhline(large, ls="--", lw=1, color="#999999", label=f"large: {large} or more")
    axes.legend(loc="best", frameon=False)
    if measured["munitions"].max() > 20 * max(measured["munitions"].min(), 1.0):
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(ScalarFormatter())
