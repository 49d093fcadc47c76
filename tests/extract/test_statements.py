"""Statements: speaker, kind, date, channel and deadline, on our corpus and on the seed report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import shared_path
from tests.extract.conftest import load_document
from watchfloor.errors import KnowledgeError
from watchfloor.extract import Extractor
from watchfloor.extract.statements import (
    _relative_deadline,
    find_quotes,
    statement_key_dates,
)
from watchfloor.knowledge.statements import load_statement_lexicon
from watchfloor.model import Extraction, KeyDate, Statement

CORPUS = Path(__file__).resolve().parent.parent / "cases" / "statements"
GOLD = CORPUS / "statements.gold.yaml"
FLOOR = 0.85


@dataclass
class Tally:
    """Right answers per field, over the gold statements (a missed statement is wrong)."""

    total: int = 0
    right: dict[str, int] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, ok: bool, where: str) -> None:
        self.asked[name] = self.asked.get(name, 0) + 1
        self.right[name] = self.right.get(name, 0) + ok
        if not ok:
            self.misses.append(f"{name}: {where}")

    def accuracy(self, name: str) -> float:
        return self.right.get(name, 0) / self.asked[name] if self.asked.get(name) else 1.0


def matching(statements: list[Statement], want: dict[str, Any]) -> Statement | None:
    """The extracted statement whose sentence holds the gold fragment and whose cue word matches."""
    for statement in statements:
        span = statement.span
        if span is None or want["text"] not in span.text:
            continue
        if statement.verb.lower() == str(want.get("cue", statement.verb)).lower():
            return statement
    return None


def score_statement(tally: Tally, found: Statement | None, want: dict[str, Any]) -> None:
    where = f"{want['text']!r}: got {found.speaker_id if found else None}/" + (
        f"{found.kind}/{found.date}" if found else "-"
    )
    tally.total += 1
    tally.add("speaker", found is not None and found.speaker_id == want["speaker"], where)
    tally.add("kind", found is not None and found.kind == want["kind"], where)
    if "date" in want:
        start, end = want["date"], want.get("date_end", want["date"])
        ok = found is not None and found.date is not None and start <= found.date <= end
        tally.add("date", ok, where)
    for name in ("deadline", "role", "channel", "outlet", "anonymous"):
        if name in want:
            tally.add(name, found is not None and getattr(found, name) == want[name], where)


@pytest.fixture(scope="module")
def corpus(extractor: Extractor) -> list[tuple[dict[str, Any], Extraction]]:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    found = []
    for entry in gold["documents"]:
        document = load_document(CORPUS / entry["file"], entry["published"])
        found.append((entry, extractor(document)))
    return found


@pytest.mark.model
def test_corpus_speaker_and_kind_accuracy(
    corpus: list[tuple[dict[str, Any], Extraction]],
) -> None:
    tally, held_out = Tally(), Tally()
    for entry, extraction in corpus:
        for want in entry["statements"]:
            found = matching(extraction.statements, want)
            score_statement(tally, found, want)
            if entry.get("held_out"):
                score_statement(held_out, found, want)
    for name, part in (("all", tally), ("held out", held_out)):
        figures = {field: round(part.accuracy(field), 3) for field in sorted(part.asked)}
        print(f"{name}: {part.total} gold statements:", figures)
    print(*tally.misses, sep="\n")
    assert tally.total >= 20
    assert tally.accuracy("speaker") >= FLOOR, tally.misses
    assert tally.accuracy("kind") >= FLOOR, tally.misses
    assert tally.accuracy("date") >= 0.8, tally.misses


@pytest.mark.model
def test_corpus_statements_carry_codes_spans_and_quotes(
    corpus: list[tuple[dict[str, Any], Extraction]],
) -> None:
    lexicon = load_statement_lexicon()
    every = [s for _, extraction in corpus for s in extraction.statements]
    for statement in every:
        assert (statement.plover, statement.cameo) == lexicon.codes(statement.kind)
        assert statement.span is not None and statement.verb in statement.span.text
    quoted = [q.text for s in every for q in s.quotes]
    assert "The Americans call it a ‘repositioning’, but it is a flight" in quoted


@pytest.mark.model
def test_the_ultimatum_of_the_corpus_is_a_key_date(
    corpus: list[tuple[dict[str, Any], Extraction]],
) -> None:
    dates = [(k.date, k.actor_ids) for _, x in corpus for k in x.key_dates if k.kind == "deadline"]
    assert (dt.date(2021, 12, 31), ["qais-al-khazali", "asaib-ahl-al-haq"]) in dates


# -- the seed report -------------------------------------------------------------------

SEED_STATEMENTS = [
    # (fragment of the sentence, cue, speaker, role, kind, date or None)
    ("humiliating escape", "declared", "kataib-hezbollah", "spokesperson", "victory_claim",
     dt.date(2020, 3, 19)),
    ("strategic operations", "called", "abu-ali-al-askari", "spokesperson", "call_to_action",
     dt.date(2020, 3, 19)),
    ("continue targeting Americans", "instructed", "abu-ali-al-askari", "spokesperson",
     "call_to_action", dt.date(2020, 3, 19)),
    ("threatened to renew attacks", "threatened", "kataib-sayyid-al-shuhada", "leader", "threat",
     dt.date(2020, 3, 19)),
    ("plotting a military coup", "told", "irgc-quds-force", "commander", "conspiracy_claim",
     dt.date(2020, 3, 22)),
    ("airborne assault", "announced", "kataib-hezbollah", None, "conspiracy_claim",
     dt.date(2020, 3, 25)),
    ("live-fire tactical exercise", "announced", "kataib-hezbollah", None, "announcement",
     dt.date(2020, 3, 26)),
    ("deadline previously set", "deadline", "kataib-hezbollah", None, "ultimatum", None),
]  # fmt: skip


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> Extraction:
    document = load_document(shared_path("seed", "iraq-proxies-2020.txt"), dt.date(2020, 4, 2))
    return extractor(document)


@pytest.mark.model
@pytest.mark.parametrize(("text", "cue", "speaker", "role", "kind", "day"), SEED_STATEMENTS)
def test_seed_statement(
    seed: Extraction,
    text: str,
    cue: str,
    speaker: str,
    role: str | None,
    kind: str,
    day: dt.date | None,
) -> None:
    found = matching(seed.statements, {"text": text, "cue": cue})
    assert found is not None, [
        (s.verb, s.span.text[:60] if s.span else "") for s in seed.statements
    ]
    assert (found.speaker_id, found.kind) == (speaker, kind)
    if role is not None:
        assert found.role == role
    if day is not None:
        assert found.date == day


@pytest.mark.model
def test_seed_details(seed: Extraction) -> None:
    by_verb = {(s.verb, s.kind): s for s in seed.statements}
    coup = by_verb[("told", "conspiracy_claim")]
    assert coup.anonymous and coup.outlet_id == "al-jarida" and coup.target_ids == ["united-states"]
    threat = by_verb[("threatened", "threat")]
    assert threat.condition == "if the American “occupation” of Iraq continues"
    escape = by_verb[("declared", "victory_claim")]
    assert [q.text for q in escape.quotes] == ["humiliating escape", "the beginning of defeat"]
    assert escape.date_basis == "context"


@pytest.mark.model
def test_seed_march_15_ultimatum_is_a_key_date(seed: Extraction) -> None:
    ultimatum = next(s for s in seed.statements if s.kind == "ultimatum")
    assert ultimatum.deadline == dt.date(2020, 3, 15)
    assert ultimatum.condition == "or face unspecified consequences"
    keys = [k for k in seed.key_dates if k.date == dt.date(2020, 3, 15) and k.kind == "deadline"]
    assert len(keys) == 1 and keys[0].actor_ids == ["kataib-hezbollah"]


# -- without the model -------------------------------------------------------------------


def test_quotes_inside_quotes_stay_in_the_outer_quotation() -> None:
    text = "“They call it a ‘repositioning’,” he said. Kata’ib Hezbollah’s men said 'no'."
    assert [text[q.start : q.end] for q in find_quotes(text)] == [
        "They call it a ‘repositioning’",
        "no",
    ]


def test_an_unclosed_quotation_is_not_one() -> None:
    assert find_quotes("He said “we will stay.\n\nThe next day") == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("until the end of the year", dt.date(2021, 12, 31)),
        ("by the end of next month", dt.date(2021, 7, 31)),
        ("before the end of this month", dt.date(2021, 6, 30)),
        ("within 30 days", dt.date(2021, 7, 29)),
        ("within two weeks", dt.date(2021, 7, 13)),
        ("soon", None),
    ],
)
def test_relative_deadlines(words: str, expected: dt.date | None) -> None:
    assert _relative_deadline(words, dt.date(2021, 6, 29)) == expected


def test_a_deadline_joins_the_key_date_of_the_same_day() -> None:
    known = KeyDate(date=dt.date(2020, 3, 15), what="a deadline", kind="deadline", actor_ids=["x"])
    statement = Statement(
        id="d-s1", document_id="d", speaker_id="kh", kind="ultimatum", deadline=known.date
    )
    joined = statement_key_dates([statement], [known])
    assert [k.actor_ids for k in joined] == [["x", "kh"]]


def test_the_lexicon_gives_codes_for_every_kind() -> None:
    lexicon = load_statement_lexicon()
    for kind in Statement.model_fields["kind"].annotation.__args__:  # type: ignore[union-attr]
        assert kind in lexicon.kinds
        assert lexicon.kinds[kind].cameo
    assert lexicon.kind_of_verb("deny") == "denial"


def test_a_user_file_extends_the_lexicon(tmp_path: Path) -> None:
    extra = tmp_path / "desk.yaml"
    extra.write_text("kinds:\n  threat:\n    verbs: [menace, intimidate]\n", encoding="utf-8")
    lexicon = load_statement_lexicon([extra])
    assert lexicon.kind_of_verb("intimidate") == "threat"
    assert lexicon.kind_of_verb("warn") == "threat"


def test_a_bad_user_file_is_a_knowledge_error(tmp_path: Path) -> None:
    extra = tmp_path / "desk.yaml"
    extra.write_text("kinds:\n  threat:\n    cues: ['(unclosed']\nactors: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown section"):
        load_statement_lexicon([extra])
    extra.write_text("kinds:\n  threat:\n    cues: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="not a valid pattern"):
        load_statement_lexicon([extra]).cue_patterns  # noqa: B018
