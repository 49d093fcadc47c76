"""`watchfloor effect at` and `effect table` on a store of known attacks and strikes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.strikes_store import STRIKE, STRIKES, save_attacks
from watchfloor.cli import effects
from watchfloor.store import Store

runner = CliRunner()
ENV = {"COLUMNS": "200"}


def app() -> typer.Typer:
    cli = typer.Typer()
    cli.add_typer(effects.app, name="effect")
    return cli


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Rockets at 1.5 a day on US sites, 0.4 a day after the US strike of 2020-03-13."""
    db = str(tmp_path_factory.mktemp("effect") / "e.db")
    with Store.open(db) as store:
        save_attacks(store)
    return db


def strike_id(db: str, day: dt.date) -> str:
    with Store.open(db) as store:
        return next(f.id for f in store.fused_events(since=day, until=day, sub_event_type=STRIKE))


def test_effect_of_a_strike_by_its_id(desk: str) -> None:
    fused = strike_id(desk, STRIKES[1])
    result = runner.invoke(app(), ["effect", "at", fused, "--db", desk], env=ENV)
    assert result.exit_code == 0, result.output
    assert "After the air/drone strike by united-states against kataib-hezbollah" in result.output
    assert "a drop" in result.output and "expected" in result.output


def test_effect_at_a_date_as_json(desk: str) -> None:
    args = ["effect", "at", "2020-03-13", "--db", desk, "--format", "json", "--window", "4w"]
    result = runner.invoke(app(), args, env=ENV)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["window_days"] == 28 and data["verdict"] == "drop"
    assert data["ratio"]["low"] < data["ratio"]["value"] < data["ratio"]["high"] < 1
    # the strike itself is not an attack: only the rockets are counted
    assert data["observed_after"] < 0.6 * data["expected_after"]["value"]


def test_effect_at_a_calendar_deadline_and_an_anniversary(desk: str) -> None:
    deadline = runner.invoke(app(), ["effect", "at", "kh-deadline-2020-03-15", "--db", desk])
    assert deadline.exit_code == 0, deadline.output
    assert "2020-03-15" in deadline.output
    yearly = runner.invoke(app(), ["effect", "at", "soleimani-killed", "--db", desk])
    assert yearly.exit_code == 2 and "soleimani-killed:2020" in yearly.output
    dated = runner.invoke(app(), ["effect", "at", "soleimani-killed:2020", "--db", desk])
    assert dated.exit_code == 0 and "2020-01-03" in dated.output


def test_effect_from_a_counts_file(tmp_path: Path) -> None:
    counts = tmp_path / "daily.csv"
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=d) for d in range(150)]
    rows = [f"{d},{4 if d < dt.date(2021, 4, 20) else 1}" for d in days if d.day != 7]
    counts.write_text("date,count\n" + "\n".join(rows) + "\n", encoding="utf-8")
    args = ["effect", "at", "2021-04-20", "--counts", str(counts), "--db", str(tmp_path / "x.db")]
    result = runner.invoke(app(), args, env=ENV)
    assert result.exit_code == 0, result.output
    assert "a drop" in result.output and "left out, not counted as zero" in result.output


def test_table_of_us_strikes_on_kataib_hezbollah(desk: str) -> None:
    args = ["effect", "table", "--actor", "us", "--target", "kataib-hezbollah", "--db", desk]
    result = runner.invoke(app(), args, env=ENV)
    assert result.exit_code == 0, result.output
    assert "2020-01-03" in result.output and "2020-03-13" in result.output
    assert "Of 2 interventions, 2 have enough data" in result.output
    as_json = runner.invoke(app(), [*args, "--format", "json"], env=ENV)
    rows = json.loads(as_json.output)["rows"]
    assert [r["verdict"] for r in rows][1] == "drop"


def test_table_of_deadlines(desk: str) -> None:
    result = runner.invoke(app(), ["effect", "table", "--deadlines", "--db", desk], env=ENV)
    assert result.exit_code == 0, result.output
    assert "2020-03-15" in result.output


def test_bad_input_gets_a_clear_error(desk: str, tmp_path: Path) -> None:
    unknown = runner.invoke(app(), ["effect", "at", "not-a-thing", "--db", desk])
    assert unknown.exit_code == 2 and "is not a day" in unknown.output
    window = runner.invoke(app(), ["effect", "at", "2020-03-13", "--window", "soon", "--db", desk])
    assert window.exit_code == 2 and "not a span" in window.output
    nobody = runner.invoke(app(), ["effect", "table", "--actor", "nobody-at-all", "--db", desk])
    assert nobody.exit_code == 2 and "no actor" in nobody.output
    empty = runner.invoke(app(), ["effect", "at", "2020-03-13", "--db", str(tmp_path / "e.db")])
    assert empty.exit_code == 2 and "no attacks on record" in empty.output


def test_help_gives_examples() -> None:
    result = runner.invoke(app(), ["effect", "at", "--help"], env=ENV)
    assert result.exit_code == 0 and "watchfloor effect at 2020-03-13" in result.output
    table = runner.invoke(app(), ["effect", "table", "--help"], env=ENV)
    assert "--actor us --target kataib-hezbollah" in table.output
