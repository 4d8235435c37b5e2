"""The demo's sample site: served on loopback, parseable, cacheable, and described by its config."""

from __future__ import annotations

import html
import io
import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest

from alerts.demo import demo_config, demo_feeds, etag_matches, serve_demo
from alerts.models import Watch
from alerts.rules import matcher

SAMPLE_FILES = sorted(p.name for p in (resources.files("alerts") / "demo").iterdir())
PAGES = [name for name in SAMPLE_FILES if name.endswith(".html")]
FEEDS = [name for name in SAMPLE_FILES if name.endswith(".xml")]


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_demo() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=5) as http:
        yield http


def parsed(client: httpx.Client, feed_url: str) -> Any:
    response = client.get(feed_url)
    assert response.status_code == 200
    return feedparser.parse(io.BytesIO(response.content))


def welfare_watch(base: str, tmp_path: Path) -> Watch:
    table = tomllib.loads(demo_config(base, tmp_path))["watches"][0]
    return Watch(table["name"], tuple(table["any"]), tuple(table["all"]), tuple(table["none"]))


def test_sample_site_has_three_feeds_and_a_page_per_entry() -> None:
    assert len(FEEDS) == 3
    assert len(PAGES) >= 10


def test_every_feed_is_served_and_parses_cleanly(base: str, client: httpx.Client) -> None:
    for feed in demo_feeds(base):
        document = parsed(client, feed.url)
        assert not document.bozo, (feed.url, document.get("bozo_exception"))
        assert len(document.entries) >= 3
        for entry in document.entries:
            assert entry.id and entry.title and entry.summary
            assert entry.published_parsed is not None
            assert entry.link.startswith(f"{base}/articles/")


def test_feeds_come_in_both_rss_and_atom(base: str, client: httpx.Client) -> None:
    versions = {parsed(client, feed.url).version for feed in demo_feeds(base)}
    assert versions == {"rss20", "atom10"}


def test_every_page_is_served_as_html(client: httpx.Client) -> None:
    for name in PAGES:
        response = client.get(f"/articles/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1" in response.text


def test_every_entry_links_to_a_page_that_carries_its_title(
    base: str, client: httpx.Client
) -> None:
    linked = set()
    for feed in demo_feeds(base):
        for entry in parsed(client, feed.url).entries:
            page = client.get(entry.link)
            assert page.status_code == 200, entry.link
            assert entry.title in html.unescape(page.text), entry.link
            linked.add(entry.link.rsplit("/", 1)[1])
    assert linked == set(PAGES)


def test_no_placeholder_survives_serving(base: str, client: httpx.Client) -> None:
    for path in [f"/feeds/{name}" for name in FEEDS] + [f"/articles/{name}" for name in PAGES]:
        body = client.get(path).text
        assert "{base}" not in body, path
        assert base in body, path


def test_each_feed_mixes_welfare_bill_news_with_other_stories(
    base: str, client: httpx.Client, tmp_path: Path
) -> None:
    rule = matcher(welfare_watch(base, tmp_path))
    for feed in demo_feeds(base):
        entries = parsed(client, feed.url).entries
        verdicts = [rule.matches(f"{e.title}\n{e.summary}") for e in entries]
        assert verdicts.count(True) >= 2, feed.name
        assert 1 <= verdicts.count(False) <= 2, feed.name


def test_animal_welfare_story_is_kept_out_by_the_none_rule(base: str, tmp_path: Path) -> None:
    watch = welfare_watch(base, tmp_path)
    title = "Ministers unveil animal welfare reforms to curb puppy farming"
    assert matcher(Watch(watch.name, watch.any)).matches(title)
    assert not matcher(watch).matches(title)


@pytest.mark.parametrize(
    ("page", "count"),
    [
        ("labour-mps-letter-42.html", "42 Labour MPs"),
        ("hillier-amendment-120.html", "More than 120 Labour MPs have signed"),
        ("rebellion-reaches-126.html", "rose to 126"),
        ("second-reading-49.html", "49 Labour MPs voted against"),
        ("third-reading-47.html", "47 Labour MPs voting against"),
    ],
)
def test_pages_state_the_rebellion_counts(client: httpx.Client, page: str, count: str) -> None:
    assert count in client.get(f"/articles/{page}").text


def test_pages_look_like_news_pages_with_quotes_and_boilerplate(client: httpx.Client) -> None:
    for name in PAGES:
        text = client.get(f"/articles/{name}").text
        assert "<nav" in text or 'id="nav"' in text, name
        assert "READ MORE" in text, name
        assert re.search(r"said: “[^”]{20,}”", text), name


def test_unchanged_file_answers_a_conditional_get_with_304(client: httpx.Client) -> None:
    first = client.get("/feeds/lobby-daily.xml")
    again = client.get("/feeds/lobby-daily.xml", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def test_a_stale_etag_gets_the_full_body(client: httpx.Client) -> None:
    response = client.get("/feeds/lobby-daily.xml", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml")


def test_each_file_has_its_own_etag(client: httpx.Client) -> None:
    tags = {client.get(f"/feeds/{name}").headers["etag"] for name in FEEDS}
    assert len(tags) == len(FEEDS)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False), ('"a"', True), ('W/"a"', True), ('"b", "a"', True), ("*", True),
        ('"b"', False),
    ],
)
def test_if_none_match_header_is_read_per_http(header: str | None, expected: bool) -> None:
    assert etag_matches(header, '"a"') is expected


@pytest.mark.parametrize(
    "path", ["/", "/feeds/missing.xml", "/articles/../demo.py", "/feeds/third-reading-47.html",
             "/articles/lobby-daily.xml"],
)
def test_anything_but_a_sample_file_is_not_found(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_server_stops_when_the_block_ends() -> None:
    with serve_demo() as base_url:
        assert httpx.get(f"{base_url}/feeds/lobby-daily.xml").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/feeds/lobby-daily.xml", timeout=2)


def test_demo_config_has_every_contract_key(base: str, tmp_path: Path) -> None:
    config = tomllib.loads(demo_config(base, tmp_path))
    assert [feed["url"] for feed in config["feeds"]] == [feed.url for feed in demo_feeds(base)]
    assert all(feed["name"] for feed in config["feeds"])
    assert {"name", "any", "all", "none"} <= set(config["watches"][0])
    emails = {subscriber["email"] for subscriber in config["subscribers"]}
    assert emails == {"reader@example.org", "editor@example.org"}
    assert set(config["schedule"]) == {"poll_every", "digest_at", "timezone"}
    assert config["mail"]["transport"] == "outbox"
    assert {"from", "outbox_dir"} <= set(config["mail"])


def test_demo_config_keeps_outbox_and_database_in_the_workdir(base: str, tmp_path: Path) -> None:
    workdir = tmp_path / "with space and ’quote’"
    config = tomllib.loads(demo_config(base, workdir))
    assert Path(config["mail"]["outbox_dir"]) == workdir / "outbox"
    assert config["storage"]["url"] == f"sqlite:///{workdir / 'alerts.db'}"


def test_demo_subscribers_name_only_watches_that_exist(base: str, tmp_path: Path) -> None:
    config = tomllib.loads(demo_config(base, tmp_path))
    names = {watch["name"] for watch in config["watches"]}
    assert all(set(s["watches"]) <= names for s in config["subscribers"])


def test_demo_config_passes_the_services_config_check(base: str, tmp_path: Path) -> None:
    config_module = pytest.importorskip("alerts.config")
    path = tmp_path / "demo.toml"
    path.write_text(demo_config(base, tmp_path), encoding="utf-8")
    loaded = config_module.load_config(path, {})
    assert [feed.url for feed in loaded.feeds] == [feed.url for feed in demo_feeds(base)]
