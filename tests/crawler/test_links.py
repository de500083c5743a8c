"""Outbound links of a post: unwrapped, platform hosts left out, broken ones skipped."""

from __future__ import annotations

from urllib.parse import quote

from crawler.links import is_platform_url, outbound_links

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
    assert is_platform_url("https://FILMS.BLOGSPOT.COM./2024/x.html")
    assert is_platform_url("https://own.example/post", own_hosts=("own.example",))
    assert not is_platform_url("https://tumblr.com.evil.example/")
