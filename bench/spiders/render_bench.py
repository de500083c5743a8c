"""Renders the replica's script-built landing pages in Chromium, one item per page with the time it
took."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from replica.content import build_dataset


class RenderBenchSpider(scrapy.Spider):
    name = "render_bench"
    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "ITEM_PIPELINES": {},
        "ROBOTSTXT_OBEY": False,
        "FEED_EXPORT_FIELDS": None,
    }

    def __init__(self, pages: str = "40", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pages = int(pages)
        self.started = time.monotonic()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        dataset = build_dataset(seed=2026, scale=1)
        urls = [u for u, landing in dataset.landings.items() if landing.needs_js] or [
            u for u, landing in dataset.landings.items() if landing.kind in ("lure", "benign")
        ]
        for i in range(self.pages):
            yield scrapy.Request(urls[i % len(urls)], meta={"playwright": True}, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "status": response.status,
            "elapsed": time.monotonic() - self.started,
        }
