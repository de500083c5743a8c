"""``api.tumblr.com`` (API v2: tagged, blog info and posts, timeline search) and the web API."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote, unquote, urlencode

from replica.dataset import Blog, Post
from replica.http import Request, Response, json_response
from replica.tumblr.links import blog_uuid
from replica.tumblr.render import camelize, legacy_type, tag_key
from replica.tumblr.state import TumblrState, api_error, page_token, read_page_token

__all__ = ["ApiRoutes"]


def _order_key(text: str) -> str:
    """A stable pseudo-random sort key (a digest used for ordering, not for security)."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class ApiRoutes(TumblrState):
    """API v2 on ``api.tumblr.com`` and the web app's own search API on ``www.tumblr.com``."""

    def tagged(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("tagged", request, denied)
        tag = (request.arg("tag") or "").strip()
        if not tag:
            return self._log(
                "tagged",
                request,
                api_error(400, "Bad Request", "Missing or empty tag parameter", 1001, headers),
            )
        limit = min(max(request.int_arg("limit", 20), 1), self.config.tagged_limit)
        before = request.int_arg("before", 0)
        posts = self.dataset.tagged(tag, "tumblr")
        page = self._tagged_page(posts, before, limit)
        npf = request.arg("npf") == "true"
        items = [
            self.render.npf(p) if npf else self.render.legacy(p, request.arg("filter"))
            for p in page
        ]
        return self._log("tagged", request, self._respond(request, items, headers), len(items))

    @staticmethod
    def _tagged_page(posts: list[Post], before: int, limit: int) -> list[Post]:
        """Posts older than ``before``, with /v2/tagged's quirks.

        Pairs come out of order, and one post newer than ``before`` overlaps the previous page.
        """
        older = [p for p in posts if not before or p.timestamp < before]
        page = older[:limit]
        newer = [p for p in posts if before and p.timestamp >= before]
        if newer and limit >= 3 and page:
            page = [newer[-1], *older[: limit - 1]]  # "may include posts newer than before" (4CAT)
        for i in range(0, len(page) - 1, 2):  # "not strictly sorted"
            page[i], page[i + 1] = page[i + 1], page[i]
        return page

    def find_blog(self, identifier: str) -> Blog | None:
        ident = unquote(identifier).strip().lower()
        for blog in self.blogs:
            if ident in (
                blog.name.lower(),
                blog.host.lower(),
                f"{blog.name.lower()}.tumblr.com",
                blog_uuid(blog).lower(),
            ):
                return blog
        return None

    def _blog_or_error(self, request: Request, headers: list[tuple[str, str]]) -> Blog | Response:
        blog = self.find_blog(request.params["blog"])
        if blog is None:
            return api_error(404, "Not Found", "Blog not found.", 0, headers)
        if blog.options.get("dashboard_only"):
            return api_error(
                404,
                "Not Found",
                "This blog is only viewable within the Tumblr dashboard.",
                4012,
                headers,
            )
        return blog

    def blog_info(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("blog_info", request, denied)
        blog = self._blog_or_error(request, headers)
        if isinstance(blog, Response):
            return self._log("blog_info", request, blog)
        return self._log(
            "blog_info", request, self._respond(request, {"blog": self.render.blog(blog)}, headers)
        )

    def blog_posts(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("blog_posts", request, denied)
        blog = self._blog_or_error(request, headers)
        if isinstance(blog, Response):
            return self._log("blog_posts", request, blog)
        state = self._posts_state(request)
        if state.get("before") and state.get("offset"):
            return self._log(
                "blog_posts",
                request,
                api_error(400, "Bad Request", "before and offset are exclusive", 0, headers),
            )
        posts = self._filter_posts(blog, state)
        if state.get("id") and not posts:
            return self._log(
                "blog_posts", request, api_error(404, "Not Found", "Post not found.", 0, headers)
            )
        offset = state["offset"]
        limit = state["limit"]
        page = posts[offset : offset + limit]
        npf = state.get("npf") == "true"
        body: dict[str, Any] = {
            "blog": self.render.blog(blog),
            "posts": [
                self.render.npf(p) if npf else self.render.legacy(p, state.get("filter"))
                for p in page
            ],
            "total_posts": len(posts),
        }
        if offset + limit < len(posts):
            token = page_token({**state, "offset": offset + limit})
            path = f"/v2/blog/{blog.name}/posts"
            body["_links"] = {
                "next": {
                    "href": f"{path}?tumblelog={blog.name}&page_number={token}",
                    "method": "GET",
                    "query_params": {"tumblelog": blog.name, "page_number": token},
                }
            }
        return self._log(
            "blog_posts",
            request,
            self._respond(request, body, headers),
            len(page),
            "_links" in body,
        )

    def _posts_state(self, request: Request) -> dict[str, Any]:
        """The listing's parameters (from the opaque ``page_number`` of ``_links.next``)."""
        token = request.arg("page_number")
        if token:
            return read_page_token(token)
        tags = [
            v
            for k, vs in request.query.items()
            if k == "tag" or re.fullmatch(r"tag\[\d\]", k)
            for v in vs
        ][:4]
        return {
            "type": request.params.get("type") or request.arg("type"),
            "tags": tags,
            "id": request.arg("id"),
            "offset": max(request.int_arg("offset", 0), 0),
            "before": request.int_arg("before", 0),
            "after": request.int_arg("after", 0),
            "sort": request.arg("sort", "desc"),
            "npf": request.arg("npf"),
            "filter": request.arg("filter"),
            "limit": min(max(request.int_arg("limit", 20), 1), self.config.posts_limit),
        }

    def _filter_posts(self, blog: Blog, state: dict[str, Any]) -> list[Post]:
        posts = self.dataset.posts_on("tumblr", blog)
        wanted = [tag_key(t) for t in state.get("tags") or []]
        posts = [p for p in posts if all(w in {tag_key(t) for t in p.tags} for w in wanted)]
        if state.get("type"):
            posts = [p for p in posts if legacy_type(p) == state["type"]]
        if state.get("id"):
            posts = [p for p in posts if p.post_id == state["id"]]
        if state.get("before"):
            posts = [p for p in posts if p.timestamp < state["before"]]
        if state.get("after"):
            posts = [p for p in posts if p.timestamp > state["after"]]
        return posts[::-1] if state.get("sort") == "asc" else posts

    def timeline_search(self, request: Request) -> Response:
        denied, headers = self._authorize(request)
        if denied is not None:
            return self._log("timeline_search", request, denied)
        body, count = self._search_timeline(
            request, "/v2/timeline/search", self.config.search_limit
        )
        if isinstance(body, Response):
            return self._log("timeline_search", request, body)
        return self._log(
            "timeline_search",
            request,
            self._respond(request, body, headers),
            count,
            "_links" in body["timeline"],
        )

    def web_timeline_search(self, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return self._log(
                "web_search_api",
                request,
                api_error(401, "Unauthorized", "Unable to authorize", 1016),
            )
        body, count = self._search_timeline(
            request, "/api/v2/timeline/search", self.config.web_search_limit
        )
        if isinstance(body, Response):
            return self._log("web_search_api", request, body)
        out: Any = {"meta": {"status": 200, "msg": "OK"}, "response": body}
        if "format=camelcase" in request.headers.get("accept", "").replace(" ", "").lower():
            out = camelize(out)
        return self._log(
            "web_search_api", request, json_response(out), count, "_links" in body["timeline"]
        )

    def _search_timeline(
        self, request: Request, path: str, max_limit: int
    ) -> tuple[dict[str, Any] | Response, int]:
        cursor = request.arg("cursor")
        state: dict[str, Any] = (
            read_page_token(cursor)
            if cursor
            else {
                "q": (request.arg("query") or "").strip(),
                "mode": request.arg("mode") or "top",
                "offset": 0,
                "type": request.arg("post_type_filter") or "",
                "limit": min(max(request.int_arg("limit", 20), 1), max_limit),
            }
        )
        if not state["q"]:
            return api_error(400, "Bad Request", "Missing query parameter", 1001), 0
        posts = self._search_posts(state)
        offset = state["offset"]
        limit = state["limit"]
        page = posts[offset : offset + limit]
        elements: list[dict[str, Any]] = [
            {"object_type": "post", **self.render.npf(p)} for p in page
        ]
        if offset == 0:
            # the components the web app shows around the posts; clients keep object_type == "post"
            elements.insert(
                0,
                {
                    "object_type": "tag",
                    "tag_name": state["q"],
                    "is_tracked": False,
                    "featured": False,
                },
            )
            elements.insert(
                min(2, len(elements)),
                {"object_type": "related_tags", "tags": [state["q"].split()[0]]},
            )
        timeline: dict[str, Any] = {"elements": elements}
        if offset + limit < len(posts):
            params = {
                "query": state["q"],
                "mode": state["mode"],
                "limit": str(limit),
                "cursor": page_token({**state, "offset": offset + limit}),
            }
            timeline["_links"] = {
                "next": {
                    "href": f"{path}?{urlencode(params, quote_via=quote)}",
                    "method": "GET",
                    "query_params": params,
                }
            }
        return {"timeline": timeline}, len(page)

    def _search_posts(self, state: dict[str, Any]) -> list[Post]:
        posts = self.dataset.search(state["q"], "tumblr")
        if state.get("type"):
            posts = [p for p in posts if legacy_type(p) == state["type"]]
        if state.get("mode") != "recent":  # "top": a stable pseudo-relevance order
            posts.sort(key=lambda p: _order_key(f"{state['q']}|{p.post_id}"))
        return posts
