"""The ``blogger`` spider: find blogspot blogs through web-search APIs, then search each blog's posts.

Blogger has no platform-wide search (``platforms.md`` §4.4), so for every watched title:

1. **Discovery**: each configured backend (:mod:`crawler.discovery`, ``LUREWATCH_BLOGGER_DISCOVERY``) is asked
   each query phrasing with ``site:blogspot.com``, a couple of pages deep. Results on ``*.blogspot.com`` give
   blogs (and post URLs); everything else is noise and ignored.
2. **Feed search** on each blog found: ``/feeds/posts/default?q=…&alt=json&max-results=25``, following the
   ``rel=next`` links (on ``www.blogger.com/feeds/{blogId}/…``) up to ``max_pages``.
3. **Blogger API v3** when ``BLOGGER_API_KEY`` is set (always offline, with the placeholder key):
   ``blogs/byurl`` then ``posts/search?q=`` with ``pageToken`` paging.
4. Post URLs the engines found but neither search returned are fetched as HTML pages when the crawl is idle.

robots.txt is obeyed: Blogger's default one disallows ``/search`` HTML, which this spider never asks for.
A post found by several routes is reported once (:meth:`PlatformSpider.claim_post`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from parsel import Selector
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawler.discovery import DiscoveryBackend, load_backends
from crawler.spiders._base import PlatformSpider
from crawler.spiders.config import BloggerConfig
from pipelines.items import Hit
from pipelines.urls import canonical_post_url
from pipelines.watchlists import Title

__all__ = [
    "BloggerPost",
    "BloggerSpider",
    "blogspot_host",
    "feed_next_url",
    "parse_api_post",
    "parse_feed_entry",
    "parse_post_page",
]

logger = logging.getLogger(__name__)

# The API's own root (its discovery document's rootUrl); www.googleapis.com/blogger/v3 is the same API, but
# sharing that host with Custom Search would put both in one downloader slot (politeness and AutoThrottle)
API_BASE = "https://blogger.googleapis.com/v3"
DISCOVERY_PRIORITY = 10  # results pages first: every blog search hangs off them
SITE_FILTER = "site:blogspot.com"
#: non-2xx answers the callbacks read (error envelopes) instead of HttpErrorMiddleware dropping them
HANDLED_STATUSES = [400, 401, 403, 404, 410, 422, 429, 500, 503]
_BLOGSPOT = re.compile(
    r"(?i)^(?P<sub>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.blogspot\.(?:com|[a-z]{2,3}(?:\.[a-z]{2})?)$"
)
_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")


# --- parsing: plain functions over JSON and HTML -----------------------------------------------------------
@dataclass
class BloggerPost:
    """A post as read from a feed entry, an API item or an HTML page."""

    url: str
    blog: str  # x.blogspot.com
    post_id: str | None
    title: str
    html: str
    published: str | None  # ISO 8601, UTC
    tags: list[str] = field(default_factory=list)


def blogspot_host(url: str) -> str | None:
    """``x.blogspot.com`` for a URL on a blogspot blog (country domains folded in), else ``None``."""
    host = (urlsplit(url).hostname or "").lower()
    match = _BLOGSPOT.match(host)
    if not match or match["sub"] in ("www", "draft", "bp"):
        return None
    return f"{match['sub']}.blogspot.com"


def utc_iso(value: str | None) -> str | None:
    """An RFC 3339 time (``2019-07-20T18:38:00.002+08:00``, ``…Z``) as ISO 8601 UTC (``None`` if bad)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _t(node: Any) -> str:
    """The ``$t`` text of a GData JSON node."""
    return str(node.get("$t", "")) if isinstance(node, dict) else ""


def _alternate(links: Any) -> str | None:
    """The ``rel="alternate"`` ``text/html`` link: found by rel, never by position (``link[4]`` breaks)."""
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("rel") == "alternate" and link.get("href"):
            if link.get("type", "text/html") == "text/html":
                return str(link["href"])
    return None


def feed_next_url(feed: dict[str, Any]) -> str | None:
    """The feed's ``rel="next"`` link (on ``www.blogger.com``), if any."""
    for link in feed.get("link") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def parse_feed_entry(entry: dict[str, Any]) -> BloggerPost | None:
    """A post from one ``entry`` of a JSON feed (``None`` without an alternate link)."""
    url = _alternate(entry.get("link"))
    if not url:
        return None
    post_id = _t(entry.get("id")).rpartition(".post-")[2] or None
    body = entry.get("content") or entry.get("summary") or {}
    tags = [str(c["term"]) for c in entry.get("category") or [] if isinstance(c, dict) and c.get("term")]
    return BloggerPost(
        url=canonical_post_url(url),
        blog=blogspot_host(url) or urlsplit(url).netloc,
        post_id=post_id,
        title=_t(entry.get("title")),
        html=_t(body),
        published=utc_iso(_t(entry.get("published"))),
        tags=tags,
    )


def parse_api_post(item: dict[str, Any]) -> BloggerPost | None:
    """A post from a ``blogger#post`` API item (``labels`` is absent when there are none)."""
    url = item.get("url")
    if not isinstance(url, str) or not url:
        return None
    return BloggerPost(
        url=canonical_post_url(url),
        blog=blogspot_host(url) or urlsplit(url).netloc,
        post_id=str(item.get("id") or "") or None,
        title=str(item.get("title") or ""),
        html=str(item.get("content") or ""),
        published=utc_iso(item.get("published")),
        tags=[str(label) for label in item.get("labels") or []],
    )


def parse_post_page(html: str, url: str) -> BloggerPost | None:
    """A post from its HTML page in Blogger's classic layout (the post body only, not the comment widget)."""
    sel = Selector(text=html)
    body = sel.css("div.post-body")
    if not body:
        return None
    post_id = (
        body.attrib.get("id", "").removeprefix("post-body-")
        or sel.css("meta[itemprop=postId]::attr(content)").get()
    )
    title = " ".join(" ".join(sel.css("h3.post-title ::text").getall()).split())
    published = (
        sel.css("abbr.published::attr(title)").get()
        or sel.css("time.published::attr(datetime)").get()
        or sel.css("[itemprop=datePublished]::attr(content)").get()
    )
    tags = [" ".join(t.split()) for t in sel.css("a[rel=tag] ::text").getall() if t.strip()]
    return BloggerPost(
        url=canonical_post_url(url),
        blog=blogspot_host(url) or urlsplit(url).netloc,
        post_id=post_id or None,
        title=title,
        html="".join(body[0].xpath("node()").getall()),
        published=utc_iso(published),
        tags=tags,
    )


# --- the spider ------------------------------------------------------------------------------------------
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
    """Blogger / Blogspot: discovery through web-search APIs, then feed search and API v3 search per blog."""

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
        if not self.backends:
            logger.error(
                "No blog discovery backend is configured (LUREWATCH_BLOGGER_DISCOVERY=%s): "
                "no blogspot blog can be found",
                ",".join(self.config.discovery),
            )
        self.disabled_backends: set[str] = set()
        self.blogs: dict[str, _Blog] = {}
        self.discovered_posts: dict[str, str] = {}  # post URL from an engine -> the query that found it
        self.fetched_discovered = False

    def _stat(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"lurewatch/blogger/{key}", count)

    # --- queries ----------------------------------------------------------------------------------------
    def queries_for(self, title: Title) -> list[str]:
        """The plan's phrasings for the title and each alias (foreign-language blogs use the local name)."""
        out: list[str] = []
        for name in title.names:
            for query in self.plan.queries_for(replace(title, title=name, aliases=())):
                if query.casefold() not in (q.casefold() for q in out):
                    out.append(query)
        return out

    # --- 1. discovery -----------------------------------------------------------------------------------
    def search_requests(self, title: Title) -> Iterable[Request]:
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
        """Collect blogspot blogs (and post URLs) from one page of search results; ignore everything else."""
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
        host = blogspot_host(url)
        if host is None:
            self._stat("discovery/ignored")
            logger.debug("Discovery result ignored (not a blogspot blog): %s", url)
            return
        self._stat("discovery/results")
        if _POST_PATH.match(urlsplit(url).path):
            self.discovered_posts.setdefault(canonical_post_url(url), query)
        blog = self.blogs.get(host)
        if blog is None:
            blog = self.blogs[host] = _Blog(host)
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

    # --- 2. feed search ---------------------------------------------------------------------------------
    def _feed_request(self, host: str, query: str) -> Request:
        params = urlencode({"q": query, "alt": "json", "max-results": self.config.feed_page_size})
        return self._feed_page(f"https://{host}/feeds/posts/default?{params}", host, query, 1)

    def _feed_page(self, url: str, host: str, query: str, page: int) -> Request:
        return Request(
            url,
            callback=self.parse_feed,
            cb_kwargs={"host": host, "query": query, "page": page},
            meta={"handle_httpstatus_list": HANDLED_STATUSES},
        )

    async def parse_feed(self, response: Response, host: str, query: str, page: int) -> AsyncIterator[Any]:
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
        next_url = feed_next_url(feed)
        if next_url and page < self.plan.max_pages:
            yield self._feed_page(next_url, host, query, page + 1)
        for entry in feed.get("entry") or []:  # absent when nothing matches
            post = parse_feed_entry(entry) if isinstance(entry, dict) else None
            if post is None:
                self._stat("feed/entries_without_link")
                continue
            async for item in self._post(post, query, "feed"):
                yield item

    # --- 3. Blogger API v3 ------------------------------------------------------------------------------
    def _api_request(self, path: str, params: dict[str, Any], callback: Any, **cb_kwargs: Any) -> Request:
        # the key goes in X-goog-api-key (documented for every Google API) so it never appears in a logged URL
        return Request(
            f"{API_BASE}/{path}?{urlencode(params)}",
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
            yield self._api_request(
                "blogs/byurl", {"url": f"https://{blog.host}/"}, self.parse_byurl, host=blog.host
            )

    def _api_search_request(self, blog: _Blog, query: str, token: str | None, page: int) -> Request:
        params = {"q": query, "fetchBodies": "true", **({"pageToken": token} if token else {})}
        return self._api_request(
            f"blogs/{blog.blog_id}/posts/search",
            params,
            self.parse_api_search,
            host=blog.host,
            query=query,
            page=page,
        )

    def _api_error(self, response: Response) -> bool:
        """Log and count an API error (naming the URL and Google's message); True if the response is one."""
        if response.status == 200:
            return False
        data = self.json(response)
        error = data.get("error", {}) if isinstance(data, dict) else {}
        reason = (
            ((error.get("errors") or [{}])[0].get("reason") or error.get("status") or "") if error else ""
        )
        self._stat(f"api/errors/{reason or response.status}")
        fatal = response.status in (401, 403) or reason in ("keyInvalid", "keyExpired")
        logger.error(
            "Blogger API error for %s: HTTP %s %s: %s%s",
            response.url,
            response.status,
            reason,
            error.get("message", "no message") if error else "not a JSON answer",
            " (API disabled for this crawl)" if fatal and not self.api_disabled else "",
        )
        self.api_disabled = self.api_disabled or fatal
        return True

    def parse_byurl(self, response: Response, host: str) -> Iterator[Request]:
        """The blog's id, then the API searches that waited for it."""
        blog = self.blogs[host]
        blog.resolving = False
        pending, blog.pending = blog.pending, []
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
            post = parse_api_post(item) if isinstance(item, dict) else None
            if post is not None:
                async for out in self._post(post, query, "api"):
                    yield out

    # --- 4. posts ---------------------------------------------------------------------------------------
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
        """When all searches are done, fetch the post pages engines found that no search returned."""
        if self.fetched_discovered or not self.config.fetch_discovered_posts:
            return
        self.fetched_discovered = True
        missing = {
            url: q
            for url, q in self.discovered_posts.items()
            if not self.seen_post(url)
        }
        for url, query in missing.items():
            self._stat("post_pages/requested")
            self.crawler.engine.crawl(Request(url, callback=self.parse_post_html, cb_kwargs={"query": query}))
        if missing:
            raise DontCloseSpider

    async def parse_post_html(self, response: Response, query: str) -> AsyncIterator[Hit]:
        """A post page (classic layout) found by discovery only."""
        post = parse_post_page(response.text, response.url) if hasattr(response, "text") else None
        if post is None:
            self._stat("post_pages/unparsable")
            logger.warning("No post body found on %s", response.url)
            return
        async for hit in self._post(post, query, "html"):
            yield hit
