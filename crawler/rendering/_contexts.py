"""Browser-context recycling: a context serves a fixed number of pages, then is closed once
idle."""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError

from crawler.rendering._tasks import BackgroundTasks

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext
    from scrapy.statscollectors import StatsCollector

__all__ = ["ContextRecycler"]

logger = logging.getLogger(__name__)

PREFIX = "lurewatch-render"


class ContextRecycler:
    """Hands out context names (``lurewatch-render-<generation>``), ``pages_per_context`` renders
    per name.

    scrapy-playwright creates a context on first use of a name and never closes it. We close a
    retired generation's context once no render assigned to it is in flight any more (a render is
    assigned as its page is created and counted until its response or failure, so
    scrapy-playwright's own page retries are covered: closing a context under a page being created
    would leave its page semaphore stuck), so cookies, caches and renderer
    memory of a hostile page do not outlive a few dozen renders.
    """

    def __init__(self, pages_per_context: int, stats: StatsCollector) -> None:
        self.pages_per_context = pages_per_context
        self.stats = stats
        self.generation = 0
        self.assigned = 0
        self.inflight: dict[str, int] = {}
        self.contexts: dict[str, BrowserContext] = {}
        self._tasks = BackgroundTasks()  # context closes in flight

    @property
    def current(self) -> str:
        return f"{PREFIX}-{self.generation}"

    def assign(self) -> str:
        """The context name for the next render (a new generation every ``pages_per_context``
        renders)."""
        if self.assigned >= self.pages_per_context:
            self.generation += 1
            self.assigned = 0
            self.stats.inc_value("lurewatch/render/contexts_recycled")
            self.close_idle()
        self.assigned += 1
        self.inflight[self.current] = self.inflight.get(self.current, 0) + 1
        return self.current

    def release(self, name: str) -> None:
        """A render assigned to ``name`` is over (response or failure)."""
        self.inflight[name] = max(0, self.inflight.get(name, 0) - 1)
        self.close_idle()

    def register(self, name: str, context: BrowserContext) -> None:
        """Remember the context scrapy-playwright created for ``name`` (called for each new
        page)."""
        self.contexts[name] = context

    def close_idle(self) -> None:
        """Close every retired context with no render in flight."""
        for name, context in list(self.contexts.items()):
            if name != self.current and not self.inflight.get(name):
                del self.contexts[name]
                self.inflight.pop(name, None)
                self._tasks.spawn(self._close(name, context))

    async def _close(self, name: str, context: BrowserContext) -> None:
        with suppress(PlaywrightError):
            await context.close()
        self.stats.inc_value("lurewatch/render/contexts_closed")
        logger.debug("Closed retired browser context %s", name)
