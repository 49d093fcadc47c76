"""Who is behind a claimant: attributions on record, signatures, and competing hypotheses.

A claimant's signature (targets, places, weapons, munition scale, timing against the
calendar's anniversaries, claim channels) is compared with each known group's, taken
from the events where the group is perpetrator, claimant or attributed; the claimant's
own events are left out of the groups' profiles, so an attribution is not counted twice.

The Analysis of Competing Hypotheses (Heuer) rates each evidence item C (consistent),
I (inconsistent) or N (neither) against each hypothesis: each candidate parent group,
and "independent or unknown". A hypothesis's inconsistency is the summed weight of the
items rated I against it; the least inconsistent is favoured. Weights (log-odds units):

- an explicit attribution by a named state actor (kind state, state_force,
  government_body) 2.0; by another named actor 1.0; by an unnamed source 0.5;
- a document's estimative judgment (or stated relation) naming the parent: 2.0 when
  its word is "likely" or stronger, 1.0 for "roughly even" or a flat statement;
- the knowledge base's own front_of/proxy_of/part_of relation 0.5 (prior knowledge,
  not evidence from the documents); a claim on a deadline a group set 1.0;
- each signature feature 0.5; an attack near an anniversary tied to a group 0.5.

Probabilities are proportional to exp(-inconsistency). A conclusion resting on one
document is stated no firmer than "likely" (80%), on two no firmer than "very likely"
(95%). With less than 3.0 of diagnostic weight from documents, the evidence is too thin
and no group is named.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any, Literal

import pandas as pd

from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.knowledge.records import CalendarEntry, Deadline, RecurringDate
from watchfloor.model import Event
from watchfloor.store import Store

Rating = Literal["C", "I", "N"]
INDEPENDENT = "independent-or-unknown"
PARENT_KINDS = frozenset({"militia", "terrorist_group", "unknown"})
STATE_KINDS = frozenset({"state", "state_force", "government_body"})
PARENT_RELATIONS = frozenset({"front_of", "proxy_of", "part_of"})
ATTACKER_ROLES = frozenset({"perpetrator", "claimant", "attributed"})
CONTROL_CUES = ("control", "front", "proxy", "veneer", "cover", "behind", "directed",
                "wing", "affiliate", "part of", "linked")  # fmt: skip
FEATURES = ("targets", "places", "weapons", "scale", "timing", "channels")
ICD_203 = (
    ("almost no chance", 0.01, 0.05), ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45), ("roughly even", 0.45, 0.55), ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95), ("almost certain", 0.95, 0.99),
)  # fmt: skip
DOCUMENT_CAPS = {1: 0.80, 2: 0.95}
THIN_WEIGHT = 3.0
ANNIVERSARY_DAYS = 3
DEADLINE_DAYS = 1
MAX_NAMED = 4
MIN_EVENTS = 2


# -- signatures ------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """How a group attacks: what, where, with what, how hard, when, and how it claims."""

    actor_id: str
    events: int
    targets: Counter[str]
    places: Counter[str]
    weapons: Counter[str]
    munitions: tuple[int, ...]
    anniversaries: Counter[str]
    symbolic: int
    channels: Counter[str]


def attacker_roles(event: Event) -> dict[str, set[str]]:
    """Each actor's attacking roles in an event, claims and attributions included.

    >>> event = Event(id="e", date=dt.date(2020, 3, 11), event_type="x", sub_event_type="y")
    >>> attacker_roles(event)
    {}
    """
    roles: dict[str, set[str]] = {}
    for actor in event.actors:
        if actor.role in ATTACKER_ROLES:
            roles.setdefault(actor.actor_id, set()).add(actor.role)
    for claim in event.claims:
        roles.setdefault(claim.claimant_id, set()).add("claimant")
    for attribution in event.attributions:
        roles.setdefault(attribution.actor_id, set()).add("attributed")
    return roles


def near_anniversaries(
    day: dt.date, calendar: Sequence[CalendarEntry], *, days: int = ANNIVERSARY_DAYS
) -> list[RecurringDate]:
    """The calendar's anniversaries within `days` of a day.

    >>> from watchfloor.knowledge import load_knowledge
    >>> [a.id for a in near_anniversaries(dt.date(2021, 1, 4), load_knowledge().calendar)]
    ['soleimani-killed', 'parliament-expulsion-vote']
    """
    span = dt.timedelta(days=days)
    return [
        entry
        for entry in calendar
        if isinstance(entry, RecurringDate)
        and entry.kind == "anniversary"
        and entry.key_dates(day - span, day + span)
    ]


def group_signature(
    events: Iterable[Event],
    actor_id: str,
    *,
    calendar: Sequence[CalendarEntry] = (),
    exclude: frozenset[str] = frozenset(),
) -> Signature:
    """The signature of one group over the events where it attacks, claims or is blamed.

    >>> group_signature([], "kataib-hezbollah").events
    0
    """
    chosen = [e for e in events if e.id not in exclude and actor_id in attacker_roles(e)]
    near = [near_anniversaries(e.date, calendar) for e in chosen]
    return Signature(
        actor_id=actor_id,
        events=len(chosen),
        targets=Counter(a.actor_id for e in chosen for a in e.actors if a.role == "target"),
        places=Counter(_place(e) for e in chosen if e.place is not None),
        weapons=Counter(w for e in chosen if (w := _weapon(e))),
        munitions=tuple(e.munitions.count for e in chosen if e.munitions),
        anniversaries=Counter(a.id for found in near for a in found),
        symbolic=sum(1 for found in near if found),
        channels=Counter(
            c.channel for e in chosen for c in e.claims if c.channel and c.claimant_id == actor_id
        ),
    )


def _place(event: Event) -> str:
    place = event.place
    return (place.place_id or place.name) if place else ""


def _weapon(event: Event) -> str | None:
    return event.weapon or (event.munitions.weapon if event.munitions else None)


def _cosine(one: Counter[str], other: Counter[str]) -> float:
    if not one or not other:
        return math.nan
    dot = sum(one[k] * other[k] for k in one)
    norms = math.sqrt(sum(v * v for v in one.values())) * math.sqrt(
        sum(v * v for v in other.values())
    )
    return dot / norms


def compare_signatures(one: Signature, other: Signature) -> dict[str, float]:
    """Similarity (0 to 1, NaN where either lacks data) per feature, and their mean.

    >>> a = Signature("a", 2, Counter(), Counter(t=2), Counter(rocket=2), (20, 30),
    ...               Counter(), 0, Counter())
    >>> round(compare_signatures(a, a)["similarity"], 2)
    1.0
    """
    found = {
        "targets": _cosine(one.targets, other.targets),
        "places": _cosine(one.places, other.places),
        "weapons": _cosine(one.weapons, other.weapons),
        "scale": _scale(one.munitions, other.munitions),
        "timing": _timing(one, other),
        "channels": _cosine(one.channels, other.channels),
    }
    known = [v for v in found.values() if not math.isnan(v)]
    found["similarity"] = sum(known) / len(known) if known else math.nan
    return found


def _scale(one: Sequence[int], other: Sequence[int]) -> float:
    if not one or not other:
        return math.nan
    return math.exp(-abs(math.log1p(median(one)) - math.log1p(median(other))))


def _timing(one: Signature, other: Signature) -> float:
    if not one.events or not other.events:
        return math.nan
    shares = 1 - abs(one.symbolic / one.events - other.symbolic / other.events)
    which = _cosine(one.anniversaries, other.anniversaries)
    return shares if math.isnan(which) else (shares + which) / 2


def signature_ranking(
    events: Sequence[Event],
    claimant_id: str,
    *,
    candidates: Iterable[str] | None = None,
    calendar: Sequence[CalendarEntry] = (),
) -> pd.DataFrame:
    """Known groups ranked by how like the claimant's their signatures are.

    >>> signature_ranking([], "usbat-al-thairen").empty
    True
    """
    own = frozenset(e.id for e in events if claimant_id in attacker_roles(e))
    claimant = group_signature(events, claimant_id, calendar=calendar)
    if candidates is None:
        candidates = {a for e in events for a in attacker_roles(e)} - {claimant_id}
    rows = []
    for actor_id in sorted(set(candidates)):
        group = group_signature(events, actor_id, calendar=calendar, exclude=own)
        if group.events:
            rows.append({"actor_id": actor_id, "events": group.events,
                         **compare_signatures(claimant, group)})  # fmt: skip
    columns = ["actor_id", "events", *FEATURES, "similarity"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.sort_values(["similarity", "events"], ascending=False, na_position="last")
    return frame.reset_index(drop=True)


# -- evidence and hypotheses ---------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One evidence item of the ACH matrix, with its weight and its ratings."""

    text: str
    kind: str
    weight: float
    source: str
    ratings: dict[str, Rating]
    from_documents: bool = True

    @property
    def diagnosticity(self) -> float:
        """The item's weight where it tells hypotheses apart; 0 where it rates all alike."""
        return self.weight if len(set(self.ratings.values())) > 1 else 0.0


@dataclass(frozen=True)
class Conclusion:
    """The ACH's answer in ICD 203 words, or the statement that evidence is too thin."""

    favoured: str | None
    term: str | None
    probability: tuple[float, float] | None
    text: str


@dataclass
class ACH:
    """A matrix of hypotheses against evidence (Heuer's Analysis of Competing Hypotheses)."""

    hypotheses: list[str]
    names: dict[str, str]
    evidence: list[Evidence] = field(default_factory=list)

    def matrix(self) -> pd.DataFrame:
        """One row an evidence item: its ratings, weight, diagnosticity and source."""
        rows = [
            {"evidence": e.text, **{h: e.ratings.get(h, "N") for h in self.hypotheses},
             "weight": e.weight, "diagnosticity": e.diagnosticity, "source": e.source}
            for e in self.evidence
        ]  # fmt: skip
        return pd.DataFrame(
            rows, columns=["evidence", *self.hypotheses, "weight", "diagnosticity", "source"]
        )

    def inconsistency(self) -> pd.Series:
        """Each hypothesis's summed weight of evidence rated inconsistent with it."""
        scores = {
            h: sum(e.weight for e in self.evidence if e.ratings.get(h) == "I")
            for h in self.hypotheses
        }
        return pd.Series(scores, name="inconsistency", dtype="float64")

    def probabilities(self) -> pd.Series:
        """Probability of each hypothesis, proportional to exp(-inconsistency)."""
        odds = (-self.inconsistency()).map(math.exp)
        return (odds / odds.sum()).rename("probability")

    def conclude(self, claimant: str) -> Conclusion:
        """The favoured hypothesis in ICD 203 words, unless the evidence is too thin."""
        documented = sum(e.diagnosticity for e in self.evidence if e.from_documents)
        if documented < THIN_WEIGHT:
            return Conclusion(None, None, None, _thin(claimant, documented))
        probabilities = self.probabilities().sort_values(ascending=False, kind="stable")
        favoured = str(probabilities.index[0])
        sources = {e.source for e in self.evidence if e.from_documents
                   and e.diagnosticity and e.ratings.get(favoured) == "C"}  # fmt: skip
        cap = DOCUMENT_CAPS.get(len(sources), ICD_203[-1][2])
        term, low, high = icd_term(min(float(probabilities.iloc[0]), cap))
        return Conclusion(favoured, term, (low, high), self._sentence(claimant, favoured, term))

    def _sentence(self, claimant: str, favoured: str, term: str) -> str:
        low, high = next((lo, hi) for t, lo, hi in ICD_203 if t == term)
        words = f"{term} ({low * 100:.0f}-{high * 100:.0f}%)"
        if favoured == INDEPENDENT:
            return (f"{claimant} is {words} independent of the groups on record, "
                    "or its parent is not among them.")  # fmt: skip
        parent = self.names[favoured]
        return f"{claimant} is {words} a front for, or under the control of, {parent}."


def _thin(claimant: str, weight: float) -> str:
    return (
        f"The evidence on record is too thin to attribute {claimant} to any group: "
        f"the documents give {weight:.1f} of diagnostic weight, {THIN_WEIGHT:.1f} is needed."
    )


def icd_term(probability: float) -> tuple[str, float, float]:
    """The ICD 203 word whose range holds a probability, with the range.

    >>> icd_term(0.8)
    ('likely', 0.55, 0.8)
    """
    for term, low, high in ICD_203:
        if probability <= high:
            return term, low, high
    return ICD_203[-1]


def rate(
    named: Iterable[str],
    hypotheses: Sequence[str],
    *,
    loose: Iterable[str] = (),
    others: Rating = "I",
    independent: Rating,
) -> dict[str, Rating]:
    """C for the named groups, N for the `loose` (members of a named umbrella), `others`
    for the other groups, `independent` for the last.

    >>> rate(["kh"], ["kh", "aah", INDEPENDENT], independent="I")
    {'kh': 'C', 'aah': 'I', 'independent-or-unknown': 'I'}
    """
    chosen, vague = set(named), set(loose)
    ratings: dict[str, Rating] = {
        h: "C" if h in chosen else "N" if h in vague else others for h in hypotheses
    }
    ratings[INDEPENDENT] = independent
    return ratings


# -- gathering the evidence from the store -------------------------------------------


@dataclass(frozen=True)
class Finding:
    """An evidence item before the hypotheses are known: which groups it points at."""

    text: str
    kind: str
    weight: float
    source: str
    named: frozenset[str]
    independent: Rating
    others: Rating = "I"
    from_documents: bool = True
    loose: frozenset[str] = frozenset()

    def rated(self, hypotheses: Sequence[str]) -> Evidence:
        """The evidence item, rated against these hypotheses."""
        ratings = rate(self.named, hypotheses, loose=self.loose, others=self.others,
                       independent=self.independent)  # fmt: skip
        return Evidence(self.text, self.kind, self.weight, self.source, ratings,
                        self.from_documents)  # fmt: skip


@dataclass
class AttributionReport:
    """Everything `watchfloor attribute` says about one claimant."""

    claimant_id: str
    name: str
    attributions: pd.DataFrame
    prior: list[str]
    signatures: pd.DataFrame
    candidates: pd.DataFrame
    ach: ACH
    conclusion: Conclusion


class _Context:
    """The store's events and the knowledge base, seen from one claimant."""

    def __init__(self, store: Store, kb: KnowledgeBase, claimant_id: str) -> None:
        self.store, self.kb, self.claimant = store, kb, claimant_id
        self.events = [f.event for f in store.fused_events()] or store.events()
        self.own = [e for e in self.events if claimant_id in attacker_roles(e)]
        self.attackers = {a for e in self.events for a in attacker_roles(e)}
        self.members: dict[str, set[str]] = {}
        for r in kb.relations:
            if r.relation in ("member_of", "part_of"):
                self.members.setdefault(r.object, set()).add(r.subject)

    def name(self, actor_id: str | None) -> str:
        actor = self.kb.actors.get(actor_id or "")
        return actor.name if actor else (actor_id or "an unnamed source")

    def kind(self, actor_id: str) -> str:
        actor = self.kb.actors.get(actor_id)
        return actor.kind if actor else "unknown"

    def parents(self, ids: Iterable[str]) -> frozenset[str]:
        """The possible parent groups among ids: known armed groups, or unknown attackers."""
        return frozenset(
            i
            for i in ids
            if i
            and i != self.claimant
            and (self.kind(i) in PARENT_KINDS if i in self.kb.actors else i in self.attackers)
        )

    def loose(self, ids: Iterable[str]) -> frozenset[str]:
        """The possible parent groups that are members of an umbrella among ids."""
        return self.parents(m for i in ids for m in self.members.get(i, ()))

    def finding(self, text: str, kind: str, weight: float, source: str, ids: Iterable[str],
                **more: Any) -> Finding | None:  # fmt: skip
        """A finding that points at the parent groups among ids, or None if there is none."""
        ids = set(ids)
        named, loose = self.parents(ids), self.loose(ids)
        if not named and not loose:
            return None
        more.setdefault("independent", "I")
        return Finding(text, kind, weight, source, named, loose=loose - named, **more)


def attributions_on_record(events: Iterable[Event], claimant_id: str) -> pd.DataFrame:
    """The attributions of the events a claimant claimed: to whom, by whom, how sure, where.

    >>> attributions_on_record([], "usbat-al-thairen").empty
    True
    """
    rows = [
        {"event": e.id, "date": e.date, "attributed": a.actor_id, "by": a.by_actor_id,
         "estimative": a.estimative, "probability": a.probability,
         "document": a.document_id, "text": a.span.text if a.span else ""}
        for e in events if claimant_id in attacker_roles(e)
        for a in e.attributions if a.actor_id != claimant_id
    ]  # fmt: skip
    columns = ["event", "date", "attributed", "by", "estimative", "probability", "document", "text"]
    return pd.DataFrame(rows, columns=columns)


def _attribution_findings(ctx: _Context) -> list[Finding | None]:
    found = []
    for event in ctx.own:
        for attribution in event.attributions:
            probability, by = attribution.probability, attribution.by_actor_id
            if probability is not None and probability[1] < 0.45:
                continue  # an attribution judged unlikely is no support
            weight = 2.0 if by and ctx.kind(by) in STATE_KINDS else 1.0 if by else 0.5
            if probability is not None and probability[0] < 0.55:
                weight /= 2
            text = (f"{ctx.name(by)} attributes the {event.date} attack claimed by "
                    f"{ctx.name(ctx.claimant)} to {ctx.name(attribution.actor_id)}")  # fmt: skip
            found.append(ctx.finding(text, "attribution", weight, attribution.document_id,
                                     [attribution.actor_id]))  # fmt: skip
    return found


def _stated_findings(ctx: _Context) -> list[Finding | None]:
    """Relations that documents state, and judgments that name the claimant's parent."""
    strong = {t for t, low, _ in ICD_203 if low >= 0.55}
    found = [
        ctx.finding(f"A document states {ctx.name(r.subject)} {r.relation} {ctx.name(r.object)}",
                    "relation", 2.0 if r.estimative in strong else 1.0,
                    r.span.document_id if r.span else r.source, [r.object])
        for r in ctx.store.relations()
        if r.subject == ctx.claimant and r.relation in PARENT_RELATIONS
    ]  # fmt: skip
    mentions: dict[str, list[tuple[int, str]]] = {}
    for judgment in ctx.store.judgments():
        span, (low, high) = judgment.span, judgment.probability
        if span is None or high < 0.45 or not any(c in judgment.text.lower() for c in CONTROL_CUES):
            continue
        if span.document_id not in mentions:
            mentions[span.document_id] = [
                (m.span.start, m.resolved_id)
                for m in ctx.store.mentions(span.document_id) if m.resolved_id
            ]  # fmt: skip
        ids = {i for start, i in mentions[span.document_id] if span.start <= start < span.end}
        if ctx.claimant in ids:
            weight, independent = (2.0, "I") if low >= 0.55 else (1.0, "N")
            text = f"Judgment ({judgment.term}): {judgment.text}"
            found.append(ctx.finding(text, "judgment", weight, span.document_id, ids,
                                     independent=independent))  # fmt: skip
    return found


def _prior_findings(ctx: _Context) -> list[Finding | None]:
    source = "knowledge base (prior knowledge, not evidence from the documents)"
    return [
        ctx.finding(f"Knowledge base: {ctx.name(r.subject)} {r.relation} {ctx.name(r.object)}",
                    "prior", 0.5, source, [r.object], from_documents=False)
        for r in ctx.kb.relations
        if r.subject == ctx.claimant and r.relation in PARENT_RELATIONS
    ]  # fmt: skip


def _calendar_findings(ctx: _Context) -> list[Finding | None]:
    found: dict[str, Finding | None] = {}
    span = dt.timedelta(days=DEADLINE_DAYS)
    for event in ctx.own:
        days = {event.date, *(c.claimed_on for c in event.claims if c.claimed_on)}
        for entry in ctx.kb.calendar:
            if isinstance(entry, Deadline) and any(abs(d - entry.date) <= span for d in days):
                text = f"Attack or claim on {entry.date}, a deadline: {entry.what}"
                found.setdefault(entry.id, ctx.finding(
                    text, "deadline", 1.0, "calendar", [entry.set_by or ""], others="N",
                    from_documents=False))  # fmt: skip
        for anniversary in near_anniversaries(event.date, ctx.kb.calendar):
            text = f"Attack on {event.date}, within {ANNIVERSARY_DAYS} days of: {anniversary.what}"
            found.setdefault(anniversary.id, ctx.finding(
                text, "anniversary", 0.5, "calendar", anniversary.actors, others="N",
                independent="N", from_documents=False))  # fmt: skip
    return list(found.values())


def _signature_evidence(ranking: pd.DataFrame, hypotheses: Sequence[str]) -> list[Evidence]:
    rows: dict[str, dict[str, Any]] = {str(r["actor_id"]): r for r in _records(ranking)}
    found = []
    for feature in FEATURES:
        ratings: dict[str, Rating] = {h: "N" for h in hypotheses}
        for h, row in rows.items():
            value, enough = float(row[feature]), int(row["events"]) >= MIN_EVENTS
            if h in ratings and not math.isnan(value):
                ratings[h] = "C" if value >= 0.5 else "I" if value < 0.2 and enough else "N"
        if any(r != "N" for r in ratings.values()):
            text = f"Signature, {feature}: the claimant's compared with each group's"
            found.append(Evidence(text, "signature", 0.5, "store events", ratings))
    return found


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _hypotheses(ctx: _Context, findings: Sequence[Finding], ranking: pd.DataFrame) -> list[str]:
    """The named hypotheses: groups the evidence points at, then look-alikes, then groups
    named in the claimant's documents; at most MAX_NAMED."""
    score: dict[str, float] = {}

    def add(ids: Iterable[str], weight: float) -> None:
        for actor_id in ids:
            score[actor_id] = score.get(actor_id, 0.0) + weight

    for finding in findings:
        add(finding.named, finding.weight)
        add(finding.loose, 0.01)
    for row in _records(ranking):
        if float(row["similarity"]) >= 0.5:
            add([str(row["actor_id"])], 0.5 * float(row["similarity"]))
    documents = {s.document_id for e in ctx.own for s in e.sources}
    for document_id in sorted(documents):
        add(ctx.parents(m.resolved_id or "" for m in ctx.store.mentions(document_id)), 0.001)
    return [actor_id for actor_id, _ in sorted(score.items(), key=lambda i: (-i[1], i[0]))][
        :MAX_NAMED
    ]


def attribute(store: Store, kb: KnowledgeBase, claimant_id: str) -> AttributionReport:
    """Who is behind a claimant: attributions, signatures, candidates and the ACH.

    >>> with Store.open("desk.db") as store:                 # doctest: +SKIP
    ...     attribute(store, load_knowledge(), "saraya-awliya-al-dam").conclusion.text
    "Saraya Awliya al-Dam is likely (55%-80%) a front for, or under the control of, ..."
    """
    ctx = _Context(store, kb, claimant_id)
    table = attributions_on_record(ctx.events, claimant_id)
    pool = ctx.parents(ctx.attackers)
    ranking = signature_ranking(ctx.events, claimant_id, candidates=pool, calendar=kb.calendar)
    found = [*_attribution_findings(ctx), *_stated_findings(ctx), *_prior_findings(ctx),
             *_calendar_findings(ctx)]  # fmt: skip
    findings = [f for f in found if f is not None]
    named = _hypotheses(ctx, findings, ranking)
    hypotheses = [*named, INDEPENDENT]
    evidence = [f.rated(named) for f in findings] + _signature_evidence(ranking, named)
    names = {h: ctx.name(h) for h in named} | {INDEPENDENT: "independent or unknown"}
    ach = ACH(hypotheses, names, evidence)
    prior = [f.text for f in findings if f.kind == "prior"]
    return AttributionReport(
        claimant_id=claimant_id,
        name=ctx.name(claimant_id),
        attributions=table,
        prior=prior,
        signatures=ranking,
        candidates=_candidates(ach, ranking),
        ach=ach,
        conclusion=ach.conclude(ctx.name(claimant_id)),
    )


def _candidates(ach: ACH, ranking: pd.DataFrame) -> pd.DataFrame:
    """The hypotheses ranked: least inconsistent first, then the closest signature."""
    similarity = dict(zip(ranking["actor_id"], ranking["similarity"], strict=True))
    support = {h: sum(e.weight for e in ach.evidence if e.ratings.get(h) == "C")
               for h in ach.hypotheses}  # fmt: skip
    frame = pd.DataFrame(
        {
            "hypothesis": ach.hypotheses,
            "name": [ach.names[h] for h in ach.hypotheses],
            "inconsistency": ach.inconsistency().to_numpy(),
            "support": [support[h] for h in ach.hypotheses],
            "probability": ach.probabilities().to_numpy(),
            "similarity": [similarity.get(h, math.nan) for h in ach.hypotheses],
        }
    )
    frame = frame.sort_values(
        ["inconsistency", "support", "similarity"], ascending=[True, False, False], kind="stable"
    )
    return frame.reset_index(drop=True)
