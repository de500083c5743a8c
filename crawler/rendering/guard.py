"""Bounds on every browser render: the downloader middleware and the page init callback it
installs.

:class:`RenderGuardMiddleware` sees each request with ``meta["playwright"]`` before
scrapy-playwright's handler does and sets, overriding what the spider set:

- ``playwright_page_init_callback = "crawler.rendering.guard.init_page"`` (a dotted path: meta
  stays picklable for scrapy-redis), which installs :class:`~crawler.rendering._page.PageGuard` on
  the new page;
- ``playwright_context_kwargs`` (downloads refused, service workers blocked, our User-Agent);
  the recycled context's name (``playwright_context``) is given as the render's page is created
  (:func:`assign_context`, called by :class:`~crawler.rendering.handler.GuardedPlaywrightHandler`),
  not here: a request named here could wait in a download slot holding a retired context open
  while a newer one waits for a context slot under scrapy-playwright's context lock, which the
  waiting request then needs (a deadlock: the crawl stalls for good);
- ``playwright_page_goto_kwargs`` (``wait_until``, navigation timeout), a bounded network-idle
  wait;
- ``lurewatch_render``: the limits the page guard reads (origin, size cap, timeouts, deadline).

Non-GET renders are refused. Outcomes are counted under ``lurewatch/render/...``: ``requests``
(renders started), ``pages`` (rendered responses: the share of fetched pages that needed the
browser), ``aborted/<reason>``, ``oversize``, ``timeouts``, ``crashes``, ``retries``,
``failed/<reason>``.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy_playwright.page import PageMethod

from crawler.rendering._contexts import ContextRecycler
from crawler.rendering._fetch import RoutedFetcher
from crawler.rendering._page import ABORTED_TYPES, PageGuard, block_context
from crawler.rendering.config import RenderLimits

if TYPE_CHECKING:
    from playwright.async_api import Page
    from playwright.async_api import Request as BrowserRequest
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = [
    "RenderGuard",
    "RenderGuardMiddleware",
    "assign_context",
    "init_page",
    "settle",
    "should_abort_request",
]

logger = logging.getLogger(__name__)

INIT_CALLBACK = "crawler.rendering.guard.init_page"
META_KEY = "lurewatch_render"
_GUARDS: dict[str, RenderGuard] = {}  # per crawler: init_page finds its guard by the key in meta
_CRASH_MARKERS = (
    "Target crashed",
    "Page crashed",
    "has been closed",
    "Browser closed",
    "disconnected",
)


class RenderGuard:
    """Per-crawl state shared by the middleware and the page guards: limits, fetcher, contexts,
    stats."""

    def __init__(self, crawler: Crawler, limits: RenderLimits) -> None:
        self.key = f"guard-{id(self)}"
        self.limits = limits
        self.stats = crawler.stats
        self.fetcher = RoutedFetcher(crawler, limits.origin)
        self.contexts = ContextRecycler(limits.pages_per_context, crawler.stats)
        self.user_agent = crawler.settings.get("USER_AGENT")

    def count(self, what: str, n: int = 1) -> None:
        self.stats.inc_value(f"lurewatch/render/{what}", n)

    def render_over(self, request: Request) -> None:
        """Release the request's context slot once (response, failure or refusal)."""
        cfg = request.meta.get(META_KEY)
        if cfg and not cfg.get("released"):
            cfg["released"] = True
            if cfg.get("context"):  # named only once its page was being created
                self.contexts.release(cfg["context"])

    def context_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "accept_downloads": False,
            "service_workers": "block",
            "java_script_enabled": True,
        }
        if self.user_agent:
            kwargs["user_agent"] = self.user_agent
        return kwargs


async def init_page(page: Page, request: Request) -> None:
    """scrapy-playwright page init callback: install the route guard before the page navigates."""
    cfg = request.meta.get(META_KEY) or {}
    guard = _GUARDS.get(cfg.get("guard", ""))
    if guard is None:  # no middleware for this crawl: fail closed
        logger.error("No render guard for %s: every browser request is aborted", request.url)
        await page.route("**", lambda route: route.abort("blockedbyclient"))
        return
    await block_context(page.context)
    guard.contexts.register(request.meta.get("playwright_context", ""), page.context)
    await PageGuard(guard, page, request, cfg).install()


def assign_context(request: Request) -> None:
    """Name the recycled browser context of a guarded render, once, as its page is created.

    Called right before scrapy-playwright takes its context lock, with no await in between, so
    renders take the lock in the order they were named: every render of a retired context is
    past the lock (its context can close once they end) before a render of a newer generation
    waits there for a context slot.
    """
    cfg = request.meta.get(META_KEY)
    if not cfg or cfg.get("context"):
        return  # not a guarded render, or a retry of one (its context is still counted)
    guard = _GUARDS.get(cfg.get("guard", ""))
    if guard is None:
        return  # init_page fails closed
    cfg["context"] = request.meta["playwright_context"] = guard.contexts.assign()


async def settle(page: Page, seconds: float) -> None:
    """PageMethod: wait up to ``seconds`` for the network to go idle (content built by XHR after
    load)."""
    with suppress(PlaywrightError):
        await page.wait_for_load_state("networkidle", timeout=seconds * 1000)


def should_abort_request(request: BrowserRequest) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST`` for scrapy-playwright's own route (only reached without the
    guard)."""
    return bool(request.resource_type in ABORTED_TYPES or request.method != "GET")


class OneLineRenderFailures(logging.Filter):
    """Keep scrapy-playwright's "Closing page due to failed request" to one line.

    A hostile page that never finishes loading is expected here: scrapy-playwright logs each failed
    render with a full traceback and Playwright's call log, which buries the crawl's own log. The
    request, the exception type and the first line of its message are kept; the failure is also
    counted and logged by the caller (landing fetch or downloader).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Closing page due to failed request"):
            record.exc_info = None
            record.exc_text = None
            if isinstance(record.args, tuple) and len(record.args) == 3:
                request, exc_type, message = record.args
                record.args = (request, exc_type, str(message).splitlines()[0] if message else "")
        return True


def install_log_filter() -> None:
    """Attach :class:`OneLineRenderFailures` to scrapy-playwright's logger, once per process."""
    target = logging.getLogger("scrapy-playwright")
    if not any(isinstance(f, OneLineRenderFailures) for f in target.filters):
        target.addFilter(OneLineRenderFailures())


class RenderGuardMiddleware:
    """Downloader middleware that bounds every ``meta["playwright"]`` request (see the module
    docstring)."""

    def __init__(self, crawler: Crawler, limits: RenderLimits) -> None:
        self.crawler = crawler
        self.limits = limits
        self.guard = RenderGuard(crawler, limits)
        _GUARDS[self.guard.key] = self.guard
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        install_log_filter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderGuardMiddleware:
        return cls(crawler, RenderLimits.from_settings(crawler.settings))

    async def spider_closed(self) -> None:
        _GUARDS.pop(self.guard.key, None)
        await self.guard.fetcher.close()

    def process_request(self, request: Request) -> None:
        if not request.meta.get("playwright"):
            return
        if not self.limits.enabled:
            request.meta["playwright"] = (
                False  # LUREWATCH_RENDER_ENABLED=0: plain download instead
            )
            self.guard.count("disabled")
            return
        if request.method != "GET":
            self.guard.count("refused/method")
            raise IgnoreRequest(f"render refused: {request.method} (no form is ever submitted)")
        self._bound(request)
        self.guard.count("requests")

    def _bound(self, request: Request) -> None:
        limits, meta = self.limits, request.meta
        meta[META_KEY] = limits.as_meta(self.guard.key)
        meta.pop("playwright_context", None)  # named as its page is created: assign_context
        meta["playwright_page_init_callback"] = INIT_CALLBACK
        meta["playwright_context_kwargs"] = self.guard.context_kwargs()
        meta["playwright_include_page"] = False  # the handler closes the page after each render
        meta["playwright_page_goto_kwargs"] = {
            "wait_until": limits.wait_until,
            "timeout": limits.timeout * 1000,
        }
        methods = [
            pm for pm in meta.get("playwright_page_methods") or () if isinstance(pm, PageMethod)
        ]
        if limits.settle:
            methods.append(PageMethod(settle, limits.settle))
        meta["playwright_page_methods"] = methods

    def process_response(self, request: Request, response: Response) -> Response:
        if "playwright" not in response.flags:
            return response
        self.guard.render_over(request)
        cfg = request.meta.get(META_KEY) or {}
        if len(response.body) > self.limits.maxsize:
            self.guard.count("oversize")
            self.guard.count("failed/oversize_dom")
            raise IgnoreRequest(
                f"rendered DOM of {request.url} is over {self.limits.maxsize} bytes"
            )
        self.guard.count("pages")
        if cfg.get("final_url") and response.url == request.url:
            request.meta["redirect_urls"] = list(cfg["redirect_urls"])
            response = response.replace(url=cfg["final_url"])
        return response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if not request.meta.get("playwright"):
            return None
        self.guard.render_over(request)
        if isinstance(exception, IgnoreRequest):
            return None
        cfg = request.meta.get(META_KEY) or {}
        if cfg.get("expired") or "Timeout" in type(exception).__name__:
            if not cfg.get("expired"):
                self.guard.count("timeouts")
            self.guard.count("failed/timeout")
            raise IgnoreRequest(f"render of {request.url} timed out") from exception
        if cfg.get("refused"):
            self.guard.count(f"failed/{cfg['refused']}")
            raise IgnoreRequest(
                f"render of {request.url} refused: {cfg['refused']}"
            ) from exception
        if (
            "download" in str(exception).lower()
        ):  # scrapy-playwright saw a download start (refused)
            self.guard.count("failed/download")
            raise IgnoreRequest(f"render of {request.url} refused: download") from exception
        if cfg.get("crashed") or any(m in str(exception) for m in _CRASH_MARKERS):
            return self._retry_crash(request, exception)
        self.guard.count(f"failed/{type(exception).__name__}")
        return None

    def _retry_crash(self, request: Request, exception: Exception) -> Request:
        self.guard.count("crashes")
        if request.meta.get("lurewatch_render_retried"):
            self.guard.count("failed/crash")
            raise IgnoreRequest(f"browser crashed twice rendering {request.url}") from exception
        logger.warning("Browser crashed rendering %s (%s): retrying once", request.url, exception)
        self.guard.count("retries")
        retry = request.replace(dont_filter=True)
        retry.meta["lurewatch_render_retried"] = True
        retry.meta.pop(META_KEY, None)
        return retry
