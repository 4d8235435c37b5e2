"""The address guard: decisions on address lists (a fake resolver, no DNS), and blocks proven on
real loopback sockets that must never see a connection. No traffic leaves 127.0.0.0/8."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator, Sequence

import pytest

from alerts.fetch import FeedRequest, FetchLimits, FetchResult, fetch_all_sync, guarded_transport
from alerts.netguard import AddressPolicy, Resolver, address_kind, system_resolver
from tests.feedserver import FeedServer, make_rss

FEED = make_rss([{"title": "Vote tonight", "guid": "vote-1"}])
HINT = "; set [fetch] allow_private = true to allow"
GUARDED = FetchLimits(connect_timeout=2, read_timeout=2, deadline=5)
ONLY_127_0_0_1 = FetchLimits(connect_timeout=2, read_timeout=2, deadline=5,
                             allowed_networks=("127.0.0.1/32",))


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.0.0.5", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("100.64.0.1", "a carrier-grade NAT address"),
        ("240.0.0.1", "a reserved address"),
        ("::ffff:127.0.0.1", "a form of 127.0.0.1, a loopback address"),
        ("64:ff9b::a00:5", "a form of 10.0.0.5, a private address"),
        ("2002:a00:5::", "a form of 10.0.0.5, a private address"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
        ("64:ff9b::808:808", None),  # NAT64 of a public address
        ("::ffff:8.8.8.8", None),
    ],
)
def test_each_kind_of_non_public_address_is_named(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


def test_a_refusal_names_the_host_the_address_and_the_fix() -> None:
    policy = AddressPolicy()

    refusal = policy.refusal("10.0.0.5", ["10.0.0.5"])

    assert refusal == f"blocked: 10.0.0.5 is a private address{HINT}"
    assert policy.refusal("intranet.example", ["10.0.0.5"]) == (
        f"blocked: intranet.example is 10.0.0.5, a private address{HINT}"
    )


def test_one_private_address_among_public_ones_blocks_the_host() -> None:
    addresses = ["93.184.215.14", "2606:4700::1111", "fe80::1%eth0"]

    refusal = AddressPolicy().refusal("mixed.example", addresses)

    assert refusal == f"blocked: mixed.example is fe80::1%eth0, a link-local address{HINT}"
    assert AddressPolicy().refusal("public.example", addresses[:2]) is None


def test_allow_private_and_allowed_networks_let_addresses_through() -> None:
    assert AddressPolicy(allow_private=True).refusal("db", ["10.0.0.5", "127.0.0.1"]) is None
    intranet = AddressPolicy.of(False, ["10.0.0.0/24"])
    assert intranet.refusal("feeds.corp", ["10.0.0.5", "::ffff:10.0.0.6"]) is None
    assert intranet.refusal("other.corp", ["10.0.1.5"]) is not None


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "017700000001", "127.1", "0x7f000001"])
def test_numeric_ipv4_spellings_resolve_to_loopback_and_are_refused(host: str) -> None:
    addresses = system_resolver(host, 80)  # numeric forms are parsed, never looked up

    assert addresses == ["127.0.0.1"]
    assert AddressPolicy().refusal(host, addresses) == (
        f"blocked: {host} is 127.0.0.1, a loopback address{HINT}"
    )


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening socket on 127.0.0.2 that nothing may connect to (the guard must refuse it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def connections(sock: socket.socket) -> int:
    """How many connections reached ``sock`` (the kernel completes them even without accept)."""
    count = 0
    while True:
        try:
            sock.accept()[0].close()
        except BlockingIOError:
            return count
        count += 1


def fetch(url: str, limits: FetchLimits, resolver: Resolver = system_resolver) -> FetchResult:
    [result] = fetch_all_sync([FeedRequest(url)], limits, transport=guarded_transport(limits,
                                                                                      resolver))
    return result


@pytest.mark.parametrize("spelling", ["127.0.0.1", "2130706433", "0x7f.1", "localhost"])
def test_a_loopback_feed_is_refused_before_any_connection_is_opened(
    feed_server: FeedServer, spelling: str
) -> None:
    feed_server.add("/news.xml", FEED)
    url = f"http://{spelling}:{feed_server.port}/news.xml"

    [result] = fetch_all_sync([FeedRequest(url)], GUARDED)

    assert result.status == "error" and result.permanent
    assert result.error is not None and result.error.startswith(f"blocked: {spelling} is ")
    assert result.error.endswith(f"a loopback address{HINT}")
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/feed",
        "http://[::ffff:127.0.0.2]:{port}/feed",
        "http://2130706434:{port}/feed",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_a_redirect_to_a_refused_address_is_stopped_at_that_hop(
    feed_server: FeedServer, listener: socket.socket, target: str
) -> None:
    port = listener.getsockname()[1]
    url = feed_server.redirect("/news.xml", target.format(port=port))

    [result] = fetch_all_sync([FeedRequest(url)], ONLY_127_0_0_1)

    assert result.status == "error" and result.permanent
    assert result.error is not None and result.error.startswith("blocked: ")
    assert feed_server.count("/news.xml") == 1
    assert connections(listener) == 0


def test_the_guard_connects_to_the_address_it_checked(feed_server: FeedServer) -> None:
    feed_server.add("/news.xml", FEED)
    asked: list[str] = []

    def resolver(host: str, port: int) -> Sequence[str]:
        asked.append(host)
        return ["127.0.0.1"]  # no real DNS knows this name: success means we used this answer

    result = fetch(f"http://feeds.invalid:{feed_server.port}/news.xml", ONLY_127_0_0_1, resolver)

    assert (result.status, result.body) == ("ok", FEED)
    assert asked == ["feeds.invalid"]
    assert feed_server.requests[0][2]["host"] == f"feeds.invalid:{feed_server.port}"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (["10.0.0.5"], "feeds.invalid is 10.0.0.5, a private address"),
        (["127.0.0.1", "169.254.169.254"], "feeds.invalid is 169.254.169.254, a cloud metadata"),
        (["::ffff:127.0.0.2"], "feeds.invalid is ::ffff:127.0.0.2, a form of 127.0.0.2, a loop"),
    ],
)
def test_a_name_resolving_to_any_refused_address_is_never_connected(
    feed_server: FeedServer, answer: list[str], reason: str
) -> None:
    feed_server.add("/news.xml", FEED)

    result = fetch(f"http://feeds.invalid:{feed_server.port}/news.xml", ONLY_127_0_0_1,
                   lambda host, port: answer)

    assert result.error is not None and result.error.startswith(f"blocked: {reason}")
    assert feed_server.requests == []


def test_a_name_that_does_not_resolve_is_a_temporary_error() -> None:
    def resolver(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    result = fetch("http://feeds.invalid/news.xml", GUARDED, resolver)

    assert result.error == (
        "could not connect (cannot resolve feeds.invalid ([Errno -2] Name or service not known))"
    )
    assert not result.permanent
