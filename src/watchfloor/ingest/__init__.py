"""Ingest: files, folders and feeds in; `Document`s (or skips with a reason) out.

>>> from pathlib import Path
>>> [type(r).__name__ for r in ingest([Path("no-such-file.txt")])]
['Skipped']
"""

from watchfloor.ingest.files import Skipped, ingest, read_path
from watchfloor.ingest.text import make_document

__all__ = ["Skipped", "ingest", "make_document", "read_path"]
