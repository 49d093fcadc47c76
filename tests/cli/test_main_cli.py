"""The command line: init, ingest (with skips and exit codes), documents, export."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from watchfloor.cli import app

runner = CliRunner()
REPORT = "Three rockets struck the Taji base north of Baghdad late on Tuesday, officials said."


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.md").write_text(
        f"---\ntitle: B\npublished: 2020-03-12\n---\n{REPORT} More.", encoding="utf-8"
    )
    (folder / "notes.yaml").write_text("ignored: true", encoding="utf-8")
    return folder


def test_help_teaches() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "documents", "export", "kb", "events", "init"):
        assert command in result.output
    result = runner.invoke(app, ["ingest", "--help"])
    assert "Example" in result.output and "--published" in result.output


def test_init_ingest_list_export(tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    folder = corpus(tmp_path)
    result = runner.invoke(app, ["ingest", str(folder), "--db", db, "--no-extract"])
    assert result.exit_code == 0, result.output
    assert "documents added" in result.output
    again = runner.invoke(app, ["ingest", str(folder), "--db", db, "--no-extract"])
    assert again.exit_code == 0
    listing = runner.invoke(app, ["documents", "--db", db])
    assert "2 documents" in listing.output
    out = tmp_path / "bundle.json"
    result = runner.invoke(app, ["export", "--format", "bundle", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {
        "documents",
        "events",
        "actors",
        "relations",
        "key_dates",
        "judgments",
        "statements",
    }
    assert len(data["documents"]) == 2
    csv_out = runner.invoke(app, ["export", "--format", "csv", "--db", db])
    assert csv_out.output.startswith("id,date,")


def test_skips_give_exit_code_1_and_reasons(tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(bad), str(good), "--db", db, "--no-extract"])
    assert result.exit_code == 1
    assert "binary" in result.output
    listing = runner.invoke(app, ["documents", "--db", db])
    assert "1 documents" in listing.output


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_show_unknown_document(tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    result = runner.invoke(app, ["documents", "show", "nope", "--db", db])
    assert result.exit_code == 2
