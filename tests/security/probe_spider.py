"""A spider for the SSRF tests (``scrapy runspider``): requests and landings, their outcomes.

``-a "urls=a b"`` (space-separated) are scheduled as requests (Scrapy's middlewares follow their
redirects); ``-a "landings=c d"`` are fetched with ``engine.download_async`` from the first
response's callback, the way the platform spiders fetch a post's outbound links. Each URL gives
one item: its final URL and status, or the name of the error that stopped it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure


class ProbeSpider(scrapy.Spider):
    name = "ssrf_probe"
    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "ITEM_PIPELINES": {},
        "FEED_EXPORT_FIELDS": None,
        "RETRY_ENABLED": False,
    }

    def __init__(
        self, urls: str = "", landings: str = "", stats_out: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.urls = urls.split()
        self.landings = landings.split()
        self.stats_out = stats_out

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for index, url in enumerate(self.urls):
            callback = self.parse_first if index == 0 else self.parse
            yield scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True)

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {"url": response.request.url, "final_url": response.url, "status": response.status}

    async def parse_first(self, response: Response) -> AsyncIterator[dict[str, Any]]:
        for item in self.parse(response):
            yield item
        for url in self.landings:
            request = scrapy.Request(url, dont_filter=True)
            try:
                landing = await self.crawler.engine.download_async(request)
            except Exception as exc:  # the outcome under test
                yield {"url": url, "landing": True, "error": type(exc).__name__}
            else:
                yield {"url": url, "landing": True, "status": landing.status}

    def failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        request = failure.request  # type: ignore[attr-defined]
        yield {"url": request.url, "error": type(failure.value).__name__}

    def closed(self, reason: str) -> None:
        if self.stats_out:
            stats = self.crawler.stats.get_stats()
            kept = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
            with open(self.stats_out, "w", encoding="utf-8") as fh:
                json.dump(kept, fh)
