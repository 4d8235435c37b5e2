"""Text repair, boilerplate removal and article cleaning."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.text import (
    clean_article,
    collapse_whitespace,
    decode,
    html_to_text,
    looks_like_html,
    repair,
    strip_boilerplate,
)

SHARED = Path(__file__).parents[1].parent / "shared"
THAI_SEED = SHARED / "seeds" / "002_4b51c68940a25597.txt"


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("the party\u0e42s own members", "the party’s own members"),
        ("she called it \u0e42unfair\u0e42, then left", "she called it “unfair”, then left"),
        ("\u0e42We will vote against it,\u0e42 he said.", "“We will vote against it,” he said."),
        ("The rebels\u0e42 letter was \u0e42clear\u0e42.", "The rebels’ letter was “clear”."),
        ("They don\u0e42t agree.", "They don’t agree."),
    ],
)
def test_repair_restores_marks_lost_to_the_thai_code_page(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


@pytest.mark.parametrize("codec", ["cp874", "tis-620"])
def test_repair_undoes_utf8_read_as_thai(codec: str) -> None:
    original = "Ministers’ “pause” – a U-turn… isn’t it?"
    garbled = original.encode("utf-8").decode(codec, errors="ignore")
    assert garbled != original
    assert repair(garbled) == original


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Labourâ€™s welfare bill", "Labour’s welfare bill"),
        ("the cafÃ© near Westminster", "the café near Westminster"),
        ("a â€œfundamental rethinkâ€\x9d of welfare", "a “fundamental rethink” of welfare"),
        # the closing quote's last byte (0x9D, no character in Windows-1252) was lost
        ("she said: â€œNo.â€ Then she left", "she said: “No.” Then she left"),
        ("she said: â€œNo.â€\nThen she left", "she said: “No.”\nThen she left"),
    ],
)
def test_repair_fixes_classic_mojibake(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "ภาษาไทย โรงเรียน โทรศัพท์",
        "Labour’s “curly” quotes stay curly – and dashes too",
        "naïve déjà vu, São Paulo, Kraków",
    ],
)
def test_repair_leaves_sound_text_alone(text: str) -> None:
    assert repair(text) == text


def test_repair_of_the_thai_seed_leaves_no_stray_marks() -> None:
    if not THAI_SEED.exists():
        pytest.skip(f"the shared seed articles are not here ({THAI_SEED})")
    fixed = repair(THAI_SEED.read_text("utf-8"))
    assert "\u0e42" not in fixed
    assert "Scottish Labour’s own MPs" in fixed
    assert "the current system is “broken”, while" in fixed


BODY = (
    "More Labour MPs signed the amendment on Monday, taking the total above a hundred.\n"
    "The chief whip spent the afternoon ringing wavering backbenchers.\n"
)


def test_strip_boilerplate_drops_a_related_links_tail() -> None:
    related = "READ MORE:\nYou may also like\nChef opens a restaurant\nTen facts about owls"
    text = BODY + related
    assert strip_boilerplate(text) == BODY.rstrip("\n")


@pytest.mark.parametrize(
    "marker", ["Related articles", "Most read", "More on this story", "Read more"]
)
def test_strip_boilerplate_knows_the_usual_markers(marker: str) -> None:
    assert strip_boilerplate(f"{BODY}{marker}\nA headline\nAnother headline") == BODY.rstrip("\n")


def test_strip_boilerplate_drops_an_inline_plug_but_keeps_the_body_around_it() -> None:
    first, second = BODY.splitlines()
    text = f"{first}\nREAD MORE: Chancellor hints at tax rises in the autumn\n{second}"
    assert strip_boilerplate(text) == f"{first}\n{second}"


def test_strip_boilerplate_resumes_at_the_next_paragraph_of_body_text() -> None:
    text = f"Related\nSome headline\n{BODY}"
    assert strip_boilerplate(text) == BODY.rstrip("\n")


def test_strip_boilerplate_keeps_text_without_markers() -> None:
    assert strip_boilerplate(BODY) == BODY.rstrip("\n")


PAGE = """<!doctype html><html><head><title>Rebellion grows</title></head><body>
<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>Rebellion grows over welfare bill</h1>
<p>More than 120 Labour MPs have signed an amendment that would halt the bill, in the largest
show of dissent since the election.</p>
<p>Ministers are weighing concessions on personal independence payments before Tuesday's vote,
according to people familiar with the talks.</p>
<p>The Treasury insists the savings are needed to meet its fiscal rules this year.</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Storm warning</a></li></ul></aside>
<footer>© A Newspaper</footer></body></html>"""


def test_clean_article_takes_the_body_of_an_html_page() -> None:
    text = clean_article(PAGE)
    assert "More than 120 Labour MPs have signed an amendment" in text
    assert "Storm warning" not in text
    assert "<p>" not in text


def test_clean_article_puts_a_headline_outside_the_article_element_first() -> None:
    page = PAGE.replace("<article><h1>Rebellion grows over welfare bill</h1>",
                        "<div><h1>Rebellion grows over welfare bill</h1></div><article>")
    assert clean_article(page).startswith("Rebellion grows over welfare bill\nMore than 120")


def test_clean_article_does_not_repeat_a_headline_the_body_starts_with() -> None:
    assert clean_article(PAGE).count("Rebellion grows over welfare bill") == 1


CURLY = "“We will not back it,” she said."


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (CURLY.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + CURLY.encode("utf-8"), None),  # a byte-order mark is dropped
        (CURLY.encode("utf-8"), "text/html; charset=tis-620"),  # UTF-8 beats a wrong label
        (CURLY.encode("cp1252"), "text/html; charset=windows-1252"),
        (CURLY.encode("cp1252"), None),  # no label: Windows-1252
        (CURLY.encode("cp1252"), "text/html; charset=no-such-codec"),
        (CURLY.encode("utf-16"), "text/plain; charset=utf-16"),
    ],
)
def test_decode_reads_bytes_as_their_charset(data: bytes, content_type: str | None) -> None:
    assert decode(data, content_type) == CURLY


def test_decode_follows_a_pages_meta_charset() -> None:
    page = '<html><head><meta charset="iso-8859-7"></head><body>Ψ «αβ»</body></html>'
    assert decode(page.encode("iso-8859-7")) == page


def test_clean_article_cleans_plain_text_too() -> None:
    raw = "Labour\u0e42s rebels   met\n\n\nagain.\nREAD MORE:\nA headline"
    assert clean_article(raw) == "Labour’s rebels met\nagain."


def test_looks_like_html_tells_markup_from_prose() -> None:
    assert looks_like_html(PAGE)
    assert not looks_like_html("Over 40 MPs said 3 < 4 and 5 > 2.")


def test_collapse_whitespace_keeps_a_no_break_space_as_a_space() -> None:
    assert collapse_whitespace("49\u00a0Labour  MPs\x07\n\n voted") == "49 Labour MPs\nvoted"


def test_collapse_whitespace_turns_every_kind_of_space_into_one() -> None:
    text = "Liz\u2009Kendall\u200b said\t\u3000 so \n\u202f\n"
    assert collapse_whitespace(text) == "Liz Kendall said so"


def test_repair_mends_curly_punctuation_read_as_windows_1252_line_by_line() -> None:
    broken = "Intro.\nItâ€™s â€œfairâ€\x9d â€” she said â€¦\nCafÃ© politics."
    assert repair(broken) == "Intro.\nIt’s “fair” — she said …\nCafé politics."


def test_html_to_text_still_puts_paragraphs_on_lines() -> None:
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\nTwo & three"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_repair_and_cleaning_never_crash(text: str) -> None:
    assert isinstance(repair(text), str)
    assert isinstance(strip_boilerplate(text), str)
    assert isinstance(clean_article(text), str)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="<>/pdiv \u0e42\u20ac\u00e2\u0080\u0099\"'abcREAD MORE:\n"))
def test_cleaning_never_crashes_on_markup_and_mojibake_soup(text: str) -> None:
    assert isinstance(clean_article(text), str)
