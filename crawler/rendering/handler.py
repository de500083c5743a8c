"""scrapy-playwright's download handler, naming each guarded render's browser context as its
page is created (:func:`crawler.rendering.guard.assign_context`).

Installed through ``LUREWATCH_DOWNLOAD_HANDLER`` (the offline router hands every request to it;
a plain download unless ``meta["playwright"]``). ``_create_page`` is scrapy-playwright's own
hook for a new page (0.0.x); the render tests fail if it goes away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.poolclose import PoolClosingHandler
from crawler.rendering.guard import assign_context

if TYPE_CHECKING:
    from playwright.async_api import Page
    from scrapy import Request, Spider

__all__ = ["GuardedPlaywrightHandler"]


class GuardedPlaywrightHandler(ScrapyPlaywrightDownloadHandler, PoolClosingHandler):  # type: ignore[misc]
    """A render's context is chosen when its page is made, not when the request entered the
    downloader (see :func:`~crawler.rendering.guard.assign_context`); the HTTP/1.1 pool closes
    without Scrapy's shutdown race (:mod:`crawler.poolclose`)."""

    async def _create_page(self, request: Request, spider: Spider) -> Page:
        assign_context(request)  # no await before the base class takes its context lock
        page: Page = await super()._create_page(request, spider)
        return page
