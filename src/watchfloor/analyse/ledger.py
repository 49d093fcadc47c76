"""The judgment ledger: estimative judgments, their outcomes, and how well each source scores.

A judgment's forecast probability is the midpoint of the range that ICD 203 gives its term
("likely" 55–80% → 0.675): the term promises no more than its range, and the midpoint is
the single number that errs least against the whole of it. The Brier score of a resolved
judgment is (p − outcome)², outcome 1 if it came true, 0 if not; lower is better, 0.25 is
what always saying 50% earns. Scores are grouped by source document, outlet and author
(where the document names them). The calibration table bins the resolved judgments by term:
the range the term promises beside how often its judgments came true.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from watchfloor.model import Judgment

UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class LedgerEntry:
    """A judgment with the document it came from: its title, outlet and author."""

    judgment: Judgment
    title: str = ""
    outlet: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class GroupScore:
    """The Brier score of a group's resolved judgments (None while none is resolved)."""

    group: str
    judgments: int
    resolved: int
    brier: float | None


@dataclass(frozen=True)
class CalibrationBin:
    """One term: the probability range it promises, and how often its judgments came true."""

    term: str
    low: float
    high: float
    resolved: int
    came_true: int

    @property
    def observed(self) -> float | None:
        """The share of the resolved judgments that came true."""
        return self.came_true / self.resolved if self.resolved else None

    @property
    def within(self) -> bool | None:
        """Whether the observed frequency lies inside the promised range."""
        observed = self.observed
        return None if observed is None else self.low <= observed <= self.high


def forecast_probability(judgment: Judgment) -> float:
    """The midpoint of the judgment's ICD probability range.

    >>> forecast_probability(Judgment(id="j", text="t", term="likely",
    ...                               probability=(0.55, 0.8), document_id="d"))
    0.675
    """
    low, high = judgment.probability
    return round((low + high) / 2, 6)


def brier(judgment: Judgment) -> float | None:
    """The Brier score of a resolved judgment; None while it is open.

    >>> brier(Judgment(id="j", text="t", term="unlikely", probability=(0.2, 0.45),
    ...                document_id="d", outcome=False))
    0.105625
    """
    if judgment.outcome is None:
        return None
    return round((forecast_probability(judgment) - float(judgment.outcome)) ** 2, 6)


def ledger_entries(
    judgments: Iterable[Judgment], documents: Iterable[Mapping[str, Any]]
) -> list[LedgerEntry]:
    """The judgments joined to their documents' rows (as `Store.document_rows` gives them).

    >>> ledger_entries([], [])
    []
    """
    rows = {row["document_id"]: row for row in documents}
    entries = []
    for judgment in judgments:
        row = rows.get(judgment.document_id, {})
        entries.append(
            LedgerEntry(
                judgment,
                title=row.get("title") or "",
                outlet=row.get("outlet"),
                author=row.get("author"),
            )
        )
    return entries


def scores_by(
    entries: Sequence[LedgerEntry], key: Callable[[LedgerEntry], str | None]
) -> list[GroupScore]:
    """Brier scores per group (document, outlet, author), best first, unresolved groups last.

    >>> j = Judgment(id="j", text="t", term="likely", probability=(0.55, 0.8),
    ...              document_id="d", outcome=True)
    >>> scores_by([LedgerEntry(j, outlet="ISW")], lambda e: e.outlet)
    [GroupScore(group='ISW', judgments=1, resolved=1, brier=0.105625)]
    """
    groups: dict[str, list[Judgment]] = defaultdict(list)
    for entry in entries:
        groups[key(entry) or UNKNOWN].append(entry.judgment)
    found = [_group_score(name, members) for name, members in groups.items()]
    return sorted(found, key=lambda g: (g.brier is None, g.brier or 0.0, g.group))


def _group_score(name: str, judgments: Sequence[Judgment]) -> GroupScore:
    scores = [s for s in (brier(j) for j in judgments) if s is not None]
    mean = round(sum(scores) / len(scores), 6) if scores else None
    return GroupScore(name, len(judgments), len(scores), mean)


def by_document(entry: LedgerEntry) -> str:
    """The group key of a judgment's document: its title, or its id."""
    return entry.title or entry.judgment.document_id


def by_outlet(entry: LedgerEntry) -> str | None:
    """The group key of a judgment's outlet."""
    return entry.outlet


def by_author(entry: LedgerEntry) -> str | None:
    """The group key of a judgment's author."""
    return entry.author


def calibration(judgments: Iterable[Judgment]) -> list[CalibrationBin]:
    """One bin per ICD term (and range), in order of probability: promised vs observed.

    >>> j = Judgment(id="j", text="t", term="likely", probability=(0.55, 0.8),
    ...              document_id="d", outcome=True)
    >>> calibration([j])[0].observed
    1.0
    """
    bins: dict[tuple[float, float, str], list[bool]] = defaultdict(list)
    for judgment in judgments:
        low, high = judgment.probability
        outcomes = bins[(low, high, judgment.term.lower())]
        if judgment.outcome is not None:
            outcomes.append(judgment.outcome)
    return [
        CalibrationBin(term, low, high, len(outcomes), sum(outcomes))
        for (low, high, term), outcomes in sorted(bins.items())
    ]


@dataclass(frozen=True)
class LedgerScores:
    """The ledger's scores: overall, by document, outlet and author, and the calibration."""

    overall: GroupScore
    documents: list[GroupScore]
    outlets: list[GroupScore]
    authors: list[GroupScore]
    calibration: list[CalibrationBin]


def score_ledger(entries: Sequence[LedgerEntry]) -> LedgerScores:
    """Every score of the ledger at once.

    >>> score_ledger([]).overall
    GroupScore(group='all', judgments=0, resolved=0, brier=None)
    """
    judgments = [e.judgment for e in entries]
    return LedgerScores(
        overall=_group_score("all", judgments),
        documents=scores_by(entries, by_document),
        outlets=scores_by(entries, by_outlet),
        authors=scores_by(entries, by_author),
        calibration=calibration(judgments),
    )
