"""Bounds on every browser render (first version: abort heavy resources)."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler


def should_abort_request(request: Any) -> bool:
    """Playwright request filter: images, media and fonts are never fetched."""
    return bool(request.resource_type in {"image", "media", "font"})


class RenderGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        return None
