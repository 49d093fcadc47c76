"""Interventions on record (strikes, withdrawals, deadlines) and the attack series they act on.

An intervention is a fused event of an intervention type (by default an air or drone
strike) by an actor, or by any actor that is part of it, against a target; or a deadline
from the calendar or the reports. The attacks measured after it are the violent fused
events less the interventions themselves and less the events the intervening side carried
out: a strike is not an attack on the striker. `recent_effects` gives the estimates for
the interventions of the last weeks before a day, for the SITREP and the outlook.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from watchfloor.analyse.effects import (
    LEVEL,
    MIN_DAYS_AFTER,
    WASHOUT_DAYS,
    DateLike,
    EffectEstimate,
    Intervention,
    What,
    daily_series,
    estimate_effect,
)
from watchfloor.analyse.tempo import coverage_from_dates, events_frame
from watchfloor.errors import KnowledgeError, StoreError
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.knowledge.records import Deadline
from watchfloor.model import Event, KeyDate
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

INTERVENTION_TYPES = ("Air/drone strike",)
VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
STATE_KINDS = frozenset({"state", "state_force", "international_force", "government_body"})
ACTING = frozenset({"perpetrator", "actor"})
STRUCK = frozenset({"target", "victim"})
LOOKBACK_DAYS = 90


def resolve_actor_id(kb: KnowledgeBase, text: str) -> str:
    """The actor id that `text` names: an id, a name, an alias or a short context alias.

    >>> from watchfloor.knowledge import load_knowledge
    >>> resolve_actor_id(load_knowledge(), "US")
    'united-states'
    """
    wanted = text.strip().lower()
    if wanted in kb.actors:
        return wanted
    for fields in ("names", "context"):
        found = sorted({a.actor_id for a in kb.actors.values() if wanted in _names(a, fields)})
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise KnowledgeError(f"{text!r} could be any of {', '.join(found)}: give the id")
    return kb.actor(wanted).actor_id


def _names(actor: object, fields: str) -> set[str]:
    if fields == "names":
        words = [getattr(actor, "name", ""), *getattr(actor, "aliases", [])]
    else:
        words = list(getattr(actor, "context_aliases", []))
    return {w.lower() for w in words}


def actor_family(kb: KnowledgeBase | None, actor_id: str) -> set[str]:
    """The actor and every actor that is part of it, directly or through others.

    >>> from watchfloor.knowledge import load_knowledge
    >>> "us-department-of-defense" in actor_family(load_knowledge(), "united-states")
    True
    """
    family, grown = {actor_id}, True
    relations = [r for r in kb.relations if r.relation == "part_of"] if kb else []
    while grown:
        more = {r.subject for r in relations if r.object in family} - family
        family |= more
        grown = bool(more)
    return family


def _ids(event: Event, roles: frozenset[str]) -> set[str]:
    return {a.actor_id for a in event.actors if a.role in roles}


def _label(event: Event) -> str:
    """The event in words: 'the air/drone strike by A against B'."""
    by = sorted({a.name or a.actor_id for a in event.actors if a.role in ACTING})
    on = sorted({a.name or a.actor_id for a in event.actors if a.role in STRUCK})
    words = f"the {event.sub_event_type.lower()}"
    words += f" by {', '.join(by)}" if by else ""
    return words + (f" against {', '.join(on)}" if on else "")


def find_interventions(
    events: Sequence[FusedEvent],
    *,
    types: Sequence[str] = INTERVENTION_TYPES,
    actors: Iterable[str] = (),
    targets: Iterable[str] = (),
    kb: KnowledgeBase | None = None,
) -> list[Intervention]:
    """Fused events of `types` by one of `actors` (with the actors part of them), against
    one of `targets`; with no actor given and a knowledge base, those by a state's forces.

    >>> strike = FusedEvent(id="f1", member_ids=["e1"], document_ids=[], event=Event(
    ...     id="e1", date=dt.date(2020, 3, 13), event_type="Explosions/Remote violence",
    ...     sub_event_type="Air/drone strike"))
    >>> [i.label for i in find_interventions([strike])]
    ['the air/drone strike']
    """
    wanted = {t.lower() for t in types}
    by = set().union(*(actor_family(kb, a) for a in actors))
    on = set().union(*(actor_family(kb, a) for a in targets))
    found = []
    for fused in events:
        event = fused.event
        if event.sub_event_type.lower() not in wanted:
            continue
        if (by and not by & _ids(event, ACTING)) or (on and not on & _ids(event, STRUCK)):
            continue
        if not by and kb is not None and not _by_a_state(event, kb):
            continue
        found.append(Intervention(event.date, fused.id, _label(event), "event"))
    return found


def _by_a_state(event: Event, kb: KnowledgeBase) -> bool:
    kinds = {kb.actors[a].kind for a in _ids(event, ACTING) if a in kb.actors}
    return bool(kinds & STATE_KINDS)


def deadlines(
    kb: KnowledgeBase | None, found: Sequence[KeyDate], *, start: dt.date, end: dt.date
) -> list[Intervention]:
    """The deadlines between `start` and `end`: the calendar's and those found in reports.

    >>> from watchfloor.knowledge import load_knowledge
    >>> [d.date.isoformat() for d in deadlines(load_knowledge(), [],
    ...     start=dt.date(2020, 3, 1), end=dt.date(2020, 3, 31))]
    ['2020-03-15']
    """
    calendar = kb.key_dates(start, end) if kb is not None else []
    unique: dict[dt.date, KeyDate] = {}
    for key in [*calendar, *found]:  # the calendar's wording first
        if key.kind == "deadline" and start <= key.date <= end:
            unique.setdefault(key.date, key)
    return [
        Intervention(day, f"deadline-{day}", _deadline_label(unique[day].what), "deadline")
        for day in sorted(unique)
    ]


def _deadline_label(what: str, width: int = 90) -> str:
    """'the deadline: ...', unless the text already says it is a deadline."""
    text = what if len(what) <= width else what[: width - 1].rstrip() + "…"
    if text.lower().startswith("deadline"):
        return "the " + text[0].lower() + text[1:]
    return text if "deadline" in text.lower() else f"the deadline: {text}"


def attack_frame(
    events: Sequence[FusedEvent],
    *,
    interventions: Sequence[Intervention] = (),
    actors: Iterable[str] = (),
    sub_event_types: Sequence[str] = (),
    by: Iterable[str] = (),
) -> pd.DataFrame:
    """The attacks to count (tempo's events frame, fused figures), without the interventions
    and without the events of the intervening `actors`; only those involving `by` if given.

    >>> attack_frame([]).empty
    True
    """
    skip = {i.id for i in interventions}
    side, involved = set(actors), set(by)
    chosen = [
        f
        for f in events
        if f.id not in skip
        and _is_attack(f.event, sub_event_types)
        and not side & _ids(f.event, ACTING)
        and (not involved or involved & _involved(f.event))
    ]
    frame = events_frame([f.event for f in chosen])
    frame["munitions"] = [_best(f, "munitions") for f in chosen]
    frame["fatalities_min"] = [_best(f, "fatalities") for f in chosen]
    return frame


def _is_attack(event: Event, sub_event_types: Sequence[str]) -> bool:
    if sub_event_types:
        return event.sub_event_type.lower() in {t.lower() for t in sub_event_types}
    return event.event_type in VIOLENT


def _involved(event: Event) -> set[str]:
    claimed = {c.claimant_id for c in event.claims}
    blamed = {a.actor_id for a in event.attributions}
    return _ids(event, ACTING | {"claimant", "attributed"}) | claimed | blamed


def _best(fused: FusedEvent, figure: str) -> float:
    """The fused figure's best estimate, else the event's own, else NaN."""
    estimate = getattr(fused, figure)
    if estimate is not None:
        return float(estimate.best)
    own = getattr(fused.event, figure)
    if own is None:
        return math.nan
    return float(own.count if figure == "munitions" else own.min)


def as_fused(events: Sequence[Event]) -> list[FusedEvent]:
    """Raw events each wrapped as its own fused event (for a store not yet fused).

    >>> as_fused([])
    []
    """
    return [FusedEvent(id=e.id, event=e, member_ids=[e.id], document_ids=[]) for e in events]


@dataclass(frozen=True)
class DeskRecord:
    """What a database holds for the estimates: fused events, key dates, publication days."""

    events: list[FusedEvent]
    key_dates: list[KeyDate]
    published: list[dt.date]

    @classmethod
    def read(cls, store: Store) -> DeskRecord:
        """Read them from `store` (raw events as their own fused events if not yet fused)."""
        events = store.fused_events() or as_fused(store.events())
        published = [r["published"] for r in store.document_rows() if r["published"]]
        return cls(events, store.key_dates(), published)


def event_intervention(store: Store, event_id: str) -> tuple[Intervention, set[str]] | None:
    """The event with this id (fused or raw) as an intervention, with its perpetrators.

    >>> with Store.open("sqlite://") as store:
    ...     event_intervention(store, "no-such-event") is None
    True
    """
    try:
        fused = store.fused_event(event_id)
    except StoreError:
        try:
            fused = as_fused([store.event(event_id)])[0]
        except StoreError:
            return None
    found = find_interventions([fused], types=[fused.event.sub_event_type])[0]
    return found, _ids(fused.event, ACTING)


def calendar_day(text: str, kb: KnowledgeBase) -> tuple[dt.date, str]:
    """A day and what it is, from an ISO date or a calendar id (ID:YEAR for an anniversary).

    >>> from watchfloor.knowledge import load_knowledge
    >>> calendar_day("soleimani-killed:2021", load_knowledge())[0]
    datetime.date(2021, 1, 3)
    """
    try:
        return dt.date.fromisoformat(text.strip()), ""
    except ValueError:
        pass
    key, _, year = text.strip().partition(":")
    entry = next((e for e in kb.calendar if e.id == key), None)
    if entry is None:
        raise ValueError(
            f"{text!r} is not a day (YYYY-MM-DD), an event id in the database, or a "
            "calendar id (see `watchfloor kb`)"
        )
    if isinstance(entry, Deadline):
        return entry.date, entry.what
    if not year.isdigit():
        raise ValueError(f"{key!r} comes back every year: give the year, as {key}:2020")
    return entry.on(int(year)), entry.what


def attack_series(
    frame: pd.DataFrame, desk: DeskRecord, *, what: What = "attacks", documents: bool = False
) -> pd.Series:
    """The daily series of `frame`'s attacks over the desk's span, NaN where uncovered:
    uncovered are implausible silences, or with `documents` the weeks without a document.

    >>> desk = DeskRecord([], [], [dt.date(2020, 1, 1), dt.date(2020, 1, 3)])
    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-02"])})
    >>> attack_series(frame, desk).tolist()
    [0.0, 1.0, 0.0]
    """
    if documents:
        if not desk.published:
            raise ValueError("no stored document has a publication date: use --coverage auto")
        span = coverage_from_dates(desk.published, "W")
        return daily_series(frame, what=what, gaps=span.gaps, start=span.start, end=span.end)
    days = [f.event.date for f in desk.events] + desk.published
    if frame.empty or not days:
        raise ValueError("no attacks on record: ingest reports first, or pass --counts")
    return daily_series(frame, what=what, start=min(days), end=max(days))


def key_days(kb: KnowledgeBase | None, found: Sequence[KeyDate], daily: pd.Series) -> list[dt.date]:
    """The symbolic days within the series: the calendar's and those found in reports.

    >>> key_days(None, [], pd.Series(dtype="float64"))
    []
    """
    if daily.empty:
        return []
    start, end = daily.index[0].date(), daily.index[-1].date()
    calendar = kb.key_dates(start, end) if kb is not None else []
    return sorted({k.date for k in [*calendar, *found] if start <= k.date <= end})


def recent_effects(
    source: Store | Sequence[FusedEvent],
    *,
    as_of: DateLike,
    kb: KnowledgeBase | None = None,
    key_dates: Sequence[KeyDate] = (),
    lookback_days: int = LOOKBACK_DAYS,
    window_days: int = 30,
    what: What = "attacks",
    sub_event_types: Sequence[str] = (),
    limit: int = 3,
) -> list[EffectEstimate]:
    """The estimates for the latest interventions (strikes by a state, deadlines) before
    `as_of`, newest first, each measured up to the day before `as_of`; each has a sentence().

    >>> recent_effects([], as_of=dt.date(2020, 4, 2))
    []
    """
    day = pd.Timestamp(as_of).date()
    if isinstance(source, Store):
        events = source.fused_events() or as_fused(source.events())
        key_dates = [*key_dates, *source.key_dates()]
    else:
        events = list(source)
    last = day - dt.timedelta(days=1)
    start = day - dt.timedelta(days=lookback_days)
    chosen = _recent(events, kb, key_dates, start, last - dt.timedelta(days=MIN_DAYS_AFTER))
    if not chosen:
        return []
    sides = {a for i in chosen for a in _sides(events, i)}
    frame = attack_frame(
        events, interventions=chosen, actors=sides, sub_event_types=sub_event_types
    )
    frame = frame[frame["date"] <= pd.Timestamp(last)]
    if frame.empty:
        return []
    daily = daily_series(frame, what=what, end=last)
    symbolic = key_days(kb, key_dates, daily)
    return [
        estimate_effect(
            daily,
            i.date,
            window=min(window_days, (last - i.date).days),
            what=what,
            label=i.label,
            key_dates=symbolic,
            others=[o.date for o in chosen],
        )
        for i in chosen[:limit]
    ]


def _recent(
    events: Sequence[FusedEvent],
    kb: KnowledgeBase | None,
    key_dates: Sequence[KeyDate],
    start: dt.date,
    end: dt.date,
) -> list[Intervention]:
    strikes = [i for i in find_interventions(events, kb=kb) if start <= i.date <= end]
    found = [*strikes, *deadlines(kb, key_dates, start=start, end=end)]
    return sorted(found, key=lambda i: (i.date, i.id), reverse=True)


def _sides(events: Sequence[FusedEvent], intervention: Intervention) -> set[str]:
    return {a for f in events if f.id == intervention.id for a in _ids(f.event, ACTING)}


@dataclass(frozen=True)
class EffectAsk:
    """How to measure: the windows in days, what to count, which attacks, and the level."""

    window: int = 30
    before: int | None = None
    washout: int = WASHOUT_DAYS
    what: What = "attacks"
    attack_types: tuple[str, ...] = ()
    by: str | None = None
    documents: bool = False
    level: float = LEVEL


def effect_at(
    store: Store, kb: KnowledgeBase, at: str, ask: EffectAsk = EffectAsk()
) -> tuple[Intervention, EffectEstimate]:
    """The estimate after one intervention: an event id (fused or raw), a date or a calendar id.

    The attacks of the intervening side are not counted; other interventions and symbolic
    days in the windows are given to the model (`watchfloor effect at` and the API use this).

    >>> effect_at(store, kb, "2020-03-13")  # doctest: +SKIP
    """
    desk = DeskRecord.read(store)
    chosen = event_intervention(store, at)
    if chosen is None:
        day, label = calendar_day(at, kb)
        chosen = (Intervention(day, at, label, "date"), set())
    intervention, sides = chosen
    frame = attack_frame(
        desk.events,
        interventions=[intervention],
        actors=sides,
        sub_event_types=ask.attack_types,
        by=actor_family(kb, resolve_actor_id(kb, ask.by)) if ask.by else (),
    )
    daily = attack_series(frame, desk, what=ask.what, documents=ask.documents)
    start, end = daily.index[0].date(), daily.index[-1].date()
    known = [
        *find_interventions(desk.events, kb=kb),
        *deadlines(kb, desk.key_dates, start=start, end=end),
    ]
    estimate = estimate_effect(
        daily,
        intervention.date,
        window=ask.window,
        before=ask.before,
        washout=ask.washout,
        what=ask.what,
        label=intervention.label,
        key_dates=key_days(kb, desk.key_dates, daily),
        others=[i.date for i in known],
        level=ask.level,
    )
    return intervention, estimate


def choose_interventions(
    desk: DeskRecord,
    kb: KnowledgeBase,
    *,
    types: Sequence[str] = INTERVENTION_TYPES,
    actors: Sequence[str] = (),
    targets: Sequence[str] = (),
    use_deadlines: bool = False,
) -> list[Intervention]:
    """The interventions of one kind on record: strikes by whom on whom, or the deadlines.

    >>> from watchfloor.knowledge import load_knowledge
    >>> choose_interventions(DeskRecord([], [], []), load_knowledge())
    []
    """
    if use_deadlines:
        days = [f.event.date for f in desk.events] or [dt.date.today()]
        return deadlines(kb, desk.key_dates, start=min(days), end=max(days))
    return find_interventions(
        desk.events, types=types or INTERVENTION_TYPES, actors=actors, targets=targets, kb=kb
    )
