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
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
            if token.i + 1 < len(doc) and not doc[token.i + 1].is_punct:
                doc[token.i + 1].is_sent_start = False  # no one-word sentence at a line start
    return doc


def add_line_breaks(nlp: Language) -> None:
    """Insert the component before the parser (or first, if there is none)."""
    if COMPONENT in nlp.pipe_names:
        return
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
    else:
        nlp.add_pipe(COMPONENT, first=True)
