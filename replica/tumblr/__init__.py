"""Replica of Tumblr (``../shared/platforms.md`` §0-1): API v2, web search API and page, blogs.

Hosts served:

- ``api.tumblr.com`` (:mod:`replica.tumblr.api`): ``/v2/tagged`` (response = an ARRAY of posts,
  ``before`` paging), ``/v2/blog/{id}/posts[/{type}]`` (``_links.next.href`` without ``api_key``,
  absent on the last page), ``/v2/blog/{id}/info``, ``/v2/timeline/search``
  (``response.timeline.elements`` + ``_links.next``, cursor paging). ``api_key`` (or an OAuth2
  bearer) is required: a missing or blank key gets the real 401 envelope. Every
  ``rate_limit_every``-th request of an ``api_key`` is answered 429 "Limit Exceeded" with Tumblr's
  rate-limit headers (deterministic, no clock), so clients' backoff is exercised.
- ``www.tumblr.com`` (:mod:`replica.tumblr.web`): ``/search/{q}[/{mode}[/{type}]]``, a React-like
  page whose initial HTML has NO results (a script fetches ``/api/v2/timeline/search`` with the
  page's bearer token and renders ``postUrl`` links); that web API (camelCase with
  ``Accept: application/json;format=camelcase``); ``/robots.txt``.
- ``{blog}.tumblr.com`` and custom hosts (:mod:`replica.tumblr.theme`): theme HTML ``/``,
  ``/page/{n}``, ``/post/{id}[/{slug}]``, ``/tagged/{tag}[/page/{n}]``, ``/rss``,
  ``/tagged/{tag}/rss``, ``/robots.txt`` (``Disallow: /`` for blogs hidden from search:
  ``Blog.options["robots_disallow_all"]``).
- ``t.umblr.com/redirect?z=<url>&t=<sig>``: 302 to ``z`` (an interstitial page when the signature
  is wrong).

Posts come in both formats (:mod:`replica.tumblr.render`, :mod:`replica.tumblr.npf`): legacy
(text/photo/link/video with ``body``/``caption``/``photos``/``url``) and NPF (``content`` blocks
with formatting links, link and video blocks, ``layout``, ``trail``), selected by ``npf=true`` as
on the real API; posts authored in NPF (``Post.post_format == "npf"``) put stand-alone links in
link blocks. Outbound links in HTML and text formatting are wrapped in ``t.umblr.com/redirect``
(:mod:`replica.tumblr.links`). Ids are JSON ints beyond 2**53 beside ``id_string``.
:attr:`TumblrReplica.log` records every request for tests.
"""

from __future__ import annotations

import re

from replica.dataset import Dataset
from replica.http import Router, text
from replica.tumblr.api import ApiRoutes
from replica.tumblr.links import blog_uuid, wrap_link
from replica.tumblr.npf import html_to_npf
from replica.tumblr.state import LoggedRequest, TumblrConfig
from replica.tumblr.theme import ThemeRoutes
from replica.tumblr.web import WebRoutes

__all__ = [
    "LoggedRequest",
    "TumblrConfig",
    "TumblrReplica",
    "blog_uuid",
    "html_to_npf",
    "register",
    "wrap_link",
]

API = r"api\.tumblr\.com"
WWW = r"www\.tumblr\.com"
REDIRECTOR = r"t\.umblr\.com"
_POST_TYPES = "text|quote|link|answer|video|audio|photo|chat"
_ALLOW_ALL = "User-agent: *\nDisallow:\n"

_uuid = blog_uuid  # the name tests/tumblr/test_replica.py reads


class TumblrReplica(ApiRoutes, WebRoutes, ThemeRoutes):
    """The replica's Tumblr: the shared state (request counters, log) and every route handler."""


def register(
    router: Router, dataset: Dataset, config: TumblrConfig | None = None
) -> TumblrReplica:
    """Register Tumblr's hosts on ``router``; the :class:`TumblrReplica` is ``router.tumblr``."""
    replica = TumblrReplica(dataset, config or TumblrConfig())
    router.tumblr = replica  # type: ignore[attr-defined]  # tests read replica.log
    router.add(API, r"/v2/tagged", replica.tagged)
    router.add(API, r"/v2/blog/(?P<blog>[^/]+)/info", replica.blog_info)
    router.add(
        API, rf"/v2/blog/(?P<blog>[^/]+)/posts(?:/(?P<type>{_POST_TYPES}))?", replica.blog_posts
    )
    router.add(API, r"/v2/timeline/search", replica.timeline_search)
    router.add(API, r"/robots\.txt", lambda r: text(_ALLOW_ALL))
    router.add(WWW, r"/api/v2/timeline/search", replica.web_timeline_search)
    router.add(
        WWW,
        r"/search/(?P<q>[^/]+)(?:/(?P<mode>top|recent)(?:/(?P<ptype>[a-z]+))?)?/?",
        replica.search_page,
    )
    router.add(WWW, r"/robots\.txt", replica.www_robots)
    router.add(REDIRECTOR, r"/redirect", replica.redirect)
    router.add(REDIRECTOR, r"/robots\.txt", lambda r: text(_ALLOW_ALL))
    hosts = [re.escape(b.host) for b in replica.blogs if not b.host.endswith(".tumblr.com")]
    blog_hosts = r"(?!www\.|api\.)[a-z0-9-]+\.tumblr\.com" + "".join(f"|{h}" for h in hosts)
    router.add(f"(?:{blog_hosts})", r"/robots\.txt", replica.blog_robots)
    router.add(f"(?:{blog_hosts})", r"/.*", replica.theme)
    return replica
