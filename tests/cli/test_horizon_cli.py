"""`watchfloor judgments` and `watch` on temporary stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from watchfloor.cli import horizon
from watchfloor.ingest import make_document
from watchfloor.model import Event, Extraction, Judgment, Munitions, SourceSpan
from watchfloor.store import Store

runner = CliRunner()
ENV = {"COLUMNS": "240"}


def app() -> typer.Typer:
    cli = typer.Typer()
    cli.command("outlook")(horizon.outlook_command)
    cli.command("watch")(horizon.watch_command)
    cli.add_typer(horizon.judgments_app, name="judgments")
    return cli


def seeded(tmp_path: Path) -> str:
    db = str(tmp_path / "h.db")
    text = "Thirty rockets struck Camp Taji. It is likely that more attacks will follow."
    document = make_document(
        text, source="r.txt", fmt="txt", outlet="ISW", author="Ann Analyst",
        published=dt.date(2020, 3, 12),
    )  # fmt: skip
    doc_id = document.document_id
    event = Event(
        id=f"{doc_id}-e1", date=dt.date(2020, 3, 11), event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", weapon="rocket",
        munitions=Munitions(count=30, weapon="rocket"),
        sources=[SourceSpan(document_id=doc_id, start=0, end=32, text=text[:32])],
    )  # fmt: skip
    judgment = Judgment(
        id=f"{doc_id}:j33", text=text[33:], term="likely", probability=(0.55, 0.8),
        document_id=doc_id,
    )  # fmt: skip
    with Store.open(db) as store:
        store.save(document, Extraction(document_id=doc_id, events=[event], judgments=[judgment]))
        store.refuse()
    return db


def judgment_id(db: str) -> str:
    with Store.open(db) as store:
        return store.judgments()[0].id


def test_judgments_list_shows_range_and_source(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    result = runner.invoke(app(), ["judgments", "list", "--db", db], env=ENV)
    assert result.exit_code == 0, result.output
    assert "55%-80%" in result.output and "0.675" in result.output
    assert "ISW" in result.output and "open" in result.output


def test_judgments_resolve_then_score(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    found = judgment_id(db)
    resolved = runner.invoke(app(), ["judgments", "resolve", found, "true", "--db", db])
    assert resolved.exit_code == 0, resolved.output
    with Store.open(db) as store:
        assert store.judgments()[0].outcome is True
    listed = runner.invoke(app(), ["judgments", "list", "--open", "--db", db], env=ENV)
    assert found not in listed.output
    scores = runner.invoke(app(), ["judgments", "scores", "--db", db], env=ENV)
    assert scores.exit_code == 0, scores.output
    assert "0.106" in scores.output and "Ann Analyst" in scores.output
    assert "100%" in scores.output  # observed frequency of "likely"


def test_resolving_an_unknown_judgment_fails_cleanly(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    result = runner.invoke(app(), ["judgments", "resolve", "nope", "false", "--db", db])
    assert result.exit_code == 2
    assert "no judgment" in result.output


def test_watch_posts_to_the_webhook_and_survives_a_dead_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = seeded(tmp_path)
    calls: list[str] = []

    def dead(url: str, body: bytes) -> None:
        calls.append(url)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(horizon, "SEND", dead)
    monkeypatch.setattr("watchfloor.analyse.indicators.time.sleep", lambda s: None)
    alerts = tmp_path / "alerts.jsonl"
    args = ["watch", "--db", db, "--alerts", str(alerts), "--webhook", "http://127.0.0.1:9/x"]
    result = runner.invoke(app(), args, env=ENV)
    assert result.exit_code == 0, result.output
    assert "large-rocket-salvo" in result.output and "webhook failed" in result.output
    assert len(calls) == 4 * len(alerts.read_text().splitlines())


def test_outlook_on_an_empty_store(tmp_path: Path) -> None:
    args = ["outlook", "--db", str(tmp_path / "e.db"), "--as-of", "2021-01-01", "--days", "7"]
    result = runner.invoke(app(), args, env=ENV)
    assert result.exit_code == 0, result.output
    assert "no attacks on record" in result.output and "2021-01-03" in result.output
