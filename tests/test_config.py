"""Settings: defaults, file, environment, flags; the user's knowledge file is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.config import load_settings
from watchfloor.errors import ConfigError


def test_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}).db == "sqlite:///watchfloor.db"
    (tmp_path / "watchfloor.toml").write_text('db = "desk.db"\n', encoding="utf-8")
    assert load_settings(env={}).db == "sqlite:///desk.db"
    assert load_settings(env={"WATCHFLOOR_DB": "env.db"}).db == "sqlite:///env.db"
    assert load_settings(env={"WATCHFLOOR_DB": "env.db"}, db="flag.db").db == "sqlite:///flag.db"


def test_user_knowledge_file_is_read_when_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}).knowledge == []
    (tmp_path / "watchfloor-knowledge.yaml").write_text("actors: []\n", encoding="utf-8")
    assert load_settings(env={}).knowledge == [Path("watchfloor-knowledge.yaml")]


def test_bad_settings_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "watchfloor.toml").write_text("db = [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={})
