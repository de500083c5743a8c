"""Blogger API v3: ``blogs/byurl``, ``blogs/{id}``, ``blogs/{id}/posts[/search|/{id}]``."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from replica.blogger.errors import api_key_error, invalid_error, not_found, required_error
from replica.blogger.state import (
    BloggerReplica,
    api_time,
    author_id,
    blog_posts,
    blog_published,
    first_image,
)
from replica.dataset import Blog, Post
from replica.http import Request, Response, json_response

__all__ = ["API_LIST_DEFAULT", "API_LIST_MAX", "api_blog", "api_post", "api_route"]

API_LIST_DEFAULT = 10  # [U] posts.list default page size
API_LIST_MAX = 500


def _api_base(request: Request) -> str:
    host = request.host.split(":")[0].lower()
    return f"https://{host}/blogger/v3" if host == "www.googleapis.com" else f"https://{host}/v3"


def api_blog(state: BloggerReplica, blog: Blog, request: Request) -> dict[str, Any]:
    """A ``blogger#blog`` resource (its ``url`` is ``http://``, as Blogger still reports it)."""
    base = _api_base(request)
    posts = blog_posts(state, blog)
    updated = posts[0].published if posts else blog_published(state, blog)
    return {
        "kind": "blogger#blog",
        "id": blog.blog_id,
        "name": blog.title,
        "description": blog.description,
        "published": api_time(blog_published(state, blog), blog),
        "updated": api_time(updated, blog),
        "url": f"http://{blog.host}/",
        "selfLink": f"{base}/blogs/{blog.blog_id}",
        "posts": {"totalItems": len(posts), "selfLink": f"{base}/blogs/{blog.blog_id}/posts"},
        "pages": {"totalItems": 0, "selfLink": f"{base}/blogs/{blog.blog_id}/pages"},
        "locale": {"language": blog.options.get("language", "en"), "country": "", "variant": ""},
    }


def api_post(post: Post, request: Request, bodies: bool = True) -> dict[str, Any]:
    """A ``blogger#post`` resource (``labels`` absent when empty; ``replies.totalItems`` a str)."""
    blog = post.blog
    base = _api_base(request)
    self_link = f"{base}/blogs/{blog.blog_id}/posts/{post.post_id}"
    item: dict[str, Any] = {
        "kind": "blogger#post",
        "id": post.post_id,
        "blog": {"id": blog.blog_id},
        "published": api_time(post.published, blog),
        "updated": api_time(post.published + timedelta(minutes=3), blog),
        "etag": '"' + base64.b64encode(f"ts:{post.timestamp}".encode()).decode() + '"',
        "url": post.url.replace("https://", "http://", 1),
        "selfLink": self_link,
        "title": post.title,
    }
    if bodies:
        item["content"] = post.body_html
    image = first_image(post)
    if image:
        item["images"] = [{"url": image}]
    item["author"] = {
        "id": author_id(blog),
        "displayName": blog.options.get("author", "Unknown"),
        "url": f"https://www.blogger.com/profile/{author_id(blog)}",
        "image": {"url": "//resources.blogblog.com/img/b16-rounded.gif"},
    }
    item["replies"] = {"totalItems": "0", "selfLink": f"{self_link}/comments"}
    if post.tags:
        item["labels"] = list(post.tags)
    return item


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"CgkIChj{offset:06d}".encode()).decode().rstrip("=")


def _offset(token: str | None) -> int | None:
    """The offset a page token stands for (0 without one; ``None`` when it is not ours)."""
    if not token:
        return 0
    try:
        decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded[7:]) if decoded.startswith("CgkIChj") and decoded[7:].isdigit() else None


def _post_list(posts: list[Post], request: Request, size: int) -> Response:
    token = request.arg("pageToken")
    offset = _offset(token)
    if offset is None:
        return invalid_error("pageToken", token or "")
    bodies = request.arg("fetchBodies", "true") != "false"
    body: dict[str, Any] = {"kind": "blogger#postList"}
    if offset + size < len(posts):
        body["nextPageToken"] = _token(offset + size)
    if offset > 0:
        body["prevPageToken"] = _token(max(0, offset - size))
    page = posts[offset : offset + size]
    if page:  # absent when empty
        body["items"] = [api_post(p, request, bodies) for p in page]
    body["etag"] = f'"{len(posts)}-{offset}"'
    return json_response(body, headers=[("Vary", "Origin, X-Origin, Referer")])


def api_route(state: BloggerReplica, request: Request) -> Response:
    state.record(request)
    error = api_key_error(request)
    if error is not None:
        return error
    route = request.params["route"]
    if route == "blogs/byurl":
        return _byurl(state, request)
    match = re.fullmatch(r"blogs/(?P<id>[^/]+)(?:/posts(?:/(?P<post>[^/]+))?)?", route)
    if not match:
        return not_found()
    blog = state.blog_for_id(match["id"])
    if blog is None:
        return not_found()
    if "/posts" not in route:
        return json_response(api_blog(state, blog, request))
    if match["post"] == "search":
        return _api_search(state, blog, request)
    if match["post"]:
        post = next((p for p in blog_posts(state, blog) if p.post_id == match["post"]), None)
        return json_response(api_post(post, request)) if post else not_found()
    return _api_list(state, blog, request)


def _byurl(state: BloggerReplica, request: Request) -> Response:
    url = request.arg("url")
    if not url:
        return required_error("url")
    host = urlsplit(url if "//" in url else f"http://{url}").hostname or ""
    blog = state.blog_for_host(host)
    return json_response(api_blog(state, blog, request)) if blog else not_found()


def _api_list(state: BloggerReplica, blog: Blog, request: Request) -> Response:
    try:
        size = request.int_arg("maxResults", API_LIST_DEFAULT)
    except ValueError:
        return invalid_error("maxResults", request.arg("maxResults") or "")
    if not 0 < size <= API_LIST_MAX:
        return invalid_error("maxResults", str(size))
    posts = blog_posts(state, blog)
    labels = [label for label in (request.arg("labels") or "").split(",") if label.strip()]
    for label in labels:
        wanted = {p.url for p in state.dataset.tagged(label.strip(), "blogger", blog)}
        posts = [p for p in posts if p.url in wanted]
    return _post_list(posts, request, size)


def _api_search(state: BloggerReplica, blog: Blog, request: Request) -> Response:
    query = request.arg("q")
    if not query:
        return required_error("q")
    return _post_list(
        state.dataset.search(query, "blogger", blog), request, max(1, state.api_search_page_size)
    )
