"""The takedown commands' plumbing: settings to configs, the HTTP client RDAP uses, the clock.

RDAP, DNS-over-HTTPS and security.txt requests go through an ``httpx2`` client whose transport
(:class:`GuardedTransport`) applies the crawl's rules outside Scrapy:

- offline (``LUREWATCH_OFFLINE_ORIGIN``): every request goes to the replica with ``Host: <real
  host>`` and ``X-Forwarded-Proto`` (:func:`crawler.offline.route_url`), as crawl requests do;
- online: the SSRF policy (:mod:`crawler.netguard`): a host that is, or resolves to, a loopback,
  private or reserved address is refused (security.txt is fetched from hostile lure domains).
  The check resolves the name once and the connection resolves it again: a rebinding name can
  still slip through between the two, so ``LUREWATCH_SSRF_ALLOW`` stays as narrow as it is.

Offline, the commands also take the replica's clock (:func:`world_clock`): times written to the
index (``reported_at``, ``removed_at``) are the replica's, so tests can let hours pass.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import socket
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx2
from elasticsearch import ApiError, TransportError
from scrapy.settings import BaseSettings

from crawler.exitcodes import ExitCode
from crawler.netguard import SsrfPolicy, forbidden_reason, literal_address
from crawler.offline import OfflineRouting, route_url
from pipelines.es.client import credential_error, describe_error
from pipelines.es.config import EsConfig
from pipelines.takedowns.config import TakedownConfig
from pipelines.takedowns.rdap import DiskCache, RdapContactFinder, Resolver

__all__ = [
    "ES_ERRORS",
    "GuardedTransport",
    "contact_finder",
    "es_config",
    "es_failure",
    "http_client",
    "takedown_config",
    "world_clock",
]

logger = logging.getLogger(__name__)

#: Offline, host addresses come from the replica's DNS-over-HTTPS (never the real DNS).
OFFLINE_DOH = "https://dns.google/resolve"
_USER_AGENT = "lurewatch-takedowns (+abuse reporting; RDAP)"


class RefusedHost(httpx2.TransportError):
    """The SSRF policy refused the request's host."""


async def _addresses(host: str) -> list[str]:
    infos = await asyncio.to_thread(socket.getaddrinfo, host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class GuardedTransport(httpx2.AsyncBaseTransport):
    """``httpx2`` transport routed to the offline origin, or checked by the SSRF policy."""

    def __init__(self, origin: str, policy: SsrfPolicy) -> None:
        self._inner = httpx2.AsyncHTTPTransport()
        self._origin = origin
        self._policy = policy

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._origin:
            routed, host, scheme = route_url(str(request.url), self._origin)
            request.url = httpx2.URL(routed)
            request.headers["Host"] = host
            request.headers["X-Forwarded-Proto"] = scheme
        elif self._policy.enabled:
            await self._check(request.url.host)
        return await self._inner.handle_async_request(request)

    async def _check(self, host: str) -> None:
        if self._policy.allows_host(host):
            return
        literal = literal_address(host)
        if host == "localhost" or host.endswith(".localhost"):
            raise RefusedHost(f"refused {host}: loopback")
        try:
            found = [str(literal)] if literal else await _addresses(host)
        except OSError as exc:
            raise httpx2.ConnectError(f"{host}: {exc}") from exc
        for raw in found:
            address = literal_address(raw)
            reason = forbidden_reason(address) if address else "unparsable"
            if reason and not (address and self._policy.allows_address(address)):
                raise RefusedHost(f"refused {host}: {reason} address")

    async def aclose(self) -> None:
        await self._inner.aclose()


def http_client(settings: BaseSettings, timeout: float) -> httpx2.AsyncClient:
    """The client for RDAP, DNS-over-HTTPS and security.txt; call it inside the event loop."""
    origin = OfflineRouting.from_settings(settings).origin
    transport = GuardedTransport(origin, SsrfPolicy.from_settings(settings))
    return httpx2.AsyncClient(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,  # RDAP links are followed by whodap itself, one checked hop each
        headers={"User-Agent": _USER_AGENT, "Accept": "application/rdap+json, */*;q=0.5"},
    )


def _doh_resolver(client: httpx2.AsyncClient, url: str) -> Resolver:
    async def resolve(host: str) -> list[str]:
        try:
            response = await client.get(
                url, params={"name": host, "type": "A"}, headers={"Accept": "application/dns-json"}
            )
            answers = response.json().get("Answer") or []
        except (httpx2.HTTPError, ValueError) as exc:
            raise OSError(f"DNS-over-HTTPS failed for {host}: {type(exc).__name__}") from exc
        return [str(a["data"]) for a in answers if isinstance(a, dict) and a.get("type") == 1]

    return resolve


def contact_finder(
    settings: BaseSettings, config: TakedownConfig, client: httpx2.AsyncClient
) -> RdapContactFinder:
    """RDAP over ``client``, cached under the data folder; offline DNS from the replica."""
    offline = bool(OfflineRouting.from_settings(settings).origin)
    doh = config.doh_url or (OFFLINE_DOH if offline else "")
    resolve = _doh_resolver(client, doh) if doh else _addresses
    return RdapContactFinder(client, DiskCache(config.rdap_cache, config.rdap_ttl), resolve)


async def world_clock(
    settings: BaseSettings, client: httpx2.AsyncClient
) -> Callable[[], datetime]:
    """``now()``: UTC, or offline the replica's time (read from its ``Date`` header once)."""
    origin = OfflineRouting.from_settings(settings).origin
    if not origin:
        return lambda: datetime.now(UTC)
    response = await client.head(f"https://{urlsplit(origin).netloc}/")
    stated = email.utils.parsedate_to_datetime(response.headers["date"])
    offset = stated - datetime.now(UTC)
    if abs(offset) < timedelta(seconds=2):
        offset = timedelta(0)  # a whole-second header: no offset unless the clock was moved
    logger.info("offline: the replica's clock is %s ahead", offset)
    return lambda: datetime.now(UTC) + offset


def takedown_config(settings: BaseSettings) -> TakedownConfig:
    """:class:`TakedownConfig` from the command's settings."""
    return TakedownConfig.from_settings(settings)


def es_config(settings: BaseSettings) -> EsConfig:
    """The index connection, on even where a crawl's indexing is switched off."""
    settings.set("LUREWATCH_ES_ENABLED", True, priority="cmdline")
    return EsConfig.from_settings(settings)


#: What a command's Elasticsearch call may raise (answered by :func:`es_failure`).
ES_ERRORS = (ApiError, TransportError)


def es_failure(exc: ApiError | TransportError, es: EsConfig) -> ExitCode:
    """Write the one-line refusal of an Elasticsearch error (credentials never shown) and return
    the exit status it means: ``CONFIG`` for refused credentials, else ``FAILED``."""
    clear = credential_error(exc, es)
    sys.stderr.write(f"error: {clear or describe_error(exc)} ({es.safe_url})\n")
    return ExitCode.CONFIG if clear else ExitCode.FAILED
