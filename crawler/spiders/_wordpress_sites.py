"""How the ``wordpress`` spider searches one WordPress site (the base of :mod:`.wordpress`).

A site found by the Reader (or named in ``LUREWATCH_WORDPRESS_SITES``) is probed with its first
query; the others wait in the probe's meta until the probe has found the method that answers:

1. the WordPress.com sites API ``/rest/v1.1/sites/{site}/posts/?search=`` (WordPress.com sites);
2. core REST on each base of :meth:`SiteRef.rest_bases` in turn: ``wp/v2/search`` (each result
   fetched through ``_links.self``), or ``wp/v2/posts?search=`` where that route is missing;
3. the theme's HTML search ``/?s=`` and its search feed, when REST is blocked or absent.

A probe whose download fails (robots.txt disallowing ``/wp-json/``, a timeout, a reset) moves
down the same ladder instead of dropping the site.

**Blog expansion**: a site with a hit has its recent posts listed (no search) for
``LUREWATCH_EXPANSION_PAGES`` pages: the sites API on WordPress.com, else ``wp/v2/posts`` on each
REST base in turn, else the site's feed ``/feed/``.

Each method pages up to ``plan.max_pages``; error bodies are counted under
``lurewatch/wordpress/errors/<code>``. The answers are read by :mod:`crawler.parsers.wordpress`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from w3lib.url import add_or_replace_parameter

from crawler.links import CrossPost
from crawler.parsers import wordpress as wp
from crawler.parsers._common import PostFields
from crawler.parsers.wordpress import SiteRef
from crawler.spiders._base import CROSS_POST_META, EXPANSION_META, PlatformSpider
from pipelines.items import Hit

__all__ = ["WordPressSiteSearch"]

logger = logging.getLogger(__name__)

#: Error bodies the callbacks read (5xx and 429 go to the Retry and RateLimit middlewares).
HANDLED_ERRORS = [400, 401, 403, 404, 410]
BLOCKED = (401, 403)
#: The meta key of the site queries waiting for a probe to find the site's search method.
PENDING_META = "lurewatch_site_queries"
#: How a site is searched, as :meth:`WordPressSiteSearch._resolve` takes it: ``("wpcom",)``,
#: ``("core", base index, route)`` or ``("html",)``.
Method = tuple[Any, ...]


class WordPressSiteSearch(PlatformSpider):
    """The site searches of the ``wordpress`` spider, and the request and hit helpers it shares
    with the Reader (no ``name``: Scrapy lists the spider, not this base)."""

    per_page: int  # results per page of a site search
    site_queries: list[str]  # every watched name, the first one the probe
    _sites: set[str]  # hosts whose search has started
    _site_refs: dict[str, SiteRef]  # what the Reader said about each site searched

    def _stat(self, key: str) -> None:
        self.crawler.stats.inc_value(f"lurewatch/wordpress/{key}")

    def _request(
        self, url: str, callback: Callable[..., Any], pending: Sequence[str] = (), **kwargs: Any
    ) -> Request:
        meta: dict[str, Any] = {"handle_httpstatus_list": HANDLED_ERRORS}
        if pending:
            meta[PENDING_META] = list(pending)
        return Request(url, callback=callback, cb_kwargs=kwargs, meta=meta, errback=self._failed)

    def _failed(self, failure: Any) -> Iterator[Request]:
        """A download failed (robots.txt, DNS, timeout): a failed probe or first listing page
        tries the site's next fallback."""
        self._stat("errors/ignored" if failure.check(IgnoreRequest) else "errors/download")
        logger.info("WordPress request failed: %s", failure.value, extra={"spider": self})
        request = getattr(failure, "request", None)
        site = request.cb_kwargs.get("site") if request is not None else None
        if request is None or not isinstance(site, SiteRef):
            return
        kwargs = request.cb_kwargs
        if request.meta.get(EXPANSION_META) and kwargs.get("page") == 1 and "base" in kwargs:
            yield self._listing_fallback(site, int(kwargs["base"]))
        elif request.meta.get(PENDING_META) and "base" in kwargs:
            self._stat("sites/method/probe_failed")
            yield from self._probe_fallback(request, site)

    def _probe_fallback(self, request: Request, site: SiteRef) -> Iterator[Request]:
        """The next rung after a core REST probe that could not be downloaded."""
        kwargs = request.cb_kwargs
        pending = list(request.meta.get(PENDING_META) or [])
        base = int(kwargs["base"])
        if base + 1 < len(site.rest_bases()):
            yield self._core_search(site, kwargs["query"], base + 1, kwargs["route"], pending)
            return
        self._stat("fallback/html")
        for query in [kwargs["query"], *pending]:
            yield self._html_search_request(site, query)

    def _api_error(self, response: Response, data: Any, endpoint: str) -> bool:
        """True (logged, counted) when ``response`` is an error; the code is ``data``'s error
        code."""
        if response.status < 400 and data is not None:
            return False
        code = wp.error_code(data)
        self._stat(f"errors/{code}")
        logger.info(
            "%s answered %s %s for %s",
            endpoint,
            response.status,
            code,
            response.url,
            extra={"spider": self},
        )
        return True

    def _hit_from(self, fields: PostFields, search: str) -> Hit | None:
        """The hit of a parsed post, ``None`` for a post without URL or already claimed."""
        url = fields["url"]
        if not url or not self.claim_post(url):
            return None
        return self._make_hit(fields, url, search)

    def _make_hit(self, fields: PostFields, url: str, search: str) -> Hit:
        return self.make_hit(
            url=url,
            blog=(urlsplit(url).hostname or "").lower(),
            title=fields["title"],
            html=fields["html"],
            published=fields["published"],
            tags=fields["tags"],
            post_id=fields["post_id"],
            search=search,
        )

    def site_requests(self, site: SiteRef) -> Iterator[Request]:
        """The first search request of each site query not yet run on ``site``.

        A site is searched for the bare name of every watched title (and alias), not the
        phrasings: site search ANDs words, so a bare name finds a superset of
        ``"{title} full movie"``, and a blog found selling one film's fake stream usually sells
        others.
        """
        if site.host in self._sites or not self.site_queries:
            return
        self._sites.add(site.host)
        self._site_refs[site.host] = site
        self._stat("sites/searched")
        # probe with the first query; the others wait until the probe has found the method that
        # works, so that a blocked or plain-permalink site costs one failed request, not one per
        # query
        first, *rest = self.site_queries
        if site.wpcom:
            yield self._wpcom_request(site, first, page_handle=None, page=1, pending=rest)
        else:
            yield self._core_search(site, first, 0, route="/wp/v2/search", pending=rest)

    def _resolve(self, site: SiteRef, method: Method, response: Response) -> Iterator[Request]:
        """Remember how ``site`` is searched and start the queries that waited for the probe.

        The waiting queries ride in the probe's meta (and its fallbacks'), so only the response
        to the probe chain starts them, once, whichever worker receives it.
        """
        pending = _pending(response)
        if not pending:
            return
        self._stat(f"sites/method/{method[0]}")
        for query in pending:
            if method[0] == "wpcom":
                yield self._wpcom_request(site, query, page_handle=None, page=1)
            elif method[0] == "core":
                yield self._core_search(site, query, method[1], route=method[2])
            elif method[0] == "html":
                yield self._html_search_request(site, query)

    def _wpcom_request(
        self,
        site: SiteRef,
        query: str,
        page_handle: str | None,
        page: int,
        pending: Sequence[str] = (),
    ) -> Request:
        url = wp.wpcom_search_url(site, query, self.per_page, page_handle)
        return self._request(
            url, self.parse_wpcom_posts, pending, site=site, query=query, page=page
        )

    async def parse_wpcom_posts(
        self, response: Response, site: SiteRef, query: str, page: int
    ) -> AsyncIterator[Any]:
        data = self.json(response)
        if self._api_error(response, data, "WordPress.com sites API") or not isinstance(
            data, dict
        ):
            # unknown_blog: not hosted there, try core REST
            if page == 1 and response.status in (403, 404):
                pending = _pending(response)
                yield self._core_search(site, query, 0, route="/wp/v2/search", pending=pending)
            return
        if page == 1:
            for request in self._resolve(site, ("wpcom",), response):
                yield request
        self._stat("wpcom/pages")
        for post in data.get("posts") or []:
            if not isinstance(post, dict):
                continue
            hit = self._hit_from(wp.wpcom_post_fields(post), query)
            if hit is not None:
                yield await self.complete_hit(hit)
        handle = (data.get("meta") or {}).get("next_page")
        if handle and page < self.plan.max_pages:
            yield self._wpcom_request(site, query, str(handle), page + 1)

    def cross_post_request(self, post: CrossPost, hit: Hit) -> Request | None:
        """Another WordPress.com blog's post linked from ``hit``, fetched as a post page."""
        if not self.claim_post(post.url):
            return None
        self._stat("cross_posts/wpcom")
        return self._request(post.url, self.parse_post_page, query=f"link:{hit.url}")

    async def complete_hit(self, hit: Hit) -> Hit:
        """As every platform's, then: a landing page that a self-hosted WordPress serves (its
        generator meta or REST link) at a post permalink is another blog's post: crawled too."""
        hit = await super().complete_hit(hit)
        if self.expansion.cross_posts:
            for page in hit.landing_pages:
                url = page.final_url or page.url
                if page.error or not page.html or not wp.is_post_permalink(url):
                    continue
                host = (urlsplit(url).hostname or "").lower()
                if host == hit.blog or not wp.is_wordpress_page(page.html):
                    continue
                if self.claim_post(url):
                    self._site_refs.setdefault(host, SiteRef(host))
                    self._stat("cross_posts/self_hosted")
                    request = self._request(url, self.parse_post_page, query=f"link:{hit.url}")
                    request.meta[CROSS_POST_META] = hit.url
                    self.schedule(request)
        return hit

    def expansion_requests(self, hit: Hit) -> Iterator[Request]:
        """A site with a hit: its recent posts, whatever their titles say (see the module
        docstring)."""
        host = hit.blog.lower()
        site = self._site_refs.get(host) or SiteRef.from_setting(host)
        if site.wpcom:
            yield self._wpcom_listing(site, None, 1)
        else:
            yield self._listing_request(site, 0)

    def _wpcom_listing(self, site: SiteRef, page_handle: str | None, page: int) -> Request:
        url = wp.wpcom_posts_url(site, self.per_page, page_handle)
        return self._request(url, self.parse_wpcom_listing, site=site, page=page)

    async def parse_wpcom_listing(
        self, response: Response, site: SiteRef, page: int
    ) -> AsyncIterator[Any]:
        """A page of a WordPress.com site's recent posts (blog expansion)."""
        data = self.json(response)
        if self._api_error(response, data, "WordPress.com sites API") or not isinstance(
            data, dict
        ):
            if page == 1:  # not hosted there after all: core REST, then the feed
                yield self._listing_fallback(site, -1)
            return
        self._stat("expansion/pages")
        for post in data.get("posts") or []:
            if isinstance(post, dict):
                hit = self._hit_from(wp.wpcom_post_fields(post), f"blog:{site.host}")
                if hit is not None:
                    yield await self.complete_hit(hit)
        handle = (data.get("meta") or {}).get("next_page")
        if handle and page < self.expansion.pages:
            yield self.as_expansion(self._wpcom_listing(site, str(handle), page + 1), site.host)

    def _listing_request(self, site: SiteRef, base: int) -> Request:
        params = {"per_page": self.per_page, "page": 1, "_embed": "wp:term"}
        url = wp.rest_url(site.rest_bases()[base], "/wp/v2/posts", params)
        return self._request(url, self.parse_listing, site=site, base=base, page=1)

    def _listing_fallback(self, site: SiteRef, base: int) -> Request:
        """The rung after listing base ``base`` failed: the next REST base, else the feed."""
        if base + 1 < len(site.rest_bases()):
            request = self._listing_request(site, base + 1)
        else:
            self._stat("expansion/feed")
            url = wp.site_feed_url(site.host)
            request = self._request(
                url, self.parse_feed, site=site, query=f"blog:{site.host}", feed=url, page=1
            )
        return self.as_expansion(request, site.host)

    async def parse_listing(
        self, response: Response, site: SiteRef, base: int, page: int
    ) -> AsyncIterator[Any]:
        """A page of ``wp/v2/posts`` without search (blog expansion)."""
        data = self.json(response) if _is_json(response) else None
        if not isinstance(data, list):
            self._stat(f"errors/{wp.error_code(data)}")
            if page == 1:
                yield self._listing_fallback(site, base)
            return
        self._stat("expansion/pages")
        for item in data:
            if isinstance(item, dict):
                hit = self._hit_from(wp.core_post_fields(item), f"blog:{site.host}")
                if hit is not None:
                    yield await self.complete_hit(hit)
        nxt = self._core_next(response, page, self.expansion.pages)
        if nxt:
            request = self._request(nxt, self.parse_listing, site=site, base=base, page=page + 1)
            yield self.as_expansion(request, site.host)

    def _core_search(
        self, site: SiteRef, query: str, base: int, route: str, pending: Sequence[str] = ()
    ) -> Request:
        params: dict[str, Any] = {"search": query, "per_page": self.per_page, "page": 1}
        if route == "/wp/v2/search":
            params["type"] = "post"
        else:
            params["_embed"] = "wp:term"
        url = wp.rest_url(site.rest_bases()[base], route, params)
        return self._request(
            url,
            self.parse_core_list,
            pending,
            site=site,
            query=query,
            base=base,
            route=route,
            page=1,
        )

    async def parse_core_list(
        self, response: Response, site: SiteRef, query: str, base: int, route: str, page: int
    ) -> AsyncIterator[Any]:
        """A page of ``wp/v2/search`` or ``wp/v2/posts?search=`` from one REST base."""
        data = self.json(response) if _is_json(response) else None
        if not isinstance(data, list):
            for request in self._core_failed(response, data, site, query, base, route, page):
                yield request
            return
        if page == 1:
            for request in self._resolve(site, ("core", base, route), response):
                yield request
        self._stat(f"core/pages/{route.rsplit('/', 1)[-1]}")
        for item in data:
            async for out in self._core_item(item, route, query):
                yield out
        nxt = self._core_next(response, page)
        if nxt:
            yield self._request(
                nxt,
                self.parse_core_list,
                site=site,
                query=query,
                base=base,
                route=route,
                page=page + 1,
            )

    async def _core_item(self, item: Any, route: str, query: str) -> AsyncIterator[Any]:
        """One entry of a core listing: a whole post (``wp/v2/posts``), or a search result whose
        post is fetched through its ``_links.self``."""
        if not isinstance(item, dict):
            return
        if route == "/wp/v2/posts":
            hit = self._hit_from(wp.core_post_fields(item), query)
            if hit is not None:
                yield await self.complete_hit(hit)
            return
        href = wp.self_href(item)
        if item.get("type", "post") != "post" or not href:
            return
        if self.claim_post(str(item.get("url") or href)):
            url = add_or_replace_parameter(href, "_embed", "wp:term")
            yield self._request(url, self.parse_core_post, query=query)

    def _core_next(self, response: Response, page: int, budget: int = 0) -> str | None:
        if page >= (budget or self.plan.max_pages):
            return None
        link = (response.headers.get("Link") or b"").decode("latin-1")
        total_pages = (response.headers.get("X-WP-TotalPages") or b"0").decode("latin-1")
        return wp.core_next_url(response.url, link, total_pages, page)

    def _core_failed(
        self,
        response: Response,
        data: Any,
        site: SiteRef,
        query: str,
        base: int,
        route: str,
        page: int,
    ) -> Iterator[Request]:
        """Walk the fallback ladder: posts route, next REST base, then HTML search and feed."""
        code = wp.error_code(data)
        self._stat(f"errors/{code}")
        logger.info(
            "Core REST %s answered %s %s",
            response.url,
            response.status,
            code,
            extra={"spider": self},
        )
        if page > 1:  # rest_*_invalid_page_number and friends: this listing is over
            return
        pending = _pending(response)
        if code == "rest_no_route" and route == "/wp/v2/search":  # WordPress < 5.0
            yield self._core_search(site, query, base, route="/wp/v2/posts", pending=pending)
        elif response.status in BLOCKED:
            self._stat("fallback/rest_blocked")
            yield self._html_search_request(site, query)
            yield from self._resolve(site, ("html",), response)
        elif base + 1 < len(site.rest_bases()):
            self._stat("fallback/rest_route" if base == 0 else "fallback/wpcom_core")
            yield self._core_search(site, query, base + 1, route, pending=pending)
        else:
            self._stat("fallback/html")
            yield self._html_search_request(site, query)
            yield from self._resolve(site, ("html",), response)

    async def parse_core_post(self, response: Response, query: str) -> AsyncIterator[Any]:
        data = self.json(response)
        if self._api_error(response, data, "Core REST post") or not isinstance(data, dict):
            return
        fields = wp.core_post_fields(data)
        # a post without `link`: its REST URL is on the same site
        url = fields["url"] or response.url
        yield await self.complete_hit(self._make_hit(fields, url, query))

    def _html_search_request(self, site: SiteRef, query: str) -> Request:
        url = wp.html_search_url(site.host, query)
        return self._request(url, self.parse_html_search, site=site, query=query, page=1)

    def parse_html_search(
        self, response: Response, site: SiteRef, query: str, page: int
    ) -> Iterator[Request]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            self._stat(f"errors/html_search_{response.status}")
            if page == 1:
                yield self._feed_request(site, query, wp.search_feed_url(site.host, query), 1)
            return
        self._stat("html/pages")
        links, nxt, feed = wp.search_result_links(response.text, response.url)
        if page == 1:
            feed = feed or wp.search_feed_url(site.host, query)
            yield self._feed_request(site, query, feed, 1)
        for link in links:
            if self.claim_post(link):
                yield self._request(link, self.parse_post_page, query=query)
        if nxt and page < self.plan.max_pages:
            yield self._request(nxt, self.parse_html_search, site=site, query=query, page=page + 1)

    def _feed_request(self, site: SiteRef, query: str, url: str, page: int) -> Request:
        url = wp.feed_page_url(url, page)
        return self._request(url, self.parse_feed, site=site, query=query, feed=url, page=page)

    async def parse_feed(
        self, response: Response, site: SiteRef, query: str, feed: str, page: int
    ) -> AsyncIterator[Any]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            self._stat(f"errors/feed_{response.status}")
            return
        self._stat("feed/pages")
        items = wp.parse_feed(response.text)
        for fields in items:
            if not fields["html"]:  # excerpt-only feed: the permalink page has the body
                if fields["url"] and self.claim_post(fields["url"]):
                    yield self._request(fields["url"], self.parse_post_page, query=query)
                continue
            hit = self._hit_from(fields, query)
            if hit is not None:
                yield await self.complete_hit(hit)
        expansion = response.meta.get(EXPANSION_META)
        if items and page < (self.expansion.pages if expansion else self.plan.max_pages):
            request = self._feed_request(site, query, wp.feed_base(feed), page + 1)
            yield self.as_expansion(request, expansion) if expansion else request

    async def parse_post_page(self, response: Response, query: str) -> AsyncIterator[Any]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            self._stat(f"errors/post_page_{response.status}")
            return
        fields = wp.parse_post_page(response.text)
        yield await self.complete_hit(self._make_hit(fields, response.url, query))


def _pending(response: Response) -> list[str]:
    """The site queries that wait on the probe ``response`` answers (empty for non-probe
    requests)."""
    request = response.request
    return list(request.meta.get(PENDING_META) or []) if request is not None else []


def _is_json(response: Response) -> bool:
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    return "json" in content_type
