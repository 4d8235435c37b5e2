"""alerts.fetch against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import time
import tracemalloc

import pytest

from alerts import USER_AGENT
from alerts.fetch import (
    FeedRequest,
    FetchLimits,
    FetchResult,
    fetch_all,
    fetch_all_sync,
    fetch_page,
    open_client,
    status_problem,
)
from tests.feedserver import FeedServer, make_rss

FEED = make_rss([{"title": "Vote tonight", "guid": "vote-1", "link": "https://example.org/v"}])
FAST = FetchLimits(connect_timeout=2, read_timeout=2, deadline=5)


def fetch_one(request: FeedRequest, limits: FetchLimits = FAST) -> FetchResult:
    [result] = fetch_all_sync([request], limits)
    return result


def test_feed_comes_back_with_body_validators_and_content_type(feed_server: FeedServer) -> None:
    stamp = "Tue, 03 Jun 2025 07:00:00 GMT"
    url = feed_server.add("/news.xml", FEED, etag='"v1"', last_modified=stamp)

    result = fetch_one(FeedRequest(url))

    assert result.status == "ok"
    assert result.body == FEED
    assert (result.etag, result.last_modified) == ('"v1"', stamp)
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert (result.http_status, result.final_url, result.error) == (200, url, None)


def test_unchanged_feed_answers_not_modified_with_no_body(feed_server: FeedServer) -> None:
    url = feed_server.add("/news.xml", FEED, etag='"v1"')
    first = fetch_one(FeedRequest(url))

    second = fetch_one(FeedRequest(url, etag=first.etag))

    assert (second.status, second.body, second.etag) == ("not_modified", b"", '"v1"')
    assert feed_server.requests[1][2]["if-none-match"] == '"v1"'


def test_last_modified_alone_makes_a_conditional_get(feed_server: FeedServer) -> None:
    stamp = "Tue, 03 Jun 2025 07:00:00 GMT"
    url = feed_server.add("/news.xml", FEED, last_modified=stamp)

    result = fetch_one(FeedRequest(url, last_modified=stamp))

    assert (result.status, result.last_modified) == ("not_modified", stamp)
    assert feed_server.requests[0][2]["if-modified-since"] == stamp


def test_changed_feed_is_fetched_again_despite_an_old_etag(feed_server: FeedServer) -> None:
    url = feed_server.add("/news.xml", FEED, etag='"v2"')

    result = fetch_one(FeedRequest(url, etag='"v1"'))

    assert (result.status, result.etag, result.body) == ("ok", '"v2"', FEED)


def test_requests_name_the_service_and_ask_for_feeds(feed_server: FeedServer) -> None:
    url = feed_server.add("/news.xml", FEED)

    fetch_one(FeedRequest(url))

    headers = feed_server.requests[0][2]
    assert headers["user-agent"] == USER_AGENT
    assert "application/rss+xml" in headers["accept"]


def test_failing_feeds_become_errors_while_the_others_succeed(feed_server: FeedServer) -> None:
    feed_server.add("/gone.xml", b"gone", "text/plain", status=410)
    feed_server.add("/broken.xml", b"oops", "text/plain", status=500)
    feed_server.add("/good.xml", FEED)
    paths = ["/missing.xml", "/gone.xml", "/good.xml", "/broken.xml"]

    results = fetch_all_sync([FeedRequest(feed_server.url(p)) for p in paths], FAST)

    summary = [(r.status, r.error, r.permanent, r.http_status) for r in results]
    assert summary == [
        ("error", "HTTP 404 Not Found", True, 404),
        ("error", "HTTP 410 Gone", True, 410),
        ("ok", None, False, 200),
        ("error", "HTTP 500 Internal Server Error", False, 500),
    ]
    assert [r.url for r in results] == [feed_server.url(p) for p in paths]


def test_unreachable_and_invalid_urls_are_errors_not_exceptions() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    requests = [FeedRequest(f"http://127.0.0.1:{closed_port}/feed"), FeedRequest("ftp://x/feed")]

    refused, invalid = fetch_all_sync(requests, FAST)

    assert refused.status == "error" and refused.error is not None
    assert refused.error.startswith("could not connect") and not refused.permanent
    assert invalid.status == "error" and invalid.permanent


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (200, None),
        (204, None),
        (300, ("HTTP 300 Multiple Choices (a redirect without a usable Location)", False)),
        (401, ("HTTP 401 Unauthorized", True)),
        (403, ("HTTP 403 Forbidden", True)),
        (429, ("HTTP 429 Too Many Requests", False)),
        (503, ("HTTP 503 Service Unavailable", False)),
        (599, ("HTTP 599", False)),
    ],
)
def test_status_problem_says_what_went_wrong_and_whether_to_retry(
    code: int, expected: tuple[str, bool] | None
) -> None:
    assert status_problem(code) == expected


def test_results_keep_request_order_and_each_is_reported_as_it_finishes(
    feed_server: FeedServer,
) -> None:
    feed_server.add("/slow.xml", FEED, delay=0.3)
    feed_server.add("/fast.xml", FEED)
    seen: list[str] = []
    requests = [FeedRequest(feed_server.url(p)) for p in ("/slow.xml", "/fast.xml")]

    results = fetch_all_sync(requests, FAST, on_result=lambda r: seen.append(r.url))

    assert [r.url for r in results] == [r.url for r in requests]
    assert seen == [requests[1].url, requests[0].url]


def test_a_server_that_never_answers_times_out(feed_server: FeedServer) -> None:
    url = feed_server.add("/stuck.xml", FEED, delay=1.5)

    result = fetch_one(FeedRequest(url), FetchLimits(read_timeout=0.3, deadline=5))

    assert (result.status, result.error) == ("error", "timed out after 0.3 s waiting for data")


def test_a_slow_drip_body_cannot_outlast_the_deadline(feed_server: FeedServer) -> None:
    url = feed_server.add("/drip.xml", FEED, drip=0.2)  # each piece in time, the whole too slow
    started = time.monotonic()

    result = fetch_one(FeedRequest(url), FetchLimits(read_timeout=1, deadline=0.5))

    assert result.error == "timed out after 0.5 s (whole fetch deadline)"
    assert time.monotonic() - started < 1.5


def test_a_body_over_the_cap_is_refused(feed_server: FeedServer) -> None:
    url = feed_server.add("/huge.xml", b"x" * 5000)

    result = fetch_one(FeedRequest(url), FetchLimits(max_bytes=4000))

    assert (result.status, result.error, result.body) == ("error", "body over 4000 bytes cap", b"")


def test_a_compressed_bomb_is_refused_without_inflating_it_in_memory(
    feed_server: FeedServer,
) -> None:
    bomb = gzip.compress(bytes(64 * 1024 * 1024), compresslevel=9)  # ~64 kB on the wire
    url = feed_server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})

    tracemalloc.start()
    try:
        result = fetch_one(FeedRequest(url))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (result.status, result.error) == ("error", "body over 10 MB cap")
    assert peak < 32 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB while refusing a 10 MB cap"


def test_raw_bytes_count_against_the_cap_too(feed_server: FeedServer) -> None:
    noise = gzip.compress(os.urandom(3000))  # incompressible: raw and inflated sizes both > cap
    url = feed_server.add("/noise.xml", noise, headers={"Content-Encoding": "gzip"})

    result = fetch_one(FeedRequest(url), FetchLimits(max_bytes=2000))

    assert result.error == "body over 2000 bytes cap"


def test_a_gzipped_feed_arrives_inflated(feed_server: FeedServer) -> None:
    url = feed_server.add("/zipped.xml", gzip.compress(FEED), headers={"Content-Encoding": "gzip"})

    result = fetch_one(FeedRequest(url))

    assert (result.status, result.body) == ("ok", FEED)
    assert "gzip" in feed_server.requests[0][2]["accept-encoding"]


def test_an_unknown_content_encoding_is_an_error(feed_server: FeedServer) -> None:
    url = feed_server.add("/odd.xml", FEED, headers={"Content-Encoding": "snappy"})

    result = fetch_one(FeedRequest(url))

    assert (result.status, result.error) == ("error", "unsupported Content-Encoding 'snappy'")


def test_redirects_are_followed_and_the_final_url_kept(feed_server: FeedServer) -> None:
    feed_server.add("/new.xml", FEED)
    old = feed_server.redirect("/old.xml", "/moved.xml")
    feed_server.redirect("/moved.xml", "/new.xml", status=302)

    result = fetch_one(FeedRequest(old))

    assert (result.status, result.url, result.final_url) == ("ok", old, feed_server.url("/new.xml"))


def test_a_redirect_loop_stops_at_the_cap(feed_server: FeedServer) -> None:
    feed_server.redirect("/a.xml", "/b.xml")
    feed_server.redirect("/b.xml", "/a.xml")

    result = fetch_one(FeedRequest(feed_server.url("/a.xml")), FetchLimits(max_redirects=3))

    assert (result.status, result.error) == ("error", "more than 3 redirects")
    assert len(feed_server.requests) == 4


def test_no_more_than_per_host_requests_reach_one_host_at_once(feed_server: FeedServer) -> None:
    for n in range(12):
        feed_server.add(f"/feed{n}.xml", FEED, delay=0.1)
    requests = [FeedRequest(feed_server.url(f"/feed{n}.xml")) for n in range(12)]

    results = fetch_all_sync(requests, FetchLimits(per_host=3))

    assert all(r.status == "ok" for r in results)
    assert feed_server.max_in_flight == 3


def test_hundreds_of_slow_feeds_are_fetched_concurrently(feed_server: FeedServer) -> None:
    for n in range(300):
        feed_server.add(f"/feed{n}.xml", FEED, delay=0.1)
    requests = [FeedRequest(feed_server.url(f"/feed{n}.xml")) for n in range(300)]
    started = time.monotonic()

    results = fetch_all_sync(requests, FetchLimits(per_host=50))

    elapsed = time.monotonic() - started
    assert sum(r.status == "ok" for r in results) == 300
    assert elapsed < 5, f"300 feeds of 100 ms took {elapsed:.1f} s (one at a time: 30 s)"
    assert feed_server.max_in_flight <= 50


def test_an_article_page_is_fetched_as_html(feed_server: FeedServer) -> None:
    page = b"<html><body><p>Full story</p></body></html>"
    url = feed_server.add("/story.html", page, "text/html; charset=utf-8")

    async def get() -> FetchResult:
        async with open_client(FAST) as client:
            return await fetch_page(client, url, FAST)

    result = asyncio.run(get())

    assert (result.status, result.body) == ("ok", page)
    assert feed_server.requests[0][2]["accept"].startswith("text/html")


def test_fetch_all_runs_inside_a_running_event_loop(feed_server: FeedServer) -> None:
    url = feed_server.add("/news.xml", FEED)

    results = asyncio.run(fetch_all([FeedRequest(url)], FAST))

    assert [r.status for r in results] == ["ok"]
