"""alerts.fetch against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta

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
    retry_after_seconds,
    status_problem,
)
from tests.feedserver import FeedServer, http_date, make_rss

FEED = make_rss([{"title": "Vote tonight", "guid": "vote-1", "link": "https://example.org/v"}])
# The suite's servers are on loopback, which the address guard refuses unless allowed.
LOOPBACK = FetchLimits(allow_private=True)
FAST = FetchLimits(connect_timeout=2, read_timeout=2, deadline=5, allow_private=True)


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

    limits = FetchLimits(allow_private=True, read_timeout=0.3, deadline=5)

    result = fetch_one(FeedRequest(url), limits)

    assert (result.status, result.error) == ("error", "timed out after 0.3 s waiting for data")


def test_a_slow_drip_body_cannot_outlast_the_deadline(feed_server: FeedServer) -> None:
    url = feed_server.add("/drip.xml", FEED, drip=0.2)  # each piece in time, the whole too slow
    limits = FetchLimits(allow_private=True, read_timeout=1, deadline=0.5)
    started = time.monotonic()

    result = fetch_one(FeedRequest(url), limits)

    assert result.error == "timed out after 0.5 s (whole fetch deadline)"
    assert time.monotonic() - started < 1.5


def test_a_body_over_the_cap_is_refused(feed_server: FeedServer) -> None:
    url = feed_server.add("/huge.xml", b"x" * 5000)

    result = fetch_one(FeedRequest(url), FetchLimits(allow_private=True, max_bytes=4000))

    assert (result.status, result.error, result.body) == ("error", "body over 4000 bytes cap", b"")


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_bomb_is_refused_without_inflating_it_in_memory(
    feed_server: FeedServer, encoding: str
) -> None:
    url = feed_server.add("/bomb.xml", bomb(encoding), headers={"Content-Encoding": encoding})

    tracemalloc.start()
    try:
        result = fetch_one(FeedRequest(url), LOOPBACK)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (result.status, result.error) == ("error", "body over 10 MB cap")
    assert peak < 32 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB while refusing a 10 MB cap"


def bomb(encoding: str, size: int = 64 * 1024 * 1024) -> bytes:
    """``size`` zero bytes compressed (~64 kB on the wire for 64 MB)."""
    if encoding == "gzip":
        return gzip.compress(bytes(size), compresslevel=9)
    return zlib.compress(bytes(size), 9)


def test_raw_bytes_count_against_the_cap_too(feed_server: FeedServer) -> None:
    noise = gzip.compress(os.urandom(3000))  # incompressible: raw and inflated sizes both > cap
    url = feed_server.add("/noise.xml", noise, headers={"Content-Encoding": "gzip"})

    result = fetch_one(FeedRequest(url), FetchLimits(allow_private=True, max_bytes=2000))

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


def test_a_redirect_loop_is_named_and_stops_when_a_url_comes_round_again(
    feed_server: FeedServer,
) -> None:
    feed_server.redirect("/a.xml", "/b.xml")
    feed_server.redirect("/b.xml", "/a.xml")
    a, b = feed_server.url("/a.xml"), feed_server.url("/b.xml")

    result = fetch_one(FeedRequest(a))

    assert (result.status, result.error) == ("error", f"redirect loop: {a} → {b} → {a}")
    assert len(feed_server.requests) == 2


def test_a_long_redirect_chain_stops_at_the_cap(feed_server: FeedServer) -> None:
    for n in range(9):
        feed_server.redirect(f"/r{n}.xml", f"/r{n + 1}.xml")
    limits = FetchLimits(allow_private=True, max_redirects=3)

    result = fetch_one(FeedRequest(feed_server.url("/r0.xml")), limits)

    assert (result.status, result.error) == ("error", "more than 3 redirects")
    assert len(feed_server.requests) == 4


@pytest.mark.parametrize(
    ("statuses", "moved"),
    [((301,), True), ((308, 301), True), ((301, 302), False), ((307,), False), ((), False)],
)
def test_only_a_chain_of_permanent_redirects_reports_a_move(
    feed_server: FeedServer, statuses: tuple[int, ...], moved: bool
) -> None:
    final = feed_server.add("/final.xml", FEED)
    for n, status in enumerate(statuses):
        feed_server.redirect(f"/hop{n}.xml", f"/hop{n + 1}.xml", status=status)
    if statuses:
        feed_server.redirect(f"/hop{len(statuses) - 1}.xml", "/final.xml", status=statuses[-1])
    start = feed_server.url("/hop0.xml") if statuses else final

    result = fetch_one(FeedRequest(start))

    assert (result.status, result.final_url) == ("ok", final)
    assert result.moved_to == (final if moved else None)


def test_a_permanent_move_is_reported_on_a_not_modified_answer_too(
    feed_server: FeedServer,
) -> None:
    feed_server.add("/new.xml", FEED, etag='"v1"')
    old = feed_server.redirect("/old.xml", "/new.xml", status=308)

    result = fetch_one(FeedRequest(old, etag='"v1"'))

    assert (result.status, result.moved_to) == ("not_modified", feed_server.url("/new.xml"))


def test_a_redirect_to_a_file_url_is_refused_for_good(feed_server: FeedServer) -> None:
    url = feed_server.redirect("/sneaky.xml", "file:///etc/passwd")

    result = fetch_one(FeedRequest(url))

    assert result.error == "redirect to a file: URL; only http and https are followed"
    assert (result.status, result.permanent, result.body) == ("error", True, b"")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Tue, 03 Jun 2025 07:02:00 GMT", 120.0),
        ("Tue, 03 Jun 2025 06:00:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_as_a_date(
    header: str | None, seconds: float | None
) -> None:
    now = datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds


def test_a_429_with_retry_after_holds_its_host_for_the_rest_of_the_fetch(
    feed_server: FeedServer,
) -> None:
    limited = feed_server.add("/limited.xml", b"slow down", "text/plain", status=429,
                              headers={"Retry-After": "120"})
    same_host = feed_server.add("/other.xml", FEED)
    other_host = f"http://localhost:{feed_server.port}/other.xml"
    limits = FetchLimits(allow_private=True, per_host=1)

    first, skipped, elsewhere = fetch_all_sync(
        [FeedRequest(limited), FeedRequest(same_host), FeedRequest(other_host)], limits
    )

    assert (first.http_status, first.retry_after) == (429, 120.0)
    assert skipped.error is not None and skipped.error.startswith(
        "rate limited by host 127.0.0.1 until "
    )
    assert skipped.retry_after is not None and 110 < skipped.retry_after <= 120
    assert elsewhere.status == "ok"
    assert feed_server.count("/other.xml") == 1  # only the request to "localhost" was sent


def test_a_503_with_a_retry_after_date_carries_the_wait(feed_server: FeedServer) -> None:
    later = http_date(datetime.now(UTC) + timedelta(minutes=10))
    url = feed_server.add("/busy.xml", b"busy", "text/plain", status=503,
                          headers={"Retry-After": later})

    result = fetch_one(FeedRequest(url))

    assert (result.status, result.http_status, result.permanent) == ("error", 503, False)
    assert result.retry_after is not None and 590 < result.retry_after <= 600


def test_the_cycle_deadline_gives_up_on_whatever_has_not_finished(
    feed_server: FeedServer,
) -> None:
    stuck = feed_server.add("/stuck.xml", FEED, delay=3)
    quick = feed_server.add("/quick.xml", FEED)
    limits = FetchLimits(allow_private=True, read_timeout=10, deadline=10, cycle_deadline=0.5)
    seen: list[str] = []
    started = time.monotonic()

    slow, fast = fetch_all_sync(
        [FeedRequest(stuck), FeedRequest(quick)], limits, lambda r: seen.append(r.url)
    )

    assert time.monotonic() - started < 2
    assert slow.error == "not finished within the poll's 0.5 s deadline"
    assert fast.status == "ok"
    assert sorted(seen) == sorted([stuck, quick])


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_a_deflated_feed_arrives_inflated_with_or_without_its_zlib_header(
    feed_server: FeedServer, wbits: int
) -> None:
    squeezer = zlib.compressobj(wbits=wbits)
    body = squeezer.compress(FEED) + squeezer.flush()
    url = feed_server.add("/deflated.xml", body, headers={"Content-Encoding": "deflate"})

    result = fetch_one(FeedRequest(url))

    assert (result.status, result.body) == ("ok", FEED)


def test_no_more_than_per_host_requests_reach_one_host_at_once(feed_server: FeedServer) -> None:
    for n in range(12):
        feed_server.add(f"/feed{n}.xml", FEED, delay=0.1)
    requests = [FeedRequest(feed_server.url(f"/feed{n}.xml")) for n in range(12)]

    results = fetch_all_sync(requests, FetchLimits(allow_private=True, per_host=3))

    assert all(r.status == "ok" for r in results)
    assert feed_server.max_in_flight == 3


def test_connections_are_kept_and_reused_for_both_bodies_and_not_modified_answers(
    feed_server: FeedServer,
) -> None:
    for n in range(12):
        feed_server.add(f"/feed{n}.xml", FEED, etag=f'"v{n}"', delay=0.02)
    fresh = [FeedRequest(feed_server.url(f"/feed{n}.xml")) for n in range(6)]
    known = [FeedRequest(feed_server.url(f"/feed{n}.xml"), etag=f'"v{n}"') for n in range(6, 12)]

    results = fetch_all_sync(fresh + known, FetchLimits(allow_private=True, per_host=2))

    assert [r.status for r in results] == ["ok"] * 6 + ["not_modified"] * 6
    assert feed_server.connections == 2


def test_hundreds_of_slow_feeds_are_fetched_concurrently(feed_server: FeedServer) -> None:
    for n in range(300):
        feed_server.add(f"/feed{n}.xml", FEED, delay=0.1)
    requests = [FeedRequest(feed_server.url(f"/feed{n}.xml")) for n in range(300)]
    started = time.monotonic()

    results = fetch_all_sync(requests, FetchLimits(allow_private=True, per_host=50))

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
