"""``SsrfMiddleware``: refuse requests to loopback, link-local, private and reserved addresses.

Every request the downloader handles passes ``process_request``, whoever made it: spider requests,
landing pages (``engine.download_async`` runs the downloader middlewares, and loops on the
redirect requests they return), redirects and meta-refreshes, retries, robots.txt. The decision
is :class:`crawler.netguard.NetGuard`'s (the browser's route asks the same guard); a refused
request raises ``IgnoreRequest``, is counted in ``lurewatch/ssrf/refused``, and the crawl goes on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.netguard import NetGuard

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["SsrfMiddleware"]


class SsrfMiddleware:
    """Downloader middleware asking :class:`~crawler.netguard.NetGuard` about each request."""

    def __init__(self, guard: NetGuard) -> None:
        self.guard = guard

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SsrfMiddleware:
        guard = NetGuard.for_crawler(crawler)
        if not guard.policy.enabled:
            raise NotConfigured("LUREWATCH_SSRF_ENABLED is off: private addresses can be fetched")
        return cls(guard)

    async def process_request(self, request: Request) -> None:
        reason = await self.guard.refusal(request.url)
        if reason:
            raise IgnoreRequest(f"{request.url} refused: its host is {reason} (SSRF guard)")
