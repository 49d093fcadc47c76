"""RSS and Atom feed files: one Document per item, its full text from the item's content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import feedparser

from watchfloor.errors import DecodeFailed, IngestError
from watchfloor.ingest.html import html_to_text
from watchfloor.ingest.text import make_document
from watchfloor.model import Document


def looks_like_feed(data: bytes) -> bool:
    """True for RSS or Atom XML.

    >>> looks_like_feed(b'<?xml version="1.0"?><rss version="2.0">')
    True
    """
    head = data[:2048].lower()
    return b"<rss" in head or (b"<feed" in head and b"atom" in head) or b"<rdf:rdf" in head


def read_feed(data: bytes, source: str) -> Iterator[Document | IngestError]:
    """Yield one Document per feed item, or the error that made an item unusable."""
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise DecodeFailed(source, f"not a readable feed ({parsed.bozo_exception})")
    for n, entry in enumerate(parsed.entries, start=1):
        item = f"{source}#{entry.get('id') or entry.get('link') or n}"
        try:
            yield _entry_document(entry, item)
        except IngestError as e:
            yield e


def _entry_document(entry: Any, item: str) -> Document:
    contents = [c.get("value", "") for c in entry.get("content", [])]
    body = max(contents, key=len) if contents else entry.get("summary", "")
    return make_document(
        html_to_text(body) if "<" in body else body,
        source=item,
        fmt="feed",
        title=entry.get("title"),
        published=_entry_date(entry),
        url=entry.get("link"),
        author=entry.get("author"),
    )


def _entry_date(entry: Any) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except ValueError:
        return None
