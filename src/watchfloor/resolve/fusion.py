"""Event fusion: one event per real-world attack, however many documents report it.

Two reports are compatible when their types agree (the same ACLED sub-event type,
or one a generic "Attack" of political violence), their date windows overlap (a day
either way for day-precise reports), their places lie within `radius_km` (haversine)
and their actors do not contradict each other (one's attacker is the other's target,
or both name different perpetrators). Clustering is deterministic and independent of
the order documents came in: events are sorted by (date, id), candidate pairs are
joined strongest first, and two clusters join only when every pair across them is
compatible (complete linkage). A vague report (no place, or a window wider than a
week) joins a cluster only when exactly one cluster fits it. Analysts' corrections
pin events together (merge) or apart (split); the later correction wins for a pair.

Conflicting figures are kept: each fused figure carries its range over the sources
and a best estimate with the rule that chose it (an official figure over a
claimant's own; an exact figure over a qualified one; a later report over an
earlier one).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, TypeVar

from watchfloor.knowledge import load_knowledge
from watchfloor.model import (
    Attribution,
    Casualties,
    Claim,
    Event,
    EventActor,
    Munitions,
    Place,
    Qualifier,
    Record,
    SourceSpan,
)

DEFAULT_RADIUS_KM = 25.0
SAME_SPOT_KM = 5.0
AIR_STRIKE = "air/drone strike"
OPERATION_KM = 150.0  # the sites of one night's air strikes, across central Iraq
MISREAD_FIRE = "shelling/artillery/missile attack"
MISREAD_WEAPONS = {MISREAD_FIRE, AIR_STRIKE}
EARTH_RADIUS_KM = 6371.0
DAY_TOLERANCE = dt.timedelta(days=1)
# Reports with a date window wider than this are vague: they join only a unique fit.
VAGUE_WINDOW = dt.timedelta(days=7)
MONTH_WINDOW = dt.timedelta(days=31)
GENERIC = "attack"
ATTACKERS = frozenset({"perpetrator", "claimant"})
HIT = frozenset({"target", "victim"})
PRECISIONS = ("day", "week", "month", "quarter", "year", "unknown")
# Words that tell a sentence relays a claim of responsibility (in a document with one).
CLAIM_CUES = ("claim", "statement")
QUALIFIER_RANK = {"exactly": 3, "about": 2, "at_least": 1, "more_than": 1, "fewer_than": 1}

CorrectionKind = Literal["merge", "split"]
T = TypeVar("T")


class Correction(Record):
    """An analyst's correction: merge pins one group together, split pins groups apart.

    >>> Correction(kind="split", groups=[["a-e1"], ["b-e1"]]).kind
    'split'
    """

    kind: CorrectionKind
    groups: list[list[str]]


class Figure(Record):
    """One source's figure for a fused event: a count, and how sure it is."""

    event_id: str
    document_id: str
    low: int
    high: int | None = None
    qualifier: Qualifier = "exactly"
    published: dt.date | None = None
    claimed: bool = False
    span: SourceSpan | None = None


class Estimate(Record):
    """A fused figure: the best estimate with its rule, and the range over all sources."""

    best: int
    best_high: int | None = None
    qualifier: Qualifier = "exactly"
    low: int
    high: int
    rule: str
    figures: list[Figure]


class FusedEvent(Record):
    """One real-world event: the fused record, its member events and its figures."""

    id: str
    event: Event
    member_ids: list[str]
    document_ids: list[str]
    munitions: Estimate | None = None
    fatalities: Estimate | None = None

    @property
    def n_sources(self) -> int:
        """How many documents report the event."""
        return len(self.document_ids)


def fused_id(member_ids: Iterable[str]) -> str:
    """The fused event's id: a hash of its smallest member event id.

    >>> fused_id(["b-e1", "a-e2"]) == fused_id(["a-e2"])
    True
    """
    smallest = min(member_ids)
    return "f-" + hashlib.sha1(smallest.encode()).hexdigest()[:16]


# -- compatibility ------------------------------------------------------------


def window(event: Event) -> tuple[dt.date, dt.date]:
    """The first and last day an event may have happened on.

    >>> window(Event(id="e", date=dt.date(2020, 3, 1), date_precision="month",
    ...              event_type="x", sub_event_type="y"))
    (datetime.date(2020, 3, 1), datetime.date(2020, 3, 31))
    """
    if event.date_end is not None:
        return event.date, event.date_end
    start = event.date
    if event.date_precision == "week":
        return start, start + dt.timedelta(days=6)
    if event.date_precision == "month":
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if event.date_precision == "quarter":
        last = min(start.month + 2, 12)
        return start, dt.date(start.year, last, calendar.monthrange(start.year, last)[1])
    if event.date_precision == "year":
        return start, dt.date(start.year, 12, 31)
    return start, start


def distance_km(a: Place, b: Place) -> float | None:
    """The great-circle distance between two places, or None without coordinates.

    >>> round(distance_km(Place(name="a", lat=0, lon=0), Place(name="b", lat=0, lon=1)))
    111
    """
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlon = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def types_agree(a: Event, b: Event) -> bool:
    """Same sub-event type, or one a generic "Attack" and both political violence."""
    sub_a, sub_b = a.sub_event_type.casefold(), b.sub_event_type.casefold()
    if sub_a == sub_b:
        return True
    political = all(e.disorder_type in (None, "Political violence") for e in (a, b))
    return GENERIC in (sub_a, sub_b) and political


def weapon_misread(a: Event, b: Event, *, radius_km: float = DEFAULT_RADIUS_KM) -> bool:
    """Rockets in one report, a drone or air strike in another: one blast at one spot that day.

    First reports often guess the weapon ("rockets landed near the airport" for a
    drone strike). Allowed only for the same day, the same spot and both places known.
    """
    kinds = {a.sub_event_type.casefold(), b.sub_event_type.casefold()}
    if kinds != MISREAD_WEAPONS or a.place is None or b.place is None or not _same_day(a, b):
        return False
    fire = a if a.sub_event_type.casefold() == MISREAD_FIRE else b
    if _roles(fire, ATTACKERS) or fire.attributions:
        return False  # a report that knows who fired knows what was fired
    if a.place.place_id is not None and a.place.place_id == b.place.place_id:
        return True
    km = distance_km(a.place, b.place)
    town = max(a.place.geo_precision, b.place.geo_precision) >= 2
    return km is not None and km <= (radius_km if town else SAME_SPOT_KM)


def _same_day(a: Event, b: Event) -> bool:
    """Windows of at most two days that share a day (a first report dated 'last night')."""
    (start_a, end_a), (start_b, end_b) = window(a), window(b)
    short = all(end - start <= DAY_TOLERANCE for start, end in ((start_a, end_a), (start_b, end_b)))
    return short and max(start_a, start_b) <= min(end_a, end_b)


def dates_agree(a: Event, b: Event) -> bool:
    """The date windows overlap, with a day's slack when either report gives a day."""
    (start_a, end_a), (start_b, end_b) = window(a), window(b)
    slack = DAY_TOLERANCE if "day" in (a.date_precision, b.date_precision) else dt.timedelta()
    return max(start_a, start_b) - min(end_a, end_b) <= slack


def places_agree(a: Event, b: Event, *, radius_km: float = DEFAULT_RADIUS_KM) -> bool:
    """Same place, or within the radius; a report without a place agrees with any."""
    if a.place is None or b.place is None:
        return True
    pa, pb = a.place, b.place
    if pa.place_id is not None and pa.place_id == pb.place_id:
        return True
    km = distance_km(pa, pb)
    if km is not None and km <= radius_km:
        return True
    if max(pa.geo_precision, pb.geo_precision) == 3 and pa.admin1 and pa.admin1 == pb.admin1:
        return True
    return km is None and pa.name.casefold() == pb.name.casefold()


def actors_agree(a: Event, b: Event) -> bool:
    """No actor attacks in one and is hit in the other, and the perpetrators do not differ.

    Different claimants are fine; named perpetrators differ when neither event names
    the other's perpetrators in any role.
    """
    if _roles(a, ATTACKERS) & _roles(b, HIT) or _roles(b, ATTACKERS) & _roles(a, HIT):
        return False
    perp_a, perp_b = _roles(a, {"perpetrator"}), _roles(b, {"perpetrator"})
    if not perp_a or not perp_b or perp_a & perp_b:
        return True
    if _lineage_of(perp_a) & perp_b or _lineage_of(perp_b) & perp_a:
        return True  # the IRGC in one report, Iran in another
    return bool(perp_a & _involved(b) or perp_b & _involved(a))


LINEAGE = ("part_of", "front_of", "proxy_of")


@cache
def _lineage() -> dict[str, frozenset[str]]:
    """Each shipped actor's ancestors: what it is part of, a front or a proxy for."""
    parents: dict[str, set[str]] = {}
    for actor in load_knowledge().actors.values():
        parents[actor.actor_id] = {r.object for r in actor.relations if r.relation in LINEAGE}
    found: dict[str, frozenset[str]] = {}
    for actor_id, direct in parents.items():
        seen: set[str] = set()
        todo = list(direct)
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(parents.get(parent, ()))
        found[actor_id] = frozenset(seen)
    return found


def _lineage_of(actor_ids: set[str]) -> set[str]:
    lineage = _lineage()
    return set().union(*(lineage.get(a, frozenset()) for a in actor_ids))


def _roles(event: Event, roles: Iterable[str]) -> set[str]:
    wanted = set(roles)
    found = {a.actor_id for a in event.actors if a.role in wanted}
    if "claimant" in wanted:
        found |= {c.claimant_id for c in event.claims}
    return found


def _involved(event: Event) -> set[str]:
    found = {a.actor_id for a in event.actors}
    found |= {c.claimant_id for c in event.claims}
    return found | {a.actor_id for a in event.attributions}


def compatible(a: Event, b: Event, *, radius_km: float = DEFAULT_RADIUS_KM) -> bool:
    """Whether two reports can be of the same event (type, date, place, actors).

    >>> e = Event(id="a", date=dt.date(2020, 3, 11), event_type="x", sub_event_type="Attack")
    >>> compatible(e, e.model_copy(update={"id": "b", "date": dt.date(2020, 3, 12)}))
    True
    """
    return (
        (types_agree(a, b) or weapon_misread(a, b, radius_km=radius_km))
        and dates_agree(a, b)
        and (places_agree(a, b, radius_km=radius_km) or one_operation(a, b))
        and actors_agree(a, b)
    )


def one_operation(a: Event, b: Event) -> bool:
    """Air strikes by one named perpetrator on the same night at sites apart: one operation.

    "U.S. jets struck five sites": reports name different sites (Karbala, Jurf
    al-Sakhar, near Baghdad); the sites lie within a region, not within one town.
    """
    kinds = {a.sub_event_type.casefold(), b.sub_event_type.casefold()}
    if kinds != {AIR_STRIKE} or a.place is None or b.place is None:
        return False
    if not _roles(a, {"perpetrator"}) & _roles(b, {"perpetrator"}):
        return False
    km = distance_km(a.place, b.place)
    return km is not None and km <= OPERATION_KM


def _fits_but_weapon(a: Event, b: Event, radius_km: float) -> bool:
    kinds = {a.sub_event_type.casefold(), b.sub_event_type.casefold()}
    return (
        kinds == MISREAD_WEAPONS
        and dates_agree(a, b)
        and places_agree(a, b, radius_km=radius_km)
        and actors_agree(a, b)
    )


def is_vague(event: Event) -> bool:
    """A report without a place or with a window wider than a week."""
    start, end = window(event)
    return event.place is None or end - start > VAGUE_WINDOW


# -- clustering ---------------------------------------------------------------


@dataclass
class _Clusters:
    """Union-find over events, with the analysts' pins and a memo of compatibility."""

    events: list[Event]
    radius_km: float
    pinned: dict[frozenset[str], bool] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    memo: dict[frozenset[str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.parent = {e.id: e.id for e in self.events}
        self.by_id = {e.id: e for e in self.events}

    def find(self, event_id: str) -> str:
        root = event_id
        while self.parent[root] != root:
            root = self.parent[root]
        self.parent[event_id] = root
        return root

    def members(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for event in self.events:
            groups.setdefault(self.find(event.id), []).append(event.id)
        return groups

    def fits(self, a: str, b: str) -> bool:
        pair = frozenset((a, b))
        if pair in self.pinned:
            return self.pinned[pair]
        if pair not in self.memo:
            self.memo[pair] = compatible(self.by_id[a], self.by_id[b], radius_km=self.radius_km)
        return self.memo[pair]

    def joinable(self, left: Sequence[str], right: Sequence[str]) -> bool:
        """Every pair fits; or fits but for the weapon, and one pair shows the misread."""
        pairs = [(a, b) for a in left for b in right]
        if all(self.fits(a, b) for a, b in pairs):
            return True
        events = [(self.by_id[a], self.by_id[b]) for a, b in pairs]
        return all(
            self.fits(p[0], p[1]) or _fits_but_weapon(*e, self.radius_km)
            for p, e in zip(pairs, events, strict=True)
        ) and any(
            weapon_misread(a, b, radius_km=self.radius_km)
            for a, b in events
            if self.pinned.get(frozenset((a.id, b.id))) is not False
        )

    def apart(self, left: Sequence[str], right: Sequence[str]) -> bool:
        return any(self.pinned.get(frozenset((a, b))) is False for a in left for b in right)


def fuse_events(
    events: Iterable[Event],
    *,
    corrections: Sequence[Correction] = (),
    published: Mapping[str, dt.date | None] | None = None,
    radius_km: float = DEFAULT_RADIUS_KM,
) -> list[FusedEvent]:
    """Fuse per-document events into one event per real-world event, by date.

    `corrections` apply in order (the later wins for a pair); `published` maps
    document ids to publication days, for preferring later reports.

    >>> balad = Place(place_id="balad-airbase", name="Balad Air Base")
    >>> e = Event(id="d1-e1", date=dt.date(2020, 1, 12), event_type="x", sub_event_type="y",
    ...           place=balad)
    >>> [f.member_ids for f in fuse_events([e, e.model_copy(update={"id": "d2-e1"})])]
    [['d1-e1', 'd2-e1']]
    """
    ordered = sorted({e.id: e for e in events}.values(), key=lambda e: (e.date, e.id))
    clusters = _Clusters(ordered, radius_km)
    clusters.pinned = _pins(corrections, set(clusters.by_id))
    _apply_merges(clusters)
    _link_precise(clusters)
    _attach_vague(clusters)
    fused = [
        fuse_cluster([clusters.by_id[i] for i in ids], published=published or {})
        for ids in clusters.members().values()
    ]
    return sorted(fused, key=lambda f: (f.event.date, f.id))


def _pins(corrections: Sequence[Correction], known: set[str]) -> dict[frozenset[str], bool]:
    """Pairs pinned together (True) or apart (False); a later correction wins."""
    pinned: dict[frozenset[str], bool] = {}
    for correction in corrections:
        groups = [[i for i in group if i in known] for group in correction.groups]
        if correction.kind == "merge":
            ids = sorted({i for group in groups for i in group})
            pinned.update({frozenset((a, b)): True for a in ids for b in ids if a < b})
            continue
        for n, left in enumerate(groups):
            for right in groups[n + 1 :]:
                pinned.update({frozenset((a, b)): False for a in left for b in right if a != b})
    return pinned


def _apply_merges(clusters: _Clusters) -> None:
    groups = clusters.members
    for pair in sorted((sorted(p) for p, v in clusters.pinned.items() if v)):
        a, b = clusters.find(pair[0]), clusters.find(pair[1])
        current = groups()
        if a != b and not clusters.apart(current[a], current[b]):
            clusters.parent[b] = a


def _link_precise(clusters: _Clusters) -> None:
    """Single-linkage candidates, strongest first, joined under complete linkage."""
    precise = [e for e in clusters.events if not is_vague(e)]
    edges = []
    for n, a in enumerate(precise):
        end = window(a)[1] + DAY_TOLERANCE
        for b in precise[n + 1 :]:
            if b.date > end:
                break
            if clusters.fits(a.id, b.id):
                edges.append((-_strength(a, b), a.date, a.id, b.id))
    for _, _, a_id, b_id in sorted(edges):
        _join(clusters, a_id, b_id)


def _strength(a: Event, b: Event) -> int:
    """How strongly two compatible reports agree: same place, day and type count."""
    same_place = (
        a.place is not None and b.place is not None and a.place.place_id == b.place.place_id
    )
    same_day = window(a) == window(b)
    return 2 * same_place + same_day + (a.sub_event_type == b.sub_event_type)


def _join(clusters: _Clusters, a_id: str, b_id: str) -> bool:
    a, b = clusters.find(a_id), clusters.find(b_id)
    if a == b:
        return False
    groups = clusters.members()
    if clusters.apart(groups[a], groups[b]) or not clusters.joinable(groups[a], groups[b]):
        return False
    clusters.parent[max(a, b)] = min(a, b)
    return True


def _attach_vague(clusters: _Clusters) -> None:
    """A vague report joins the one cluster of precise reports that fits it, if only one."""
    groups = clusters.members()
    anchored = {
        root: ids
        for root, ids in groups.items()
        if any(not is_vague(clusters.by_id[i]) for i in ids)
    }
    joins = []
    for event in clusters.events:
        root = clusters.find(event.id)
        if not _attachable(event) or len(groups[root]) > 1:
            continue
        fitting = [r for r, ids in anchored.items() if _fits_all(clusters, event.id, ids)]
        if len(fitting) == 1:
            joins.append((fitting[0], event.id))
    for root, event_id in joins:
        clusters.parent[event_id] = root


def _attachable(event: Event) -> bool:
    """Vague in one respect only: with no place, a window of a month at most.

    ("Its base was last attacked in February": the one February attack that fits.)
    """
    start, end = window(event)
    return is_vague(event) and (event.place is not None or end - start <= MONTH_WINDOW)


def _fits_all(clusters: _Clusters, event_id: str, ids: Sequence[str]) -> bool:
    return not clusters.apart([event_id], ids) and clusters.joinable([event_id], ids)


# -- the fused record ---------------------------------------------------------


def fuse_cluster(
    members: Sequence[Event], *, published: Mapping[str, dt.date | None] | None = None
) -> FusedEvent:
    """The fused event of reports of one event: votes for fields, unions, figure estimates.

    >>> e = Event(id="d1-e1", date=dt.date(2020, 3, 11), event_type="x", sub_event_type="y")
    >>> fuse_cluster([e]).member_ids
    ['d1-e1']
    """
    days = published or {}
    ranked = sorted(members, key=lambda e: (_day(_published(e, days)), e.id), reverse=True)
    claims = _unique([c for e in ranked for c in e.claims], _claim_key)
    munitions = estimate(_munition_figures(ranked, claims, days))
    fatalities = estimate(_casualty_figures(ranked, "fatalities", claims, days))
    injuries = estimate(_casualty_figures(ranked, "injuries", claims, days))
    ids = sorted(e.id for e in members)
    event = _fused_record(ranked, fused_id(ids), claims=claims)
    event = event.model_copy(
        update={
            "munitions": _munitions(munitions, ranked),
            "fatalities": _casualties(fatalities, ranked, "fatalities"),
            "injuries": _casualties(injuries, ranked, "injuries"),
            "reasons": _reasons(members, munitions, fatalities),
        }
    )
    return FusedEvent(
        id=event.id,
        event=event,
        member_ids=ids,
        document_ids=sorted({_document(e) for e in members}),
        munitions=munitions,
        fatalities=fatalities,
    )


def _fused_record(ranked: Sequence[Event], event_id: str, *, claims: list[Claim]) -> Event:
    finest = min(PRECISIONS.index(e.date_precision) for e in ranked)
    dated = [e for e in ranked if PRECISIONS.index(e.date_precision) == finest]
    when = _vote(dated, lambda e: (e.date, e.date_end))
    specific = [e for e in ranked if e.sub_event_type.casefold() != GENERIC] or list(ranked)
    kind = _vote(specific, lambda e: e.sub_event_type)
    return Event(
        id=event_id,
        date=when.date,
        date_end=when.date_end,
        date_precision=when.date_precision,
        event_type=kind.event_type,
        sub_event_type=kind.sub_event_type,
        disorder_type=kind.disorder_type,
        place=_best_place(ranked),
        actors=_unique([a for e in ranked for a in e.actors], _actor_key),
        weapon=_vote([e for e in ranked if e.weapon], lambda e: e.weapon).weapon
        if any(e.weapon for e in ranked)
        else None,
        claims=claims,
        attributions=_unique([a for e in ranked for a in e.attributions], _attribution_key),
        sources=sorted(_unique([s for e in ranked for s in e.sources], _span_key), key=_span_key),
    )


def _vote(events: Sequence[Event], key: Callable[[Event], Hashable]) -> Event:
    """The event whose value most reports give; ties go to the first in `events`."""
    counts = Counter(key(e) for e in events)
    top = max(counts.values())
    return next(e for e in events if counts[key(e)] == top)


def _best_place(ranked: Sequence[Event]) -> Place | None:
    placed = [e for e in ranked if e.place is not None]
    if not placed:
        return None
    finest = min(e.place.geo_precision for e in placed if e.place is not None)
    precise = [e for e in placed if e.place is not None and e.place.geo_precision == finest]
    return _vote(precise, lambda e: e.place.place_id or e.place.name if e.place else "").place


def _reasons(
    members: Sequence[Event], munitions: Estimate | None, fatalities: Estimate | None
) -> list[str]:
    documents = {_document(e) for e in members}
    reasons = [f"fused from {len(members)} reports in {len(documents)} documents"]
    for name, figure in (("munitions", munitions), ("fatalities", fatalities)):
        if figure is not None:
            reasons.append(f"{name}: {figure.best} ({figure.rule}; sources say {_range(figure)})")
    return reasons


def _range(figure: Estimate) -> str:
    return str(figure.low) if figure.low == figure.high else f"{figure.low}-{figure.high}"


# -- figures ------------------------------------------------------------------


def estimate(figures: Sequence[Figure]) -> Estimate | None:
    """The best figure and the rule that chose it, with the range over every source.

    >>> f = [Figure(event_id="a", document_id="a", low=30, qualifier="more_than"),
    ...      Figure(event_id="b", document_id="b", low=33)]
    >>> e = estimate(f); (e.best, e.rule, e.low, e.high)
    (33, 'exact over qualified', 30, 33)
    """
    if not figures:
        return None
    chosen = min(figures, key=_preference)
    highs = [f.high if f.high is not None else f.low for f in figures]
    return Estimate(
        best=chosen.low,
        best_high=chosen.high,
        qualifier=chosen.qualifier,
        low=min(f.low for f in figures),
        high=max(highs),
        rule=_rule(chosen, figures),
        figures=list(figures),
    )


def _preference(figure: Figure) -> tuple[bool, int, int, int, str]:
    day = _day(figure.published)
    return (figure.claimed, -QUALIFIER_RANK[figure.qualifier], -day, -figure.low, figure.event_id)


def _rule(chosen: Figure, figures: Sequence[Figure]) -> str:
    if len(figures) == 1:
        return "single source"
    if chosen.claimed:
        return "claimant's own figure, no other"
    others = [f for f in figures if not f.claimed and f.event_id != chosen.event_id]
    rule = _why(chosen, others)
    if any(f.claimed for f in figures):
        rule = f"{rule}; claimant's own figure set aside"
    return rule


def _why(chosen: Figure, others: Sequence[Figure]) -> str:
    if all(
        (f.low, f.high, f.qualifier) == (chosen.low, chosen.high, chosen.qualifier) for f in others
    ):
        return "sources agree"
    rank = QUALIFIER_RANK[chosen.qualifier]
    if any(QUALIFIER_RANK[f.qualifier] < rank for f in others):
        return "exact over qualified" if chosen.qualifier == "exactly" else "estimate over bound"
    if any(_day(f.published) < _day(chosen.published) for f in others):
        return "latest report"
    return "highest of equal reports"


def _munition_figures(
    ranked: Sequence[Event], claims: Sequence[Claim], days: Mapping[str, dt.date | None]
) -> list[Figure]:
    return [
        Figure(
            event_id=e.id,
            document_id=_document(e),
            low=e.munitions.count,
            qualifier=e.munitions.qualifier,
            published=_published(e, days),
            claimed=_claimed(e.munitions.span, ranked, claims),
            span=e.munitions.span,
        )
        for e in ranked
        if e.munitions is not None
    ]


def _casualty_figures(
    ranked: Sequence[Event],
    name: Literal["fatalities", "injuries"],
    claims: Sequence[Claim],
    days: Mapping[str, dt.date | None],
) -> list[Figure]:
    figures = []
    for e in ranked:
        found: Casualties | None = getattr(e, name)
        if found is None:
            continue
        exact = found.max is not None and found.max == found.min
        figures.append(
            Figure(
                event_id=e.id,
                document_id=_document(e),
                low=found.min,
                high=found.max,
                qualifier="exactly" if exact else "at_least",
                published=_published(e, days),
                claimed=_claimed(found.span, ranked, claims),
                span=found.span,
            )
        )
    return figures


def _claimed(span: SourceSpan | None, ranked: Sequence[Event], claims: Sequence[Claim]) -> bool:
    """Whether a figure is the claimant's own: said where its document reports the claim.

    That is, in a document reporting a claim of the event, the figure's sentence holds
    the claim, names the claimant, or speaks of the claim or statement.
    """
    if span is None:
        return False
    here = [c for c in claims if c.document_id == span.document_id]
    sentence = _sentence(span, ranked)
    if not here or sentence is None:
        return False
    if any(c.span and sentence.start <= c.span.start < sentence.end for c in here):
        return True
    text = sentence.text.casefold()
    names = {c.claimant_name.casefold() for c in here if c.claimant_name}
    return any(word in text for word in (*CLAIM_CUES, *names))


def _sentence(span: SourceSpan, ranked: Sequence[Event]) -> SourceSpan | None:
    """The source sentence that holds a span."""
    return next(
        (
            s
            for e in ranked
            for s in e.sources
            if s.document_id == span.document_id and s.start <= span.start and span.end <= s.end
        ),
        None,
    )


def _munitions(figure: Estimate | None, ranked: Sequence[Event]) -> Munitions | None:
    if figure is None:
        return None
    source = _source_of(figure, ranked).munitions
    weapon = source.weapon if source else None
    span = source.span if source else None
    return Munitions(count=figure.best, qualifier=figure.qualifier, weapon=weapon, span=span)


def _casualties(figure: Estimate | None, ranked: Sequence[Event], name: str) -> Casualties | None:
    if figure is None:
        return None
    source: Casualties | None = getattr(_source_of(figure, ranked), name)
    side = source.side if source else None
    span = source.span if source else None
    return Casualties(min=figure.best, max=figure.best_high, side=side, span=span)


def _source_of(figure: Estimate, ranked: Sequence[Event]) -> Event:
    chosen = min(figure.figures, key=_preference)
    return next(e for e in ranked if e.id == chosen.event_id)


# -- small keys ---------------------------------------------------------------


def _document(event: Event) -> str:
    """The document an event was extracted from: its sources', else its id's prefix."""
    if event.sources:
        return event.sources[0].document_id
    return event.id.rsplit("-e", 1)[0]


def _day(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


def _published(event: Event, days: Mapping[str, dt.date | None]) -> dt.date | None:
    return days.get(_document(event))


def _unique(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _claim_key(claim: Claim) -> Hashable:
    start = claim.span.start if claim.span else None
    return (claim.claimant_id, claim.claimed_on, claim.channel, claim.document_id, start)


def _attribution_key(attribution: Attribution) -> Hashable:
    start = attribution.span.start if attribution.span else None
    return (attribution.actor_id, attribution.by_actor_id, attribution.document_id, start)


def _actor_key(actor: EventActor) -> Hashable:
    return (actor.actor_id, actor.role)


def _span_key(span: SourceSpan) -> tuple[str, int, int]:
    return (span.document_id, span.start, span.end)
