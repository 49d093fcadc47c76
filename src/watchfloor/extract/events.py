"""Event mentions: a trigger in a sentence, typed, dated, placed, with actors and figures.

A mention is what one sentence says about one event. Mentions with a date become
events; mentions without one ("two recent attacks on Balad air base used over 20 rockets
each") only add detail to the dated events they fit (see `merge`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from watchfloor.extract.context import DocContext, EntityRef
from watchfloor.extract.dates import DateMention
from watchfloor.extract.lexicon import EventLexicon, Hit
from watchfloor.extract.modality import clause_modality
from watchfloor.extract.numbers import NUMBER_WORDS
from watchfloor.model import Casualties, EventActor, Munitions, Place, SourceSpan

HAPPENED = frozenset({"asserted", "reported", "estimative"})
VERBS = frozenset({"VERB", "AUX"})
SPEECH = frozenset(
    {
        "say",
        "tell",
        "state",
        "announce",
        "declare",
        "report",
        "add",
        "claim",
        "testify",
        "confirm",
        "deny",
        "tweet",
        "post",
        "write",
        "brief",
        "warn",
        "accuse",
    }
)
CROWD_CONTROL = frozenset(
    {"Government regains territory", "Armed clash", "Non-state actor overtakes territory"}
)
PLACE_RANKS = {"city": 2, "town": 2, "governorate": 3, "region": 3, "country": 4}
NEAR_KM = 150.0
INSTANCES = frozenset({"including", "like", "notably", "especially"})
SHELLING = "Shelling/artillery/missile attack"
AIR_STRIKE = "Air/drone strike"
OFFSET = re.compile(
    r"\b(?:an?|(?P<n>one|two|three|four|five|six|seven|\d{1,2}))\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<rel>after|before)\s+(?:the|a|an|its|their)?\s*[\w'’. -]{0,30}$",
    re.IGNORECASE,
)
RESPONSE_NOUNS = frozenset({"retaliation", "response", "revenge", "reprisal", "answer"})
AHEAD = re.compile(r"\b(next|coming|upcoming|following)\b", re.IGNORECASE)
AIMED = frozenset({"at", "against", "into"})
BACKGROUND = frozenset({"since", "unlike", "like"})


@dataclass
class EventMention:
    """What one sentence says about one event."""

    trigger: Token
    sub_event_type: str
    dates: list[DateMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    actors: list[EventActor] = field(default_factory=list)
    weapon: str | None = None
    munitions: Munitions | None = None
    fatalities: Casualties | None = None
    injuries: Casualties | None = None
    count: int = 1
    each: bool = False
    estimative: str | None = None
    response_to: EventMention | None = None
    reasons: list[str] = field(default_factory=list)
    span: SourceSpan | None = None
    typed_by_context: bool = False
    in_claimant_voice: bool = False
    reported_by: str | None = None

    @property
    def dated(self) -> bool:
        """True when the sentence gives this event a date (or the event it answers has one)."""
        return bool(self.dates) or (self.response_to is not None and self.response_to.dated)


def find_mentions(ctx: DocContext, lexicon: EventLexicon) -> list[EventMention]:
    """Every event mention in the document, sentence by sentence."""
    mentions: list[EventMention] = []
    last: EventMention | None = None
    for sent in ctx.doc.sents:
        found = _sentence_mentions(sent, ctx, lexicon)
        if not found and last is not None and _same_paragraph(last, sent):
            _carry_casualties(sent, ctx, last)
        mentions.extend(found)
        last = found[-1] if found else last
    return mentions


def _same_paragraph(mention: EventMention, sent: Span) -> bool:
    between = sent.doc.text[mention.trigger.sent.end_char : sent.start_char]
    return "\n\n" not in between and sent.start - mention.trigger.sent.end < 60


def _carry_casualties(sent: Span, ctx: DocContext, mention: EventMention) -> None:
    """'Rockets hit the base. Two soldiers were wounded.': the toll belongs to the attack.

    Only an event told with its date takes it: one merely named ("responsible for
    the K-1 attack") is not what the next sentence goes on to tell.
    """
    for kind, attribute in (("killed", "fatalities"), ("wounded", "injuries")):
        figures = [f for f in ctx.casualties_in(sent) if f.kind == kind]
        if figures and getattr(mention, attribute) is None and mention.dated:
            span = SourceSpan(
                document_id=ctx.document_id,
                start=figures[0].start,
                end=figures[-1].end,
                text=ctx.text[figures[0].start : figures[-1].end],
            )
            total = sum(f.count for f in figures)
            setattr(mention, attribute, Casualties(min=total, max=None, span=span))
            mention.reasons.append(f"{attribute} from the sentence after it")


def _sentence_mentions(sent: Span, ctx: DocContext, lexicon: EventLexicon) -> list[EventMention]:
    hits = _triggers(sent, lexicon)
    if not hits:
        return []
    weapons = _weapon_hits(sent, lexicon)
    heads = {sent.doc[hit.start : hit.end].root.i: hit for hit in hits}
    heads = {i: hit for i, hit in heads.items() if not _modifier(sent.doc[i], heads)}
    mentions: dict[int, EventMention] = {}
    for i, hit in heads.items():
        token = ctx.doc[i]
        mention = _mention(token, hit, sent, ctx, lexicon, weapons, heads)
        if mention is not None:
            mentions[i] = mention
    _join_coordinated(mentions)
    _hand_down_dates(mentions, heads, sent, ctx, lexicon)
    _date_by_offset(mentions, sent, ctx)
    _link_responses(mentions, lexicon)
    _assign_figures(sent, ctx, mentions, lexicon, weapons)
    return list(mentions.values())


def _triggers(sent: Span, lexicon: EventLexicon) -> list[Hit]:
    hits = list(lexicon.triggers.find(sent))
    impact = lexicon.cue("impact_verbs") | lexicon.cue("casualty_verbs")
    firing = lexicon.cue("firing_verbs")
    taken = {i for h in hits for i in range(h.start, h.end)}
    nouns = lexicon.cues.get("protest_nouns", {})
    for token in sent:
        if token.pos_ == "NOUN" and token.lower_ in nouns and token.i not in taken:
            hits.append(Hit(token.i, token.i + 1, nouns[token.lower_]))
    for weapon in _weapon_hits(sent, lexicon):
        token = sent.doc[weapon.end - 1]
        if token.i in taken or token.head.i in taken:
            continue
        head = token.head.lemma_.lower()
        if token.dep_ in ("nsubj", "nsubjpass") and head in impact:
            hits.append(Hit(token.i, token.i + 1, "generic"))
        elif (
            token.dep_ in ("dobj", "nsubjpass", "nsubj")
            and head in firing
            and token.head.pos_ == "VERB"
        ):
            # ("Rockets fired at the Green Zone caused damage": a rocket fires nothing, so
            # a rocket as the subject of 'fired' is a reduced relative the parser misread)
            hits.append(Hit(token.head.i, token.head.i + 1, "generic"))
            taken.add(token.head.i)
        elif fired := next(
            (c for c in token.children if c.dep_ == "acl" and c.lemma_.lower() in firing), None
        ):  # "15 missiles fired by the Guards hit the base"
            hits.append(Hit(fired.i, fired.i + 1, "generic"))
            taken.add(fired.i)
        elif _aimed(token):
            hits.append(Hit(token.i, token.i + 1, "generic"))
    return hits


def _weapon_hits(sent: Span, lexicon: EventLexicon) -> list[Hit]:
    """Weapon names in the sentence; a verb in the past is not one ('aircraft bombed ...').

    (A plural noun the tagger reads as a verb, 'Katyusha rockets', stays a weapon.)
    """
    found = lexicon.weapon_terms.find(sent)
    return [h for h in found if sent.doc[h.end - 1].tag_ not in ("VBD", "VBN", "VBG")]


def _modifier(token: Token, heads: dict[int, Hit]) -> bool:
    """'protest movement', 'rocket attack': a noun modifying another noun is not an event.

    (When the modified noun is itself a trigger, the two are one phrase anyway.)
    """
    return token.dep_ == "compound" and token.pos_ == "NOUN" and token.head.pos_ == "NOUN"


def _aimed(weapon: Token) -> bool:
    """'three rockets at Ain al-Asad on Monday': a weapon aimed at a place is an attack."""
    if any(c.dep_ == "prep" and c.lower_ in AIMED for c in weapon.children):
        return True
    # "brought three rockets at Ain al-Asad on Monday": the PP hangs on the verb
    verb = weapon.head
    return weapon.dep_ == "dobj" and any(
        c.dep_ == "prep" and c.lower_ in AIMED for c in verb.children
    )


def _mention(
    token: Token,
    hit: Hit,
    sent: Span,
    ctx: DocContext,
    lexicon: EventLexicon,
    weapons: list[Hit],
    heads: dict[int, Hit],
) -> EventMention | None:
    if token.dep_ in ("compound", "amod") and token.head.i in heads:
        return None
    if _nested(token, heads, lexicon):
        return None
    if (
        token.lemma_.lower() in RESPONSE_NOUNS
        and token.head.lower_ in ("in", "as")
        and len(heads) > 1
    ):
        return None  # "struck ... in retaliation for the attack": the strike is the event
    modality = clause_modality(token)
    mention = EventMention(trigger=token, sub_event_type=hit.value)
    status = modality.status
    if status not in HAPPENED and _enabled(token, ctx, lexicon):
        mention.reasons.append(f"'{modality.cue}' does not stop it: an order carried out on a date")
        status = "asserted"
    if status not in HAPPENED and _reduced_relative(token):
        mention.reasons.append("told in a past participle ('the general killed in a strike')")
        status = "asserted"

    if status not in HAPPENED:
        return None
    if status == "estimative":
        mention.estimative = (modality.cue or "likely").lower()
    if status == "reported":
        mention.reported_by = _speaker(token, ctx)
    mention.span = _sentence_span(sent, ctx.document_id)
    mention.dates = _dates(token, sent, ctx, heads, lexicon)
    if _background(token) and not any(d.precision == "day" for d in mention.dates):
        return None
    if any(a.lower_ == "without" and a.dep_ == "prep" for a in token.ancestors):
        return None  # "passed without the rocket fire that marked December"
    published = ctx.published or dt.date.max
    mention.dates = [d for d in mention.dates if d.date <= published]
    mention.count = _count(token)
    if _generic(token, lexicon, len(mention.dates)):
        return None
    mention.places = _places(token, sent, ctx, heads, lexicon)
    mention.actors = _actors(token, sent, ctx, heads, lexicon)
    mention.weapon = _weapon(token, weapons, lexicon)
    mention.typed_by_context = hit.value == "generic"
    mention.sub_event_type = _type(mention, token, sent, ctx, lexicon)
    return mention


def _dates(
    token: Token, sent: Span, ctx: DocContext, heads: dict[int, Hit], lexicon: EventLexicon
) -> list[DateMention]:
    """The dates that belong to this trigger; with one trigger, an unclaimed date too."""
    found = [d for d in ctx.dates_in(sent) if not AHEAD.search(d.text)]
    when = [d for d in found if _told_by_when(token, ctx, d)]
    if when:
        return when  # "since Wednesday, when Iran fired missiles at Ain al-Asad"
    dates = [d for d in found if not _since(ctx, d.start)]
    mine = [d for d in dates if ctx.anchor(d.start, heads, lexicon) == token.i]
    listed = _listed_after_colon(token, dates, ctx, heads, lexicon)
    if listed:
        return _finest([*mine, *listed])
    days = {(d.date, d.date_end) for d in dates}  # "Friday, 3 January" is one day
    if mine or not _alone(heads, sent.doc) or len(days) != 1:
        return mine
    date = dates[-1]
    verb = ctx.governing_verb(date.start)
    if verb is not None and verb.lemma_.lower() in SPEECH | lexicon.cue("claim_verbs"):
        return []
    return [date]


def _listed_after_colon(
    token: Token,
    dates: list[DateMention],
    ctx: DocContext,
    heads: dict[int, Hit],
    lexicon: EventLexicon,
) -> list[DateMention]:
    """'three of this month's attacks: the two on Taji, on March 11 and 14, and ...'.

    The days listed after a colon that follows a plural event noun are its events'.
    """
    if token.tag_ != "NNS":
        return []
    colon = next((t for t in token.sent if t.i > token.i and t.text == ":"), None)
    if colon is None or any(i in heads for i in range(token.i + 1, colon.i)):
        return []
    return [
        d
        for d in dates
        if d.start >= colon.idx
        and d.precision == "day"
        and ctx.anchor(d.start, heads, lexicon) in (None, token.i)
    ]


def _finest(dates: list[DateMention]) -> list[DateMention]:
    """Drop a window that holds the days given with it ('this month's': March 11, 14)."""
    days = [d for d in dates if d.precision == "day"]
    return [
        d
        for d in dates
        if d.precision == "day" or not any(d.date <= x.date <= d.date_end for x in days)
    ]


def _told_by_when(token: Token, ctx: DocContext, date: DateMention) -> bool:
    """The event of a 'when' clause that hangs on a date ("Wednesday, when ...")."""
    anchor = ctx.token_at(date.start)
    if anchor is None:
        return False
    for ancestor in [token, *token.ancestors]:
        if ancestor.dep_ in ("relcl", "advcl") and ancestor.head.i == anchor.i:
            return any(c.lower_ == "when" for c in ancestor.children)
    return False


def _alone(heads: dict[int, Hit], doc: Doc) -> bool:
    """True when the sentence tells of one event (coordinated triggers count as one)."""
    independent = [i for i in heads if not (doc[i].dep_ == "conj" and doc[i].head.i in heads)]
    return len(independent) == 1


def _since(ctx: DocContext, char: int) -> bool:
    """'the deadliest attack since January 21': a date of reference, not of this event."""
    token = ctx.token_at(char)
    before = ctx.text[max(0, char - 8) : char].strip().lower()
    return before.endswith("since") or (token is not None and token.head.lower_ == "since")


def _generic(token: Token, lexicon: EventLexicon, dates: int) -> bool:
    """True for event nouns that speak of a kind of event, not one: 'most such attacks'.

    A plural with a count of three or more and fewer dates than that is a tally
    ("at least 15 attacks since January"), not a list of events.
    """
    counted = {w.counts_as for w in lexicon.weapons.values()}
    if token.lemma_.lower() not in counted and dates < _count(token) and _count(token) >= 3:
        return True
    habitual = lexicon.cue("habitual_adverbs")
    if any(c.lower_ in habitual for c in token.children if c.dep_ == "advmod"):
        return True
    pattern = lexicon.cue("habitual_predicates")
    if token.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ in ("acomp", "attr", "oprd") and c.lemma_.lower() in pattern
        for c in token.head.children
    ):
        return True  # "rocket fire at the airport has become routine"
    if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() in counted:
        return False
    generic = lexicon.cue("generic_determiners")
    return any(t.lower_ in generic and not _in_number(t) for t in token.subtree if t.i < token.i)


def _in_number(token: Token) -> bool:
    """'more' in 'more than 30': part of a number, not a quantifier of the noun."""
    return token.dep_ == "quantmod" or token.head.like_num or token.head.dep_ == "nummod"


def _nested(token: Token, heads: dict[int, Hit], lexicon: EventLexicon) -> bool:
    """True when the trigger sits inside another trigger's phrase as part of that event.

    "attack the embassy under the guise of a protest": the protest is how the attack
    was done, not a second event; "retaliation for the attack" keeps both.
    """
    responses = lexicon.cue("response_preps")
    if token.dep_ == "conj" and token.head.i in heads:
        return False  # joined with its head later, keeping the more specific type
    for ancestor in token.ancestors:
        if ancestor.i in heads:
            return True
        if ancestor.pos_ in VERBS or (ancestor.dep_ == "prep" and ancestor.lower_ in responses):
            return False
        if ancestor.dep_ == "prep" and ancestor.lower_ in INSTANCES:
            return False  # "attacks on troops, including the March 11 barrage": its own event
    return False


def _count(token: Token) -> int:
    for child in token.children:
        if child.dep_ == "nummod" and child.like_num:
            try:
                return int(child.text.replace(",", ""))
            except ValueError:
                return _NUMBER_WORDS.get(child.lower_, 1)
    return 1


_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "dozen": 12,
    "dozens": 24,
}


def _speaker(token: Token, ctx: DocContext) -> str | None:
    """The actor whose words report the event ("the Pentagon said ..."), if named."""
    for ancestor in token.ancestors:
        if ancestor.lemma_.lower() in SPEECH:
            subjects = [c for c in ancestor.children if c.dep_ in ("nsubj", "agent")]
            for subject in subjects:
                first, last = subject.left_edge.idx, subject.right_edge.idx
                for ref in ctx.actors_in(token.sent):
                    if first <= ref.start_char <= last:
                        return ref.actor_id
            return None
    return None


def _reduced_relative(token: Token) -> bool:
    """'the general killed in a U.S. strike': the participle tells what happened."""
    head = token.head
    if token.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head.tag_ in ("VBN", "VBD") and head.dep_ == "acl"


def _background(token: Token) -> bool:
    """'the deadliest attack since a barrage on K-1 ...': a reference, not a report."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.dep_ in ("prep", "mark") and ancestor.lower_ in BACKGROUND:
            return True
        if ancestor.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in BACKGROUND for c in ancestor.children
        ):
            return True
        if ancestor.dep_ == "ROOT":
            return False
    return False


def _enabled(token: Token, ctx: DocContext, lexicon: EventLexicon) -> bool:
    """An event under an order or an enabling verb in the past, dated to the day, happened."""
    enabling = lexicon.cue("enabling_verbs")
    governor = token
    for _ in range(3):
        governor = governor.head
        if governor.lemma_.lower() in enabling and governor.tag_ in ("VBD", "VBN"):
            break
    else:
        return False
    sent = token.sent
    heads = {token.i: Hit(token.i, token.i + 1, "")}
    dates = [d for d in ctx.dates_in(sent) if d.precision == "day"]
    published = ctx.published or dt.date.max
    return any(
        d.date <= published and ctx.anchor(d.start, heads, lexicon) == token.i for d in dates
    )


def _sentence_span(sent: Span, document_id: str) -> SourceSpan:
    return SourceSpan(
        document_id=document_id, start=sent.start_char, end=sent.end_char, text=sent.text
    )


def _places(
    token: Token, sent: Span, ctx: DocContext, heads: dict[int, Hit], lexicon: EventLexicon
) -> list[Place]:
    refs = [
        r
        for r in ctx.places_in(sent)
        if r.place is not None
        and not _names_a_unit(ctx, r)
        and not _dateline(ctx, r)
        and not _origin(ctx, r)
    ]
    anchored = [r for r in refs if ctx.anchor(r.start_char, heads, lexicon) == token.i]
    if not anchored and _alone(heads, sent.doc):
        anchored = [r for r in refs if ctx.anchor(r.start_char, heads, lexicon) is None]
    places = _unique_places([r.place for r in anchored if r.place is not None])
    return [p for p in places if not _broader(p, places)]


def _rank(place: Place) -> int:
    """1 for a site or district, 2 for a town or city, 3 for a province or region."""
    return PLACE_RANKS.get(place.kind or "", 1)


def _broader(place: Place, places: list[Place]) -> bool:
    """True when a more precise place nearby says the same: 'Balad air base, north of Baghdad'."""
    return any(
        _rank(other) < _rank(place) and _km(place, other) < NEAR_KM
        for other in places
        if other is not place
    )


def km_between(a: Place, b: Place) -> float:
    """Great-circle distance between two places (0 when either has no coordinates)."""
    return _km(a, b)


def _km(a: Place, b: Place) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return 0.0
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _dateline(ctx: DocContext, ref: EntityRef) -> bool:
    """'BAGHDAD, Jan. 8 (Wire) —': where the reporter files from, not where it happened."""
    return ref.start_char < 40 and ref.text.isupper() and len(ref.text) > 3


def _origin(ctx: DocContext, ref: EntityRef) -> bool:
    """'a young man from Diwaniyah': where someone comes from, not where it happened."""
    root = ctx.doc[ref.root]
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ == "from" and prep.head.pos_ in ("NOUN", "PROPN")


def _names_a_unit(ctx: DocContext, ref: EntityRef) -> bool:
    """'the 3rd Babil Emergency Police Regiment': the place names a unit, not where."""
    root = ctx.doc[ref.root]
    return root.dep_ == "compound" and root.head.pos_ == "PROPN"


def _unique_places(places: list[Place]) -> list[Place]:
    seen: set[str] = set()
    unique = []
    for place in places:
        key = place.place_id or place.name
        if key not in seen:
            seen.add(key)
            unique.append(place)
    return unique


def _actors(
    token: Token, sent: Span, ctx: DocContext, heads: dict[int, Hit], lexicon: EventLexicon
) -> list[EventActor]:
    actors: list[EventActor] = []
    for ref in ctx.actors_in(sent):
        if ref.actor_id is None:
            continue
        role = _role(ref, token, ctx, heads, lexicon) or _victim_by_position(
            ref, token, ctx, lexicon
        )
        if role is not None:
            actors.append(EventActor(actor_id=ref.actor_id, name=ref.name, role=role))
    return actors


def _role(
    ref: EntityRef, trigger: Token, ctx: DocContext, heads: dict[int, Hit], lexicon: EventLexicon
) -> str | None:
    root = ctx.doc[ref.root]
    casualty = lexicon.cue("casualty_verbs")
    if root.head.lemma_.lower() in casualty and root.dep_ in ("dobj", "nsubjpass", "appos", "conj"):
        doer = next((c for c in root.head.children if c.dep_ == "nsubj"), None)
        if doer is not None and doer.i in heads and doer.i != trigger.i:
            return None  # "a rocket attack killed two soldiers": the attack's victims
        return "victim"
    for ancestor in [root, *root.ancestors]:
        if ancestor.i == trigger.i:
            return _role_under(root, trigger)
        if ancestor.dep_ == "acl" and ancestor.head.i == trigger.i:
            continue  # "missiles fired by the Guards": the participle is the trigger's phrase
        if ancestor.pos_ in VERBS and ancestor.i != trigger.i:
            if ancestor.lemma_.lower() in lexicon.cue("light_verbs") and _governs(
                ancestor, trigger
            ):
                return "perpetrator" if root.dep_ in ("nsubj", "agent") else None
            if ancestor.lemma_.lower() in casualty and _governs(ancestor, trigger):
                return "victim"
            break
    if trigger.pos_ in VERBS and root.dep_ == "nsubj" and root.head.i == trigger.i:
        return "perpetrator"
    if root.dep_ == "nsubj" and _orders(root.head, trigger, lexicon):
        return "attributed"
    return None


def _orders(verb: Token, trigger: Token, lexicon: EventLexicon) -> bool:
    """True when `verb` is an order ("directed X to attack") that governs the trigger."""
    if verb.lemma_.lower() not in lexicon.cue("ordering_verbs"):
        return False
    return any(a.i == verb.i for a in trigger.ancestors)


def _victim_by_position(
    ref: EntityRef, trigger: Token, ctx: DocContext, lexicon: EventLexicon
) -> str | None:
    """Names right after 'killed' in 'the strike that killed X and Y' are its victims.

    The small parser often hangs such names elsewhere; position is the fallback.
    """
    casualty = lexicon.cue("casualty_verbs")
    for verb in trigger.children:
        if verb.lemma_.lower() in casualty and verb.dep_ in ("relcl", "acl"):
            between = ctx.doc[verb.i + 1 : ctx.doc[ref.root].i]
            if verb.i < ref.root and not any(t.pos_ in VERBS for t in between):
                return "victim"
    return None


def _role_under(root: Token, trigger: Token) -> str | None:
    """The role of an actor inside the trigger's own phrase."""
    path = [root, *[a for a in root.ancestors if a.i != trigger.i and trigger.is_ancestor(a)]]
    deps = {t.dep_ for t in path}
    preps = {t.head.lemma_.lower() for t in path if t.dep_ == "pobj"}
    if deps & {"dobj", "nsubjpass"} and not preps & {"by"}:
        return "target"  # "struck the coalition's base": whose base is what was hit
    if deps & {"nsubj", "agent", "poss", "compound", "nmod", "amod"} and not preps:
        return "perpetrator"
    if preps & {"on", "against", "at", "targeting"} or deps & {"dobj"}:
        return "target"
    if "by" in preps:
        return "perpetrator"
    return None


def _governs(verb: Token, trigger: Token) -> bool:
    return trigger.head.i == verb.i or verb.head.i == trigger.i


def _weapon(token: Token, weapons: list[Hit], lexicon: EventLexicon) -> str | None:
    near = [w for w in weapons if _close(token, token.doc[w.end - 1])]
    return near[0].value if near else None


def _close(trigger: Token, other: Token) -> bool:
    """True when `other` sits in the trigger's phrase or shares its verb."""
    if other.i == trigger.i or trigger.is_ancestor(other) or other.is_ancestor(trigger):
        return True
    return other.head.i == trigger.head.i


def _type(
    mention: EventMention, token: Token, sent: Span, ctx: DocContext, lexicon: EventLexicon
) -> str:
    protest = lexicon.cue("protest_cues")
    phrase = list(token.subtree) if token.pos_ in VERBS else [*token.subtree, token.head]
    violent = mention.sub_event_type == "generic" or mention.sub_event_type.lower() in (
        "attack",
        "mob violence",
    )
    if violent and any(_crowd_word(t, protest) for t in phrase):
        mention.reasons.append("violence in the course of a protest")
        return "Violent demonstration"
    if mention.sub_event_type in CROWD_CONTROL and _crowd(sent, lexicon):
        killed = any(f.kind == "killed" and f.count for f in ctx.casualties_in(sent))
        mention.reasons.append("force used on protesters")
        return "Excessive force against protesters" if killed else "Protest with intervention"
    if mention.sub_event_type == SHELLING and _fired_from_the_air(token, lexicon):
        mention.reasons.append("missiles fired from a drone or an aircraft: an air strike")
        return AIR_STRIKE
    if mention.sub_event_type != "generic":
        return mention.sub_event_type
    if mention.weapon is not None:
        weapon = lexicon.weapons[mention.weapon]
        if weapon.sub_event_type:
            return weapon.sub_event_type
    if any(a.role == "perpetrator" and ctx.is_state(a.actor_id) for a in mention.actors):
        mention.reasons.append("a state's forces attacked with no weapon named: typed as a strike")
        return AIR_STRIKE
    mention.reasons.append("no weapon named: typed as an attack")
    return "Attack"


def _fired_from_the_air(token: Token, lexicon: EventLexicon) -> bool:
    """'a Reaper drone fired missiles at two vehicles': the drone carries the missiles."""
    for hit in _weapon_hits(token.sent, lexicon):
        if lexicon.weapons[hit.value].sub_event_type != AIR_STRIKE:
            continue
        root = token.doc[hit.start : hit.end].root
        if root.i in {t.i for t in token.subtree} and root.i != token.i:
            return True
        if root.head.i == token.head.i and root.dep_ in ("nsubj", "agent"):
            return True
    return False


def _join_coordinated(mentions: dict[int, EventMention]) -> None:
    """'raided a site and arrested 14 men': one event, typed by its most specific verb."""
    for i in sorted(mentions, reverse=True):
        mention = mentions[i]
        trigger = mention.trigger
        if trigger.dep_ != "conj" or trigger.head.i not in mentions:
            continue
        head = mentions[trigger.head.i]
        if head.typed_by_context and not mention.typed_by_context:
            head.sub_event_type = mention.sub_event_type
        head.dates += [d for d in mention.dates if d not in head.dates]
        head.places += [p for p in mention.places if p not in head.places]
        head.actors += [a for a in mention.actors if a not in head.actors]
        head.reasons.append(f"'{trigger.text}' is part of the same event")
        del mentions[i]


def _hand_down_dates(
    mentions: dict[int, EventMention],
    heads: dict[int, Hit],
    sent: Span,
    ctx: DocContext,
    lexicon: EventLexicon,
) -> None:
    """Give a date that the parser hung too high to the event noun just before it.

    "struck sites on Sunday in retaliation for the attack on the base on Friday":
    'Friday' hangs on 'retaliation', which also holds 'attack'; the attack is the
    nearer event and has no date of its own, so the date is its. Dates hung on a
    trigger word that made no event, or a second date of one event, are handed down.
    """
    undated = [m for m in mentions.values() if not m.dates and m.trigger.pos_ == "NOUN"]
    if not undated:
        return
    loose = [
        d
        for d in ctx.dates_in(sent)
        if d.precision == "day"
        and not AHEAD.search(d.text)
        and not _since(ctx, d.start)
        and (anchor := ctx.anchor(d.start, heads, lexicon)) is not None
        and anchor not in mentions
    ]
    for mention in [m for m in mentions.values() if len(m.dates) > 1]:
        loose += mention.dates[1:]
    for date in loose:
        other = _nearer_event(date, undated, mentions)
        if other is None:
            continue
        for mention in mentions.values():
            if date in mention.dates:
                mention.dates.remove(date)
        other.dates.append(date)
        other.reasons.append(f"'{date.text}' follows it; the parse hung it higher")
        undated.remove(other)


def _date_by_offset(mentions: dict[int, EventMention], sent: Span, ctx: DocContext) -> None:
    """'struck depots on Thursday, a day after a rocket attack on the base': Wednesday.

    An undated event introduced by "N days after/before" takes the date of the
    sentence's dated event (or else the story's last date), moved by the offset.
    """
    dated = [m for m in mentions.values() if m.dates and m.dates[0].precision == "day"]
    story = [
        d
        for d in ctx.dates
        if d.precision == "day" and d.end <= sent.start_char and sent.start_char - d.end < 400
    ]
    for mention in mentions.values():
        if mention.dates or (not dated and not story) or mention.trigger.pos_ != "NOUN":
            continue
        before = sent.doc.text[sent.start_char : mention.trigger.idx]
        found = OFFSET.search(before)
        if found is None:
            continue
        days = NUMBER_WORDS.get(found["n"].lower()) or int(found["n"]) if found["n"] else 1
        days *= 7 if found["unit"].lower().startswith("week") else 1
        sign = -1 if found["rel"].lower() == "after" else 1
        anchor = dated[0].dates[0] if dated else story[-1]
        day = anchor.date + dt.timedelta(days=sign * days)
        mention.dates.append(replace(anchor, date=day, date_end=day, reason="offset"))
        mention.reasons.append(f"'{found[0].strip()}' {anchor.text} ({anchor.date}): {day}")


def _nearer_event(
    date: DateMention, undated: list[EventMention], mentions: dict[int, EventMention]
) -> EventMention | None:
    doc = undated[0].trigger.doc if undated else None
    span = doc.char_span(date.start, date.end, alignment_mode="expand") if doc else None
    if span is None:
        return None
    path = {a.i for a in span.root.ancestors}
    for other in undated:
        trigger = other.trigger
        between = range(trigger.i + 1, span.start)
        if not 0 < span.start - trigger.i <= 12 or any(i in mentions for i in between):
            continue
        shared = next((a for a in trigger.ancestors if a.i in path), None)
        if shared is not None and shared.i not in mentions:
            return other
    return None


def _crowd_word(token: Token, words: frozenset[str]) -> bool:
    """A protest word naming a crowd or a protest, not 'March' or a 'protest movement'."""
    if token.lemma_.lower() not in words or token.pos_ == "PROPN":
        return False
    return token.dep_ != "compound"


def _crowd(sent: Span, lexicon: EventLexicon) -> bool:
    people = lexicon.cue("protest_cues")
    return any(t.pos_ == "NOUN" and _crowd_word(t, people) for t in sent)


def _link_responses(mentions: dict[int, EventMention], lexicon: EventLexicon) -> None:
    """'The retaliation for the March 11 attack': the attack is its own event, answered."""
    preps = lexicon.cue("response_preps")
    for mention in mentions.values():
        token = mention.trigger
        if token.dep_ != "pobj" or token.head.lower_ not in preps:
            continue
        answering = _answering(token.head.head, mentions) or _framed_response(token, mentions)
        if answering is not None and answering is not mention:
            answering.response_to = mention


def _framed_response(token: Token, mentions: dict[int, EventMention]) -> EventMention | None:
    """'X struck ..., the Pentagon said, in retaliation for the attack': the PP hung on 'said'."""
    frame = token.head.head
    if frame.lemma_.lower() not in RESPONSE_NOUNS or frame.head.lower_ not in ("in", "as"):
        return None
    verbs = [m for m in mentions.values() if m.trigger.pos_ == "VERB" and m.trigger.i < frame.i]
    return verbs[0] if len(verbs) == 1 else None


def _answering(token: Token, mentions: dict[int, EventMention]) -> EventMention | None:
    """The event a 'for X' phrase hangs on: directly, or through 'in retaliation for X'."""
    for _ in range(3):
        if token.i in mentions:
            return mentions[token.i]
        if token.dep_ not in ("pobj", "prep") and token.lemma_.lower() not in RESPONSE_NOUNS:
            return None
        token = token.head
    return None


def _assign_figures(
    sent: Span,
    ctx: DocContext,
    mentions: dict[int, EventMention],
    lexicon: EventLexicon,
    weapons: list[Hit],
) -> None:
    """Munition counts and casualty figures go to the mention whose phrase holds them."""
    if not mentions:
        return
    counted = {w.counts_as: w.id for w in lexicon.weapons.values()}
    for quantity in ctx.quantities_in(sent):
        if quantity.lemma not in counted:
            continue
        owner = _owner(ctx.doc, quantity.start, mentions, lexicon)
        if owner is None or owner.munitions is not None:
            continue
        owner.munitions = Munitions(
            count=quantity.count,
            qualifier=quantity.qualifier,
            weapon=counted[quantity.lemma],
            span=SourceSpan(
                document_id=ctx.document_id,
                start=quantity.start,
                end=quantity.end,
                text=quantity.text,
            ),
        )
        owner.each = quantity.each
        owner.weapon = owner.weapon or counted[quantity.lemma]
        if owner.sub_event_type in ("Attack", "generic"):
            owner.sub_event_type = (
                lexicon.weapons[counted[quantity.lemma]].sub_event_type or "Attack"
            )
    _assign_casualties(sent, ctx, mentions, lexicon)
    del weapons


def _assign_casualties(
    sent: Span, ctx: DocContext, mentions: dict[int, EventMention], lexicon: EventLexicon
) -> None:
    killed = [f for f in ctx.casualties_in(sent) if f.kind == "killed"]
    wounded = [f for f in ctx.casualties_in(sent) if f.kind == "wounded"]
    for figures, attribute in ((killed, "fatalities"), (wounded, "injuries")):
        if not figures:
            continue
        owner = _owner(ctx.doc, figures[0].start, mentions, lexicon) or _main(mentions)
        total = sum(f.count for f in figures)
        span = SourceSpan(
            document_id=ctx.document_id,
            start=figures[0].start,
            end=figures[-1].end,
            text=ctx.doc.text[figures[0].start : figures[-1].end],
        )
        setattr(owner, attribute, Casualties(min=total, max=None, span=span))
    for mention in mentions.values():
        victims = {a.actor_id for a in mention.actors if a.role == "victim"}
        persons = [v for v in victims if ctx.is_person(v)]
        if mention.fatalities is None and persons:
            mention.fatalities = Casualties(min=len(persons), max=None)
            mention.reasons.append("fatalities counted from the named people killed")


def _owner(
    doc: Doc, char: int, mentions: dict[int, EventMention], lexicon: EventLexicon
) -> EventMention | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return None
    light = lexicon.cue("light_verbs") | lexicon.cue("casualty_verbs")
    for ancestor in [span.root, *span.root.ancestors]:
        if ancestor.i in mentions:
            return mentions[ancestor.i]
        if ancestor.pos_ in VERBS and (relative := _relative_owner(ancestor, mentions)):
            return relative
        if ancestor.pos_ in VERBS and ancestor.lemma_.lower() in light:
            for child in ancestor.children:
                if child.i in mentions and child.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    return mentions[child.i]
            if ancestor.head.i in mentions:
                return mentions[ancestor.head.i]
    return None


def _relative_owner(verb: Token, mentions: dict[int, EventMention]) -> EventMention | None:
    """'the attack on the base on Friday that killed a contractor': the clause is the attack's.

    The parser may hang a relative clause on the main verb; its pronoun subject
    still stands for the event noun just before it.
    """
    pronoun = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if pronoun is None or pronoun.lower_ not in ("that", "which"):
        return None
    before = [i for i in mentions if pronoun.i - 12 <= i < pronoun.i]
    return mentions[max(before)] if before else None


def _main(mentions: dict[int, EventMention]) -> EventMention:
    return next(iter(mentions.values()))
