"""The ingest command's scale options: the flags, the pool they pick, what the summary says."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from watchfloor.cli import app
from watchfloor.cli.ingest import _pool, print_summary
from watchfloor.cli.options import console
from watchfloor.errors import ConfigError
from watchfloor.ingest import make_document
from watchfloor.pipeline import IngestSummary
from watchfloor.scale.cluster import DaskPool
from watchfloor.scale.workers import ExtractorSpec, ProcessPool


def test_the_flags_are_documented() -> None:
    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for flag in ("--workers", "--cluster", "--no-gate"):
        assert flag in result.output


def test_workers_pick_local_processes_and_cluster_picks_dask() -> None:
    spec = ExtractorSpec()
    assert isinstance(_pool(spec, workers=2, cluster=None), ProcessPool)
    local = _pool(spec, workers=3, cluster="local")
    assert isinstance(local, DaskPool) and local.size == 3


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    pool = DaskPool(ExtractorSpec(), address="tcp://127.0.0.1:9", timeout_s=1)
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
        pool.__enter__()


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ConfigError, match="1 or more"):
        ProcessPool(ExtractorSpec(), workers=0)


def test_the_summary_counts_what_the_gate_set_aside() -> None:
    added = [make_document(text, source=f"{n}.txt", fmt="txt") for n, text in enumerate(["a", "b"])]
    summary = IngestSummary(added=added)
    summary.gated.append(("reports/football.txt", "no word of an event"))
    with console.capture() as captured:
        print_summary(summary)
    text = captured.get()
    assert "skipped by the relevance gate" in text
    assert summary.clean and summary.extracted == 1
