"""Knowledge: actors, places, relations, calendar and lexicons, shipped and the user's own.

>>> kb = load_knowledge()
>>> kb.actor("kataib-hezbollah").kind != ""
True
"""

from watchfloor.knowledge.loader import KnowledgeBase, load_knowledge, shipped_data
from watchfloor.knowledge.patterns import (
    CONTEXT_PREFIX,
    pattern_target,
    ruler_for,
    ruler_patterns,
)
from watchfloor.knowledge.records import (
    ActorEntry,
    CalendarEntry,
    Deadline,
    PlaceEntry,
    RecurringDate,
)

__all__ = [
    "CONTEXT_PREFIX",
    "ActorEntry",
    "CalendarEntry",
    "Deadline",
    "KnowledgeBase",
    "PlaceEntry",
    "RecurringDate",
    "load_knowledge",
    "pattern_target",
    "ruler_for",
    "ruler_patterns",
    "shipped_data",
]
