"""Threats on the record: the deadlines set in a period (the calendar's and the reports'),
and what followed the threats (the shipped threat indicators that fired in the period:
an attack soon after a threat by the same group, or an armed group's threat followed by a
long quiet). The SITREP's "What they are saying" (`report.voices`) shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from watchfloor import model
from watchfloor.analyse.indicators import (
    Alert,
    Context,
    ThreatThenAttack,
    evaluate,
    load_indicators,
)
from watchfloor.errors import StoreError
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.knowledge.records import Deadline
from watchfloor.report.sections import Names, plural
from watchfloor.report.sitrep_model import (
    KeyDateRow,
    SourceIndex,
    SourceRef,
    Statement,
    sentence_around,
)
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

FOLLOW_KINDS = ("threat_then_attack", "threat_then_quiet")
THEN_ATTACK = "Threat, then attack"
MAX_FOLLOW_UPS = 8
SEARCH_DAYS = 30
SEARCH_DOCUMENTS = 40
DEADLINE_WORDS = ("deadline", "ultimatum")


@dataclass(frozen=True)
class Period:
    """The report's period and the outlook's first day."""

    since: dt.date
    until: dt.date
    as_of: dt.date

    def holds(self, day: dt.date | None) -> bool:
        """Whether the day lies in the period."""
        return day is not None and self.since <= day <= self.until


def armed(statement: model.Statement, names: Names) -> bool:
    """Whether the speaker, or the group spoken for, is on the armed groups' side.

    >>> from watchfloor.knowledge import load_knowledge
    >>> said = model.Statement(id="s", document_id="d", speaker_id="abu-ali-al-askari",
    ...                        kind="threat")
    >>> armed(said, Names(load_knowledge()))
    True
    """
    return names.armed(statement.group_id) or names.armed(statement.speaker_id)


def statement_refs(statement: model.Statement, index: SourceIndex) -> tuple[SourceRef, ...]:
    """The sentence that reports the statement (the document when no span is kept).

    >>> from watchfloor.report.sitrep_model import TextLookup
    >>> statement_refs(model.Statement(id="s", document_id="d", speaker_id="x",
    ...     kind="threat"), SourceIndex({}, TextLookup(lambda d: None)))
    ()
    """
    return index.span(statement.span) or index.document(statement.document_id)


def statement_day(statement: model.Statement) -> dt.date:
    """The statement's day, or the earliest day for an undated one (to sort by).

    >>> statement_day(model.Statement(id="s", document_id="d", speaker_id="x", kind="threat"))
    datetime.date(1, 1, 1)
    """
    return statement.date or dt.date.min


# -- deadlines --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineFound:
    """A deadline's row, and the actors that set it."""

    row: KeyDateRow
    setters: tuple[str, ...]


def deadline_rows(
    store: Store,
    kb: KnowledgeBase,
    names: Names,
    index: SourceIndex,
    documents: Mapping[str, dict[str, Any]],
    *,
    start: dt.date,
    end: dt.date,
) -> list[DeadlineFound]:
    """The deadlines from `start` to `end`: the calendar's (with a report's sentence that
    names them, when one does) and those found in reports, once a day.

    >>> [d.row.date for d in deadline_rows(store, kb, Names(kb), index, rows,
    ...     start=dt.date(2020, 3, 1), end=dt.date(2020, 3, 31))]  # doctest: +SKIP
    [datetime.date(2020, 3, 15), datetime.date(2020, 3, 20)]
    """
    rows: dict[dt.date, DeadlineFound] = {}
    for entry in kb.calendar:
        if isinstance(entry, Deadline) and entry.kind == "deadline" and start <= entry.date <= end:
            setters: tuple[str, ...] = (entry.set_by,) if entry.set_by else ()
            refs = _named_in(store, index, documents, entry.set_by, entry.date)
            origin = "the calendar, named in a report" if refs else "the calendar"
            what = _set_by(entry.what, setters, names)
            row = KeyDateRow(entry.date, "deadline", what, origin, refs)
            rows.setdefault(entry.date, DeadlineFound(row, setters))
    for key in store.key_dates():
        if key.kind != "deadline" or not start <= key.date <= end:
            continue
        refs = index.span(key.span) or (index.document(key.document_id) if key.document_id else ())
        if key.date in rows:
            row, setters = rows[key.date].row, rows[key.date].setters
            merged = tuple(dict.fromkeys([*row.refs, *refs]))
            row = KeyDateRow(row.date, row.kind, row.what, row.origin, merged)
            rows[key.date] = DeadlineFound(row, tuple(dict.fromkeys([*setters, *key.actor_ids])))
        else:
            row = KeyDateRow(key.date, "deadline", _set_by(key.what, key.actor_ids, names),
                             "a report", refs)  # fmt: skip
            rows[key.date] = DeadlineFound(row, tuple(key.actor_ids))
    return [rows[day] for day in sorted(rows)]


def _set_by(what: str, actor_ids: Sequence[str], names: Names) -> str:
    setters = [names.actor(a) for a in actor_ids if names.actor(a) not in what]
    return f"{what} (set by {', '.join(setters)})" if setters else what


def _named_in(
    store: Store,
    index: SourceIndex,
    documents: Mapping[str, dict[str, Any]],
    actor_id: str | None,
    day: dt.date,
) -> tuple[SourceRef, ...]:
    """A sentence of a report published near `day` that names the actor and a deadline."""
    if actor_id is None:
        return ()
    near = sorted(
        (abs((r["published"] - day).days), d)
        for d, r in documents.items()
        if r.get("published") and abs((r["published"] - day).days) <= SEARCH_DAYS
    )
    for _, document_id in near[:SEARCH_DOCUMENTS]:
        mentions = [m for m in store.mentions(document_id) if m.resolved_id == actor_id]
        if not mentions:
            continue
        try:
            text = store.document(document_id).text
        except StoreError:
            continue
        for mention in mentions:
            if mention.span.end > len(text):
                continue
            sentence = sentence_around(text, mention.span.start, mention.span.end)[2].lower()
            if any(word in sentence for word in DEADLINE_WORDS):
                return index.span(mention.span)
    return ()


# -- threats and what followed them ------------------------------------------------------


def follow_ups(
    kb: KnowledgeBase,
    fused: Sequence[FusedEvent],
    statements: Sequence[model.Statement],
    candidates: Sequence[str],
    index: SourceIndex,
    period: Period,
) -> list[Statement]:
    """The period's alerts of the threat indicators: an attack soon after a threat by the
    same group, then an armed group's threat followed by a long quiet (others counted).

    >>> [s.text for s in follow_ups(kb, store.fused_events(), store.statements(), [], index,
    ...     Period(dt.date(2020, 3, 1), dt.date(2020, 3, 16), dt.date(2020, 3, 17)))][0]
    ... # doctest: +SKIP
    "Threat, then attack: the shelling/artillery/missile attack at ... on 2020-03-11 came ..."
    """
    indicators = [i for i in load_indicators() if i.condition.kind in FOLLOW_KINDS]
    context = Context.of(kb, candidates=candidates, statements=statements)
    alerts = [
        a for a in evaluate(indicators, fused, context, before=period.as_of) if period.holds(a.date)
    ]
    events = {f.id: f for f in fused}
    said = {s.id: s for s in statements}
    conditions = {i.id: i.condition for i in indicators}
    names = Names(kb)
    attacks, quiet, others = [], [], 0
    for alert in alerts:
        condition = conditions[alert.indicator_id]
        if isinstance(condition, ThreatThenAttack) and alert.fused_id in events:
            attack = events[alert.fused_id]
            threat = _threat_behind(attack, condition, context)
            attacks.append(_attack_statement(alert, attack, threat, index))
        elif alert.fused_id in said and armed(said[alert.fused_id], names):
            text = f"Quiet after a threat: {alert.evidence} (as of {alert.date})."
            quiet.append(Statement(text, statement_refs(said[alert.fused_id], index)))
        elif alert.fused_id in said:
            others += 1
    days = next((c.days for c in conditions.values() if isinstance(c, ThreatThenAttack)), 14)
    found = [*attacks, *quiet][:MAX_FOLLOW_UPS]
    if not attacks:
        found.insert(0, Statement(
            f"No attack in the period came within {days} days of a threat by the group behind "
            "it (or one it fronts or fights for)."
        ))  # fmt: skip
    if others:
        found.append(Statement(
            f"{plural(others, 'threat')} by states or officials {'was' if others == 1 else 'were'}"
            " followed by weeks without an attack by their side (the threat-then-quiet indicator)."
        ))  # fmt: skip
    return found


def _threat_behind(
    attack: FusedEvent, condition: ThreatThenAttack, context: Context
) -> model.Statement | None:
    """The latest threat of the attack's actors within the condition's days before it."""
    day, involved = attack.event.date, context.involved(attack.event)
    earlier = [
        s
        for s in context.statements
        if s.kind in condition.kinds
        and s.date is not None
        and 0 <= (day - s.date).days <= condition.days
        and {s.speaker_id, s.group_id} & involved
    ]
    return max(earlier, key=lambda s: (statement_day(s), s.id)) if earlier else None


def _attack_statement(
    alert: Alert, attack: FusedEvent, threat: model.Statement | None, index: SourceIndex
) -> Statement:
    event = attack.event
    place = event.place.name if event.place else "an unknown place"
    refs = index.spans(event.sources[:1])
    if threat is not None:
        refs = tuple(dict.fromkeys([*statement_refs(threat, index), *refs]))
    text = (
        f"{THEN_ATTACK}: the {event.sub_event_type.lower()} at {place} on {event.date} "
        f"came {alert.evidence}."
    )
    return Statement(text, refs)
