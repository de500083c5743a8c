"""Offline routing: send every request of the crawl to one origin (the replica) without spiders
knowing.

With ``LUREWATCH_OFFLINE_ORIGIN=http://127.0.0.1:8089`` a request for
``https://api.tumblr.com/v2/tagged?tag=x`` goes to ``http://127.0.0.1:8089/v2/tagged?tag=x`` with
``Host: api.tumblr.com`` and ``X-Forwarded-Proto: https``; method and body are kept, and the
response comes back under the real URL, so redirects, ``response.urljoin`` and items only ever see
the platforms' real URLs. Browser renders are routed the same way by
:mod:`crawler.rendering.guard`, which reads :func:`route_url`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.utils.misc import build_from_crawler, load_object

from pipelines.config import SettingsLike, read_str, redact_url
from pipelines.exceptions import ConfigError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["OfflineRouting", "OfflineRoutingDownloadHandler", "parse_origin", "route_url"]

logger = logging.getLogger(__name__)


def parse_origin(origin: str) -> str:
    """Validate ``LUREWATCH_OFFLINE_ORIGIN`` and return it as ``http://host:port`` (no path)."""
    parts = urlsplit(origin.strip())
    plain = parts.scheme == "http" and parts.hostname and parts.username is None
    if not plain or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(
            "LUREWATCH_OFFLINE_ORIGIN: must look like http://127.0.0.1:8089, "
            f"got {redact_url(origin)!r}"
        )
    return f"http://{parts.netloc}"


@dataclass(frozen=True)
class OfflineRouting:
    """Where requests go: ``origin`` (``http://host:port``, "" = the real network) and how."""

    origin: str
    handler: str  # dotted path of the wrapped download handler

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> OfflineRouting:
        """Read ``LUREWATCH_OFFLINE_ORIGIN`` and ``LUREWATCH_DOWNLOAD_HANDLER``."""
        origin = read_str(settings, "LUREWATCH_OFFLINE_ORIGIN").strip()
        handler = read_str(settings, "LUREWATCH_DOWNLOAD_HANDLER")
        if not handler:
            raise ConfigError("LUREWATCH_DOWNLOAD_HANDLER: must be a dotted class path, got ''")
        return cls(origin=parse_origin(origin) if origin else "", handler=handler)


def route_url(url: str, origin: str) -> tuple[str, str, str]:
    """Where ``url`` goes under ``origin``: ``(routed_url, host_header, original_scheme)``."""
    parts = urlsplit(url)
    target = urlsplit(origin)
    routed = urlunsplit(("http", target.netloc, parts.path or "/", parts.query, ""))
    return routed, parts.netloc, parts.scheme


def _shared_inner_handler(crawler: Crawler, path: str) -> object:
    """The wrapped handler, one per crawler for both schemes.

    One, because each scrapy-playwright handler starts its own browser driver.
    """
    inner = getattr(crawler, "_lurewatch_download_handler", None)
    if inner is None:
        inner = build_from_crawler(load_object(path), crawler)
        crawler._lurewatch_download_handler = inner  # type: ignore[attr-defined]
    return inner


class OfflineRoutingDownloadHandler:
    """Download handler for http/https that wraps the real one and, when configured, reroutes
    requests."""

    lazy = False

    def __init__(self, crawler: Crawler, inner: object, origin: str) -> None:
        self.crawler = crawler
        self.inner = inner
        self.origin = origin
        if origin:
            logger.info("Offline mode: every request is routed to %s", origin)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineRoutingDownloadHandler:
        """Build from :class:`OfflineRouting`; a bad origin raises :class:`ConfigError`."""
        routing = OfflineRouting.from_settings(crawler.settings)
        return cls(crawler, _shared_inner_handler(crawler, routing.handler), routing.origin)

    async def download_request(self, request: Request) -> Response:
        if not self.origin or request.meta.get("playwright"):
            # browser renders are rerouted inside the browser (crawler.rendering.guard)
            return await self._inner_download(request)
        routed_url, host, scheme = route_url(request.url, self.origin)
        routed = request.replace(url=routed_url)
        routed.headers["Host"] = host
        routed.headers["X-Forwarded-Proto"] = scheme
        self.crawler.stats.inc_value("lurewatch/offline/routed")
        response = await self._inner_download(routed)
        return response.replace(url=request.url, request=request)

    async def _inner_download(self, request: Request) -> Response:
        result = self.inner.download_request(request)  # type: ignore[attr-defined]
        if hasattr(result, "__await__"):
            return await result  # type: ignore[no-any-return]
        from scrapy.utils.defer import maybe_deferred_to_future

        return await maybe_deferred_to_future(result)  # old-style Deferred handler

    async def close(self) -> None:
        if getattr(self.inner, "_lurewatch_closed", False):
            return  # http and https share it: close once
        self.inner._lurewatch_closed = True  # type: ignore[attr-defined]
        closer = getattr(self.inner, "close", None)
        if closer is not None:
            result = closer()
            if hasattr(result, "__await__"):
                await result
            elif result is not None:
                from scrapy.utils.defer import maybe_deferred_to_future

                await maybe_deferred_to_future(result)
