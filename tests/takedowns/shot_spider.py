"""A tiny spider for the screenshot tests (``scrapy runspider``): each post page it is given
becomes a :class:`Hit` whose lures are the page's links, run through the evidence pipeline.

Evidence is not in feeds, so the spider writes ``{url, evidence}`` of every scraped hit to the
JSON Lines file ``record``, and the crawl's stats to ``<record>.stats.json``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from pipelines.items import Hit


class ShotSpider(scrapy.Spider):
    name = "shot_test"
    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "ROBOTSTXT_OBEY": False,
        "ITEM_PIPELINES": {"crawler.evidence.EvidencePipeline": 500},
        "CONCURRENT_REQUESTS": 4,
        "FEED_EXPORT_FIELDS": None,
    }

    def __init__(self, urls: str = "", record: str = "", render: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = [u for u in urls.split(",") if u]
        self.record = record
        self.render = render == "1"  # the posts too are rendered (the crawl's own browser)
        self.records: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ShotSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.scraped, signal=signals.item_scraped)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, meta={"playwright": self.render}, dont_filter=True)

    def parse(self, response: Response) -> Iterator[Hit]:
        hit = Hit(url=response.url, platform="tumblr", html=response.text)
        hit.lure_urls = response.css("a::attr(href)").getall()
        hit.verdict = "lure"
        yield hit

    def scraped(self, item: Any) -> None:
        if isinstance(item, Hit):
            self.records.append({"url": item.url, "evidence": item.evidence})

    def closed(self, reason: str) -> None:
        if self.record:
            with open(self.record, "w", encoding="utf-8") as out:
                for record in self.records:
                    out.write(json.dumps(record) + "\n")
            assert self.crawler.stats is not None
            stats = {
                k: v
                for k, v in self.crawler.stats.get_stats().items()
                if isinstance(v, int | float | str)
            }
            with open(self.record + ".stats.json", "w", encoding="utf-8") as out:
                json.dump(stats, out)
