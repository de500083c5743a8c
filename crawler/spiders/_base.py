"""What every platform spider shares: watchlist-driven searches, post dedupe, and one hop of
landing pages.

A platform spider implements :meth:`PlatformSpider.search_requests` (the platform's search, tag
and feed endpoints for one watched title) and its parse callbacks, and ends each post with
``yield await self.complete_hit(hit)``, which follows the post's outbound links one hop. What it
reads from the platform's answers lives in :mod:`crawler.parsers`.

Two routes reach posts no search phrasing matches:

- **cross-blog links**: a post linking another blog's post on the same platform has that post
  crawled too (:meth:`PlatformSpider.cross_post_request`; the dupefilter and
  :meth:`~PlatformSpider.claim_post` keep it once);
- **blog expansion**: once a post of a blog is a hit (``item_scraped``, after detection), the
  blog's recent posts are read through its listing endpoint
  (:meth:`PlatformSpider.expansion_requests`), ``LUREWATCH_EXPANSION_PAGES`` pages at most.
  Those requests carry ``meta["lurewatch_expansion"]`` so the quota planner ranks them low.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler.exitcodes import disable
from crawler.links import CrossPost, cross_blog_post, outbound_links
from crawler.middlewares.incremental import IncrementalGate
from crawler.middlewares.quota import plan_start_requests
from crawler.rendering.decide import needs_rendering
from crawler.spiders.config import SpiderConfig
from pipelines.items import Hit, LandingPage
from pipelines.text import html_text
from pipelines.urls import canonical_post_url
from pipelines.watchlists import SearchPlan, Title, load_searches, load_titles

__all__ = ["CROSS_POST_META", "EXPANSION_META", "PlatformSpider", "plain_text"]

#: ``Request.meta`` key of blog expansion requests (their value: the expanded blog).
EXPANSION_META = "lurewatch_expansion"
#: ``Request.meta`` key of a cross-linked post's request (its value: the linking post's URL).
CROSS_POST_META = "lurewatch_cross_post"

logger = logging.getLogger(__name__)


def plain_text(html: str) -> str:
    """A post body's own words (:func:`pipelines.text.html_text`, no alt texts), single-spaced."""
    return " ".join(html_text(html, attributes=False).split())


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class PlatformSpider(Spider):
    """Base of the platform spiders. Settings are read once, in :meth:`from_crawler`."""

    platform: ClassVar[str] = ""

    titles: list[Title]
    plan: SearchPlan

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PlatformSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure(crawler)
        crawler.signals.connect(spider.on_item_scraped, signal=signals.item_scraped)
        return spider

    def _configure(self, crawler: Crawler) -> None:
        config = SpiderConfig.from_settings(crawler.settings)
        # a broken watchlist raises WatchlistError here, before the first request
        self.titles = load_titles(config.titles, max_bytes=config.watchlist_maxsize)
        if config.max_titles:
            self.titles = self.titles[: config.max_titles]
        self.plan = load_searches(config.searches, max_bytes=config.watchlist_maxsize)
        self.offline = config.offline
        self.placeholder_key = config.placeholder_key
        self.max_landings = config.landing.max_per_post
        self.landing_meta = config.landing.request_meta()
        self.render_enabled = config.render_enabled
        self._seen_posts: set[str] = set()
        self.no_request_reason = ""  # why the platform makes no request (a missing key ...)
        # many posts link the same lure: fetch each landing URL once per crawl (bounded memory)
        self._landings: dict[str, asyncio.Future[LandingPage]] = {}
        self._landing_cache_size = config.landing.cache
        self.expansion = config.expansion
        self._expanded: set[str] = set()  # blogs whose listing was scheduled
        # posts fetched within LUREWATCH_RECHECK_INTERVAL and unchanged are not fetched again
        self.incremental = IncrementalGate.from_crawler(crawler)

    def credential(self, name: str) -> str:
        """An API key from settings; in offline mode a missing key becomes a placeholder."""
        value = str(self.crawler.settings.get(name) or "")
        if not value and self.offline and self.placeholder_key:
            return str(self.placeholder_key)
        return value

    async def start(self) -> AsyncIterator[Request]:
        # ordered by value and cut at the quota left (crawler/middlewares/quota.py)
        first = [request for title in self.titles for request in self.search_requests(title)]
        planned = plan_start_requests(self.crawler, first)
        if not planned:
            # `lurewatch crawl` exits NO_REQUESTS naming the platform and this reason
            reason = self.no_request_reason or (
                "every API quota spent (see the Quota log lines)" if first else "no search"
            )
            disable(self, reason)
        for request in planned:
            yield request

    def search_requests(self, title: Title) -> Iterable[Request]:
        """The first requests of every search endpoint this platform offers for ``title``."""
        raise NotImplementedError

    def claim_post(self, url: str) -> bool:
        """True the first time a post is seen in this crawl (several searches find the same post).

        Posts are told apart by :func:`pipelines.urls.canonical_post_url`, the identity the index
        gives them: a ``?utm_`` or ``www.`` copy of a post is the same post.
        """
        key = canonical_post_url(url)
        if key in self._seen_posts:
            self.crawler.stats.inc_value(f"lurewatch/{self.platform}/posts/duplicate")
            return False
        shared = getattr(self.crawler, "lurewatch_post_claims", None)  # distributed mode
        if shared is not None and not shared.claim(self.name, key):
            return False  # another worker handles it (asked again if seen again: it may die)
        self._seen_posts.add(key)
        return True

    def seen_post(self, url: str) -> bool:
        """True if the post at ``url`` was claimed in this crawl already (nothing is claimed)."""
        return canonical_post_url(url) in self._seen_posts

    def make_hit(
        self,
        *,
        url: str,
        blog: str,
        title: str,
        html: str,
        published: str | None,
        tags: Iterable[str] = (),
        post_id: str | None = None,
        search: str | None = None,
        extra_links: Iterable[str] = (),
    ) -> Hit:
        """A :class:`Hit` with the crawl fields filled; ``extra_links``: outbound URLs from
        metadata."""
        links = outbound_links(html, url, own_hosts=(blog,) if "." in blog else ())
        for link in extra_links:
            if link not in links:
                links.append(link)
        self.crawler.stats.inc_value(f"lurewatch/{self.platform}/posts")
        return Hit(
            url=url,
            platform=self.platform,
            blog=blog,
            title=" ".join((title or "").split()),
            text=plain_text(html),
            published=published,
            tags=list(tags),
            outbound_urls=links,
            fetched_at=now_iso(),
            post_id=post_id,
            search=search,
            html=html,
        )

    def on_item_scraped(self, item: Any, **kwargs: Any) -> None:
        """A hit of this platform (detection has judged it) gets its blog expanded."""
        if isinstance(item, Hit) and item.platform == self.platform:
            if item.fake_stream or item.sso_lure:
                self.expand_blog(item)

    def expand_blog(self, hit: Hit) -> None:
        """Schedule the listing of ``hit``'s blog, once per blog, within the blog budget."""
        blog = hit.blog.lower()
        if not blog or not self.expansion.pages or blog in self._expanded:
            return
        if len(self._expanded) >= self.expansion.max_blogs:
            self.crawler.stats.inc_value(f"lurewatch/{self.platform}/expansion/over_budget")
            return
        self._expanded.add(blog)
        self.crawler.stats.inc_value(f"lurewatch/{self.platform}/expansion/blogs")
        for request in self.expansion_requests(hit):
            self.schedule(self.as_expansion(request, blog))

    def as_expansion(self, request: Request, blog: str) -> Request:
        """``request`` marked as a blog expansion request (see :data:`EXPANSION_META`)."""
        request.meta[EXPANSION_META] = blog
        self.crawler.stats.inc_value(f"lurewatch/{self.platform}/expansion/requests")
        return request

    def expansion_requests(self, hit: Hit) -> Iterable[Request]:
        """The first listing request(s) of ``hit``'s blog (a platform without one: none)."""
        return ()

    def cross_post_request(self, post: CrossPost, hit: Hit) -> Request | None:
        """The request that crawls another blog's post ``post`` linked from ``hit`` (or none)."""
        return None

    def schedule(self, request: Request) -> None:
        """Hand a request to the engine from outside a callback (signals, link following)."""
        self.crawler.engine.crawl(request)

    def follow_cross_posts(self, hit: Hit) -> None:
        """Crawl the posts of other blogs on this platform that ``hit`` links to."""
        if not self.expansion.cross_posts:
            return
        own = (hit.blog,) if "." in hit.blog else ()
        for url in hit.outbound_urls:
            post = cross_blog_post(url, own)
            if post is None or post.platform != self.platform or self.seen_post(url):
                continue
            request = self.cross_post_request(post, hit)
            if request is None:
                continue
            request.meta[CROSS_POST_META] = hit.url
            self.crawler.stats.inc_value(f"lurewatch/{self.platform}/cross_posts/requested")
            self.schedule(request)

    async def complete_hit(self, hit: Hit) -> Hit:
        """Follow the post's outbound links one hop (concurrently) and attach the landing pages;
        links to other blogs' posts on this platform are also crawled as posts."""
        self.follow_cross_posts(hit)
        known = self.incremental.skip(hit)
        if known is not None:
            # unchanged since a recent fetch: no landing fetched, the post is dropped before
            # detection (crawler/middlewares/incremental.py); a hit's blog is still listed, and
            # the blogs of the hits its landing pages led to
            for listed in self.incremental.listed_blogs(canonical_post_url(hit.url), known):
                self.expand_blog(listed)
            return hit
        urls = hit.outbound_urls[: self.max_landings] if self.max_landings else []
        pages = await asyncio.gather(*(self.fetch_landing(url, referer=hit.url) for url in urls))
        hit.landing_pages = list(pages)
        hit.landing_urls = [p.final_url or p.url for p in pages if not p.error]
        return hit

    async def fetch_landing(self, url: str, referer: str = "") -> LandingPage:
        """One landing page; concurrent and repeated requests for the same URL share one fetch."""
        future = self._landings.get(url)
        if future is not None:
            self.crawler.stats.inc_value("lurewatch/landing/cached")
            return await asyncio.shield(future)
        if len(self._landings) >= self._landing_cache_size:
            done = [key for key, f in self._landings.items() if f.done()]
            for key in done[
                : max(1, len(done) // 2)
            ]:  # forget the oldest half of the finished fetches
                del self._landings[key]
        future = asyncio.get_running_loop().create_future()
        self._landings[url] = future
        try:
            page = await self._fetch_landing(url, referer)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else must be told
            del self._landings[url]
            raise
        future.set_result(page)
        return page

    async def _fetch_landing(self, url: str, referer: str) -> LandingPage:
        """Fetch one landing page, statically and then in Chromium if its HTML is built by
        script."""
        page = await self._download_landing(url, referer, render=False)
        if page.error is None and self.render_enabled and needs_rendering(page.html):
            rendered = await self._download_landing(page.final_url or url, referer, render=True)
            if rendered.error is None:
                rendered.url = url
                rendered.redirects = page.redirects + rendered.redirects
                return rendered
            page.error = None  # keep the static page; the failed render is logged and counted
        return page

    async def _download_landing(self, url: str, referer: str, render: bool) -> LandingPage:
        meta: dict[str, Any] = dict(self.landing_meta)
        if render:
            meta["playwright"] = True
        headers = {"Referer": referer} if referer else None
        request = Request(url, meta=meta, headers=headers, dont_filter=True)
        kind = "rendered" if render else "static"
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as exc:
            return self._landing_error(url, kind, exc, "ignored")
        except Exception as exc:  # timeouts, size caps, DNS, connection resets: bounded and logged
            return self._landing_error(url, kind, exc, type(exc).__name__)
        self.crawler.stats.inc_value(f"lurewatch/landing/{kind}")
        redirects = []
        if response.request is not None:
            redirects = list(response.request.meta.get("redirect_urls", []))
        html = response.text if isinstance(response, TextResponse) else ""
        return LandingPage(
            url=url,
            final_url=response.url,
            status=response.status,
            html=html,
            rendered=render,
            redirects=redirects,
        )

    def _landing_error(self, url: str, kind: str, exc: BaseException, reason: str) -> LandingPage:
        self.crawler.stats.inc_value(f"lurewatch/landing/error/{reason}")
        logger.info(
            "Landing page %s (%s) not fetched: %s",
            url,
            kind,
            exc or reason,
            extra={"spider": self},
        )
        return LandingPage(url=url, error=f"{reason}: {exc}" if str(exc) else reason)

    def json(self, response: Response) -> Any:
        """The JSON body of an API response (``None`` and a logged warning if it is not JSON)."""
        try:
            return response.json()  # type: ignore[attr-defined]
        except (ValueError, AttributeError):
            self.crawler.stats.inc_value(f"lurewatch/{self.platform}/bad_json")
            logger.warning(
                "Not JSON: %s (status %s)", response.url, response.status, extra={"spider": self}
            )
            return None
