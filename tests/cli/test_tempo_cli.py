"""`watchfloor tempo` on a store of known events."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import shared_path
from watchfloor.cli import app
from watchfloor.extract import build_extractor
from watchfloor.ingest import make_document
from watchfloor.model import Event, Extraction, Munitions, SourceSpan
from watchfloor.pipeline import run
from watchfloor.store import Store

runner = CliRunner()


def attack(document_id: str, n: int, day: dt.date, rockets: int) -> Event:
    return Event(
        id=f"{document_id}-e{n}",
        date=day,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        munitions=Munitions(count=rockets, qualifier="exactly", weapon="rocket"),
        sources=[SourceSpan(document_id=document_id, start=0, end=5, text="Rockets")],
    )


def seeded(tmp_path: Path) -> str:
    db = str(tmp_path / "t.db")
    start = dt.date(2020, 1, 6)
    days = [start + dt.timedelta(weeks=w) for w in range(10) for _ in range(1 if w < 5 else 4)]
    with Store.open(db) as store:
        for n, day in enumerate(days):
            document = make_document(
                f"Rockets hit a base, report {n}.", source=f"r{n}.txt", fmt="txt"
            )
            event = attack(document.document_id, n, day, 3 if n < 5 else 30)
            store.save(document, Extraction(document_id=document.document_id, events=[event]))
    return db


def test_tempo_states_the_rates_and_draws_the_chart(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    chart = tmp_path / "tempo.png"
    result = runner.invoke(app, ["tempo", "--db", db, "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert "a week" in result.output
    assert chart.exists() and chart.with_suffix(".svg").exists()


def test_tempo_refuses_an_empty_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tempo", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 2
    assert "too few" in result.output


@pytest.mark.model
def test_tempo_on_the_reference_report_finds_the_march_2020_jump_in_scale(tmp_path: Path) -> None:
    """The seed assessment: small or uncounted attacks since January, then 30+ rockets."""
    seed = shared_path("seed", "iraq-proxies-2020.txt")
    db = str(tmp_path / "seed.db")
    with Store.open(db) as store:
        run([seed], store=store, extractor=build_extractor(), published=dt.date(2020, 4, 2))
    result = runner.invoke(app, ["tempo", "--db", db])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    found = re.search(r"A jump in scale on (\d{4}-\d\d-\d\d)", text)
    assert found, text
    assert found.group(1).startswith("2020-03"), text
