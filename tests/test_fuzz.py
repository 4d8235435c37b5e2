"""Random input for the two doors hostile text comes through: the config and the feed parser.

The config loader may only ever raise ConfigError; the feed parser only ParseError.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts.config import parse_config
from alerts.errors import ConfigError, ParseError
from alerts.parse import parse_feed
from tests.feedserver import make_atom, make_rss
from tests.test_parse import laughs

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ["feeds", "watches", "subscribers", "schedule", "mail", "storage", "fetch", "web",
        "operator", "url", "name", "any", "all", "none", "email", "timeout", "per_host",
        "concurrency", "pages", "allow_private", "digest_at", "timezone", "poll_minutes",
        "host", "port", "from", "transport", "security", "enabled"]
VALUES = ["https://news.example.org/rss.xml", "http://[::1", "ftp://x", "", " ", "07:00",
          "25:99", "Europe/London", "Mars/Olympus", "reader@example.org", "not-an-email",
          "welfare", "sqlite:///x.db", "smtp", "outbox", "tls", "\x00", "\u2028"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(VALUES), st.text(max_size=30),
    st.datetimes(timezones=st.just(UTC)), st.dates(), st.times(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), inner,
                        max_size=6),
    ),
    max_leaves=30,
)
VALID = {
    "feeds": [{"name": "News", "url": "https://news.example.org/rss.xml"}],
    "watches": [{"name": "welfare", "any": ["welfare bill"]}],
    "subscribers": [{"email": "reader@example.org", "watches": ["welfare"]}],
}


@FAST
@given(st.dictionaries(st.sampled_from(KEYS), documents, max_size=8))
def test_a_random_config_document_is_accepted_or_refused_with_a_config_error(
    data: dict[str, Any],
) -> None:
    with contextlib.suppress(ConfigError):
        parse_config(data, "fuzz.toml", {})


@FAST
@given(st.sampled_from(sorted(VALID)), st.sampled_from(KEYS), documents)
def test_one_bad_value_in_a_good_config_is_refused_with_a_config_error(
    section: str, key: str, value: Any,
) -> None:
    data = {name: [dict(entry) for entry in entries] for name, entries in VALID.items()}
    data[section][0][key] = value
    with contextlib.suppress(ConfigError):
        parse_config(data, "fuzz.toml", {})


SEEDS = [
    make_rss([{"title": "Vote tonight", "guid": "v-1", "link": "https://news.example.org/v",
               "description": "<p>More than <b>120</b> MPs</p>",
               "published": datetime(2025, 6, 2, tzinfo=UTC)}]),
    make_atom([{"title": "Committee stage", "id": "urn:c-1", "link": "https://n.example/c",
                "summary": "Bill in committee", "updated": datetime(2025, 6, 3, tzinfo=UTC)}]),
    laughs(4),
]


@st.composite
def mutated_feeds(draw: st.DrawFn) -> bytes:
    """A good feed with a few bytes flipped, cut, duplicated or spliced in."""
    body = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(body)))
        match draw(st.sampled_from(["flip", "cut", "insert", "repeat"])):
            case "flip" if at < len(body):
                body[at] = draw(st.integers(0, 255))
            case "cut":
                del body[at : at + draw(st.integers(1, 64))]
            case "insert":
                body[at:at] = draw(st.sampled_from(
                    [b"<", b"&", b"]]>", b"<!ENTITY x 'y'>", b"\xff\xfe", b"&#0;", b"<item>"]))
            case _:
                body[at:at] = body[at : at + draw(st.integers(1, 200))] * 3
    return bytes(body)


@FAST
@given(st.one_of(st.binary(max_size=3000), mutated_feeds()),
       st.one_of(st.none(), st.sampled_from(
           ["application/rss+xml; charset=utf-8", "text/xml; charset=tis-620",
            "text/html", "application/xml; charset=x-nonsense", "charset=="])))
def test_random_and_mutated_feed_bytes_parse_or_raise_a_parse_error(
    body: bytes, content_type: str | None
) -> None:
    try:
        feed = parse_feed(body, "https://news.example.org/rss.xml", content_type)
    except ParseError:
        return
    identities = [article.identity for article in feed.articles]
    assert len(identities) == len(set(identities))
    assert all(len(identity) <= 512 for identity in identities)
