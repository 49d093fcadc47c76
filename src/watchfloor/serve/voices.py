"""What actors said, as the API and the pages show it: statements filtered and paged (latest
first, undated last), one statement with its sentence in context, the narrative themes by
week with the rising ones, and an actor's latest statements and threats.

Each statement keeps the span of its words and of its sentence, and a link to the document
viewer with that span in focus. The words stay plain strings: the pages escape them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.analyse.narratives import ThemeTrend, narrative_summary, themes_of, week_of
from watchfloor.knowledge.statements import Theme, load_themes
from watchfloor.model import SourceSpan, Statement, StatementKind
from watchfloor.serve import queries
from watchfloor.serve.highlight import excerpt, safe_url
from watchfloor.serve.queries import COUNT_CAP
from watchfloor.serve.state import ServeState
from watchfloor.serve.views import actor_names, clean_dict
from watchfloor.store import schema

KINDS: tuple[str, ...] = get_args(StatementKind)
THREAT_KINDS = ("threat", "ultimatum")
S = schema.statements.c
ORDER = (S.date.is_(None), S.date.desc(), S.document_id.desc(), S.start.desc(), S.id.desc())


@dataclass(frozen=True)
class StatementFilter:
    """What a statement listing is narrowed to; empty fields do not filter."""

    actor: str | None = None
    kinds: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None

    @classmethod
    def of(
        cls,
        *,
        actor: str | None = None,
        kinds: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
        text: str | None = None,
    ) -> StatementFilter:
        """A filter from request values: blanks dropped; ValueError for an unknown kind.

        >>> StatementFilter.of(actor=" ", kinds=["threat", ""]).kinds
        ('threat',)
        >>> StatementFilter.of(kinds=["rumour"])
        Traceback (most recent call last):
        ValueError: kind: unknown kind(s) 'rumour'; the kinds are threat, ultimatum, demand, \
accusation, conspiracy_claim, victory_claim, denial, announcement, call_to_action, assertion
        """
        chosen = tuple(dict.fromkeys(k.strip() for k in kinds if k.strip()))
        unknown = [k for k in chosen if k not in KINDS]
        if unknown:
            names = ", ".join(repr(k) for k in unknown)
            raise ValueError(f"kind: unknown kind(s) {names}; the kinds are {', '.join(KINDS)}")
        if since and until and since > until:
            raise ValueError(f"since ({since}) is after until ({until})")
        return cls(
            actor=(actor or "").strip() or None,
            kinds=chosen,
            since=since,
            until=until,
            text=" ".join((text or "").split()) or None,
        )


def said_by(text: str, statement: Statement) -> bool:
    """Whether the statement's words (quotations and reported content) hold `text`, in any case.

    >>> s = Statement(id="s", document_id="d", speaker_id="x", kind="threat",
    ...     quotes=[{"document_id": "d", "start": 0, "end": 9, "text": "We  will\\nstrike"}])
    >>> said_by("will strike", s), said_by("retreat", s)
    (True, False)
    """
    return text.casefold() in " ".join(statement.words.split()).casefold()


def _conditions(filters: StatementFilter) -> list[sa.ColumnElement[bool]]:
    """The SQL conditions; the words are only narrowed to records that hold each word."""
    where: list[sa.ColumnElement[bool]] = []
    if filters.actor:
        where.append(sa.or_(S.speaker_id == filters.actor, S.on_behalf_of == filters.actor))
    if filters.kinds:
        where.append(S.kind.in_(filters.kinds))
    if filters.since is not None:
        where.append(S.date >= filters.since)
    if filters.until is not None:
        where.append(S.date <= filters.until)
    record = sa.func.lower(sa.cast(schema.statements.c.record, sa.Text))
    for word in (filters.text or "").lower().split():
        # The record is JSON with non-ASCII escaped: only ASCII words are looked for in it.
        if word.isascii():
            where.append(record.contains(json.dumps(word)[1:-1], autoescape=True))
    return where


@dataclass
class StatementPage:
    """One page of statements, and how many match (counted up to COUNT_CAP)."""

    items: list[Statement]
    total: int
    total_exact: bool
    limit: int
    offset: int
    more: bool


def list_statements(
    connection: Connection, filters: StatementFilter, *, limit: int = 50, offset: int = 0
) -> StatementPage:
    """One page of the statements that meet the filters, latest first, undated last."""
    query = sa.select(S.record).where(*_conditions(filters)).order_by(*ORDER)
    if filters.text is None:
        found = [_statement(r) for r in connection.execute(query.limit(limit + 1).offset(offset))]
        counted = queries.count_events(connection, schema.statements, _conditions(filters))
        total, exact = counted or (offset + len(found), False)
        return StatementPage(found[:limit], total, exact, limit, offset, len(found) > limit)
    # The words are matched here, so the matches are counted as they are read, up to a cap.
    cap = max(COUNT_CAP, offset + limit)
    chosen: list[Statement] = []
    number = 0
    for number, statement in enumerate(_matching(connection.execute(query), filters.text), 1):
        if offset < number <= offset + limit:
            chosen.append(statement)
        if number > cap:
            break
    more = number > offset + limit
    return StatementPage(chosen, min(number, cap), number <= cap, limit, offset, more)


def _statement(row: Any) -> Statement:
    value = row[0] if isinstance(row, sa.Row) else row
    record = json.loads(value) if isinstance(value, str | bytes) else value
    return Statement.model_validate(record)


def _matching(records: Iterable[Any], text: str) -> Iterator[Statement]:
    for record in records:
        statement = _statement(record)
        if said_by(text, statement):
            yield statement


def statement_by_id(connection: Connection, statement_id: str) -> Statement | None:
    """The statement with this id, if there is one."""
    found = connection.execute(sa.select(S.record).where(S.id == statement_id)).first()
    return _statement(found) if found is not None else None


def latest_statement_day(connection: Connection, actor: str | None = None) -> dt.date | None:
    """The day of the latest dated statement (by or for `actor`, if given)."""
    query = sa.select(sa.func.max(S.date))
    if actor:
        query = query.where(sa.or_(S.speaker_id == actor, S.on_behalf_of == actor))
    found: dt.date | None = connection.execute(query).scalar()
    return found


# -- as the API and the pages show them ------------------------------------------------


def document_link(document_id: str, start: int | None = None, end: int | None = None) -> str:
    """The document viewer's address, with a span in focus when one is given.

    >>> document_link("ab/c", 4, 9)
    '/documents/ab%2Fc?start=4&end=9#focus'
    >>> document_link("abc")
    '/documents/abc'
    """
    path = f"/documents/{quote(document_id, safe='')}"
    if start is not None and end is not None and 0 <= start < end:
        return f"{path}?start={start}&end={end}#focus"
    return path


def span_item(span: SourceSpan | None) -> dict[str, Any] | None:
    """A span as JSON: its document, offsets, words, and the viewer's link to it."""
    if span is None:
        return None
    return {
        "document_id": span.document_id,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "link": document_link(span.document_id, span.start, span.end),
    }


def quoted(statement: Statement) -> SourceSpan | None:
    """The words to show: the first quotation, else the reported content, else the sentence."""
    return next(iter(statement.quotes), None) or statement.content or statement.span


def statement_item(
    statement: Statement, names: dict[str, str], themes: Sequence[Theme]
) -> dict[str, Any]:
    """One statement as JSON: who said it for whom, when, what kind, to whom, and its words."""

    def named(actor_id: str | None) -> dict[str, str] | None:
        return {"actor_id": actor_id, "name": names.get(actor_id, actor_id)} if actor_id else None

    words = quoted(statement)
    sentence = statement.span or words
    return clean_dict(
        {
            "id": statement.id,
            "date": statement.date,
            "date_precision": statement.date_precision,
            "date_basis": statement.date_basis,
            "speaker": named(statement.speaker_id),
            "speaker_name": statement.speaker_name,
            "role": statement.role,
            "on_behalf_of": named(statement.on_behalf_of),
            "anonymous": statement.anonymous,
            "kind": statement.kind,
            "codes": {"plover": statement.plover, "cameo": statement.cameo},
            "verb": statement.verb,
            "channel": statement.channel,
            "outlet": statement.outlet,
            "targets": [named(i) for i in statement.target_ids],
            "audience": [named(i) for i in statement.audience_ids],
            "deadline": statement.deadline,
            "condition": statement.condition,
            "reported_by": statement.reported_by,
            "themes": themes_of(statement, themes),
            "document_id": statement.document_id,
            "quote": span_item(words),
            "sentence": span_item(sentence),
            "link": document_link(
                statement.document_id,
                sentence.start if sentence else None,
                sentence.end if sentence else None,
            ),
        }
    )


def _actor_ids(statements: Iterable[Statement]) -> set[str]:
    found: set[str] = set()
    for s in statements:
        found |= {s.speaker_id, s.on_behalf_of or "", *s.target_ids, *s.audience_ids}
    return found - {""}


def statement_items(state: ServeState, statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """Statements as JSON, with the names of the actors they name."""
    names = actor_names(state, _actor_ids(statements))
    themes = load_themes()
    return [statement_item(s, names, themes) for s in statements]


def statement_view(state: ServeState, statement_id: str) -> dict[str, Any] | None:
    """One statement, with its sentence in its paragraph and its document; None if absent."""
    with state.connect() as connection:
        statement = statement_by_id(connection, statement_id)
        if statement is None:
            return None
        document = queries.documents_by_id(connection, [statement.document_id])
    item = statement_items(state, [statement])[0]
    found = document.get(statement.document_id)
    span = statement.span or quoted(statement)
    context = excerpt(found["text"], span.start, span.end, span.text) if found and span else None
    item["quotes"] = [span_item(q) for q in statement.quotes]
    item["content"] = span_item(statement.content)
    item["reasons"] = statement.reasons
    item["excerpt"] = context
    item["document"] = _document_card(found) if found else None
    return item


def _document_card(row: dict[str, Any]) -> dict[str, Any]:
    published = row["published"]
    return {
        "document_id": row["document_id"],
        "title": row["title"],
        "url": safe_url(row["url"]),
        "published": published.isoformat() if published else None,
        "outlet": row["outlet"],
    }


def actor_voice(state: ServeState, actor_id: str, *, limit: int = 10) -> dict[str, Any]:
    """An actor's latest statements, and its latest threats and ultimatums."""
    with state.connect() as connection:
        said = list_statements(connection, StatementFilter(actor=actor_id), limit=limit)
        threats = list_statements(
            connection, StatementFilter(actor=actor_id, kinds=THREAT_KINDS), limit=limit
        )
    return {
        "statements": statement_items(state, said.items),
        "statements_total": said.total,
        "threats": statement_items(state, threats.items),
        "threats_total": threats.total,
    }


# -- narratives ----------------------------------------------------------------------------


def narratives_view(
    state: ServeState,
    *,
    as_of: dt.date | None = None,
    weeks: int = 2,
    baseline: int = 8,
    actor: str | None = None,
) -> dict[str, Any]:
    """The themes said in the recent and baseline weeks before `as_of` (default: the day
    after the latest statement), each with its counts by week and actor and whether it rises.
    """
    key = ("narratives", as_of, weeks, baseline, actor)
    return state.cached(key, lambda: _narratives(state, as_of, weeks, baseline, actor))


def _narratives(
    state: ServeState, as_of: dt.date | None, weeks: int, baseline: int, actor: str | None
) -> dict[str, Any]:
    with state.connect() as connection:
        latest = latest_statement_day(connection, actor)
    day = as_of or (latest + dt.timedelta(days=1) if latest else dt.date.today())
    since = day - dt.timedelta(weeks=weeks + baseline)
    found = state.store.statements(actor_id=actor, since=since, until=day - dt.timedelta(days=1))
    themes = load_themes()
    summary = narrative_summary(
        found, themes, as_of=day, recent_weeks=weeks, baseline_weeks=baseline
    )
    mondays = _mondays(week_of(since), week_of(day - dt.timedelta(days=1)))
    names = actor_names(state, {s.group_id for s in found})
    labels = {t.id: t for t in themes}
    rows = [{str(k): v for k, v in row.items()} for row in summary.weekly.to_dict("records")]
    return clean_dict(
        {
            "as_of": day,
            "since": since,
            "recent_since": day - dt.timedelta(weeks=weeks),
            "recent_weeks": weeks,
            "baseline_weeks": baseline,
            "actor": actor,
            "statements": len(found),
            "weeks": mondays,
            "themes": [_theme(t, labels[t.theme], rows, mondays, names) for t in summary.trends],
            "rising": [t.theme for t in summary.rising],
        }
    )


def _mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _theme(
    trend: ThemeTrend,
    theme: Theme,
    rows: list[dict[str, Any]],
    mondays: list[dt.date],
    names: dict[str, str],
) -> dict[str, Any]:
    own = [r for r in rows if r["theme"] == trend.theme]
    by_actor: dict[str, dict[dt.date, int]] = {}
    for row in own:
        by_actor.setdefault(row["actor_id"], {})[row["week"]] = int(row["statements"])
    return {
        "id": trend.theme,
        "label": trend.label,
        "description": theme.description,
        "recent": trend.recent,
        "baseline_per_week": trend.baseline_per_week,
        "ratio": trend.ratio,
        "p_value": trend.p_value,
        "rising": trend.rising,
        "said_by": [
            {"actor_id": a, "name": names.get(a, a), "statements": n} for a, n in trend.actors
        ],
        "counts": [sum(c.get(m, 0) for c in by_actor.values()) for m in mondays],
        "by_actor": [
            {"actor_id": a, "name": names.get(a, a), "counts": [c.get(m, 0) for m in mondays]}
            for a, c in sorted(by_actor.items())
        ],
    }
