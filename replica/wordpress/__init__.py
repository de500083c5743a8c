"""Replica routes for WordPress: WordPress.com's public API and core WordPress on every blog host.

Faithful to ``platforms.md`` sections 2 and 3 (envelopes, pagination, headers, error bodies):

``public-api.wordpress.com`` (:mod:`replica.wordpress.wpcom`)
  - ``/rest/v1.1|v1.2/read/tags/{tag}/posts``: the Reader tag stream over the WordPress.com-hosted
    blogs (``kind`` ``wpcom``/``atomic``) and the self-hosted ones connected through Jetpack
    (option ``jetpack``), each as itself (``is_external: false``, its site ID). A self-hosted blog
    without Jetpack is in no tag stream: only links, or configuration, lead a crawler to it.
    ``number`` 10 (at most 40), ``before``/``after`` (ISO 8601, exclusive), ``page_handle`` (v1.2).
    Replies carry ``date_range``; v1.2 adds ``meta.next_page``.
  - ``/rest/v1.1/sites/{site}/posts/``: site by ID or domain; WordPress.com-hosted blogs (and
    self-hosted ones with option ``jetpack``) only, anything else is ``404 unknown_blog``.
    ``number`` <= 100, else ``400 invalid_number``; ``meta.next_page`` goes back as
    ``page_handle``; ``http_envelope=1`` wraps errors in a 200.
  - ``/rest/v1.2/read/search?q=``: undocumented [U]. Decision: served **anonymously** (logged-out
    Reader search on wordpress.com works in a browser), relevance order, ``date_range: null``,
    paged by ``offset``; with ``sort=date`` it pages like the tag stream. A request without ``q``
    is ``400 missing_query``.
  - ``/wp/v2/sites/{domain}/…``: core REST for WordPress.com-hosted blogs (custom-domain simple
    sites).

Every WordPress blog host (``*.wordpress.com``, custom domains, self-hosted;
:mod:`replica.wordpress.hosts`)
  - core REST under ``/wp-json/`` and ``/?rest_route=`` (:mod:`replica.wordpress.rest`): index,
    ``wp/v2/search``, ``wp/v2/posts``, ``wp/v2/posts/{id}``, ``wp/v2/tags``, ``wp/v2/categories``,
    ``wp/v2/users/{id}``; ``X-WP-Total``, ``X-WP-TotalPages``, ``Link`` next/prev; ``_embed``;
    WordPress's error bodies;
  - HTML search ``/?s=``, ``/page/N/?s=``, ``?paged=N``, ``/search/<q>/`` in a classic or a block
    theme; post permalink pages; the search feed ``/search/<q>/feed/rss2/`` and
    ``/?s=<q>&feed=rss2``; virtual robots.txt (:mod:`replica.wordpress.pages`).

Blog options honoured: ``rest_blocked`` (REST answers ``401 rest_not_logged_in``),
``plain_permalinks`` (no rewrite rules: ``/wp-json/``, ``/page/N/``, ``/search/…`` and pretty
permalinks are 404; query-string forms work), ``robots_disallow_all``, ``theme``
(``classic``|``block``), ``posts_per_page`` and ``posts_per_rss`` (10), ``gmt_offset`` (hours),
``wp_version`` (below 5.0: no ``wp/v2/search`` route), ``jetpack``.

Every request is counted in ``router.wordpress.log`` as ``(endpoint, page)`` where ``page`` is 1
for a first page and 2+ for any later page (cursor pages count as 2), so tests can assert that
pagination was exercised.
"""

from __future__ import annotations

import re

from replica.dataset import Dataset
from replica.http import Router
from replica.wordpress.hosts import BlogHost, wpcom_core_route
from replica.wordpress.model import API_HOST, WordPressReplica, slugify
from replica.wordpress.pages import HtmlPages
from replica.wordpress.rest import CoreRest
from replica.wordpress.wpcom import WpcomApi

__all__ = ["WordPressReplica", "register", "slugify"]

_READER_TAGS = r"/rest/v(?P<version>1\.1|1\.2)/read/tags/(?P<tag>[^/]+)/posts/?"


def register(router: Router, dataset: Dataset) -> None:
    """Register WordPress.com's public API and every WordPress blog host of ``dataset``."""
    wp = WordPressReplica.build(dataset)
    router.wordpress = wp  # type: ignore[attr-defined]  # tests read the request log here
    api = WpcomApi(wp)
    rest = CoreRest(wp)
    pages = HtmlPages(wp)
    api_host = re.escape(API_HOST)
    router.add(api_host, _READER_TAGS, api.reader_tag)
    router.add(api_host, r"/rest/v1\.[23]/read/search/?", api.reader_search)
    router.add(api_host, r"/rest/v1\.[12]/sites/(?P<site>[^/]+)/posts/?", api.site_posts)
    router.add(
        api_host, r"/wp/v2/sites/(?P<domain>[^/]+)(?P<route>/.*)?", wpcom_core_route(wp, rest)
    )
    hosts = set(wp.sites)
    hosts |= {
        f"{s.blog.name.lower()}.wordpress.com"
        for s in wp.sites.values()
        if s.blog.kind == "atomic" and "." not in s.blog.name
    }
    if hosts:
        pattern = "(?:" + "|".join(re.escape(h) for h in sorted(hosts)) + ")"
        router.add(pattern, r"/.*", BlogHost(wp, rest, pages).handle)
