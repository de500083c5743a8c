"""The Blogger replica speaks Blogger's formats (platforms.md §4): feeds, post pages, robots.txt,
API v3."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from parsel import Selector

from replica.blogger import FEED_MAX_RESULTS
from replica.dataset import Dataset
from replica.http import Router
from replica.server import ReplicaServer
from tests.blogger._helpers import busiest_blog, call, call_json, shared_word_query

KEY = {"X-goog-api-key": "test-key"}


@pytest.fixture(scope="module")
def router(replica: ReplicaServer) -> Router:
    return replica._server.router


def _link(links: list[dict[str, str]], rel: str) -> str | None:
    return next((link["href"] for link in links if link["rel"] == rel), None)


def test_json_feed_envelope(router: Router, dataset: Dataset) -> None:
    blog = busiest_blog(dataset)
    posts = dataset.posts_on("blogger", blog)
    status, doc = call_json(router, f"https://{blog.host}/feeds/posts/default?alt=json")
    assert status == 200 and doc["version"] == "1.0" and doc["encoding"] == "UTF-8"
    feed = doc["feed"]
    assert feed["id"]["$t"] == f"tag:blogger.com,1999:blog-{blog.blog_id}"
    assert feed["openSearch$totalResults"] == {"$t": str(len(posts))}  # numbers are strings
    assert feed["openSearch$startIndex"] == {"$t": "1"} and feed["openSearch$itemsPerPage"] == {
        "$t": "25"
    }
    assert feed["generator"]["$t"] == "Blogger"
    entry = feed["entry"][0]
    assert entry["id"]["$t"] == f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{posts[0].post_id}"
    assert entry["content"]["type"] == "html" and entry["content"]["$t"] == posts[0].body_html
    assert _link(entry["link"], "alternate") == posts[0].url
    if posts[0].tags:
        assert [c["term"] for c in entry["category"]] == posts[0].tags
    assert len(feed["entry"]) == min(25, len(posts))


def test_feed_pagination_points_at_www_blogger_com(router: Router, dataset: Dataset) -> None:
    blog = busiest_blog(dataset)
    posts = dataset.posts_on("blogger", blog)
    _, first = call_json(router, f"https://{blog.host}/feeds/posts/default?alt=json&max-results=1")
    next_url = _link(first["feed"]["link"], "next")
    assert next_url is not None
    parts = urlsplit(next_url)
    assert (
        parts.netloc == "www.blogger.com" and parts.path == f"/feeds/{blog.blog_id}/posts/default"
    )
    assert parse_qs(parts.query)["start-index"] == ["2"] and parse_qs(parts.query)[
        "max-results"
    ] == ["1"]
    _, second = call_json(router, next_url)  # the replica serves www.blogger.com too
    assert _link(second["feed"]["entry"][0]["link"], "alternate") == posts[1].url
    assert second["feed"]["openSearch$startIndex"] == {"$t": "2"}
    _, past = call_json(router, f"{next_url.split('?')[0]}?alt=json&start-index={len(posts) + 1}")
    assert "entry" not in past["feed"]  # absent, not empty, when there are no results
    assert _link(past["feed"]["link"], "next") is None


def test_feed_search_and_cap(router: Router, dataset: Dataset) -> None:
    blog = busiest_blog(dataset)
    word, matches = shared_word_query(dataset, blog)
    _, doc = call_json(
        router, f"https://{blog.host}/feeds/posts/default?alt=json&q={quote(word)}&max-results=500"
    )
    assert doc["feed"]["openSearch$itemsPerPage"] == {"$t": str(FEED_MAX_RESULTS)}  # capped at 150
    assert [_link(e["link"], "alternate") for e in doc["feed"]["entry"]] == [
        p.url for p in matches
    ]
    _, none = call_json(
        router, f"https://{blog.host}/feeds/posts/default?alt=json&q=zzqqxxnotaword"
    )
    assert "entry" not in none["feed"] and none["feed"]["openSearch$totalResults"] == {"$t": "0"}


def test_summary_label_atom_and_script_feeds(router: Router, dataset: Dataset) -> None:
    blog = busiest_blog(dataset)
    tagged = (
        next(p for p in dataset.posts_on("blogger", blog) if p.tags)
        if any(p.tags for p in dataset.posts_on("blogger", blog))
        else None
    )
    _, summary = call_json(router, f"https://{blog.host}/feeds/posts/summary?alt=json")
    assert all("summary" in e and "content" not in e for e in summary["feed"]["entry"])
    if tagged is not None:
        label = tagged.tags[0]
        _, labelled = call_json(
            router, f"https://{blog.host}/feeds/posts/default/-/{quote(label)}?alt=json"
        )
        urls = [_link(e["link"], "alternate") for e in labelled["feed"]["entry"]]
        assert tagged.url in urls and len(urls) == len(dataset.tagged(label, "blogger", blog))
    atom = call(router, f"https://{blog.host}/feeds/posts/default")
    assert (
        atom.status == 200 and b"<feed xmlns='http://www.w3.org/2005/Atom'" in atom.body
    )  # Atom is the default
    script = call(
        router, f"https://{blog.host}/feeds/posts/default?alt=json-in-script&callback=cb"
    )
    assert script.body.decode().startswith("// API callback\ncb({")
    assert call(router, f"https://{blog.host}/feeds/posts/default?alt=rss").body.startswith(
        b"<?xml"
    )


def test_entries_without_comments_move_the_alternate_link(
    router: Router, dataset: Dataset
) -> None:
    """Posts with comments off have no ``replies`` links: ``link[4]`` is not the permalink for
    them."""
    from replica.blogger.feeds import _comments_enabled, feed_entry

    for post in dataset.posts_on("blogger"):
        rels = [link["rel"] for link in feed_entry(post)["link"]]
        assert rels.index("alternate") == (4 if _comments_enabled(post) else 2)
        assert _link(feed_entry(post)["link"], "alternate") == post.url


def test_post_page_markup_and_comment_widget(router: Router, dataset: Dataset) -> None:
    post = dataset.posts_on("blogger")[0]
    response = call(router, post.url)
    assert response.status == 200
    sel = Selector(text=response.body.decode())
    assert sel.css(f"div.post-body#post-body-{post.post_id}")
    assert " ".join(sel.css("h3.post-title ::text").getall()).strip() == post.title
    assert sel.css("a[rel=tag]::text").getall() == post.tags
    assert (
        "Sign in with Google" in sel.css("div.comment-form").get()
    )  # Blogger's own, legitimate widget
    assert call(router, f"https://{post.blog.host}/2001/01/no-such-post.html").status == 404
    assert (
        call(router, "https://no-such-blog-zz.blogspot.com/feeds/posts/default?alt=json").status
        == 404
    )


def test_default_robots_txt_disallows_search(router: Router, dataset: Dataset) -> None:
    blog = busiest_blog(dataset)
    robots = call(router, f"https://{blog.host}/robots.txt").body.decode()
    assert "User-agent: *\nDisallow: /search\nAllow: /" in robots
    assert f"Sitemap: https://{blog.host}/sitemap.xml" in robots
    assert (
        call(router, f"https://{blog.host}/search?q=movie").status == 200
    )  # exists, but is off-limits
    assert "Allow: /" in call(router, "https://www.blogger.com/robots.txt").body.decode()


@pytest.mark.parametrize(
    "base", ["https://www.googleapis.com/blogger/v3", "https://blogger.googleapis.com/v3"]
)
def test_api_byurl_and_posts_list_paging(router: Router, dataset: Dataset, base: str) -> None:
    blog = busiest_blog(dataset)
    posts = dataset.posts_on("blogger", blog)
    status, found = call_json(router, f"{base}/blogs/byurl?url=https://{blog.host}/", KEY)
    assert status == 200 and found["kind"] == "blogger#blog" and found["id"] == blog.blog_id
    assert found["posts"]["totalItems"] == len(posts) and found["selfLink"].startswith(base)
    _, page1 = call_json(router, f"{base}/blogs/{blog.blog_id}/posts?maxResults=1&key=k")
    assert page1["kind"] == "blogger#postList" and len(page1["items"]) == 1
    _, page2 = call_json(
        router,
        f"{base}/blogs/{blog.blog_id}/posts?maxResults=1&key=k&pageToken={page1['nextPageToken']}",
    )
    item = page2["items"][0]
    assert item["id"] == posts[1].post_id and item["blog"] == {"id": blog.blog_id}
    assert isinstance(item["replies"]["totalItems"], str)
    assert ("labels" in item) == bool(posts[1].tags)


def test_api_search_honours_page_token(router: Router, dataset: Dataset) -> None:
    blog = busiest_blog(dataset)
    word, matches = shared_word_query(dataset, blog)
    state = router.blogger  # type: ignore[attr-defined]
    saved, state.api_search_page_size = state.api_search_page_size, 1
    try:
        url = f"https://www.googleapis.com/blogger/v3/blogs/{blog.blog_id}/posts/search?q={quote(word)}"
        _, first = call_json(router, url, KEY)
        _, second = call_json(router, f"{url}&pageToken={first['nextPageToken']}", KEY)
    finally:
        state.api_search_page_size = saved
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [p.post_id for p in matches[:2]]
    _, empty = call_json(
        router,
        f"https://www.googleapis.com/blogger/v3/blogs/{blog.blog_id}/posts/search?q=zzqqxx",
        KEY,
    )
    assert empty["kind"] == "blogger#postList" and "items" not in empty


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        ({}, 403, "forbidden"),
        ({"X-goog-api-key": "invalid-key"}, 400, "keyInvalid"),
    ],
)
def test_api_key_errors_use_googles_envelope(
    router: Router, dataset: Dataset, headers: dict[str, str], status: int, reason: str
) -> None:
    blog = busiest_blog(dataset)
    code, body = call_json(
        router, f"https://blogger.googleapis.com/v3/blogs/byurl?url=https://{blog.host}/", headers
    )
    assert code == status and body["error"]["code"] == status
    assert (
        body["error"]["errors"][0]["reason"] == reason
        and body["error"]["errors"][0]["domain"] == "global"
    )
    assert body["error"]["message"] and body["error"]["status"]


def test_api_not_found_and_required(router: Router) -> None:
    status, body = call_json(
        router,
        "https://www.googleapis.com/blogger/v3/blogs/byurl?url=https://nope-zz.blogspot.com/",
        KEY,
    )
    assert status == 404 and body["error"]["errors"][0]["reason"] == "notFound"
    status, body = call_json(router, "https://www.googleapis.com/blogger/v3/blogs/byurl", KEY)
    assert status == 400 and body["error"]["errors"][0]["reason"] == "required"
