"""The one SSRF check: no request reaches loopback, link-local, private or reserved addresses.

A hostile post can link ``http://169.254.169.254/latest/meta-data/`` (cloud credentials),
``http://127.0.0.1:6379/`` (our own Redis) or a name that resolves to ``10.0.0.5``.
:class:`NetGuard` decides, for one URL, whether its host may be contacted. The downloader
middleware (:mod:`crawler.middlewares.ssrf`) asks it about every request Scrapy makes (spider
requests, landing pages, redirects, retries, robots.txt), and the browser's route
(:mod:`crawler.rendering._fetch`) about every sub-request and redirect hop of a render. Refusals
are counted in ``lurewatch/ssrf/refused`` (and ``.../<reason>``) and logged once per host.

How a host is judged (:func:`forbidden_reason`, over :mod:`ipaddress`'s properties):

- a literal address (``127.0.0.1``, ``[::ffff:10.0.0.1]``, ``2130706433``, ``0x7f.1``) as is;
- ``localhost`` and ``*.localhost`` are loopback (RFC 6761), never looked up;
- any other name is resolved by the reactor's resolver, the one the HTTP handler connects with,
  and every address it returns must pass. A name that does not resolve raises
  ``DNSLookupError``, as the download would have: nothing is fetched on an unchecked answer.
  With Scrapy's DNS cache on (``DNSCACHE_ENABLED``, the default) the connection then uses the
  address that was checked, so a name cannot answer a public address here and 127.0.0.1 there.
  (Through an HTTP proxy the proxy resolves the name again: the check stands on our answer.)

Offline (``LUREWATCH_OFFLINE_ORIGIN``) every request goes to the replica, and no name is ever
resolved: the real URL's host is still checked, literal addresses are refused as online, and
the replica's own ``host:port`` is the one address allowed. ``LUREWATCH_SSRF_ALLOW`` lists
networks (``10.1.0.0/16``) and host names (with their subdomains) never refused, for an internal
proxy or mirror; ``LUREWATCH_SSRF_ENABLED=False`` switches the check off.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from twisted.internet.error import DNSLookupError

from crawler.offline import parse_origin
from pipelines.exceptions import ConfigError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

__all__ = ["NetGuard", "SsrfPolicy", "forbidden_reason", "literal_address", "reactor_resolve"]

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], Awaitable[list[str]]]

STAT = "lurewatch/ssrf/refused"
_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # shared address space: the ISP side of a NAT
# what inet_aton reads as IPv4 (127.1, 0x7f.0.0.1, 2130706433): digits, hex digits, x and dots
_LEGACY_IPV4 = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)
_MAX_LOGGED_HOSTS = 10_000  # refused hosts remembered for "logged once": bounded on hostile input


def literal_address(host: str) -> Address | None:
    """The address ``host`` spells, if it is a literal one (any IPv4 spelling resolvers accept)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not _LEGACY_IPV4.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # a parse, never a lookup
    except OSError:
        return None


def forbidden_reason(address: Address) -> str:
    """Why ``address`` must not be contacted (``"loopback"``, ``"private"`` ...), or ``""``."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour  # ::ffff:127.0.0.1, 2002:7f00:1::
        if embedded is not None:
            return forbidden_reason(embedded)
    for reason in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{reason}"):
            return reason
    if address in _CGNAT:
        return "cgnat"
    return "" if address.is_global else "special"  # documentation, benchmarking, Teredo ...


@dataclass(frozen=True)
class SsrfPolicy:
    """What :class:`NetGuard` enforces: ``LUREWATCH_SSRF_*`` and the offline origin."""

    enabled: bool
    offline_origin: str  # the replica's ``host:port``, or "" online
    allowed_networks: tuple[Network, ...] = ()
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SsrfPolicy:
        """Read the settings; an allow-list entry neither a network nor a name is a ConfigError."""
        origin = settings.get("LUREWATCH_OFFLINE_ORIGIN") or ""
        networks, hosts = _allow_list(settings.getlist("LUREWATCH_SSRF_ALLOW"))
        return cls(
            enabled=settings.getbool("LUREWATCH_SSRF_ENABLED"),
            offline_origin=urlsplit(parse_origin(origin)).netloc if origin else "",
            allowed_networks=networks,
            allowed_hosts=hosts,
        )

    def allows_host(self, host: str) -> bool:
        """``host`` is an allowed name or one of its subdomains."""
        return any(host == name or host.endswith(f".{name}") for name in self.allowed_hosts)

    def allows_address(self, address: Address) -> bool:
        """``address`` is in an allowed network."""
        return any(address in network for network in self.allowed_networks)


def _allow_list(entries: Iterable[str]) -> tuple[tuple[Network, ...], frozenset[str]]:
    networks: list[Network] = []
    hosts: set[str] = set()
    for raw in entries:
        entry = raw.strip().lower().rstrip(".")
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            if not entry or "/" in entry or ":" in entry:
                raise ConfigError(
                    f"LUREWATCH_SSRF_ALLOW: {raw!r} is neither a network (10.0.0.0/8) nor a host"
                ) from None
            hosts.add(entry)
    return tuple(networks), frozenset(hosts)


class NetGuard:
    """Decides whether a URL's host may be contacted (see the module docstring); one per crawl."""

    def __init__(
        self, policy: SsrfPolicy, stats: StatsCollector, resolve: Resolver | None = None
    ) -> None:
        self.policy = policy
        self.stats = stats
        self.resolve = resolve or reactor_resolve
        self._logged: set[str] = set()

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> NetGuard:
        """The crawler's guard, shared by the downloader middleware and the render route."""
        guard: NetGuard | None = getattr(crawler, "_lurewatch_netguard", None)
        if guard is None:
            assert crawler.stats is not None
            guard = cls(SsrfPolicy.from_settings(crawler.settings), crawler.stats)
            crawler._lurewatch_netguard = guard  # type: ignore[attr-defined]
        return guard

    async def refusal(self, url: str) -> str:
        """Why ``url`` must not be fetched (counted and logged), or ``""`` if it may.

        A name that does not resolve raises ``DNSLookupError``.
        """
        if not self.policy.enabled:
            return ""
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        if not host or parts.scheme not in ("http", "https"):
            return ""  # not for this guard: data: is inline, other schemes have no handler
        if self.policy.offline_origin and parts.netloc == self.policy.offline_origin:
            return ""  # the replica itself
        reason = await self._judge(host)
        if reason:
            self._refused(host, reason)
        return reason

    async def _judge(self, host: str) -> str:
        if self.policy.allows_host(host):
            return ""
        address = literal_address(host)
        if address is not None:
            return self._address_reason(address)
        if host == "localhost" or host.endswith(".localhost"):
            return "loopback"
        if self.policy.offline_origin:
            return ""  # offline: the name is never looked up, the replica answers for it
        addresses = await self.resolve(host)
        if not addresses:
            raise DNSLookupError(host)
        reasons = (self._address_reason(ipaddress.ip_address(a)) for a in addresses)
        return next((r for r in reasons if r), "")

    def _address_reason(self, address: Address) -> str:
        return "" if self.policy.allows_address(address) else forbidden_reason(address)

    def _refused(self, host: str, reason: str) -> None:
        self.stats.inc_value(STAT)
        self.stats.inc_value(f"{STAT}/{reason}")
        if host not in self._logged and len(self._logged) < _MAX_LOGGED_HOSTS:
            self._logged.add(host)
            logger.warning("SSRF guard: %s is %s: its requests are refused", host, reason)


async def reactor_resolve(host: str) -> list[str]:
    """The addresses of ``host`` from the reactor's resolver (Scrapy's: cached, in a thread)."""
    from twisted.internet import reactor

    done: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
    reactor.nameResolver.resolveHostName(_Receiver(done), host)
    return await done


class _Receiver:
    """A Twisted ``IResolutionReceiver`` collecting the addresses into a future."""

    def __init__(self, done: asyncio.Future[list[str]]) -> None:
        self.done = done
        self.addresses: list[str] = []

    def resolutionBegan(self, resolution: Any) -> None:  # Twisted's IResolutionReceiver
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(str(address.host))

    def resolutionComplete(self) -> None:
        if not self.done.done():
            self.done.set_result(self.addresses)
