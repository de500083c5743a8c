"""Parsing Blogger's feeds, API items and post pages (plain functions, no crawl)."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.parsers.blogger import (
    blogspot_host,
    feed_next_url,
    parse_api_post,
    parse_feed_entry,
    parse_post_page,
    utc_iso,
)
from pipelines.urls import canonical_post_url
from replica.blogger import api_post, feed_entry, post_page
from replica.dataset import Dataset
from replica.http import Request

POST = "https://example-films.blogspot.com/2024/05/watch-dune.html"


def _entry(links: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "id": {"$t": "tag:blogger.com,1999:blog-123.post-456"},
        "published": {"$t": "2019-07-20T18:38:00.002+08:00"},
        "title": {"type": "text", "$t": "Watch Dune"},
        "content": {"type": "html", "$t": "<p>x</p>"},
        "link": links,
        **extra,
    }


REPLIES = [
    {
        "rel": "replies",
        "type": "application/atom+xml",
        "href": "https://example-films.blogspot.com/feeds/456/comments/default",
    },
    {"rel": "replies", "type": "text/html", "href": f"{POST}#comment-form", "title": "0 Comments"},
]
EDIT_SELF = [
    {
        "rel": "edit",
        "type": "application/atom+xml",
        "href": "https://www.blogger.com/feeds/123/posts/default/456",
    },
    {
        "rel": "self",
        "type": "application/atom+xml",
        "href": "https://www.blogger.com/feeds/123/posts/default/456",
    },
]
ALT = [{"rel": "alternate", "type": "text/html", "href": POST, "title": "Watch Dune"}]


@pytest.mark.parametrize(
    "links",
    [
        REPLIES + EDIT_SELF + ALT,  # the usual order: link[4] happens to be the permalink
        EDIT_SELF + ALT,  # comments off: link[4] does not exist
        ALT + EDIT_SELF + REPLIES,  # reordered: link[4] is the comment form
        EDIT_SELF
        + REPLIES
        + [{"rel": "alternate", "type": "application/atom+xml", "href": "https://x/feed"}]
        + ALT,
    ],
)
def test_post_url_is_the_alternate_link_never_link_4(links: list[dict[str, str]]) -> None:
    post = parse_feed_entry(_entry(links))
    assert post is not None and post.url == POST and post.blog == "example-films.blogspot.com"
    assert post.post_id == "456" and post.published == "2019-07-20T10:38:00+00:00"


def test_entry_without_alternate_link_is_skipped() -> None:
    assert parse_feed_entry(_entry(EDIT_SELF + REPLIES)) is None


def test_summary_entry_and_absent_categories() -> None:
    entry = _entry(ALT)
    entry["summary"] = {"type": "text", "$t": "short text"}
    del entry["content"]
    post = parse_feed_entry(entry)
    assert post is not None and post.html == "short text" and post.tags == []


def test_every_replica_feed_entry_round_trips(dataset: Dataset) -> None:
    for original in dataset.posts_on("blogger"):
        post = parse_feed_entry(feed_entry(original))
        assert post is not None
        assert (post.url, post.post_id, post.title, post.html, post.tags) == (
            original.url,
            original.post_id,
            original.title,
            original.body_html,
            original.tags,
        )
        assert post.published == original.published.isoformat(timespec="seconds")


def test_api_items_round_trip_and_fold_http_urls(dataset: Dataset) -> None:
    request = Request("GET", "www.googleapis.com", "/blogger/v3/blogs/1/posts")
    for original in dataset.posts_on("blogger"):
        item = api_post(original, request)
        assert item["url"].startswith("http://")  # as Blogger reports it
        post = parse_api_post(item)
        assert post is not None and post.url == original.url and post.tags == original.tags
        assert post.published == original.published.isoformat(timespec="seconds")
    assert parse_api_post({"id": "1"}) is None


def test_post_page_gives_the_body_not_the_comment_widget(dataset: Dataset) -> None:
    original = dataset.posts_on("blogger")[0]
    post = parse_post_page(post_page(original), original.url + "?m=1")
    assert post is not None and post.url == original.url and post.post_id == original.post_id
    assert post.title == original.title and post.tags == original.tags
    assert post.published == original.published.isoformat(timespec="seconds")
    assert "Sign in with Google" not in post.html and "accounts.google.com" not in post.html
    assert parse_post_page("<html><body>nothing</body></html>", POST) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://films.blogspot.com/", "films.blogspot.com"),
        (
            "http://Films-HD.blogspot.com.br/2013/06/x.html?m=1",
            "films-hd.blogspot.com",
        ),  # country domain folded
        ("https://films.blogspot.co.uk/", "films.blogspot.com"),
        ("https://www.blogger.com/about/", None),
        ("https://www.blogspot.com/", None),
        ("https://blogspot.com.films.stream-hd.example/watch", None),  # look-alike
        ("https://films.blogspot.com.evil.example/", None),
        ("https://www.imdb.com/find/?q=dune", None),
    ],
)
def test_blogspot_host(url: str, host: str | None) -> None:
    assert blogspot_host(url) == host


def test_canonical_post_url_and_times() -> None:
    assert (
        canonical_post_url("http://films.blogspot.com.br/2013/06/x.html?m=1#comments")
        == "https://films.blogspot.com/2013/06/x.html"
    )
    assert canonical_post_url("https://other.example/a?b=1") == "https://other.example/a?b=1"
    assert utc_iso("2011-08-01T19:58:00.000Z") == "2011-08-01T19:58:00+00:00"
    assert utc_iso("2024-05-01T10:00:00-07:00") == "2024-05-01T17:00:00+00:00"
    assert utc_iso("yesterday") is None and utc_iso(None) is None


def test_feed_next_url() -> None:
    nxt = "https://www.blogger.com/feeds/123/posts/default?alt=json&q=x&start-index=26&max-results=25"
    assert (
        feed_next_url({"link": [{"rel": "self", "href": "s"}, {"rel": "next", "href": nxt}]})
        == nxt
    )
    assert feed_next_url({"link": [{"rel": "self", "href": "s"}]}) is None
