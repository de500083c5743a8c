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

Searches without a date parameter (Tumblr's search timeline, WordPress's Reader and
``wp/v2/search``, blog listings) are bounded by what the ledger says instead: a page that brought
posts judged before and none new is the last one asked for (its next page,
``lurewatch/watch/pages_cut``, would hold older posts still); the first page of every search is
always asked for. A new post that a search ranks below a page of old ones is left to the nightly
run (``LUREWATCH_WATCH_BOUND_PAGES = False`` follows every page as a crawl does). Such a search
whose answers brought no new post ``q`` polls in a row sits out the next ``min(2 ** (q - 1),
LUREWATCH_WATCH_REST)`` polls (``lurewatch/watch/searches_rested``; 0: every poll asks every
search); one new post and it is asked every poll again. A search whose answers lead to other
requests (discovery results, the sites the Reader names) never rests: the searches it starts
would not run. The polls are counted in the state file
(``lurewatch watch`` adds one before each poll).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.middlewares.incremental import PAGE_POSTS_META
from pipelines.config import read_bool, read_int, read_str
from pipelines.cursors import WatchState, cursor_url, platform_time, search_key, walk_done
from pipelines.takedowns.config import parse_duration

__all__ = ["WatchMiddleware"]

logger = logging.getLogger(__name__)


class WatchMiddleware:
    """The cursors of one poll (see the module docstring)."""

    def __init__(
        self,
        crawler: Crawler,
        path: Path,
        overlap: float,
        bound_pages: bool = True,
        rest: int = 0,
    ) -> None:
        self.crawler = crawler
        self.path = path
        self.overlap = overlap
        self.bound_pages = bound_pages
        self.rest = rest
        self.news: dict[str, bool] = {}  # searches without a date parameter answered: new posts?
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
        bound = read_bool(crawler.settings, "LUREWATCH_WATCH_BOUND_PAGES")
        rest = read_int(crawler.settings, "LUREWATCH_WATCH_REST", minimum=0)
        mw = cls(crawler, Path(path), overlap.total_seconds(), bound, rest)
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
        for key, new_posts in self.news.items():
            self.polled.answered(key, self.state.polls, new_posts, self.state)
        self.polled.polls = self.state.polls
        state = WatchState.load(self.path)  # other spiders of this poll may have written it
        state.merge(self.polled)
        state.save(self.path)
        assert self.crawler.stats is not None
        logger.info(
            "Watch state %s: %d searches of %s moved; %d next pages not asked for (their page"
            " brought no new post)",
            self.path,
            len(self.polled.cursors),
            spider.name,
            int(self.crawler.stats.get_value("lurewatch/watch/pages_cut", 0)),
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
            if applied is not None and not self._rests(applied):
                yield applied

    def _rests(self, request: Any) -> bool:
        """True for the first request of a search without a date parameter that sits out this
        poll (its last answers brought no new post: :meth:`WatchState.rests`)."""
        key = _undated_search(request)
        if key is None or not self.state.rests(key, self.state.polls, self.rest):
            return False
        self._stat("searches_rested")
        return True

    def _answered(self, response: Response, active: bool) -> None:
        """A page of a search answered: ``active`` if it brought a new post or led to other
        requests (a discovery search's blogs, the Reader's sites: never left to rest)."""
        key = _undated_search(response.request)
        if key is not None:
            self.news[key] = self.news.get(key, False) or active

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        pages: list[Request] = []
        led = False  # the page led to other requests (discovery results, sites to search ...)
        for output in result:
            applied = self._apply(output)
            if _next_page(response, applied):
                pages.append(applied)
            elif applied is not None:
                led = led or isinstance(applied, Request)
                yield applied
        yield from self._paged(response, pages, led)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        pages: list[Request] = []
        led = False
        async for output in result:
            applied = self._apply(output)
            if _next_page(response, applied):
                pages.append(applied)
            elif applied is not None:
                led = led or isinstance(applied, Request)
                yield applied
        for page in self._paged(response, pages, led):
            yield page

    def _paged(self, response: Response, pages: list[Request], led: bool) -> list[Request]:
        """The next pages of ``response``'s search, unless its page brought old posts only."""
        try:
            counts = response.meta.get(PAGE_POSTS_META) or {}
        except AttributeError:  # a response tied to no request
            counts = {}
        self._answered(response, bool(counts.get("new")) or led)
        if self.bound_pages and pages and counts.get("old") and not counts.get("new"):
            self._stat("pages_cut", len(pages))
            return []
        return pages


def _undated_search(request: Any) -> str | None:
    """The key of a search request whose endpoint takes no date parameter (``None`` for a dated
    search, which its cursor keeps cheap, and for anything else)."""
    if not isinstance(request, Request):
        return None
    key = search_key(request.url)
    if key is None or cursor_url(request.url, 0.0) is not None:
        return None
    return key


def _next_page(response: Response, output: Any) -> bool:
    """True for a request of another page of the listing or search ``response`` answered (the
    same endpoint, another query)."""
    if not isinstance(output, Request) or output.meta.get("lurewatch_landing"):
        return False
    asked = urlsplit(response.url)
    wanted = urlsplit(output.url)
    same = (asked.hostname, asked.path) == (wanted.hostname, wanted.path)
    return same and asked.query != wanted.query
