"""The SITREP: a situation report for a period, from the store, in HTML, Markdown or PDF.

`build_sitrep` reads the fused events (one per real attack) and the analyses (tempo,
attribution, network, outlook) into a `Sitrep` record, every statement carrying the
sentences behind it; `write_sitrep` renders it in the format the file's suffix names.

>>> with Store.open("desk.db") as store:                      # doctest: +SKIP
...     sitrep = build_sitrep(store, since=dt.date(2020, 1, 1), until=dt.date(2020, 3, 31))
>>> write_sitrep(sitrep, Path("sitrep.html"))                # doctest: +SKIP
[PosixPath('sitrep.html')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from watchfloor.analyse.network import centrality
from watchfloor.analyse.outlook import is_attack
from watchfloor.analyse.tempo import (
    Coverage,
    Freq,
    TempoAssessment,
    assess_tempo,
    detect_silences,
    events_frame,
)
from watchfloor.knowledge import load_knowledge
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.report import assessments, charts, render, sections, takeaways
from watchfloor.report.effects_section import effects_section
from watchfloor.report.geomap import map_points
from watchfloor.report.sitrep_model import (
    Chart,
    EffectsSection,
    FrontAssessment,
    OutlookSection,
    ReportError,
    Sitrep,
    SourceIndex,
    Statement,
    TextLookup,
    VoicesSection,
)
from watchfloor.report.threats import Period
from watchfloor.report.voices import voices_section
from watchfloor.resolve.fusion import FusedEvent, fuse_events
from watchfloor.store import Store

__all__ = ["ReportError", "Sitrep", "build_sitrep", "headline_findings", "write_sitrep"]

DEFAULT_DAYS = 90
OUTLOOK_DAYS = 14
WEEKLY_UP_TO_DAYS = 200


def build_sitrep(
    store: Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    as_of: dt.date | None = None,
    title: str | None = None,
    kb: KnowledgeBase | None = None,
    outlook_days: int = OUTLOOK_DAYS,
    pictures: bool = True,
) -> Sitrep:
    """The SITREP of [since, until] (default: the 90 days up to the latest event), with the
    outlook from `as_of` (default: the day after `until`).

    >>> with Store.open("desk.db") as store:                  # doctest: +SKIP
    ...     build_sitrep(store).takeaways[0].text
    '16 attacks between 2019-12-01 and 2021-11-07 ...'
    """
    kb = kb or load_knowledge()
    fused, notes = _fused(store)
    until = until or _latest(fused)
    since = since or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise ReportError(f"the period starts ({since}) after it ends ({until})")
    as_of = as_of or until + dt.timedelta(days=1)
    rows = {row["document_id"]: row for row in store.document_rows()}
    index = SourceIndex(rows, TextLookup(lambda d: store.document(d) if d in rows else None))
    names = sections.Names(kb)
    history = [f for f in fused if is_attack(f.event) and f.event.date <= until]
    attacks = [f for f in history if f.event.date >= since]
    context = [f for f in fused if not is_attack(f.event) and since <= f.event.date <= until]
    event_rows = tuple(sections.event_row(f, names, index, attack=True) for f in attacks)
    other_rows = tuple(sections.event_row(f, names, index, attack=False) for f in context)
    claim_rows = tuple(sections.claim_rows(attacks, names, index))
    claim_summary = tuple(sections.claim_summary(attacks, names, index))
    statements = store.statements()
    voices = voices_section(store, kb, fused, index, statements=statements, documents=rows,
                            period=Period(since, until, as_of))  # fmt: skip
    effects = effects_section(
        fused,
        kb,
        store.key_dates(),
        index,
        since=since,
        until=until,
        deadline_refs={row.date: row.refs for row in voices.deadlines},
        watched_from=_first_day(fused, rows),
    )
    documents = _period_documents(attacks, rows, since, until)
    front_ids = assessments.front_candidates(store, attacks, names, documents)
    fronts = tuple(assessments.front_assessment(store, kb, a, index) for a in front_ids)
    graph = assessments.period_graph(
        store, kb, assessments.involved_actors(attacks) | set(front_ids)
    )
    network = tuple(assessments.network_edges(graph, index))
    central = _central(graph)
    outlook = assessments.outlook_section(
        store, kb, fused, index, as_of=as_of, days=outlook_days, statements=statements
    )
    assessment, tempo = _tempo(history, since, until)
    pictures_found: dict[str, Chart] = {}
    if pictures:
        pictures_found = _pictures(assessment, attacks, graph, since, until)
    summary = _takeaways(
        attacks,
        history,
        names,
        index,
        (since, until),
        assessment,
        claim_summary,
        fronts,
        outlook,
        (voices, effects),
    )
    return Sitrep(
        title=title or f"SITREP {since} to {until}",
        since=since,
        until=until,
        as_of=as_of,
        generated=dt.date.today(),
        documents=len(rows),
        takeaways=summary,
        tempo=tempo,
        events=event_rows,
        other_events=other_rows,
        claims=claim_rows,
        claim_summary=claim_summary,
        fronts=fronts,
        network=network,
        central=central,
        voices=voices,
        effects=effects,
        outlook=outlook,
        charts=pictures_found,
        sources=index.all(),
        notes=(*notes, *_map_notes(attacks)),
    )


def _fused(store: Store) -> tuple[list[FusedEvent], tuple[str, ...]]:
    """The stored fused events, or fusion done here when the stored one is out of date."""
    if store.fusion_is_current():
        return store.fused_events(), ()
    published = {r["document_id"]: r["published"] for r in store.document_rows()}
    fused = fuse_events(store.events(), corrections=store.corrections(), published=published)
    note = "The stored fusion was out of date: events were fused anew for this report."
    return sorted(fused, key=lambda f: (f.event.date, f.id)), (note,)


def _latest(fused: Sequence[FusedEvent]) -> dt.date:
    if not fused:
        raise ReportError(
            "no events on record: ingest reports first (watchfloor ingest FOLDER), "
            "then write the report"
        )
    return max(f.event.date for f in fused)


def _first_day(fused: Sequence[FusedEvent], rows: dict[str, dict[str, Any]]) -> dt.date | None:
    """The first day on record: the first event or the first document published."""
    days = [f.event.date for f in fused] + [r["published"] for r in rows.values() if r["published"]]
    return min(days) if days else None


def _period_documents(
    attacks: Sequence[FusedEvent], rows: dict[str, dict[str, Any]], since: dt.date, until: dt.date
) -> set[str]:
    """The documents behind the period's attacks, and those published in the period."""
    found = {d for f in attacks for d in f.document_ids}
    published = {d for d, r in rows.items() if r["published"] and since <= r["published"] <= until}
    return found | published


def _central(graph: Any) -> tuple[tuple[str, str, float], ...]:
    frame = centrality(graph).head(8)
    return tuple(
        (str(r["name"]), str(r["kind"]), float(r["degree"])) for r in frame.to_dict("records")
    )


def _tempo(
    history: Sequence[FusedEvent], since: dt.date, until: dt.date
) -> tuple[TempoAssessment | None, tuple[Statement, ...]]:
    """Tempo and scale over every attack up to `until`, the period's start as the pivot."""
    if len(history) < 2:
        text = f"Only {len(history)} attack(s) on record up to {until}: too few to measure tempo."
        return None, (Statement(text),)
    frame = events_frame([f.event for f in history])
    first = frame["date"].min()
    freq: Freq = "W" if (until - since).days <= WEEKLY_UP_TO_DAYS else "M"
    coverage = Coverage.between(first, until, detect_silences(frame["date"]))
    pivot = since if pd.Timestamp(since) > first else None
    try:
        found = assess_tempo(frame, since=pivot, freq=freq, coverage=coverage)
    except ValueError as e:
        return None, (Statement(f"Tempo cannot be assessed: {e}."),)
    return found, tuple(Statement(s) for s in found.sentences)


def _pictures(
    assessment: TempoAssessment | None,
    attacks: Sequence[FusedEvent],
    graph: Any,
    since: dt.date,
    until: dt.date,
) -> dict[str, Chart]:
    found = {"map": charts.map_picture(map_points(attacks), title=f"Attacks {since} to {until}")}
    if assessment is not None:
        found["tempo"] = charts.tempo_picture(assessment)
    if graph.number_of_nodes():
        found["network"] = charts.network_picture(graph)
    return found


def _map_notes(attacks: Sequence[FusedEvent]) -> tuple[str, ...]:
    missing = len(attacks) - len(map_points(attacks))
    if not missing:
        return ()
    return (f"{missing} of {len(attacks)} attacks have no coordinates and are not on the map.",)


def _takeaways(
    attacks: Sequence[FusedEvent],
    history: Sequence[FusedEvent],
    names: sections.Names,
    index: SourceIndex,
    period: tuple[dt.date, dt.date],
    assessment: TempoAssessment | None,
    claims: Sequence[Statement],
    fronts: Sequence[FrontAssessment],
    outlook: OutlookSection,
    said: tuple[VoicesSection, EffectsSection],
) -> tuple[Statement, ...]:
    """The findings in order of weight: the first three are the headline findings."""
    since, until = period
    blame = takeaways.blame_takeaway(attacks, names, index)
    found = [
        takeaways.count_takeaway(attacks, history, index, since=since, until=until),
        takeaways.largest_takeaway(attacks, names, index),
        claims[0] if len(claims) > 1 else blame or claims[-1],
        takeaways.deadliest_takeaway(attacks, names, index),
        blame if len(claims) > 1 else None,
        takeaways.effects_takeaway(said[1]),
        takeaways.voices_takeaway(said[0]),
        takeaways.busiest_takeaway(attacks),
        takeaways.perpetrator_takeaway(attacks, names),
        Statement(assessment.sentences[0]) if assessment and assessment.sentences else None,
        takeaways.front_takeaway(fronts),
        takeaways.outlook_takeaway(outlook),
    ]
    return tuple(dict.fromkeys(s for s in found if s is not None))


def headline_findings(sitrep: Sitrep, n: int = 3) -> list[str]:
    """The first `n` takeaways as plain text, for the terminal.

    >>> headline_findings(sitrep)                              # doctest: +SKIP
    ['16 attacks between ...', 'Largest attack: 33 rockets on ...', '...']
    """
    return [s.text for s in sitrep.takeaways[:n]]


def write_sitrep(sitrep: Sitrep, out_path: str | Path) -> list[Path]:
    """Write the SITREP as HTML, Markdown (images beside it) or PDF, by the suffix; the
    files written.

    >>> write_sitrep(sitrep, "sitrep.docx")                    # doctest: +SKIP
    Traceback (most recent call last):
    ...
    watchfloor.report.sitrep_model.ReportError: cannot write a SITREP as '.docx': ...
    """
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return render.write_html(sitrep, path)
    if suffix in (".md", ".markdown"):
        return render.write_markdown(sitrep, path)
    if suffix == ".pdf":
        return render.write_pdf(sitrep, path)
    raise ReportError(f"cannot write a SITREP as {suffix or path.name!r}: use .html, .md or .pdf")
