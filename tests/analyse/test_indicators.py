"""Indicators and warnings over synthetic events saved in a temporary store."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from watchfloor.analyse.indicators import (
    Alert,
    AlertLog,
    Context,
    Indicator,
    deliver,
    evaluate,
    fire_once,
    load_indicators,
    post_json,
    watch,
)
from watchfloor.errors import KnowledgeError
from watchfloor.ingest import make_document
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Claim, Event, EventActor, Extraction, Munitions, SourceSpan
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

ROCKETS = "Shelling/artillery/missile attack"
SHIPPED = {i.id: i for i in load_indicators()}


def attack(
    day: dt.date,
    *,
    text: str = "Rockets struck the base.",
    rockets: int | None = 3,
    weapon: str = "rocket",
    claimant: str | None = None,
    target: str | None = None,
    event_type: str = "Explosions/Remote violence",
) -> tuple[str, dict[str, object]]:
    """A report's text and the fields of its one event."""
    fields: dict[str, object] = {"date": day, "event_type": event_type, "weapon": weapon}
    if rockets is not None:
        fields["munitions"] = Munitions(count=rockets, weapon=weapon)
    if claimant:
        fields["claims"] = [claimant]
    if target:
        fields["actors"] = [EventActor(actor_id=target.lower(), name=target, role="target")]
    return f"{text} Report of {day} at {len(text)}.", fields


def fused(tmp_path: Path, reports: list[tuple[str, dict[str, object]]]) -> list[FusedEvent]:
    """Save each report with its event through Store.save, fuse, and read the fused events."""
    with Store.open(str(tmp_path / "i.db")) as store:
        for n, (text, fields) in enumerate(reports):
            document = make_document(text, source=f"r{n}.txt", fmt="txt")
            doc_id = document.document_id
            claims = [
                Claim(claimant_id=c.lower().replace(" ", "-"), claimant_name=c, document_id=doc_id)
                for c in fields.pop("claims", [])  # type: ignore[attr-defined]
            ]
            event = Event(
                id=f"{doc_id}-e1",
                sub_event_type=ROCKETS,
                claims=claims,
                sources=[SourceSpan(document_id=doc_id, start=0, end=len(text), text=text)],
                place=None,
                **fields,  # type: ignore[arg-type]
            )
            store.save(document, Extraction(document_id=doc_id, events=[event]))
        store.refuse()
        return store.fused_events()


def fire(
    indicator_id: str, events: list[FusedEvent], context: Context | None = None
) -> list[Alert]:
    return evaluate([SHIPPED[indicator_id]], events, context or Context.of(load_knowledge()))


def test_shipped_indicators_load() -> None:
    assert set(SHIPPED) == {
        "large-rocket-salvo",
        "new-claimant",
        "convoy-attack",
        "first-ballistic-missile",
        "symbolic-date-attack",
        "threat-then-attack",
        "threat-then-quiet",
    }


def test_a_condition_outside_the_fixed_kinds_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "indicators:\n  - {id: x, description: d, condition: {kind: eval, code: '1'}}\n"
    )
    with pytest.raises(KnowledgeError, match=r"indicators\[0\]"):
        load_indicators(path)


def test_large_salvo_fires_at_twenty_rockets(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2020, 3, 11), rockets=30)])
    alerts = fire("large-rocket-salvo", events)
    assert [a.fused_id for a in alerts] == [events[0].id]
    assert events[0].member_ids[0] in alerts[0].event_ids


def test_large_salvo_ignores_a_handful(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2020, 3, 11), rockets=19)])
    assert fire("large-rocket-salvo", events) == []


def test_new_claimant_fires_on_the_first_claim_only(tmp_path: Path) -> None:
    reports = [
        attack(dt.date(2020, 3, 11), claimant="Kataib Hezbollah"),
        attack(dt.date(2020, 3, 20), claimant="Kataib Hezbollah", text="Rockets again."),
    ]
    events = fused(tmp_path, reports)
    alerts = fire("new-claimant", events, Context())
    assert [a.date for a in alerts] == [dt.date(2020, 3, 11)]


def test_new_claimant_fires_on_a_name_the_knowledge_base_lacks(tmp_path: Path) -> None:
    reports = [
        attack(dt.date(2020, 3, 11), claimant="Kataib Hezbollah"),
        attack(dt.date(2020, 3, 20), claimant="Kataib Hezbollah", text="Rockets again."),
    ]
    events = fused(tmp_path, reports)
    context = Context(known_actors=frozenset({"x"}), candidates=frozenset({"kataib-hezbollah"}))
    assert len(fire("new-claimant", events, context)) == 2


def test_an_attack_without_claim_is_no_new_claimant(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2020, 3, 11))])
    assert fire("new-claimant", events) == []


def test_convoy_attack_fires_on_the_sentence(tmp_path: Path) -> None:
    text = "An IED struck a logistics convoy near Diwaniyah."
    events = fused(tmp_path, [attack(dt.date(2020, 5, 2), text=text, rockets=None)])
    alerts = fire("convoy-attack", events)
    assert len(alerts) == 1 and "convoy" in alerts[0].evidence


def test_convoy_attack_fires_on_the_target(tmp_path: Path) -> None:
    report = attack(dt.date(2020, 5, 2), text="An IED went off.", target="Supply Convoy")
    assert len(fire("convoy-attack", fused(tmp_path, [report]))) == 1


def test_convoy_attack_ignores_a_base(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2020, 5, 2), text="Rockets hit Camp Taji.")])
    assert fire("convoy-attack", events) == []


def test_first_ballistic_missile_fires_once(tmp_path: Path) -> None:
    reports = [
        attack(dt.date(2020, 1, 1), text="Rockets hit."),
        attack(dt.date(2020, 1, 8), weapon="ballistic_missile", rockets=16, text="Missiles."),
        attack(dt.date(2020, 2, 8), weapon="ballistic_missile", rockets=2, text="More."),
    ]
    alerts = fire("first-ballistic-missile", fused(tmp_path, reports))
    assert [a.date for a in alerts] == [dt.date(2020, 1, 8)]


def test_first_ballistic_missile_ignores_rockets_and_non_attacks(tmp_path: Path) -> None:
    reports = [
        attack(dt.date(2020, 1, 1), text="Rockets hit."),
        attack(
            dt.date(2020, 3, 30),
            weapon="ballistic_missile",
            text="Patriot batteries arrived.",
            event_type="Strategic developments",
        ),
    ]
    assert fire("first-ballistic-missile", fused(tmp_path, reports)) == []


def test_symbolic_date_fires_within_three_days(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2021, 3, 13))])  # Soleimani born: 11 March
    alerts = fire("symbolic-date-attack", events)
    assert len(alerts) == 1 and alerts[0].evidence.startswith("2 days after")


def test_symbolic_date_ignores_an_ordinary_day(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2021, 5, 20))])
    assert fire("symbolic-date-attack", events) == []


def test_threshold_counts_events_within_the_window(tmp_path: Path) -> None:
    indicator = Indicator.model_validate(
        {
            "id": "busy",
            "description": "three salvos in a week",
            "condition": {"kind": "munitions_at_least", "count": 1},
            "threshold": 3,
            "window_days": 7,
        }
    )
    days = [dt.date(2020, 3, d) for d in (1, 9, 11, 12, 13)]
    reports = [attack(d, text=f"Salvo {n}.") for n, d in enumerate(days)]
    alerts = evaluate([indicator], fused(tmp_path, reports))
    assert [a.date for a in alerts] == [dt.date(2020, 3, 12)]
    assert len(alerts[0].event_ids) == 4  # the fused id, and the three members


def test_an_alert_fires_once(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2020, 3, 11), rockets=30)])
    first = fire("large-rocket-salvo", events)
    assert fire_once(first, first) == []


def test_watch_logs_each_alert_once_and_posts_it(tmp_path: Path) -> None:
    events = fused(tmp_path, [attack(dt.date(2020, 3, 11), rockets=30)])
    log = AlertLog(tmp_path / "alerts.jsonl")
    posted: list[tuple[str, bytes]] = []
    send = lambda url, body: posted.append((url, body))  # noqa: E731
    indicators = [SHIPPED["large-rocket-salvo"]]
    first = watch(indicators, events, log, webhook="http://hook", send=send)
    again = watch(indicators, events, log, webhook="http://hook", send=send)
    assert len(first) == 1 and again == []
    assert len(posted) == 1 and b"large-rocket-salvo" in posted[0][1]
    assert [a.delivered for a in log.read()] == [True]


def test_a_dead_webhook_is_retried_with_back_off_and_never_raises() -> None:
    waits: list[float] = []

    def refuse(url: str, body: bytes) -> None:
        raise ConnectionRefusedError("refused")

    alert = Alert(
        key="k", indicator_id="i", description="", date=dt.date(2020, 1, 1),
        fused_id="f", event_ids=["f"], evidence="",
    )  # fmt: skip
    delivery = deliver(alert, "http://hook", send=refuse, attempts=4, sleep=waits.append)
    assert not delivery.ok and delivery.attempts == 4
    assert waits == [1.0, 2.0, 4.0]


class _Hook(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []  # noqa: RUF012

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback_hook() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_post_json_reaches_a_loopback_server(loopback_hook: str) -> None:
    post_json(loopback_hook, b'{"a": 1}', timeout=5)
    assert _Hook.bodies[-1] == b'{"a": 1}'


def test_post_json_refuses_other_schemes() -> None:
    with pytest.raises(ValueError, match="http"):
        post_json("file:///etc/passwd", b"{}")
