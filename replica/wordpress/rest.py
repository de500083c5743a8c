"""Core REST routes (``wp/v2``), written once, served under each base style (platforms.md §2)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from replica.dataset import Post, search_tokens
from replica.http import Request, Response, json_response
from replica.wordpress.errors import bounded, invalid_param, rest_error
from replica.wordpress.model import WP_VERSION, Term, WordPressReplica, pid, title_html
from replica.wordpress.rest_objects import RestBase, core_post, core_term, core_user
from replica.wordpress.wpcom import date_window

__all__ = ["CoreRest"]

REST_MAX = 100


def _major(version: str) -> int:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else 0


def _page_headers(
    base: RestBase, route: str, request: Request, total: int, pages: int, page: int
) -> list[tuple[str, str]]:
    """``X-WP-Total``, ``X-WP-TotalPages``, ``Link`` next/prev, as ``WP_REST_Posts_Controller``."""
    params = {k: v[0] for k, v in request.query.items() if k not in ("page", "rest_route")}
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    links = []
    if page > 1:
        links.append(
            f'<{base.url(route, {**params, "page": min(page - 1, max(pages, 1))})}>; rel="prev"'
        )
    if page < pages:
        links.append(f'<{base.url(route, {**params, "page": page + 1})}>; rel="next"')
    if links:
        headers.append(("Link", ", ".join(links)))
    return headers


class CoreRest:
    """``wp/v2`` routes, written once and served under each base style."""

    def __init__(self, wp: WordPressReplica) -> None:
        self.wp = wp

    def dispatch(self, base: RestBase, route: str, request: Request) -> Response:
        site = base.site
        if site.opt.get("rest_blocked"):
            self.wp.note("core_blocked", 1)
            return rest_error("rest_not_logged_in", "You are not currently logged in.", 401)
        route = "/" + route.strip("/")
        handlers: list[tuple[str, Callable[..., Response]]] = [
            (r"/", self.index),
            (r"/wp/v2/search", self.search),
            (r"/wp/v2/posts", self.posts),
            (r"/wp/v2/posts/(?P<id>\d+)", self.post),
            (r"/wp/v2/(?P<tax>tags|categories)", self.terms),
            (r"/wp/v2/users/(?P<id>\d+)", self.user),
        ]
        for pattern, handler in handlers:
            match = re.fullmatch(pattern, route)
            if match:
                response = handler(base, request, **match.groupdict())
                response.header("Link", f'<{base.index.rstrip("/")}/>; rel="https://api.w.org/"')
                response.header("X-Robots-Tag", "noindex")
                response.header(
                    "Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"
                )
                return response
        return rest_error(
            "rest_no_route", "No route was found matching the URL and request method.", 404
        )

    def index(self, base: RestBase, request: Request) -> Response:
        site = base.site
        return json_response(
            {
                "name": site.blog.title,
                "description": site.blog.description,
                "url": site.home,
                "home": site.home,
                "gmt_offset": site.offset.total_seconds() / 3600,
                "timezone_string": "",
                "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"],
                "authentication": [],
                "routes": {
                    "/wp/v2/posts": {"namespace": "wp/v2", "methods": ["GET"]},
                    "/wp/v2/search": {"namespace": "wp/v2", "methods": ["GET"]},
                },
                "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
            }
        )

    def search(self, base: RestBase, request: Request) -> Response:
        self.wp.note(f"core_search_{base.style}", request.int_arg("page", 1))
        if _major(str(base.site.opt.get("wp_version", WP_VERSION))) < 5:
            return rest_error(
                "rest_no_route", "No route was found matching the URL and request method.", 404
            )
        kind = request.arg("type") or "post"
        if kind not in ("post", "term", "post-format"):
            return rest_error("rest_search_invalid_type", "Invalid type parameter.", 400)
        per_page = bounded(request, "per_page", 10, 1, REST_MAX)
        page = request.int_arg("page", 1)
        if per_page is None:
            return invalid_param(
                "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"
            )
        results = self._search_results(base, request, kind)
        pages = math.ceil(len(results) / per_page)
        if page < 1 or (results and page > pages):
            return rest_error(
                "rest_search_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
                400,
            )
        chunk = results[(page - 1) * per_page : page * per_page]
        return json_response(
            chunk, headers=_page_headers(base, "/wp/v2/search", request, len(results), pages, page)
        )

    def _search_results(self, base: RestBase, request: Request, kind: str) -> list[dict[str, Any]]:
        query = request.arg("search") or ""
        if kind == "post-format":
            return []
        if kind == "term":
            words = set(search_tokens(query))
            terms = {
                t.id: t
                for p in base.site.posts
                for t in base.site.tags_of(p) + base.site.categories_of(p)
            }
            return [
                {
                    "id": t.id,
                    "title": t.name,
                    "url": base.site.term_link(t),
                    "type": "term",
                    "subtype": t.taxonomy,
                    "_links": {
                        "self": [
                            {
                                "embeddable": True,
                                "href": base.url(f"/wp/v2/{_route_of(t)}/{t.id}"),
                            }
                        ]
                    },
                }
                for t in terms.values()
                if words <= set(search_tokens(t.name))
            ]
        subtype = request.arg("subtype") or "any"
        if subtype not in ("any", "post"):
            return []
        return [
            {
                "id": pid(p),
                "title": title_html(p.title),
                "url": p.url,
                "type": "post",
                "subtype": "post",
                "_links": {
                    "self": [{"embeddable": True, "href": base.url(f"/wp/v2/posts/{pid(p)}")}],
                    "about": [{"href": base.url("/wp/v2/types/post")}],
                    "collection": [{"href": base.url("/wp/v2/search")}],
                },
            }
            for p in self.wp.search(base.site, query)
        ]

    def posts(self, base: RestBase, request: Request) -> Response:
        self.wp.note(f"core_posts_{base.style}", request.int_arg("page", 1))
        per_page = bounded(request, "per_page", 10, 1, REST_MAX)
        page = request.int_arg("page", 1)
        if per_page is None:
            return invalid_param(
                "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"
            )
        if page < 1:
            return invalid_param("page", "page must be greater than or equal to 1")
        posts = self._filtered(base, request)
        offset = request.int_arg("offset", 0)
        pages = math.ceil(max(0, len(posts) - offset) / per_page)
        if posts and page > pages:
            return rest_error(
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
                400,
            )
        start = offset + (page - 1) * per_page
        embed = request.arg("_embed")
        items = [core_post(base, p, embed) for p in posts[start : start + per_page]]
        return json_response(
            items, headers=_page_headers(base, "/wp/v2/posts", request, len(posts), pages, page)
        )

    def _filtered(self, base: RestBase, request: Request) -> list[Post]:
        posts = self.wp.search(base.site, request.arg("search") or "")
        include = {
            int(i) for i in (request.arg("include") or "").split(",") if i.strip().isdigit()
        }
        if include:
            posts = [p for p in posts if pid(p) in include]
        tag_ids = {int(i) for i in (request.arg("tags") or "").split(",") if i.strip().isdigit()}
        if tag_ids:
            posts = [p for p in posts if tag_ids & {t.id for t in base.site.tags_of(p)}]
        posts = date_window(posts, request)  # ``after``/``before``: ISO 8601, exclusive
        if (request.arg("order") or "desc").lower() == "asc":
            posts = posts[::-1]
        return posts

    def post(self, base: RestBase, request: Request, id: str) -> Response:
        self.wp.note(f"core_post_{base.style}", 1)
        post = base.site.post_by_id(int(id))
        if post is None:
            return rest_error("rest_post_invalid_id", "Invalid post ID.", 404)
        return json_response(core_post(base, post, request.arg("_embed")))

    def terms(self, base: RestBase, request: Request, tax: str) -> Response:
        taxonomy = "post_tag" if tax == "tags" else "category"
        post_id = request.arg("post")
        posts = [p for p in base.site.posts if not post_id or pid(p) == int(post_id)]
        found: dict[int, Term] = {}
        for p in posts:
            for t in (
                base.site.tags_of(p) if taxonomy == "post_tag" else base.site.categories_of(p)
            ):
                found[t.id] = t
        items = [core_term(base, t) for t in found.values()]
        return json_response(
            items, headers=[("X-WP-Total", str(len(items))), ("X-WP-TotalPages", "1")]
        )

    def user(self, base: RestBase, request: Request, id: str) -> Response:
        if base.site.opt.get("users_hidden") or id != "1":
            return rest_error("rest_user_invalid_id", "Invalid user ID.", 404)
        return json_response(core_user(base))


def _route_of(term: Term) -> str:
    return "tags" if term.taxonomy == "post_tag" else "categories"
