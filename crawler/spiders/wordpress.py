"""The ``wordpress`` spider: WordPress.com's Reader and native API, then core WordPress on the
sites found.

For each watched title (and alias):

1. **Reader** (platform-wide, no auth): the v1.2 tag stream ``/rest/v1.2/read/tags/{slug}/posts``
   for each tag phrasing and Reader search ``/rest/v1.2/read/search?q=`` for each query
   phrasing. Reader posts carry the full post, so each becomes a hit; their ``site_URL`` is a
   *discovered site* (self-hosted blogs appear as followed feeds, ``is_external: true``).
2. **Each discovered site** (and each of ``LUREWATCH_WORDPRESS_SITES``) is searched for that
   title's queries: WordPress.com-hosted sites through ``/rest/v1.1/sites/{site}/posts/?search=``;
   others (and WordPress.com sites the native API does not know) through core REST, on a ladder
   of bases tried in order until one answers JSON: ``https://host/wp-json/``,
   ``https://host/?rest_route=`` (plain permalinks, blocked ``/wp-json/``) and, for WordPress.com
   sites, ``public-api.wordpress.com/wp/v2/sites/{domain}``. Core REST uses ``wp/v2/search`` and
   fetches each result through ``_links.self`` with ``_embed=wp:term`` (tag names); a site
   without that route (WordPress < 5.0: ``404 rest_no_route``) is searched with
   ``wp/v2/posts?search=&_embed=wp:term`` instead.
3. **REST blocked** (401/403 from a security plugin) or no base answering: the HTML search
   ``/?s=`` (post permalinks fetched and parsed; classic and block themes) and its search feed
   (the ``rss+xml`` link in the search page's head, else ``/?s=<q>&feed=rss2``), whose
   ``content:encoded`` carries whole posts.

Every endpoint is paged up to ``plan.max_pages``: ``meta.next_page`` → ``page_handle`` or
``date_range.after`` → ``before`` (Reader), ``offset`` (relevance search), ``meta.next_page``
(sites API), ``Link rel=next`` / ``X-WP-TotalPages`` (core REST), the theme's next link (HTML)
and ``paged=N`` (feeds). Posts are deduplicated on their permalink. Error bodies (``{"error",
"message"}`` and ``{"code", "message", "data"}``) are logged and counted under
``lurewatch/wordpress/errors/<code>``. The answers are read by :mod:`crawler.parsers.wordpress`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.parsers import wordpress as wp
from crawler.parsers.wordpress import SiteRef
from crawler.spiders._wordpress_sites import WordPressSiteSearch
from crawler.spiders.config import WordPressConfig
from pipelines.watchlists import Title

__all__ = ["WordPressSpider"]


class WordPressSpider(WordPressSiteSearch):
    """Searches WordPress.com's Reader and the WordPress sites it surfaces (see the module
    docstring)."""

    name = "wordpress"
    platform = "wordpress"
    # each async callback's output is processed by CONCURRENT_ITEMS asyncio tasks: 100 (the
    # default) per Reader page costs more CPU than the pages themselves, and our callbacks yield
    # a handful of objects
    custom_settings = {"CONCURRENT_ITEMS": 16}  # noqa: RUF012 - Scrapy reads this class attribute

    def _configure(self, crawler: Crawler) -> None:
        super()._configure(crawler)
        config = WordPressConfig.from_settings(crawler.settings)
        self.known_sites = [SiteRef.from_setting(site) for site in config.sites]
        self.per_page = config.per_page
        self.reader_number = config.reader_number
        self.reader_search = config.reader_search
        self.site_queries = _every_name(self.titles)
        self._sites = set()
        self._site_refs = {}

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
                tags.setdefault(wp.tag_slug(tag), tag)
        return queries, list(tags.values())

    def search_requests(self, title: Title) -> Iterable[Request]:
        queries, tags = self._phrasings(title)
        for tag in tags:
            url = wp.reader_tag_url(tag, self.reader_number)
            yield self._request(url, self.parse_reader, label=tag, queries=queries, page=1)
        if self.reader_search:
            for query in queries:
                url = wp.reader_search_url(query, self.reader_number)
                yield self._request(url, self.parse_reader, label=query, queries=queries, page=1)
        for site in self.known_sites:
            yield from self.site_requests(site)

    async def parse_reader(
        self, response: Response, label: str, queries: list[str], page: int
    ) -> AsyncIterator[Any]:
        data = self.json(response)
        if self._api_error(response, data, "Reader") or not isinstance(data, dict):
            return
        posts = [post for post in data.get("posts") or [] if isinstance(post, dict)]
        self._stat("reader/pages")
        for post in posts:
            site = SiteRef.from_reader(post)
            if site is not None:
                for request in self.site_requests(site):
                    yield request
            hit = self._hit_from(wp.wpcom_post_fields(post), label)
            if hit is not None:
                yield await self.complete_hit(hit)
        nxt = self._reader_next(response.url, data, len(posts), page)
        if nxt:
            yield self._request(
                nxt, self.parse_reader, label=label, queries=queries, page=page + 1
            )

    def _reader_next(self, url: str, data: dict[str, Any], count: int, page: int) -> str | None:
        """The next Reader page (:func:`~crawler.parsers.wordpress.reader_next_url`), within
        ``max_pages``."""
        if page >= self.plan.max_pages:
            return None
        return wp.reader_next_url(url, data, count, self.reader_number, page)


def _every_name(titles: list[Title]) -> list[str]:
    """Each name and alias of the watched titles, once, in watchlist order."""
    names: dict[str, None] = {}
    for title in titles:
        names.update(dict.fromkeys(title.names))
    return list(names)
