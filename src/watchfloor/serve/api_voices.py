"""The JSON API of what actors said (/api/statements, /api/narratives) and of what followed
interventions (/api/effects), documented with the rest at /docs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from watchfloor.analyse.effects import WHATS
from watchfloor.analyse.interventions import INTERVENTION_TYPES
from watchfloor.errors import KnowledgeError
from watchfloor.serve import effects, voices
from watchfloor.serve.api import MAX_OFFSET, State, parse_day
from watchfloor.serve.models import StatementPage
from watchfloor.serve.voices import KINDS, StatementFilter

router = APIRouter(prefix="/api", tags=["api"])
SPAN_HELP = "A span: 30d, 8w, 6m (30 days each) or 1y."


async def statement_filter(
    actor: Annotated[
        str | None,
        Query(max_length=200, description="An actor id: the speaker or the group spoken for."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        Query(max_length=40, description=f"Statement kinds (repeatable): {', '.join(KINDS)}."),
    ] = None,
    since: Annotated[
        str | None, Query(max_length=10, description="First day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, Query(max_length=10, description="Last day (YYYY-MM-DD).")] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words in the quotations or the reported content."),
    ] = None,
) -> StatementFilter:
    """The statement filters of a request (a dependency shared by the API and the pages)."""
    try:
        return StatementFilter.of(
            actor=actor,
            kinds=kind or (),
            since=parse_day(since, "since"),
            until=parse_day(until, "until"),
            text=q,
        )
    except ValueError as e:
        raise HTTPException(422, str(e)) from e


StatementFilters = Annotated[StatementFilter, Depends(statement_filter)]


@router.get("/statements", response_model=StatementPage)
def list_statements(
    state: State,
    filters: StatementFilters,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """What actors said, latest first (undated last), one page at a time: speaker, role, the
    group spoken for, kind and codes, date, deadline, channel, targets, and the words with
    their document, span and a link to the viewer."""
    with state.connect() as connection:
        page = voices.list_statements(connection, filters, limit=limit, offset=offset)
    return {
        "total": page.total,
        "total_exact": page.total_exact,
        "limit": page.limit,
        "offset": page.offset,
        "more": page.more,
        "items": voices.statement_items(state, page.items),
    }


@router.get("/statements/{statement_id}")
def one_statement(state: State, statement_id: str) -> dict[str, Any]:
    """One statement: every field, its quotations, and its sentence in its paragraph."""
    found = voices.statement_view(state, statement_id)
    if found is None:
        raise HTTPException(404, f"no statement {statement_id!r}")
    return found


@router.get("/narratives")
def narratives(
    state: State,
    as_of: Annotated[
        str | None,
        Query(
            max_length=10,
            description="Day the trend is judged at (default: the day after the last statement).",
        ),
    ] = None,
    weeks: Annotated[
        int, Query(ge=1, le=26, description="Recent weeks compared with the baseline.")
    ] = 2,
    baseline: Annotated[
        int, Query(ge=1, le=104, description="Weeks of baseline before the recent ones.")
    ] = 8,
    actor: Annotated[
        str | None, Query(max_length=200, description="Only what this actor said, or for it.")
    ] = None,
) -> dict[str, Any]:
    """Themes in what actors say: counts by week and actor over the recent and baseline
    weeks, and which themes are rising."""
    day = parse_day(as_of, "as_of")
    return voices.narratives_view(
        state, as_of=day, weeks=weeks, baseline=baseline, actor=(actor or "").strip() or None
    )


def effect_ask(
    window: Annotated[
        str, Query(max_length=20, description=f"Days after it to measure. {SPAN_HELP}")
    ] = "30d",
    before: Annotated[
        str | None,
        Query(
            max_length=20,
            description=f"Days before it that set the trend (default: 3 times the window). "
            f"{SPAN_HELP}",
        ),
    ] = None,
    what: Annotated[
        str,
        Query(
            max_length=20,
            description=f"What is counted: {', '.join(WHATS)} (large: 20 or more munitions).",
        ),
    ] = "attacks",
) -> effects.EffectAsk:
    """The window, pre-window and measure of an estimate (a dependency); 422 when bad."""
    try:
        days = effects.span_days(window, "window") or 30
        return effects.EffectAsk(days, effects.span_days(before, "before"), effects.what_of(what))
    except ValueError as e:
        raise HTTPException(422, str(e)) from e


EffectAsk = Annotated[effects.EffectAsk, Depends(effect_ask)]


@router.get("/effects")
def effect(
    state: State,
    ask: EffectAsk,
    at: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="A day (YYYY-MM-DD), a fused or reported event id, or a calendar id "
            "(a deadline; an anniversary as ID:YEAR).",
        ),
    ],
) -> dict[str, Any]:
    """The change in attacks after one intervention against what the trend before predicts:
    observed and expected, the ratio with its interval, the verdict, and the notes."""
    try:
        return effects.effect_view(state, at, ask)
    except (ValueError, KnowledgeError) as e:
        raise HTTPException(422, str(e)) from e


@router.get("/effects/table")
def effects_table(
    state: State,
    ask: EffectAsk,
    actor: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Interventions by this actor or a part of it: id, name or alias "
            "(default: any state's forces).",
        ),
    ] = None,
    target: Annotated[
        str | None, Query(max_length=200, description="Interventions against this actor.")
    ] = None,
    type: Annotated[
        list[str] | None,
        Query(max_length=200, description="The interventions' ACLED sub-event types."),
    ] = None,
    deadlines: Annotated[
        bool, Query(description="The interventions are the deadlines instead.")
    ] = False,
) -> dict[str, Any]:
    """Every intervention of one kind on record, each with its estimate (as /api/effects),
    and how many were followed by a drop or a rise, in words."""
    chosen = table_ask(actor, target, type, deadlines)
    try:
        return effects.effects_table_view(state, chosen, ask)
    except (ValueError, KnowledgeError) as e:
        raise HTTPException(422, str(e)) from e


def table_ask(
    actor: str | None, target: str | None, types: list[str] | None, use_deadlines: bool
) -> effects.TableAsk:
    """The interventions a table is asked for, blanks dropped.

    >>> table_ask(" us ", "", ["", "Air/drone strike"], False).types
    ('Air/drone strike',)
    """
    chosen = tuple(t.strip() for t in types or () if t.strip())
    return effects.TableAsk(
        types=chosen or INTERVENTION_TYPES,
        actor=(actor or "").strip() or None,
        target=(target or "").strip() or None,
        use_deadlines=use_deadlines,
    )
