"""Did it deter? The effect estimates that the API and the effects page show: one
intervention's (a day, an event id or a calendar id) and the table of the interventions of
a kind, computed as `watchfloor effect at` and `effect table` compute them, over the fused
events on record, and cached until the store changes.

A ValueError (or a KnowledgeError) says what in the request cannot be answered: a window
that is not a span, a day that is neither a date nor an event nor a calendar id, an actor
the knowledge base does not know, a store with no attacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from watchfloor.analyse.effects import (
    LEVEL,
    WHATS,
    EffectEstimate,
    Intervention,
    What,
    intervention_table,
    parse_days,
    table_summary,
)
from watchfloor.analyse.interventions import (
    INTERVENTION_TYPES,
    DeskRecord,
    actor_family,
    attack_frame,
    attack_series,
    choose_interventions,
    effect_at,
    key_days,
    resolve_actor_id,
)
from watchfloor.analyse.interventions import EffectAsk as Measure
from watchfloor.serve.state import ServeState
from watchfloor.serve.views import KEEP_EVENTS, clean_dict

MAX_WINDOW_DAYS = 3 * 365


def span_days(text: str | None, name: str) -> int | None:
    """A span such as 30d, 8w, 6m or 1y in days (None when blank); ValueError naming the
    parameter when it is not one, or longer than MAX_WINDOW_DAYS.

    >>> span_days("4w", "window"), span_days("", "before")
    (28, None)
    >>> span_days("soon", "window")
    Traceback (most recent call last):
    ValueError: window: 'soon' is not a span: write 30d, 8w, 6m or 1y
    """
    if text is None or not text.strip():
        return None
    try:
        days = parse_days(text)
    except ValueError as e:
        raise ValueError(f"{name}: {e}") from e
    if days > MAX_WINDOW_DAYS:
        raise ValueError(f"{name}: {text!r} is longer than {MAX_WINDOW_DAYS} days")
    return days


def what_of(text: str) -> What:
    """The measure named by `text`; ValueError listing the measures when it is none.

    >>> what_of("fatalities")
    'fatalities'
    """
    for what in WHATS:
        if text == what:
            return what
    raise ValueError(f"what: {text!r} is not one of {', '.join(WHATS)}")


@dataclass(frozen=True)
class EffectAsk:
    """What an estimate measures: the post window and pre-window in days, and the count."""

    window: int = 30
    before: int | None = None
    what: What = "attacks"


def desk_record(state: ServeState) -> DeskRecord:
    """The fused events, key dates and publication days, kept while the store is unchanged."""
    return state.cached(
        ("desk-record",),
        lambda: DeskRecord.read(state.store),
        keep=lambda found: len(found.events) <= KEEP_EVENTS,
    )


def effect_view(state: ServeState, at: str, ask: EffectAsk) -> dict[str, Any]:
    """The estimate after one intervention (`to_dict()`), with the intervention it is after."""
    return state.cached(("effect", at.strip(), ask), lambda: _effect(state, at.strip(), ask))


def _effect(state: ServeState, at: str, ask: EffectAsk) -> dict[str, Any]:
    measure = Measure(window=ask.window, before=ask.before, what=ask.what)
    intervention, estimate = effect_at(state.store, state.kb(), at, measure)
    return clean_dict({**estimate.to_dict(), "intervention": _intervention(intervention)})


def _intervention(intervention: Intervention) -> dict[str, Any]:
    link = f"/events/{quote(intervention.id, safe='')}" if intervention.kind == "event" else None
    return {
        "id": intervention.id,
        "date": intervention.date,
        "label": intervention.label,
        "kind": intervention.kind,
        "link": link,
    }


@dataclass(frozen=True)
class TableAsk:
    """Which interventions the table holds: their types, by whom, against whom, or deadlines."""

    types: tuple[str, ...] = INTERVENTION_TYPES
    actor: str | None = None
    target: str | None = None
    use_deadlines: bool = False


def effects_table_view(state: ServeState, chosen: TableAsk, ask: EffectAsk) -> dict[str, Any]:
    """Every intervention of the kind asked, each with its estimate, and the summary in words."""
    key = ("effects-table", chosen, ask)
    return state.cached(key, lambda: _effects_table(state, chosen, ask))


def _effects_table(state: ServeState, chosen: TableAsk, ask: EffectAsk) -> dict[str, Any]:
    kb, desk = state.kb(), desk_record(state)
    actors = [resolve_actor_id(kb, chosen.actor)] if chosen.actor else []
    targets = [resolve_actor_id(kb, chosen.target)] if chosen.target else []
    found = _interventions(state, chosen, actors, targets)
    head: dict[str, Any] = {
        "actor": actors[0] if actors else None,
        "target": targets[0] if targets else None,
        "types": [] if chosen.use_deadlines else list(chosen.types),
        "deadlines": chosen.use_deadlines,
        "window_days": ask.window,
        "what": ask.what,
        "level": LEVEL,
    }
    if not found:
        return clean_dict({**head, "summary": table_summary([]), "rows": []})
    side = set().union(*(actor_family(kb, a) for a in actors))
    frame = attack_frame(desk.events, interventions=found, actors=side)
    daily = attack_series(frame, desk, what=ask.what)
    table, estimates = intervention_table(
        daily,
        found,
        window=ask.window,
        before=ask.before,
        what=ask.what,
        key_dates=key_days(kb, desk.key_dates, daily),
    )
    overlaps = [int(n) for n in table["overlaps"]]
    rows = [_row(i, e, n) for i, e, n in zip(found, estimates, overlaps, strict=True)]
    return clean_dict({**head, "summary": table_summary(estimates), "rows": rows})


def _interventions(
    state: ServeState, chosen: TableAsk, actors: list[str], targets: list[str]
) -> list[Intervention]:
    return choose_interventions(
        desk_record(state),
        state.kb(),
        types=chosen.types,
        actors=actors,
        targets=targets,
        use_deadlines=chosen.use_deadlines,
    )


def _row(intervention: Intervention, estimate: EffectEstimate, overlaps: int) -> dict[str, Any]:
    return {
        **estimate.to_dict(),
        "intervention": _intervention(intervention),
        "overlaps": overlaps,
    }
