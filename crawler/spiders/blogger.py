"""The ``blogger`` spider: find blogspot blogs through web-search APIs, then search each blog's
posts.

Blogger has no platform-wide search (``platforms.md`` §4.4), so for every watched title:

1. **Discovery**: each configured backend (:mod:`crawler.discovery`,
   ``LUREWATCH_BLOGGER_DISCOVERY``) is asked each query phrasing with ``site:blogspot.com``, a
   couple of pages deep. Results on ``*.blogspot.com`` give blogs (and post URLs); everything
   else is noise and ignored.
2. **Feed search** on each blog found: ``/feeds/posts/default?q=…&alt=json&max-results=25``,
   following the ``rel=next`` links (on ``www.blogger.com/feeds/{blogId}/…``) up to
   ``max_pages``.
3. **Blogger API v3** when ``BLOGGER_API_KEY`` is set (always offline, with the placeholder
   key): ``blogs/byurl`` then ``posts/search?q=`` with ``pageToken`` paging.
4. Post URLs the engines found but neither search returned are fetched as HTML pages when the
   crawl is idle.
5. **Blog expansion**: a blog with a hit has its recent posts read through its feed without
   ``q`` (``LUREWATCH_EXPANSION_PAGES`` pages); a link to another blogspot blog's post is fetched
   as a post page, and that blog becomes known (its own hits expand it in turn).

robots.txt is obeyed: Blogger's default one disallows ``/search`` HTML, which this spider never
asks for. A post found by several routes is reported once (:meth:`PlatformSpider.claim_post`).
The answers are read by :mod:`crawler.parsers.blogger`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawler.discovery import DiscoveryBackend, load_backends
from crawler.discovery.seeds import SEED_QUERY, seed_hosts
from crawler.links import CrossPost
from crawler.parsers import blogger as parse
from crawler.parsers.blogger import BloggerPost
from crawler.spiders._base import EXPANSION_META, PlatformSpider
from crawler.spiders.config import BloggerConfig
from pipelines.items import Hit
from pipelines.urls import canonical_post_url
from pipelines.watchlists import Title

__all__ = ["BloggerSpider"]

logger = logging.getLogger(__name__)

DISCOVERY_PRIORITY = 10  # results pages first: every blog search hangs off them
SITE_FILTER = "site:blogspot.com"
#: non-2xx answers the callbacks read (error envelopes) instead of HttpErrorMiddleware dropping
#: them
HANDLED_STATUSES = [400, 401, 403, 404, 410, 422, 429, 500, 503]


@dataclass
class _Blog:
    """What the crawl knows about one blog."""

    host: str
    titles: set[str] = field(default_factory=set)  # titles whose searches were scheduled here
    queries: set[str] = field(default_factory=set)  # queries already searched here
    blog_id: str | None = None  # from blogs/byurl
    resolving: bool = False
    pending: list[str] = field(default_factory=list)  # API searches waiting for the blog id


class BloggerSpider(PlatformSpider):
    """Blogger / Blogspot: discovery through web-search APIs, then feed search and API v3
    search per blog."""

    name = "blogger"
    platform = "blogger"

    config: BloggerConfig
    backends: list[DiscoveryBackend]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BloggerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, BloggerSpider)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    def _configure(self, crawler: Crawler) -> None:
        super()._configure(crawler)
        self.config = BloggerConfig.from_settings(crawler.settings)
        self.backends = load_backends(
            list(self.config.discovery), self.credential, self.config.discovery_page_size
        )
        self.api_key = self.credential("BLOGGER_API_KEY")
        self.api_disabled = not self.api_key
        if self.api_disabled:
            logger.info("BLOGGER_API_KEY not set: Blogger API v3 search skipped, feeds only")
        self.seed_hosts = seed_hosts(crawler.settings)  # watchlists/seeds.yaml: no API needed
        if not self.backends and not self.seed_hosts:
            logger.error(
                "No blog discovery backend is configured (LUREWATCH_BLOGGER_DISCOVERY=%s): "
                "no blogspot blog can be found",
                ",".join(self.config.discovery),
            )
        self.disabled_backends: set[str] = set()
        self.blogs: dict[str, _Blog] = {}
        # post URL from an engine -> the query that found it
        self.discovered_posts: dict[str, str] = {}
        self.fetched_discovered = False

    def _stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"lurewatch/blogger/{key}", count)

    def queries_for(self, title: Title) -> list[str]:
        """The plan's phrasings for the title and each alias (foreign-language blogs use the
        local name)."""
        out: list[str] = []
        seen: set[str] = set()
        for name in title.names:
            for query in self.plan.queries_for(replace(title, title=name, aliases=())):
                if query.casefold() not in seen:
                    seen.add(query.casefold())
                    out.append(query)
        return out

    def search_requests(self, title: Title) -> Iterable[Request]:
        for host in self.seed_hosts:
            yield from self._discovered(f"https://{host}/", title, SEED_QUERY)
        for backend in self.backends:
            for query in self.queries_for(title):
                request = self._discovery_request(backend, f"{query} {SITE_FILTER}", title, 1)
                if request is not None:
                    yield request

    def _discovery_request(
        self, backend: DiscoveryBackend, query: str, title: Title, page: int
    ) -> Request | None:
        search = backend.build_request(query, page)
        if search is None:
            return None
        self._stat(f"discovery/{backend.name}/requests")
        return Request(
            search.url,
            headers=search.headers,
            callback=self.parse_discovery,
            cb_kwargs={"backend": backend, "query": query, "title": title, "page": page},
            meta={"handle_httpstatus_list": HANDLED_STATUSES},
            priority=DISCOVERY_PRIORITY,
        )

    def parse_discovery(
        self, response: Response, backend: DiscoveryBackend, query: str, title: Title, page: int
    ) -> Iterator[Request]:
        """Collect blogspot blogs (and post URLs) from one page of search results; ignore
        everything else."""
        result = backend.parse(response.url, response.status, response.body, page)
        if result.error:
            self._stat(f"discovery/{backend.name}/errors")
            if result.fatal:
                self.disabled_backends.add(backend.name)
            return
        self._stat(f"discovery/{backend.name}/pages")
        if page > 1:
            self._stat(f"discovery/{backend.name}/pages_followed")
        for url in result.urls:
            yield from self._discovered(url, title, query)
        if (
            result.next_page
            and result.next_page <= self.config.discovery_pages
            and backend.name not in self.disabled_backends
        ):
            request = self._discovery_request(backend, query, title, result.next_page)
            if request is not None:
                yield request

    def _discovered(self, url: str, title: Title, query: str) -> Iterator[Request]:
        host = parse.blogspot_host(url)
        if host is None:
            self._stat("discovery/ignored")
            logger.debug("Discovery result ignored (not a blogspot blog): %s", url)
            return
        self._stat("discovery/results")
        if parse.is_post_url(url):
            self.discovered_posts.setdefault(canonical_post_url(url), query)
        blog = self.blogs.get(host)
        if blog is None:
            blog = _Blog(host)
            self.blogs[host] = blog
            self._stat("blogs")
        if title.title not in blog.titles:
            blog.titles.add(title.title)
            yield from self.blog_searches(blog, title)

    def blog_searches(self, blog: _Blog, title: Title) -> Iterator[Request]:
        """Feed search (and API search) of one blog for every query phrasing of ``title``."""
        for query in self.queries_for(title):
            if query in blog.queries:
                continue
            blog.queries.add(query)
            yield self._feed_request(blog.host, query)
            yield from self._api_search(blog, query)

    def _feed_request(self, host: str, query: str) -> Request:
        url = parse.feed_search_url(host, query, self.config.feed_page_size)
        return self._feed_page(url, host, query, 1)

    def expansion_requests(self, hit: Hit) -> Iterator[Request]:
        """The blog's feed without ``q``: its recent posts, whatever their titles say."""
        host = parse.blogspot_host(hit.url) or hit.blog
        url = parse.feed_listing_url(host, self.config.feed_page_size)
        yield self._feed_page(url, host, f"blog:{host}", 1)

    def cross_post_request(self, post: CrossPost, hit: Hit) -> Request | None:
        """Another blogspot blog's post linked from ``hit``, fetched as a post page."""
        self._stat("post_pages/cross_linked")
        return Request(
            post.url, callback=self.parse_post_html, cb_kwargs={"query": f"link:{hit.url}"}
        )

    def _feed_page(self, url: str, host: str, query: str, page: int) -> Request:
        return Request(
            url,
            callback=self.parse_feed,
            cb_kwargs={"host": host, "query": query, "page": page},
            meta={"handle_httpstatus_list": HANDLED_STATUSES},
        )

    async def parse_feed(
        self, response: Response, host: str, query: str, page: int
    ) -> AsyncIterator[Any]:
        """One page of a blog's JSON feed search: its posts, then its ``rel=next`` page."""
        data = self.json(response) if response.status == 200 else None
        feed = data.get("feed") if isinstance(data, dict) else None
        if not isinstance(feed, dict):
            self._stat(f"feed/errors/{response.status}")
            logger.warning("Feed search failed for %s: HTTP %s", response.url, response.status)
            return
        self._stat("feed/pages")
        if page > 1:
            self._stat("feed/pages_followed")
        next_url = parse.feed_next_url(feed)
        expansion = response.meta.get(EXPANSION_META)
        budget = self.expansion.pages if expansion else self.plan.max_pages
        if next_url and page < budget:
            request = self._feed_page(next_url, host, query, page + 1)
            yield self.as_expansion(request, expansion) if expansion else request
        for entry in feed.get("entry") or []:  # absent when nothing matches
            post = parse.parse_feed_entry(entry) if isinstance(entry, dict) else None
            if post is None:
                self._stat("feed/entries_without_link")
                continue
            async for item in self._post(post, query, "feed"):
                yield item

    def _api_request(self, url: str, callback: Callable[..., Any], **cb_kwargs: Any) -> Request:
        # the key goes in X-goog-api-key (documented for every Google API) so it never appears
        # in a logged URL
        return Request(
            url,
            headers={"X-goog-api-key": self.api_key},
            callback=callback,
            cb_kwargs=cb_kwargs,
            meta={"handle_httpstatus_list": HANDLED_STATUSES},
        )

    def _api_search(self, blog: _Blog, query: str) -> Iterator[Request]:
        if self.api_disabled:
            return
        if blog.blog_id:
            yield self._api_search_request(blog, query, None, 1)
            return
        blog.pending.append(query)
        if not blog.resolving:
            blog.resolving = True
            yield self._api_request(parse.byurl_url(blog.host), self.parse_byurl, host=blog.host)

    def _api_search_request(
        self, blog: _Blog, query: str, token: str | None, page: int
    ) -> Request:
        url = parse.api_search_url(str(blog.blog_id), query, token)
        return self._api_request(
            url, self.parse_api_search, host=blog.host, query=query, page=page
        )

    def _api_error(self, response: Response) -> bool:
        """Log and count an API error (naming the URL and Google's message); True if the
        response is one."""
        if response.status == 200:
            return False
        error = parse.api_error(self.json(response))
        self._stat(f"api/errors/{error.reason or response.status}")
        fatal = response.status in (401, 403) or error.key_refused
        logger.error(
            "Blogger API error for %s: HTTP %s %s: %s%s",
            response.url,
            response.status,
            error.reason,
            error.message,
            " (API disabled for this crawl)" if fatal and not self.api_disabled else "",
        )
        self.api_disabled = self.api_disabled or fatal
        return True

    def parse_byurl(self, response: Response, host: str) -> Iterator[Request]:
        """The blog's id, then the API searches that waited for it."""
        blog = self.blogs[host]
        blog.resolving = False
        pending = blog.pending
        blog.pending = []
        if self._api_error(response):
            return
        data = self.json(response)
        blog.blog_id = str(data.get("id") or "") if isinstance(data, dict) else None
        if not blog.blog_id or self.api_disabled:
            return
        self._stat("api/blogs")
        for query in pending:
            yield self._api_search_request(blog, query, None, 1)

    async def parse_api_search(
        self, response: Response, host: str, query: str, page: int
    ) -> AsyncIterator[Any]:
        """One page of ``posts/search``: its posts, then the ``nextPageToken`` page."""
        if self._api_error(response):
            return
        data = self.json(response)
        if not isinstance(data, dict):
            return
        self._stat("api/pages")
        if page > 1:
            self._stat("api/pages_followed")
        token = data.get("nextPageToken")
        if token and page < self.plan.max_pages and not self.api_disabled:
            yield self._api_search_request(self.blogs[host], query, str(token), page + 1)
        for item in data.get("items") or []:  # absent when nothing matches
            post = parse.parse_api_post(item) if isinstance(item, dict) else None
            if post is not None:
                async for out in self._post(post, query, "api"):
                    yield out

    async def _post(self, post: BloggerPost, query: str, source: str) -> AsyncIterator[Hit]:
        """The hit for a post, once per crawl, with its landing pages."""
        self._stat(f"posts/from_{source}")
        if not self.claim_post(post.url):
            return
        hit = self.make_hit(
            url=post.url,
            blog=post.blog,
            title=post.title,
            html=post.html,
            published=post.published,
            tags=post.tags,
            post_id=post.post_id,
            search=query,
        )
        yield await self.complete_hit(hit)

    def on_idle(self) -> None:
        """When all searches are done, fetch the post pages engines found that no search
        returned."""
        if self.fetched_discovered or not self.config.fetch_discovered_posts:
            return
        self.fetched_discovered = True
        missing = {
            url: query for url, query in self.discovered_posts.items() if not self.seen_post(url)
        }
        for url, query in missing.items():
            self._stat("post_pages/requested")
            request = Request(url, callback=self.parse_post_html, cb_kwargs={"query": query})
            self.crawler.engine.crawl(request)
        if missing:
            raise DontCloseSpider

    async def parse_post_html(self, response: Response, query: str) -> AsyncIterator[Hit]:
        """A post page (classic layout) found by discovery only."""
        post = None
        if hasattr(response, "text"):
            post = parse.parse_post_page(response.text, response.url)
        if post is None:
            self._stat("post_pages/unparsable")
            logger.warning("No post body found on %s", response.url)
            return
        async for hit in self._post(post, query, "html"):
            yield hit
