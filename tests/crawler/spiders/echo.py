"""A spider that records what the origin saw for a GET, a POST and a redirect, through offline
routing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy


class EchoSpider(scrapy.Spider):
    name = "echo"
    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "ITEM_PIPELINES": {},
        "ROBOTSTXT_OBEY": False,
        "FEED_EXPORT_FIELDS": None,
    }

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            "https://api.tumblr.com/v2/echo?tag=man+of+steel&limit=20", cb_kwargs={"kind": "get"}
        )
        yield scrapy.Request(
            "https://public-api.wordpress.com/rest/v1.1/echo",
            method="POST",
            body=b'{"q": 1}',
            cb_kwargs={"kind": "post"},
        )
        yield scrapy.Request("http://bit.ly/abc", cb_kwargs={"kind": "redirect"})

    def parse(self, response: scrapy.http.Response, kind: str) -> Iterator[dict[str, Any]]:
        yield {
            "kind": kind,
            "url": response.url,
            "seen": json.loads(response.text),
            "redirects": response.request.meta.get("redirect_urls", [])
            if response.request
            else [],
        }
