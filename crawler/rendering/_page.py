"""The route guard installed on each browser page: every request the page makes is decided here.

Playwright runs route handlers in reverse order of registration. scrapy-playwright registers its
own ``page.route("**")`` before it awaits the page init callback, so the route registered here runs
first and always ends the request itself (``fulfill`` or ``abort``): scrapy-playwright's handler
never sees one, and no request ever leaves the browser on its own (``continue_`` is never used, in
offline *and* online mode, so the size cap holds for every response and no 3xx is followed outside
the guard).

Only http(s) is fetched, and only from hosts the SSRF guard (:mod:`crawler.netguard`) allows.
Other schemes: ``data:`` and ``blob:`` never reach a route (the renderer decodes them, with no
network; what their content requests is routed like any request of the page), websockets are
closed unopened, and anything else routed (``ftp:``, ``file:``, ``chrome:`` ...) is aborted.
WebRTC, whose UDP and TCP pass by any route, is removed from the page and from every popup of its
context (:data:`NO_WEBRTC_SCRIPT`), on top of the launch flags in ``crawler/settings.py``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from crawler.rendering._fetch import FetchResult, Forbidden, Oversize, TooManyRedirects
from crawler.rendering._tasks import BackgroundTasks

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Dialog, Page, Route, WebSocketRoute
    from playwright.async_api import Request as BrowserRequest
    from scrapy import Request

    from crawler.rendering.guard import RenderGuard

__all__ = ["NO_FORMS_SCRIPT", "NO_WEBRTC_SCRIPT", "PageGuard", "block_context"]

logger = logging.getLogger(__name__)

ABORTED_TYPES = frozenset({"image", "media", "font"})
_RENDERABLE = re.compile(r"^(text/|application/(xhtml\+xml|xml|json|javascript)|$)", re.I)
_HEAD = re.compile(rb"<head[^>]*>", re.I)

# No form is ever submitted and no download link followed: submit()/requestSubmit() are no-ops and
# every submit event is cancelled, in every frame (init scripts run in iframes too). The route also
# refuses any non-GET request.
NO_FORMS_SCRIPT = """(() => {
  const noop = function () {};
  HTMLFormElement.prototype.submit = noop;
  HTMLFormElement.prototype.requestSubmit = noop;
  window.addEventListener('submit', (e) => {
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);
  window.addEventListener('click', (e) => {  // <a download> would start a download: never
    const a = e.target && e.target.closest && e.target.closest('a[download]');
    if (a) { e.preventDefault(); }
  }, true);
})();"""


# No WebRTC: its STUN/TURN traffic (UDP, and TCP to TURN servers) is not HTTP and never reaches a
# route; a page could make it reach any host, offline too, and learn the crawler's addresses. Every
# RTC* constructor is removed before any page script runs, in every frame and popup of the context.
NO_WEBRTC_SCRIPT = """(() => {
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (/^(webkit)?RTC/.test(name)) { try { delete globalThis[name]; } catch (e) {} }
  }
})();"""


async def block_context(context: BrowserContext) -> None:
    """Abort every request of pages that carry no page guard (popups, stray targets) in this
    context.

    Also installs :data:`NO_WEBRTC_SCRIPT` for the pages the context opens later (popups). Done
    once per context; a page created meanwhile waits for it (renders start together in a context).
    """
    installed: asyncio.Future[None] | None = getattr(context, "_lurewatch_blocked", None)
    if installed is None:
        installed = asyncio.ensure_future(_block(context))
        context._lurewatch_blocked = installed  # type: ignore[attr-defined]
    await installed


async def _block(context: BrowserContext) -> None:
    await context.add_init_script(NO_WEBRTC_SCRIPT)
    await context.route("**", _abort_unguarded)
    await context.route_web_socket("**", _close_websocket)


async def _abort_unguarded(route: Route) -> None:
    with suppress(PlaywrightError):
        await route.abort("blockedbyclient")


async def _close_websocket(ws: WebSocketRoute) -> None:
    with suppress(PlaywrightError):
        await ws.close()  # never connected to a server: websockets would bypass the route


class PageGuard:
    """Route, dialog, popup and deadline handling for one page rendering one Scrapy request."""

    def __init__(
        self, guard: RenderGuard, page: Page, request: Request, cfg: dict[str, Any]
    ) -> None:
        self.guard = guard
        self.page = page
        self.request = request
        self.cfg = cfg
        self._deadline: asyncio.TimerHandle | None = None
        self._navigated = False  # the initial navigation (page.goto) has been answered
        self._tasks = (
            BackgroundTasks()
        )  # dialog dismissals, popup and page closes started by events

    async def install(self) -> None:
        """Register the route and the page's event handlers, and arm the deadline."""
        page = self.page
        await page.route("**", self.handle)
        await page.route_web_socket("**", _close_websocket)
        await page.add_init_script(NO_FORMS_SCRIPT)
        # also on the page: a context script added after the page exists misses its first document
        await page.add_init_script(NO_WEBRTC_SCRIPT)
        page.on("dialog", self._dismiss)
        page.on("popup", self._close_popup)
        page.on("close", self._closed)
        page.on("crash", self._crashed)
        self.guard.count("pages_opened")
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(self.cfg["deadline"], self._expire)

    async def handle(self, route: Route, request: BrowserRequest) -> None:
        """Refuse, or fetch (routed, size-capped) and fulfill one browser request."""
        reason = self._refusal(request)
        if reason:
            return await self._abort(route, reason, request=request)
        self.guard.count("subrequests" if not self._is_main(request) else "navigations")
        try:
            result = await self.guard.fetcher.fetch(
                request.url,
                await request.all_headers(),
                maxsize=self.cfg["maxsize"],
                download_timeout=self.cfg["timeout"],
                max_redirects=self.cfg["max_redirects"],
            )
        except Oversize as exc:
            logger.warning("Render of %s: response over the size cap: %s", self.request.url, exc)
            return await self._abort(route, "oversize", request=request, stat="oversize")
        except TooManyRedirects as exc:
            logger.info("Render of %s: %s", self.request.url, exc)
            return await self._abort(route, "redirects", request=request)
        except Forbidden:  # counted and logged (once per host) by the SSRF guard
            return await self._abort(route, "ssrf", request=request)
        except (
            Exception
        ) as exc:  # timeouts, refused connections, DNS: the page sees a network error
            logger.debug("Render of %s: %s failed: %r", self.request.url, request.url, exc)
            return await self._abort(route, f"fetch_error/{type(exc).__name__}", request=request)
        if request.is_navigation_request() and _is_download(result):
            logger.info("Render of %s: download refused: %s", self.request.url, result.url)
            return await self._abort(route, "download", request=request, stat="downloads_refused")
        await self._fulfill(route, request, result)

    def _refusal(self, request: BrowserRequest) -> str:
        if self.cfg.get("expired"):
            return "expired"
        if request.resource_type in ABORTED_TYPES:
            return f"resource/{request.resource_type}"
        if request.method != "GET":
            return f"method/{request.method}"  # no form, no beacon, no POST navigation, ever
        if not request.url.startswith(("http://", "https://")):
            return "scheme"
        return ""

    def _is_main(self, request: BrowserRequest) -> bool:
        try:
            return request.is_navigation_request() and request.frame == self.page.main_frame
        except PlaywrightError:  # service-worker requests have no frame
            return False

    async def _abort(
        self, route: Route, reason: str, *, request: BrowserRequest, stat: str = ""
    ) -> None:
        """Refuse one request; a refused later navigation leaves the page where it is (204)."""
        self.guard.count("aborted")
        self.guard.count(f"aborted/{reason}")
        if stat:
            self.guard.count(stat)
        initial = self._is_main(request) and not self._navigated
        if initial:
            self.cfg["refused"] = reason.split("/")[0]
        with suppress(PlaywrightError):
            if request.is_navigation_request() and not initial:
                # a form post, a download or a hostile hop after load: an aborted navigation would
                # swap the rendered page for Chromium's (large) error page; a 204 keeps the page as
                # it is
                await route.fulfill(status=204, body=b"")
            else:
                # not "aborted": scrapy-playwright takes net::ERR_ABORTED for a download and waits
                await route.abort("blockedbyclient")
        self._navigated = self._navigated or initial

    async def _fulfill(self, route: Route, request: BrowserRequest, result: FetchResult) -> None:
        body = result.body
        if result.redirects and self._is_main(request):
            # the page keeps the requested URL (Playwright cannot fulfill under another one): make
            # relative links resolve against the final URL, and report it on the Scrapy response
            body = _with_base(body, result.url)
            self.cfg["final_url"] = result.url
            self.cfg["redirect_urls"] = result.redirects
        if self._is_main(request):
            self._navigated = True
        with suppress(PlaywrightError):
            await route.fulfill(status=result.status, headers=result.headers, body=body)

    def _dismiss(self, dialog: Dialog) -> None:
        self.guard.count("dialogs_dismissed")
        self._tasks.spawn(_quietly(dialog.dismiss()))

    def _close_popup(self, popup: Page) -> None:
        self.guard.count("popups_closed")
        self._tasks.spawn(_quietly(popup.close()))

    def _crashed(self, page: Page) -> None:
        self.cfg["crashed"] = True
        logger.warning("Renderer crashed while rendering %s", self.request.url)

    def _expire(self) -> None:
        """Deadline reached (an endless script, a page that never settles): close the page."""
        self.cfg["expired"] = True
        self.guard.count("timeouts")
        logger.warning(
            "Render of %s exceeded %.0f s: closing its page",
            self.request.url,
            self.cfg["deadline"],
        )
        self._tasks.spawn(_quietly(self.page.close()))

    def _closed(self, page: Page) -> None:
        self.guard.count("pages_closed")
        if self._deadline is not None:
            self._deadline.cancel()


def _is_download(result: FetchResult) -> bool:
    disposition = result.headers.get("content-disposition", "").lower()
    content_type = result.headers.get("content-type", "").split(";")[0].strip()
    return disposition.startswith("attachment") or not _RENDERABLE.match(content_type)


def _with_base(body: bytes, url: str) -> bytes:
    if re.search(rb"<base\s", body[:4096], re.I):
        return body
    tag = b'<base href="' + url.replace('"', "%22").encode() + b'">'
    match = _HEAD.search(body[:4096])
    return body[: match.end()] + tag + body[match.end() :] if match else tag + body


async def _quietly(awaitable: Any) -> None:
    with suppress(PlaywrightError):
        await awaitable
