"""The SITREP on a small hand-built store: sections, figures, sources, formats, escaping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from watchfloor.analyse.effects import EffectEstimate, Interval
from watchfloor.cli.report import report_command
from watchfloor.knowledge import load_knowledge
from watchfloor.model import Attribution, Document, Event, EventActor, Extraction
from watchfloor.report.effects_section import effects_section, strikes_verdict
from watchfloor.report.sections import Names, acknowledged
from watchfloor.report.sitrep import (
    ReportError,
    Sitrep,
    build_sitrep,
    headline_findings,
    write_sitrep,
)
from watchfloor.report.sitrep_model import SourceIndex, TextLookup
from watchfloor.resolve.fusion import FusedEvent
from watchfloor.store import Store

from .sitrep_store import HOSTILE, PLOT_WORDS, ULTIMATUM_WORDS, VOICE_HOSTILE, build_store

UNTIL = dt.date(2020, 3, 16)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = build_store(tmp_path_factory.mktemp("sitrep") / "small.db")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def sitrep(store: Store) -> Sitrep:
    return build_sitrep(store, since=dt.date(2020, 3, 1), until=UNTIL, title="Test SITREP")


def test_period_defaults_to_the_90_days_up_to_the_latest_event(store: Store) -> None:
    found = build_sitrep(store, pictures=False)
    assert (found.since, found.until) == (UNTIL - dt.timedelta(days=89), UNTIL)
    assert found.as_of == UNTIL + dt.timedelta(days=1)
    assert found.charts == {}


def test_events_table_counts_fused_attacks_with_their_sources(sitrep: Sitrep) -> None:
    dates = [e.date.isoformat() for e in sitrep.events]
    assert dates == ["2020-03-02", "2020-03-11", "2020-03-13", "2020-03-14", "2020-03-16"]
    taji = sitrep.events[1]
    assert taji.n_sources == 2  # a wire report and a claim, fused into one attack
    assert taji.claimants == ("Usbat al-Thairen",)
    assert taji.attributed == ("Kata'ib Hezbollah",)
    assert "about 18 rockets" in taji.munitions_text
    assert [e.sub_event_type for e in sitrep.other_events] == ["Peaceful protest"]


def test_takeaways_state_the_figures(sitrep: Sitrep) -> None:
    texts = [s.text for s in sitrep.takeaways]
    assert texts[0].startswith("5 attacks between 2020-03-01 and 2020-03-16")
    assert "3 shelling/artillery/missile attacks, 2 air/drone strikes" in texts[0]
    assert texts[1] == "Largest attack: 33 rockets on Camp Taji on 2020-03-14."
    assert texts[2].startswith("Usbat al-Thairen claimed 2 attacks (2020-03-11, 2020-03-14)")
    assert "United States attributed 1 of them to Kata'ib Hezbollah" in texts[2]
    assert any(t.startswith("Expected attacks from 2020-03-17 to 2020-03-30") for t in texts)
    assert headline_findings(sitrep) == texts[:3]


def test_every_statement_points_at_its_sentence(sitrep: Sitrep, store: Store) -> None:
    numbers = {r.number for r in sitrep.sources}
    cited = [r for s in sitrep.takeaways for r in s.refs]
    assert cited and {r.number for r in cited} <= numbers
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for ref in sitrep.sources:
        if ref.start is None or ref.end is None:
            continue
        text = store.document(ref.document_id).text
        assert " ".join(text[ref.start : ref.end].split()) == ref.text
    largest = sitrep.takeaways[1].refs
    assert [r.text for r in largest] == [
        "On Saturday 33 rockets hit Camp Taji again, and Usbat al-Thairen claimed that too."
    ]


def test_claims_set_against_attributions(sitrep: Sitrep) -> None:
    taji = sitrep.claims[0]
    assert [c.text for c in taji.claims] == [
        "Claimed by Usbat al-Thairen on 2020-03-15 via telegram"
    ]
    assert [a.text for a in taji.attributions] == [
        "Attributed to Kata'ib Hezbollah by United States"
    ]
    assert sitrep.claim_summary[-1].text == (
        "Of 5 attacks, 2 carry a claim of responsibility, 1 an attribution by a third party, "
        "and 3 neither."
    )


def test_front_groups_network_and_outlook(sitrep: Sitrep) -> None:
    assert [f.actor_id for f in sitrep.fronts] == ["usbat-al-thairen"]
    assert sitrep.fronts[0].conclusion.text
    assert any(e.subject == "Usbat al-Thairen" for e in sitrep.network)
    outlook = sitrep.outlook
    assert outlook.start == dt.date(2020, 3, 17)
    assert "deadline for U.S. forces to leave" in [k.what for k in outlook.key_dates]
    reported = next(k for k in outlook.key_dates if k.what == "deadline for U.S. forces to leave")
    assert reported.origin == "a report"
    assert reported.refs and "set March 20 as a deadline" in reported.refs[0].text
    assert outlook.indicators


def test_pictures_are_drawn(sitrep: Sitrep) -> None:
    assert set(sitrep.charts) == {"tempo", "map", "network"}
    chart = sitrep.charts["map"]
    assert chart.svg is not None and b"<svg" in chart.svg[:400]
    assert chart.png.startswith(b"\x89PNG")


def test_a_state_owning_its_strike_is_no_attribution() -> None:
    names = Names(load_knowledge())
    strike = Event(
        id="e", date=dt.date(2020, 1, 3), event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actors=[EventActor(actor_id="united-states", name="United States", role="perpetrator")],
    )  # fmt: skip
    own = Attribution(actor_id="united-states", by_actor_id="us-department-of-defense",
                      document_id="d")  # fmt: skip
    other = own.model_copy(update={"by_actor_id": "popular-mobilization-forces"})
    assert acknowledged(own, strike, names)
    assert not acknowledged(other, strike, names)
    salvo = strike.model_copy(update={"actors": [EventActor(actor_id="iran", name="Iran",
                                                            role="perpetrator")]})  # fmt: skip
    assert not acknowledged(own.model_copy(update={"actor_id": "iran"}), salvo, names)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_hostile_text_inert(sitrep: Sitrep, tmp_path: Path) -> None:
    (path,) = write_sitrep(sitrep, tmp_path / "sitrep.html")
    html = path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names
    for _, attrs in parser.tags:
        assert not [a for a, _ in attrs if a.lower().startswith("on")]
    sources = [v or "" for tag, attrs in parser.tags for a, v in attrs if a in ("src", "href")]
    assert all(s.startswith(("data:", "#", "http://", "https://")) for s in sources)
    assert not any("javascript" in s.lower() for s in sources)
    assert HOSTILE in "".join(parser.text)  # shown as text, not markup
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert {"tempo-chart", "event-map", "network-chart"} <= {
        v for _, attrs in parser.tags for a, v in attrs if a == "id"
    }


def test_markdown_escapes_and_links_its_pictures(sitrep: Sitrep, tmp_path: Path) -> None:
    written = write_sitrep(sitrep, tmp_path / "sitrep.md")
    text = written[0].read_text(encoding="utf-8")
    ours = re.sub(r'<a id="src-\d+"></a>|\]\(<https?://[^>\s]*>\)', "", text)
    assert re.search(r"(?<!\\)<", ours) is None  # every other '<' is escaped: no raw HTML
    assert r"\<script\>" in text
    for name in ("tempo", "map", "network"):
        assert (tmp_path / "sitrep_files" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f"](sitrep_files/{name}.png)" in text
    assert re.search(r"\[\[1\]\]\(#src-1\)", text)
    assert '<a id="src-1"></a>' in text


def test_bad_requests_are_clear_errors(store: Store, sitrep: Sitrep, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"use \.html, \.md or \.pdf"):
        write_sitrep(sitrep, tmp_path / "sitrep.docx")
    with pytest.raises(ReportError, match=r"starts .* after it ends"):
        build_sitrep(store, since=dt.date(2020, 4, 1), until=dt.date(2020, 3, 1))
    with (
        Store.open(str(tmp_path / "empty.db")) as empty,
        pytest.raises(ReportError, match="no events"),
    ):
        build_sitrep(empty)


def test_stale_fusion_is_redone_for_the_report(tmp_path: Path) -> None:
    store = build_store(tmp_path / "stale.db")
    text = "Two more rockets hit the Besmaya Range Complex."
    late = Document(document_id="late", title="More rockets", source="late.txt",
                    published=dt.date(2020, 3, 18), content_hash="late", text=text)  # fmt: skip
    event = store.events()[-1].model_copy(update={"id": "late-e1", "sources": []})
    store.save(late, Extraction(document_id="late", events=[event]))  # saved, not fused
    found = build_sitrep(store, since=dt.date(2020, 3, 1), pictures=False)
    assert any("fused anew" in n for n in found.notes)
    assert found.events[-1].n_sources == 2
    store.close()


def test_cli_writes_every_format_and_prints_the_headlines(store: Store, tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(report_command)
    html, md, pdf = (tmp_path / f"out.{s}" for s in ("html", "md", "pdf"))
    args = ["--db", store.url, "--since", "2020-03-01", "--out", str(html), "--out", f"{md},{pdf}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1. 5 attacks between 2020-03-01 and 2020-03-16" in " ".join(result.output.split())
    assert html.is_file() and md.is_file()
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert f"Wrote {pdf}" in result.output
    bad = CliRunner().invoke(app, ["--db", store.url, "--out", str(tmp_path / "x.doc")])
    assert bad.exit_code == 2 and "cannot tell the format" in bad.output


# -- what they are saying ------------------------------------------------------------------


def test_threats_are_listed_with_speaker_deadline_and_sentence(sitrep: Sitrep) -> None:
    voices = sitrep.voices
    assert voices.summary[0].text.startswith(
        "2 statements on record dated between 2020-03-01 and 2020-03-16"
    )
    (threat,) = voices.threats
    assert (threat.date, threat.speaker, threat.kind) == (
        dt.date(2020, 3, 8), "Kata'ib Hezbollah", "ultimatum"
    )  # fmt: skip
    assert threat.words == f"warned: “{ULTIMATUM_WORDS}”"
    assert threat.deadline == dt.date(2020, 3, 20) and threat.armed
    assert [r.text for r in threat.refs] == [
        "Kata'ib Hezbollah warned on Sunday that American forces would be struck unless they "
        "left Iraq by March 20."
    ]


def test_deadlines_come_from_the_calendar_and_the_reports(sitrep: Sitrep) -> None:
    rows = {row.date: row for row in sitrep.voices.deadlines}
    assert list(rows) == [dt.date(2020, 3, 15), dt.date(2020, 3, 20)]
    assert "Kata'ib Hezbollah's deadline" in rows[dt.date(2020, 3, 15)].what
    assert rows[dt.date(2020, 3, 15)].origin == "the calendar"
    both = {r.document_id for r in rows[dt.date(2020, 3, 20)].refs}
    assert both == {"claims", "threats"}  # one deadline, two reports of it


def test_other_statements_themes_and_what_followed(sitrep: Sitrep) -> None:
    voices = sitrep.voices
    (group,) = voices.groups
    assert (group.kind, group.count) == ("conspiracy_claim", 1)
    assert group.top[0].text == (
        f"2020-03-08 Abu Ali al-Askari (spokesperson, Kata'ib Hezbollah) said: “{PLOT_WORDS}”"
    )
    (theme,) = voices.themes
    assert (theme.theme, theme.count, theme.rising) == ("us-plot", 1, False)
    assert voices.themes_said.text.startswith("No theme is rising as of 2020-03-17")
    followed = [s.text for s in voices.follow_ups]
    assert followed == [
        f"Threat, then attack: the shelling/artillery/missile attack at Camp Taji on {day} came "
        f"{n} days after the ultimatum of 2020-03-08 by Kata'ib Hezbollah: “{ULTIMATUM_WORDS}”."
        for day, n in (("2020-03-11", 3), ("2020-03-14", 6))
    ]
    threat, attack = voices.follow_ups[0].refs  # the threat's sentence, then the attack's
    assert threat.document_id == "threats" and attack.document_id in ("claims", "wire")
    takeaway = next(t for t in sitrep.takeaways if "threat or ultimatum" in t.text)
    assert "the latest by an armed group: Kata'ib Hezbollah on 2020-03-08" in takeaway.text
    assert "deadline 2020-03-20. 2 attacks came soon after a threat" in takeaway.text


# -- did the strikes deter ------------------------------------------------------------------


def test_strikes_of_the_period_are_measured_or_said_too_recent(sitrep: Sitrep) -> None:
    effects = sitrep.effects
    (row,) = effects.rows
    assert (row.date, row.kind, row.verdict, row.ratio) == (
        dt.date(2020, 3, 2), "strike", "too few attacks", ""
    )  # fmt: skip
    assert row.sentence.startswith("The data cannot tell what changed")
    assert [r.document_id for r in row.refs] == ["strikes"]
    assert effects.notes[0].startswith("2 interventions in the period's last 7 days")
    assert "(2020-03-13, 2020-03-15)" in effects.notes[0]
    assert effects.verdict.text.startswith("Did the strikes deter? The data cannot tell")
    assert effects.verdict in sitrep.takeaways


def _attack(day: dt.date, n: int, *, strike: bool = False) -> FusedEvent:
    kind = "Air/drone strike" if strike else "Shelling/artillery/missile attack"
    actors = [EventActor(actor_id="united-states", name="United States", role="perpetrator")]
    event = Event(id=f"e{n}", date=day, event_type="Explosions/Remote violence",
                  sub_event_type=kind, actors=actors if strike else [])  # fmt: skip
    return FusedEvent(id=f"f{n}", event=event, member_ids=[event.id], document_ids=[])


def test_a_strike_after_which_attacks_fell_reads_as_a_drop_with_its_interval() -> None:
    start, strike = dt.date(2020, 1, 1), dt.date(2020, 4, 1)
    days = [start + dt.timedelta(days=d) for d in range(0, 150)]
    fused = [
        _attack(day, n)
        for n, day in enumerate(days)
        if (day < strike and n % 2 == 0) or (day > strike and n % 6 == 0)
    ]
    fused.append(_attack(strike, 999, strike=True))
    index = SourceIndex({}, TextLookup(lambda _: None))
    found = effects_section(fused, load_knowledge(), [], index, since=dt.date(2020, 3, 20),
                            until=dt.date(2020, 5, 20))  # fmt: skip
    row = next(r for r in found.rows if r.kind == "strike")
    assert row.verdict == "drop" and "90% CI" in row.ratio
    assert found.verdict.text.startswith("Attacks fell after the strikes (pooled over 1 strike")
    assert "not proof of cause" in found.verdict.text
    assert any(r.kind == "deadline" for r in found.rows)  # the calendar's, in the period


def _estimate(ratio: Interval | None, log_se: float | None, verdict: str) -> EffectEstimate:
    return EffectEstimate(
        at=dt.date(2020, 1, 1), label="a strike", what="attacks", window_days=30,
        before_days=90, bin_days=1, method="m", washout_days=7, verdict=verdict,  # type: ignore[arg-type]
        level=0.9, days_before=90, days_after=30, observed_before=9, observed_after=3,
        ratio=ratio, log_se=log_se,
    )  # fmt: skip


def test_the_verdict_says_only_what_the_estimates_allow() -> None:
    wide = _estimate(Interval(1.0, 0.3, 3.3), 0.36, "cannot-tell")
    rise = _estimate(Interval(2.0, 1.5, 2.7), 0.18, "rise")
    exact = _estimate(Interval(0.8, 0.1, 6.0), None, "cannot-tell")
    few = _estimate(None, None, "too-few")
    assert strikes_verdict([wide]).text.startswith(
        "Did the strikes deter? The data cannot tell (pooled over 1 strike, attacks ran at "
        "1.00 times what the weeks before predict, 90% CI"
    )
    assert strikes_verdict([rise]).text.startswith("Attacks rose after the strikes")
    assert "more like provocation than deterrence" in strikes_verdict([rise, few]).text
    unpooled = strikes_verdict([exact, few]).text
    assert unpooled.startswith("Did the strikes deter? The data cannot tell: of 2 strikes, 1 can")
    assert "none is pooled" in unpooled
    assert "too few attacks to compare" in strikes_verdict([few]).text


def test_new_sections_render_with_links_and_inert_text(sitrep: Sitrep, tmp_path: Path) -> None:
    (page,) = write_sitrep(sitrep, tmp_path / "voices.html")
    html = page.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    ids = {v for _, attrs in parser.tags for a, v in attrs if a == "id"}
    assert {"statements", "effects"} <= ids
    text = "".join(parser.text)
    assert VOICE_HOSTILE in text  # the conspiracy claim's markup, shown as text
    assert not [t for t, attrs in parser.tags if t == "img" and ("src", "y") in attrs]
    threat = sitrep.voices.threats[0].refs[0]
    section = html[html.index('id="statements"') : html.index('id="effects"')]
    assert f'href="#{threat.anchor}"' in section and "deadline 2020-03-20" in section
    assert f'href="#{sitrep.effects.rows[0].refs[0].anchor}"' in html[html.index('id="effects"') :]
    written = write_sitrep(sitrep, tmp_path / "voices.md")
    md = written[0].read_text(encoding="utf-8")
    assert "## What they are saying" in md and "## Did the strikes deter?" in md
    assert r"\<img src=y onerror=" in md
    assert re.search(r"(?<!\\)<img src=y", md) is None
    assert f"[[{threat.number}]](#src-{threat.number})" in md
