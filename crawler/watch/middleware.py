"""The poll side of ``lurewatch watch``: a spider middleware that applies the cursors of
:mod:`pipelines.cursors` to one crawl (one poll).

On only when ``LUREWATCH_WATCH_STATE`` names the state file (``lurewatch watch`` sets it for its
polls; ``lurewatch crawl`` and ``nightly`` never do). Search requests get their cursor
(``published-min``, ``after``, less ``LUREWATCH_WATCH_OVERLAP``), and a Tumblr tag walk stops at
it. Each answered search records the platform's ``Date`` as its next cursor. At the spider's close
the state file is rewritten whole and, if the poll finished, the cursors move (an interrupted
poll asks again from the old ones).

Posts met again (in the overlap, on Tumblr's first pages, in a blog listing) are the incremental
ledger's (:mod:`crawler.middlewares.incremental`, the one nightly runs use): a post judged within
``LUREWATCH_RECHECK_INTERVAL`` and unchanged is not judged again and its landing pages are not
fetched again, whichever route finds it; a changed post is judged again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from pipelines.config import read_str
from pipelines.cursors import WatchState, cursor_url, platform_time, search_key, walk_done
from pipelines.takedowns.config import parse_duration

__all__ = ["WatchMiddleware"]

logger = logging.getLogger(__name__)


class WatchMiddleware:
    """The cursors of one poll (see the module docstring)."""

    def __init__(self, crawler: Crawler, path: Path, overlap: float) -> None:
        self.crawler = crawler
        self.path = path
        self.overlap = overlap
        self.state = WatchState()
        self.polled = WatchState()  # what this poll learnt: written back at close

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WatchMiddleware:
        path = read_str(crawler.settings, "LUREWATCH_WATCH_STATE")
        if not path:
            # bare: Scrapy logs a NotConfigured with a message as a WARNING on every crawl
            raise NotConfigured
        overlap = parse_duration(
            read_str(crawler.settings, "LUREWATCH_WATCH_OVERLAP"), "LUREWATCH_WATCH_OVERLAP"
        )
        mw = cls(crawler, Path(path), overlap.total_seconds())
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def _stat(self, name: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"lurewatch/watch/{name}", count)

    def spider_opened(self, spider: Spider) -> None:
        self.state = WatchState.load(self.path)
        self._stat("cursors_loaded", len(self.state.cursors))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason != "finished":
            self.polled.cursors.clear()
            logger.info(
                "Watch cursors of %s kept as they were: the poll did not finish (%s)",
                spider.name,
                reason,
                extra={"spider": spider},
            )
        state = WatchState.load(self.path)  # other spiders of this poll may have written it
        state.merge(self.polled)
        state.save(self.path)
        logger.info(
            "Watch state %s: %d searches of %s moved",
            self.path,
            len(self.polled.cursors),
            spider.name,
            extra={"spider": spider},
        )

    def process_spider_input(self, response: Response) -> None:
        """An answered search: its ``Date`` is the search's next cursor (the earliest page)."""
        key = search_key(response.request.url) if response.request is not None else None
        if key is None or response.status != 200:
            return
        date = response.headers.get("Date")
        moment = platform_time(date.decode("latin-1") if date else None, time.time())
        self.polled.cursors[key] = min(moment, self.polled.cursors.get(key, moment))

    def _apply(self, output: Any) -> Any:
        """A search request with its cursor; ``None`` for a Tumblr walk page the last poll read."""
        if not isinstance(output, Request):
            return output
        key = search_key(output.url)
        cursor = self.state.cursors.get(key) if key else None
        if cursor is None:
            return output
        since = cursor - self.overlap
        if walk_done(output.url, since):
            self._stat("walk_stopped")
            return None
        url = cursor_url(output.url, since)
        if url is None or url == output.url:
            return output
        self._stat("cursor_requests")
        return output.replace(url=url)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            applied = self._apply(output)
            if applied is not None:
                yield applied

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            applied = self._apply(output)
            if applied is not None:
                yield applied

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            applied = self._apply(output)
            if applied is not None:
                yield applied
