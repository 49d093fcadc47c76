"""Excerpts, segments and safe links: the text helpers behind the event and document pages."""

from __future__ import annotations

import pytest

from watchfloor.serve.highlight import Mark, excerpt, locate, safe_url, segments
from watchfloor.serve.state import safe_filename

TEXT = "BAGHDAD, March 12 - Rockets struck Taji base. Two died.\n\nNo group claimed it."


def test_excerpt_keeps_the_paragraph_around_the_span() -> None:
    start = TEXT.index("Rockets")
    end = TEXT.index(". Two") + 1
    found = excerpt(TEXT, start, end, TEXT[start:end])
    assert found is not None
    assert found["mark"] == "Rockets struck Taji base."
    assert found["before"] == "BAGHDAD, March 12 - " and found["after"] == " Two died."


def test_a_shifted_span_is_found_by_its_words() -> None:
    start = TEXT.index("No group")
    assert locate(TEXT, start - 5, start + 3, "No group") == (start, start + 8)
    assert locate(TEXT, 0, 5, "words that are not there") is None
    assert excerpt(TEXT, 500, 510, "") is None


def test_segments_cover_the_text_once_with_overlapping_marks() -> None:
    marks = [Mark(0, 7, "mention", "place: baghdad"), Mark(0, 45, "event", "attack"),
             Mark(20, 27, "focus"), Mark(3, 2, "event"), Mark(0, 999, "claim"),
             Mark(1, 2, "<script>")]  # fmt: skip
    found = segments(TEXT, marks)
    assert "".join(s.text for s in found) == TEXT
    assert found[0].kinds == ["event", "mention"] and found[0].notes == ["place: baghdad", "attack"]
    focus = [s for s in found if "focus" in s.kinds]
    assert [s.text for s in focus] == ["Rockets"] and focus[0].anchor == "focus"
    assert all(set(s.kinds) <= {"event", "mention", "focus"} for s in found)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:x",
     "data:text/html,<script>x</script>", "vbscript:x", "//evil.example/x", "http:/x", ""],
)  # fmt: skip
def test_only_plain_web_addresses_become_links(url: str) -> None:
    assert safe_url(url) is None


def test_uploaded_names_are_reduced_to_safe_characters() -> None:
    assert safe_filename("../../../etc/passwd") == "passwd"
    assert safe_filename("C:\\reports\\a b.html") == "a_b.html"
    assert safe_filename("...") == "upload.txt"
