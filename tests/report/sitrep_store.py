"""A small store for SITREP tests, built by hand (no spaCy model): three attacks at Taji
and Besmaya in March 2020, a claim, an attribution, a protest, a key date, a document
full of hostile markup that the report must render inert, Kata'ib Hezbollah's ultimatum
(deadline March 20) and a conspiracy claim with markup in its words, and two US strikes
(March 2 and March 13)."""

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
    Statement,
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
VOICE_HOSTILE = '<img src=y onerror="window.__pwned = 2">'
THREATS = (
    "Kata'ib Hezbollah warned on Sunday that American forces would be struck unless they "
    "left Iraq by March 20. "
    f"Its spokesman Abu Ali al-Askari said the outbreak was a US plot {VOICE_HOSTILE} against Iraq."
)
ULTIMATUM_WORDS = "American forces would be struck unless they left Iraq by March 20"
PLOT_WORDS = f"the outbreak was a US plot {VOICE_HOSTILE} against Iraq"
STRIKES = (
    "U.S. aircraft struck five Kata'ib Hezbollah weapons sites at Jurf al-Sakhar on Friday. "
    "On March 2 a U.S. drone had hit a militia depot near al-Qaim."
)
JURF = Place(name="Jurf al-Sakhar", lat=32.95, lon=44.13, admin1="Babil", country="Iraq")
QAIM = Place(name="Al-Qaim", lat=34.37, lon=41.09, admin1="Anbar", country="Iraq")
STRIKE = ("Explosions/Remote violence", "Air/drone strike")


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


def _threats() -> tuple[Document, Extraction]:
    d = "threats"
    said = span(d, THREATS, "Its spokesman")
    plot_sentence = SourceSpan(document_id=d, start=said.start, end=len(THREATS),
                               text=THREATS[said.start :])  # fmt: skip
    ultimatum = Statement(
        id="threats-s1", document_id=d, speaker_id="kataib-hezbollah",
        speaker_name="Kata'ib Hezbollah", date=dt.date(2020, 3, 8), date_precision="day",
        date_basis="stated", kind="ultimatum", verb="warned", target_ids=["united-states"],
        deadline=dt.date(2020, 3, 20), condition="unless they left Iraq by March 20",
        content=span(d, THREATS, ULTIMATUM_WORDS), span=_sentence(d, THREATS, "Kata'ib"),
    )  # fmt: skip
    plot = Statement(
        id="threats-s2", document_id=d, speaker_id="abu-ali-al-askari",
        speaker_name="Abu Ali al-Askari", role="spokesperson", on_behalf_of="kataib-hezbollah",
        date=dt.date(2020, 3, 8), date_precision="day", date_basis="context",
        kind="conspiracy_claim", verb="said", content=span(d, THREATS, PLOT_WORDS),
        span=plot_sentence,
    )  # fmt: skip
    deadline = KeyDate(
        date=dt.date(2020, 3, 20), kind="deadline", document_id=d,
        what="Kata'ib Hezbollah's deadline for American forces to leave Iraq",
        actor_ids=["kataib-hezbollah"], span=span(d, THREATS, "by March 20"),
    )  # fmt: skip
    document = _document(d, THREATS, "Kata'ib Hezbollah sets a deadline", dt.date(2020, 3, 9))
    return document, Extraction(document_id=d, statements=[ultimatum, plot], key_dates=[deadline])


def _strike(event_id: str, day: dt.date, place: Place, source: SourceSpan) -> Event:
    return Event(
        id=event_id, date=day, event_type=STRIKE[0], sub_event_type=STRIKE[1], place=place,
        actors=[EventActor(actor_id="united-states", name="United States", role="perpetrator"),
                EventActor(actor_id="kataib-hezbollah", name="Kata'ib Hezbollah", role="target")],
        sources=[source],
    )  # fmt: skip


def _strikes() -> tuple[Document, Extraction]:
    d = "strikes"
    events = [
        _strike("strikes-e1", dt.date(2020, 3, 13), JURF, _sentence(d, STRIKES, "U.S. aircraft")),
        _strike("strikes-e2", dt.date(2020, 3, 2), QAIM, _sentence(d, STRIKES, "On March 2")),
    ]
    document = _document(d, STRIKES, "US strikes on Kata'ib Hezbollah", dt.date(2020, 3, 14))
    return document, Extraction(document_id=d, events=events)


def build_store(path: Path) -> Store:
    """A store at `path` with the six documents saved and their events fused."""
    store = Store.open(str(path))
    for document, extraction in (
        _wire(),
        _claims(),
        _besmaya(),
        _protest(),
        _threats(),
        _strikes(),
    ):
        store.save(document, extraction)
    store.refuse()
    return store
