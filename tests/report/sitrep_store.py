"""A small store for SITREP tests, built by hand (no spaCy model): three attacks at Taji
and Besmaya in March 2020, a claim, an attribution, a protest, a key date, and a
document full of hostile markup that the report must render inert."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from watchfloor.model import (
    Attribution,
    Casualties,
    Claim,
    Document,
    Event,
    EventActor,
    Extraction,
    KeyDate,
    Munitions,
    Place,
    SourceSpan,
)
from watchfloor.store import Store

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1">'
HOSTILE_URL = "javascript:alert(1)"
TAJI = Place(place_id="camp-taji", name="Camp Taji", lat=33.53, lon=44.24, admin1="Baghdad",
             country="Iraq")  # fmt: skip
BESMAYA = Place(place_id="besmaya", name="Besmaya Range Complex", lat=33.19, lon=44.62,
                admin1="Baghdad", country="Iraq")  # fmt: skip
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")

WIRE = (
    "About 18 rockets struck Camp Taji on Wednesday night, killing three coalition troops. "
    "The United States said Kata'ib Hezbollah was behind the attack. "
    f"A post shared online read {HOSTILE} and was removed."
)
CLAIMS = (
    "Usbat al-Thairen claimed the March 11 attack on Camp Taji in a statement. "
    "On Saturday 33 rockets hit Camp Taji again, and Usbat al-Thairen claimed that too. "
    "The group set March 20 as a deadline for U.S. forces to leave."
)
BESMAYA_TEXT = "Two rockets hit the Besmaya Range Complex on Monday, with no casualties."
PROTEST = "Protesters gathered in Tahrir Square in Baghdad on March 5."


def _document(document_id: str, text: str, title: str, published: dt.date, **more: str) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(document_id=document_id, title=title, source=f"{document_id}.txt",
                    published=published, content_hash=digest, text=text, **more)  # fmt: skip


def span(document_id: str, text: str, part: str) -> SourceSpan:
    """The span of `part` in `text`."""
    start = text.index(part)
    return SourceSpan(document_id=document_id, start=start, end=start + len(part), text=part)


def _sentence(document_id: str, text: str, part: str) -> SourceSpan:
    start = text.index(part)
    end = text.index(".", start + len(part) - 1) + 1
    return SourceSpan(document_id=document_id, start=start, end=end, text=text[start:end])


def _wire() -> tuple[Document, Extraction]:
    d = "wire"
    event = Event(
        id="wire-e1", date=dt.date(2020, 3, 11), event_type=SHELLING[0],
        sub_event_type=SHELLING[1], place=TAJI, weapon="rocket",
        munitions=Munitions(count=18, qualifier="about", weapon="rocket",
                            span=span(d, WIRE, "About 18 rockets")),
        fatalities=Casualties(min=3, max=3, span=span(d, WIRE, "killing three")),
        actors=[EventActor(actor_id="united-states", name="United States", role="target")],
        attributions=[Attribution(actor_id="kataib-hezbollah", actor_name="Kata'ib Hezbollah",
                                  by_actor_id="united-states", document_id=d,
                                  span=span(d, WIRE, "Kata'ib Hezbollah was behind"))],
        sources=[_sentence(d, WIRE, "About 18"), _sentence(d, WIRE, "The United States"),
                 _sentence(d, WIRE, "A post shared")],
    )  # fmt: skip
    title = f"Rockets hit Camp Taji {HOSTILE}"
    document = _document(d, WIRE, title, dt.date(2020, 3, 12), url=HOSTILE_URL)
    return document, Extraction(document_id=d, events=[event])


def _claims() -> tuple[Document, Extraction]:
    d = "claims"
    claim = Claim(claimant_id="usbat-al-thairen", claimant_name="Usbat al-Thairen",
                  claimed_on=dt.date(2020, 3, 15), channel="telegram", document_id=d,
                  span=span(d, CLAIMS, "Usbat al-Thairen claimed the March 11 attack"))  # fmt: skip
    again = Claim(claimant_id="usbat-al-thairen", claimant_name="Usbat al-Thairen",
                  claimed_on=dt.date(2020, 3, 15), channel="telegram", document_id=d,
                  span=span(d, CLAIMS, "Usbat al-Thairen claimed that too"))  # fmt: skip
    first = Event(
        id="claims-e1", date=dt.date(2020, 3, 11), event_type=SHELLING[0],
        sub_event_type=SHELLING[1], place=TAJI, claims=[claim],
        actors=[EventActor(actor_id="usbat-al-thairen", name="Usbat al-Thairen", role="claimant")],
        sources=[_sentence(d, CLAIMS, "Usbat al-Thairen claimed the")],
    )  # fmt: skip
    second = Event(
        id="claims-e2", date=dt.date(2020, 3, 14), event_type=SHELLING[0],
        sub_event_type=SHELLING[1], place=TAJI, weapon="rocket", claims=[again],
        munitions=Munitions(count=33, weapon="rocket", span=span(d, CLAIMS, "33 rockets")),
        actors=[EventActor(actor_id="usbat-al-thairen", name="Usbat al-Thairen", role="claimant")],
        sources=[_sentence(d, CLAIMS, "On Saturday")],
    )  # fmt: skip
    deadline = KeyDate(date=dt.date(2020, 3, 20), what="deadline for U.S. forces to leave",
                       kind="deadline", document_id=d,
                       span=span(d, CLAIMS, "set March 20 as a deadline"))  # fmt: skip
    document = _document(d, CLAIMS, "A new name claims the Taji attacks", dt.date(2020, 3, 15))
    return document, Extraction(document_id=d, events=[first, second], key_dates=[deadline])


def _besmaya() -> tuple[Document, Extraction]:
    d = "besmaya"
    event = Event(
        id="besmaya-e1", date=dt.date(2020, 3, 16), event_type=SHELLING[0],
        sub_event_type=SHELLING[1], place=BESMAYA, weapon="rocket",
        munitions=Munitions(count=2, weapon="rocket", span=span(d, BESMAYA_TEXT, "Two rockets")),
        fatalities=Casualties(min=0, max=0, span=span(d, BESMAYA_TEXT, "no casualties")),
        sources=[_sentence(d, BESMAYA_TEXT, "Two rockets")],
    )  # fmt: skip
    document = _document(d, BESMAYA_TEXT, "Two rockets at Besmaya", dt.date(2020, 3, 17))
    return document, Extraction(document_id=d, events=[event])


def _protest() -> tuple[Document, Extraction]:
    d = "protest"
    event = Event(
        id="protest-e1", date=dt.date(2020, 3, 5), event_type="Protests",
        sub_event_type="Peaceful protest",
        place=Place(name="Baghdad", lat=33.34, lon=44.4, admin1="Baghdad", country="Iraq"),
        sources=[_sentence(d, PROTEST, "Protesters")],
    )  # fmt: skip
    document = _document(d, PROTEST, "Protest in Tahrir Square", dt.date(2020, 3, 6))
    return document, Extraction(document_id=d, events=[event])


def build_store(path: Path) -> Store:
    """A store at `path` with the four documents saved and their events fused."""
    store = Store.open(str(path))
    for document, extraction in (_wire(), _claims(), _besmaya(), _protest()):
        store.save(document, extraction)
    store.refuse()
    return store
