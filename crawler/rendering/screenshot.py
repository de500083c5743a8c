"""A bounded PNG screenshot of a rendered page, as a scrapy-playwright ``PageMethod``.

Used by the evidence pipeline (``crawler/evidence.py``) for lure landings. The render itself goes
through :class:`~crawler.rendering.guard.RenderGuardMiddleware` like every other render (route
guard, no forms, no downloads, size cap, deadline); this method only reads pixels: the viewport
is set to a fixed size, the shot is the viewport (never the full page, so its pixel count is
bounded) and taken within a timeout; the caller drops a PNG over its byte cap.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
from scrapy_playwright.page import PageMethod

if TYPE_CHECKING:
    from playwright.async_api import Page

__all__ = ["capture", "screenshot_method"]


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


def screenshot_method(width: int, height: int, seconds: float, settle: float = 1.0) -> PageMethod:
    """The ``PageMethod`` to put in ``meta["playwright_page_methods"]``; its ``result`` is the
    PNG once the render is over (``None`` when the page was not rendered)."""
    return PageMethod(capture, width, height, seconds, settle)
