"""The SITREP's record sections: the events table and claims set against attributions,
each statement with its sources, and the actor and weapon names they use.

Attacks are fused events (one per real attack, however many reports) of the violent
ACLED types (`analyse.outlook.is_attack`); other fused events are context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from watchfloor.analyse.attribution import STATE_KINDS
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.model import Attribution, Event
from watchfloor.report.sitrep_model import ClaimRow, EventRow, SourceIndex, SourceRef, Statement
from watchfloor.resolve.fusion import Estimate, FusedEvent

QUALIFIER_WORDS = {
    "exactly": "",
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "fewer_than": "fewer than ",
}
ROW_REFS = 6
ARMED_KINDS = frozenset({"militia", "front_group", "terrorist_group"})
BLOC_KINDS = frozenset({"collective", "alliance"})
SPEAKS_FOR = ("member_of", "leader_of", "spokesperson_of", "commander_of", "founder_of")


@dataclass(frozen=True)
class Names:
    """Actor and weapon names from the knowledge base, for the report's words."""

    kb: KnowledgeBase

    def actor(self, actor_id: str | None) -> str:
        """The actor's name, or its id when the knowledge base lacks it."""
        if not actor_id:
            return "an unnamed source"
        actor = self.kb.actors.get(actor_id)
        return actor.name if actor else actor_id

    def kind(self, actor_id: str) -> str:
        """The actor's kind ('unknown' when the knowledge base lacks it)."""
        actor = self.kb.actors.get(actor_id)
        return actor.kind if actor else "unknown"

    def munitions(self, weapon: str | None, count: int) -> str:
        """The counted noun of a weapon, plural unless one: 'rockets', 'missiles'."""
        noun = next((str(w["counts_as"]) for w in self.kb.weapons if w["id"] == weapon), "")
        if not noun or noun == "munition":
            noun = (weapon or "munition").replace("_", " ")
        if noun in ("ied", "rpg"):
            noun = noun.upper()
        return noun if count == 1 or noun.endswith("s") else f"{noun}s"

    def armed(self, actor_id: str) -> bool:
        """Whether the actor is an armed non-state group, a bloc with one among its members,
        or a person who leads, speaks or fights for either (knowledge base)."""
        kind = self.kind(actor_id)
        if kind == "person":
            return any(
                r.subject == actor_id and r.relation in SPEAKS_FOR and self._armed_group(r.object)
                for r in self.kb.relations
            )
        return self._armed_group(actor_id)

    def _armed_group(self, actor_id: str) -> bool:
        kind = self.kind(actor_id)
        if kind in ARMED_KINDS:
            return True
        return kind in BLOC_KINDS and any(
            r.object == actor_id
            and r.relation in ("member_of", "part_of")
            and self.kind(r.subject) in ARMED_KINDS
            for r in self.kb.relations
        )

    def within(self, member: str, group: str) -> bool:
        """Whether `member` is `group` or part of it (knowledge base, any depth)."""
        seen, todo = set(), [member]
        while todo:
            current = todo.pop()
            if current == group:
                return True
            seen.add(current)
            todo += [
                r.object
                for r in self.kb.relations
                if r.subject == current
                and r.relation in ("part_of", "member_of")
                and r.object not in seen
            ]
        return False


# -- events ----------------------------------------------------------------------------


def confirmed(estimate: Estimate | None) -> TypeGuard[Estimate]:
    """A figure some source other than the attacker's own account gives."""
    return estimate is not None and not all(f.claimed for f in estimate.figures)


def figure_text(estimate: Estimate | None, noun: str) -> str:
    """A fused figure in words, with the sources' range when they disagree.

    >>> from watchfloor.resolve.fusion import Figure
    >>> e = Estimate(best=18, qualifier="about", low=15, high=18, rule="r",
    ...              figures=[Figure(event_id="a", document_id="a", low=15)])
    >>> figure_text(e, "rockets")
    'about 18 rockets (reports: 15 to 18)'
    """
    if estimate is None:
        return ""
    qualifier = "" if estimate.best == 0 else QUALIFIER_WORDS[estimate.qualifier]
    best = f"{qualifier}{estimate.best} {noun}".strip()
    if estimate.low != estimate.high:
        best += f" (reports: {estimate.low} to {estimate.high})"
    if not confirmed(estimate):
        best += " (the attacker's own claim, unconfirmed)"
    return best


def event_row(fused: FusedEvent, names: Names, index: SourceIndex, *, attack: bool) -> EventRow:
    """One row of the events table, with one source sentence per reporting document."""
    event = fused.event
    place = event.place
    count = fused.munitions.best if fused.munitions else None
    weapon = event.weapon or (event.munitions.weapon if event.munitions else None)
    firsts = {s.document_id: s for s in reversed(event.sources)}
    return EventRow(
        fused_id=fused.id,
        date=event.date,
        date_end=event.date_end,
        place=place.name if place else "place unknown",
        admin1=(place.admin1 or "") if place else "",
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        weapon=(weapon or "").replace("_", " "),
        munitions=count,
        munitions_text=figure_text(fused.munitions, names.munitions(weapon, count or 0)),
        fatalities=fused.fatalities.best if confirmed(fused.fatalities) else None,
        fatalities_text=figure_text(fused.fatalities, "killed"),
        perpetrators=_actors(event, names, ("perpetrator",)),
        claimants=_claimants(event, names),
        attributed=tuple(
            dict.fromkeys(
                names.actor(a.actor_id)
                for a in event.attributions
                if not acknowledged(a, event, names)
            )
        ),
        targets=_actors(event, names, ("target", "victim")),
        n_sources=fused.n_sources,
        refs=index.spans([firsts[d] for d in sorted(firsts)], limit=ROW_REFS),
        is_attack=attack,
    )


def _claimants(event: Event, names: Names) -> tuple[str, ...]:
    """Who claimed the event, and the states that acknowledged it as theirs."""
    claimed = [
        names.actor(c.claimant_id)
        + (" (acknowledged)" if _owned(c.claimant_id, event, names) else "")
        for c in event.claims
    ]
    owned = [
        f"{names.actor(a.actor_id)} (acknowledged)"
        for a in event.attributions
        if acknowledged(a, event, names)
    ]
    return tuple(dict.fromkeys([*claimed, *owned]))


def _actors(event: Event, names: Names, roles: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names.actor(a.actor_id) for a in event.actors if a.role in roles))


# -- claims against attributions ------------------------------------------------------


def acknowledged(attribution: Attribution, event: Event, names: Names) -> bool:
    """Whether an 'attribution' is a state owning its own strike (said by itself or a part)."""
    actor = attribution.actor_id
    doer = any(a.actor_id == actor and a.role == "perpetrator" for a in event.actors)
    by = attribution.by_actor_id
    return doer and names.kind(actor) in STATE_KINDS and (by is None or names.within(by, actor))


def claim_rows(attacks: Sequence[FusedEvent], names: Names, index: SourceIndex) -> list[ClaimRow]:
    """The attacks that someone claimed or that a source blamed on someone, with sources."""
    rows = []
    for fused in attacks:
        event = fused.event
        claims = [
            Statement(
                _claim_words(c.claimant_id, c.claimed_on, c.channel, names), index.span(c.span)
            )
            for c in event.claims
        ]
        owned = [a for a in event.attributions if acknowledged(a, event, names)]
        claims += [
            Statement(
                f"{names.actor(a.actor_id)} acknowledged it "
                f"(announced by {names.actor(a.by_actor_id)})",
                index.span(a.span),
            )
            for a in owned
        ]
        blamed = [
            Statement(_blame_words(a, names), index.span(a.span))
            for a in event.attributions
            if a not in owned
        ]
        if claims or blamed:
            place = event.place.name if event.place else "place unknown"
            rows.append(ClaimRow(event.date, place, merged(claims), merged(blamed)))
    return rows


def merged(statements: Iterable[Statement]) -> tuple[Statement, ...]:
    """The statements once each by text, with the sources of their repeats.

    >>> [s.text for s in merged([Statement("a"), Statement("b"), Statement("a")])]
    ['a', 'b']
    """
    found: dict[str, list[SourceRef]] = {}
    for statement in statements:
        refs = found.setdefault(statement.text, [])
        refs += [r for r in statement.refs if r not in refs]
    return tuple(Statement(text, tuple(refs)) for text, refs in found.items())


def _claim_words(actor_id: str, day: dt.date | None, channel: str | None, names: Names) -> str:
    when = f" on {day.isoformat()}" if day else ""
    how = f" via {channel}" if channel else ""
    return f"Claimed by {names.actor(actor_id)}{when}{how}"


def _of(k: int, n: int) -> str:
    """'it' (one of one), 'both', 'all 3', '2 of them'."""
    if n == 1:
        return "it"
    if k == n:
        return "both" if n == 2 else f"all {n}"
    return f"{k} of them"


def _blame_words(attribution: Attribution, names: Names) -> str:
    word = f" ({attribution.estimative})" if attribution.estimative else ""
    by = names.actor(attribution.by_actor_id)
    return f"Attributed to {names.actor(attribution.actor_id)} by {by}{word}"


def claim_summary(
    attacks: Sequence[FusedEvent], names: Names, index: SourceIndex
) -> list[Statement]:
    """One statement per claimant: what it claimed, and to whom others attributed it."""
    claimants: dict[str, list[FusedEvent]] = {}
    for fused in attacks:
        for actor_id in dict.fromkeys(c.claimant_id for c in fused.event.claims):
            if not _owned(actor_id, fused.event, names):
                claimants.setdefault(actor_id, []).append(fused)
    # a claimant that others blame on another group first: that is the front-group story
    order = sorted(
        claimants.items(),
        key=lambda item: (not any(_blamed(f, names) for f in item[1]), -len(item[1]), item[0]),
    )
    statements = [_claimant_statement(a, own, names, index) for a, own in order]
    claimed = sum(1 for f in attacks if f.event.claims)
    blamed = sum(1 for f in attacks if _blamed(f, names))
    neither = sum(1 for f in attacks if not f.event.claims and not _blamed(f, names))
    statements.append(
        Statement(
            f"Of {plural(len(attacks), 'attack')}, {claimed} {_verb(claimed)} a claim of "
            f"responsibility, {blamed} an attribution by a third party, "
            f"and {neither} neither."
        )
    )
    return statements


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 attack', '3 attacks' (or the plural given).

    >>> plural(1, "attack"), plural(3, "attack"), plural(2, "sheep", "sheep")
    ('1 attack', '3 attacks', '2 sheep')
    """
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def _verb(n: int) -> str:
    return "carries" if n == 1 else "carry"


def _owned(actor_id: str, event: Event, names: Names) -> bool:
    """A state acknowledging its own strike: not a claim of responsibility to weigh."""
    doers = {a.actor_id for a in event.actors if a.role == "perpetrator"}
    return actor_id in doers and names.kind(actor_id) in STATE_KINDS


def _blamed(fused: FusedEvent, names: Names) -> list[Attribution]:
    event = fused.event
    claimants = {c.claimant_id for c in event.claims}
    return [
        a
        for a in event.attributions
        if not acknowledged(a, event, names) and a.actor_id not in claimants
    ]


def _claimant_statement(
    actor_id: str, own: Sequence[FusedEvent], names: Names, index: SourceIndex
) -> Statement:
    name, n = names.actor(actor_id), len(own)
    days = ", ".join(f.event.date.isoformat() for f in own)
    text = f"{name} claimed {n} attack{'s' if n != 1 else ''} ({days})"
    them = "them" if n != 1 else "it"
    pairs: dict[tuple[str | None, str], set[str]] = {}
    for fused in own:
        for a in _blamed(fused, names):
            if a.actor_id != actor_id:
                pairs.setdefault((a.by_actor_id, a.actor_id), set()).add(fused.id)
    if pairs:
        parts = [
            f"{names.actor(by)} attributed {_of(len(ids), n)} to {names.actor(to)}"
            for (by, to), ids in sorted(pairs.items(), key=lambda i: (-len(i[1]), str(i[0])))
        ]
        text += "; " + "; ".join(parts) + "."
    else:
        text += f"; no source on record attributes {them} to another group."
    spans = [c.span for f in own for c in f.event.claims if c.claimant_id == actor_id]
    spans += [a.span for f in own for a in _blamed(f, names)]
    return Statement(text, index.spans(spans))
