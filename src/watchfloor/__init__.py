"""watchfloor: reports in; events, claims, attributions and judgments out, with their evidence.

>>> import watchfloor
>>> desk = watchfloor.open("desk.db")   # doctest: +SKIP
"""

from typing import TYPE_CHECKING, Any

from watchfloor.config import Settings, load_settings
from watchfloor.model import (
    Actor,
    Attribution,
    Claim,
    Document,
    Event,
    Judgment,
    KeyDate,
    Place,
    Relation,
    SourceSpan,
)

if TYPE_CHECKING:
    from watchfloor.api import Desk

__version__ = "0.1.0"


def open(db: str | None = None) -> "Desk":
    """Open (creating if needed) a watchfloor database; methods return DataFrames."""
    from watchfloor.api import open_desk

    return open_desk(db)


def __getattr__(name: str) -> Any:
    if name == "Desk":
        from watchfloor.api import Desk

        return Desk
    raise AttributeError(f"module 'watchfloor' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Attribution",
    "Claim",
    "Desk",
    "Document",
    "Event",
    "Judgment",
    "KeyDate",
    "Place",
    "Relation",
    "Settings",
    "SourceSpan",
    "__version__",
    "load_settings",
    "open",
]
