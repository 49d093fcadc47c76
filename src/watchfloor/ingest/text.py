"""Plain text and Markdown: decoding, front matter, and building a `Document`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import yaml
from charset_normalizer import from_bytes

from watchfloor.errors import BinaryDocument, DecodeFailed, EmptyDocument
from watchfloor.model import Document

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with by as at from were it said has have".split()
)


def looks_binary(data: bytes) -> bool:
    """True when bytes hold NULs or many control characters (not text).

    >>> looks_binary(b"\\x00\\x01\\x02PK")
    True
    """
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8, else the encoding charset-normalizer finds; raise if none fits.

    >>> decode("Kata’ib".encode("cp1252"), "x.txt")
    'Kata’ib'
    """
    if looks_binary(data):
        raise BinaryDocument(source, "holds NUL or control bytes; not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if _mostly_ascii(data):
        # English-language text that is not UTF-8 is nearly always Windows-1252
        # (curly quotes, dashes); short samples fool a statistical detector.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise DecodeFailed(source, "not UTF-8 and no other text encoding fits; save it as UTF-8")
    return str(best)


def _mostly_ascii(data: bytes) -> bool:
    return sum(b < 128 for b in data) >= 0.9 * len(data)


# libyaml's safe loader where PyYAML was built with it (ten times faster on front matter)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a leading YAML front-matter block (--- ... ---) from the body.

    >>> split_front_matter("---\\ntitle: A\\n---\\nBody")
    ({'title': 'A'}, 'Body')
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.load(match.group(1), Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[match.end() :]


def guess_language(text: str) -> str:
    """'en' when common English words are frequent, else 'und' (undetermined).

    >>> guess_language("Rockets struck the base on Tuesday, officials said.")
    'en'
    """
    words = re.findall(r"[a-z]+", text[:5000].lower())
    if not words:
        return "und"
    share = sum(w in ENGLISH_WORDS for w in words) / len(words)
    return "en" if share > 0.08 else "und"


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace runs collapsed, so re-wrapped copies match.

    >>> content_hash("a  b") == content_hash("a b\\n")
    True
    """
    canonical = " ".join(text.split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_date(value: object) -> dt.date | None:
    """A date from front matter or metadata (date, datetime or ISO-like string), else None.

    >>> parse_date("2020-03-12T10:00:00Z")
    datetime.date(2020, 3, 12)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def make_document(
    text: str,
    *,
    source: str,
    fmt: str,
    title: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    language: str | None = None,
) -> Document:
    """Build a validated `Document`, its id derived from the content hash.

    >>> make_document("Rockets hit the base.", source="a.txt", fmt="txt").title
    'Rockets hit the base.'
    """
    text = CONTROL.sub(" ", text).strip()
    if not text:
        raise EmptyDocument(source, "no text after extraction")
    digest = content_hash(text)
    first_line = text.split("\n", 1)[0].strip()
    return Document(
        document_id=digest[:16],
        title=(title or (first_line if len(first_line) <= 160 else first_line[:157] + "...")),
        source=source,
        url=url,
        published=published,
        language=language or guess_language(text),
        content_hash=digest,
        format=fmt,
        text=text,
        outlet=outlet,
        author=author,
    )


def read_text(data: bytes, source: str, *, fmt: str = "txt") -> Document:
    """Read a text or Markdown file; YAML front matter gives title, published, url, source."""
    meta, body = split_front_matter(decode(data, source))
    return make_document(
        body,
        source=source,
        fmt=fmt,
        title=_str(meta.get("title")),
        published=parse_date(meta.get("published") or meta.get("date")),
        url=_str(meta.get("url")),
        outlet=_str(meta.get("source") or meta.get("outlet")),
        author=_str(meta.get("author")),
        language=_str(meta.get("language")),
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)
