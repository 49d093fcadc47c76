"""The judgment ledger: midpoint probabilities, Brier scores by source, calibration by term."""

from __future__ import annotations

import pytest

from watchfloor.analyse.ledger import (
    LedgerEntry,
    brier,
    by_author,
    by_outlet,
    calibration,
    forecast_probability,
    ledger_entries,
    score_ledger,
    scores_by,
)
from watchfloor.model import Judgment

LIKELY = (0.55, 0.8)
UNLIKELY = (0.2, 0.45)


def judgment(
    n: int, term: str, probability: tuple[float, float], outcome: bool | None, doc: str = "d1"
) -> Judgment:
    return Judgment(
        id=f"{doc}:j{n}", text=f"Judgment {n}.", term=term, probability=probability,
        document_id=doc, outcome=outcome,
    )  # fmt: skip


def test_the_forecast_is_the_midpoint_of_the_range() -> None:
    assert forecast_probability(judgment(1, "likely", LIKELY, None)) == pytest.approx(0.675)
    assert forecast_probability(judgment(1, "remote", (0.01, 0.05), None)) == pytest.approx(0.03)


def test_brier_of_resolved_judgments_only() -> None:
    assert brier(judgment(1, "likely", LIKELY, True)) == pytest.approx(0.325**2)
    assert brier(judgment(1, "likely", LIKELY, False)) == pytest.approx(0.675**2)
    assert brier(judgment(1, "likely", LIKELY, None)) is None


def test_scores_by_outlet_and_author_rank_the_better_source_first() -> None:
    entries = [
        LedgerEntry(judgment(1, "likely", LIKELY, True, "a"), outlet="ISW", author="Ann"),
        LedgerEntry(judgment(2, "unlikely", UNLIKELY, False, "a"), outlet="ISW", author="Ann"),
        LedgerEntry(judgment(3, "likely", LIKELY, False, "b"), outlet="Wire", author=None),
        LedgerEntry(judgment(4, "likely", LIKELY, None, "c"), outlet="Blog", author="Bo"),
    ]
    outlets = scores_by(entries, by_outlet)
    assert [g.group for g in outlets] == ["ISW", "Wire", "Blog"]
    assert outlets[0].brier == pytest.approx((0.325**2 + 0.325**2) / 2)
    assert outlets[-1].resolved == 0 and outlets[-1].brier is None
    authors = {g.group: g for g in scores_by(entries, by_author)}
    assert authors["(unknown)"].judgments == 1


def test_calibration_bins_by_term_with_observed_frequency() -> None:
    judgments = [
        *(judgment(n, "likely", LIKELY, n < 7) for n in range(10)),
        *(judgment(10 + n, "unlikely", UNLIKELY, n < 1) for n in range(4)),
        judgment(20, "unlikely", UNLIKELY, None),
    ]
    bins = {b.term: b for b in calibration(judgments)}
    assert (bins["likely"].resolved, bins["likely"].observed) == (10, 0.7)
    assert bins["likely"].within is True
    assert (bins["unlikely"].resolved, bins["unlikely"].observed) == (4, 0.25)
    assert bins["unlikely"].within is True
    assert [b.term for b in calibration(judgments)] == ["unlikely", "likely"]


def test_entries_join_their_documents_and_score_overall() -> None:
    rows = [{"document_id": "a", "title": "Iraq update", "outlet": "ISW", "author": "Ann"}]
    entries = ledger_entries([judgment(1, "likely", LIKELY, True, "a")], rows)
    assert entries[0].title == "Iraq update" and entries[0].author == "Ann"
    scores = score_ledger(entries)
    assert scores.overall.resolved == 1
    assert scores.documents[0].group == "Iraq update"
