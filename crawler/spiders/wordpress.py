"""The ``wordpress`` spider: WordPress.com's Reader and native API, then core WordPress on the sites found.

For each watched title (and alias):

1. **Reader** (platform-wide, no auth): the v1.2 tag stream ``/rest/v1.2/read/tags/{slug}/posts`` for each tag
   phrasing and Reader search ``/rest/v1.2/read/search?q=`` for each query phrasing. Reader posts carry the
   full post, so each becomes a hit; their ``site_URL`` is a *discovered site* (self-hosted blogs appear as
   followed feeds, ``is_external: true``).
2. **Each discovered site** (and each of ``LUREWATCH_WORDPRESS_SITES``) is searched for that title's queries:
   WordPress.com-hosted sites through ``/rest/v1.1/sites/{site}/posts/?search=``; others (and WordPress.com
   sites the native API does not know) through core REST, on a ladder of bases tried in order until one
   answers JSON: ``https://host/wp-json/``, ``https://host/?rest_route=`` (plain permalinks, blocked
   ``/wp-json/``) and, for WordPress.com sites, ``public-api.wordpress.com/wp/v2/sites/{domain}``. Core REST
   uses ``wp/v2/search`` and fetches each result through ``_links.self`` with ``_embed=wp:term`` (tag names);
   a site without that route (WordPress < 5.0: ``404 rest_no_route``) is searched with
   ``wp/v2/posts?search=&_embed=wp:term`` instead.
3. **REST blocked** (401/403 from a security plugin) or no base answering: the HTML search ``/?s=`` (post
   permalinks fetched and parsed; classic and block themes) and its search feed (the ``rss+xml`` link in the
   search page's head, else ``/?s=<q>&feed=rss2``), whose ``content:encoded`` carries whole posts.

Every endpoint is paged up to ``plan.max_pages``: ``meta.next_page`` → ``page_handle`` or ``date_range.after``
→ ``before`` (Reader), ``offset`` (relevance search), ``meta.next_page`` (sites API), ``Link rel=next`` /
``X-WP-TotalPages`` (core REST), the theme's next link (HTML) and ``paged=N`` (feeds). Posts are deduplicated
on their permalink. Error bodies (``{"error", "message"}`` and ``{"code", "message", "data"}``) are logged and
counted under ``lurewatch/wordpress/errors/<code>``.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from parsel import Selector
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from w3lib.url import add_or_replace_parameter, add_or_replace_parameters

from crawler.spiders._base import PlatformSpider
from crawler.spiders.config import WordPressConfig
from pipelines.items import Hit
from pipelines.watchlists import Title

__all__ = [
    "SiteRef",
    "WordPressSpider",
    "clean_title",
    "parse_feed",
    "parse_link_header",
    "parse_post_page",
    "search_result_links",
    "tag_slug",
    "to_utc_iso",
]

logger = logging.getLogger(__name__)

API = "https://public-api.wordpress.com"
HANDLED_ERRORS = [400, 401, 403, 404, 410]  # error bodies we read (5xx and 429 go to Retry/RateLimit)
BLOCKED = (401, 403)
PENDING_META = "lurewatch_site_queries"  # the site queries waiting for this probe to find a search method

# --- plain parsing functions (Scrapy-free, unit-tested) -------------------------------------------------
def tag_slug(tag: str) -> str:
    """The WordPress.com tag slug of a phrasing (``"Iron Man 3 full movie"`` → ``iron-man-3-full-movie``)."""
    return re.sub(r"[^\w]+", "-", tag.casefold()).strip("-_")


def clean_title(title: str) -> str:
    """A rendered WordPress title as plain text: tags stripped, entities decoded, whitespace collapsed."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", title or "")).split())


def to_utc_iso(value: str | None, assume_utc: bool = True) -> str | None:
    """ISO 8601 in UTC from WordPress's date forms (``2024-05-01T10:34:56`` GMT, ``…+02:00``, RFC 822)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError):
            return None
    if moment.tzinfo is None:
        if not assume_utc:
            return None
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_link_header(value: str) -> dict[str, str]:
    """``Link: <url>; rel="next", <url>; rel="prev"`` → ``{"next": url, "prev": url}``."""
    links: dict[str, str] = {}
    for match in re.finditer(r'<([^>]*)>\s*;\s*([^,]*(?:"[^"]*"[^,]*)*)', value or ""):
        rel = re.search(r'rel\s*=\s*"?([^";]+)"?', match.group(2))
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name, match.group(1))
    return links


def _terms_from_embed(post: dict[str, Any], taxonomy: str = "post_tag") -> list[str]:
    groups = (post.get("_embedded") or {}).get("wp:term") or []
    return [
        t["name"]
        for group in groups
        if isinstance(group, list)
        for t in group
        if isinstance(t, dict) and t.get("taxonomy") == taxonomy and t.get("name")
    ]


def _rendered(value: Any) -> str:
    return str(value.get("rendered") or "") if isinstance(value, dict) else str(value or "")


def core_post_fields(post: dict[str, Any]) -> dict[str, Any]:
    """The hit fields of a ``wp/v2/posts`` object (tag names need ``_embed``; absent tags stay empty)."""
    published = to_utc_iso(post.get("date_gmt")) or to_utc_iso(post.get("date"))
    return {
        "url": str(post.get("link") or ""),
        "title": clean_title(_rendered(post.get("title"))),
        "html": _rendered(post.get("content")),
        "published": published,
        "tags": _terms_from_embed(post),
        "post_id": str(post.get("id") or ""),
    }


def wpcom_post_fields(post: dict[str, Any]) -> dict[str, Any]:
    """The hit fields of a WordPress.com v1.1 post (tags are an object keyed by tag name)."""
    tags = post.get("tags") or {}
    names = [str(t.get("name") or k) for k, t in tags.items()] if isinstance(tags, dict) else []
    return {
        "url": str(post.get("URL") or ""),
        "title": clean_title(str(post.get("title") or "")),
        "html": str(post.get("content") or ""),
        "published": to_utc_iso(post.get("date")),
        "tags": names,
        "post_id": str(post.get("ID") or ""),
    }


def parse_feed(xml: str) -> list[dict[str, Any]]:
    """RSS 2.0 items as hit fields (``content:encoded``, else ``description``; categories as tags)."""
    selector = Selector(text=xml, type="xml")
    selector.register_namespace("content", "http://purl.org/rss/1.0/modules/content/")
    items = []
    for item in selector.xpath("//channel/item"):
        guid = item.xpath("guid/text()").get() or ""
        post_id = re.search(r"[?&]p=(\d+)", guid)
        items.append(
            {
                "url": (item.xpath("link/text()").get() or "").strip(),
                "title": clean_title(item.xpath("title/text()").get() or ""),
                "html": item.xpath("content:encoded/text()").get() or "",
                "published": to_utc_iso(item.xpath("pubDate/text()").get()),
                "tags": [c.strip() for c in item.xpath("category/text()").getall() if c.strip()],
                "post_id": post_id.group(1) if post_id else None,
            }
        )
    return items


_TAG_XPATH = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')"
    " and not(contains(concat(' ', normalize-space(@rel), ' '), ' category '))]"
)


def parse_post_page(page: str) -> dict[str, Any]:
    """Hit fields of a post permalink page, classic or block theme (``url`` from ``rel=canonical``)."""
    sel = Selector(text=page)
    title = (
        sel.css("h1.entry-title, h1.wp-block-post-title").xpath("string()").get()
        or sel.css('meta[property="og:title"]::attr(content)').get()
        or sel.css("title::text").get()
        or ""
    )
    body = sel.css("div.entry-content, div.wp-block-post-content").get() or ""
    published = (
        sel.css('meta[property="article:published_time"]::attr(content)').get()
        or sel.css("time.published::attr(datetime), time::attr(datetime)").get()
    )
    tags = [" ".join(t.split()) for t in sel.xpath(_TAG_XPATH).xpath("string()").getall() if t.strip()]
    post_id = re.search(r"\bpostid-(\d+)\b", sel.css("body::attr(class)").get() or "")
    return {
        "url": sel.css('link[rel="canonical"]::attr(href)').get() or "",
        "title": clean_title(title),
        "html": body,
        "published": to_utc_iso(published, assume_utc=False),
        "tags": list(dict.fromkeys(tags)),
        "post_id": post_id.group(1) if post_id else None,
    }


def search_result_links(page: str, base_url: str) -> tuple[list[str], str | None, str | None]:
    """A ``/?s=`` page: post permalinks, the next page (theme link or ``rel=next``), the search feed URL."""
    sel = Selector(text=page, base_url=base_url)
    hrefs = sel.css(
        "h2.entry-title a[rel~=bookmark]::attr(href), .entry-title a::attr(href), "
        "h2.wp-block-post-title a::attr(href), .wp-block-post-title a::attr(href)"
    ).getall()
    links = list(dict.fromkeys(_join(base_url, h) for h in hrefs))
    nxt = sel.css(
        "a.next.page-numbers::attr(href), a.wp-block-query-pagination-next::attr(href), "
        'link[rel="next"]::attr(href)'
    ).get()
    feeds = sel.css('link[rel="alternate"][type="application/rss+xml"]::attr(href)').getall()
    feed = next((f for f in feeds if "search" in f or "s=" in f), None)
    return links, _join(base_url, nxt) if nxt else None, _join(base_url, feed) if feed else None


def _join(base: str, href: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, htmllib.unescape(href.strip()))


# --- sites ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteRef:
    """A WordPress site to search: its host, and whether WordPress.com hosts it (native API known)."""

    host: str
    wpcom: bool = False
    site_id: str = ""

    @classmethod
    def from_reader(cls, post: dict[str, Any]) -> SiteRef | None:
        host = urlsplit(str(post.get("site_URL") or post.get("URL") or "")).hostname
        if not host:
            return None
        external = bool(post.get("is_external"))
        site_id = str(post.get("site_ID") or "")
        return cls(host.lower(), wpcom=not external, site_id="" if external or site_id == "0" else site_id)

    @classmethod
    def from_setting(cls, value: str) -> SiteRef:
        host = urlsplit(value if "//" in value else f"https://{value}").hostname or value
        return cls(host.lower(), wpcom=host.lower().endswith(".wordpress.com"))

    def rest_bases(self) -> list[str]:
        """The core REST bases tried in order (see the module docstring)."""
        bases = [f"https://{self.host}/wp-json", f"https://{self.host}/?rest_route="]
        if self.wpcom:
            bases.append(f"{API}/wp/v2/sites/{self.host}")
        return bases


def rest_url(base: str, route: str, params: dict[str, Any]) -> str:
    """``route`` (``/wp/v2/search``) under a base; ``?rest_route=`` bases take the route as a parameter."""
    query = urlencode(params)
    if base.endswith("rest_route="):
        return f"{base}{quote(route, safe='/')}" + (f"&{query}" if query else "")
    if base.startswith(f"{API}/wp/v2/sites/"):
        route = route.removeprefix("/wp/v2")
    return f"{base}{route}" + (f"?{query}" if query else "")


def _error_code(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("code") or data.get("error") or "unknown")
    return "not_json"


# --- the spider -------------------------------------------------------------------------------------------
class WordPressSpider(PlatformSpider):
    """Searches WordPress.com's Reader and the WordPress sites it surfaces (see the module docstring)."""

    name = "wordpress"
    platform = "wordpress"
    # each async callback's output is processed by CONCURRENT_ITEMS asyncio tasks: 100 (the default) per
    # Reader page costs more CPU than the pages themselves, and our callbacks yield a handful of objects
    custom_settings = {"CONCURRENT_ITEMS": 16}  # noqa: RUF012 - Scrapy declares it as an instance attribute

    def _configure(self, crawler: Crawler) -> None:
        super()._configure(crawler)
        config = WordPressConfig.from_settings(crawler.settings)
        self.known_sites = [SiteRef.from_setting(site) for site in config.sites]
        self.per_page = config.per_page
        self.reader_number = config.reader_number
        self.reader_search = config.reader_search
        self.site_queries = list(dict.fromkeys(name for title in self.titles for name in title.names))
        self._sites: set[str] = set()  # hosts whose search has started

    # --- helpers ------------------------------------------------------------------------------------------
    def _stat(self, key: str) -> None:
        self.crawler.stats.inc_value(f"lurewatch/wordpress/{key}")

    def _request(self, url: str, callback: Any, pending: Sequence[str] = (), **kwargs: Any) -> Request:
        meta: dict[str, Any] = {"handle_httpstatus_list": HANDLED_ERRORS}
        if pending:
            meta[PENDING_META] = list(pending)
        return Request(url, callback=callback, cb_kwargs=kwargs, meta=meta, errback=self._failed)

    def _failed(self, failure: Any) -> None:
        """A download failed (robots.txt, DNS, timeout): a failed probe drops the site's waiting queries."""
        self._stat("errors/ignored" if failure.check(IgnoreRequest) else "errors/download")
        logger.info("WordPress request failed: %s", failure.value, extra={"spider": self})
        site = failure.request.cb_kwargs.get("site") if getattr(failure, "request", None) else None
        if isinstance(site, SiteRef) and failure.request.meta.get(PENDING_META):
            self._stat("sites/method/failed")  # its waiting queries are dropped with it

    def _api_error(self, response: Response, data: Any, endpoint: str) -> bool:
        """True (logged, counted) when ``response`` is an error; the code is ``data``'s error code."""
        if response.status < 400 and data is not None:
            return False
        code = _error_code(data)
        self._stat(f"errors/{code}")
        logger.info(
            "%s answered %s %s for %s", endpoint, response.status, code, response.url, extra={"spider": self}
        )
        return True

    def _hit_from(self, fields: dict[str, Any], search: str) -> Hit | None:
        url = fields.get("url") or ""
        if not url or not self.claim_post(url):
            return None
        host = (urlsplit(url).hostname or "").lower()
        return self.make_hit(
            url=url,
            blog=host,
            title=fields["title"],
            html=fields["html"],
            published=fields["published"],
            tags=fields["tags"],
            post_id=fields.get("post_id"),
            search=search,
        )

    def _phrasings(self, title: Title) -> tuple[list[str], list[str]]:
        """Query and tag phrasings of the title and its aliases, deduplicated.

        Tags are deduplicated by slug: the Reader has one tag stream per slug.
        """
        queries: list[str] = []
        tags: dict[str, str] = {}
        for name in title.names:
            variant = replace(title, title=name)
            queries += [q for q in self.plan.queries_for(variant) if q not in queries]
            for tag in self.plan.tags_for(variant):
                tags.setdefault(tag_slug(tag), tag)
        return queries, list(tags.values())

    # --- start --------------------------------------------------------------------------------------------
    def search_requests(self, title: Title) -> Iterable[Request]:
        queries, tags = self._phrasings(title)
        for tag in tags:
            url = f"{API}/rest/v1.2/read/tags/{quote(tag_slug(tag))}/posts?number={self.reader_number}"
            yield self._request(url, self.parse_reader, label=tag, queries=queries, page=1)
        for query in queries if self.reader_search else ():
            params = {"q": query, "sort": "relevance", "number": self.reader_number, "offset": 0}
            yield self._request(
                f"{API}/rest/v1.2/read/search?{urlencode(params)}",
                self.parse_reader,
                label=query,
                queries=queries,
                page=1,
            )
        for site in self.known_sites:
            yield from self.site_requests(site)

    def site_requests(self, site: SiteRef) -> Iterator[Request]:
        """The first search request of each site query not yet run on ``site``.

        A site is searched for the bare name of every watched title (and alias), not the phrasings: site
        search ANDs words, so a bare name finds a superset of ``"{title} full movie"``, and a blog found
        selling one film's fake stream usually sells others.
        """
        if site.host in self._sites or not self.site_queries:
            return
        self._sites.add(site.host)
        self._stat("sites/searched")
        # probe with the first query; the others wait until the probe has found the method that works,
        # so that a blocked or plain-permalink site costs one failed request, not one per query
        first, *rest = self.site_queries
        if site.wpcom:
            yield self._wpcom_request(site, first, page_handle=None, page=1, pending=rest)
        else:
            yield self._core_search(site, first, 0, route="/wp/v2/search", pending=rest)

    def _resolve(self, site: SiteRef, method: tuple[Any, ...], response: Response) -> Iterator[Request]:
        """Remember how ``site`` is searched and start the queries that waited for the probe.

        The waiting queries ride in the probe's meta (and its fallbacks'), so only the response to the
        probe chain starts them, once, whichever worker receives it.
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

    # --- Reader -------------------------------------------------------------------------------------------
    async def parse_reader(
        self, response: Response, label: str, queries: list[str], page: int
    ) -> AsyncIterator[Any]:
        data = self.json(response)
        if self._api_error(response, data, "Reader") or not isinstance(data, dict):
            return
        posts = [p for p in data.get("posts") or [] if isinstance(p, dict)]
        self._stat("reader/pages")
        for post in posts:
            site = SiteRef.from_reader(post)
            if site is not None:
                for request in self.site_requests(site):
                    yield request
            hit = self._hit_from(wpcom_post_fields(post), label)
            if hit is not None:
                yield await self.complete_hit(hit)
        nxt = self._reader_next(response.url, data, len(posts), page)
        if nxt:
            yield self._request(nxt, self.parse_reader, label=label, queries=queries, page=page + 1)

    def _reader_next(self, url: str, data: dict[str, Any], count: int, page: int) -> str | None:
        """The next Reader page: ``page_handle``, else ``before = date_range.after``, else ``offset``."""
        if page >= self.plan.max_pages or not count:
            return None
        handle = (data.get("meta") or {}).get("next_page") or data.get("next_page")
        if handle:
            return add_or_replace_parameter(url, "page_handle", str(handle))
        date_range = data.get("date_range")
        if isinstance(date_range, dict) and date_range.get("after"):
            return (
                add_or_replace_parameter(url, "before", str(date_range["after"]))
                if count >= self.reader_number
                else None
            )
        if "offset=" in url and count >= self.reader_number:
            return add_or_replace_parameter(url, "offset", str(page * self.reader_number))
        return None

    # --- WordPress.com sites API --------------------------------------------------------------------------
    def _wpcom_request(
        self, site: SiteRef, query: str, page_handle: str | None, page: int, pending: Sequence[str] = ()
    ) -> Request:
        params: dict[str, Any] = {"search": query, "number": self.per_page}
        if page_handle:
            params["page_handle"] = page_handle
        url = f"{API}/rest/v1.1/sites/{quote(site.site_id or site.host)}/posts/?{urlencode(params)}"
        return self._request(url, self.parse_wpcom_posts, pending, site=site, query=query, page=page)

    async def parse_wpcom_posts(
        self, response: Response, site: SiteRef, query: str, page: int
    ) -> AsyncIterator[Any]:
        data = self.json(response)
        if self._api_error(response, data, "WordPress.com sites API") or not isinstance(data, dict):
            if page == 1 and response.status in (403, 404):  # unknown_blog: not hosted there, try core REST
                yield self._core_search(site, query, 0, route="/wp/v2/search", pending=_pending(response))
            return
        if page == 1:
            for request in self._resolve(site, ("wpcom",), response):
                yield request
        self._stat("wpcom/pages")
        for post in data.get("posts") or []:
            hit = self._hit_from(wpcom_post_fields(post), query) if isinstance(post, dict) else None
            if hit is not None:
                yield await self.complete_hit(hit)
        handle = (data.get("meta") or {}).get("next_page")
        if handle and page < self.plan.max_pages:
            yield self._wpcom_request(site, query, str(handle), page + 1)

    # --- core REST ----------------------------------------------------------------------------------------
    def _core_search(
        self, site: SiteRef, query: str, base: int, route: str, pending: Sequence[str] = ()
    ) -> Request:
        params: dict[str, Any] = {"search": query, "per_page": self.per_page, "page": 1}
        if route == "/wp/v2/search":
            params["type"] = "post"
        else:
            params["_embed"] = "wp:term"
        url = rest_url(site.rest_bases()[base], route, params)
        return self._request(
            url, self.parse_core_list, pending, site=site, query=query, base=base, route=route, page=1
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
                nxt, self.parse_core_list, site=site, query=query, base=base, route=route, page=page + 1
            )

    async def _core_item(self, item: Any, route: str, query: str) -> AsyncIterator[Any]:
        if not isinstance(item, dict):
            return
        if route == "/wp/v2/posts":
            hit = self._hit_from(core_post_fields(item), query)
            if hit is not None:
                yield await self.complete_hit(hit)
            return
        href = ((item.get("_links") or {}).get("self") or [{}])[0].get("href")
        if item.get("type", "post") == "post" and href and self.claim_post(str(item.get("url") or href)):
            yield self._request(
                add_or_replace_parameter(href, "_embed", "wp:term"), self.parse_core_post, query=query
            )

    def _core_next(self, response: Response, page: int) -> str | None:
        if page >= self.plan.max_pages:
            return None
        links = parse_link_header((response.headers.get("Link") or b"").decode("latin-1"))
        if "next" in links:
            return links["next"]
        total_pages = int(response.headers.get("X-WP-TotalPages", b"0") or 0)
        return add_or_replace_parameter(response.url, "page", str(page + 1)) if page < total_pages else None

    def _core_failed(
        self, response: Response, data: Any, site: SiteRef, query: str, base: int, route: str, page: int
    ) -> Iterator[Request]:
        """Walk the fallback ladder: posts route, next REST base, then HTML search and feed."""
        code = _error_code(data)
        self._stat(f"errors/{code}")
        logger.info(
            "Core REST %s answered %s %s", response.url, response.status, code, extra={"spider": self}
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
        fields = core_post_fields(data)
        url = fields["url"] or response.url  # a post without `link`: its REST URL is on the same site
        hit = self.make_hit(
            url=url,
            blog=(urlsplit(url).hostname or "").lower(),
            title=fields["title"],
            html=fields["html"],
            published=fields["published"],
            tags=fields["tags"],
            post_id=fields["post_id"],
            search=query,
        )
        yield await self.complete_hit(hit)

    # --- HTML search and search feed ----------------------------------------------------------------------
    def _html_search_request(self, site: SiteRef, query: str) -> Request:
        url = f"https://{site.host}/?{urlencode({'s': query})}"
        return self._request(url, self.parse_html_search, site=site, query=query, page=1)

    def parse_html_search(
        self, response: Response, site: SiteRef, query: str, page: int
    ) -> Iterator[Request]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            self._stat(f"errors/html_search_{response.status}")
            if page == 1:
                yield self._feed_request(
                    site, query, f"https://{site.host}/?{urlencode({'s': query, 'feed': 'rss2'})}", 1
                )
            return
        self._stat("html/pages")
        links, nxt, feed = search_result_links(response.text, response.url)
        if page == 1:
            feed = feed or f"https://{site.host}/?{urlencode({'s': query, 'feed': 'rss2'})}"
            yield self._feed_request(site, query, feed, 1)
        for link in links:
            if self.claim_post(link):
                yield self._request(link, self.parse_post_page, query=query)
        if nxt and page < self.plan.max_pages:
            yield self._request(nxt, self.parse_html_search, site=site, query=query, page=page + 1)

    def _feed_request(self, site: SiteRef, query: str, url: str, page: int) -> Request:
        if page > 1:
            url = add_or_replace_parameters(url, {"paged": str(page)})
        return self._request(url, self.parse_feed, site=site, query=query, feed=url, page=page)

    async def parse_feed(
        self, response: Response, site: SiteRef, query: str, feed: str, page: int
    ) -> AsyncIterator[Any]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            self._stat(f"errors/feed_{response.status}")
            return
        self._stat("feed/pages")
        items = parse_feed(response.text)
        for fields in items:
            if not fields["html"]:  # excerpt-only feed: the permalink page has the body
                if fields["url"] and self.claim_post(fields["url"]):
                    yield self._request(fields["url"], self.parse_post_page, query=query)
                continue
            hit = self._hit_from(fields, query)
            if hit is not None:
                yield await self.complete_hit(hit)
        if items and page < self.plan.max_pages:
            base = re.sub(r"[?&]paged=\d+", "", feed)
            yield self._feed_request(site, query, base, page + 1)

    async def parse_post_page(self, response: Response, query: str) -> AsyncIterator[Any]:
        if response.status >= 400 or not isinstance(response, TextResponse):
            self._stat(f"errors/post_page_{response.status}")
            return
        fields = parse_post_page(response.text)
        url = response.url
        hit = self.make_hit(
            url=url,
            blog=(urlsplit(url).hostname or "").lower(),
            title=fields["title"],
            html=fields["html"],
            published=fields["published"],
            tags=fields["tags"],
            post_id=fields["post_id"],
            search=query,
        )
        yield await self.complete_hit(hit)


def _pending(response: Response) -> list[str]:
    """The site queries that wait on the probe ``response`` answers (empty for non-probe requests)."""
    request = response.request
    return list(request.meta.get(PENDING_META) or []) if request is not None else []


def _is_json(response: Response) -> bool:
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    return "json" in content_type
