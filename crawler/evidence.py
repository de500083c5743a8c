"""Evidence recorded at crawl time for every hit (the core is :mod:`pipelines.evidence`).

- :class:`EvidenceSpiderMiddleware` sees the response each hit came from and records its response
  headers (secrets masked) and its redirect chain on ``hit.evidence``;
- :class:`EvidencePipeline` (after detection, before indexing) hashes and stores the post's HTML
  by content hash, adds the redirect chains of the landing pages, and takes a PNG screenshot of
  each lure landing in a Chromium of its own (:class:`~crawler.rendering.screenshot.
  ScreenshotBrowser`: never the crawl's page pool, the route guard's bounds as every render, no
  form ever submitted, no download accepted). Bounded: ``LUREWATCH_EVIDENCE_SCREENSHOTS`` per
  spider run, one at a time, each within the render deadline and a hard bound, PNG size capped.
  A lure linked by many posts is shot once. A screenshot that is not taken is logged with its
  reason and counted; the hit goes on without it.

Stats: ``lurewatch/evidence/hits``, ``html/stored``, ``html/oversize``,
``screenshots/taken``, ``screenshots/reused``, ``screenshots/skipped/<why>`` (``limit``,
``render_off``, ``oversize``, ``timeout``, ``failed``); the screenshot renders under
``lurewatch/evidence/render/...``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawler.rendering._tasks import BackgroundTasks
from crawler.rendering.config import RenderLimits
from crawler.rendering.screenshot import ScreenshotBrowser, ShotFailed
from pipelines.evidence import EvidenceConfig, EvidenceStore, chain_text, mask_headers
from pipelines.items import Hit, LandingPage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["EvidencePipeline", "EvidenceSpiderMiddleware", "response_evidence"]

logger = logging.getLogger(__name__)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def response_evidence(response: Response) -> dict[str, Any]:
    """Masked headers and the redirect chain of ``response``."""
    headers = {_text(k): [_text(v) for v in response.headers.getlist(k)] for k in response.headers}
    hops: list[str] = []
    if response.request is not None:
        hops = list(response.request.meta.get("redirect_urls") or [])
    return {
        "headers": mask_headers(headers),
        "redirect_chain": [chain_text([*hops, response.url])],
    }


class EvidenceSpiderMiddleware:
    """Record the fetch (headers, redirect chain) on every :class:`Hit` a response yields."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidenceSpiderMiddleware:
        config = EvidenceConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured("LUREWATCH_EVIDENCE_ENABLED is off")
        return cls(config.enabled)

    def _record(self, response: Response, item: Any) -> Any:
        if isinstance(item, Hit) and not item.evidence:
            item.evidence = response_evidence(response)
        return item

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for item in result:
            yield self._record(response, item)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield self._record(response, item)


def _landing_chains(pages: Iterable[LandingPage]) -> list[str]:
    chains = []
    for page in pages:
        if page.redirects and not page.error:
            chains.append(chain_text([page.url, *page.redirects, page.final_url]))
    return chains


class EvidencePipeline:
    """Hash and store each hit's HTML; screenshot its lure landings (see the module docstring)."""

    def __init__(self, crawler: Crawler, config: EvidenceConfig, render: RenderLimits) -> None:
        self.crawler = crawler
        self.config = config
        self.render = render
        self.store = EvidenceStore(config.root)
        self._shots: dict[str, asyncio.Future[dict[str, Any] | None]] = {}
        self._started = 0
        self._pending = 0
        # hard bound on one screenshot, on top of the render deadline that closes its page
        self._bound = render.deadline + config.screenshot_timeout + render.settle + 5
        self._one_at_a_time = asyncio.Semaphore(1)
        self._closing = BackgroundTasks()
        self.browser = ScreenshotBrowser.from_crawler(
            crawler, render, (config.width, config.height), config.screenshot_timeout
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidencePipeline:
        config = EvidenceConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured("LUREWATCH_EVIDENCE_ENABLED is off")
        return cls(crawler, config, RenderLimits.from_settings(crawler.settings))

    def count(self, what: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"lurewatch/evidence/{what}")

    async def close_spider(self) -> None:
        """Close the screenshot browser (bounded: a browser that will not close is left) and log
        what the run's screenshots came to."""
        await self.browser.close()
        if self._started:
            assert self.crawler.stats is not None
            stats = self.crawler.stats.get_stats()
            taken = stats.get("lurewatch/evidence/screenshots/taken", 0)
            logger.info(
                "Lure screenshots: %d taken, %d not taken (at most %d per spider run)",
                taken,
                self._started - taken,
                self.config.screenshots,
            )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Hit):
            return item
        evidence = dict(item.evidence)
        stored = await asyncio.to_thread(
            self.store.put, "html", item.html.encode("utf-8"), "html", self.config.html_maxsize
        )
        self.count("html/stored" if stored.path else "html/oversize")
        evidence["html_sha256"] = stored.sha256
        evidence["html_size"] = stored.size
        evidence["redirect_chain"] = [
            *evidence.get("redirect_chain", []),
            *_landing_chains(item.landing_pages),
        ]
        shots = [s for s in await self._screenshots(item) if s]
        if shots:
            evidence["screenshots"] = shots
        item.evidence = evidence
        self.count("hits")
        return item

    async def _screenshots(self, item: Hit) -> list[dict[str, Any] | None]:
        lures = [u for u in dict.fromkeys(item.lure_urls) if u != item.url]
        return list(await asyncio.gather(*(self._screenshot(url) for url in lures)))

    async def _screenshot(self, url: str) -> dict[str, Any] | None:
        future = self._shots.get(url)
        if future is not None:
            self.count("screenshots/reused")
            return await asyncio.shield(future)
        if not self.render.enabled:
            self.count("screenshots/skipped/render_off")
            return None
        if self._started >= self.config.screenshots:
            self.count("screenshots/skipped/limit")
            return None
        self._started += 1
        self._pending += 1
        future = asyncio.get_running_loop().create_future()
        self._shots[url] = future
        shot = None
        try:
            async with self._one_at_a_time:  # one page at a time in the screenshot browser
                shot = await self._started_and_bounded(url)
        except OSError as exc:  # the evidence folder cannot be written: counted, crawl goes on
            logger.warning("Screenshot of %s not stored: %s", url, exc)
            self.count("screenshots/skipped/failed")
        finally:
            future.set_result(shot)  # posts waiting for the same lure never wait forever
            self._pending -= 1
            if self._started >= self.config.screenshots and not self._pending:
                self._closing.spawn(self.browser.close())  # the run's count is spent
        return shot

    async def _started_and_bounded(self, url: str) -> dict[str, Any] | None:
        try:
            await self.browser.start()  # bounded by its own launch timeout
        except ShotFailed as exc:
            logger.info("Screenshot of %s not taken: %s", url, exc)
            self.count("screenshots/skipped/failed")
            return None
        return await self._bounded(url)

    async def _bounded(self, url: str) -> dict[str, Any] | None:
        """:meth:`_take` within the hard bound.

        On timeout the attempt is cancelled and left to unwind on its own (``asyncio.wait_for``
        would wait for the cancellation to finish), and the screenshot browser is closed under it
        so that it does unwind; the next screenshot starts a new browser.
        """
        task = asyncio.ensure_future(self._take(url))
        done, _ = await asyncio.wait({task}, timeout=self._bound)
        if task in done:
            return task.result()
        task.cancel()
        task.add_done_callback(_ignore_outcome)
        logger.info("Screenshot of %s not taken within %.0f s: browser reset", url, self._bound)
        self.count("screenshots/skipped/timeout")
        self.browser.reset()
        return None

    async def _take(self, url: str) -> dict[str, Any] | None:
        try:
            png = await self.browser.shoot(url)
        except ShotFailed as exc:  # refused, deadline, crash, no browser: the hit goes on
            logger.info("Screenshot of %s not taken: %s", url, exc)
            self.count("screenshots/skipped/failed")
            return None
        except Exception as exc:  # a bug here must not cost the hit either
            logger.warning("Screenshot of %s not taken: %r", url, exc, exc_info=exc)
            self.count("screenshots/skipped/failed")
            return None
        return await self._keep(url, png)

    async def _keep(self, url: str, png: bytes) -> dict[str, Any] | None:
        stored = await asyncio.to_thread(
            self.store.put, "png", png, "png", self.config.screenshot_maxsize
        )
        if not stored.path:
            logger.info("Screenshot of %s not kept: %d bytes, over the cap", url, len(png))
            self.count("screenshots/skipped/oversize")
            return None
        self.count("screenshots/taken")
        return {"url": url, "path": stored.path, "sha256": stored.sha256, "size": stored.size}


def _ignore_outcome(task: asyncio.Future[Any]) -> None:
    """Consume the outcome of an abandoned screenshot (no 'exception never retrieved')."""
    if not task.cancelled():
        task.exception()
