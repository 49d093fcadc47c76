"""From mentions to events, within one document.

Dated mentions become drafts (one per date); drafts that describe the same event
are merged; undated mentions then fill in what they add (munitions, places,
victims, claims) to the dated drafts they fit. Fusion across documents is the
resolve stage's work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from watchfloor.extract.context import SPEECH_VERBS, DocContext
from watchfloor.extract.events import EventMention, km_between
from watchfloor.extract.lexicon import EventLexicon
from watchfloor.extract.responsibility import Responsibility
from watchfloor.model import Attribution, Claim, DatePrecision, Event, EventActor, Place

T = TypeVar("T")

RESPONSE_WINDOW = dt.timedelta(days=30)
# Protest and riot types, by severity: one crowd event takes the most severe that applies.
CROWD_TYPES = {
    "Peaceful protest": 0,
    "Mob violence": 1,
    "Violent demonstration": 2,
    "Protest with intervention": 3,
    "Excessive force against protesters": 4,
}
CONTEXT_CHARS = 600
SAME_SPOT_KM = 5.0
HEADLINE_CHARS = 400
# Developments that are news without a place: a deal signed abroad, an arrest "in Iraq".
PLACELESS_DEVELOPMENTS = frozenset({"Agreement", "Arrests"})


@dataclass
class Draft:
    """An event being assembled from one or more mentions."""

    date: dt.date
    date_end: dt.date | None
    precision: DatePrecision
    mentions: list[EventMention] = field(default_factory=list)
    place: Place | None = None
    sub_event_type: str = "Attack"
    claims: list[Claim] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        """True when some mention gives this draft the field `name`."""
        return any(getattr(m, name) for m in self.mentions)


def build_events(
    ctx: DocContext,
    mentions: list[EventMention],
    responsibility: list[Responsibility],
    lexicon: EventLexicon,
) -> list[Event]:
    """The document's events, each with every mention, claim and attribution behind it."""
    drafts: list[Draft] = []
    owners: dict[int, list[Draft]] = {}
    for mention in mentions:
        for draft in _drafts(mention, ctx, lexicon):
            _add_draft(draft, mention, drafts, owners, lexicon)
    if not drafts:
        drafts = _publication_dated(mentions, ctx, owners)
    for mention in mentions:
        if not mention.dated:
            _enrich(mention, drafts, owners, lexicon)
    for mention in mentions:
        if not mention.dated and id(mention) not in owners and _specific(mention):
            _date_by_context(mention, ctx, drafts, owners, lexicon)
    _attach(responsibility, owners)
    _type_by_document(drafts, lexicon)
    drafts = _merge_same(drafts, lexicon)
    kept = [d for d in drafts if _placed_if_needed(d, lexicon)]
    return [_event(n, draft, ctx, lexicon) for n, draft in enumerate(kept, start=1)]


def _type_by_document(drafts: list[Draft], lexicon: EventLexicon) -> None:
    """An attack with no weapon named takes the type the document gives attacks there.

    "Both Taji attacks" in a report whose other Taji attack was a rocket attack; with
    no place, the document's one specific type of attack, if it has only one.
    """
    specific = [d for d in drafts if d.sub_event_type != "Attack" and _violent_type(d, lexicon)]
    kinds = {d.sub_event_type for d in specific}
    for draft in drafts:
        if draft.sub_event_type != "Attack":
            continue
        armed = {lexicon.weapons[m.weapon].sub_event_type for m in draft.mentions if m.weapon}
        armed.discard(None)
        if len(armed) == 1:  # "the strikes hit ... the overnight air strikes killed ..."
            draft.sub_event_type = str(next(iter(armed)))
            draft.reasons.append("no weapon named where it is told: typed by the weapon of another")
            continue
        here = {d.sub_event_type for d in specific if draft.place and d.place == draft.place}
        if draft.place is not None:
            choice = here if len(here) == 1 else set()
        else:
            choice = kinds if len(kinds) == 1 else set()
        if choice:
            draft.sub_event_type = next(iter(choice))
            draft.reasons.append("no weapon named: typed like the document's other attacks")


def _violent_type(draft: Draft, lexicon: EventLexicon) -> bool:
    kind = lexicon.sub_types.get(draft.sub_event_type.lower())
    return kind is not None and kind.disorder_type.startswith("Political violence")


def _merge_same(drafts: list[Draft], lexicon: EventLexicon) -> list[Draft]:
    """Merge drafts that now describe the same event (same day, type and place)."""
    merged: list[Draft] = []
    for draft in drafts:
        target = _same_event(draft, merged, lexicon) or _retold(draft, merged)
        if target is None:
            merged.append(draft)
        else:
            _absorb(target, draft, lexicon)
            target.claims += [c for c in draft.claims if c not in target.claims]
            target.attributions += [a for a in draft.attributions if a not in target.attributions]
    return merged


def _retold(draft: Draft, drafts: list[Draft]) -> Draft | None:
    """'U.S. jets struck ... on Thursday night. The strikes fell early on Friday in Iraq.'

    An untyped, unplaced event named by the same word as a typed one, a day apart,
    retells it (time zones, nights); the window then spans both days.
    """
    if draft.sub_event_type != "Attack" or draft.place is not None:
        return None
    lemmas = {m.trigger.lemma_.lower() for m in draft.mentions}
    for other in drafts:
        if other.sub_event_type == "Attack" or not lemmas & {
            m.trigger.lemma_.lower() for m in other.mentions
        }:
            continue
        if abs((draft.date - other.date).days) <= 1 and draft.precision == other.precision == "day":
            first, last = sorted((draft.date, other.date))
            other.date, other.date_end = first, (last if last != first else other.date_end)
            return other
    return None


def _placed_if_needed(draft: Draft, lexicon: EventLexicon) -> bool:
    """A strategic development is only on the record with a place (as ACLED codes them)."""
    kind = lexicon.sub_types.get(draft.sub_event_type.lower())
    if kind is None or kind.event_type != "Strategic developments":
        return True
    return draft.place is not None or kind.name in PLACELESS_DEVELOPMENTS


def _violent(mention: EventMention, lexicon: EventLexicon) -> bool:
    kind = lexicon.sub_types.get(mention.sub_event_type.lower())
    return kind is None or kind.disorder_type.startswith("Political violence")


def _drafts(mention: EventMention, ctx: DocContext, lexicon: EventLexicon) -> list[Draft]:
    dates: list[tuple[dt.date, dt.date | None, DatePrecision]]
    if mention.dates:
        dates = [
            (d.date, d.date_end if d.date_end != d.date else None, d.precision)
            for d in mention.dates
        ]
    elif mention.response_to is not None and mention.response_to.dates:
        start = mention.response_to.dates[0].date
        end = min(start + RESPONSE_WINDOW, ctx.published or start + RESPONSE_WINDOW)
        dates = [(start, end, "month")]
        mention.reasons.append(f"dated by the event it answers: between {start} and {end}")
    else:
        return []
    if len(dates) == 1 and len(mention.places) > 1 and _violent(mention, lexicon):
        dates = dates * len(mention.places)
    places = _spread(mention.places, len(dates))
    drafts = []
    for (first, last, precision), place in zip(dates, places, strict=True):
        draft = Draft(date=first, date_end=last, precision=precision, mentions=[mention])
        draft.place = place
        draft.sub_event_type = mention.sub_event_type
        if len(mention.places) > 1 and len(dates) > 1:
            draft.reasons.append("place paired with date by order of mention")
        drafts.append(draft)
    return drafts


def _spread(places: list[Place], n: int) -> list[Place | None]:
    """Pair places with n dates in order; extra dates go to the first place."""
    spread: list[Place | None] = [None] * n
    if not places:
        return spread
    if len(places) >= n:
        spread[:] = places[:n]
        return spread
    extra = n - len(places)
    spread[:] = [places[0]] * (extra + 1) + places[1:]
    return spread


def _same_event(draft: Draft, drafts: list[Draft], lexicon: EventLexicon) -> Draft | None:
    """The document's event this draft tells again; the closest fit when several could."""
    fitting = [other for other in drafts if _could_be_one(draft, other, lexicon)]
    if not fitting:
        return None
    return max(fitting, key=lambda other: _closeness(draft, other))


def _could_be_one(draft: Draft, other: Draft, lexicon: EventLexicon) -> bool:
    if _answers(draft, other) or _answers(other, draft):
        return False  # a reprisal is not the attack it answers
    if not (_overlap(draft, other) and _places_fit(draft.place, other.place)):
        return False
    if draft.sub_event_type == other.sub_event_type:
        return True
    # a window borrowed from the event answered is too loose to join a generic attack
    loose = _answer_dated(draft) or _answer_dated(other)
    return not loose and _types_fit(draft.sub_event_type, other.sub_event_type, lexicon)


def _closeness(draft: Draft, other: Draft) -> tuple[bool, bool, bool]:
    same_place = draft.place is not None and other.place is not None
    same_place = same_place and _places_fit(draft.place, other.place)
    same_day = other.precision == "day" and draft.date == other.date
    return same_place, draft.sub_event_type == other.sub_event_type, same_day


def _answer_dated(draft: Draft) -> bool:
    """Dated only by the event it answers: its window starts on another event's day."""
    return all(m.response_to is not None and not m.dates for m in draft.mentions)


def _answers(draft: Draft, other: Draft) -> bool:
    return any(
        m.response_to is not None and m.response_to in other.mentions for m in draft.mentions
    )


def _overlap(a: Draft, b: Draft) -> bool:
    return a.date <= (b.date_end or b.date) and b.date <= (a.date_end or a.date)


def _types_fit(a: str, b: str, lexicon: EventLexicon) -> bool:
    if a == b or (a in CROWD_TYPES and b in CROWD_TYPES):
        return True
    if "Attack" not in (a, b):
        return False
    other = b if a == "Attack" else a
    kind = lexicon.sub_types.get(other.lower())
    return kind is not None and kind.disorder_type.startswith("Political violence")


def _places_fit(a: Place | None, b: Place | None) -> bool:
    """Same place, or no place on one side, or two names for one spot (within 5 km)."""
    if a is None or b is None:
        return True
    if (a.place_id or a.name) == (b.place_id or b.name):
        return True
    return km_between(a, b) < SAME_SPOT_KM


def _absorb(target: Draft, draft: Draft, lexicon: EventLexicon) -> None:
    target.mentions.extend(m for m in draft.mentions if m not in target.mentions)
    target.place = target.place or draft.place
    if target.sub_event_type == "Attack":
        target.sub_event_type = draft.sub_event_type
    elif CROWD_TYPES.get(draft.sub_event_type, -1) > CROWD_TYPES.get(target.sub_event_type, -1):
        target.sub_event_type = draft.sub_event_type  # a protest met with force is coded so
    if draft.precision == "day" and target.precision != "day":
        target.date, target.date_end, target.precision = draft.date, draft.date_end, "day"
    target.reasons.extend(draft.reasons)
    del lexicon


def _publication_dated(
    mentions: list[EventMention], ctx: DocContext, owners: dict[int, list[Draft]]
) -> list[Draft]:
    """A news item whose text gives no date: its first events are dated by publication."""
    if ctx.published is None:
        return []
    drafts: list[Draft] = []
    for mention in mentions:
        if any(_types_fit_plain(d.sub_event_type, mention.sub_event_type) for d in drafts):
            continue
        vague = not (mention.places or mention.weapon or mention.munitions)
        if mention.sub_event_type == "Attack" and (vague or _headline(mention)):
            continue  # "a pause in attacks", "attacks on power lines": nothing to place or date
        kind = mention.trigger.tag_ == "NNS" and mention.count == 1 and not mention.places
        if kind and mention.sub_event_type not in CROWD_TYPES:
            continue  # "not for small bombings against convoys": a kind of attack, not one
        draft = Draft(
            date=ctx.published - dt.timedelta(days=1),
            date_end=ctx.published,
            precision="week",
            mentions=[mention],
            place=mention.places[0] if mention.places else None,
            sub_event_type=mention.sub_event_type,
            reasons=["no date in the text: dated by the publication date"],
        )
        drafts.append(draft)
        owners.setdefault(id(mention), []).append(draft)
    return drafts


def _specific(mention: EventMention) -> bool:
    """An undated mention that names one concrete event: a place and a weapon or a toll."""
    figures = mention.munitions or mention.fatalities or mention.injuries or mention.weapon
    if mention.trigger.tag_ == "NNS" and mention.count == 1:
        return False  # "rocket attacks on the base": a pattern, not one event
    if _headline(mention):
        return False  # a headline repeats the story; it adds, it does not count
    known = bool(mention.places) or any(a.role == "perpetrator" for a in mention.actors)
    typed = bool(figures) or (bool(mention.places) and not mention.typed_by_context)
    return known and typed and mention.count <= 2


def _headline(mention: EventMention) -> bool:
    sent = mention.trigger.sent
    opening = sent.start_char < HEADLINE_CHARS
    return opening and not sent.text.rstrip().endswith((".", "!", "?", '"', "”", ":"))


def _date_by_context(
    mention: EventMention,
    ctx: DocContext,
    drafts: list[Draft],
    owners: dict[int, list[Draft]],
    lexicon: EventLexicon,
) -> None:
    """Date a concrete but undated event by the story's last date before it.

    An event of the same type at the same place, already dated in the document, is
    taken to be the same one; dates of speaking ("said on Wednesday") do not count.
    """
    place = mention.places[0] if mention.places else None
    same = [
        d
        for d in drafts
        if _types_fit(mention.sub_event_type, d.sub_event_type, lexicon)
        and _places_fit(place, d.place)
        and (place is None or d.place is not None)
        and not _cause_beside(mention, d, lexicon)
    ]
    if same:
        same[0].mentions.append(mention)
        owners.setdefault(id(mention), []).append(same[0])
        return
    before = [
        d
        for d in ctx.dates
        if d.end <= mention.trigger.idx and d.precision == "day" and not _spoken(ctx, d.start)
    ]
    near = [d for d in before if mention.trigger.idx - d.end < CONTEXT_CHARS]
    if near:
        date = near[-1]
        draft = Draft(date=date.date, date_end=None, precision="day", mentions=[mention])
        draft.reasons.append(f"no date in its sentence: dated by '{date.text}' before it")
    elif told := [
        d
        for d in drafts
        if d.precision == "day" and _types_fit(mention.sub_event_type, d.sub_event_type, lexicon)
    ]:  # "a briefing the day of the attack ... Iran launched 16 missiles": the story's attack
        target = max(told, key=lambda d: d.sub_event_type == mention.sub_event_type)
        target.mentions.append(mention)
        owners.setdefault(id(mention), []).append(target)
        return
    elif ctx.published is not None:
        start = ctx.published - dt.timedelta(days=1)
        draft = Draft(date=start, date_end=ctx.published, precision="week", mentions=[mention])
        draft.reasons.append("no date in the text near it: dated by the publication date")
    else:
        return
    draft.place = place
    draft.sub_event_type = mention.sub_event_type
    _add_draft(draft, mention, drafts, owners, lexicon)


def _cause_beside(mention: EventMention, draft: Draft, lexicon: EventLexicon) -> bool:
    """The draft is told in this sentence as what the mention answers ('... for the barrage')."""
    preps = lexicon.cue("response_preps")
    return any(
        m.trigger.sent == mention.trigger.sent
        and m.trigger.dep_ == "pobj"
        and m.trigger.head.lower_ in preps
        for m in draft.mentions
    )


def _add_draft(
    draft: Draft,
    mention: EventMention,
    drafts: list[Draft],
    owners: dict[int, list[Draft]],
    lexicon: EventLexicon,
) -> None:
    """Merge the draft into the document's same event, or add it as a new one."""
    target = _same_event(draft, drafts, lexicon)
    if target is None:
        drafts.append(draft)
        target = draft
    else:
        _absorb(target, draft, lexicon)
    owners.setdefault(id(mention), []).append(target)


def _spoken(ctx: DocContext, char: int) -> bool:
    verb = ctx.governing_verb(char)
    return verb is not None and verb.lemma_.lower() in SPEECH_VERBS


def _types_fit_plain(a: str, b: str) -> bool:
    return a == b or "Attack" in (a, b)


def _enrich(
    mention: EventMention,
    drafts: list[Draft],
    owners: dict[int, list[Draft]],
    lexicon: EventLexicon,
) -> None:
    """An undated mention adds its details to the dated events it fits (at most `count`)."""
    place = mention.places[0] if mention.places else None
    here = [
        d
        for d in drafts
        if place is not None
        and d.place is not None
        and _types_fit(mention.sub_event_type, d.sub_event_type, lexicon)
        and _places_fit(place, d.place)
    ]
    if len(here) == 1:  # "the K-1 attack": the one event the story already placed there
        here[0].mentions.append(mention)
        owners.setdefault(id(mention), []).append(here[0])
        return
    fitting = [d for d in drafts if _types_fit(mention.sub_event_type, d.sub_event_type, lexicon)]
    if place is None and len(fitting) == 1 and _definite(mention):
        fitting[0].mentions.append(mention)  # "KH was behind the attack": the story's one attack
        owners.setdefault(id(mention), []).append(fitting[0])
        return
    story = [
        d
        for d in _told_just_before(mention, drafts)
        if _types_fit(mention.sub_event_type, d.sub_event_type, lexicon)
        and _places_fit(place, d.place)
    ]
    plural = mention.trigger.tag_ == "NNS" and _definite(mention, plural=True)
    if story and ((mention.count == 1 and not plural) or (plural and len(story) > 1)):
        # "Rockets hit Taji on Saturday. ... 25 rockets struck the base.": the same attack;
        # "Iran fired missiles at two bases ... The IRGC claimed the strikes": both
        for draft in story if plural else story[:1]:
            draft.mentions.append(mention)
            draft.place = draft.place or place
            owners.setdefault(id(mention), []).append(draft)
        return
    fits = [
        d
        for d in drafts
        if _types_fit(mention.sub_event_type, d.sub_event_type, lexicon)
        and _places_fit(place, d.place)
        and _adds_something(mention, d)
    ]
    if place is not None:
        fits.sort(key=lambda d: d.place is None)
    for draft in fits[: max(mention.count, 1)]:
        draft.mentions.append(mention)
        draft.place = draft.place or place
        owners.setdefault(id(mention), []).append(draft)


def _definite(mention: EventMention, *, plural: bool = False) -> bool:
    """'the attack', 'the strike' (or, plural, 'the strikes'): with the definite article."""
    trigger = mention.trigger
    return trigger.tag_ == ("NNS" if plural else "NN") and any(
        c.lower_ in ("the", "this", "that") and c.dep_ == "det" for c in trigger.children
    )


def _told_just_before(mention: EventMention, drafts: list[Draft]) -> list[Draft]:
    """The events told with their dates in the nearest of the three sentences before."""
    sent = mention.trigger.sent
    sentences = list(sent.doc.sents)
    here = next(n for n, s in enumerate(sentences) if s.start == sent.start)
    for previous in reversed(sentences[max(0, here - 3) : here]):
        told = [
            d
            for d in drafts
            if any(
                m.trigger.sent.start == previous.start
                and m.dates
                and not all(x.reason == "offset" for x in m.dates)
                for m in d.mentions
            )
        ]
        if told:
            return told
    return []


def _adds_something(mention: EventMention, draft: Draft) -> bool:
    for name in ("munitions", "fatalities", "injuries"):
        if getattr(mention, name, None) is not None and not draft.has(name):
            return True
    victims = {a.actor_id for a in mention.actors if a.role == "victim"}
    known = {a.actor_id for m in draft.mentions for a in m.actors if a.role == "victim"}
    if victims and victims <= known:
        return True
    return bool(mention.places) and draft.place is None


def _attach(responsibility: list[Responsibility], owners: dict[int, list[Draft]]) -> None:
    for item in responsibility:
        for mention in item.mentions:
            for draft in owners.get(id(mention), []):
                if item.claim is not None and item.claim not in draft.claims:
                    draft.claims.append(item.claim)
                if item.attribution is not None and item.attribution not in draft.attributions:
                    draft.attributions.append(item.attribution)


def _speaks_for(speaker_id: str, actor_id: str, ctx: DocContext) -> bool:
    """The Pentagon reporting a U.S. strike acknowledges it; it does not attribute it."""
    if speaker_id == actor_id:
        return True
    speaker, actor = ctx.actors_kb.get(speaker_id), ctx.actors_kb.get(actor_id)
    if speaker is None or actor is None:
        return False
    if actor.kind == "state" and speaker.country and speaker.country in (actor.country, actor.name):
        return True
    parents = {r.object for r in speaker.relations if r.relation == "part_of"}
    if actor_id in parents:
        return True
    root = _state_root(speaker_id, ctx)  # state media on the state's own forces
    return root is not None and root == _state_root(actor_id, ctx)


def _state_root(actor_id: str, ctx: DocContext) -> str | None:
    actor = ctx.actors_kb.get(actor_id)
    for _ in range(4):
        if actor is None or actor.kind == "state":
            break
        parent = next((r.object for r in actor.relations if r.relation == "part_of"), None)
        actor = ctx.actors_kb.get(parent) if parent else None
    return actor.actor_id if actor is not None else None


def _own_account(mention: EventMention, actor: EventActor, ctx: DocContext) -> Claim | None:
    """'Iranian state TV said the Guards' missiles killed 80': the attacker's side speaking.

    A force's own state media announcing its attack is its claim (and its figures
    are the claimant's); a state's ministry on the state's strike is an acknowledgement.
    """
    speaker = mention.reported_by
    own = ctx.actors_kb.get(actor.actor_id)
    if speaker is None or own is None or own.kind == "state":
        return None
    if speaker == actor.actor_id or not _speaks_for(speaker, actor.actor_id, ctx):
        return None
    return Claim(
        claimant_id=actor.actor_id,
        claimant_name=actor.name,
        claimed_on=ctx.published,
        channel="state media",
        document_id=ctx.document_id,
        span=mention.span,
    )


def _event(n: int, draft: Draft, ctx: DocContext, lexicon: EventLexicon) -> Event:
    kind = lexicon.sub_types.get(draft.sub_event_type.lower())
    actors = _actors(draft)
    attributions = list(draft.attributions)
    for mention in draft.mentions:
        if mention.reported_by and not mention.in_claimant_voice:
            for actor in mention.actors:
                own = _own_account(mention, actor, ctx) if actor.role == "perpetrator" else None
                if own is not None and own not in draft.claims:
                    draft.claims.append(own)
                if actor.role == "perpetrator" and not _speaks_for(
                    mention.reported_by, actor.actor_id, ctx
                ):
                    attributions.append(
                        Attribution(
                            actor_id=actor.actor_id,
                            actor_name=actor.name,
                            by_actor_id=mention.reported_by,
                            estimative=mention.estimative,
                            document_id=ctx.document_id,
                            span=mention.span,
                        )
                    )
        if mention.estimative:
            for actor in mention.actors:
                if actor.role == "perpetrator":
                    attributions.append(
                        Attribution(
                            actor_id=actor.actor_id,
                            actor_name=actor.name,
                            estimative=mention.estimative,
                            document_id=ctx.document_id,
                            span=mention.span,
                        )
                    )
    for claim in draft.claims:
        if claim.claimant_id not in {a.actor_id for a in actors if a.role == "claimant"}:
            actors.append(
                EventActor(actor_id=claim.claimant_id, name=claim.claimant_name, role="claimant")
            )
    for attribution in attributions:
        actors.append(
            EventActor(
                actor_id=attribution.actor_id, name=attribution.actor_name, role="attributed"
            )
        )
    first = _first(draft, "munitions")
    return Event(
        id=f"{ctx.document_id}-e{n}",
        date=draft.date,
        date_end=draft.date_end,
        date_precision=draft.precision,
        event_type=kind.event_type if kind else "Political violence",
        sub_event_type=kind.name if kind else draft.sub_event_type,
        disorder_type=kind.disorder_type if kind else None,
        place=draft.place,
        actors=_dedupe(actors),
        weapon=next((m.weapon for m in draft.mentions if m.weapon), None),
        munitions=first,
        fatalities=_first(draft, "fatalities"),
        injuries=_first(draft, "injuries"),
        claims=draft.claims,
        attributions=_dedupe(attributions),
        sources=_dedupe([m.span for m in draft.mentions if m.span is not None]),
        reasons=_dedupe([r for m in draft.mentions for r in m.reasons] + draft.reasons),
    )


def _first(draft: Draft, name: str) -> Any:
    """The first figure reported, preferring any source over the claimant's own words."""
    ordered = sorted(draft.mentions, key=lambda m: m.in_claimant_voice)
    return next((getattr(m, name) for m in ordered if getattr(m, name)), None)


def _actors(draft: Draft) -> list[EventActor]:
    return [
        a
        for m in draft.mentions
        for a in m.actors
        if not (m.estimative and a.role == "perpetrator")
    ]


def _dedupe(items: Iterable[T]) -> list[T]:
    seen: list[T] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
