"""Helpers for the Blogger tests: in-process calls to the replica's router, and dataset picks."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from replica.dataset import Blog, Dataset, Post
from replica.http import Request, Response, Router


def call(router: Router, url: str, headers: dict[str, str] | None = None) -> Response:
    """Dispatch a GET for the real ``url`` straight to the router (no socket)."""
    parts = urlsplit(url)
    request = Request(
        "GET",
        parts.netloc,
        parts.path or "/",
        parts.query,
        {k.lower(): v for k, v in (headers or {}).items()},
        scheme=parts.scheme,
    )
    return router.dispatch(request)


def call_json(router: Router, url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    response = call(router, url, headers)
    return response.status, json.loads(response.body)


def busiest_blog(dataset: Dataset) -> Blog:
    """The Blogger blog with the most posts (pagination needs at least two)."""
    blogs = dataset.blogs_on("blogger")
    blog = max(blogs, key=lambda b: (len(dataset.posts_on("blogger", b)), b.host))
    assert len(dataset.posts_on("blogger", blog)) >= 2, (
        "the dataset needs a Blogger blog with two posts"
    )
    return blog


def shared_word_query(dataset: Dataset, blog: Blog) -> tuple[str, list[Post]]:
    """A one-word query matching at least two posts of ``blog`` (the most common word of its
    titles)."""
    from collections import Counter

    from replica.dataset import search_tokens

    posts = dataset.posts_on("blogger", blog)
    counts = Counter(w for p in posts for w in set(search_tokens(p.title)) if len(w) > 2)
    for word, _ in counts.most_common():
        matches = dataset.search(word, "blogger", blog)
        if len(matches) >= 2:
            return word, matches
    raise AssertionError(f"no word shared by two posts of {blog.host}")
