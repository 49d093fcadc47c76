"""`watchfloor serve`: loopback by default, --public to listen elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from watchfloor.cli import serve

runner = CliRunner()


def app() -> typer.Typer:
    cli = typer.Typer()
    cli.command("serve")(serve.serve_command)
    cli.command("other")(lambda: None)
    return cli


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake(server_app: object, *, host: str, port: int) -> None:
        calls.append({"app": server_app, "host": host, "port": port})

    monkeypatch.setattr(serve, "run_server", fake)
    monkeypatch.delenv("WATCHFLOOR_TOKEN", raising=False)
    return calls


def test_loopback_by_default(tmp_path: Path, started: list[dict[str, Any]]) -> None:
    result = runner.invoke(app(), ["serve", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 0, result.output
    assert started[0]["host"] == "127.0.0.1" and started[0]["port"] == 8000
    assert "uploads are disabled" in result.output


def test_a_public_address_needs_the_flag(tmp_path: Path, started: list[dict[str, Any]]) -> None:
    db = str(tmp_path / "d.db")
    refused = runner.invoke(app(), ["serve", "--db", db, "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and not started
    assert "--public" in refused.output
    allowed = runner.invoke(app(), ["serve", "--db", db, "--host", "0.0.0.0", "--public"])
    assert allowed.exit_code == 0, allowed.output
    assert started[0]["host"] == "0.0.0.0"
    assert "anyone who can reach it can read" in allowed.output


def test_the_token_comes_from_the_environment(
    tmp_path: Path, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHFLOOR_TOKEN", "s3cret")
    result = runner.invoke(app(), ["serve", "--db", str(tmp_path / "d.db"), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert started[0]["app"].state.desk.token == "s3cret"
    assert "uploads are disabled" not in result.output
