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
from typing import TYPE_CHECKING, Any, TypeVar

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright
from scrapy import Request

from crawler.rendering._page import PageGuard, block_context
from crawler.rendering._tasks import BackgroundTasks
from crawler.rendering.guard import RenderGuard

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from playwright.async_api import Browser, Page, Playwright
    from scrapy.crawler import Crawler

    from crawler.rendering.config import RenderLimits

__all__ = ["LAUNCH_TIMEOUT", "ScreenshotBrowser", "ShotFailed", "capture"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

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


async def _within(awaitable: Awaitable[T], seconds: float) -> T:
    """``awaitable``'s result within ``seconds``, else :class:`TimeoutError`.

    Unlike ``asyncio.wait_for``, never waits for a cancelled call to unwind: a browser call that
    ignores its cancellation (a hung launch, a renderer stuck in a script) cannot hold the caller.
    """
    task = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    task.add_done_callback(_consume)
    raise TimeoutError(f"not done within {seconds:.0f} s")


def _consume(task: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned call's outcome (no 'exception was never retrieved')."""
    if not task.cancelled():
        task.exception()


class ScreenshotBrowser:
    """One Chromium for a spider run's screenshots, started on first use (see the module doc).

    Every call that waits on the browser is bounded and abandoned past its bound; nothing here
    waits for an abandoned call.
    """

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
        self._closing: asyncio.Future[None] | None = None
        self._broken = ""  # why the browser could not be launched (then it is not tried again)
        self._lock = asyncio.Lock()
        self._tasks = BackgroundTasks()  # browsers being dropped
        self._drops: set[asyncio.Task[None]] = set()

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

    async def start(self) -> None:
        """Launch the browser unless it runs (within :data:`LAUNCH_TIMEOUT`); else
        :class:`ShotFailed`."""
        async with self._lock:
            if self._closing is not None:
                raise ShotFailed("the screenshot browser is closed")
            if self._broken:
                raise ShotFailed(self._broken)
            if self._browser is not None and self._browser.is_connected():
                return
            self.reset()
            try:
                self._playwright, self._browser = await _within(self._launch(), LAUNCH_TIMEOUT)
            except (TimeoutError, PlaywrightError, OSError) as exc:
                self.guard.count("browser_failures")
                # not tried again this run: every later shot would wait for a launch in vain
                self._broken = f"screenshot browser not started: {_reason(exc)}"
                logger.warning("%s; no more screenshots in this spider run", self._broken)
                raise ShotFailed(self._broken) from exc
            self.guard.count("browsers_launched")
            if self._closing is not None:  # closed while it launched: it is not used
                self.reset()
                raise ShotFailed("the screenshot browser is closed")

    async def _launch(self) -> tuple[Playwright, Browser]:
        playwright = await async_playwright().start()
        try:
            browser = await playwright.chromium.launch(**self.launch_options)
        except BaseException:
            await _drop(None, playwright)
            raise
        return playwright, browser

    async def shoot(self, url: str) -> bytes:
        """The PNG of ``url``'s landing; :class:`ShotFailed` (one-line reason) when not taken.

        Call :meth:`start` first. Bounded by the render deadline: the page guard closes the page
        when it is reached (the caller adds a hard bound of its own).
        """
        browser = self._browser
        if browser is None or not browser.is_connected():
            raise ShotFailed("the screenshot browser is not running")
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
                await _within(context.close(), CLOSE_TIMEOUT)

    async def _navigate(self, page: Page, url: str, cfg: dict[str, Any]) -> None:
        wait_until: Any = self.limits.wait_until  # one of Playwright's load states (checked)
        response = await page.goto(url, wait_until=wait_until, timeout=self.limits.timeout * 1000)
        if cfg.get("refused"):
            raise ShotFailed(f"landing refused by the route guard: {cfg['refused']}")
        if response is None:
            raise ShotFailed("no response to the navigation")

    def reset(self) -> None:
        """Drop the browser in the background (a shot over its hard bound: closing it makes the
        abandoned shot unwind); the next :meth:`start` launches a new one."""
        browser, playwright = self._browser, self._playwright
        self._browser = None
        self._playwright = None
        if browser is not None or playwright is not None:
            task = self._tasks.spawn(_drop(browser, playwright))
            self._drops.add(task)
            task.add_done_callback(self._drops.discard)

    async def close(self) -> None:
        """Close the browser for good (the run's count spent, or the spider closed); bounded, and
        a second call waits for the first."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        await asyncio.shield(self._closing)

    async def _close(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = None
        self._playwright = None
        await _drop(browser, playwright)
        if self._drops:  # browsers reset earlier, still closing
            await asyncio.wait(set(self._drops), timeout=2 * CLOSE_TIMEOUT)
        with suppress(Exception):  # its connection pool: nothing of the crawl depends on it
            await _within(self.guard.fetcher.close(), CLOSE_TIMEOUT)


async def _drop(browser: Browser | None, playwright: Playwright | None) -> None:
    """Close ``browser`` and stop its driver, each within :data:`CLOSE_TIMEOUT`."""
    if browser is not None:
        with suppress(PlaywrightError, TimeoutError):
            await _within(browser.close(), CLOSE_TIMEOUT)
    if playwright is not None:
        with suppress(PlaywrightError, TimeoutError):
            await _within(playwright.stop(), CLOSE_TIMEOUT)


def _why(cfg: dict[str, Any], exc: BaseException) -> str:
    if cfg.get("expired"):
        return f"render deadline reached ({cfg.get('deadline', 0):.0f} s): page closed"
    if cfg.get("refused"):
        return f"landing refused by the route guard: {cfg['refused']}"
    return _reason(exc)
