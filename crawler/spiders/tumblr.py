"""``scrapy crawl tumblr``: Tumblr's API v2 and its JavaScript search page (``platforms.md``
§0-1).

For each watched title (its name and aliases) the spider walks:

- ``/v2/tagged?tag=`` for each tag phrasing (``before`` = the smallest ``timestamp`` of the page,
  up to ``plan.max_pages``; the response is an ARRAY of posts, unsorted, may overlap: dedupe by
  ``id_string``; an empty page is not the end: Tumblr filters posts out of pages, so the walk
  steps ``before`` back by :data:`EMPTY_PAGE_STEP`, as tag-walking tools do);
- ``/v2/timeline/search?query=`` for each query phrasing (``response.timeline.elements`` whose
  ``object_type`` is "post", ``_links.next.href`` cursor paging);
- the rendered ``www.tumblr.com/search/{q}`` page (Chromium, one per title: its results exist only
  after its script ran), whose ``postUrl`` links are followed to the blog's post page (robots.txt
  honoured);
- **blog expansion**: a blog with a hit is listed through ``/v2/blog/{blog}/posts``, following
  ``_links.next.href`` (``api_key`` appended) for ``LUREWATCH_EXPANSION_PAGES`` pages; without
  ``TUMBLR_API_KEY``, through its theme pages (``{blog}/``, ``/page/N``) and their post pages;
- a link to another Tumblr blog's post (``x.tumblr.com/post/{id}``) is crawled as a post.

Without ``TUMBLR_API_KEY`` (one WARNING naming it) the keyless paths remain: the rendered search
page, the blogs' theme pages and cross-linked post pages.

Posts are read, in both of their formats, by :mod:`crawler.parsers.tumblr`.
``LUREWATCH_TUMBLR_ENDPOINTS`` (or ``-a endpoints=tagged,search,render,blog``) limits the
endpoints used; ``LUREWATCH_TUMBLR_LIMIT`` is the API page size.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.links import CrossPost
from crawler.parsers import tumblr as parse
from crawler.parsers._common import unique
from crawler.spiders._base import EXPANSION_META, PlatformSpider
from crawler.spiders.config import TumblrConfig
from pipelines.items import Hit
from pipelines.watchlists import Title

__all__ = ["TumblrSpider"]

logger = logging.getLogger(__name__)

#: HTTP errors the callbacks read themselves: Tumblr explains them in an ``errors`` envelope.
API_ERRORS = [400, 401, 403, 404, 429]
#: How far ``before`` steps back after an empty ``/v2/tagged`` page (seconds: one week).
EMPTY_PAGE_STEP = 7 * 24 * 3600
#: Consecutive empty ``/v2/tagged`` pages after which a tag walk stops.
EMPTY_PAGES_MAX = 3


class TumblrSpider(PlatformSpider):
    """Tumblr: API v2 tag and search timelines, the rendered search page, and per-blog listings."""

    name = "tumblr"
    platform = "tumblr"
    endpoints: str = ""  # -a endpoints=tagged,search (wins over LUREWATCH_TUMBLR_ENDPOINTS)
    search_mode: str = "recent"  # newest first: fresh fake-stream posts matter most

    custom_settings = {  # noqa: RUF012 - Scrapy reads this class attribute
        "DOWNLOAD_SLOTS": {
            # 300 requests/min per IP (platforms.md §1.1); the hourly key quota is left to the
            # 429 backoff
            "api.tumblr.com": {"concurrency": 2, "delay": 0.2},
            # the JavaScript search page: one browser render at a time, politely
            "www.tumblr.com": {"concurrency": 1, "delay": 1.0},
        },
    }

    def _configure(self, crawler: Crawler) -> None:
        super()._configure(crawler)
        self.api_key = self.credential("TUMBLR_API_KEY")
        config = TumblrConfig.from_settings(crawler.settings, endpoints=self.endpoints)
        self.limit = config.limit
        self.enabled = set(config.endpoints)
        if not self.render_enabled:
            self.enabled.discard("render")
        if not self.api_key:
            logger.warning(
                "TUMBLR_API_KEY is not set: Tumblr API off; keyless paths only (the rendered "
                "search page, blogs' theme pages, cross-linked posts)"
            )
            self.enabled &= {"render", "blog"}
            if "render" not in self.enabled:
                self.no_request_reason = "TUMBLR_API_KEY missing and rendering off"

    def _stat(self, name: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"lurewatch/tumblr/{name}", count)

    def search_requests(self, title: Title) -> Iterator[Request]:
        tags: list[str] = []
        queries: list[str] = []
        for name in title.names:
            tags += self.plan.tags_for(_named(title, name))
            queries += self.plan.queries_for(_named(title, name))
        queries = unique(queries)
        if "tagged" in self.enabled:
            for tag in unique(tags):
                yield self.tagged_request(tag, title)
        if "search" in self.enabled:
            for query in queries:
                yield self.search_request(query, title)
        if "render" in self.enabled and queries:
            # one render per title: browser pages are expensive
            query = (self.plan.queries_for(title) or queries)[0]
            yield self.render_request(query, title)

    def _api(self, path: str, params: dict[str, Any]) -> str:
        return parse.api_url(path, params, self.api_key)

    def _meta(
        self, endpoint: str, title: Title | None, search: str, page: int = 1, **extra: Any
    ) -> dict[str, Any]:
        return {
            "lurewatch_endpoint": endpoint,
            "lurewatch_title": title,
            "lurewatch_search": search,
            "lurewatch_page": page,
            "handle_httpstatus_list": API_ERRORS,
            # keep the API slot's fixed, polite delay
            "autothrottle_dont_adjust_delay": True,
            **extra,
        }

    def tagged_request(
        self, tag: str, title: Title, before: int | None = None, page: int = 1, empty: int = 0
    ) -> Request:
        params: dict[str, Any] = {"tag": tag, "limit": self.limit}
        if before is not None:
            params["before"] = before
        self._stat("requests/tagged")
        meta = self._meta("tagged", title, tag, page, lurewatch_before=before)
        meta["lurewatch_empty_pages"] = empty
        return Request(
            self._api("/v2/tagged", params),
            callback=self.parse_tagged,
            errback=self.on_error,
            meta=meta,
        )

    def search_request(self, query: str, title: Title) -> Request:
        params = {
            "query": query,
            "mode": self.search_mode,
            "limit": self.limit,
            "reblog_info": "true",
        }
        self._stat("requests/search")
        return Request(
            self._api("/v2/timeline/search", params),
            callback=self.parse_search,
            errback=self.on_error,
            meta=self._meta("search", title, query),
        )

    def blog_request(self, blog: str, title: Title | None, tag: str | None = None) -> Request:
        params: dict[str, Any] = {"npf": "true", "limit": self.limit}
        if tag:
            params["tag"] = tag
        self._stat("requests/blog")
        return Request(
            self._api(f"/v2/blog/{quote(blog)}/posts", params),
            callback=self.parse_blog_posts,
            errback=self.on_error,
            meta=self._meta("blog", title, tag or f"blog:{blog}"),
        )

    def render_request(self, query: str, title: Title) -> Request:
        self._stat("requests/render")
        meta = {
            "playwright": True,
            "lurewatch_endpoint": "render",
            "lurewatch_title": title,
            "lurewatch_search": query,
        }
        return Request(
            parse.search_page_url(query, self.search_mode),
            callback=self.parse_search_page,
            errback=self.on_error,
            meta=meta,
        )

    def _next_api(
        self, response: Response, href: str, endpoint: str, callback: Callable[..., Any]
    ) -> Request | None:
        """The request for a ``_links.next.href`` (a path without ``api_key``), within
        ``max_pages``."""
        page = int(response.meta.get("lurewatch_page", 1))
        if not href or page >= self._page_budget(response):
            return None
        self._stat(f"next_page/{endpoint}")
        self._stat(f"requests/{endpoint}")
        meta = {**response.meta, "lurewatch_page": page + 1}
        url = parse.next_page_url(href, self.api_key)
        return Request(url, callback=callback, errback=self.on_error, meta=meta)

    def _page_budget(self, response: Response) -> int:
        """Pages a walk may read: the expansion budget for a blog listing, else the plan's."""
        if response.meta.get(EXPANSION_META):
            return self.expansion.pages
        return self.plan.max_pages

    def api_response(self, response: Response) -> Any:
        """The ``response`` of Tumblr's envelope, or ``None`` (logged and counted) for an error
        envelope."""
        body = self.json(response)
        error = parse.api_error(body, response.status)
        if error is None:
            return body.get("response")
        self._stat(f"api_error/{response.status}")
        if response.status in (401, 403):
            # the quota middleware logs the one ERROR and switches the API off for the run
            return None
        logger.warning(
            "Tumblr API error %s on %s: %s (code %s: %s)",
            response.status,
            response.meta.get("lurewatch_endpoint"),
            error.message,
            error.code,
            error.detail,
            extra={"spider": self},
        )
        return None

    async def parse_tagged(self, response: Response) -> AsyncIterator[Any]:
        posts = self.api_response(response)
        if not isinstance(posts, list):
            return
        self._stat("page/tagged")
        for post in posts:
            if isinstance(post, dict):
                async for out in self.handle_post(post, response):
                    yield out
        nxt = self._next_tagged(response, posts)
        if nxt is not None:
            self._stat("next_page/tagged")
            yield nxt

    def _next_tagged(self, response: Response, posts: list[Any]) -> Request | None:
        """The next ``/v2/tagged`` page: older than the oldest post seen; after an empty page,
        ``before`` steps back by :data:`EMPTY_PAGE_STEP` (at most :data:`EMPTY_PAGES_MAX` empty
        pages in a row); a page that brings nothing older ends the walk (no progress)."""
        before = response.meta.get("lurewatch_before")
        page = int(response.meta["lurewatch_page"])
        if page >= self.plan.max_pages:
            return None
        tag = response.meta["lurewatch_search"]
        title = response.meta["lurewatch_title"]
        oldest = parse.oldest_timestamp(posts)
        if oldest is None:
            empty = int(response.meta.get("lurewatch_empty_pages", 0)) + 1
            if before is None or empty >= EMPTY_PAGES_MAX:
                return None
            self._stat("tagged/empty_page_stepped")
            return self.tagged_request(tag, title, int(before) - EMPTY_PAGE_STEP, page + 1, empty)
        if before is not None and oldest >= before:
            return None
        return self.tagged_request(tag, title, oldest, page + 1)

    async def parse_search(self, response: Response) -> AsyncIterator[Any]:
        timeline = parse.search_timeline(self.api_response(response))
        if timeline is None:
            return
        self._stat("page/search")
        for element in timeline.get("elements") or []:
            if not parse.is_post_element(element):
                self._stat("elements_skipped")
                continue
            async for out in self.handle_post(element, response):
                yield out
        href = parse.timeline_next_href(timeline)
        nxt = self._next_api(response, href, "search", self.parse_search)
        if nxt is not None:
            yield nxt

    async def parse_blog_posts(self, response: Response) -> AsyncIterator[Any]:
        data = self.api_response(response)
        if not isinstance(data, dict):
            return
        self._stat("page/blog")
        for post in data.get("posts") or []:
            if isinstance(post, dict):
                async for out in self.handle_post(post, response):
                    yield out
        href = parse.blog_next_href(data)
        nxt = self._next_api(response, href, "blog", self.parse_blog_posts)
        if nxt is not None:
            yield nxt

    async def handle_post(self, post: dict[str, Any], response: Response) -> AsyncIterator[Any]:
        """One API post (any endpoint, legacy or NPF): its hit, once (a hit's blog is expanded
        when detection has judged it: :meth:`expansion_requests`)."""
        post_id, blog, url = parse.post_identity(post)
        if not post_id or not url:
            self._stat("posts/malformed")
            return
        if not self.claim_post(parse.post_key(post_id)):
            return
        hit = self.make_hit(
            url=url,
            blog=urlsplit(url).hostname or blog,
            title=parse.post_title(post),
            html=parse.post_html(post),
            published=parse.post_published(post),
            tags=parse.post_tags(post),
            post_id=post_id,
            search=response.meta.get("lurewatch_search"),
            extra_links=parse.post_links(post),
        )
        yield await self.complete_hit(hit)

    def expansion_requests(self, hit: Hit) -> Iterator[Request]:
        """A blog with a hit is listed once, newest first: through the API, else (keyless)
        through its theme pages.

        Not per title tag: a blog that posts one fake stream posts many titles, under disguised
        titles no search phrasing matches.
        """
        if "blog" not in self.enabled:
            return
        if self.api_key:
            yield self.blog_request(hit.blog, None)
        else:
            yield self.theme_list_request(f"https://{hit.blog}/", 1)

    def theme_list_request(self, url: str, page: int) -> Request:
        self._stat("requests/theme_list")
        meta = {"lurewatch_endpoint": "theme_list", "lurewatch_page": page}
        return Request(url, callback=self.parse_theme_list, errback=self.on_error, meta=meta)

    def parse_theme_list(self, response: Response) -> Iterator[Request]:
        """A blog's theme listing page (keyless expansion): its posts' pages, then its next
        page within the expansion budget."""
        if not isinstance(response, TextResponse) or response.status != 200:
            return
        self._stat("page/theme_list")
        host = urlsplit(response.url).hostname
        for href in unique(response.css("a::attr(href)").getall()):
            url = response.urljoin(href)
            if urlsplit(url).hostname != host:
                continue
            request = self.result_request(url, None, f"blog:{host}")
            if request is not None:
                request.meta[EXPANSION_META] = response.meta.get(EXPANSION_META)
                yield request
        page = int(response.meta.get("lurewatch_page", 1))
        nxt = response.css('a.next::attr(href), a[rel="next"]::attr(href)').get()
        if nxt and page < self._page_budget(response):
            request = self.theme_list_request(response.urljoin(nxt), page + 1)
            yield self.as_expansion(request, str(response.meta.get(EXPANSION_META) or host))

    def cross_post_request(self, post: CrossPost, hit: Hit) -> Request | None:
        """Another Tumblr blog's post linked from ``hit``: through the API by id (keyless: its
        post page)."""
        return self.result_request(post.url, None, f"link:{hit.url}")

    async def parse_search_page(self, response: Response) -> AsyncIterator[Any]:
        """Result links of the rendered search page (and of its initial state, if the server
        embedded any)."""
        self._stat("page/render")
        hrefs = response.css("a::attr(href)").getall() + parse.state_post_urls(response.text)
        title = response.meta["lurewatch_title"]
        search = response.meta["lurewatch_search"]
        for url in unique(response.urljoin(href) for href in hrefs):
            request = self.result_request(url, title, search)
            if request is not None:
                yield request

    def result_request(self, url: str, title: Title | None, search: str) -> Request | None:
        """Follow one search result: the blog's post page, or the API for
        ``www.tumblr.com/{blog}/{id}``."""
        link = parse.result_link(url)
        if link is None:
            return None
        self._stat("rendered_results")
        if self.seen_post(parse.post_key(link.post_id)):
            self._stat("rendered_results/known")
            return None
        if link.blog is not None and self.api_key:
            params = {"id": link.post_id, "npf": "true"}
            return Request(
                self._api(f"/v2/blog/{link.blog}/posts", params),
                callback=self.parse_blog_posts,
                errback=self.on_error,
                meta={**self._meta("blog", title, search), "lurewatch_page": self.plan.max_pages},
            )
        meta = {
            "lurewatch_endpoint": "post_page",
            "lurewatch_title": title,
            "lurewatch_search": search,
            "lurewatch_post_id": link.post_id,
        }
        return Request(url, callback=self.parse_post_page, errback=self.on_error, meta=meta)

    async def parse_post_page(self, response: Response) -> AsyncIterator[Any]:
        """A blog's theme page for one post."""
        post_id = str(response.meta["lurewatch_post_id"])
        if not isinstance(response, TextResponse) or response.status != 200:
            return
        if not self.claim_post(parse.post_key(post_id)):
            return
        self._stat("page/post_page")
        fields = parse.post_page_fields(response.selector, response.url, post_id)
        hit = self.make_hit(
            url=fields["url"],
            blog=urlsplit(response.url).hostname or "",
            title=fields["title"],
            html=fields["html"],
            published=fields["published"],
            tags=fields["tags"],
            post_id=fields["post_id"],
            search=response.meta.get("lurewatch_search"),
        )
        yield await self.complete_hit(hit)

    def on_error(self, failure: Failure) -> None:
        """Failed requests (robots.txt, timeouts, retries exhausted): logged, counted, crawl goes
        on."""
        request = failure.request  # type: ignore[attr-defined]
        reason = type(failure.value).__name__
        self._stat(f"failed/{request.meta.get('lurewatch_endpoint', 'other')}/{reason}")
        logger.info("Tumblr request failed (%s): %s", reason, request.url, extra={"spider": self})


def _named(title: Title, name: str) -> Title:
    """``title`` searched under one of its names (an alias keeps the year)."""
    return title if name == title.title else Title(title=name, year=title.year)
