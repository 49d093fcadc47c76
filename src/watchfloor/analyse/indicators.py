"""Indicators and warnings: signs defined in YAML, evaluated over the fused events.

An indicator is an id, a description, a condition, a threshold and a window (see the
shipped `knowledge/data/indicators.yaml`). The condition language is a fixed set of kinds,
each with typed parameters, validated at load; nothing in a file is ever evaluated as code:

- `munitions_at_least` {count, weapons}: the best count of munitions reaches `count`;
- `new_claimant`: a claim by a claimant with no claim on an earlier event, or by a name
  the knowledge base does not know (a candidate actor);
- `mentions` {words}: a target's name or a source sentence holds one of the words;
- `first_weapon` {weapon}: the first event on record with this weapon;
- `near_calendar_date` {days, kinds}: within `days` days of a calendar date of these kinds;
- `threat_then_attack` {days, kinds}: an attack by an actor (its perpetrator, claimant or the
  one it is attributed to, or a front or member of it) within `days` days after that actor's
  statement of these kinds (threat, ultimatum);
- `threat_then_quiet` {days, kinds}: a threat followed by `days` days with no such attack;
  its alert names the statement (its id in `fused_id` and `event_ids`) and is dated on the
  day the quiet is established. The statements come in the `Context`.

An indicator fires when `threshold` matching events fall within `window_days` days. Each
alert names its fused event and the member event ids behind it, and fires once: an alert
is new only if no alert of the same indicator already covers one of its events. `watch`
remembers the alerts it raised in a JSON-lines file (one alert a line), which is both the
feed that other tools read and the record of what already fired.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from watchfloor.errors import KnowledgeError
from watchfloor.knowledge.loader import KnowledgeBase, shipped_data
from watchfloor.model import Event, KeyDate, Statement
from watchfloor.resolve.fusion import FusedEvent

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MunitionsAtLeast(_Kind):
    """An attack with at least `count` munitions of these weapons (any weapon if none)."""

    kind: Literal["munitions_at_least"]
    count: int = Field(ge=1)
    weapons: list[str] = Field(default_factory=list)


class NewClaimant(_Kind):
    """A claimant with no claim on an earlier event, or one the knowledge base lacks."""

    kind: Literal["new_claimant"]


class Mentions(_Kind):
    """A target's name or a source sentence holds one of the words (any case)."""

    kind: Literal["mentions"]
    words: list[str] = Field(min_length=1)


class FirstWeapon(_Kind):
    """The first event on record with this weapon."""

    kind: Literal["first_weapon"]
    weapon: str


class NearCalendarDate(_Kind):
    """An event within `days` days of a calendar date of one of these kinds."""

    kind: Literal["near_calendar_date"]
    days: int = Field(ge=0, le=366)
    kinds: list[str] = Field(default_factory=lambda: ["anniversary"])


class ThreatThenAttack(_Kind):
    """An attack by an actor within `days` days after it made a statement of these kinds."""

    kind: Literal["threat_then_attack"]
    days: int = Field(default=14, ge=1, le=366)
    kinds: list[str] = Field(default_factory=lambda: ["threat", "ultimatum"])


class ThreatThenQuiet(_Kind):
    """A statement of these kinds followed by `days` days without an attack by its actor."""

    kind: Literal["threat_then_quiet"]
    days: int = Field(default=30, ge=1, le=366)
    kinds: list[str] = Field(default_factory=lambda: ["threat", "ultimatum"])


Condition = Annotated[
    MunitionsAtLeast
    | NewClaimant
    | Mentions
    | FirstWeapon
    | NearCalendarDate
    | ThreatThenAttack
    | ThreatThenQuiet,
    Field(discriminator="kind"),
]


class Indicator(BaseModel):
    """One indicator: fires when `threshold` matching events fall within `window_days` days.

    >>> Indicator.model_validate(
    ...     {"id": "x", "description": "d", "condition": {"kind": "new_claimant"}}
    ... ).threshold
    1
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    description: str
    condition: Condition
    threshold: int = Field(default=1, ge=1)
    window_days: int = Field(default=30, ge=1)
    event_types: list[str] = Field(default_factory=lambda: list(VIOLENT))


class Alert(BaseModel):
    """An indicator that fired: on which event, with which member event ids, and why."""

    model_config = ConfigDict(extra="forbid")

    key: str
    indicator_id: str
    description: str
    date: dt.date
    fused_id: str
    event_ids: list[str]
    evidence: str
    delivered: bool | None = None


@dataclass(frozen=True)
class Context:
    """What conditions look up beyond the events: the calendar, the known actors."""

    known_actors: frozenset[str] = frozenset()
    candidates: frozenset[str] = frozenset()
    calendar: Callable[[dt.date, dt.date], list[KeyDate]] = lambda start, end: []
    statements: tuple[Statement, ...] = ()
    acting_for: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        kb: KnowledgeBase,
        *,
        candidates: Iterable[str] = (),
        statements: Iterable[Statement] = (),
    ) -> Context:
        """The context from a knowledge base, the store's candidate actor ids and statements."""
        acting: dict[str, set[str]] = {}
        for relation in kb.relations:
            if relation.relation in ACTING_FOR:
                acting.setdefault(relation.subject, set()).add(relation.object)
        return cls(
            frozenset(kb.actors),
            frozenset(candidates),
            kb.key_dates,
            tuple(statements),
            {k: frozenset(v) for k, v in acting.items()},
        )

    def involved(self, event: Event) -> set[str]:
        """The actors an attack is put on (perpetrators, claimants, attributed) and the
        groups they act for (as fronts, members or parts)."""
        ids = {
            a.actor_id for a in event.actors if a.role in ("perpetrator", "claimant", "attributed")
        }
        ids |= {c.claimant_id for c in event.claims} | {a.actor_id for a in event.attributions}
        return ids | {group for i in ids for group in self.acting_for.get(i, ())}


ACTING_FOR = ("front_of", "member_of", "part_of")


Match = tuple[FusedEvent, str]


@dataclass(frozen=True)
class Hit:
    """A dated match: the id it is filed under, the ids behind it, and why."""

    date: dt.date
    id: str
    member_ids: list[str]
    why: str


def load_indicators(path: Path | None = None) -> list[Indicator]:
    """The indicators in a YAML file (default: the shipped indicators.yaml).

    >>> [i.id for i in load_indicators()][:2]
    ['large-rocket-salvo', 'new-claimant']
    """
    source = path or shipped_data() / "indicators.yaml"
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise KnowledgeError(f"cannot read indicators from {source}: {e}") from e
    entries = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise KnowledgeError(f"{source}: expected `indicators:` with a list of indicators")
    found: list[Indicator] = []
    for n, entry in enumerate(entries):
        try:
            found.append(Indicator.model_validate(entry))
        except ValidationError as e:
            raise KnowledgeError(f"{source}: indicators[{n}]: {_problems(e)}") from e
    return found


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(entry)'}: {e['msg']}" for e in error.errors()
    )


# -- conditions ---------------------------------------------------------------------


def _munitions(
    condition: MunitionsAtLeast, events: Sequence[FusedEvent], _: Context
) -> list[Match]:
    found: list[Match] = []
    for fused in events:
        count, weapon = _munition_count(fused)
        wanted = not condition.weapons or weapon in condition.weapons
        if wanted and count >= condition.count:
            found.append(
                (
                    fused,
                    f"{count} munitions ({weapon or 'any'}), threshold {condition.count}",
                )
            )
    return found


def _munition_count(fused: FusedEvent) -> tuple[int, str | None]:
    """The best count of munitions and their weapon; a 'fewer than N' count is N − 1."""
    munitions = fused.event.munitions
    weapon = (munitions.weapon if munitions else None) or fused.event.weapon
    if fused.munitions is not None:
        return fused.munitions.best, weapon
    if munitions is None:
        return 0, weapon
    return munitions.count - (munitions.qualifier == "fewer_than"), weapon


def _new_claimant(_: NewClaimant, events: Sequence[FusedEvent], context: Context) -> list[Match]:
    found: list[Match] = []
    seen: set[str] = set()
    for fused in events:
        claims = fused.event.claims
        new = sorted(
            {
                c.claimant_name or c.claimant_id
                for c in claims
                if _is_new(c.claimant_id, seen, context)
            }
        )
        seen.update(c.claimant_id for c in claims)
        if new:
            found.append((fused, f"claim by a name new to the record: {', '.join(new)}"))
    return found


def _is_new(claimant_id: str, seen: set[str], context: Context) -> bool:
    unknown = claimant_id in context.candidates or (
        bool(context.known_actors) and claimant_id not in context.known_actors
    )
    return unknown or claimant_id not in seen


def _mentions(condition: Mentions, events: Sequence[FusedEvent], _: Context) -> list[Match]:
    words = [w.lower() for w in condition.words]
    found: list[Match] = []
    for fused in events:
        texts = [a.name for a in fused.event.actors if a.role in ("target", "victim")]
        texts += [s.text for s in fused.event.sources]
        hit = next((t for t in texts if any(w in t.lower() for w in words)), None)
        if hit is not None:
            found.append((fused, f"mentions {'/'.join(condition.words)}: {_clip(hit)}"))
    return found


def _first_weapon(condition: FirstWeapon, events: Sequence[FusedEvent], _: Context) -> list[Match]:
    for fused in events:
        if condition.weapon in _weapons(fused.event):
            return [(fused, f"first event on record with {condition.weapon}")]
    return []


def _weapons(event: Event) -> set[str]:
    named = {event.weapon, event.munitions.weapon if event.munitions else None}
    return {w for w in named if w}


def _near_date(
    condition: NearCalendarDate, events: Sequence[FusedEvent], context: Context
) -> list[Match]:
    found: list[Match] = []
    span = dt.timedelta(days=condition.days)
    for fused in events:
        day = fused.event.date
        dates = [k for k in context.calendar(day - span, day + span) if k.kind in condition.kinds]
        if dates:
            nearest = min(dates, key=lambda k: abs((k.date - day).days))
            found.append((fused, f"{_offset(day, nearest.date)} {nearest.what}"))
    return found


def _offset(day: dt.date, key: dt.date) -> str:
    days = (day - key).days
    if days == 0:
        return "on"
    return f"{abs(days)} day{'s' if abs(days) > 1 else ''} {'after' if days > 0 else 'before'}"


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _threats(condition: ThreatThenAttack | ThreatThenQuiet, context: Context) -> list[Statement]:
    return sorted(
        (s for s in context.statements if s.kind in condition.kinds and s.date is not None),
        key=lambda s: (s.date or dt.date.min, s.id),
    )


def _said(statement: Statement) -> str:
    words = statement.quotes[0].text if statement.quotes else statement.words
    who = statement.speaker_name or statement.speaker_id
    return f"the {statement.kind} of {statement.date} by {who}: “{_clip(words, 100)}”"


def _threat_then_attack(
    condition: ThreatThenAttack, events: Sequence[FusedEvent], context: Context
) -> list[Match]:
    threats = _threats(condition, context)
    found: list[Match] = []
    for fused in events:
        day, involved = fused.event.date, context.involved(fused.event)
        earlier = [
            s for s in threats
            if s.date is not None and 0 <= (day - s.date).days <= condition.days
            and {s.speaker_id, s.group_id} & involved
        ]  # fmt: skip
        if earlier:
            last = earlier[-1]
            days = (day - last.date).days if last.date else 0
            found.append((fused, f"{days} days after {_said(last)}"))
    return found


def _threat_then_quiet(
    condition: ThreatThenQuiet,
    events: Sequence[FusedEvent],
    context: Context,
    before: dt.date,
) -> list[Hit]:
    hits: list[Hit] = []
    for threat in _threats(condition, context):
        if threat.date is None:
            continue
        end = threat.date + dt.timedelta(days=condition.days)
        if end >= before:
            continue  # too early to call it quiet
        attacked = any(
            threat.date <= f.event.date <= end
            and {threat.speaker_id, threat.group_id} & context.involved(f.event)
            for f in events
        )
        if not attacked:
            why = f"no attack in the {condition.days} days after {_said(threat)}"
            hits.append(Hit(end, threat.id, [threat.id], why))
    return hits


MATCHERS: dict[str, Callable[..., list[Match]]] = {
    "munitions_at_least": _munitions,
    "new_claimant": _new_claimant,
    "mentions": _mentions,
    "first_weapon": _first_weapon,
    "near_calendar_date": _near_date,
    "threat_then_attack": _threat_then_attack,
}
# Conditions on statements, not on an event: their hits are dated and named by the statement.
QUIET_MATCHERS: dict[str, Callable[..., list[Hit]]] = {
    "threat_then_quiet": _threat_then_quiet,
}


# -- evaluation ---------------------------------------------------------------------


def evaluate(
    indicators: Sequence[Indicator],
    events: Sequence[FusedEvent],
    context: Context | None = None,
    *,
    before: dt.date | None = None,
) -> list[Alert]:
    """Every alert the indicators raise over the fused events (those before `before`).

    >>> evaluate(load_indicators(), [])
    []
    """
    context = context or Context()
    ordered = sorted(
        (f for f in events if before is None or f.event.date < before),
        key=lambda f: (f.event.date, f.id),
    )
    alerts: list[Alert] = []
    for indicator in indicators:
        chosen = [f for f in ordered if f.event.event_type in indicator.event_types]
        kind = indicator.condition.kind
        if kind in QUIET_MATCHERS:
            day = before or dt.date.today()
            hits = QUIET_MATCHERS[kind](indicator.condition, chosen, context, day)
        else:
            matches = MATCHERS[kind](indicator.condition, chosen, context)
            hits = [Hit(f.event.date, f.id, f.member_ids, why) for f, why in matches]
        alerts += fire_once(_fired(indicator, hits))
    return sorted(alerts, key=lambda a: (a.date, a.indicator_id, a.fused_id))


def _fired(indicator: Indicator, hits: Sequence[Hit]) -> list[Alert]:
    """An alert at each hit that brings `threshold` hits within the window."""
    alerts: list[Alert] = []
    window = dt.timedelta(days=indicator.window_days - 1)
    for n, hit in enumerate(hits):
        inside = [h for h in hits[: n + 1] if h.date >= hit.date - window]
        if len(inside) < indicator.threshold:
            continue
        ids = [hit.id] + [i for h in inside[-indicator.threshold :] for i in h.member_ids]
        evidence = (
            hit.why if indicator.threshold == 1 else f"{len(inside)} in window; last: {hit.why}"
        )
        alerts.append(
            Alert(
                key=f"{indicator.id}:{hit.id}",
                indicator_id=indicator.id,
                description=indicator.description,
                date=hit.date,
                fused_id=hit.id,
                event_ids=list(dict.fromkeys(ids)),
                evidence=evidence,
            )
        )
    return alerts


def fire_once(alerts: Iterable[Alert], fired: Iterable[Alert] = ()) -> list[Alert]:
    """The alerts that no earlier alert of their indicator covers (by key or by an event id).

    >>> a = Alert(key="k", indicator_id="i", description="", date=dt.date(2020, 1, 1),
    ...           fused_id="f", event_ids=["f", "e1"], evidence="")
    >>> len(fire_once([a], [a.model_copy(update={"key": "other", "event_ids": ["e1"]})]))
    0
    """
    keys = {a.key for a in fired}
    covered = {(a.indicator_id, i) for a in fired for i in a.event_ids}
    new: list[Alert] = []
    for alert in alerts:
        ids = {(alert.indicator_id, i) for i in alert.event_ids}
        if alert.key in keys or ids & covered:
            continue
        new.append(alert)
        keys.add(alert.key)
        covered |= ids
    return new


@dataclass(frozen=True)
class IndicatorStatus:
    """Whether an indicator fired within its window before a day, with the alerts as evidence."""

    indicator: Indicator
    alerts: list[Alert]
    last: Alert | None

    @property
    def active(self) -> bool:
        """Whether it fired within its window."""
        return bool(self.alerts)


def indicator_status(
    indicators: Sequence[Indicator], alerts: Sequence[Alert], *, as_of: dt.date
) -> list[IndicatorStatus]:
    """Each indicator's alerts within its window before `as_of`, and its last alert ever.

    >>> [s.active for s in indicator_status(load_indicators()[:1], [], as_of=dt.date(2020, 4, 2))]
    [False]
    """
    statuses = []
    for indicator in indicators:
        own = [a for a in alerts if a.indicator_id == indicator.id and a.date < as_of]
        start = as_of - dt.timedelta(days=indicator.window_days)
        recent = [a for a in own if a.date >= start]
        statuses.append(IndicatorStatus(indicator, recent, own[-1] if own else None))
    return statuses


# -- the alert log and the webhook ----------------------------------------------------

Sender = Callable[[str, bytes], None]


class AlertLog:
    """A JSON-lines file of the alerts raised so far: the feed, and the memory of what fired."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> list[Alert]:
        """The alerts written so far (none if the file is absent)."""
        if not self.path.exists():
            return []
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            return [Alert.model_validate_json(line) for line in lines if line.strip()]
        except (OSError, UnicodeDecodeError, ValidationError) as e:
            raise KnowledgeError(f"cannot read the alerts file {self.path}: {e}") from e

    def append(self, alerts: Iterable[Alert]) -> None:
        """Add alerts at the end of the file."""
        with self.path.open("a", encoding="utf-8") as handle:
            for alert in alerts:
                handle.write(alert.model_dump_json() + "\n")


def post_json(url: str, body: bytes, *, timeout: float = 10.0) -> None:
    """POST a JSON body over HTTP(S); raises OSError (or ValueError) when it fails."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


@dataclass(frozen=True)
class Delivery:
    """How sending an alert went: delivered or not, after how many tries, the last error."""

    ok: bool
    attempts: int
    error: str | None = None


def deliver(
    alert: Alert,
    url: str,
    *,
    send: Sender = post_json,
    attempts: int = 4,
    backoff_s: float = 1.0,
    sleep: Callable[[float], None] | None = None,
) -> Delivery:
    """POST an alert to a webhook, retrying with exponential back-off; never raises.

    >>> def dead(url: str, body: bytes) -> None:
    ...     raise OSError("refused")
    >>> deliver(Alert(key="k", indicator_id="i", description="", date=dt.date(2020, 1, 1),
    ...     fused_id="f", event_ids=[], evidence=""), "http://x", send=dead, sleep=lambda s: None)
    Delivery(ok=False, attempts=4, error='OSError: refused')
    """
    body = json.dumps(alert.model_dump(mode="json", exclude={"delivered"})).encode()
    error, wait = None, sleep or time.sleep
    for attempt in range(1, attempts + 1):
        try:
            send(url, body)
            return Delivery(ok=True, attempts=attempt)
        except (OSError, ValueError) as e:
            error = f"{type(e).__name__}: {e}"
            if attempt < attempts:
                wait(backoff_s * 2 ** (attempt - 1))
    return Delivery(ok=False, attempts=attempts, error=error)


def watch(
    indicators: Sequence[Indicator],
    events: Sequence[FusedEvent],
    log: AlertLog,
    *,
    context: Context | None = None,
    webhook: str | None = None,
    send: Sender = post_json,
    sleep: Callable[[float], None] | None = None,
) -> list[tuple[Alert, Delivery | None]]:
    """Evaluate, keep the alerts not fired before, POST each to the webhook, log them.

    >>> import tempfile
    >>> watch(load_indicators(), [], AlertLog(Path(tempfile.mkdtemp()) / "a.jsonl"))
    []
    """
    new = fire_once(evaluate(indicators, events, context), log.read())
    sent: list[tuple[Alert, Delivery | None]] = []
    for alert in new:
        delivery = deliver(alert, webhook, send=send, sleep=sleep) if webhook else None
        logged = alert.model_copy(update={"delivered": delivery.ok if delivery else None})
        log.append([logged])
        sent.append((logged, delivery))
    return sent
