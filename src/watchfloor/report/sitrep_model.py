"""The SITREP as a typed record: sections of statements, each with the sentences behind it.

A `Statement` is a sentence of the report with its `SourceRef`s: the document, its
title, the character span and the sentence that says it. `SourceIndex` numbers the
references once across the report, so that the sources section lists each sentence
once and every statement links to its numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from watchfloor.errors import WatchfloorError
from watchfloor.model import Document, SourceSpan

# No sentence ends at an initial ("U.S.") or a common abbreviation ("Gen.", "Dec.").
ABBREVIATIONS = (
    "Mr Mrs Ms Dr Gen Lt Col Maj Capt Sgt Adm Sen Rep Gov Pres St No "
    "Jan Feb Mar Apr Aug Sep Sept Oct Nov Dec"
).split()
SENTENCE_END = re.compile(
    r"(?<!\b[A-Z]\.)"
    + "".join(rf"(?<!\b{a}\.)" for a in ABBREVIATIONS)
    + r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n"
)
MAX_SENTENCE = 480


class ReportError(WatchfloorError):
    """A report cannot be built or written (bad period, no events, missing renderer)."""


@dataclass(frozen=True)
class SourceRef:
    """One numbered source: a document's sentence (or the whole document when no span)."""

    number: int
    document_id: str
    title: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    source: str = ""

    @property
    def anchor(self) -> str:
        """The id of this source's entry in the sources section."""
        return f"src-{self.number}"

    @property
    def link(self) -> str | None:
        """The document's web address, when it is an http(s) one (never another scheme)."""
        url = self.url or ""
        return url if url.lower().startswith(("http://", "https://")) else None


@dataclass(frozen=True)
class Statement:
    """A sentence of the report and the sources behind it.

    >>> Statement("3 attacks.").refs
    ()
    """

    text: str
    refs: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class EventRow:
    """One fused event of the events table: one row per real attack."""

    fused_id: str
    date: dt.date
    date_end: dt.date | None
    place: str
    admin1: str
    lat: float | None
    lon: float | None
    event_type: str
    sub_event_type: str
    weapon: str
    munitions: int | None
    munitions_text: str
    fatalities: int | None
    fatalities_text: str
    perpetrators: tuple[str, ...]
    claimants: tuple[str, ...]
    attributed: tuple[str, ...]
    targets: tuple[str, ...]
    n_sources: int
    refs: tuple[SourceRef, ...]
    is_attack: bool = True

    @property
    def when(self) -> str:
        """The date, or the window when the day is uncertain."""
        if self.date_end is not None and self.date_end != self.date:
            return f"{self.date.isoformat()} to {self.date_end.isoformat()}"
        return self.date.isoformat()


@dataclass(frozen=True)
class ClaimRow:
    """One attack with a claim or an attribution: who claimed it, and whom others blamed."""

    date: dt.date
    place: str
    claims: tuple[Statement, ...]
    attributions: tuple[Statement, ...]


@dataclass(frozen=True)
class FrontAssessment:
    """The analysis of competing hypotheses about one claimant, in brief."""

    actor_id: str
    name: str
    conclusion: Statement
    favoured: str | None
    term: str | None
    probability: tuple[float, float] | None
    candidates: tuple[tuple[str, float], ...]
    evidence: tuple[Statement, ...]


@dataclass(frozen=True)
class NetworkEdge:
    """A relation of the actor network, with what says so."""

    subject: str
    relations: str
    obj: str
    weight: int
    sources: tuple[str, ...]
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class KeyDateRow:
    """A date to watch in the outlook window."""

    date: dt.date
    kind: str
    what: str
    origin: str
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator's state on the outlook's first day."""

    indicator_id: str
    description: str
    active: bool
    status: str
    evidence: str


@dataclass(frozen=True)
class Chart:
    """A picture of the report in SVG and PNG, with its alternative text."""

    name: str
    title: str
    alt: str
    svg: bytes | None
    png: bytes


@dataclass(frozen=True)
class OutlookSection:
    """The outlook: the forecast in words, the key dates, the indicators."""

    start: dt.date
    end: dt.date
    statements: tuple[Statement, ...]
    key_dates: tuple[KeyDateRow, ...]
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class ThreatRow:
    """A threat or ultimatum of the period: who, when, the words, the deadline if any."""

    date: dt.date
    speaker: str
    kind: str
    words: str
    deadline: dt.date | None
    condition: str | None
    armed: bool
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class StatementGroup:
    """The period's statements of one kind: how many, and the few most worth reading."""

    kind: str
    label: str
    count: int
    top: tuple[Statement, ...]


@dataclass(frozen=True)
class ThemeRow:
    """A narrative theme: how often the period's statements carry it, and whether it rises."""

    theme: str
    label: str
    count: int
    speakers: tuple[str, ...]
    recent: int
    baseline_per_week: float
    ratio: float
    rising: bool
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class VoicesSection:
    """What they are saying: threats, deadlines, other statements, themes, and what followed."""

    summary: tuple[Statement, ...]
    threats: tuple[ThreatRow, ...]
    deadlines: tuple[KeyDateRow, ...]
    groups: tuple[StatementGroup, ...]
    themes: tuple[ThemeRow, ...]
    themes_said: Statement
    follow_ups: tuple[Statement, ...]
    headline: Statement | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EffectRow:
    """One intervention of the period and the estimate of the attacks after it."""

    date: dt.date
    kind: str
    label: str
    verdict: str
    ratio: str
    sentence: str
    notes: tuple[str, ...]
    overlaps: int
    refs: tuple[SourceRef, ...]


@dataclass(frozen=True)
class EffectsSection:
    """Did the strikes deter: the verdict in a line, the summary, one row per intervention."""

    verdict: Statement
    statements: tuple[Statement, ...]
    rows: tuple[EffectRow, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sitrep:
    """The whole SITREP: its period, takeaways, sections, charts and numbered sources."""

    title: str
    since: dt.date
    until: dt.date
    as_of: dt.date
    generated: dt.date
    documents: int
    takeaways: tuple[Statement, ...]
    tempo: tuple[Statement, ...]
    events: tuple[EventRow, ...]
    other_events: tuple[EventRow, ...]
    claims: tuple[ClaimRow, ...]
    claim_summary: tuple[Statement, ...]
    fronts: tuple[FrontAssessment, ...]
    network: tuple[NetworkEdge, ...]
    central: tuple[tuple[str, str, float], ...]
    voices: VoicesSection
    effects: EffectsSection
    outlook: OutlookSection
    charts: dict[str, Chart]
    sources: tuple[SourceRef, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def attacks(self) -> int:
        """How many attacks (fused events of violent types) the period holds."""
        return len(self.events)


class SourceIndex:
    """Numbers source references once, by document and span, in order of first use."""

    def __init__(self, documents: Mapping[str, dict[str, Any]], texts: TextLookup) -> None:
        self._documents = documents
        self._texts = texts
        self._refs: dict[tuple[str, int | None, int | None], SourceRef] = {}

    def span(self, span: SourceSpan | None) -> tuple[SourceRef, ...]:
        """The reference of a span, widened to its sentence (none for no span)."""
        if span is None:
            return ()
        start, end, text = self._texts.sentence(span)
        return (self._add(span.document_id, start, end, text),)

    def spans(
        self, spans: Iterable[SourceSpan | None], *, limit: int = 12
    ) -> tuple[SourceRef, ...]:
        """The references of several spans, once each, at most `limit`."""
        found: dict[int, SourceRef] = {}
        for span in spans:
            for ref in self.span(span):
                found.setdefault(ref.number, ref)
            if len(found) >= limit:
                break
        return tuple(found.values())

    def document(self, document_id: str) -> tuple[SourceRef, ...]:
        """The reference of a whole document (none if it is not stored)."""
        if document_id not in self._documents:
            return ()
        return (self._add(document_id, None, None, ""),)

    def all(self) -> tuple[SourceRef, ...]:
        """Every reference made so far, by number."""
        return tuple(sorted(self._refs.values(), key=lambda r: r.number))

    def _add(self, document_id: str, start: int | None, end: int | None, text: str) -> SourceRef:
        key = (document_id, start, end)
        if key not in self._refs:
            row = self._documents.get(document_id, {})
            self._refs[key] = SourceRef(
                number=len(self._refs) + 1,
                document_id=document_id,
                title=str(row.get("title") or document_id),
                start=start,
                end=end,
                text=text,
                published=row.get("published"),
                outlet=row.get("outlet"),
                url=row.get("url"),
                source=str(row.get("source") or ""),
            )
        return self._refs[key]


class TextLookup:
    """Documents' texts, read on first use, to widen a span to its sentence."""

    def __init__(self, read: Any) -> None:
        self._read = read
        self._texts: dict[str, str | None] = {}

    def sentence(self, span: SourceSpan) -> tuple[int, int, str]:
        """The sentence around a span: start, end and text (the span itself if unknown)."""
        text = self._text(span.document_id)
        if text is None or span.end > len(text):
            return span.start, span.end, span.text
        return sentence_around(text, span.start, span.end)

    def _text(self, document_id: str) -> str | None:
        if document_id not in self._texts:
            document: Document | None = self._read(document_id)
            self._texts[document_id] = document.text if document else None
        return self._texts[document_id]


def sentence_around(text: str, start: int, end: int) -> tuple[int, int, str]:
    """The sentence of `text` that holds [start, end), as (start, end, text).

    >>> sentence_around("One. Two rockets hit. Three.", 9, 16)
    (5, 21, 'Two rockets hit.')
    """
    first = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        first = match.end()
    found = SENTENCE_END.search(text, max(end, first))
    last = found.start() if found else len(text)
    if last - first > MAX_SENTENCE:
        first, last = max(first, start - MAX_SENTENCE // 2), min(last, end + MAX_SENTENCE // 2)
    return first, last, " ".join(text[first:last].split())
