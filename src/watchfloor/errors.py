"""watchfloor's exceptions, one tree, so that callers can catch by stage.

WatchfloorError
├── ConfigError            a setting or settings file is wrong
├── KnowledgeError         a knowledge file is missing or malformed
├── IngestError            a source could not be read into a Document
│   ├── EmptyDocument
│   ├── BinaryDocument
│   ├── DecodeFailed
│   ├── TooLarge
│   └── UnsupportedFormat
├── ExtractError           extraction failed on one document
├── StoreError             the database could not be read or written
│   └── SchemaOutOfDate
├── StageFailed            a pipeline stage failed; names the stage
└── ImportFailed           an outside data file (ACLED CSV, ...) is unusable
"""

from __future__ import annotations


class WatchfloorError(Exception):
    """Base of every error that watchfloor raises on purpose."""


class ConfigError(WatchfloorError):
    """A setting or a settings file is wrong."""


class KnowledgeError(WatchfloorError):
    """A knowledge file is missing or malformed."""


class IngestError(WatchfloorError):
    """A source could not be read into a Document; `reason` says why, for the summary."""

    reason = "unreadable"

    def __init__(self, source: str, detail: str = "") -> None:
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: {self.reason}{': ' + detail if detail else ''}")


class EmptyDocument(IngestError):
    """The source holds no text."""

    reason = "empty"


class BinaryDocument(IngestError):
    """The source is binary data, not text."""

    reason = "binary"


class DecodeFailed(IngestError):
    """The bytes are not in a text encoding watchfloor can read."""

    reason = "undecodable"


class TooLarge(IngestError):
    """The source is over the size limit (setting `max_document_bytes`)."""

    reason = "too large"


class UnsupportedFormat(IngestError):
    """No reader handles this kind of file."""

    reason = "unsupported format"


class ExtractError(WatchfloorError):
    """Extraction failed on one document."""


class StoreError(WatchfloorError):
    """The database could not be read or written."""


class SchemaOutOfDate(StoreError):
    """The database schema is older than this version of watchfloor."""


class StageFailed(WatchfloorError):
    """A pipeline stage failed; `stage` names it and the cause is chained."""

    def __init__(self, stage: str, source: str, cause: BaseException) -> None:
        self.stage = stage
        self.source = source
        super().__init__(f"{stage} failed on {source}: {cause}")


class ImportFailed(WatchfloorError):
    """An outside data file (an ACLED export, ...) cannot be used."""
