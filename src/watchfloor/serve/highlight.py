"""Showing where a document says something: excerpts around a span, and a document cut into
segments, each with the kinds of span that cover it.

These return plain strings: the templates escape them (autoescape), so that a span never
becomes markup. A mark's kind comes from KINDS, never from the document.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

KINDS = (
    "event",
    "claim",
    "attribution",
    "judgment",
    "key_date",
    "relation",
    "statement",
    "mention",
    "focus",
)
CONTEXT_CHARS = 240
SAFE_SCHEMES = frozenset({"http", "https"})
UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address that a page may link to, else None.

    >>> safe_url("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> safe_url("javascript:alert(1)") is None, safe_url(" JaVaScRiPt:x") is None
    (True, True)
    """
    if not url or UNSAFE_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def locate(text: str, start: int, end: int, said: str) -> tuple[int, int] | None:
    """Where a span's words are in the text: at its offsets, or found nearby, else None.

    >>> locate("Rockets hit the base.", 0, 7, "Rockets")
    (0, 7)
    >>> locate("Two rockets hit.", 0, 7, "rockets")
    (4, 11)
    """
    if 0 <= start <= end <= len(text) and (not said or _same(text[start:end], said)):
        return start, end
    if not said:
        return None
    found = text.find(said, max(0, start - 2 * CONTEXT_CHARS))
    if found < 0:
        found = text.find(said)
    return (found, found + len(said)) if found >= 0 else None


def _same(one: str, other: str) -> bool:
    return " ".join(one.split()) == " ".join(other.split())


def excerpt(
    text: str, start: int, end: int, said: str = "", *, width: int = CONTEXT_CHARS
) -> dict[str, str | int] | None:
    """The span with up to `width` characters of its paragraph either side.

    >>> found = excerpt("First line.\\nRockets hit the base. Nobody claimed it.", 12, 33)
    >>> found["before"], found["mark"], found["after"]
    ('', 'Rockets hit the base.', ' Nobody claimed it.')
    """
    where = locate(text, start, end, said)
    if where is None:
        return None
    start, end = where
    left = max(text.rfind("\n", 0, start) + 1, start - width)
    right = text.find("\n", end)
    right = min(len(text) if right < 0 else right, end + width)
    before, after = text[left:start], text[end:right]
    if left > 0 and text[left - 1] != "\n":
        before = "…" + before.split(" ", 1)[-1]
    if right < len(text) and text[right] != "\n":
        after = after.rsplit(" ", 1)[0] + "…"
    return {"before": before, "mark": text[start:end], "after": after, "start": start, "end": end}


@dataclass(frozen=True)
class Mark:
    """A span of a document to show: its offsets, its kind (one of KINDS) and a note."""

    start: int
    end: int
    kind: str
    note: str = ""


@dataclass
class Segment:
    """A run of a document's text, and the marks that cover all of it."""

    text: str
    kinds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anchor: str | None = None


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """The text cut at every mark's start and end; each piece lists the marks over it.

    >>> [(s.text, s.kinds) for s in segments("abcdef", [Mark(1, 4, "event"), Mark(2, 3, "claim")])]
    [('a', []), ('b', ['event']), ('c', ['claim', 'event']), ('d', ['event']), ('ef', [])]
    """
    usable = [m for m in marks if m.kind in KINDS and 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text)} | {m.start for m in usable} | {m.end for m in usable})
    starting: dict[int, list[Mark]] = {}
    for mark in usable:
        starting.setdefault(mark.start, []).append(mark)
    active: list[Mark] = []
    found: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        active = [m for m in active if m.end > left] + starting.get(left, [])
        focus = any(m.kind == "focus" for m in starting.get(left, []))
        found.append(
            Segment(
                text[left:right],
                sorted({m.kind for m in active}),
                list(dict.fromkeys(m.note for m in active if m.note)),
                "focus" if focus else None,
            )
        )
    return found
