"""The seed report, scored by the shared scorer against its gold file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path
from tests.extract.conftest import load_document
from watchfloor.extract import Extractor
from watchfloor.report.export import bundle
from watchfloor.store import Store


@pytest.mark.model
def test_seed_scores(extractor: Extractor, store: Store, tmp_path: Path) -> None:
    seed = shared_path("seed", "iraq-proxies-2020.txt")
    gold = shared_path("gold", "iraq-proxies-2020.gold.yaml")
    scorer = shared_path("tools", "score_events.py")
    document = load_document(seed, dt.date(2020, 4, 2))
    store.save(document, extractor(document))
    out = tmp_path / "bundle.json"
    out.write_text(json.dumps(bundle(store, kb=extractor.kb)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(out), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    print(result.stdout, result.stderr)
    figures = json.loads(result.stdout.strip().splitlines()[-2])
    assert figures["recall"] >= 0.85
    assert figures["precision"] >= 0.75
    assert figures["fields_acc"] >= 0.80
    assert figures["actors"] >= 0.90
    assert figures["key_dates"] >= 0.80
    assert figures["judgments"] >= 0.85
