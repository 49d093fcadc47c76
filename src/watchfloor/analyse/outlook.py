"""The outlook: how many attacks the next days hold, the dates to watch, the indicators.

The forecast counts attacks (fused events of the violent ACLED types, or of the sub-event
types asked for) before the `as_of` day, in periods as long as the window (14 days: the
count of each 14-day period, the last ending the day before `as_of`), so that a one-step
forecast is the window's own count.

- With at least MIN_PERIODS such periods from the first attack on, every model of
  `forecast.default_models` is backtested on them (rolling origin, MIN_TRAIN periods of
  history first) and the one with the lowest mean CRPS forecasts the window; the outlook
  gives its CRPS beside the no-change baseline's.
- With less history, a Poisson on the recent rate: k attacks in the last T days (at most
  LOOKBACK_DAYS, no earlier than the first attack) give a gamma-Poisson (negative binomial)
  with shape k + ½ and mean (k + ½)·days/T, the rate's own uncertainty (Jeffreys prior)
  making the interval wide, as it should be on thin history.

P(a large attack) thins the forecast count: each attack is large (LARGE_MUNITIONS or more
munitions) with probability q = (large + ½)/(attacks + 1) from the history, so P(at least
one) = 1 − Σ_k P(K = k)·(1 − q)^k.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from watchfloor.analyse.backtest import backtest
from watchfloor.analyse.effects import EffectEstimate
from watchfloor.analyse.forecast import Predictive, default_models
from watchfloor.analyse.indicators import (
    VIOLENT,
    Context,
    Indicator,
    IndicatorStatus,
    evaluate,
    indicator_status,
)
from watchfloor.analyse.interventions import recent_effects
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.model import Event, KeyDate
from watchfloor.resolve.fusion import FusedEvent

MIN_PERIODS = 20
MIN_TRAIN = 12
LOOKBACK_DAYS = 90
LARGE_MUNITIONS = 20
LEVEL = 0.8


@dataclass(frozen=True)
class AttackForecast:
    """The forecast count of attacks in the window, the model that made it and why."""

    expected: float
    low: int
    high: int
    p_any: float
    p_large: float
    model: str
    reason: str
    attacks: int


@dataclass(frozen=True)
class Outlook:
    """Everything `watchfloor outlook` says about the window [start, end]."""

    start: dt.date
    end: dt.date
    forecast: AttackForecast
    key_dates: list[KeyDate]
    indicators: list[IndicatorStatus]
    effect: EffectEstimate | None = None


def is_attack(event: Event, sub_event_types: Sequence[str] = ()) -> bool:
    """Whether an event counts as an attack: a violent type, or one of the sub-event types.

    >>> is_attack(Event(id="e", date=dt.date(2020, 1, 1), event_type="Battles",
    ...                 sub_event_type="Armed clash"))
    True
    """
    if sub_event_types:
        return event.sub_event_type.lower() in {t.lower() for t in sub_event_types}
    return event.event_type in VIOLENT


def period_counts(days: Sequence[dt.date], *, end: dt.date, length: int) -> pd.Series:
    """Attacks per period of `length` days, the last period ending on `end`, from the first.

    >>> period_counts([dt.date(2020, 1, 1), dt.date(2020, 1, 9)], end=dt.date(2020, 1, 14),
    ...               length=7).tolist()
    [1.0, 1.0]
    """
    first = min(days)
    n = (end - first).days // length + 1
    starts = [end - dt.timedelta(days=length * (n - i) - 1) for i in range(n)]
    counts = np.zeros(n)
    for day in days:
        counts[n - 1 - (end - day).days // length] += 1
    return pd.Series(counts, index=pd.DatetimeIndex(starts, name="period"), name="count")


def forecast_attacks(
    days: Sequence[dt.date],
    *,
    as_of: dt.date,
    length: int,
    large: int = 0,
    seed: int = 0,
) -> AttackForecast:
    """Forecast the attacks in the `length` days from `as_of`, from the days of past attacks.

    >>> days = [dt.date(2020, 3, d) for d in (2, 9, 11, 14, 16)]
    >>> forecast_attacks(days, as_of=dt.date(2020, 4, 2), length=14).model
    'poisson-recent-rate'
    """
    past = [d for d in days if d < as_of]
    if not past:
        return _thin(0, LOOKBACK_DAYS, length, "no attacks on record before this day", large, 0)
    end = as_of - dt.timedelta(days=1)
    counts = period_counts(past, end=end, length=length)
    if counts.size < MIN_PERIODS:
        span = min(LOOKBACK_DAYS, (as_of - min(past)).days)
        recent = sum(1 for d in past if (as_of - d).days <= span)
        why = (
            f"thin history: {counts.size} periods of {length} days since the first attack "
            f"(a backtest needs {MIN_PERIODS}); Poisson on the rate of the last {span} days "
            f"({recent} attacks), with the rate's own uncertainty: a wide interval"
        )
        return _thin(recent, span, length, why, large, len(past))
    return _backtested(counts, length, large, len(past), seed)


def _thin(k: int, span: int, length: int, why: str, large: int, n: int) -> AttackForecast:
    shape = k + 0.5
    predictive = Predictive.negative_binomial(shape * length / max(span, 1), 1 / shape)
    return _summary(predictive, "poisson-recent-rate", why, large, n)


def _backtested(counts: pd.Series, length: int, large: int, n: int, seed: int) -> AttackForecast:
    result = backtest(counts, min_train=MIN_TRAIN, seed=seed)
    best = result.best
    model = next(m for m in default_models() if m.name == best)
    history = counts.to_numpy(dtype=np.float64)
    predictive = model.predict(history, horizon=1, rng=np.random.default_rng(seed))
    score, base = result.scores[best].crps, result.scores["no_change"].crps
    why = (
        f"lowest CRPS in a backtest over {result.periods} periods of {length} days: "
        f"{score:.2f} against {base:.2f} for the no-change baseline"
    )
    return _summary(predictive, best, why, large, n)


def _summary(
    predictive: Predictive, model: str, why: str, large: int, attacks: int
) -> AttackForecast:
    tail = (1 - LEVEL) / 2
    share = (large + 0.5) / (attacks + 1)
    none_large = float(predictive.pmf @ (1 - share) ** np.arange(predictive.pmf.size))
    return AttackForecast(
        expected=predictive.mean(),
        low=predictive.quantile(tail),
        high=predictive.quantile(1 - tail),
        p_any=predictive.prob_at_least(1),
        p_large=1 - none_large,
        model=model,
        reason=why,
        attacks=attacks,
    )


def munitions_count(fused: FusedEvent) -> int:
    """The fused event's best count of munitions (0 when none is reported).

    >>> munitions_count(FusedEvent(id="f", event=Event(id="e", date=dt.date(2020, 1, 1),
    ...     event_type="Battles", sub_event_type="Armed clash"), member_ids=[], document_ids=[]))
    0
    """
    if fused.munitions is not None:
        return fused.munitions.best
    return fused.event.munitions.count if fused.event.munitions else 0


def window_key_dates(
    kb: KnowledgeBase, found: Sequence[KeyDate], *, start: dt.date, end: dt.date
) -> list[KeyDate]:
    """The calendar's dates and the dates found in reports within [start, end], once each.

    >>> from watchfloor.knowledge import load_knowledge
    >>> [k.date.isoformat() for k in window_key_dates(load_knowledge(), [],
    ...     start=dt.date(2021, 1, 1), end=dt.date(2021, 1, 4))]
    ['2021-01-03']
    """
    inside = [k for k in found if start <= k.date <= end]
    dates = {(k.date, k.what): k for k in [*kb.key_dates(start, end), *inside]}
    return sorted(dates.values(), key=lambda k: (k.date, k.kind, k.what))


def build_outlook(
    events: Sequence[FusedEvent],
    *,
    as_of: dt.date,
    days: int,
    kb: KnowledgeBase,
    key_dates: Sequence[KeyDate] = (),
    indicators: Sequence[Indicator] = (),
    context: Context | None = None,
    sub_event_types: Sequence[str] = (),
    seed: int = 0,
) -> Outlook:
    """The outlook for the `days` days from `as_of`, from the fused events before it.

    >>> from watchfloor.knowledge import load_knowledge
    >>> build_outlook([], as_of=dt.date(2020, 4, 2), days=14, kb=load_knowledge()).end
    datetime.date(2020, 4, 15)
    """
    if days < 1:
        raise ValueError("the window needs at least one day")
    attacks = [f for f in events if is_attack(f.event, sub_event_types) and f.event.date < as_of]
    large = sum(1 for f in attacks if munitions_count(f) >= LARGE_MUNITIONS)
    forecast = forecast_attacks(
        [f.event.date for f in attacks], as_of=as_of, length=days, large=large, seed=seed
    )
    end = as_of + dt.timedelta(days=days - 1)
    alerts = evaluate(indicators, events, context, before=as_of)
    return Outlook(
        start=as_of,
        end=end,
        forecast=forecast,
        key_dates=window_key_dates(kb, key_dates, start=as_of, end=end),
        indicators=indicator_status(indicators, alerts, as_of=as_of),
        effect=latest_effect(
            events, as_of=as_of, kb=kb, key_dates=key_dates, types=sub_event_types
        ),
    )


def latest_effect(
    events: Sequence[FusedEvent],
    *,
    as_of: dt.date,
    kb: KnowledgeBase,
    key_dates: Sequence[KeyDate] = (),
    types: Sequence[str] = (),
) -> EffectEstimate | None:
    """The estimated effect of the latest strike or deadline of the last LOOKBACK_DAYS, if any.

    >>> from watchfloor.knowledge import load_knowledge
    >>> latest_effect([], as_of=dt.date(2020, 4, 2), kb=load_knowledge()) is None
    True
    """
    try:
        found = recent_effects(
            events,
            as_of=as_of,
            kb=kb,
            key_dates=key_dates,
            lookback_days=LOOKBACK_DAYS,
            sub_event_types=types,
            limit=1,
        )
    except ValueError:
        return None
    return found[0] if found else None


def outlook_text(outlook: Outlook) -> str:
    """The outlook in a few plain sentences, for the terminal and for reports."""
    f = outlook.forecast
    lines = [
        f"Outlook {outlook.start} to {outlook.end} ({(outlook.end - outlook.start).days + 1} days)",
        f"Expected attacks: {f.expected:.1f} (80% interval {f.low} to {f.high}); "
        f"P(at least one) {f.p_any:.0%}; P(a large attack, {LARGE_MUNITIONS}+ munitions) "
        f"{f.p_large:.0%}.",
        f"Model: {f.model}, from {f.attacks} attacks on record: {f.reason}.",
    ]
    if outlook.effect is not None:
        lines.append(f"The latest intervention: {outlook.effect.sentence()}")
    return "\n".join(lines)
