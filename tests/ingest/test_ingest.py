"""Ingest: every format, and every kind of bad input skipped with its reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watchfloor.ingest import Skipped, ingest, read_path
from watchfloor.ingest.text import content_hash, split_front_matter
from watchfloor.model import Document

REPORT = "Rockets struck the Taji base north of Baghdad on Wednesday night, officials said."


def one(path: Path, **kwargs: object) -> Document | Skipped:
    items = list(read_path(path, **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1
    return items[0]


def test_text_with_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        f"---\ntitle: Taji hit\npublished: 2020-03-12\nsource: Desk Notes\n---\n{REPORT}\n",
        encoding="utf-8",
    )
    doc = one(path)
    assert isinstance(doc, Document)
    assert (doc.title, doc.published, doc.outlet, doc.format) == (
        "Taji hit",
        dt.date(2020, 3, 12),
        "Desk Notes",
        "md",
    )
    assert doc.text == REPORT
    assert doc.language == "en"


def test_published_flag_overrides(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(REPORT, encoding="utf-8")
    doc = one(path, published=dt.date(2020, 4, 2))
    assert isinstance(doc, Document) and doc.published == dt.date(2020, 4, 2)


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(
        "Kata’ib Hezbollah fired rockets at the base, the ministry said.".encode("cp1252")
    )
    doc = one(path)
    assert isinstance(doc, Document) and "Kata’ib" in doc.text


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html lang='en'><head><title>Rockets hit Taji</title>"
        "<meta property='article:published_time' content='2020-03-12T08:00:00Z'>"
        "<script>document.write('evil')</script></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Rockets hit Taji</h1><p>{REPORT}</p>"
        "<p onclick='steal()'>Two soldiers were wounded, the coalition said in a statement.</p>"
        "<a href='javascript:alert(1)'>more</a></article><footer>© Wire</footer></body></html>",
        encoding="utf-8",
    )
    doc = one(path)
    assert isinstance(doc, Document)
    assert doc.published == dt.date(2020, 3, 12)
    assert "Taji" in doc.title
    assert REPORT in doc.text
    assert "evil" not in doc.text and "Home | World" not in doc.text


def test_pdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as f:
        writer.write(f)
    skip = one(path)
    assert isinstance(skip, Skipped) and skip.reason == "empty"


def test_feed_items_become_documents(tmp_path: Path) -> None:
    path = tmp_path / "wire.xml"
    path.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Taji hit</title><link>https://example.org/1</link><guid>t1</guid>
<pubDate>Thu, 12 Mar 2020 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Rockets struck the Taji base late on Wednesday.&lt;/p&gt;</description></item>
<item><title>Empty</title><guid>t2</guid><description></description></item>
</channel></rss>""",
        encoding="utf-8",
    )
    items = list(read_path(path))
    docs = [i for i in items if isinstance(i, Document)]
    skips = [i for i in items if isinstance(i, Skipped)]
    assert [d.published for d in docs] == [dt.date(2020, 3, 12)]
    assert docs[0].source.endswith("#t1") and docs[0].format == "feed"
    assert [s.reason for s in skips] == ["empty"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t \n", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("zip.txt", b"PK\x03\x04\x00\x00\x00\x00" + b"\x00" * 100, "binary"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<< broken", "undecodable"),
        ("sheet.xlsx", b"not really a spreadsheet", "unsupported format"),
        ("arabic-bad.txt", "كتائب حزب الله".encode("utf-16-le")[1:] * 3, "binary"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "empty"),
    ],
)
def test_bad_input_is_skipped_with_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    item = one(path)
    assert isinstance(item, Skipped)
    assert item.reason == reason
    assert item.source == str(path)


def test_too_large_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(REPORT * 100, encoding="utf-8")
    item = one(path, max_bytes=1000)
    assert isinstance(item, Skipped) and item.reason == "too large"


def test_missing_file_is_skipped(tmp_path: Path) -> None:
    item = one(tmp_path / "nope.txt")
    assert isinstance(item, Skipped) and item.reason == "unreadable"


def test_folder_walk_with_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.md").write_text(REPORT + " More.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    found = [i.source for i in ingest([tmp_path])]
    assert found == [str(tmp_path / "b.md"), str(tmp_path / "sub" / "a.txt")]
    only = [i.source for i in ingest([tmp_path], include=["*.txt"])]
    assert only == [str(tmp_path / "sub" / "a.txt")]
    none = [i.source for i in ingest([tmp_path], exclude=["sub/*", "*.md"])]
    assert none == []


def test_content_hash_ignores_rewrapping() -> None:
    assert content_hash("a b\nc") == content_hash("a  b c ")
    assert content_hash("a b") != content_hash("a c")


def test_bad_front_matter_is_kept_as_text() -> None:
    meta, body = split_front_matter("---\n: : bad [\n---\nBody")
    assert meta == {}
    assert body.startswith("---")
