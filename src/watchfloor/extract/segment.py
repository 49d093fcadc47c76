"""Sentence boundaries that the parser must respect: a line break ends a sentence.

Headlines, datelines and list items stand on their own lines; without this the
parser runs a headline into the first sentence of the story.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "watchfloor_line_breaks"


@Language.component(COMPONENT)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first word after a line break.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = line_breaks(nlp.make_doc("Rockets hit Balad\\nTwo were hurt"))
    >>> [t.text for t in doc if t.is_sent_start]
    ['Rockets', 'Two']
    >>> doc = line_breaks(nlp.make_doc("KIRKUK, Dec. 27 (Wire) - Rockets hit K-1"))
    >>> [t.text for t in doc if t.is_sent_start]
    ['KIRKUK', 'Rockets']
    """
    _end_dateline(doc)
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
            if token.i + 1 < len(doc) and not doc[token.i + 1].is_punct:
                doc[token.i + 1].is_sent_start = False  # no one-word sentence at a line start
    return doc


DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def _end_dateline(doc: Doc) -> None:
    """'BAGHDAD, March 15 (Wire) - Rockets were fired ...': the story starts after the dash.

    Left joined, the parser takes the city for the subject of the first sentence.
    """
    for line_start in [0] + [t.i + 1 for t in doc[:-1] if "\n" in t.whitespace_ or t.is_space]:
        first = doc[line_start] if line_start < len(doc) else None
        if first is None or not (first.is_upper and len(first.text) > 2):
            continue
        head = doc[line_start : line_start + 16]
        dash = next((t for t in head if t.text in DASHES and t.i > line_start + 1), None)
        commas = [t for t in head if dash is not None and t.i < dash.i and t.text == ","]
        if dash is not None and commas and dash.i + 1 < len(doc):
            doc[dash.i + 1].is_sent_start = True


def add_line_breaks(nlp: Language) -> None:
    """Insert the component before the parser (or first, if there is none)."""
    if COMPONENT in nlp.pipe_names:
        return
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
    else:
        nlp.add_pipe(COMPONENT, first=True)
