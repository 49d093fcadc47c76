"""The SITREP's "Did the strikes deter?": the period's strikes by a state's forces and its
deadlines, each with the change in attacks after it against what the weeks before predict
(`analyse.effects`), and in one line what the strikes together allow one to say.

Attacks are counted up to the period's last day (no hindsight), less the strikes
themselves and the striking side's own events (`analyse.interventions.attack_frame`).
An intervention in the period's last week is too recent to measure, and is named so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from watchfloor.analyse.effects import (
    LEVEL,
    MEANINGFUL,
    MIN_DAYS_AFTER,
    EffectEstimate,
    Interval,
    Intervention,
    daily_series,
    intervention_table,
    pooled_effect,
    verdict,
)
from watchfloor.analyse.interventions import (
    ACTING,
    attack_frame,
    deadlines,
    find_interventions,
    key_days,
)
from watchfloor.knowledge.loader import KnowledgeBase
from watchfloor.model import KeyDate
from watchfloor.report.sections import plural
from watchfloor.report.sitrep_model import (
    EffectRow,
    EffectsSection,
    SourceIndex,
    SourceRef,
    Statement,
)
from watchfloor.resolve.fusion import FusedEvent

POOLED_CAVEAT = (
    "The pooled ratio treats the strikes' windows as independent: where they overlap, as "
    "here, its interval is too narrow."
)
WINDOW_DAYS = 30
MAX_INTERVENTIONS = 12
ROW_REFS = 3
VERDICT_WORDS = {
    "drop": "drop",
    "rise": "rise",
    "no-change": "no change",
    "unclear": "no clear change",
    "cannot-tell": "cannot tell",
    "too-few": "too few attacks",
}


def effects_section(
    fused: Sequence[FusedEvent],
    kb: KnowledgeBase,
    key_dates: Sequence[KeyDate],
    index: SourceIndex,
    *,
    since: dt.date,
    until: dt.date,
    deadline_refs: Mapping[dt.date, tuple[SourceRef, ...]] | None = None,
    watched_from: dt.date | None = None,
) -> EffectsSection:
    """The period's interventions (strikes first, at most MAX_INTERVENTIONS) and their effects;
    `deadline_refs` are the sentences already found for the deadlines, by day, and
    `watched_from` the first day the record covers (default: the first attack).

    >>> from watchfloor.knowledge import load_knowledge
    >>> from watchfloor.report.sitrep_model import TextLookup
    >>> index = SourceIndex({}, TextLookup(lambda d: None))
    >>> effects_section([], load_knowledge(), [], index, since=dt.date(2021, 6, 1),
    ...                 until=dt.date(2021, 6, 30)).verdict.text
    "No strike by a state's forces and no deadline in the period: nothing to measure."
    """
    last = until - dt.timedelta(days=MIN_DAYS_AFTER)
    strikes = [i for i in find_interventions(fused, kb=kb) if since <= i.date <= until]
    found = [*strikes, *deadlines(kb, key_dates, start=since, end=until)]
    chosen = [i for i in found if i.date <= last][:MAX_INTERVENTIONS]
    notes = _left_out(found, chosen, last)
    if not chosen:
        words = "No strike by a state's forces and no deadline in the period"
        if found:
            words = "The period's strikes and deadlines all fall in its last week"
        return EffectsSection(Statement(f"{words}: nothing to measure."), (), (), notes)
    try:
        estimates, overlaps = _estimates(fused, kb, key_dates, chosen, (watched_from, until))
    except ValueError as e:
        return EffectsSection(Statement(f"The effects cannot be estimated: {e}."), (), (), notes)
    rows = tuple(
        _row(i, e, n, _refs(i, fused, key_dates, index, deadline_refs or {}))
        for i, e, n in zip(chosen, estimates, overlaps, strict=True)
    )
    struck = [e for i, e in zip(chosen, estimates, strict=True) if i.kind == "event"]
    refs = tuple(r.refs[0] for r in rows if r.kind == "strike" and r.refs)
    said = [e for i, e in zip(chosen, estimates, strict=True) if i.kind == "deadline"]
    statements = [Statement(tally(found, kind)) for found, kind in ((struck, "strike"),
                  (said, "deadline")) if found]  # fmt: skip
    if pooled_effect(struck) is not None and any(r.overlaps for r in rows if r.kind == "strike"):
        statements.append(Statement(POOLED_CAVEAT))
    return EffectsSection(strikes_verdict(struck, refs), tuple(statements), rows, notes)


def tally(estimates: Sequence[EffectEstimate], kind: str) -> str:
    """How many of the estimates could be made, and their verdicts, in words.

    >>> tally([], "strike")
    'Of 0 strikes, 0 can be compared.'
    """
    told = [e for e in estimates if e.verdict != "too-few"]
    verdicts = Counter(VERDICT_WORDS[e.verdict] for e in told)
    parts = ", ".join(f"{k} {words}" for words, k in verdicts.most_common())
    text = f"Of {plural(len(estimates), kind)}, {len(told)} can be compared"
    return text + (f": {parts}." if parts else ".")


def _estimates(
    fused: Sequence[FusedEvent],
    kb: KnowledgeBase,
    key_dates: Sequence[KeyDate],
    chosen: Sequence[Intervention],
    span: tuple[dt.date | None, dt.date],
) -> tuple[list[EffectEstimate], list[int]]:
    """Each intervention's estimate over the attacks on record in `span` (up to its end)."""
    first, until = span
    struck = {i.id for i in chosen if i.kind == "event"}
    sides = {
        a.actor_id for f in fused if f.id in struck for a in f.event.actors if a.role in ACTING
    }
    frame = attack_frame(fused, interventions=chosen, actors=sides)
    frame = frame[frame["date"] <= pd.Timestamp(until)]
    if frame.empty:
        raise ValueError("no attacks on record up to the period's end to measure them against")
    start = min(first, frame["date"].min().date()) if first else None
    daily = daily_series(frame, start=start, end=until)
    table, estimates = intervention_table(
        daily, chosen, window=WINDOW_DAYS, key_dates=key_days(kb, key_dates, daily)
    )
    return estimates, [int(n) for n in table["overlaps"]]


def _left_out(
    found: Sequence[Intervention], chosen: Sequence[Intervention], last: dt.date
) -> tuple[str, ...]:
    notes = []
    recent = [i for i in found if i.date > last]
    if recent:
        days = ", ".join(str(i.date) for i in recent)
        notes.append(
            f"{plural(len(recent), 'intervention')} in the period's last {MIN_DAYS_AFTER} days "
            f"({days}) {'is' if len(recent) == 1 else 'are'} too recent to measure."
        )
    more = len(found) - len(recent) - len(chosen)
    if more > 0:
        notes.append(f"{more} more (the latest deadlines) are left out: at most "
                     f"{MAX_INTERVENTIONS} are measured, strikes first.")  # fmt: skip
    return tuple(notes)


def _row(
    intervention: Intervention,
    estimate: EffectEstimate,
    overlaps: int,
    refs: tuple[SourceRef, ...],
) -> EffectRow:
    ratio = estimate.ratio
    return EffectRow(
        date=intervention.date,
        kind="strike" if intervention.kind == "event" else intervention.kind,
        label=intervention.label,
        verdict=VERDICT_WORDS.get(estimate.verdict, estimate.verdict),
        ratio=f"{ratio.value:.2f} ({estimate.level:.0%} CI {ratio.low:.2f} to {ratio.high:.2f})"
        if ratio is not None
        else "",
        sentence=_without_head(estimate),
        notes=estimate.notes,
        overlaps=overlaps,
        refs=refs,
    )


def _without_head(estimate: EffectEstimate) -> str:
    """The estimate's sentence less its opening 'After <label> (<day>),' (the row says it)."""
    sentence = estimate.sentence()
    head = f"After {estimate.label} ({estimate.at}), " if estimate.label else ""
    if not head or not sentence.startswith(head):
        return sentence
    rest = sentence[len(head) :]
    return rest[:1].upper() + rest[1:]


def _refs(
    intervention: Intervention,
    fused: Sequence[FusedEvent],
    key_dates: Sequence[KeyDate],
    index: SourceIndex,
    deadline_refs: Mapping[dt.date, tuple[SourceRef, ...]],
) -> tuple[SourceRef, ...]:
    """A strike's first sentence in each reporting document; a deadline's report sentence."""
    if intervention.kind == "event":
        event = next((f.event for f in fused if f.id == intervention.id), None)
        if event is None:
            return ()
        firsts = {s.document_id: s for s in reversed(event.sources)}
        return index.spans([firsts[d] for d in sorted(firsts)], limit=ROW_REFS)
    if intervention.date in deadline_refs:
        return deadline_refs[intervention.date][:ROW_REFS]
    spans = [k.span for k in key_dates if k.kind == "deadline" and k.date == intervention.date]
    return index.spans(spans, limit=ROW_REFS)


def strikes_verdict(
    estimates: Sequence[EffectEstimate], refs: tuple[SourceRef, ...] = (), level: float = LEVEL
) -> Statement:
    """Whether the strikes tended to deter or provoke, as far as the estimates allow.

    >>> strikes_verdict([]).text
    "No strike by a state's forces in the period can be measured yet."
    """
    if not estimates:
        return Statement("No strike by a state's forces in the period can be measured yet.", refs)
    told = [e for e in estimates if e.verdict != "too-few"]
    pooled = pooled_effect(told, level=level)
    if not told:
        return Statement(
            f"Did the strikes deter? The data cannot tell: around the period's "
            f"{plural(len(estimates), 'strike')} there were too few attacks to compare before "
            "with after.",
            refs,
        )
    if pooled is None:
        return Statement(_unpooled_words(told, len(estimates)), refs)
    return Statement(_pooled_words(pooled, len(told), level), refs)


def _unpooled_words(told: Sequence[EffectEstimate], n: int) -> str:
    """The verdicts one by one, when none came from the trend model (nothing to pool)."""
    verdicts = Counter(VERDICT_WORDS[e.verdict] for e in told)
    parts = ", ".join(f"{k} {words}" for words, k in verdicts.most_common())
    drops, rises = verdicts["drop"], verdicts["rise"]
    if drops and rises:
        lead = "The strikes' record is mixed"
    elif drops or rises:
        lead = f"Attacks {'fell' if drops else 'rose'} after some strikes"
    else:
        lead = "Did the strikes deter? The data cannot tell"
    return (
        f"{lead}: of {plural(n, 'strike')}, {len(told)} can be compared ({parts}), on the "
        "rates before and after as they stand; too few attacks for the trend model, so none "
        "is pooled."
    )


def _pooled_words(pooled: Interval, n: int, level: float) -> str:
    ci = (
        f"pooled over {plural(n, 'strike')}, attacks ran at {pooled.value:.2f} times what the "
        f"weeks before predict, {level:.0%} CI {pooled.low:.2f} to {pooled.high:.2f}"
    )
    found = verdict(pooled.low, pooled.high)
    caveat = "; before and after is not proof of cause"
    words = {
        "drop": f"Attacks fell after the strikes ({ci}): consistent with deterrence{caveat}.",
        "rise": f"Attacks rose after the strikes ({ci}): more like provocation than "
        f"deterrence{caveat}.",
        "no-change": f"The strikes made no clear difference to the attacks ({ci}): neither "
        "deterrence nor provocation shows.",
        "cannot-tell": f"Did the strikes deter? The data cannot tell ({ci}): the interval "
        "holds both a meaningful drop and a meaningful rise.",
    }
    if found in words:
        return words[found]
    if pooled.high > MEANINGFUL:
        return (
            f"The strikes did not clearly deter ({ci}): a marked drop is ruled out, a rise is not."
        )
    return f"The strikes did not clearly provoke ({ci}): a marked rise is ruled out, a drop is not."
