"""A poll cycle over healthy feeds and every kind of hostile one, all on loopback.

Feeds on 127.0.0.1 (healthy and hostile), a rate-limiting host on 127.0.0.3, a "down for
maintenance" host on 127.0.0.4, and a listening socket on 127.0.0.2 standing for a private
address that redirects try to reach: the guard admits only 127.0.0.1, .3 and .4, so the
private-address faults are refused exactly as 10.0.0.5 would be, and no traffic leaves loopback.
"""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts import pipeline
from alerts.cli import main
from alerts.config import Config, parse_config
from alerts.fetch import FetchLimits
from alerts.store import FeedState, Store
from tests.feedserver import FeedServer, http_date, make_rss
from tests.test_parse import laughs

NOW = datetime.now(UTC)
HEALTHY = {f"/healthy{n}.xml": [f"Healthy {n} story {k}" for k in range(3)] for n in range(4)}
CURLY = "Minister\u2019s \u201cbold\u201d plan"
# What each fault must leave as the feed's last error (a prefix of it).
FAULTS = {
    "/drip.xml": "timed out after 1.5 s (whole fetch deadline)",
    "blackhole": "timed out after 0.5 s waiting for data",
    "/gzip-bomb.xml": "body over 10 MB cap",
    "/deflate-bomb.xml": "body over 10 MB cap",
    "/loop-a.xml": "redirect loop: ",
    "/storm-500.xml": "HTTP 500 Internal Server Error",
    "/storm-502.xml": "HTTP 502 Bad Gateway",
    "/storm-504.xml": "HTTP 504 Gateway Timeout",
    "limited": "HTTP 429 Too Many Requests",
    "maintenance": "HTTP 503 Service Unavailable",
    "/private-redirect.xml": "blocked: 127.0.0.2 is a loopback address",
    "/metadata-redirect.xml": "blocked: 169.254.169.254 is a cloud metadata address",
    "/passwd.xml": "not a feed: ",
    "/error-page.xml": "not a feed: ",
    "/gone.xml": "HTTP 410 Gone",
}
# Feeds that work, with a warning recorded as their last error.
WARNINGS = {
    "/truncated.xml": "malformed feed, used what parsed",
    "/laughs.xml": "removed a DOCTYPE declaring entities",
}


@pytest.fixture
def private_listener() -> Iterator[socket.socket]:
    """Stands for a private address: the guard must never connect to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


@pytest.fixture
def blackhole() -> Iterator[str]:
    """A socket that accepts connections (the kernel does) and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"


@pytest.fixture
def limited() -> Iterator[FeedServer]:
    with FeedServer("127.0.0.3") as server:
        yield server


@pytest.fixture
def maintenance() -> Iterator[FeedServer]:
    with FeedServer("127.0.0.4") as server:
        yield server


@pytest.fixture
def loopback_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Admit only the test hosts: config has just ``allow_private`` (all or nothing), and that
    would let the private-address faults through."""
    configured = pipeline.fetch_limits

    def limits(config: Config) -> FetchLimits:
        return replace(configured(config), allow_private=False, cycle_deadline=10,
                       allowed_networks=("127.0.0.1/32", "127.0.0.3/32", "127.0.0.4/32"))

    monkeypatch.setattr(pipeline, "fetch_limits", limits)


def serve(server: FeedServer, limited: FeedServer, maintenance: FeedServer,
          private: socket.socket, blackhole: str) -> dict[str, str]:
    """Put every feed up; returns name → URL for the faults and warnings, path → URL for all."""
    for path, titles in HEALTHY.items():
        server.add(path, make_rss([{"title": t, "guid": f"{path}#{t}"} for t in titles]))
    server.add("/tis620.xml", make_rss([{"title": CURLY, "guid": "curly-1"}]),
               "application/rss+xml; charset=tis-620")
    truncated = make_rss([{"title": "Kept before the cut", "guid": "cut-1"},
                          {"title": "Lost after the cut", "guid": "cut-2"}])
    server.add("/truncated.xml", truncated[: truncated.index(b"Lost after")])
    server.add("/laughs.xml", laughs())
    feed = make_rss([{"title": "Never seen", "guid": "never"}])
    server.add("/drip.xml", feed, drip=0.3)
    server.add("/gzip-bomb.xml", gzip.compress(bytes(64 * 2**20), 9),
               headers={"Content-Encoding": "gzip"})
    server.add("/deflate-bomb.xml", zlib.compress(bytes(64 * 2**20), 9),
               headers={"Content-Encoding": "deflate"})
    server.redirect("/loop-a.xml", "/loop-b.xml")
    server.redirect("/loop-b.xml", "/loop-a.xml", status=302)
    for code in (500, 502, 504):
        server.add(f"/storm-{code}.xml", b"upstream trouble", "text/plain", status=code)
    server.redirect("/private-redirect.xml",
                    f"http://127.0.0.2:{private.getsockname()[1]}/feed.xml", status=302)
    server.redirect("/metadata-redirect.xml", "http://169.254.169.254/latest/meta-data/")
    server.add("/passwd.xml", b"/etc/passwd")
    server.add("/error-page.xml", b"<!DOCTYPE html><html><head><title>Oops</title></head>"
               b"<body><h1>Something went wrong</h1></body></html>", "text/html")
    server.add("/gone.xml", b"gone", "text/plain", status=410)
    urls = {path: server.url(path) for path in [*HEALTHY, "/tis620.xml", *WARNINGS]}
    urls |= {path: server.url(path) for path in FAULTS if path.startswith("/")}
    urls["blackhole"] = blackhole
    urls["limited"] = limited.add("/feed.xml", b"slow down", "text/plain", status=429,
                                  headers={"Retry-After": "120"})
    urls["maintenance"] = maintenance.add(
        "/feed.xml", b"back soon", "text/plain", status=503,
        headers={"Retry-After": http_date(NOW + timedelta(hours=1))})
    return urls


def config_for(urls: dict[str, str], tmp_path: Path) -> Config:
    data = {
        "storage": {"url": f"sqlite:///{tmp_path / 'alerts.db'}"},
        "fetch": {"timeout": 0.5, "per_host": 8, "pages": False},
        "feeds": [{"name": name, "url": url} for name, url in urls.items()],
        "watches": [{"name": "everything", "any": ["story"]}],
        "subscribers": [{"email": "reader@example.org", "watches": ["everything"]}],
    }
    return parse_config(data, "hostile.toml", {})


@pytest.mark.usefixtures("loopback_guard")
def test_hostile_feeds_are_recorded_while_healthy_feeds_arrive_exactly_once(
    feed_server: FeedServer, limited: FeedServer, maintenance: FeedServer,
    private_listener: socket.socket, blackhole: str, tmp_path: Path,
) -> None:
    urls = serve(feed_server, limited, maintenance, private_listener, blackhole)
    config = config_for(urls, tmp_path)
    store = Store(config.storage_url)
    tracemalloc.start()
    started = time.monotonic()
    try:
        first = pipeline.poll(config, store, NOW)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    states = {s.url: s for s in store.feed_states()}
    second = pipeline.poll(config, store, NOW + timedelta(minutes=5))
    third = pipeline.poll(config, store, NOW + timedelta(days=2))

    assert elapsed < 5, f"a cycle with every fault took {elapsed:.1f} s"
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert_faults_recorded(states, urls, set(first.failed))
    assert_healthy_articles_arrive_once(store, states, urls)
    # Failing feeds rest while they back off; after it, all but the gone one are tried again.
    assert (second.new_articles, second.failed, second.resting) == (0, {}, len(first.failed))
    assert third.new_articles == 0
    assert set(third.failed) == set(first.failed) - {urls["/gone.xml"]}
    assert third.resting == 1
    assert not _connected(private_listener)
    store.close()


def assert_faults_recorded(states: dict[str, FeedState], urls: dict[str, str],
                           failed: set[str]) -> None:
    assert failed == {urls[name] for name in FAULTS}
    for name, reason in FAULTS.items():
        state = states[urls[name]]
        assert state.last_error is not None and state.last_error.startswith(reason), (
            f"{name}: {state.last_error}"
        )
        assert (state.failures, state.articles) == (1, 0), name
    for name, warning in WARNINGS.items():
        state = states[urls[name]]
        assert state.last_error is not None and state.last_error.startswith(warning), name
        assert state.failures == 0 and state.articles == 1, name


def assert_healthy_articles_arrive_once(store: Store, states: dict[str, FeedState],
                                        urls: dict[str, str]) -> None:
    stored = store.recent_articles(1000)
    by_feed = Counter(s.article.feed_url for s in stored)
    for path, titles in HEALTHY.items():
        url = urls[path]
        got = sorted(s.article.title for s in stored if s.article.feed_url == url)
        assert got == sorted(titles), path
        assert (states[url].last_error, states[url].failures, by_feed[url]) == (None, 0, 3)
    assert [s.article.title for s in stored if s.article.feed_url == urls["/tis620.xml"]] == [
        CURLY
    ]
    assert len(stored) == 4 * 3 + 1 + len(WARNINGS)
    assert "Lost after the cut" not in {s.article.title for s in stored}


def _connected(sock: socket.socket) -> bool:
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def health_config(server: FeedServer, tmp_path: Path, path: str = "/feed.xml") -> Config:
    return parse_config({
        "storage": {"url": f"sqlite:///{tmp_path / (path.strip('/') + '.db')}"},
        "fetch": {"timeout": 2, "pages": False, "allow_private": True},
        "feeds": [{"url": server.url(path)}],
        "watches": [{"name": "everything", "any": ["story"]}],
        "subscribers": [{"email": "reader@example.org", "watches": ["everything"]}],
    }, "health.toml", {})


def test_a_failing_feed_backs_off_and_a_success_resets_it(
    feed_server: FeedServer, tmp_path: Path,
) -> None:
    feed_server.add("/feed.xml", b"down", status=500)
    config = health_config(feed_server, tmp_path)
    store = Store(config.storage_url)
    pipeline.poll(config, store, NOW)
    pipeline.poll(config, store, NOW + timedelta(minutes=10))
    assert feed_server.count("/feed.xml") == 1
    [state] = store.feed_states()
    assert state.failures == 1 and state.next_attempt is not None
    assert timedelta(minutes=15) <= state.next_attempt - NOW <= timedelta(minutes=17)
    pipeline.poll(config, store, NOW + timedelta(minutes=20))
    [state] = store.feed_states()
    assert state.failures == 2
    assert state.next_attempt is not None and state.next_attempt - NOW >= timedelta(minutes=50)
    feed_server.add("/feed.xml", make_rss([{"title": "A story", "guid": "1"}]))
    pipeline.poll(config, store, NOW + timedelta(hours=2))
    [state] = store.feed_states()
    assert (state.failures, state.next_attempt, state.last_error) == (0, None, None)
    store.close()


def test_a_repeated_permanent_redirect_moves_the_feed_and_a_temporary_one_never_does(
    feed_server: FeedServer, tmp_path: Path,
) -> None:
    feed_server.add("/new.xml", make_rss([{"title": "A story", "guid": "1"}]))
    feed_server.redirect("/feed.xml", "/new.xml", status=301)
    config = health_config(feed_server, tmp_path)
    store = Store(config.storage_url)
    for hour in range(3):
        assert all(state.fetch_url is None for state in store.feed_states())
        pipeline.poll(config, store, NOW + timedelta(hours=hour))
    assert store.feed_states()[0].fetch_url == feed_server.url("/new.xml")
    pipeline.poll(config, store, NOW + timedelta(hours=3))
    assert feed_server.count("/feed.xml") == 3
    assert store.article_count() == 1

    feed_server.redirect("/temp.xml", "/new.xml", status=302)
    temporary = health_config(feed_server, tmp_path, "/temp.xml")
    other = Store(temporary.storage_url)
    for hour in range(4):
        pipeline.poll(temporary, other, NOW + timedelta(hours=hour))
    assert other.feed_states()[0].fetch_url is None
    assert feed_server.count("/temp.xml") == 4
    store.close()
    other.close()


def test_a_gone_feed_is_disabled_and_never_requested_again(
    feed_server: FeedServer, tmp_path: Path,
) -> None:
    feed_server.add("/feed.xml", b"gone", status=410)
    config = health_config(feed_server, tmp_path)
    store = Store(config.storage_url)
    for day in range(3):
        pipeline.poll(config, store, NOW + timedelta(days=day))
    assert feed_server.count("/feed.xml") == 1
    [state] = store.feed_states()
    assert state.disabled is not None and "410" in state.disabled
    store.close()
    config_file = tmp_path / "alerts.toml"
    config_file.write_text(f'''[[feeds]]\nurl = "{state.url}"\n[[watches]]\nname = "w"
any = ["story"]\n[[subscribers]]\nemail = "r@example.org"\nwatches = ["w"]
[storage]\nurl = "{config.storage_url}"\n''', "utf-8")
    assert main(["--config", str(config_file), "feeds", "enable", state.url]) == 0
    store = Store(config.storage_url)
    assert store.feed_states()[0].disabled is None
    store.close()


def test_retry_after_sets_the_next_attempt(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.add("/feed.xml", b"slow down", status=429, headers={"Retry-After": "7200"})
    config = health_config(feed_server, tmp_path)
    store = Store(config.storage_url)
    pipeline.poll(config, store, NOW)
    [state] = store.feed_states()
    assert state.next_attempt is not None
    assert timedelta(hours=2) <= state.next_attempt - NOW <= timedelta(hours=2, minutes=15)
    store.close()
