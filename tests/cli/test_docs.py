"""The docs cannot fall behind the commands: docs/cli.md is their --help, regenerated."""

from __future__ import annotations

from pathlib import Path

from watchfloor.cli.docs import cli_markdown

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8").strip() == cli_markdown().strip(), (
        "docs/cli.md is out of date: run `make docs`"
    )


def test_every_command_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    commands = ("ingest", "documents", "events", "export", "kb", "tempo", "forecast", "outlook")
    for command in (*commands, "watch", "judgments", "network", "attribute", "import"):
        assert f"## watchfloor {command}" in text
