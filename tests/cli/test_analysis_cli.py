"""`watchfloor network` and `watchfloor attribute` on a store of the seed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import shared_path
from watchfloor import pipeline
from watchfloor.cli.analysis import attribute_command, network_command
from watchfloor.extract import build_extractor
from watchfloor.store import Store

runner = CliRunner()
app = typer.Typer()  # the commands alone, as the main app registers them
app.command("network")(network_command)
app.command("attribute")(attribute_command)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    seed = shared_path("seed", "iraq-proxies-2020.txt")
    path = str(tmp_path_factory.mktemp("cli") / "seed.db")
    with Store.open(path) as store:
        pipeline.run(
            [seed], store=store, extractor=build_extractor(), published=dt.date(2020, 4, 2)
        )
    return path


def test_attribute_names_the_parent_in_icd_words(db: str) -> None:
    result = runner.invoke(app, ["attribute", "Usbat al-Thairen", "--db", db])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "prior knowledge, not evidence from the documents" in text
    assert "ACH matrix" in text
    assert "is likely (55-80%) a front for, or under the control of, Kata'ib Hezbollah" in text


def test_attribute_refuses_an_unknown_name(db: str) -> None:
    result = runner.invoke(app, ["attribute", "Nobody At All Brigade", "--db", db])
    assert result.exit_code == 2
    assert "no known actor" in result.output


def test_network_writes_the_graph_and_the_picture(db: str, tmp_path: Path) -> None:
    out, picture = tmp_path / "net.graphml", tmp_path / "net.png"
    result = runner.invoke(
        app, ["network", "--db", db, "--out", str(out), "--picture", str(picture)]
    )
    assert result.exit_code == 0, result.output
    assert "Most central" in result.output
    assert nx.read_graphml(out).has_edge("usbat-al-thairen", "kataib-hezbollah")
    assert picture.read_bytes().startswith(b"\x89PNG")


def test_network_ego_of_a_named_actor(db: str, tmp_path: Path) -> None:
    out = tmp_path / "ego.json"
    result = runner.invoke(
        app, ["network", "--db", db, "--ego", "Usbat al-Thairen", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Usbat al-Thairen" in result.output
    assert '"kataib-hezbollah"' in out.read_text(encoding="utf-8")


def test_network_refuses_an_unknown_format(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["network", "--db", db, "--out", str(tmp_path / "net.csv")])
    assert result.exit_code == 2
    assert "use .graphml, .gexf or .json" in result.output
