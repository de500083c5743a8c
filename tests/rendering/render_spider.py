"""A tiny spider for the rendering tests (run with ``scrapy runspider``): renders each URL it is
given."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure


class RenderSpider(scrapy.Spider):
    name = "render_test"
    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "ROBOTSTXT_OBEY": False,
        "ITEM_PIPELINES": {},
        "CONCURRENT_REQUESTS": 2,
        "FEED_EXPORT_FIELDS": None,
    }

    def __init__(self, urls: str = "", stats_out: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = [u for u in urls.split(",") if u]
        self.stats_out = stats_out

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for priority, url in enumerate(self.urls):  # in the order given
            meta: dict[str, Any] = {"playwright": True}
            slot = parse_qs(urlsplit(url).query).get("slot")
            if slot:  # the download slot a test puts it in ("?slot=a")
                meta["download_slot"] = slot[0]
            yield scrapy.Request(
                url,
                meta=meta,
                callback=self.parse,
                errback=self.failed,
                dont_filter=True,
                priority=-priority,
            )

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.request.url,
            "final_url": response.url,
            "status": response.status,
            "rendered": "playwright" in response.flags,
            "links": response.css("a::attr(href)").getall(),
            "text": " ".join(response.css("body ::text").getall()).strip(),
            "redirect_urls": response.request.meta.get("redirect_urls", []),
        }

    def failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        yield {"url": failure.request.url, "error": type(failure.value).__name__}  # type: ignore[attr-defined]

    def closed(self, reason: str) -> None:
        if self.stats_out:
            stats = {
                k: v
                for k, v in self.crawler.stats.get_stats().items()
                if isinstance(v, int | float | str)
            }
            with open(self.stats_out, "w", encoding="utf-8") as fh:
                json.dump(stats, fh)
