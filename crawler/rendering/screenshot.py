"""Bounded PNG screenshots of lure landings, in a browser of their own (ScreenshotBrowser).

Why not a render of the crawl (a scrapy-playwright ``PageMethod``): those renders share
scrapy-playwright's few pages and contexts with the crawl's landing renders, and a screenshot that
waited there could hold a recycled context open while the next context waited for its slot under
scrapy-playwright's context-creation lock: every render stalled, the spider never closed and
ignored SIGTERM (``docs/evidence.md``). The evidence pipeline therefore uses its own Chromium,
launched on the first screenshot of a spider run and closed when the run's count is spent or the
spider closes; it never touches the crawl's page pool.

Each screenshot gets a fresh browser context (no cookie or cache of one hostile page reaches the
next) and the same bounds as every render of the crawl: the route guard of
:mod:`crawler.rendering._page` (every request routed through the SSRF guard, size-capped,
redirects followed inside it, no non-GET request, so no form is ever submitted), downloads refused,
service workers and WebRTC blocked, dialogs dismissed, popups closed, the page closed at the render
deadline. The shot is the viewport only (never the full page, so its pixel count is bounded),
taken within a timeout; the caller drops a PNG over its byte cap. Renders are counted under
``lurewatch/evidence/render/...``, apart from the crawl's ``lurewatch/render/...``.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright
from scrapy import Request

from crawler.rendering._page import PageGuard, block_context
from crawler.rendering.guard import RenderGuard

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, Playwright
    from scrapy.crawler import Crawler

    from crawler.rendering.config import RenderLimits

__all__ = ["LAUNCH_TIMEOUT", "ScreenshotBrowser", "ShotFailed", "capture"]

logger = logging.getLogger(__name__)

LAUNCH_TIMEOUT = 30.0  # seconds to start the screenshot browser
CLOSE_TIMEOUT = 10.0  # seconds to close a context or the browser before giving up on it


class ShotFailed(Exception):
    """A screenshot was not taken; the message says why in one line."""


async def capture(page: Page, width: int, height: int, seconds: float, settle: float) -> bytes:
    """The viewport as PNG bytes, taken within ``seconds`` after at most ``settle`` seconds of
    waiting for the network to go idle."""
    await page.set_viewport_size({"width": width, "height": height})
    with suppress(PlaywrightError):  # a page that never goes idle is shot as it is
        await page.wait_for_load_state("networkidle", timeout=settle * 1000)
    data = await page.screenshot(
        type="png", full_page=False, timeout=seconds * 1000, animations="disabled"
    )
    return data


class _ShotGuard(RenderGuard):
    """The render guard's state for screenshot pages, counted under ``lurewatch/evidence``."""

    def count(self, what: str, n: int = 1) -> None:
        self.stats.inc_value(f"lurewatch/evidence/render/{what}", n)


def _reason(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()
    return first[0] if first else type(exc).__name__


class ScreenshotBrowser:
    """One Chromium for a spider run's screenshots, started on first use (see the module doc)."""

    def __init__(
        self,
        crawler: Crawler,
        limits: RenderLimits,
        launch_options: dict[str, Any],
        viewport: tuple[int, int],
        seconds: float,
    ) -> None:
        self.limits = limits
        self.launch_options = launch_options
        self.viewport = viewport
        self.seconds = seconds
        self.guard = _ShotGuard(crawler, limits)
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._closed = False
        self._lock = asyncio.Lock()

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, limits: RenderLimits, viewport: tuple[int, int], seconds: float
    ) -> ScreenshotBrowser:
        """Launched like the crawl's browser (``PLAYWRIGHT_LAUNCH_OPTIONS``, whose executable is
        ``LUREWATCH_CHROMIUM_PATH``)."""
        options = dict(crawler.settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
        options.setdefault("executable_path", limits.chromium)
        options["headless"] = True
        return cls(crawler, limits, options, viewport, seconds)

    async def _started(self) -> Browser:
        async with self._lock:
            if self._closed:
                raise ShotFailed("the screenshot browser is closed")
            if self._browser is None or not self._browser.is_connected():
                await self._drop()
                try:
                    await asyncio.wait_for(self._launch(), LAUNCH_TIMEOUT)
                except (TimeoutError, PlaywrightError, OSError) as exc:
                    await self._drop()
                    raise ShotFailed(f"screenshot browser not started: {_reason(exc)}") from exc
            assert self._browser is not None
            return self._browser

    async def _launch(self) -> None:
        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(**self.launch_options)
        self.guard.count("browsers_launched")

    async def shoot(self, url: str) -> bytes:
        """The PNG of ``url``'s landing; :class:`ShotFailed` (one-line reason) when not taken.

        Bounded by the render deadline: the page guard closes the page when it is reached.
        """
        browser = await self._started()
        width, height = self.viewport
        kwargs = self.guard.context_kwargs()
        kwargs["viewport"] = {"width": width, "height": height}
        try:
            context = await browser.new_context(**kwargs)
        except PlaywrightError as exc:
            raise ShotFailed(_reason(exc)) from exc
        cfg = self.limits.as_meta(self.guard.key)
        try:
            await block_context(context)
            page = await context.new_page()
            await PageGuard(self.guard, page, Request(url), cfg).install()
            await self._navigate(page, url, cfg)
            return await capture(page, width, height, self.seconds, self.limits.settle)
        except PlaywrightError as exc:
            raise ShotFailed(_why(cfg, exc)) from exc
        finally:
            with suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(context.close(), CLOSE_TIMEOUT)

    async def _navigate(self, page: Page, url: str, cfg: dict[str, Any]) -> None:
        wait_until: Any = self.limits.wait_until  # one of Playwright's load states (checked)
        response = await page.goto(url, wait_until=wait_until, timeout=self.limits.timeout * 1000)
        if cfg.get("refused"):
            raise ShotFailed(f"landing refused by the route guard: {cfg['refused']}")
        if response is None:
            raise ShotFailed("no response to the navigation")

    async def reset(self) -> None:
        """Close the browser (a shot over its hard bound); the next shot starts a new one."""
        async with self._lock:
            await self._drop()

    async def close(self) -> None:
        """Close the browser for good (spider closed, or the run's count spent)."""
        async with self._lock:
            if self._closed:
                return
            self._closed = True
            await self._drop()
            await self.guard.fetcher.close()

    async def _drop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = None
        self._playwright = None
        if browser is not None:
            with suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
        if playwright is not None:
            with suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(playwright.stop(), CLOSE_TIMEOUT)


def _why(cfg: dict[str, Any], exc: BaseException) -> str:
    if cfg.get("expired"):
        return f"render deadline reached ({cfg.get('deadline', 0):.0f} s): page closed"
    if cfg.get("refused"):
        return f"landing refused by the route guard: {cfg['refused']}"
    return _reason(exc)
