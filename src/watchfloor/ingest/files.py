"""Files and folders: walk, filter by glob, pick a reader, report each skip with its reason."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchfloor.errors import IngestError, TooLarge, UnsupportedFormat
from watchfloor.ingest.feed import looks_like_feed, read_feed
from watchfloor.ingest.html import read_html
from watchfloor.ingest.pdf import read_pdf
from watchfloor.ingest.text import read_text
from watchfloor.model import Document

Reader = Callable[[bytes, str], Document]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": lambda data, source: read_text(data, source, fmt="md"),
    ".markdown": lambda data, source: read_text(data, source, fmt="md"),
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Skipped:
    """A source that was not ingested, and why."""

    source: str
    reason: str
    detail: str = ""


def ingest(
    paths: Iterable[Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    published: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document | Skipped]:
    """Read every file under `paths` (folders recursively) into Documents or Skips."""
    for path in iter_files(paths, include=include, exclude=exclude):
        yield from read_path(path, published=published, max_bytes=max_bytes)


def iter_files(
    paths: Iterable[Path], *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Iterator[Path]:
    """The files named, and the readable files inside the folders named, filtered by glob.

    Inside a folder only known kinds of file are taken (text, Markdown, HTML, PDF,
    feeds), so that a folder of reports with their notes and data files just works.
    """
    known = set(READERS) | FEED_SUFFIXES
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in known)
            yield from (p for p in found if _wanted(p.relative_to(path), include, exclude))
        else:
            yield path


def _wanted(rel: Path, include: Sequence[str], exclude: Sequence[str]) -> bool:
    name = rel.as_posix()
    if any(part.startswith(".") for part in rel.parts):
        return False
    if include and not _matches(name, rel.name, include):
        return False
    return not _matches(name, rel.name, exclude)


def _matches(name: str, base: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(base, g) for g in globs)


def read_path(
    path: Path, *, published: dt.date | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | Skipped]:
    """Read one file: one Document (a feed gives several), or a Skipped with its reason."""
    source = str(path)
    try:
        data = _read_bytes(path, max_bytes)
        if path.suffix.lower() in FEED_SUFFIXES or (
            path.suffix.lower() not in READERS and looks_like_feed(data)
        ):
            for item in read_feed(data, source):
                yield _skip(item) if isinstance(item, IngestError) else _dated(item, published)
            return
        yield _dated(_reader_for(path, data)(data, source), published)
    except IngestError as e:
        yield _skip(e)
    except OSError as e:
        yield Skipped(source, "unreadable", e.strerror or str(e))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLarge(str(path), f"{size:,} bytes, over the limit of {max_bytes:,}")
    return path.read_bytes()


def _reader_for(path: Path, data: bytes) -> Reader:
    suffix = path.suffix.lower()
    if suffix in READERS:
        return READERS[suffix]
    if data[:5] == b"%PDF-":
        return read_pdf
    head = data[:1024].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return read_html
    if suffix == "":
        return read_text
    raise UnsupportedFormat(str(path), f"no reader for '{suffix}' files")


def _dated(document: Document, published: dt.date | None) -> Document:
    if published is None:
        return document
    return document.model_copy(update={"published": published})


def _skip(error: IngestError) -> Skipped:
    return Skipped(error.source, error.reason, error.detail)
