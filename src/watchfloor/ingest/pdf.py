"""PDF files through pypdf: the text of every page, title and date from the metadata."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from watchfloor.errors import DecodeFailed, EmptyDocument
from watchfloor.ingest.text import make_document
from watchfloor.model import Document


def read_pdf(data: bytes, source: str) -> Document:
    """Read a PDF into a Document; a broken or text-less PDF raises an IngestError."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise DecodeFailed(source, f"broken PDF ({e})") from e
    text = "\n\n".join(unwrap_lines(p.strip()) for p in pages if p.strip())
    if not text:
        raise EmptyDocument(source, "the PDF has no extractable text (scanned images need OCR)")
    title = meta.title if meta is not None else None
    created = _creation_date(meta)
    return make_document(
        text, source=source, fmt="pdf", title=str(title) if title else None, published=created
    )


WRAPPED_SHARE = 0.7  # a line this share of the page's longest was cut by the layout
ENDS_SENTENCE = (".", "!", "?", ":", ";", '"', "\u201d", ")")


def unwrap_lines(page: str) -> str:
    r"""Join the lines that the PDF's layout wrapped, so that a sentence is one line again.

    A line is wrapped when it is nearly as long as the page's longest and does not
    end a sentence, or when the next line goes on in lower case; headings and short
    lines keep their breaks (the sentence splitter relies on them).

    >>> unwrap_lines("Title\nRockets struck the base near\nKirkuk on Friday. It was the\nthird.")
    'Title\nRockets struck the base near Kirkuk on Friday. It was the third.'
    """
    lines = page.splitlines()
    longest = max((len(line.rstrip()) for line in lines), default=0)
    out: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        if out and _wrapped(out[-1], line, longest):
            joiner = "" if out[-1].endswith("-") and line[:1].islower() else " "
            out[-1] = out[-1] + joiner + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def _wrapped(previous: str, line: str, longest: int) -> bool:
    if not previous.strip() or not line.strip() or previous.endswith(ENDS_SENTENCE):
        return False
    if line.lstrip()[:1].islower():
        return True
    return len(previous) >= WRAPPED_SHARE * longest and len(previous.split()) > 4


def _creation_date(meta: object) -> dt.date | None:
    try:
        created = getattr(meta, "creation_date", None)
    except (ValueError, TypeError):
        return None
    return created.date() if isinstance(created, dt.datetime) else None
