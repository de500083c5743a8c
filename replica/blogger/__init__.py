"""Replica routes for Blogger / Blogspot (``platforms.md`` §4): feeds, post pages, robots, API v3.

- ``{blog}.blogspot.com/feeds/posts/{default|summary}[/-/{Label}...]`` and the same feeds by blog
  id on ``www.blogger.com/feeds/{blogId}/posts/...`` (where ``rel=self``/``rel=next`` point;
  :mod:`replica.blogger.feeds`): ``alt=json`` (the GData JSON envelope, ``$t`` strings, numbers as
  strings, ``entry`` absent when empty), ``json-in-script``, ``rss`` and Atom (the default); ``q``,
  ``max-results`` (default 25, cap 150), ``start-index`` (1-based).
- Post pages ``/YYYY/MM/slug.html`` in the classic layout, with Blogger's own comment form ("Sign
  in with Google": legitimate, not a lure); ``/`` ; ``/search`` HTML, which the default robots.txt
  disallows (:mod:`replica.blogger.pages`).
- API v3 on ``www.googleapis.com/blogger/v3/`` and ``blogger.googleapis.com/v3/``
  (:mod:`replica.blogger.api`): ``blogs/byurl``, ``blogs/{id}``, ``blogs/{id}/posts``
  (``maxResults``, ``pageToken``), ``posts/search`` (``pageToken`` honoured, ``items`` absent when
  empty), ``posts/{id}``; Google's error envelope for a missing or invalid key
  (:mod:`replica.blogger.errors`).

Every request is appended to :attr:`BloggerReplica.log`, so tests can prove what a crawl did (and
did not) fetch.
"""

from __future__ import annotations

from replica.blogger.api import api_post, api_route
from replica.blogger.errors import INVALID_KEY_PREFIX, api_key_error, google_error
from replica.blogger.feeds import FEED_MAX_RESULTS, feed_entry, render_feed
from replica.blogger.pages import WWW_BLOGGER_ROBOTS, blog_html, post_page
from replica.blogger.state import BloggerReplica
from replica.dataset import Dataset
from replica.http import Request, Response, Router, text

__all__ = [
    "FEED_MAX_RESULTS",
    "INVALID_KEY_PREFIX",
    "BloggerReplica",
    "api_key_error",
    "api_post",
    "feed_entry",
    "google_error",
    "post_page",
    "register",
]

_BLOGSPOT = r"(?P<sub>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.blogspot\.com"
_LABELS = r"(?P<labels>(?:/-/[^/]+)+)?"
_FEED_KINDS = r"(?P<kind>default|summary)"


def register(router: Router, dataset: Dataset) -> None:
    """Register the Blogger routes; the state (with its request log) is ``router.blogger``."""
    state = BloggerReplica(dataset)
    router.blogger = state  # type: ignore[attr-defined]  # tests read the request log here

    def blogspot_feed(request: Request) -> Response:
        return render_feed(state, state.blog_for_host(request.host), request)

    def www_feed(request: Request) -> Response:
        return render_feed(state, state.blog_for_id(request.params["blog_id"]), request)

    def www_robots(request: Request) -> Response:
        state.record(request)
        return text(WWW_BLOGGER_ROBOTS)

    router.add(_BLOGSPOT, rf"/feeds/posts/{_FEED_KINDS}{_LABELS}", blogspot_feed)
    router.add(
        r"www\.blogger\.com", rf"/feeds/(?P<blog_id>\d+)/posts/{_FEED_KINDS}{_LABELS}", www_feed
    )
    router.add(r"www\.blogger\.com", r"/robots\.txt", www_robots)
    # one API, two roots: www.googleapis.com/blogger/v3 (its docs) and blogger.googleapis.com/v3
    # (its discovery document)
    router.add(
        r"www\.googleapis\.com", r"/blogger/v3/(?P<route>blogs/.+)", lambda r: api_route(state, r)
    )
    router.add(
        r"blogger\.googleapis\.com", r"/v3/(?P<route>blogs/.+)", lambda r: api_route(state, r)
    )
    router.add(
        _BLOGSPOT,
        r"/(?:robots\.txt|search(?:/label/.+)?|\d{4}/\d{2}/[^/]+\.html)?",
        lambda r: blog_html(state, r),
    )
