"""The Blogger replica's state and the identity helpers every Blogger route shares (time, ids)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from replica.dataset import Blog, Dataset, Post
from replica.http import Request

__all__ = [
    "BloggerReplica",
    "api_time",
    "author_id",
    "blog_posts",
    "blog_published",
    "blog_tz",
    "feed_time",
    "first_image",
]

_UTC_OFFSETS = (-7, -3, 0, 1, 5, 8)  # blogs live in different time zones; feeds show local time


@dataclass
class BloggerReplica:
    """The Blogger replica's state: dataset, request log, API search page size (a test knob)."""

    dataset: Dataset
    api_search_page_size: int = 10  # [U] posts/search documents no page size
    log: list[str] = field(default_factory=list)

    def record(self, request: Request) -> None:
        self.log.append(request.url)

    def blog_for_host(self, host: str) -> Blog | None:
        blog = self.dataset.blog_by_host(host.split(":")[0])
        return blog if blog is not None and blog.platform == "blogger" else None

    def blog_for_id(self, blog_id: str) -> Blog | None:
        blog = self.dataset.blog_by_id(blog_id)
        return blog if blog is not None and blog.platform == "blogger" else None


def blog_tz(blog: Blog) -> timezone:
    """The blog's time zone (feeds and the API show local time with its offset)."""
    hours = blog.options.get("utc_offset")
    if hours is None:
        hours = _UTC_OFFSETS[sum(map(ord, blog.blog_id or blog.name)) % len(_UTC_OFFSETS)]
    return timezone(timedelta(hours=int(hours)))


def feed_time(post_or_blog_time: datetime, blog: Blog) -> str:
    """``2019-07-20T18:38:00.000+08:00``: the feeds' local time with milliseconds."""
    local = post_or_blog_time.astimezone(blog_tz(blog))
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT%H:%M:%S.000") + f"{offset[:3]}:{offset[3:]}"


def api_time(moment: datetime, blog: Blog) -> str:
    """``2011-08-01T19:58:00Z`` or ``2024-05-01T10:00:00-07:00``: the API's RFC 3339 times."""
    local = moment.astimezone(blog_tz(blog))
    if local.utcoffset() == timedelta(0):
        return local.strftime("%Y-%m-%dT%H:%M:%SZ")
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{offset[:3]}:{offset[3:]}"


def blog_posts(state: BloggerReplica, blog: Blog) -> list[Post]:
    return state.dataset.posts_on("blogger", blog)


def blog_published(state: BloggerReplica, blog: Blog) -> datetime:
    posts = blog_posts(state, blog)
    return posts[-1].published - timedelta(days=400) if posts else datetime(2012, 1, 1, tzinfo=UTC)


def author_id(blog: Blog) -> str:
    return str(10**19 + sum(ord(c) * 7919**i for i, c in enumerate(blog.name)) % 10**18)


def first_image(post: Post) -> str | None:
    match = re.search(r"<img[^>]+src=[\"']([^\"']+)", post.body_html, re.I)
    return match.group(1) if match else None
