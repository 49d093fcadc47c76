"""Extract: a Document in; its events, claims, attributions, judgments and key dates out.

Every value keeps the span of text that says it. `build_extractor` loads the spaCy
pipeline and the knowledge base once; the extractor it returns is then called once
per document.
"""

from __future__ import annotations

from watchfloor.extract.pipeline import Extractor, build_extractor, extract

__all__ = ["Extractor", "build_extractor", "extract"]
