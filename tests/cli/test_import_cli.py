"""`watchfloor import acled`, run through its Typer sub-app."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from watchfloor.cli import imports
from watchfloor.store import Store

SAMPLE = Path(__file__).parent.parent / "ingest" / "data" / "acled-iraq-2020-2021.csv"
runner = CliRunner()


def test_import_reports_skipped_lines_and_exits_1(tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    result = runner.invoke(imports.app, ["acled", str(SAMPLE), "--db", db])
    assert result.exit_code == 1, result.output
    assert "Skipped rows" in result.output
    assert "impossible date" in result.output and "15" in result.output
    with Store.open(db) as store:
        assert len(store.events()) == 12


def test_a_clean_file_exits_0_and_twice_adds_nothing(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(True)[:5]))
    db = str(tmp_path / "desk.db")
    first = runner.invoke(imports.app, ["acled", str(clean), "--db", db])
    second = runner.invoke(imports.app, ["acled", str(clean), "--db", db])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    with Store.open(db) as store:
        assert len(store.events()) == 4


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(imports.app, ["acled", str(tmp_path / "none.csv"), "--db", "x.db"])
    assert result.exit_code == 2


def test_help_has_an_example() -> None:
    result = runner.invoke(imports.app, ["acled", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
