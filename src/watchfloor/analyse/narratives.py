"""Narratives over time: the themes statements carry, counted by week and actor, and which rise.

A theme (knowledge/data/narratives.yaml, or the user's file) matches a statement when one of
its cues is found in the statement's words (its quotations and reported content); a
statement can carry several themes. Themes are computed when asked, not stored, so an
edited theme applies to every statement on record at once.

A theme is *rising* at a date when, in the `recent_weeks` weeks before it, it was said at
least `min_count` times, at `factor` times or more its weekly rate in the `baseline_weeks`
weeks before those (a theme never heard before counts as heard 0.5 times in the baseline,
so that two new mentions in a fortnight are a rise). The Poisson probability of so many
mentions at the baseline rate is given beside it, as a measure of surprise.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from scipy.stats import poisson

from watchfloor.knowledge.statements import Theme
from watchfloor.model import Statement

COLUMNS = ["statement_id", "date", "week", "theme", "actor_id", "speaker_id", "kind", "document_id"]
WEEKLY_COLUMNS = ["week", "theme", "actor_id", "statements"]


def themes_of(statement: Statement, themes: Sequence[Theme]) -> list[str]:
    """The ids of the themes whose cues the statement's words hold.

    >>> from watchfloor.knowledge.statements import load_themes
    >>> s = Statement(id="s", document_id="d", speaker_id="x", kind="threat",
    ...     quotes=[{"document_id": "d", "start": 0, "end": 9, "text": "the occupation must end"}])
    >>> themes_of(s, load_themes())
    ['us-occupier']
    """
    words = statement.words
    return [theme.id for theme in themes if words and theme.matches(words)]


def week_of(day: dt.date) -> dt.date:
    """The Monday that starts the day's week.

    >>> week_of(dt.date(2020, 3, 19))
    datetime.date(2020, 3, 16)
    """
    return day - dt.timedelta(days=day.weekday())


def theme_rows(statements: Sequence[Statement], themes: Sequence[Theme]) -> pd.DataFrame:
    """One row per statement and theme it carries (dated statements only).

    >>> theme_rows([], []).columns.tolist()[:4]
    ['statement_id', 'date', 'week', 'theme']
    """
    rows = [
        {
            "statement_id": s.id,
            "date": s.date,
            "week": week_of(s.date),
            "theme": theme,
            "actor_id": s.group_id,
            "speaker_id": s.speaker_id,
            "kind": s.kind,
            "document_id": s.document_id,
        }
        for s in statements
        if s.date is not None
        for theme in themes_of(s, themes)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def weekly_counts(statements: Sequence[Statement], themes: Sequence[Theme]) -> pd.DataFrame:
    """Statements per week, theme and actor (the group spoken for), oldest week first.

    >>> weekly_counts([], []).columns.tolist()
    ['week', 'theme', 'actor_id', 'statements']
    """
    rows = theme_rows(statements, themes)
    if rows.empty:
        return pd.DataFrame(columns=WEEKLY_COLUMNS)
    counted = rows.groupby(["week", "theme", "actor_id"]).size().reset_index(name="statements")
    return counted.sort_values(["week", "theme", "actor_id"], ignore_index=True)


@dataclass(frozen=True)
class ThemeTrend:
    """How often a theme was said lately against before, and whether that is a rise."""

    theme: str
    label: str
    recent: int
    baseline_per_week: float
    ratio: float
    p_value: float
    rising: bool
    actors: list[tuple[str, int]] = field(default_factory=list)


def theme_trends(
    statements: Sequence[Statement],
    themes: Sequence[Theme],
    *,
    as_of: dt.date,
    recent_weeks: int = 2,
    baseline_weeks: int = 8,
    min_count: int = 2,
    factor: float = 2.0,
) -> list[ThemeTrend]:
    """Each theme's recent count, baseline rate and whether it is rising, rising first.

    >>> theme_trends([], [], as_of=dt.date(2020, 4, 2))
    []
    """
    if recent_weeks < 1 or baseline_weeks < 1:
        raise ValueError("the recent and baseline windows need at least one week each")
    recent_start = as_of - dt.timedelta(weeks=recent_weeks)
    baseline_start = recent_start - dt.timedelta(weeks=baseline_weeks)
    rows = theme_rows([s for s in statements if s.date is not None and s.date < as_of], themes)
    trends = []
    for theme in themes:
        own = rows[rows["theme"] == theme.id]
        recent = own[own["date"] >= recent_start]
        before = own[(own["date"] >= baseline_start) & (own["date"] < recent_start)]
        trends.append(_trend(theme, recent, len(before), recent_weeks, baseline_weeks,
                             min_count=min_count, factor=factor))  # fmt: skip
    return sorted(trends, key=lambda t: (not t.rising, -t.recent, t.theme))


def _trend(
    theme: Theme,
    recent: pd.DataFrame,
    before: int,
    recent_weeks: int,
    baseline_weeks: int,
    *,
    min_count: int,
    factor: float,
) -> ThemeTrend:
    rate = max(before, 0.5) / baseline_weeks
    count = len(recent)
    ratio = (count / recent_weeks) / rate
    p_value = float(poisson.sf(count - 1, rate * recent_weeks)) if count else 1.0
    actors = Counter(recent["actor_id"]).most_common(5)
    return ThemeTrend(
        theme=theme.id,
        label=theme.label,
        recent=count,
        baseline_per_week=before / baseline_weeks,
        ratio=round(ratio, 2),
        p_value=round(p_value, 4),
        rising=count >= min_count and ratio >= factor,
        actors=[(str(a), int(n)) for a, n in actors],
    )


@dataclass(frozen=True)
class NarrativeSummary:
    """What the SITREP and the web page show of narratives: weekly counts and trends."""

    as_of: dt.date
    weekly: pd.DataFrame
    trends: list[ThemeTrend]

    @property
    def rising(self) -> list[ThemeTrend]:
        """The themes rising at `as_of`."""
        return [t for t in self.trends if t.rising]


def narrative_summary(
    statements: Sequence[Statement],
    themes: Sequence[Theme],
    *,
    as_of: dt.date | None = None,
    recent_weeks: int = 2,
    baseline_weeks: int = 8,
) -> NarrativeSummary:
    """Weekly counts by theme and actor, and the trends at `as_of` (default: the day after
    the last dated statement), for reports and pages.

    >>> narrative_summary([], []).trends
    []
    """
    dated = [s.date for s in statements if s.date is not None]
    day = as_of or (max(dated) + dt.timedelta(days=1) if dated else dt.date.today())
    return NarrativeSummary(
        as_of=day,
        weekly=weekly_counts(statements, themes),
        trends=theme_trends(
            statements, themes, as_of=day, recent_weeks=recent_weeks, baseline_weeks=baseline_weeks
        ),
    )
