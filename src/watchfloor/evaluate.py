"""Score an extraction against a gold annotation (the format of tests/cases/*.gold.yaml).

An extracted event matches a gold event when its date lies in the gold window, its
sub-event type is one the gold accepts, and its place is the gold place or an alias
(any place when the gold place is null). Required gold events count toward recall;
events matching optional ones are neither credit nor penalty.

>>> score({"events": []}, {"events": []}).recall
1.0
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

ARTICLE = re.compile(r"\b(al|el|the)[- ]")
NON_WORD = re.compile(r"[^a-z0-9]+")


def norm(text: object) -> str:
    """Lower-case, accents and articles dropped, punctuation as spaces.

    >>> norm("Kata’ib al-Hezbollah")
    'kata ib hezbollah'
    """
    if text is None:
        return ""
    value = unicodedata.normalize("NFKD", str(text))
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    value = value.replace("’", "'").replace("–", "-").replace("—", "-")
    return NON_WORD.sub(" ", ARTICLE.sub("", value)).strip()


@dataclass
class Score:
    """Recall, precision and field accuracy of one or more documents' events."""

    found: int = 0
    required: int = 0
    counted: int = 0
    fields_ok: int = 0
    fields: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of required gold events found."""
        return self.found / self.required if self.required else 1.0

    @property
    def precision(self) -> float:
        """Share of counted extracted events that match a required gold event."""
        return self.found / self.counted if self.counted else (1.0 if not self.required else 0.0)

    @property
    def field_accuracy(self) -> float:
        """Share of compared fields (munitions, claims, attributions, fatalities) right."""
        return self.fields_ok / self.fields if self.fields else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.found + other.found,
            self.required + other.required,
            self.counted + other.counted,
            self.fields_ok + other.fields_ok,
            self.fields + other.fields,
            self.missed + other.missed,
            self.extra + other.extra,
            self.wrong + other.wrong,
        )


def score(gold: dict[str, Any], bundle: dict[str, Any]) -> Score:
    """Match the bundle's events to the gold events and count."""
    preds = list(bundle.get("events") or [])
    used: set[int] = set()
    result = Score()
    ordered = sorted(gold.get("events") or [], key=lambda g: not g.get("required"))
    neutral = 0
    for g in ordered:
        hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
        if g.get("required"):
            result.required += 1
        if hit is None:
            if g.get("required"):
                result.missed.append(str(g.get("id")))
            continue
        used.add(hit)
        if not g.get("required"):
            neutral += 1
            continue
        result.found += 1
        for name, ok in field_checks(g, preds[hit]):
            result.fields += 1
            result.fields_ok += ok
            if not ok:
                result.wrong.append(f"{g.get('id')}: {name}")
    result.counted = len(preds) - neutral
    result.extra = [
        f"{p.get('date')} {p.get('sub_event_type')} @ {(p.get('place') or {}).get('name')}"
        for i, p in enumerate(preds)
        if i not in used
    ]
    return result


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """True when an extracted event fits a gold event's window, type and place."""
    day = _date(pred.get("date"))
    start = _date(gold["date"])
    end = _date(gold.get("date_end")) or start
    if day is None or start is None or end is None or not start <= day <= end:
        return False
    if norm(pred.get("sub_event_type")) not in {norm(t) for t in gold["sub_event_type"]}:
        return False
    if gold.get("place") is None:
        return True
    wanted = {norm(gold["place"])} | {norm(a) for a in gold.get("place_aliases") or []}
    place = pred.get("place") or {}
    got = {norm(place.get(k)) for k in ("name", "place_id")} | {
        norm(a) for a in place.get("aliases") or []
    }
    got.discard("")
    return bool(wanted & got) or any(w and w in g for w in wanted for g in got)


def _actor_ids(pred: dict[str, Any], roles: set[str]) -> set[str]:
    found = {norm(a.get("actor_id")) for a in pred.get("actors") or [] if a.get("role") in roles}
    if "claimant" in roles:
        found |= {norm(c.get("claimant_id")) for c in pred.get("claims") or []}
    if "attributed" in roles:
        found |= {norm(a.get("actor_id")) for a in pred.get("attributions") or []}
    found.discard("")
    return found


def field_checks(gold: dict[str, Any], pred: dict[str, Any]) -> list[tuple[str, bool]]:
    """The fields compared on a matched event, each right or wrong."""
    checks = []
    if "munitions" in gold:
        got = pred.get("munitions") or {}
        checks.append(("munitions.count", got.get("count") == gold["munitions"]["count"]))
        qualifier = norm(got.get("qualifier")) == norm(gold["munitions"]["qualifier"])
        checks.append(("munitions.qualifier", qualifier))
    if gold.get("claimed_by"):
        want = {norm(a) for a in gold["claimed_by"]}
        checks.append(("claimed_by", want <= _actor_ids(pred, {"claimant"})))
    if gold.get("attributed_to"):
        want = {norm(a) for a in gold["attributed_to"]}
        checks.append(("attributed_to", want <= _actor_ids(pred, {"attributed", "perpetrator"})))
    if "fatalities_min" in gold:
        fatalities = pred.get("fatalities") or {}
        value = fatalities.get("max") or fatalities.get("min")
        checks.append(("fatalities", isinstance(value, int) and value >= gold["fatalities_min"]))
    return checks
