"""alerts.entries: of a changed feed, only the entries not seen last time are parsed, and those
parse to exactly the articles a whole parse gives for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.entries import new_entries
from alerts.models import Article
from alerts.parse import parse_feed
from tests.feedserver import make_atom, make_rss

URL = "https://news.example/feed.xml"
NOW = datetime(2025, 6, 24, 6, 0, tzinfo=UTC)


def items(numbers: list[int], edited: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    return [{"title": f"Story {n}{' (updated)' if n in edited else ''}", "guid": f"s-{n}",
             "link": f"https://news.example/{n}", "description": f"Report <b>{n}</b> &amp; more.",
             "published": NOW - timedelta(minutes=n)} for n in numbers]


def articles(body: bytes | None) -> set[Article]:
    return set(parse_feed(body, URL).articles) if body is not None else set()


def test_a_first_body_is_parsed_whole_and_its_entries_fingerprinted() -> None:
    body = make_rss(items(list(range(5))))
    found = new_entries(body, None)
    assert found.document == body
    assert len(found.fingerprints.split()) == 5


def test_only_new_entries_are_parsed_and_give_what_a_whole_parse_gives_for_them() -> None:
    before = new_entries(make_rss(items([3, 4, 5, 6])), None)
    after = make_rss(items([1, 2, 3, 4, 5, 6]), title="Loopback Politics, rebuilt")

    found = new_entries(after, before.fingerprints)

    assert found.document is not None and len(found.document) < len(after)
    assert b"s-3" not in found.document
    assert articles(found.document) == {a for a in articles(after) if a.title in
                                        ("Story 1", "Story 2")}
    assert found.fingerprints == new_entries(after, None).fingerprints


def test_an_edited_entry_is_parsed_again() -> None:
    before = new_entries(make_rss(items([1, 2, 3])), None)
    found = new_entries(make_rss(items([1, 2, 3], edited=frozenset({2}))), before.fingerprints)
    assert [a.title for a in articles(found.document)] == ["Story 2 (updated)"]


def test_a_body_whose_entries_all_stayed_the_same_needs_no_parse() -> None:
    before = new_entries(make_rss(items([1, 2])), None)
    renamed = make_rss(items([1, 2]), title="Same stories, new build date")
    assert new_entries(renamed, before.fingerprints).document is None


def test_atom_entries_are_cut_out_too() -> None:
    def atom(numbers: list[int]) -> bytes:
        return make_atom([{"title": f"Entry {n}", "id": f"urn:e:{n}",
                           "link": f"https://news.example/e/{n}", "updated": NOW}
                          for n in numbers])

    found = new_entries(atom([1, 2, 3]), new_entries(atom([2, 3]), None).fingerprints)
    assert [a.title for a in articles(found.document)] == ["Entry 1"]


def test_bodies_that_cannot_be_cut_safely_are_parsed_whole() -> None:
    seen = new_entries(make_rss(items([1, 2])), None).fingerprints
    tricky = {
        "not UTF-8": make_rss(items([1, 2, 3])).replace(b"Story 3", "Caf\xe9".encode("latin-1")),
        "markup between entries": make_rss(items([1, 2, 3])).replace(
            b"</item><item>", b"</item><!-- ad --><item>", 1),
        "an entry's text holding </item>": make_rss([*items([1, 2]), {
            "title": "Tags", "guid": "t", "extra": "<content><![CDATA[a</item>b]]></content>"}]),
        "prefixed elements": make_rss(items([1, 2, 3])).replace(b"<item>", b"<rss:item>")
                                                        .replace(b"</item>", b"</rss:item>"),
    }
    for why, body in tricky.items():
        assert new_entries(body, seen).document == body, why


@settings(max_examples=60, deadline=None)
@given(before=st.lists(st.integers(0, 30), max_size=12, unique=True),
       after=st.lists(st.integers(0, 30), min_size=1, max_size=12, unique=True),
       edited=st.frozensets(st.integers(0, 30), max_size=3))
def test_parsing_only_new_entries_never_misses_an_article(
    before: list[int], after: list[int], edited: frozenset[int],
) -> None:
    old = make_rss(items(before))
    new = make_rss(items(after, edited))
    seen = new_entries(old, None).fingerprints
    known = articles(old)

    found = articles(new_entries(new, seen).document)

    assert found | known >= articles(new)
    assert found <= articles(new)
