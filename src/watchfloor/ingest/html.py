"""HTML pages: main text through trafilatura, title and date from the page's metadata."""

from __future__ import annotations

import re

import trafilatura

from watchfloor.errors import EmptyDocument
from watchfloor.ingest.text import decode, make_document, parse_date
from watchfloor.model import Document

LANG = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment or page (scripts and markup dropped).

    >>> html_to_text("<p>Rockets <b>hit</b> Taji.</p><script>x()</script>")
    'Rockets hit Taji.'
    """
    text = trafilatura.extract(html, include_comments=False, include_tables=False, fast=True)
    if text:
        return str(text)
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return ""
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(str(tree.text_content()).split())


def read_html(data: bytes, source: str) -> Document:
    """Read an HTML page into a Document (the main text, not menus and footers)."""
    page = decode(data, source)
    extracted = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_tables=False
    )
    text = getattr(extracted, "text", None)
    if not text:
        text = html_to_text(page)
    if not text:
        raise EmptyDocument(source, "the page has no readable main text")
    lang = LANG.search(data[:4096])
    return make_document(
        text,
        source=source,
        fmt="html",
        title=getattr(extracted, "title", None),
        published=parse_date(getattr(extracted, "date", None)),
        url=getattr(extracted, "url", None),
        outlet=getattr(extracted, "sitename", None),
        author=getattr(extracted, "author", None),
        language=lang.group(1).decode().lower() if lang else None,
    )
