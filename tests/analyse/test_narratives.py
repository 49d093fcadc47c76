"""Narratives: themes per statement, weekly counts by actor, and the rising signal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watchfloor.analyse.narratives import (
    narrative_summary,
    theme_trends,
    themes_of,
    weekly_counts,
)
from watchfloor.errors import KnowledgeError
from watchfloor.knowledge.statements import Theme, load_themes
from watchfloor.model import SourceSpan, Statement

THEMES = load_themes()


def said(day: dt.date, words: str, *, actor: str = "kataib-hezbollah", n: int = 0) -> Statement:
    """A statement of `actor` on `day` whose reported words are `words`."""
    content = SourceSpan(document_id="d", start=0, end=len(words), text=words)
    return Statement(
        id=f"d-s{n}-{day}", document_id="d", speaker_id=actor, kind="assertion",
        date=day, content=content,
    )  # fmt: skip


@pytest.mark.parametrize("theme", THEMES, ids=[t.id for t in THEMES])
def test_every_theme_matches_its_examples(theme: Theme) -> None:
    assert theme.examples, f"{theme.id} has no examples"
    for example in theme.examples:
        assert theme.matches(example), example


def test_a_statement_can_carry_several_themes() -> None:
    statement = said(dt.date(2020, 3, 19), "the occupier fled in a humiliating escape")
    assert themes_of(statement, THEMES) == ["us-occupier", "withdrawal-victory"]
    assert themes_of(said(dt.date(2020, 3, 19), "the weather was fine"), THEMES) == []


def test_weekly_counts_by_theme_and_actor() -> None:
    statements = [
        said(dt.date(2020, 3, 17), "a humiliating escape", n=1),
        said(dt.date(2020, 3, 19), "the beginning of defeat", n=2),
        said(dt.date(2020, 3, 19), "our victory", actor="asaib-ahl-al-haq", n=3),
        said(dt.date(2020, 3, 24), "they fled", n=4),
        said(dt.date(2020, 3, 24), "nothing to see"),
    ]
    counts = weekly_counts(statements, THEMES)
    assert counts.to_dict("records") == [
        {"week": dt.date(2020, 3, 16), "theme": "withdrawal-victory",
         "actor_id": "asaib-ahl-al-haq", "statements": 1},
        {"week": dt.date(2020, 3, 16), "theme": "withdrawal-victory",
         "actor_id": "kataib-hezbollah", "statements": 2},
        {"week": dt.date(2020, 3, 23), "theme": "withdrawal-victory",
         "actor_id": "kataib-hezbollah", "statements": 1},
    ]  # fmt: skip


def test_an_undated_statement_is_not_counted() -> None:
    statement = said(dt.date(2020, 3, 17), "a plot").model_copy(update={"date": None})
    assert weekly_counts([statement], THEMES).empty


def test_a_theme_that_jumps_is_rising_and_a_steady_one_is_not() -> None:
    start = dt.date(2020, 1, 6)
    steady = [said(start + dt.timedelta(weeks=w), "the occupation", n=w) for w in range(10)]
    plot = [said(dt.date(2020, 2, 17), "a coup plot", n=9)]
    plot += [
        said(dt.date(2020, 3, 9) + dt.timedelta(days=d), "plotting a coup", n=d) for d in range(4)
    ]
    trends = {t.theme: t for t in theme_trends(steady + plot, THEMES, as_of=dt.date(2020, 3, 16))}
    assert trends["us-plot"].rising and trends["us-plot"].recent == 4
    assert trends["us-plot"].p_value < 0.05
    assert trends["us-plot"].actors == [("kataib-hezbollah", 4)]
    assert not trends["us-occupier"].rising and trends["us-occupier"].recent == 2
    assert trends["revenge-for-the-leaders"].recent == 0


def test_only_statements_before_the_date_count() -> None:
    late = [said(dt.date(2020, 3, 20) + dt.timedelta(days=d), "a coup", n=d) for d in range(3)]
    assert not any(t.rising for t in theme_trends(late, THEMES, as_of=dt.date(2020, 3, 20)))


def test_the_summary_defaults_to_the_day_after_the_last_statement() -> None:
    summary = narrative_summary([said(dt.date(2020, 3, 19), "a coup", n=1),
                                 said(dt.date(2020, 3, 18), "a plot", n=2)], THEMES)  # fmt: skip
    assert summary.as_of == dt.date(2020, 3, 20)
    assert [t.theme for t in summary.rising] == ["us-plot"]


def test_bad_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one week"):
        theme_trends([], THEMES, as_of=dt.date(2020, 3, 1), recent_weeks=0)


def test_a_user_theme_replaces_and_extends(tmp_path: Path) -> None:
    extra = tmp_path / "themes.yaml"
    extra.write_text(
        "themes:\n"
        "  - {id: us-plot, label: Plots, cues: [scheme]}\n"
        "  - {id: sanctions-hurt, label: Sanctions starve Iraq, cues: [sanction]}\n",
        encoding="utf-8",
    )
    themes = {t.id: t for t in load_themes([extra])}
    assert themes["us-plot"].cues == ["scheme"]
    assert themes["sanctions-hurt"].matches("new sanctions")
    assert len(themes) == len(THEMES) + 1


def test_a_bad_theme_file_is_a_knowledge_error(tmp_path: Path) -> None:
    extra = tmp_path / "themes.yaml"
    extra.write_text("themes:\n  - {id: Bad Id, label: x, cues: [a]}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"themes\[0\]"):
        load_themes([extra])
    extra.write_text("themes:\n  - {id: ok, label: x, cues: ['(']}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="not a valid pattern"):
        load_themes([extra])
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_themes([tmp_path / "absent.yaml"])
