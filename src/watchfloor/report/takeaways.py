"""Key takeaways: the SITREP's findings in sentences, each with its numbers and sources.

Every figure is computed from the fused events (one per real attack), never from
the reports, so that an attack told by five documents counts once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from watchfloor.report.sections import Names, acknowledged, confirmed, plural
from watchfloor.report.sitrep_model import (
    EffectsSection,
    FrontAssessment,
    OutlookSection,
    SourceIndex,
    Statement,
    VoicesSection,
)
from watchfloor.resolve.fusion import FusedEvent

RECENT_DAYS = 30
QUALIFIERS = {
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "fewer_than": "fewer than ",
    "exactly": "",
}


def count_takeaway(
    attacks: Sequence[FusedEvent],
    history: Sequence[FusedEvent],
    index: SourceIndex,
    *,
    since: dt.date,
    until: dt.date,
) -> Statement:
    """How many attacks in the period, how many lately against the month before, by type."""
    text = f"{plural(len(attacks), 'attack')} between {since} and {until}"
    if (until - since).days + 1 >= 2 * RECENT_DAYS:
        recent = _between(history, until - dt.timedelta(days=RECENT_DAYS - 1), until)
        before = _between(
            history,
            until - dt.timedelta(days=2 * RECENT_DAYS - 1),
            until - dt.timedelta(days=RECENT_DAYS),
        )
        text += (
            f" ({len(recent)} of them in the last {RECENT_DAYS} days, against {len(before)} "
            f"in the {RECENT_DAYS} days before)"
        )
    types = Counter(f.event.sub_event_type.lower() for f in attacks)
    if types:
        text += ": " + ", ".join(type_words(t, n) for t, n in types.most_common())
    first = [f.event.sources[0] for f in attacks if f.event.sources]
    return Statement(text + ".", index.spans(first))


def type_words(sub_event_type: str, n: int) -> str:
    """A count of an ACLED sub-event type in words.

    >>> type_words("air/drone strike", 2), type_words("remote explosive/landmine/ied", 1)
    ('2 air/drone strikes', '1 remote explosive/landmine/IED')
    """
    words = sub_event_type.lower().replace("/ied", "/IED")
    if n != 1 and words.rsplit(" ", 1)[-1] in ("attack", "strike", "clash", "protest"):
        words += "s"
    return f"{n} {words}"


def _between(events: Sequence[FusedEvent], first: dt.date, last: dt.date) -> list[FusedEvent]:
    return [f for f in events if first <= f.event.date <= last]


def largest_takeaway(
    attacks: Sequence[FusedEvent], names: Names, index: SourceIndex
) -> Statement | None:
    """The attack with the most munitions: count, weapon, place, day, and the reports' range."""
    counted = [(f.munitions, f.event) for f in attacks if f.munitions is not None]
    if not counted:
        return None
    figure, event = max(counted, key=lambda pair: (pair[0].best, pair[1].date))
    weapon = event.munitions.weapon if event.munitions else event.weapon
    noun = names.munitions(weapon, figure.best)
    place = event.place.name if event.place else "an unknown place"
    text = (
        f"Largest attack: {QUALIFIERS[figure.qualifier]}{figure.best} {noun} on {place} "
        f"on {event.date}"
    )
    if figure.low != figure.high:
        text += f" (reports give {figure.low} to {figure.high}; {figure.rule})"
    return Statement(text + ".", index.spans(f.span for f in figure.figures))


def deadliest_takeaway(
    attacks: Sequence[FusedEvent], names: Names, index: SourceIndex
) -> Statement | None:
    """The attack with the highest toll, and the period's total (lower bounds)."""
    counted = [(f.fatalities, f.event) for f in attacks if confirmed(f.fatalities)]
    claimed_only = [f for f in attacks if f.fatalities is not None and not confirmed(f.fatalities)]
    if not counted:
        return None
    figure, event = max(counted, key=lambda pair: (pair[0].best, pair[1].date))
    total = sum(f.best for f, _ in counted)
    if figure.best == 0:
        return Statement(
            f"No deaths are reported in the {plural(len(counted), 'attack')} with a reported toll."
        )
    place = event.place.name if event.place else "an unknown place"
    doers = [names.actor(a.actor_id) for a in event.actors if a.role == "perpetrator"]
    by = f" by {', '.join(dict.fromkeys(doers))}" if doers else ""
    killed = "1 person was" if total == 1 else f"{total} people were"
    text = (
        f"At least {killed} reported killed in the period; the deadliest attack "
        f"was the {event.sub_event_type.lower()}{by} at {place} on {event.date} "
        f"({figure.best} killed"
    )
    if figure.low != figure.high:
        text += f"; reports give {figure.low} to {figure.high}, {figure.rule}"
    text += ")"
    if claimed_only:
        text += (
            f"; the attackers' own claims for {plural(len(claimed_only), 'attack')} are not counted"
        )
    return Statement(text + ".", index.spans(f.span for f in figure.figures))


def perpetrator_takeaway(attacks: Sequence[FusedEvent], names: Names) -> Statement | None:
    """Who the reports name as attackers, and how many attacks name none."""
    if not attacks:
        return None
    named = Counter(
        a.actor_id
        for f in attacks
        for a in {x.actor_id: x for x in f.event.actors if x.role == "perpetrator"}.values()
    )
    unnamed = sum(1 for f in attacks if not any(a.role == "perpetrator" for a in f.event.actors))
    parts = [f"{names.actor(a)} {n}" for a, n in named.most_common(4)]
    text = "Named perpetrators: " + (", ".join(parts) if parts else "none")
    return Statement(f"{text}; {plural(unnamed, 'attack')} name no perpetrator.")


def blame_takeaway(
    attacks: Sequence[FusedEvent], names: Names, index: SourceIndex
) -> Statement | None:
    """The armed group most often held responsible by others, by whom."""
    held: dict[str, set[str]] = {}
    by: dict[str, set[str]] = {}
    spans = []
    for fused in attacks:
        for a in fused.event.attributions:
            if acknowledged(a, fused.event, names) or names.kind(a.actor_id) in ("state",):
                continue
            held.setdefault(a.actor_id, set()).add(fused.id)
            by.setdefault(a.actor_id, set()).add(names.actor(a.by_actor_id))
            spans.append((a.actor_id, a.span))
    if not held:
        return None
    actor_id = max(sorted(held), key=lambda a: len(held[a]))
    n = len(held[actor_id])
    sources = ", ".join(sorted(by[actor_id]))
    text = f"{names.actor(actor_id)} was held responsible for {plural(n, 'attack')} (by {sources})."
    return Statement(text, index.spans(s for a, s in spans if a == actor_id))


def front_takeaway(fronts: Sequence[FrontAssessment]) -> Statement | None:
    """The first front group whose parent the evidence names, else the first assessment."""
    if not fronts:
        return None
    chosen = next((f for f in fronts if f.favoured), fronts[0])
    return chosen.conclusion


def outlook_takeaway(outlook: OutlookSection) -> Statement:
    """The forecast's expected count with its 80% interval, and the next key date."""
    text = outlook.statements[0].text
    if outlook.key_dates:
        key = outlook.key_dates[0]
        more = len(outlook.key_dates) - 1
        extra = f" (and {plural(more, 'other')})" if more else ""
        text += f" Next key date: {key.date}, {key.what}{extra}."
        return Statement(text, key.refs)
    return Statement(text)


def busiest_takeaway(attacks: Sequence[FusedEvent]) -> Statement | None:
    """The month with most attacks, when the period spans several months."""
    months = Counter(f.event.date.strftime("%Y-%m") for f in attacks)
    if len(months) < 2:
        return None
    month, n = max(sorted(months.items()), key=lambda item: item[1])
    return Statement(f"Busiest month: {month}, with {plural(n, 'attack')}.")


def voices_takeaway(voices: VoicesSection) -> Statement | None:
    """The latest threat (of a non-state voice first) with its deadline, and the attacks that
    came soon after a threat."""
    return voices.headline


def effects_takeaway(effects: EffectsSection) -> Statement | None:
    """Whether the period's strikes tended to deter or provoke, when it has any strike."""
    if not any(row.kind == "strike" for row in effects.rows):
        return None
    return effects.verdict
