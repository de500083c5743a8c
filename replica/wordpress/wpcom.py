"""WordPress.com's native API (``public-api.wordpress.com``): Reader tags and search, site posts.

Post objects follow platforms.md §3.3; cursors are ``page_handle = "value=<iso>&id=<ID>"``
(§3.2).
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote, unquote_plus, urlencode

from replica.dataset import Post, search_tokens
from replica.http import Request, Response, json_response
from replica.wordpress.errors import bounded, wpcom_error
from replica.wordpress.model import (
    API_HOST,
    Site,
    Term,
    WordPressReplica,
    excerpt,
    iso_time,
    pid,
    slugify,
    stable_number,
    title_html,
)

__all__ = ["WpcomApi", "date_window", "reader_post", "wpcom_post"]

READER_MAX = 40
SITE_POSTS_MAX = 100


def _tokens(post: Post) -> set[str]:
    return set(search_tokens(f"{post.title} {post.body_html} {' '.join(post.tags)}"))


def _wpcom_terms(site: Site, terms: list[Term], kind: str) -> dict[str, Any]:
    api = f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}/{kind}/slug:"
    return {
        t.name: {
            "ID": t.id,
            "name": t.name,
            "slug": t.slug,
            "description": "",
            "post_count": 1,
            "meta": {
                "links": {
                    "self": api + t.slug,
                    "help": api + t.slug + "/help",
                    "site": f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}",
                }
            },
        }
        for t in terms
    }


def _author(site: Site) -> dict[str, Any]:
    name = str(site.opt.get("author", "admin"))
    return {
        "ID": stable_number(f"author:{site.host}", 10**7),
        "login": slugify(name),
        "email": False,
        "name": name,
        "first_name": "",
        "last_name": "",
        "nice_name": slugify(name),
        "URL": site.home,
        "avatar_URL": "https://0.gravatar.com/avatar/0?s=96&d=identicon&r=G",
        "profile_URL": f"https://gravatar.com/{slugify(name)}",
        "site_ID": site.site_id,
    }


def wpcom_post(site: Site, post: Post) -> dict[str, Any]:
    """A v1.1 post object (platforms.md §3.3): tags and categories are objects keyed by name."""
    local = post.published.astimezone(UTC) + site.offset
    date = local.replace(tzinfo=None).isoformat(timespec="seconds") + _tz(site.offset)
    post_id = pid(post)
    api = f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}/posts/{post_id}"
    tags = site.tags_of(post)
    cats = site.categories_of(post)
    return {
        "ID": post_id,
        "site_ID": site.site_id,
        "author": _author(site),
        "date": date,
        "modified": date,
        "title": title_html(post.title),
        "URL": post.url,
        "short_URL": f"https://wp.me/p{site.site_id}-{post_id}",
        "content": post.body_html,
        "excerpt": f"<p>{excerpt(post.body_html)}</p>\n",
        "slug": post.slug,
        "guid": f"{site.home}/?p={post_id}",
        "status": "publish",
        "sticky": False,
        "password": "",
        "parent": False,
        "type": "post",
        "discussion": {
            "comments_open": True,
            "comment_status": "open",
            "pings_open": True,
            "ping_status": "open",
            "comment_count": 0,
        },
        "likes_enabled": True,
        "sharing_enabled": True,
        "like_count": 0,
        "i_like": False,
        "is_reblogged": False,
        "is_following": False,
        "global_ID": f"{zlib.crc32(post.url.encode()):x}",
        "featured_image": "",
        "post_thumbnail": None,
        "format": "standard",
        "geo": False,
        "menu_order": 0,
        "page_template": "",
        "publicize_URLs": [],
        "terms": {
            "category": _wpcom_terms(site, cats, "categories"),
            "post_tag": _wpcom_terms(site, tags, "tags"),
            "post_format": {},
            "mentions": {},
        },
        "tags": _wpcom_terms(site, tags, "tags"),
        "categories": _wpcom_terms(site, cats, "categories"),
        "attachments": {},
        "attachment_count": 0,
        "metadata": False,
        "meta": {
            "links": {
                "self": api,
                "help": api + "/help",
                "site": f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}",
                "replies": api + "/replies/",
                "likes": api + "/likes/",
            }
        },
        "capabilities": {"publish_post": False, "delete_post": False, "edit_post": False},
        "other_URLs": {},
    }


def _tz(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def reader_post(site: Site, post: Post) -> dict[str, Any]:
    """A Reader stream post: the v1.1 post plus the Reader's site/feed fields."""
    item = wpcom_post(site, post)
    feed_id = stable_number(f"feed:{site.host}", 10**8)
    item.update(
        {
            "site_URL": site.home,
            "site_name": site.blog.title,
            "feed_ID": feed_id,
            "feed_URL": f"{site.home}/feed/",
            "feed_item_ID": stable_number(f"item:{post.url}", 10**9),
            "is_external": site.external,
            "is_jetpack": site.blog.kind == "atomic" or bool(site.opt.get("jetpack")),
            "site_is_private": False,
            "site_is_atomic": site.blog.kind == "atomic",
            "railcar": {},
        }
    )
    if site.external:
        item["site_ID"] = 0  # a followed feed, not a WordPress.com site
    return item


def _handle_of(post: Post) -> str:
    return urlencode({"value": iso_time(post.published.astimezone(UTC)), "id": pid(post)})


def _after_handle(posts: list[Post], handle: str) -> list[Post]:
    """Posts after the cursor, newest first (``handle`` is the last post already returned)."""
    parts = dict(p.split("=", 1) for p in unquote(handle).split("&") if "=" in p)
    try:
        moment = datetime.fromisoformat(unquote_plus(parts.get("value", "")).replace(" ", "+"))
        last_id = int(parts.get("id", "0"))
    except ValueError:
        return []
    return [p for p in posts if (p.published, pid(p)) < (moment, last_id)]


def date_window(posts: list[Post], request: Request) -> list[Post]:
    """``before``/``after`` (ISO 8601, exclusive) on a newest-first list."""
    for name in ("before", "after"):
        value = request.arg(name)
        if value:
            moment = datetime.fromisoformat(value.replace(" ", "+").replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            posts = [
                p
                for p in posts
                if (p.published < moment if name == "before" else p.published > moment)
            ]
    return posts


def _date_range(page: list[Post]) -> dict[str, str | None]:
    if not page:
        return {"before": None, "after": None}
    return {
        "before": iso_time(page[0].published.astimezone(UTC)),
        "after": iso_time(page[-1].published.astimezone(UTC)),
    }


class WpcomApi:
    def __init__(self, wp: WordPressReplica) -> None:
        self.wp = wp

    def reader_tag(self, request: Request) -> Response:
        version = request.params["version"]
        self.wp.note(
            f"reader_tags_v{version}",
            2 if request.arg("page_handle") or request.arg("before") else 1,
        )
        number = bounded(request, "number", 10, 1, READER_MAX)
        if number is None:
            return wpcom_error(
                "invalid_number", f"The number parameter must be between 1 and {READER_MAX}.", 400
            )
        wanted = slugify(unquote(request.params["tag"]))
        # tag streams cover WordPress.com-hosted and Jetpack-connected sites only
        posts = [
            (s, p)
            for s, p in self.wp.all_posts()
            if not s.external and any(slugify(t) == wanted for t in p.tags)
        ]
        return self._stream(request, posts, number, version, {"tag": wanted})

    def reader_search(self, request: Request) -> Response:
        later = bool(
            request.arg("page_handle") or request.arg("before") or request.int_arg("offset", 0)
        )
        self.wp.note("reader_search", 2 if later else 1)
        query = (request.arg("q") or "").strip()
        if not query:
            return wpcom_error("missing_query", "A search query (q) is required.", 400)
        number = bounded(request, "number", 10, 1, READER_MAX)
        if number is None:
            return wpcom_error(
                "invalid_number", f"The number parameter must be between 1 and {READER_MAX}.", 400
            )
        words = set(search_tokens(query))
        # Reader search covers WordPress.com-hosted sites, not followed feeds [U]
        posts = [(s, p) for s, p in self.wp.all_posts() if not s.external and words <= _tokens(p)]
        if request.arg("sort", "relevance") == "date":
            return self._stream(request, posts, number, "1.2", {"algorithm": "read:search:date/1"})
        offset = request.int_arg("offset", 0)
        page = posts[offset : offset + number]
        return json_response(
            {
                "algorithm": "read:search:es-relevance/1",
                "posts": [reader_post(s, p) for s, p in page],
                "date_range": None,
                "total": len(posts),
            }
        )

    def _stream(
        self,
        request: Request,
        posts: list[tuple[Site, Post]],
        number: int,
        version: str,
        extra: dict[str, Any],
    ) -> Response:
        by_post = {id(p): s for s, p in posts}
        plain = date_window([p for _, p in posts], request)
        handle = request.arg("page_handle")
        if handle and version != "1.1":
            plain = _after_handle(plain, handle)
        page = plain[:number]
        body: dict[str, Any] = {
            **extra,
            "posts": [reader_post(by_post[id(p)], p) for p in page],
            "date_range": _date_range(page),
            "number": len(page),
        }
        if version != "1.1":
            body["meta"] = {"next_page": _handle_of(page[-1])} if len(plain) > number else {}
        return json_response(body)

    def site_posts(self, request: Request) -> Response:
        envelope = request.arg("http_envelope") == "1"
        later = bool(
            request.arg("page_handle")
            or request.int_arg("offset", 0)
            or request.int_arg("page", 1) > 1
        )
        self.wp.note("wpcom_site_posts", 2 if later else 1)
        site = self.wp.site_by_ref(request.params["site"])
        if site is None or not site.wpcom:
            return wpcom_error("unknown_blog", "Unknown blog", 404, envelope)
        number = bounded(request, "number", 20, 1, SITE_POSTS_MAX)
        if number is None:
            return wpcom_error(
                "invalid_number",
                f"The NUMBER parameter must be between 1 and {SITE_POSTS_MAX}.",
                400,
                envelope,
            )
        return json_response(self._site_page(request, site, number))

    def _site_page(self, request: Request, site: Site, number: int) -> dict[str, Any]:
        posts = self.wp.search(site, request.arg("search") or "")
        if request.arg("tag"):
            posts = [
                p
                for p in posts
                if any(slugify(t) == slugify(request.arg("tag") or "") for t in p.tags)
            ]
        posts = date_window(posts, request)
        if (request.arg("order") or "DESC").upper() == "ASC":
            posts = posts[::-1]
        found = len(posts)
        page_no = request.int_arg("page", 0)
        offset = request.int_arg("offset", 0)
        handle = request.arg("page_handle")
        if handle:
            posts = _after_handle(posts, handle)
        start = offset or max(0, page_no - 1) * number
        page = posts[start : start + number]
        meta: dict[str, Any] = {
            "links": {
                "counts": f"https://{API_HOST}/rest/v1.1/sites/{site.site_id}/post-counts/post"
            },
            "wpcom": True,
        }
        if (
            not page_no and not offset and len(posts) > number
        ):  # only when page/offset are unset (§3.2)
            meta["next_page"] = _handle_of(page[-1])
        fields = [f for f in (request.arg("fields") or "").split(",") if f]
        items = [wpcom_post(site, p) for p in page]
        if fields:
            items = [{k: v for k, v in item.items() if k in fields} for item in items]
        return {"found": found, "posts": items, "meta": meta}
