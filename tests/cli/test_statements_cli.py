"""`watchfloor statements` and `watchfloor narratives`, on a store with a few statements.

The commands are registered by the main app; here they run in an app of their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from watchfloor.api import Desk
from watchfloor.cli.statements import narratives_command, statements_command
from watchfloor.ingest import make_document
from watchfloor.model import Extraction, SourceSpan, Statement
from watchfloor.store import Store

runner = CliRunner()
app = typer.Typer()
app.command("statements")(statements_command)
app.command("narratives")(narratives_command)


def stored(tmp_path: Path) -> str:
    """A database with one document and three statements of it."""
    db = str(tmp_path / "desk.db")
    text = "KH said the withdrawal was a humiliating escape. Askari warned of strikes."
    document = make_document(text, source="r.txt", fmt="txt")
    doc_id = document.document_id

    def said(n: int, day: dt.date | None, speaker: str, kind: str, words: str) -> Statement:
        content = SourceSpan(document_id=doc_id, start=0, end=len(words), text=words)
        return Statement(id=f"{doc_id}-s{n}", document_id=doc_id, speaker_id=speaker,
                         kind=kind, date=day, content=content, cameo="130")  # fmt: skip

    statements = [
        said(1, dt.date(2020, 3, 19), "kataib-hezbollah", "victory_claim", "a humiliating escape"),
        said(2, dt.date(2020, 3, 20), "abu-ali-al-askari", "threat", "we will strike the occupier"),
        said(3, None, "kataib-hezbollah", "ultimatum", "leave by the end of the year"),
    ]
    statements[1] = statements[1].model_copy(update={"on_behalf_of": "kataib-hezbollah"})
    with Store.open(db) as store:
        store.save(document, Extraction(document_id=doc_id, statements=statements))
    return db


def test_statements_lists_and_filters(tmp_path: Path) -> None:
    db = stored(tmp_path)
    result = runner.invoke(app, ["statements", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["kind"] for r in rows] == ["victory_claim", "threat", "ultimatum"]
    assert rows[0]["themes"] == "withdrawal-victory"
    result = runner.invoke(
        app, ["statements", "--db", db, "--actor", "kataib-hezbollah", "--kind", "threat",
              "--since", "2020-03-20", "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["speaker_id"] for r in found] == ["abu-ali-al-askari"]


def test_statements_table_and_a_bad_kind(tmp_path: Path) -> None:
    db = stored(tmp_path)
    result = runner.invoke(app, ["statements", "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "undated" in result.output and "humiliating" in result.output
    result = runner.invoke(app, ["statements", "--db", db, "--kind", "rumour"])
    assert result.exit_code == 2 and "unknown kind(s) rumour" in result.output


def test_narratives_shows_trends_and_weeks(tmp_path: Path) -> None:
    db = stored(tmp_path)
    result = runner.invoke(
        app, ["narratives", "--db", db, "--as-of", "2020-03-21"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Themes as of 2020-03-21" in result.output
    assert "2020-03-16" in result.output and "withdrawal-victory" in result.output


def test_desk_dataframes(tmp_path: Path) -> None:
    with Desk(Store.open(stored(tmp_path))) as desk:
        frame = desk.statements(kind="threat")
        assert frame["speaker_id"].tolist() == ["abu-ali-al-askari"]
        assert frame["themes"].tolist() == ["us-occupier"]
        weekly = desk.narratives()
        assert weekly[["theme", "actor_id", "statements"]].values.tolist() == [
            ["us-occupier", "kataib-hezbollah", 1],
            ["withdrawal-victory", "kataib-hezbollah", 1],
        ]
        assert desk.statements(actor_id="nobody").empty
