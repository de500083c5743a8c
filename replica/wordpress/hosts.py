"""Routing on WordPress blog hosts: REST, query-string and pretty URL forms, Atomic aliases."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_plus

from replica.http import Request, Response, html
from replica.wordpress.errors import rest_error
from replica.wordpress.model import Site, WordPressReplica
from replica.wordpress.pages import HtmlPages, block_item, classic_article, robots_txt, theme_page
from replica.wordpress.rest import CoreRest
from replica.wordpress.rest_objects import RestBase

__all__ = ["BlogHost", "wpcom_core_route"]


_PRETTY_POST = re.compile(r"/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P<slug>[^/]+)/?")
_PRETTY_SEARCH = re.compile(r"/search/(?P<q>[^/]+)(?:/page/(?P<page>\d+))?/?")
_PRETTY_FEED = re.compile(r"/search/(?P<q>[^/]+)/feed(?:/(?:rss2|rss|atom))?/?")
_PAGED = re.compile(r"/page/(?P<page>\d+)/?")


class BlogHost:
    """Everything served on a WordPress blog's own host."""

    def __init__(self, wp: WordPressReplica, rest: CoreRest, pages: HtmlPages) -> None:
        self.wp = wp
        self.rest = rest
        self.pages = pages

    def handle(self, request: Request) -> Response:
        host = request.host.split(":")[0].lower()
        self.wp.paths[(host, request.path)] += 1
        site = self.wp.sites.get(host)
        if (
            site is None
        ):  # an Atomic site's name.wordpress.com alias: REST 301s to the custom domain (§3.1)
            return self._alias(request)
        path = request.path
        if path == "/robots.txt":
            return robots_txt(site)
        if path.startswith("/wp-json"):
            if site.plain:  # no rewrite rules: WordPress's theme 404
                return self.pages.not_found(site)
            return self.rest.dispatch(RestBase(site, "pretty"), path[len("/wp-json") :], request)
        if path in ("/", "/index.php"):
            return self._query_forms(site, request)
        return self._pretty_forms(site, request, path)

    def _alias(self, request: Request) -> Response:
        site = self.wp.site_by_ref(request.host.split(":")[0])
        if site is None:
            return html(
                "<html><body>Doesn&#8217;t look like there&#8217;s anything here.</body></html>",
                404,
            )
        target = f"{site.home}{request.path}" + (
            f"?{request.query_string}" if request.query_string else ""
        )
        return Response(301, b"", [("Location", target)])

    def _query_forms(self, site: Site, request: Request) -> Response:
        if request.arg("rest_route") is not None:
            return self.rest.dispatch(
                RestBase(site, "plain"), request.arg("rest_route") or "/", request
            )
        page = max(1, request.int_arg("paged", 1))
        if request.arg("s") is not None:
            query = request.arg("s") or ""
            if request.arg("feed"):
                return self.pages.feed(site, query, page)
            return self.pages.search(site, request, query, page)
        if request.arg("p"):
            post = site.post_by_id(request.int_arg("p", 0))
            if post is None:
                return self.pages.not_found(site)
            if not site.plain:  # canonical redirect to the pretty permalink
                return Response(301, b"", [("Location", post.url)])
            return self.pages.post_page(site, post)
        return self._home(site, page)

    def _pretty_forms(self, site: Site, request: Request, path: str) -> Response:
        if site.plain:
            return self.pages.not_found(site)
        page_match = _PAGED.fullmatch(path)
        if page_match and request.arg("s") is not None:
            page = int(page_match["page"])
            if request.arg("feed"):
                return self.pages.feed(site, request.arg("s") or "", page)
            return self.pages.search(site, request, request.arg("s") or "", page)
        feed = _PRETTY_FEED.fullmatch(path)
        if feed:
            return self.pages.feed(
                site, unquote_plus(feed["q"]), max(1, request.int_arg("paged", 1))
            )
        search = _PRETTY_SEARCH.fullmatch(path)
        if search:
            return self.pages.search(
                site, request, unquote_plus(search["q"]), int(search["page"] or 1)
            )
        post = _PRETTY_POST.fullmatch(path)
        if post:
            url = f"{site.home}/{post['y']}/{post['m']}/{post['d']}/{post['slug']}/"
            found = next((p for p in site.posts if p.url == url), None)
            if found is not None:
                return self.pages.post_page(site, found)
        if page_match:
            return self._home(site, int(page_match["page"]))
        return self.pages.not_found(site)

    def _home(self, site: Site, page: int) -> Response:
        per_page = int(site.opt.get("posts_per_page", 10))
        chunk = site.posts[(page - 1) * per_page : page * per_page]
        if page > 1 and not chunk:
            return self.pages.not_found(site)
        main = "".join(
            classic_article(site, p, False) if site.theme == "classic" else block_item(site, p)
            for p in chunk
        )
        return theme_page(site, site.blog.title, "home blog", f"<main>{main}</main>")


def wpcom_core_route(wp: WordPressReplica, rest: CoreRest) -> Callable[[Request], Response]:
    def handle(request: Request) -> Response:
        site = wp.site_by_ref(request.params["domain"])
        if site is None or not site.wpcom:
            return rest_error("unknown_blog", "Unknown blog", 404)
        return rest.dispatch(
            RestBase(site, "wpcom"), "/wp/v2" + (request.params.get("route") or ""), request
        )

    return handle
