"""alerts.parse and alerts.urls: feed bytes become articles with stable identities."""

from __future__ import annotations

import hashlib
import time
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.errors import ParseError
from alerts.parse import ParsedFeed, article_identity, parse_feed
from alerts.urls import canonical_url
from tests.feedserver import make_atom, make_rss

FEED_URL = "https://news.example.org/politics/rss.xml"
MONDAY = datetime(2025, 6, 2, 18, 30, tzinfo=UTC)

ITEMS = [
    {
        "title": "Welfare vote: rebels <em>gather</em>",
        "link": "https://news.example.org/politics/welfare-vote",
        "guid": "https://news.example.org/politics/welfare-vote",
        "description": "<p>More than <b>120</b> MPs signed the amendment.</p><p>Second line.</p>",
        "published": MONDAY,
    },
    {
        "title": "Minister defends the cuts",
        "link": "https://news.example.org/politics/minister",
        "guid": "story-2025-0602-17",
        "permalink": False,
        "description": "The minister spoke at length.",
        "published": MONDAY - timedelta(hours=2),
    },
]

RSS1 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example.org/">
    <title>Loopback RDF</title><link>https://news.example.org/</link><description>d</description>
  </channel>
  <item rdf:about="https://news.example.org/a?utm_source=rss">
    <title>Committee stage begins</title>
    <link>https://news.example.org/a?utm_source=rss</link>
    <description>The bill reaches committee.</description>
    <dc:date>2025-06-03T09:15:00+01:00</dc:date>
  </item>
</rdf:RDF>
"""


def parse(body: bytes, url: str = FEED_URL, content_type: str | None = None) -> ParsedFeed:
    return parse_feed(body, url, content_type)


def test_rss2_items_become_articles_with_clean_text() -> None:
    feed = parse(make_rss(ITEMS))

    first = feed.articles[0]
    assert feed.title == "Loopback Politics" and feed.warning is None
    assert first.title == "Welfare vote: rebels gather"
    assert first.summary == "More than 120 MPs signed the amendment.\nSecond line."
    assert first.link == "https://news.example.org/politics/welfare-vote"
    assert (first.published, first.feed_url) == (MONDAY, FEED_URL)
    assert [a.identity for a in feed.articles] == [
        "guid:https://news.example.org/politics/welfare-vote",
        "guid:story-2025-0602-17",
    ]


def test_atom_entries_become_articles() -> None:
    entry = {"title": "Vote delayed", "link": "https://news.example.org/delay",
             "id": "tag:news.example.org,2025:delay", "summary": "Whips count heads.",
             "updated": datetime(2025, 6, 3, 8, 0, tzinfo=timezone(timedelta(hours=1)))}

    [article] = parse(make_atom([entry])).articles

    assert article.identity == "guid:tag:news.example.org,2025:delay"
    assert (article.title, article.link, article.summary) == (
        "Vote delayed", "https://news.example.org/delay", "Whips count heads.")
    assert article.published == datetime(2025, 6, 3, 7, 0, tzinfo=UTC)


def test_rss1_items_become_articles() -> None:
    feed = parse(RSS1)

    [article] = feed.articles
    assert feed.title == "Loopback RDF"
    assert article.identity == "guid:https://news.example.org/a"  # rdf:about, tracking gone
    assert article.published == datetime(2025, 6, 3, 8, 15, tzinfo=UTC)


def test_a_bare_guid_keeps_its_identity_when_the_feed_moves_to_https() -> None:
    body = make_rss([{"title": "Story", "guid": "1234"}])

    before = parse(body, "http://news.example.org/rss.xml").articles[0]
    after = parse(body, "https://news.example.org/rss.xml").articles[0]

    assert before.identity == after.identity == "guid:1234"
    assert before.link == after.link == ""


def test_a_bare_guid_under_xml_base_keeps_its_identity_when_the_base_moves_to_https() -> None:
    body = make_rss([{"title": "Story", "guid": "1234"}]).replace(
        b'<rss version="2.0">', b'<rss version="2.0" xml:base="http://news.example.org/">')

    before = parse(body).articles[0]
    after = parse(body.replace(b"http://news", b"https://news")).articles[0]

    assert before.identity == after.identity == "guid:https://news.example.org/1234"


def test_a_guid_url_keeps_its_identity_across_http_and_https() -> None:
    old = make_rss([{"title": "Story", "guid": "http://news.example.org/story"}])
    new = make_rss([{"title": "Story", "guid": "https://news.example.org/story"}])

    assert parse(old).articles[0].identity == parse(new).articles[0].identity


def test_without_a_guid_the_link_minus_tracking_is_the_identity() -> None:
    tracked = "http://News.Example.org:80/story?id=7&utm_source=rss&at_medium=RSS&fbclid=x#top"
    clean = "https://news.example.org/story?id=7"

    tracked_article = parse(make_rss([{"title": "Story", "link": tracked}])).articles[0]
    clean_article = parse(make_rss([{"title": "Story", "link": clean}])).articles[0]

    assert tracked_article.identity == clean_article.identity == f"link:{clean}"


def test_a_relative_link_is_made_absolute_against_the_feed() -> None:
    [article] = parse(make_rss([{"title": "Story", "link": "/politics/story-9"}])).articles

    assert article.link == "https://news.example.org/politics/story-9"


def test_with_neither_guid_nor_link_a_content_hash_is_the_identity() -> None:
    [article] = parse(make_rss([{"title": "Story", "description": "Body text."}])).articles

    expected = hashlib.sha256(b"Story\nBody text.").hexdigest()
    assert article.identity == f"hash:{expected}"


def test_identity_kinds_cannot_collide() -> None:
    same = "https://news.example.org/x"

    guid, link = article_identity(same, None, "", ""), article_identity(None, same, "", "")

    assert guid != link and guid.startswith("guid:") and link.startswith("link:")


def test_reordered_and_redated_entries_keep_their_identities() -> None:
    redated = [{**item, "published": MONDAY + timedelta(days=1)} for item in reversed(ITEMS)]
    hashed = [{"title": "No ids", "description": "Only text.", "published": MONDAY}]
    hashed_redated = [{**hashed[0], "published": MONDAY + timedelta(days=3)}]

    first = {a.identity for a in parse(make_rss([*ITEMS, *hashed])).articles}
    second = {a.identity for a in parse(make_rss([*hashed_redated, *redated])).articles}

    assert first == second and len(first) == 3


def test_a_repeated_identity_keeps_the_first_entry() -> None:
    items = [{"title": "First", "guid": "same"}, {"title": "Second", "guid": "same"}]

    assert [a.title for a in parse(make_rss(items)).articles] == ["First"]


def test_a_feed_with_a_title_and_no_items_is_empty_not_an_error() -> None:
    feed = parse(make_rss([], title="Quiet day"))

    assert (feed.title, feed.articles, feed.warning) == ("Quiet day", (), None)


def test_truncated_xml_keeps_what_parsed_and_warns() -> None:
    body = make_rss(ITEMS)
    cut = body[: body.index(b"Minister defends") + 5]

    feed = parse(cut)

    assert feed.articles[0].title == "Welfare vote: rebels gather"
    assert feed.warning is not None and feed.warning.startswith("malformed feed")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><head><title>502</title></head><body>Bad gateway</body></html>",
         "an HTML page, not a feed"),
        (b"", "empty body"),
        (b"  \n ", "empty body"),
        (b'{"items": []}', "not a feed"),
    ],
)
def test_bytes_that_are_not_a_feed_raise_a_clear_parse_error(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as caught:
        parse(body)

    assert FEED_URL in str(caught.value)


def test_a_utf8_feed_labelled_tis620_still_reads_as_utf8() -> None:
    body = make_rss([{"title": "Labour’s rebels – “enough”", "guid": "q"}])

    [article] = parse(body, content_type="application/rss+xml; charset=tis-620").articles

    assert article.title == "Labour’s rebels – “enough”"


def test_a_correctly_labelled_latin1_feed_is_read_in_its_charset() -> None:
    body = make_rss([{"title": "Café vote", "guid": "c"}]).replace(b"utf-8", b"iso-8859-1")
    latin1 = body.decode("utf-8").encode("iso-8859-1")

    from_header = parse(latin1, content_type="application/rss+xml; charset=iso-8859-1")
    from_declaration = parse(latin1, content_type="text/xml")

    assert from_header.articles[0].title == from_declaration.articles[0].title == "Café vote"


def test_titles_are_one_line_and_summaries_are_capped() -> None:
    item = {"title": "Line one\nline two\u2028" + "long " * 100, "guid": "t",
            "description": "<p>" + "word " * 1000 + "</p>"}

    [article] = parse(make_rss([item])).articles

    assert article.title.startswith("Line one line two")
    assert not {"\n", "\u2028"} & set(article.title) and len(article.title) <= 300
    assert 1500 < len(article.summary) <= 2000 and article.summary.endswith("…")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example.ORG/a", "https://news.example.org/a"),
        ("https://news.example.org:443/a", "https://news.example.org/a"),
        ("http://news.example.org:8080/a", "https://news.example.org:8080/a"),
        ("https://news.example.org", "https://news.example.org/"),
        ("https://news.example.org/a#comments", "https://news.example.org/a"),
        ("https://news.example.org/a?b=2&a=1", "https://news.example.org/a?a=1&b=2"),
        ("https://news.example.org/a?utm_source=x&UTM_Medium=y&id=3", "https://news.example.org/a?id=3"),
        ("https://news.example.org/a?CMP=share_btn_tw&ito=1&taid=z&ocid=w", "https://news.example.org/a"),
        ("https://news.example.org/a?at_campaign=c&at_medium=m&ns_mchannel=r&ns_source=s",
         "https://news.example.org/a"),
        ("https://news.example.org/a?gclid=1&mc_cid=2&mc_eid=3&cmpid=4", "https://news.example.org/a"),
        ("https://news.example.org/a?q=two%20words", "https://news.example.org/a?q=two%20words"),
        ("  urn:uuid:1234  ", "urn:uuid:1234"),
        ("1234", "1234"),
        ("http://[::1/broken", "http://[::1/broken"),
    ],
)
def test_canonical_url_gives_every_link_to_a_page_one_form(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_real_article_text_survives_as_a_feed_summary() -> None:
    seeds = Path(__file__).parents[1].parent / "shared" / "seeds"
    texts = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    if not texts:
        pytest.skip(f"no seed articles in {seeds}")
    paragraph = texts[0].read_text(encoding="utf-8").splitlines()[0]

    [article] = parse(make_rss([{"title": "Seed", "guid": "s", "description": paragraph}])).articles

    assert article.summary == paragraph.strip()


def rss_soup(parts: list[str]) -> bytes:
    return ("<rss version='2.0'><channel>" + "".join(parts)).encode("utf-8", "replace")


XML_BITS = st.sampled_from(
    ["<item>", "</item>", "<title>", "</title>", "<guid>", "</guid>", "<link>", "</link>", "&amp;",
     "&bogus;", "<![CDATA[", "]]>", "<pubDate>Mon, 99 Jan 2025 99:00:00 GMT</pubDate>", "\x00",
     "<description>&lt;p&gt;x</description>", "<?xml", "<rss", "<feed", "\u2028", "é"]
)


@settings(max_examples=300, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=2000),
        st.lists(st.one_of(XML_BITS, st.text(max_size=20)), max_size=40).map(rss_soup),
        st.integers(min_value=0, max_value=2000).map(lambda n: make_rss(ITEMS)[:n]),
    ),
    content_type=st.one_of(st.none(), st.sampled_from(
        ["text/xml", "application/rss+xml; charset=tis-620", "text/html; charset=bogus-9", ";;"])),
)
def test_parse_feed_never_crashes(body: bytes, content_type: str | None) -> None:
    try:
        feed = parse_feed(body, FEED_URL, content_type)
    except ParseError:
        return
    for article in feed.articles:
        assert article.identity.startswith(("guid:", "link:", "hash:", "guid-sha256:",
                                            "link-sha256:"))
        assert len(article.identity) <= 512
        assert "\n" not in article.title and len(article.summary) <= 2000
        assert article.published is None or article.published.tzinfo is UTC


def laughs(levels: int = 10) -> bytes:
    """A billion-laughs feed: each entity is ten of the one before (10^9 "lol"s if expanded)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(entities) + "\n]>\n"
        f'<rss version="2.0"><channel><title>Laughs &lol{levels - 1};</title>'
        f"<item><title>Joke &lol{levels - 1};</title><guid>joke-1</guid></item>"
        "</channel></rss>"
    ).encode()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">
  <!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<rss version="2.0"><channel><title>Leaky</title>
<item><title>Secret: &secret;</title><guid>leak-1</guid><description>&secret;</description></item>
</channel></rss>"""


@pytest.mark.parametrize("body", [laughs(), XXE], ids=["billion-laughs", "xxe"])
def test_entity_declarations_are_removed_never_expanded_nor_read(body: bytes) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        feed = parse(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 1
    assert peak < 5 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"
    assert len(feed.articles) == 1
    article = feed.articles[0]
    assert len(article.title) < 100 and "lollol" not in article.title
    assert "root:" not in article.title + article.summary
    assert feed.warning is not None
    assert feed.warning.startswith("removed a DOCTYPE declaring entities")


def test_a_doctype_without_entities_is_left_alone() -> None:
    body = make_rss(ITEMS).replace(b"<rss", b'<!DOCTYPE rss SYSTEM "rss.dtd">\n<rss', 1)

    feed = parse(body)

    assert len(feed.articles) == 2 and feed.warning is None


@pytest.mark.parametrize("body", [b"/etc/passwd", b"/etc/passwd\n", b"file:///etc/passwd",
                                  b"C:\\Windows\\win.ini"])
def test_a_body_that_names_a_file_is_not_a_feed_and_the_file_is_not_read(body: bytes) -> None:
    with pytest.raises(ParseError, match="not a feed") as caught:
        parse(body)

    assert "root:" not in str(caught.value)


def test_an_absurdly_long_guid_gets_a_bounded_identity_of_its_own() -> None:
    long_guid = "urn:story:" + "x" * 5000
    feed = parse(make_rss([{"title": "Long", "guid": long_guid, "permalink": False},
                           {"title": "Longer", "guid": long_guid + "y", "permalink": False}]))

    first, second = (a.identity for a in feed.articles)
    assert first.startswith("guid-sha256:") and len(first) <= 512
    assert first != second
    assert article_identity(long_guid, None, "", "") == first


def test_an_absurdly_long_link_is_dropped_but_the_entry_kept() -> None:
    link = "https://news.example.org/" + "a" * 5000
    feed = parse(make_rss([{"title": "Huge link", "link": link, "guid": "g-1",
                            "permalink": False}]))

    assert [(a.title, a.link) for a in feed.articles] == [("Huge link", "")]


def test_entries_without_guid_link_or_date_are_all_kept_once() -> None:
    items = [{"title": "Plain one", "description": "First."},
             {"title": "Plain two", "description": "Second."},
             {"title": "Plain one", "description": "First."}]

    feed = parse(make_rss(items))

    assert [a.title for a in feed.articles] == ["Plain one", "Plain two"]
    assert all(a.identity.startswith("hash:") and a.published is None for a in feed.articles)


def test_an_absurdly_long_title_is_capped() -> None:
    feed = parse(make_rss([{"title": "word " * 100_000, "guid": "w-1", "permalink": False}]))

    assert len(feed.articles[0].title) <= 300
