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
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise EmptyDocument(source, "the PDF has no extractable text (scanned images need OCR)")
    title = meta.title if meta is not None else None
    created = _creation_date(meta)
    return make_document(
        text, source=source, fmt="pdf", title=str(title) if title else None, published=created
    )


def _creation_date(meta: object) -> dt.date | None:
    try:
        created = getattr(meta, "creation_date", None)
    except (ValueError, TypeError):
        return None
    return created.date() if isinstance(created, dt.datetime) else None
