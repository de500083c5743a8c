"""Outbound links of a post: unwrapped, the own blog and platform hosts left out, other blogs
kept (and told apart as posts), broken ones skipped."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from crawler.links import cross_blog_post, is_platform_url, outbound_links

POST = "https://films.tumblr.com/post/1"
LURE = "https://evil.example/watch?id=1"


def test_links_are_unwrapped_deduplicated_and_in_order() -> None:
    google = f"https://www.google.com/url?q={quote(LURE, safe='')}"
    body = (
        f'<a href="https://t.umblr.com/redirect?z={quote(google, safe="")}&t=x">watch</a>'
        '<a href="/tagged/dune">#dune</a><a href="https://www.tumblr.com/other">blog</a>'
        f'<a href="{LURE}">again</a><iframe src="https://player.example/embed/1"></iframe>'
    )
    assert outbound_links(body, POST) == [LURE, "https://player.example/embed/1"]
    assert outbound_links(body, POST, limit=1) == [LURE]


def test_broken_and_non_web_links_are_skipped() -> None:
    body = (
        '<a href="http://[x/">ipv6</a><a href="http://a.example:99999/">port</a>'
        '<a href="mailto:a@b.example">mail</a><a href="javascript:go()">js</a>'
        '<a href="#top">top</a>'
        f'<a href="{LURE}">lure</a>'
    )
    assert outbound_links(body, POST) == [LURE]


def test_platform_hosts_are_not_outbound() -> None:
    assert is_platform_url("https://64.media.tumblr.com/x.jpg")
    assert is_platform_url("https://1.bp.blogspot.com/x.jpg")
    assert is_platform_url("https://blogger.googleusercontent.com/img/b/x.jpg")
    assert is_platform_url("https://www.tumblr.com/dashboard")
    assert is_platform_url("https://api.tumblr.com/v2/tagged")
    assert is_platform_url("https://own.example/post", own_hosts=("own.example",))
    assert not is_platform_url("https://tumblr.com.evil.example/")


def test_other_blogs_and_google_pages_are_outbound() -> None:
    body = (
        '<a href="https://films.tumblr.com/archive">own archive</a>'
        '<a href="https://FILMS.TUMBLR.COM./tagged/x">own tag</a>'
        '<a href="https://player-hd.blogspot.com/2026/05/dune.html">player</a>'
        '<a href="https://other.tumblr.com/post/42/watch">other</a>'
        '<a href="https://streams.wordpress.com/2026/05/01/dune/">wpcom</a>'
        '<a href="https://sites.google.com/view/dune-hd">site</a>'
        '<a href="https://docs.google.com/forms/d/e/1/viewform">form</a>'
        '<a href="https://script.googleusercontent.com/macros/echo?x=1">script</a>'
    )
    assert outbound_links(body, POST) == [
        "https://player-hd.blogspot.com/2026/05/dune.html",
        "https://other.tumblr.com/post/42/watch",
        "https://streams.wordpress.com/2026/05/01/dune/",
        "https://sites.google.com/view/dune-hd",
        "https://docs.google.com/forms/d/e/1/viewform",
        "https://script.googleusercontent.com/macros/echo?x=1",
    ]


@pytest.mark.parametrize(
    ("url", "platform", "blog", "post_id"),
    [
        ("https://other.tumblr.com/post/42/watch", "tumblr", "other.tumblr.com", "42"),
        ("https://p.blogspot.com/2026/05/dune.html", "blogger", "p.blogspot.com", None),
        ("https://s.wordpress.com/2026/05/01/dune/", "wordpress", "s.wordpress.com", None),
    ],
)
def test_a_link_to_another_blogs_post_is_a_cross_post(
    url: str, platform: str, blog: str, post_id: str | None
) -> None:
    post = cross_blog_post(url)
    assert post is not None
    assert (post.platform, post.blog, post.post_id) == (platform, blog, post_id)


@pytest.mark.parametrize(
    "url",
    [
        "https://films.tumblr.com/post/7",  # the post's own blog
        "https://other.tumblr.com/archive",  # another blog, not a post
        "https://p.blogspot.com/search/label/x",
        "https://www.tumblr.com/other/42",  # platform host: read by the Tumblr parser itself
        "https://evil.example/2026/05/dune.html",
    ],
)
def test_own_blog_and_non_post_links_are_no_cross_posts(url: str) -> None:
    assert cross_blog_post(url, own_hosts=("films.tumblr.com",)) is None
