"""The tumblr spider's post parsing: legacy and NPF bodies, outbound links, ids beyond 2**53,
t.umblr.com."""

from __future__ import annotations

import json
from typing import Any

from crawler.links import outbound_links
from crawler.parsers.tumblr import (
    post_html,
    post_identity,
    post_links,
    post_title,
    state_post_urls,
)
from pipelines.items import Hit
from pipelines.urls import unwrap
from tests._settings import lurewatch_crawler

LURE = "https://watch-hd.example/man-of-steel?src=tumblr&x=1"
WRAPPED = (
    "https://t.umblr.com/redirect?z=https%3A%2F%2Fwatch-hd.example%2Fman-of-steel%3Fsrc%3Dtumblr%26x%3D1"
    "&t=ZWZiYjc0MmE0ZjQ4YWRhNGVjNGQwY2MwYjcxMmE3ODZlYTdmZjM0ZSxGalBJelNlOA%3D%3D&b=t%3Aabc&m=1"
)


def test_the_id_comes_from_id_string_never_the_json_int() -> None:
    # platforms.md §0: a real fixture whose int was mangled by a JavaScript round trip
    post = json.loads(
        '{"id": 706888475865137200, "id_string": "706888475865137152", "blog_name": "b",'
        ' "post_url": "https://b.tumblr.com/post/706888475865137152/x"}'
    )
    assert post_identity(post) == (
        "706888475865137152",
        "b",
        "https://b.tumblr.com/post/706888475865137152/x",
    )
    # Python keeps it; JS would not
    assert json.loads('{"id": 706888475865137152}')["id"] == 706888475865137152


def test_camelcase_posts_of_the_web_api() -> None:
    post = {
        "objectType": "post",
        "idString": "7",
        "blogName": "b",
        "postUrl": "https://b.tumblr.com/post/7",
    }
    assert post_identity(post) == ("7", "b", "https://b.tumblr.com/post/7")


def test_tumblr_redirector_unwraps() -> None:
    assert unwrap(WRAPPED) == LURE
    assert outbound_links(
        f'<p><a href="{WRAPPED.replace("&", "&amp;")}">go</a></p>', "https://b.tumblr.com/"
    ) == [LURE]


def test_legacy_text_photo_link_video() -> None:
    text = {
        "type": "text",
        "title": "Watch",
        "body": f'<p>Full movie <a href="{WRAPPED}">here</a></p>',
    }
    assert "Full movie" in post_html(text) and post_title(text) == "Watch"
    photo = {
        "type": "photo",
        "caption": "<p>Man of Steel HD</p>",
        "photos": [{"caption": "", "original_size": {"url": "https://64.media.tumblr.com/a.jpg"}}],
    }
    assert "Man of Steel HD" in post_html(photo) and "64.media.tumblr.com" in post_html(photo)
    link = {"type": "link", "title": "Stream", "url": LURE, "description": "<p>watch free</p>"}
    assert post_links(link) == [LURE] and "watch free" in post_html(link)
    video = {
        "type": "video",
        "caption": "<p>trailer</p>",
        "permalink_url": "https://www.youtube.com/watch?v=abc",
        "video_url": "https://va.media.tumblr.com/tumblr_x.mp4",
    }
    assert post_links(video) == [
        "https://www.youtube.com/watch?v=abc"
    ]  # tumblr's own media is not outbound


def npf_post() -> dict[str, Any]:
    return {
        "type": "blocks",
        "id_string": "1",
        "summary": "sum",
        "content": [
            {"type": "text", "subtype": "heading1", "text": "Man of Steel (2013) full movie"},
            {
                "type": "text",
                "text": "Watch it here now",
                "formatting": [
                    {"start": 0, "end": 5, "type": "bold"},
                    {"start": 9, "end": 13, "type": "link", "url": WRAPPED},
                ],
            },
            {
                "type": "link",
                "url": "https://landing.example/play",
                "title": "HD player",
                "site_name": "landing",
            },
            {
                "type": "video",
                "provider": "youtube",
                "url": "https://www.youtube.com/watch?v=z",
                "embed_url": "https://www.youtube.com/embed/z",
            },
            {"type": "poll", "question": "ignored"},
        ],
        "layout": [{"type": "rows", "display": [{"blocks": [0, 1, 2, 3]}]}],
        "trail": [
            {
                "post": {"id": "2"},
                "blog": {"name": "old"},
                "content": [{"type": "link", "url": "https://trail.example/x"}],
            }
        ],
    }


def test_npf_blocks_text_links_and_trail() -> None:
    post = npf_post()
    body = post_html(post)
    assert post_title(post) == "Man of Steel (2013) full movie"
    assert "Watch it <a href=" in body and "HD player" in body and "ignored" not in body
    assert outbound_links(body, "https://b.tumblr.com/post/1") == [
        LURE
    ]  # the formatting link, unwrapped
    links = post_links(post)  # link blocks, video URLs and the trail: not anchors of the body
    assert links == [
        LURE,
        "https://landing.example/play",
        "https://www.youtube.com/watch?v=z",
        "https://www.youtube.com/embed/z",
        "https://trail.example/x",
    ]
    assert all("t.umblr.com" not in u for u in links)


def test_initial_state_post_urls() -> None:
    page = (
        '<script type="application/json" id="___INITIAL_STATE___">{"a": [{"postUrl": '
        '"https://b.tumblr.com/post/5/x", "blogName": "b"}], '
        '"b": {"c": {"postUrl": "https://c.tumblr.com/post/6"}}}'
        "</script>"
    )
    assert sorted(state_post_urls(page)) == [
        "https://b.tumblr.com/post/5/x",
        "https://c.tumblr.com/post/6",
    ]
    assert state_post_urls("<html></html>") == []


def test_the_key_offline_placeholder_and_online_without_key() -> None:
    from crawler import defaults
    from crawler.spiders.tumblr import TumblrSpider

    offline = TumblrSpider.from_crawler(
        lurewatch_crawler(TumblrSpider, {"LUREWATCH_OFFLINE_ORIGIN": "http://127.0.0.1:1"})
    )
    assert (
        offline.api_key == defaults.LUREWATCH_OFFLINE_PLACEHOLDER_KEY
        and "tagged" in offline.enabled
    )
    online = TumblrSpider.from_crawler(lurewatch_crawler(TumblrSpider, {}))
    # no API call that would only get a 401: the search page and blogs' theme pages remain
    assert online.api_key == "" and online.enabled == {"render", "blog"}
    hit = Hit(url="https://spam.tumblr.com/post/1", platform="tumblr", blog="spam.tumblr.com")
    (listing,) = online.expansion_requests(hit)
    assert listing.url == "https://spam.tumblr.com/" and "api.tumblr.com" not in listing.url
    keyed = TumblrSpider.from_crawler(lurewatch_crawler(TumblrSpider, {"TUMBLR_API_KEY": "k"}))
    request = next(iter(keyed.search_requests(keyed.titles[0])))
    assert (
        request.url.startswith("https://api.tumblr.com/v2/tagged?") and "api_key=k" in request.url
    )
