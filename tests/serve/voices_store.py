"""A small store built without the spaCy model: a few statements (one of them hostile), each in
a document of its own with true spans, and half a year of rocket attacks with two US strikes
(1.5 attacks a day before the strike of 2020-03-13, 0.4 after).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.strikes_store import save_attacks
from watchfloor.ingest import make_document
from watchfloor.model import Extraction, SourceSpan, Statement
from watchfloor.store import Store

HOSTILE_QUOTE = (
    "<script>window.__pwned=1</script>"
    '<img src=x onerror="window.__pwned=2"> we will burn their bases'
)


@dataclass(frozen=True)
class Saying:
    """A statement to store: its sentence, the quoted words in it, and who said it when."""

    day: dt.date | None
    speaker: str
    kind: str
    sentence: str
    words: str
    on_behalf_of: str | None = None
    role: str | None = None
    deadline: dt.date | None = None
    targets: tuple[str, ...] = ()


SAYINGS = [
    Saying(dt.date(2020, 2, 10), "kataib-hezbollah", "victory_claim",
           'Kataib Hezbollah said the pullback was "a humiliating defeat for Washington".',
           "a humiliating defeat for Washington", role="spokesman"),
    Saying(dt.date(2020, 3, 16), "abu-ali-al-askari", "threat",
           'Abu Ali al-Askari wrote: "we will strike the occupier wherever it hides".',
           "we will strike the occupier wherever it hides", on_behalf_of="kataib-hezbollah",
           role="security official", targets=("united-states",)),
    Saying(dt.date(2020, 3, 18), "kataib-hezbollah", "ultimatum",
           'The group said: "the occupation forces must leave by the end of the year".',
           "the occupation forces must leave by the end of the year",
           deadline=dt.date(2020, 12, 31), targets=("united-states",)),
    Saying(dt.date(2020, 3, 19), "kataib-hezbollah", "threat",
           f'Kataib Hezbollah warned: "{HOSTILE_QUOTE}".', HOSTILE_QUOTE),
    Saying(dt.date(2020, 3, 20), "asaib-ahl-al-haq", "threat",
           'Asaib Ahl al-Haq said: "the occupiers will pay a heavy price".',
           "the occupiers will pay a heavy price"),
    Saying(None, "kataib-hezbollah", "denial",
           '"We had nothing to do with the rockets," the group said.',
           "We had nothing to do with the rockets"),
]  # fmt: skip


def save_saying(store: Store, n: int, saying: Saying) -> Statement:
    """Store one saying in a document of its own; the statement stored."""
    text = f"BAGHDAD - {saying.sentence}\n"
    document = make_document(
        text, source=f"said-{n}.txt", fmt="txt", title=f"Statement {n}", published=saying.day
    )
    doc_id = document.document_id

    def span(words: str) -> SourceSpan:
        start = text.index(words)
        return SourceSpan(document_id=doc_id, start=start, end=start + len(words), text=words)

    statement = Statement(
        id=f"{doc_id[:12]}-s{n}",
        document_id=doc_id,
        speaker_id=saying.speaker,
        on_behalf_of=saying.on_behalf_of,
        role=saying.role,
        date=saying.day,
        date_precision="day" if saying.day else "unknown",
        kind=saying.kind,  # type: ignore[arg-type]
        cameo="138" if saying.kind == "threat" else None,
        channel="statement",
        target_ids=list(saying.targets),
        deadline=saying.deadline,
        quotes=[span(saying.words)],
        span=span(saying.sentence),
    )
    store.save(document, Extraction(document_id=doc_id, statements=[statement]))
    return statement


def build(db: str) -> list[Statement]:
    """The whole store at `db`; the statements stored, in SAYINGS order."""
    with Store.open(db) as store:
        said = [save_saying(store, n, saying) for n, saying in enumerate(SAYINGS)]
        save_attacks(store)
    return said
