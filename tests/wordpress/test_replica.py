"""The replica's WordPress endpoints: envelopes, paging, headers and error bodies (router called
directly)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from replica.app import build_router
from replica.http import Request, Response, Router
from replica.wordpress import slugify
from tests.wordpress._world import build_world

API = "public-api.wordpress.com"


@pytest.fixture(scope="module")
def router() -> Router:
    return build_router(dataset=build_world())


def get(router: Router, host: str, path: str, query: str = "") -> Response:
    return router.dispatch(Request("GET", host, path, query))


def body(response: Response) -> Any:
    return json.loads(response.body)


def links(response: Response) -> str:
    return ", ".join(v for k, v in response.headers if k == "Link")


def test_reader_tag_stream_pages_by_handle_and_date_range(router: Router) -> None:
    first = body(get(router, API, "/rest/v1.2/read/tags/man-of-steel/posts", "number=2"))
    assert len(first["posts"]) == 2 and first["meta"]["next_page"]
    post = first["posts"][0]
    assert {"site_URL", "site_name", "feed_ID", "is_external", "URL"} <= set(post)
    assert isinstance(post["tags"], dict)
    # tag streams hold WordPress.com and Jetpack sites only: no followed feed, no invented
    # is_external; a self-hosted site without Jetpack is in none
    streamed = body(get(router, API, "/rest/v1.2/read/tags/man-of-steel/posts", "number=40"))
    assert not any(p["is_external"] for p in streamed["posts"])
    assert not any("filmstreaming-vf.fr" in p["URL"] for p in streamed["posts"])
    handle = first["meta"]["next_page"]
    second = body(
        get(
            router,
            API,
            "/rest/v1.2/read/tags/man-of-steel/posts",
            f"number=2&page_handle={handle}",
        )
    )
    assert {p["URL"] for p in second["posts"]}.isdisjoint({p["URL"] for p in first["posts"]})
    v11 = body(get(router, API, "/rest/v1.1/read/tags/man-of-steel/posts", "number=2"))
    assert "meta" not in v11 and v11["date_range"]["after"]
    older = body(
        get(
            router,
            API,
            "/rest/v1.1/read/tags/man-of-steel/posts",
            f"number=2&before={v11['date_range']['after']}",
        )
    )
    last = datetime.fromisoformat(v11["posts"][-1]["date"])
    assert older["posts"] and all(datetime.fromisoformat(p["date"]) < last for p in older["posts"])
    too_many = get(router, API, "/rest/v1.2/read/tags/man-of-steel/posts", "number=41")
    assert too_many.status == 400 and body(too_many)["error"] == "invalid_number"


def test_sites_posts_search_envelope_and_errors(router: Router) -> None:
    wp = router.wordpress  # type: ignore[attr-defined]
    site = next(s for s in wp.sites.values() if s.blog.kind == "wpcom" and len(s.posts) > 3)
    page = body(get(router, API, f"/rest/v1.1/sites/{site.host}/posts/", "number=2"))
    assert (
        page["found"] == len(site.posts) and len(page["posts"]) == 2 and page["meta"]["next_page"]
    )
    assert get(router, API, f"/rest/v1.1/sites/{site.site_id}/posts/", "number=101").status == 400
    assert (
        body(get(router, API, "/rest/v1.1/sites/nowhere.example/posts/"))["error"]
        == "unknown_blog"
    )
    wrapped = get(router, API, "/rest/v1.1/sites/nowhere.example/posts/", "http_envelope=1")
    assert wrapped.status == 200 and body(wrapped)["code"] == 404
    assert (
        "next_page"
        not in body(get(router, API, f"/rest/v1.1/sites/{site.host}/posts/", "number=2&page=1"))[
            "meta"
        ]
    )


def test_core_search_headers_links_and_errors(router: Router) -> None:
    host = "films-hub.example"
    response = get(router, host, "/wp-json/wp/v2/search", "search=Man+of+Steel&per_page=1")
    results = body(response)
    headers = dict(response.headers)
    assert int(headers["X-WP-Total"]) >= 2 and headers["X-WP-TotalPages"] == headers["X-WP-Total"]
    assert 'rel="next"' in links(response) and 'rel="https://api.w.org/"' in links(response)
    assert isinstance(results[0]["title"], str) and results[0]["_links"]["self"][0][
        "href"
    ].endswith(f"/posts/{results[0]['id']}")
    past = get(router, host, "/wp-json/wp/v2/search", "search=Man+of+Steel&page=99")
    assert past.status == 400 and body(past)["code"] == "rest_search_invalid_page_number"
    assert (
        body(get(router, host, "/wp-json/wp/v2/search", "search=x&type=bogus"))["code"]
        == "rest_search_invalid_type"
    )


def test_core_posts_shape_embed_and_errors(router: Router) -> None:
    host = "films-hub.example"
    post = body(
        get(router, host, "/wp-json/wp/v2/posts", "search=Man+of+Steel&per_page=1&_embed=wp:term")
    )[0]
    assert post["title"]["rendered"] and post["content"]["protected"] is False
    assert "T" in post["date_gmt"] and "+" not in post["date_gmt"]
    names = [
        t["name"]
        for group in post["_embedded"]["wp:term"]
        for t in group
        if t["taxonomy"] == "post_tag"
    ]
    assert names and all(isinstance(t, int) for t in post["tags"])
    assert (
        body(get(router, host, "/wp-json/wp/v2/posts", "per_page=101"))["code"]
        == "rest_invalid_param"
    )
    assert (
        body(get(router, host, "/wp-json/wp/v2/posts", "search=Man+of+Steel&page=50"))["code"]
        == "rest_post_invalid_page_number"
    )
    assert get(router, host, f"/wp-json/wp/v2/posts/{post['id']}").status == 200
    assert body(get(router, host, "/wp-json/wp/v2/posts/1"))["code"] == "rest_post_invalid_id"


def test_quirks_plain_blocked_old_and_wpcom_core(router: Router) -> None:
    assert get(router, "plain-movies.example", "/wp-json/wp/v2/search", "search=x").status == 404
    plain = get(
        router,
        "plain-movies.example",
        "/",
        "rest_route=/wp/v2/search&search=Man+of+Steel&per_page=1",
    )
    assert plain.status == 200 and "rest_route=" in links(plain)
    blocked = get(router, "locked-stream.example", "/wp-json/wp/v2/posts")
    assert blocked.status == 401 and body(blocked)["code"] == "rest_not_logged_in"
    assert get(router, "locked-stream.example", "/", "rest_route=/wp/v2/posts").status == 401
    assert (
        body(get(router, "old-wp.example", "/wp-json/wp/v2/search", "search=x"))["code"]
        == "rest_no_route"
    )
    core = get(router, API, "/wp/v2/sites/cinemanow.example/search", "search=Man+of+Steel")
    assert core.status == 200 and body(core)[0]["_links"]["self"][0]["href"].startswith(
        f"https://{API}/wp/v2/sites/"
    )


@pytest.mark.parametrize("host", ["locked-stream.example", "locked-classic.example"])
def test_html_search_and_feed(router: Router, host: str) -> None:
    page = get(router, host, "/", "s=Man+of+Steel").body.decode()
    assert "search-results" in page and "application/rss+xml" in page
    assert (
        ("a.next" in page)
        or ("page-numbers" in page)
        or ("wp-block-query-pagination-next" in page)
    )
    assert get(router, host, "/page/2/", "s=Man+of+Steel").status == 200
    assert get(router, host, "/page/40/", "s=Man+of+Steel").status == 404
    assert "search-no-results" in get(router, host, "/", "s=zzzqqq").body.decode()
    feed = get(router, host, "/search/Man+of+Steel/feed/rss2/").body.decode()
    assert (
        "<content:encoded><![CDATA[" in feed
        and "+0000</pubDate>" in feed
        and "wordpress.org/?v=" in feed
    )
    assert get(router, host, "/", "s=Man+of+Steel&feed=rss2").body.decode().count("<item>") == 2


def test_robots_and_api_link_header(router: Router) -> None:
    assert "Disallow: /wp-admin/" in get(router, "films-hub.example", "/robots.txt").body.decode()
    assert (
        get(router, "no-robots.example", "/robots.txt")
        .body.decode()
        .strip()
        .endswith("Disallow: /")
    )
    wp = router.wordpress  # type: ignore[attr-defined]
    post = wp.sites["films-hub.example"].posts[0]
    path = post.url.split("films-hub.example", 1)[1]
    response = get(router, "films-hub.example", path)
    assert (
        response.status == 200
        and '<https://films-hub.example/wp-json/>; rel="https://api.w.org/"' in links(response)
    )


def test_slugify() -> None:
    assert slugify("Fast & Furious 6 full movie") == "fast-furious-6-full-movie"
    assert slugify("Película Completa") == "pelicula-completa"
