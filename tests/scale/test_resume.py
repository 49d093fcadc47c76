"""An ingest killed midway (SIGKILL) resumes when run again: no duplicate, no gap."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.scale.conftest import CASES, NOISE, snapshot
from watchfloor import pipeline
from watchfloor.extract import Extractor
from watchfloor.extract.gate import RelevanceGate
from watchfloor.ingest import read_path
from watchfloor.model import Document
from watchfloor.store import Store

PUBLISHED = "2020-06-01"
REPORTS = 10
KILL_AT = 3  # documents stored when the ingest is killed
POLL_S = 0.01
PATIENCE_S = 300  # loading the model on a busy machine takes a while


def write_folder(folder: Path) -> int:
    """Ten two-report documents (slow enough to kill between) and the three noise stories."""
    texts = []
    for path in sorted(CASES.glob("*.txt"))[:8]:
        document = next(iter(read_path(path)))
        assert isinstance(document, Document)
        texts.append(document.text)
    folder.mkdir()
    pairs = itertools.islice(itertools.combinations(range(len(texts)), 2), REPORTS)
    for n, (i, j) in enumerate(pairs):
        (folder / f"report-{n:02d}.txt").write_text(texts[i] + "\n\n" + texts[j], encoding="utf-8")
    for k, (name, text) in enumerate(NOISE.items()):  # between the reports
        (folder / f"report-{3 * k + 2:02d}b-{name}").write_text(text, encoding="utf-8")
    return REPORTS + len(NOISE)


def stored(db: Path) -> int:
    """Documents in the database now (0 before its tables exist)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is still being made, or the file locked
        return 0


def ingest_then_kill(folder: Path, db: Path, cwd: Path) -> int:
    """Start `watchfloor ingest` on the folder, SIGKILL it once KILL_AT documents are in."""
    command = [sys.executable, "-m", "watchfloor", "ingest", str(folder), "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--published", PUBLISHED],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + PATIENCE_S
        while stored(db) < KILL_AT and process.poll() is None and time.monotonic() < deadline:
            time.sleep(POLL_S)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the ingest's own process group
        process.wait()
    return stored(db)


@pytest.mark.model
def test_a_killed_ingest_resumes_without_duplicate_or_gap(
    extractor: Extractor, gate: RelevanceGate, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    total = write_folder(folder)
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    at_kill = ingest_then_kill(folder, killed, tmp_path)
    assert KILL_AT <= at_kill < total, f"killed with {at_kill} of {total} documents stored"

    published = dt.date.fromisoformat(PUBLISHED)
    with Store.open(str(killed)) as store:
        resumed = pipeline.run(
            [folder], store=store, extractor=extractor, gate=gate, published=published
        )
    assert len(resumed.duplicates) == at_kill
    assert len(resumed.added) == total - at_kill
    with Store.open(str(clean)) as store:
        pipeline.run([folder], store=store, extractor=extractor, gate=gate, published=published)

    expected, found = snapshot(str(clean)), snapshot(str(killed))
    assert found["counts"]["documents"] == total
    assert found["events"], "the comparison needs events"
    assert found == expected
