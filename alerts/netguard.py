"""Where fetches may connect: public addresses only, checked after DNS, on every connection.

``AddressPolicy`` is the pure decision: is this IP address one a feed URL may reach? Loopback,
private, link-local, multicast, reserved, unspecified, carrier-grade NAT and cloud metadata
addresses are refused, and so are IPv6 forms that carry such an IPv4 address inside them
(``::ffff:127.0.0.1``, NAT64 ``64:ff9b::a00:5``, 6to4 ``2002:a00:5::``).

``GuardedTransport`` is httpx's own transport whose connections go through ``GuardedBackend``:
it resolves the host name (in a worker thread, under the connect timeout), checks EVERY address,
then connects to the address it checked, so a second DNS answer cannot slip in between check and
connect (DNS rebinding). Redirects open new connections, so every hop is checked the same way.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import anyio
import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]

METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack
    "169.254.170.2",  # AWS ECS task metadata
    "fd00:ec2::254",  # AWS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",  # Oracle Cloud
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_HINT = "set [fetch] allow_private = true to allow"


class BlockedAddress(Exception):
    """A URL's host is, or resolves to, an address fetches may not reach. Permanent."""


def address_kind(ip: IPAddress) -> str | None:
    """What makes ``ip`` unreachable for fetches ("a loopback address"...); None if public."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    inner = embedded_ipv4(ip)
    if inner is not None:
        kind = address_kind(inner)
        return f"a form of {inner}, {kind}" if kind else None
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip in _SHARED, "a carrier-grade NAT address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((kind for matched, kind in checks if matched), None)


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 IPv6 address."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses fetches may reach: public ones, plus ``allowed`` networks, or any."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def of(cls, allow_private: bool, networks: Iterable[str] = ()) -> AddressPolicy:
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def refusal(self, host: str, addresses: Sequence[str]) -> str | None:
        """Why ``host`` (resolved to ``addresses``) may not be fetched; None when every address
        may be reached. One bad address refuses the host: a later connection could pick it."""
        if self.allow_private:
            return None
        for address in addresses:
            ip = ipaddress.ip_address(address.partition("%")[0])
            kind = None if self._allows(ip) else address_kind(ip)
            if kind is not None:
                where = f"{address} is" if _same_address(host, ip) else f"{host} is {address},"
                return f"blocked: {where} {kind}; {_HINT}"
        return None

    def _allows(self, ip: IPAddress) -> bool:
        inner = embedded_ipv4(ip)
        return any(ip in net or (inner is not None and inner in net) for net in self.allowed)


def _same_address(host: str, ip: IPAddress) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")) == ip
    except ValueError:
        return False


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host``, in its order, each once."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address against the policy, connect to a checked address."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy, self.resolver = policy, resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        refusal = self.policy.refusal(host, addresses)
        if refusal is not None:
            raise BlockedAddress(refusal)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
        raise failure or httpcore.ConnectError(f"{host} has no addresses")

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:  # an address needs no resolver (and no thread to run one in)
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        try:
            with anyio.fail_after(timeout):
                found = await anyio.to_thread.run_sync(
                    self.resolver, host, port, abandon_on_cancel=True
                )
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(f"resolving {host} took over {timeout:g} s") from error
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host} ({error})") from error
        if not found:
            raise httpcore.ConnectError(f"cannot resolve {host} (no addresses)")
        return list(found)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress(f"blocked: unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying context for every fetch: loading the CA bundle costs tens of ms."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (HTTP/1.1, no proxies from the environment) over ``GuardedBackend``."""

    def __init__(
        self, policy: AddressPolicy, limits: httpx.Limits, resolver: Resolver = system_resolver
    ) -> None:
        super().__init__(verify=_ssl_context(), limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy, resolver),
        )
