"""The replica's Tumblr vs platforms.md §1: envelopes, paging, keys, 429, robots, redirector, both
formats.

Expectations come from the dataset's ground truth (never hard-coded contents).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from parsel import Selector

from crawler.links import is_platform_url, outbound_links
from crawler.parsers.tumblr import post_html, post_identity, post_links
from pipelines.urls import unwrap
from replica import tumblr
from replica.content import build_dataset
from replica.dataset import Dataset, Post
from replica.http import Request, Router


@pytest.fixture(scope="module")
def world() -> tuple[Router, Dataset]:
    dataset = build_dataset()
    router = Router()
    tumblr.register(router, dataset, tumblr.TumblrConfig(rate_limit_every=0))
    return router, dataset


def call(
    router: Router,
    url: str,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, dict[str, str]]:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params or {})) if q)
    resp = router.dispatch(Request("GET", parts.netloc, parts.path or "/", query, headers or {}))
    body: Any = resp.body.decode()
    if resp.headers and "json" in dict(resp.headers).get("Content-Type", ""):
        body = json.loads(body)
    return resp.status, body, dict(resp.headers)


def api(router: Router, path: str, **params: Any) -> tuple[int, Any, dict[str, str]]:
    return call(router, f"https://api.tumblr.com{path}", {"api_key": "test-key", **params})


def busiest_tag(dataset: Dataset) -> str:
    return Counter(t for p in dataset.posts_on("tumblr") for t in p.tags).most_common(1)[0][0]


def busiest_blog_name(dataset: Dataset) -> str:
    return Counter(p.blog.name for p in dataset.posts_on("tumblr")).most_common(1)[0][0]


@pytest.mark.parametrize(
    "path", ["/v2/tagged?tag=x", "/v2/blog/any/posts", "/v2/timeline/search?query=x"]
)
@pytest.mark.parametrize("key", [None, "", "   "])
def test_a_missing_or_blank_key_gets_the_401_envelope(
    world: Any, path: str, key: str | None
) -> None:
    router, _ = world
    params = {} if key is None else {"api_key": key}
    status, body, _ = call(router, f"https://api.tumblr.com{path}", params)
    assert (
        status == 401
        and body["meta"] == {"status": 401, "msg": "Unauthorized"}
        and body["response"] == []
    )
    assert body["errors"][0]["code"] == 1016 and body["errors"][0]["detail"]


def test_tagged_returns_an_array_paged_by_before(world: Any) -> None:
    router, dataset = world
    tag = busiest_tag(dataset)
    expected = {p.post_id for p in dataset.tagged(tag, "tumblr")}
    seen: set[str] = set()
    before, pages = None, 0
    while pages < 100:
        params = {"tag": tag, "limit": 3, **({"before": before} if before else {})}
        status, body, headers = api(router, "/v2/tagged", **params)
        assert status == 200 and isinstance(body["response"], list)  # no posts/total_posts/_links
        assert "X-Ratelimit-Perhour-Remaining" in headers
        if not body["response"]:
            break
        pages += 1
        assert len(body["response"]) <= 3
        for post in body["response"]:
            assert (
                post["id"] == int(post["id_string"]) and "reblogged_from_id" not in post
            )  # originals only
            seen.add(post["id_string"])
        before = min(p["timestamp"] for p in body["response"])
    assert seen == expected and pages >= 1
    _, body, _ = api(router, "/v2/tagged", tag=tag, limit=50)
    assert len(body["response"]) == min(20, len(expected))  # limit clamped to 20


def test_blog_posts_identifiers_links_next_and_filters(world: Any) -> None:
    router, dataset = world
    name = busiest_blog_name(dataset)
    blog = next(b for b in dataset.blogs_on("tumblr") if b.name == name)
    posts = dataset.posts_on("tumblr", blog)
    totals = {
        ident: api(router, f"/v2/blog/{ident}/posts")[1]["response"]["total_posts"]
        for ident in (blog.name, blog.host, f"{blog.name}.tumblr.com", tumblr._uuid(blog))
    }
    assert set(totals.values()) == {len(posts)}
    ids: list[str] = []
    status, body, _ = api(router, f"/v2/blog/{blog.name}/posts", limit=1, npf="true")
    while True:
        assert status == 200 and body["response"]["blog"]["name"] == blog.name
        ids += [p["id_string"] for p in body["response"]["posts"]]
        nxt = body["response"].get("_links", {}).get("next")
        if not nxt:
            break
        assert (
            "api_key" not in nxt["href"]
            and nxt["method"] == "GET"
            and nxt["query_params"]["page_number"]
        )
        status, body, _ = call(router, f"https://api.tumblr.com{nxt['href']}&api_key=k")
    assert ids == [p.post_id for p in posts]
    tag = Counter(t for p in posts for t in p.tags).most_common(1)[0][0]
    tagged = api(router, f"/v2/blog/{blog.name}/posts", tag=tag)[1]["response"]["posts"]
    assert tagged and all(tag in p["tags"] for p in tagged)
    assert [
        p["id_string"]
        for p in api(router, f"/v2/blog/{blog.name}/posts", offset=1)[1]["response"]["posts"]
    ] == ids[1:21]
    status, body, _ = api(router, f"/v2/blog/{blog.name}/posts", offset=1, before=2_000_000_000)
    assert status == 400 and body["errors"]
    status, body, _ = api(router, "/v2/blog/no-such-blog-here/posts")
    assert status == 404 and body["meta"]["msg"] == "Not Found" and body["errors"][0]["detail"]


def search_query(dataset: Dataset) -> str:
    """A query matching several tumblr posts: the most common 2-word tag (derived from the
    dataset)."""
    return busiest_tag(dataset)


def test_timeline_search_elements_and_cursor(world: Any) -> None:
    router, dataset = world
    query = search_query(dataset)
    expected = {p.post_id for p in dataset.search(query, "tumblr")}
    found: list[str] = []
    _status, body, _ = api(router, "/v2/timeline/search", query=query, mode="recent", limit=2)
    kinds = {e["object_type"] for e in body["response"]["timeline"]["elements"]}
    assert "post" in kinds and kinds - {"post"}  # other components to ignore
    while True:
        timeline = body["response"]["timeline"]
        found += [e["id_string"] for e in timeline["elements"] if e["object_type"] == "post"]
        assert all(
            e["type"] == "blocks" for e in timeline["elements"] if e["object_type"] == "post"
        )
        if "_links" not in timeline:
            break
        assert "api_key" not in timeline["_links"]["next"]["href"]
        _status, body, _ = call(
            router, f"https://api.tumblr.com{timeline['_links']['next']['href']}&api_key=k"
        )
    assert sorted(found) == sorted(expected) and len(found) == len(set(found))


def test_web_search_api_is_camelcase_and_needs_the_page_token(world: Any) -> None:
    router, dataset = world
    query = search_query(dataset)
    url = "https://www.tumblr.com/api/v2/timeline/search"
    assert call(router, url, {"query": query})[0] == 401
    headers = {"authorization": "Bearer t", "accept": "application/json;format=camelcase"}
    _status, body, _ = call(router, url, {"query": query, "limit": 1}, headers)
    timeline = body["response"]["timeline"]
    post = next(e for e in timeline["elements"] if e["objectType"] == "post")
    assert {"postUrl", "idString", "blogName", "content"} <= set(post) and "post_url" not in post
    if len(dataset.search(query, "tumblr")) > 1:
        assert timeline["links"]["next"]["queryParams"]["cursor"]


def test_the_search_page_has_no_results_before_its_script_runs(world: Any) -> None:
    router, dataset = world
    query = search_query(dataset)
    status, page, _ = call(
        router, f"https://www.tumblr.com/search/{query.replace(' ', '%20')}/recent"
    )
    assert status == 200 and "___INITIAL_STATE___" in page and "/api/v2/timeline/search" in page
    assert "/post/" not in page and not any(
        p.post_id in page for p in dataset.search(query, "tumblr")
    )


def test_every_nth_request_of_a_key_is_rate_limited() -> None:
    router = Router()
    tumblr.register(
        router, build_dataset(), tumblr.TumblrConfig(rate_limit_every=3, rate_limit_reset=2)
    )
    statuses = [api(router, "/v2/tagged", tag="x")[0] for _ in range(4)]
    assert statuses == [200, 200, 429, 200]
    router.tumblr._key_counts.clear()  # type: ignore[attr-defined]
    api(router, "/v2/tagged", tag="x"), api(router, "/v2/tagged", tag="x")
    status, body, headers = api(router, "/v2/tagged", tag="x")
    assert (
        status == 429
        and body["meta"] == {"status": 429, "msg": "Limit Exceeded"}
        and body["errors"]
    )
    assert (
        headers["X-Ratelimit-Perhour-Remaining"] == "0"
        and headers["X-Ratelimit-Perhour-Reset"] == "2"
    )


def test_robots_hides_blogs_hidden_from_search() -> None:
    dataset = build_dataset()
    blogs = dataset.blogs_on("tumblr")
    if not any(b.options.get("robots_disallow_all") for b in blogs):
        blogs[0].options["robots_disallow_all"] = True
    router = Router()
    tumblr.register(router, dataset)
    for blog in blogs:
        robots = call(router, f"https://{blog.host}/robots.txt")[1]
        if blog.options.get("robots_disallow_all"):
            assert robots == "User-agent: *\nDisallow: /\n"
        else:
            assert "Disallow: /\n" not in robots and "Disallow: /search" in robots
    www = call(router, "https://www.tumblr.com/robots.txt")[1]
    assert "Disallow: /search" not in www  # the search page may be fetched (and rendered)


def test_redirector_302s_to_z_and_shows_an_interstitial_for_a_bad_signature(world: Any) -> None:
    router, _ = world
    target = "https://lure.example/watch?film=man+of+steel&x=1"
    wrapped = tumblr.wrap_link(target)
    assert wrapped.startswith("https://t.umblr.com/redirect?z=") and unwrap(wrapped) == target
    resp = router.dispatch(Request("GET", "t.umblr.com", "/redirect", urlsplit(wrapped).query))
    assert resp.status == 302 and dict(resp.headers)["Location"] == target
    status, page, _ = call(router, wrapped.replace("&t=", "&t=x"))
    assert status == 200 and 'href="https://lure.example/watch?film=man+of+steel&amp;x=1"' in page


def test_theme_pages(world: Any) -> None:
    router, dataset = world
    post = dataset.posts_on("tumblr")[0]
    status, page, _ = call(router, post.url)
    assert status == 200 and f'content="{post.url}"' in page
    assert all(
        unwrap(u) == u for u in outbound_links(page, post.url)
    )  # links unwrapped by the parser
    resp = router.dispatch(Request("GET", post.blog.host, f"/post/{post.post_id}"))
    assert resp.status == 301 and dict(resp.headers)["Location"] == post.url
    tag = post.tags[0]
    assert post.url in call(router, f"https://{post.blog.host}/tagged/{tag.replace(' ', '-')}")[1]
    rss = call(router, f"https://{post.blog.host}/rss")[1]
    assert f"<generator>Tumblr (3.0; @{post.blog.name})</generator>" in rss and post.url in rss


def expected_links(post: Post) -> set[str]:
    """Outbound links a Tumblr post can carry: anchors and embeds (Tumblr posts have no forms)."""
    sel = Selector(text=post.body_html)
    found = sel.css(
        "a::attr(href), iframe::attr(src), video::attr(src), source::attr(src)"
    ).getall()
    return {unwrap(u) for u in found if u.startswith("http") and not is_platform_url(unwrap(u))}


@pytest.mark.parametrize("npf", ["true", "false"])
def test_the_spider_recovers_every_outbound_link_from_both_formats(world: Any, npf: str) -> None:
    router, dataset = world
    for blog in dataset.blogs_on("tumblr"):
        body = api(router, f"/v2/blog/{blog.name}/posts", npf=npf, limit=20)[1]["response"]
        posts = body["posts"]
        for raw in posts:
            post_id, name, url = post_identity(raw)
            truth = dataset.post_by_url(url)
            assert truth is not None and truth.post_id == post_id and name == blog.name
            links = set(outbound_links(post_html(raw), url, own_hosts=(blog.host,))) | set(
                post_links(raw)
            )
            assert expected_links(truth) <= links, (npf, url)
            assert not any("t.umblr.com" in u for u in links)
