"""The SITREP's "What they are saying": the period's threats and ultimatums, the deadlines
set, the other statements by kind, the narrative themes and which are rising, and the
threats that an attack (or a long quiet) followed (`report.threats`).

Statements are those on record dated in the period (undated ones are left out), each
pointing at the sentence that reports it. Themes are counted over the period and judged
rising or not on the outlook's first day (`analyse.narratives`); the follow-ups are the
shipped threat indicators (`threat_then_attack`, `threat_then_quiet`) that fired in it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from watchfloor import model
from watchfloor.analyse.narratives import narrative_summary, theme_rows
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.knowledge.statements import Theme, load_statement_lexicon, load_themes
from watchfloor.report.sections import Names, plural
from watchfloor.report.sitrep_model import (
    SourceIndex,
    Statement,
    StatementGroup,
    ThemeRow,
    ThreatRow,
    VoicesSection,
)
from watchfloor.report.threats import (
    THEN_ATTACK,
    DeadlineFound,
    Period,
    armed,
    deadline_rows,
    follow_ups,
    statement_day,
    statement_refs,
)
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

THREAT_KINDS = ("threat", "ultimatum")
KIND_PLURALS = {
    "threat": "threats",
    "ultimatum": "ultimatums",
    "demand": "demands",
    "call_to_action": "calls to action",
    "accusation": "accusations",
    "conspiracy_claim": "conspiracy claims",
    "victory_claim": "victory claims",
    "denial": "denials",
    "announcement": "announcements",
    "assertion": "assertions of fact",
}
LISTED_KINDS = tuple(k for k in KIND_PLURALS if k not in (*THREAT_KINDS, "assertion"))
TOP_PER_KIND = 3
MAX_THREATS = 20
WORDS_WIDTH = 240
DEADLINE_AHEAD_DAYS = 30


def voices_section(
    store: Store,
    kb: KnowledgeBase,
    fused: Sequence[FusedEvent],
    index: SourceIndex,
    *,
    statements: Sequence[model.Statement],
    documents: Mapping[str, dict[str, Any]],
    period: Period,
    themes: Sequence[Theme] | None = None,
) -> VoicesSection:
    """What they are saying in the period, every line with the sentence behind it.

    >>> voices_section(store, kb, store.fused_events(), index, statements=store.statements(),
    ...     documents=rows, period=Period(since, until, as_of)).threats[0].speaker
    ... # doctest: +SKIP
    "Kata'ib Hezbollah"
    """
    names = Names(kb)
    said = [s for s in statements if period.holds(s.date)]
    threats = [s for s in said if s.kind in THREAT_KINDS]
    end = period.until + dt.timedelta(days=DEADLINE_AHEAD_DAYS)
    deadlines = deadline_rows(store, kb, names, index, documents, start=period.since, end=end)
    rows, said_themes = _theme_section(said, statements, themes or load_themes(), names, index,
                                      as_of=period.as_of)  # fmt: skip
    candidates = [a.actor_id for a in store.candidates()]
    followed = follow_ups(kb, fused, statements, candidates, index, period)
    notes = []
    if len(threats) > MAX_THREATS:
        notes.append(
            f"The {MAX_THREATS} latest of {len(threats)} threats and ultimatums are shown."
        )
    return VoicesSection(
        summary=tuple(_summary_statements(said, names, period)),
        threats=tuple(_threat_row(s, names, index) for s in threats[-MAX_THREATS:]),
        deadlines=tuple(d.row for d in deadlines),
        groups=tuple(_statement_groups(said, names, index)),
        themes=tuple(rows),
        themes_said=said_themes,
        follow_ups=tuple(followed),
        headline=_headline(threats, deadlines, followed, names, index),
        notes=tuple(notes),
    )


def _headline(
    threats: Sequence[model.Statement],
    deadlines: Sequence[DeadlineFound],
    followed: Sequence[Statement],
    names: Names,
    index: SourceIndex,
) -> Statement | None:
    """The section in a sentence: the latest threat of an armed group (else the latest
    deadline one set, else the latest threat), and the attacks that followed threats."""
    voiced = [s for s in threats if armed(s, names)]
    set_by = [d for d in deadlines if any(names.armed(a) for a in d.setters)]
    count = plural(len(threats), "threat or ultimatum", "threats and ultimatums")
    if voiced or (threats and not set_by):
        latest = (voiced or threats)[-1]
        whose = "the latest by an armed group" if voiced else "none by an armed group; the latest"
        text = (
            f"{count} in the period, {whose}: {speaker_words(latest, names)} on {latest.date} "
            f"{said_words(latest)}"
        )
        if latest.deadline:
            text += f", deadline {latest.deadline}"
        refs = statement_refs(latest, index)
    elif set_by:
        row = set_by[-1].row
        text = (
            f"{count} in the period, none by an armed group; the latest deadline an armed "
            f"group set: {row.date}, {row.what}"
        )
        refs = row.refs
    else:
        return None
    attacks = [s for s in followed if s.text.startswith(THEN_ATTACK)]
    if attacks:
        text += f". {plural(len(attacks), 'attack')} came soon after a threat by the same group"
    return Statement(text + ".", refs)


# -- who said what ----------------------------------------------------------------------


def speaker_words(statement: model.Statement, names: Names) -> str:
    """Who spoke, with the role and the group spoken for.

    >>> from watchfloor.knowledge import load_knowledge
    >>> speaker_words(model.Statement(id="s", document_id="d", speaker_id="abu-ali-al-askari",
    ...     role="official", on_behalf_of="kataib-hezbollah", kind="threat"),
    ...     Names(load_knowledge()))
    "Abu Ali al-Askari (official, Kata'ib Hezbollah)"
    """
    name = statement.speaker_name or names.actor(statement.speaker_id)
    extra = [statement.role] if statement.role else []
    group = statement.on_behalf_of
    if group and group != statement.speaker_id:
        extra.append(names.actor(group))
    return f"{name} ({', '.join(extra)})" if extra else name


def said_words(statement: model.Statement) -> str:
    """The reported words, after the speech verb: 'warned: “against any response”'.

    >>> said_words(model.Statement(id="s", document_id="d", speaker_id="x", kind="threat",
    ...     verb="warned", content=model.SourceSpan(document_id="d", start=0, end=3,
    ...     text="against any response")))
    'warned: “against any response”'
    """
    content = statement.content.text if statement.content else ""
    words = content or "; ".join(q.text for q in statement.quotes)
    if not words:
        words = statement.span.text if statement.span else ""
    words = " ".join(words.split())
    if len(words) > WORDS_WIDTH:
        words = words[: WORDS_WIDTH - 1].rstrip() + "…"
    verb = statement.verb.strip()
    if not verb or verb.lower() in load_statement_lexicon().ultimatum_nouns:
        return f"“{words}”"
    return f"{verb}: “{words}”"


def _threat_row(statement: model.Statement, names: Names, index: SourceIndex) -> ThreatRow:
    """One row of the threats table."""
    return ThreatRow(
        date=statement.date or dt.date.min,
        speaker=speaker_words(statement, names),
        kind=statement.kind,
        words=said_words(statement),
        deadline=statement.deadline,
        condition=statement.condition,
        armed=armed(statement, names),
        refs=statement_refs(statement, index),
    )


def _summary_statements(
    said: Sequence[model.Statement], names: Names, period: Period
) -> list[Statement]:
    """How many statements of each kind, and whom the period heard most from."""
    if not said:
        return [
            Statement(
                f"No statement on record is dated between {period.since} and {period.until} "
                "(undated statements are left out)."
            )
        ]
    kinds = Counter(str(s.kind) for s in said)
    counts = ", ".join(f"{kinds[k]} {_kind_plural(k, kinds[k])}" for k in KIND_PLURALS if kinds[k])
    speakers = len({s.group_id for s in said})
    found = [
        Statement(
            f"{plural(len(said), 'statement')} on record dated between {period.since} and "
            f"{period.until}, by or for {plural(speakers, 'actor')}: {counts}."
        )
    ]
    groups = Counter(s.group_id for s in said if armed(s, names))
    if groups:
        heard = ", ".join(f"{names.actor(a)} {n}" for a, n in groups.most_common(5))
        found.append(Statement(f"Armed groups heard from (statements): {heard}."))
    else:
        found.append(Statement("No statement in the period is by or for an armed group."))
    return found


def _kind_plural(kind: str, n: int) -> str:
    return KIND_PLURALS[kind] if n != 1 else kind.replace("_", " ")


def _statement_groups(
    said: Sequence[model.Statement], names: Names, index: SourceIndex
) -> list[StatementGroup]:
    """The other kinds of statement, each with its count and the few worth reading
    (armed groups' first, then the latest)."""
    groups = []
    for kind in LISTED_KINDS:
        own = [s for s in said if s.kind == kind]
        if not own:
            continue
        chosen = sorted(own, key=lambda s: (not armed(s, names), -statement_day(s).toordinal()))
        top = tuple(
            Statement(
                f"{s.date} {speaker_words(s, names)} {said_words(s)}", statement_refs(s, index)
            )
            for s in chosen[:TOP_PER_KIND]
        )
        groups.append(StatementGroup(kind, KIND_PLURALS[kind], len(own), top))
    return groups


# -- narrative themes -------------------------------------------------------------------


def _theme_section(
    said: Sequence[model.Statement],
    statements: Sequence[model.Statement],
    themes: Sequence[Theme],
    names: Names,
    index: SourceIndex,
    *,
    as_of: dt.date,
) -> tuple[list[ThemeRow], Statement]:
    """The themes the period's statements carry (count, who), each rising or not at `as_of`."""
    summary = narrative_summary(statements, themes, as_of=as_of)
    trends = {t.theme: t for t in summary.trends}
    found = theme_rows(said, themes)
    by_id = {s.id: s for s in said}
    rows = []
    for theme in themes:
        own = found[found["theme"] == theme.id]
        trend = trends[theme.id]
        if own.empty and not trend.rising:
            continue
        speakers = Counter(str(a) for a in own["actor_id"]).most_common(3)
        spans = [by_id[str(i)].span for i in own["statement_id"]]
        rows.append(
            ThemeRow(
                theme=theme.id,
                label=theme.label,
                count=len(own),
                speakers=tuple(f"{names.actor(a)} ({n})" for a, n in speakers),
                recent=trend.recent,
                baseline_per_week=trend.baseline_per_week,
                ratio=trend.ratio,
                rising=trend.rising,
                refs=index.spans(spans, limit=3),
            )
        )
    rows.sort(key=lambda r: (not r.rising, -r.count, r.label))
    return rows, _rising_statement(rows, as_of)


def _rising_statement(rows: Sequence[ThemeRow], as_of: dt.date) -> Statement:
    rising = [r for r in rows if r.rising]
    if rising:
        named = "; ".join(f"{r.label} ({r.recent} in the last 2 weeks)" for r in rising)
        return Statement(f"Rising as of {as_of}: {named}.")
    return Statement(
        f"No theme is rising as of {as_of}: none was said at least twice in the last 2 weeks "
        "at twice its rate in the 8 weeks before."
    )
