"""The statement indicators: a threat followed by an attack, or by a quiet spell."""

from __future__ import annotations

import datetime as dt

from watchfloor.analyse.indicators import Context, evaluate, load_indicators
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Claim, Event, EventActor, SourceSpan, Statement
from watchfloor.resolve.fusion import FusedEvent

SHIPPED = {i.id: i for i in load_indicators()}
KB = load_knowledge()


def threat(day: dt.date, actor: str = "kataib-hezbollah", *, kind: str = "threat") -> Statement:
    words = SourceSpan(document_id="d", start=0, end=20, text="we will strike the occupier")
    return Statement(
        id=f"d-s-{day}", document_id="d", speaker_id=actor, speaker_name=actor,
        kind=kind, date=day, quotes=[words],
    )  # fmt: skip


def attack(
    day: dt.date, *, claimant: str | None = None, perpetrator: str | None = None
) -> FusedEvent:
    actors = (
        [EventActor(actor_id=perpetrator, name=perpetrator, role="perpetrator")]
        if perpetrator
        else []
    )
    claims = [Claim(claimant_id=claimant, document_id="e")] if claimant else []
    event = Event(
        id=f"e-{day}", date=day, event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", actors=actors, claims=claims,
    )  # fmt: skip
    return FusedEvent(id=f"f-{day}", event=event, member_ids=[event.id], document_ids=["e"])


def context(*statements: Statement) -> Context:
    return Context.of(KB, statements=statements)


def test_an_attack_claimed_by_a_front_after_the_threat_fires() -> None:
    events = [attack(dt.date(2020, 3, 11), claimant="usbat-al-thairen")]
    alerts = evaluate([SHIPPED["threat-then-attack"]], events, context(threat(dt.date(2020, 3, 1))))
    assert [(a.date, a.fused_id) for a in alerts] == [(dt.date(2020, 3, 11), "f-2020-03-11")]
    evidence = alerts[0].evidence
    assert evidence.startswith("10 days after the threat of 2020-03-01 by kataib-hezbollah")


def test_an_attack_by_another_group_or_too_late_does_not_fire() -> None:
    events = [
        attack(dt.date(2020, 3, 5), perpetrator="isis"),
        attack(dt.date(2020, 3, 30), perpetrator="kataib-hezbollah"),
    ]
    assert (
        evaluate([SHIPPED["threat-then-attack"]], events, context(threat(dt.date(2020, 3, 1))))
        == []
    )


def test_an_attack_before_the_threat_does_not_fire() -> None:
    events = [attack(dt.date(2020, 2, 27), perpetrator="kataib-hezbollah")]
    assert (
        evaluate([SHIPPED["threat-then-attack"]], events, context(threat(dt.date(2020, 3, 1))))
        == []
    )


def test_a_threat_then_quiet_fires_once_the_quiet_is_established() -> None:
    quiet = SHIPPED["threat-then-quiet"]
    said = context(threat(dt.date(2020, 3, 1), kind="ultimatum"))
    assert evaluate([quiet], [], said, before=dt.date(2020, 3, 20)) == []
    alerts = evaluate([quiet], [], said, before=dt.date(2020, 4, 1))
    assert [(a.date, a.fused_id, a.event_ids) for a in alerts] == [
        (dt.date(2020, 3, 22), "d-s-2020-03-01", ["d-s-2020-03-01"])
    ]
    assert "no attack in the 21 days after" in alerts[0].evidence


def test_an_attack_in_the_window_breaks_the_quiet() -> None:
    events = [attack(dt.date(2020, 3, 10), perpetrator="kataib-hezbollah")]
    said = context(threat(dt.date(2020, 3, 1)))
    assert evaluate([SHIPPED["threat-then-quiet"]], events, said, before=dt.date(2020, 4, 1)) == []


def test_statements_of_other_kinds_are_not_threats() -> None:
    said = context(threat(dt.date(2020, 3, 1), kind="denial"))
    events = [attack(dt.date(2020, 3, 3), perpetrator="kataib-hezbollah")]
    chosen = [SHIPPED["threat-then-attack"], SHIPPED["threat-then-quiet"]]
    assert evaluate(chosen, events, said, before=dt.date(2020, 5, 1)) == []
