"""`watchfloor kb`: browse actors and places, search names, add aliases, import files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from watchfloor.cli import options
from watchfloor.cli.kb import app

ACTORS = """\
- {id: iran, name: Iran, kind: state, context_aliases: [Tehran]}
- id: kataib-hezbollah
  name: Kata’ib Hezbollah
  kind: militia
  aliases: [KH]
  relations: [{relation: proxy_of, object: iran}]
  notes: Founded around 2007.
  sources: US Treasury designation, 2009
- {id: hezbollah, name: Hezbollah, kind: militia, aliases: [Lebanese Hezbollah]}
- id: abu-ali-al-askari
  name: Abu Ali al-Askari
  kind: person
  context_aliases: [Askari]
  relations: [{relation: spokesperson_of, object: kataib-hezbollah}]
"""
SITES = """\
- {id: camp-taji, name: Camp Taji, kind: base, lat: 33.53, lon: 44.26, admin1: Baghdad}
- {id: besmaya, name: Besmaya, kind: base, lat: 33.19, lon: 44.64}
- {id: sadr-city, name: Sadr City, kind: district, lat: 33.39, lon: 44.46}
"""

runner = CliRunner()


@pytest.fixture(autouse=True)
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a small shipped knowledge base and no settings file."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (data / "sites.yaml").write_text(SITES, encoding="utf-8")
    monkeypatch.setattr("watchfloor.knowledge.loader.shipped_data", lambda: data)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHFLOOR_KNOWLEDGE", raising=False)
    monkeypatch.setattr(options.console, "_width", 200)  # restored to None after
    monkeypatch.setattr(options.err_console, "_width", 200)
    return tmp_path


def use_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("WATCHFLOOR_KNOWLEDGE", str(path))


def test_actors_lists_ids_kinds_and_relations() -> None:
    result = runner.invoke(app, ["actors"])
    assert result.exit_code == 0, result.output
    assert "4 actors" in result.output
    assert "kataib-hezbollah" in result.output
    assert "proxy_of iran" in result.output


def test_actors_filtered_by_kind() -> None:
    result = runner.invoke(app, ["actors", "--kind", "person"])
    assert result.exit_code == 0
    assert "abu-ali-al-askari" in result.output
    assert "Kata’ib Hezbollah" not in result.output
    wrong = runner.invoke(app, ["actors", "--kind", "wizard"])
    assert wrong.exit_code == 2
    assert "no actor of kind 'wizard'" in wrong.stderr
    assert "Known kinds: militia, person, state" in wrong.stderr


def test_actor_shows_names_relations_both_ways_notes_and_sources() -> None:
    result = runner.invoke(app, ["actor", "kataib-hezbollah"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Kata’ib Hezbollah" in out and "aliases: KH" in out
    assert "proxy_of → Iran (iran)" in out
    assert "← spokesperson_of of Abu Ali al-Askari (abu-ali-al-askari)" in out
    assert "Founded around 2007." in out and "US Treasury designation" in out


def test_actor_by_name_and_context_aliases() -> None:
    result = runner.invoke(app, ["actor", "KH"])
    assert result.exit_code == 0
    assert "(kataib-hezbollah)" in result.output
    assert "'KH' is kataib-hezbollah: acronym match on 'KH'" in result.stderr
    fuzzy = runner.invoke(app, ["actor", "Kataib Hizbolah"])
    assert "fuzzy match" in fuzzy.stderr
    askari = runner.invoke(app, ["actor", "abu-ali-al-askari"])
    assert "context aliases (need support in the document): Askari" in askari.output
    surname = runner.invoke(app, ["actor", "Askari"])
    assert surname.exit_code == 0
    assert "(abu-ali-al-askari)" in surname.output
    assert "a context alias of this actor only" in surname.stderr


def test_unknown_actor_is_an_error_with_suggestions() -> None:
    result = runner.invoke(app, ["actor", "Hezbollah Brigade of Wizards"])
    assert result.exit_code == 2
    assert "no actor with id 'Hezbollah Brigade of Wizards'" in result.stderr
    assert "Did you mean: hezbollah" in result.stderr


def test_places_kind_and_limit() -> None:
    result = runner.invoke(app, ["places", "--kind", "base"])
    assert result.exit_code == 0
    assert "camp-taji" in result.output and "sadr-city" not in result.output
    assert "33.53" in result.output
    limited = runner.invoke(app, ["places", "--limit", "1"])
    assert "3 places (first 1)" in limited.output
    assert runner.invoke(app, ["places", "--kind", "moon"]).exit_code == 2


def test_search_ranks_with_score_and_method() -> None:
    result = runner.invoke(app, ["search", "Kataib Hizbullah"])
    assert result.exit_code == 0, result.output
    first_row = next(line for line in result.output.splitlines() if "kataib-hezbollah" in line)
    assert "normalised" in first_row and "98" in first_row
    assert "actor (militia)" in first_row
    place = runner.invoke(app, ["search", "Camp Tajji"])
    assert "camp-taji" in place.output and "place (base)" in place.output


def test_search_says_when_nothing_matches() -> None:
    result = runner.invoke(app, ["search", "Xqzw Vvrt"])
    assert result.exit_code == 1
    assert "Nothing in the knowledge base is like 'Xqzw Vvrt'" in result.stderr


def test_add_alias_creates_the_file_and_is_read_back(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(app, ["add-alias", "kataib-hezbollah", "Hezbollah Brigades"])
    assert result.exit_code == 0, result.output
    assert "Added alias 'Hezbollah Brigades' to kataib-hezbollah" in result.output
    # ./watchfloor-knowledge.yaml is read by default: no need to list it
    assert "only once it is listed" not in result.stderr
    path = desk / "watchfloor-knowledge.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data == {"actors": [{"id": "kataib-hezbollah", "aliases": ["Hezbollah Brigades"]}]}
    shown = runner.invoke(app, ["actor", "kataib-hezbollah"])
    assert "aliases: KH, Hezbollah Brigades" in shown.output
    again = runner.invoke(app, ["add-alias", "kataib-hezbollah", "Hezbollah Brigades"])
    assert again.exit_code == 0
    assert "already gives 'Hezbollah Brigades'" in again.output
    assert "only once it is listed" not in again.stderr


def test_add_alias_context_and_place(desk: Path) -> None:
    target = desk / "mine.yaml"
    result = runner.invoke(
        app, ["add-alias", "kataib-hezbollah", "Kataib", "--context", "--file", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "Added context alias 'Kataib'" in result.output
    runner.invoke(app, ["add-alias", "besmaya", "Besmaya Range Complex", "--file", str(target)])
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["actors"] == [{"id": "kataib-hezbollah", "context_aliases": ["Kataib"]}]
    assert data["places"] == [{"id": "besmaya", "aliases": ["Besmaya Range Complex"]}]


def test_add_alias_refuses_an_unknown_id(desk: Path) -> None:
    result = runner.invoke(app, ["add-alias", "kataib-hezbolla", "KHB"])
    assert result.exit_code == 2
    assert "no actor or place with id 'kataib-hezbolla'" in result.stderr
    assert "Did you mean: kataib-hezbollah" in result.stderr
    assert not (desk / "watchfloor-knowledge.yaml").exists()


def test_import_validates_and_merges(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = desk / "watchfloor-knowledge.yaml"
    mine.write_text("actors:\n  - {id: iran, aliases: [IRI]}\n", encoding="utf-8")
    use_file(monkeypatch, mine)
    incoming = desk / "syria.yaml"
    incoming.write_text(
        """\
actors:
  - {id: liwa-fatemiyoun, name: Liwa Fatemiyoun, kind: militia,
     relations: [{relation: proxy_of, object: iran}]}
  - {id: iran, aliases: [Persia]}
places:
  - {id: albu-kamal, name: Albu Kamal, kind: town, lat: 34.45, lon: 40.92, country: Syria}
calendar:
  deadlines:
    - {id: talks, date: 2021-07-26, what: strategic dialogue}
""",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(incoming)])
    assert result.exit_code == 0, result.output
    assert "added 1 actors: liwa-fatemiyoun" in result.output
    assert "extended 1 actors: iran" in result.output
    assert "added 1 places: albu-kamal" in result.output
    assert "added 1 calendar: talks" in result.output
    data = yaml.safe_load(mine.read_text(encoding="utf-8"))
    assert data["actors"][0] == {"id": "iran", "aliases": ["IRI", "Persia"]}
    shown = runner.invoke(app, ["actor", "Liwa Fatemiyoun"])
    assert "proxy_of → Iran (iran)" in shown.output


def test_import_refuses_an_invalid_file_and_writes_nothing(desk: Path) -> None:
    bad = desk / "bad.yaml"
    bad.write_text("actors:\n  - {id: x, name: X, kind: militia, alias: [Y]}\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml: actors[0] (id 'x'): field alias" in result.stderr
    assert not (desk / "watchfloor-knowledge.yaml").exists()
    itself = runner.invoke(app, ["import", str(bad), "--file", str(bad)])
    assert itself.exit_code == 2
    assert "is the file to merge into" in itself.stderr


def test_a_broken_knowledge_file_in_the_settings_is_a_clear_error(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = desk / "broken.yaml"
    broken.write_text("actors:\n  - {id: iran, relations: [{relation: ally, object: x}]}\n")
    use_file(monkeypatch, broken)
    result = runner.invoke(app, ["actors"])
    assert result.exit_code == 2
    assert "broken.yaml: actors[0] (id 'iran'): field relations.0.relation" in result.stderr
    assert "setting `knowledge`" in result.stderr


@pytest.mark.parametrize("command", ["actors", "actor", "places", "search", "add-alias", "import"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
