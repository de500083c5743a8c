"""End to end: the ``wordpress`` spider against the replica (shared dataset plus the quirk
blogs)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from replica.app import build_router
from replica.dataset import Dataset
from replica.server import ReplicaServer
from replica.wordpress import slugify
from tests._crawl import read_jsonl, run_crawl, stats_of
from tests.wordpress._world import CONFIGURED_SITES, QUIRKS, build_world, write_watchlists

pytestmark = pytest.mark.crawl  # whole crawls (rendering off)


@pytest.fixture(scope="module")
def world() -> Dataset:
    return build_world()


@pytest.fixture(scope="module")
def crawl(world: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One crawl with small pages (2 per page) so that every endpoint pages past page 1."""
    tmp = tmp_path_factory.mktemp("wordpress")
    titles, searches = write_watchlists(tmp, world)
    router = build_router(dataset=world)
    with ReplicaServer(router=router) as server:
        out = tmp / "hits.jsonl"
        proc = run_crawl(
            "wordpress",
            server.origin,
            out,
            {
                # detection judges the posts (every one kept): a blog with a hit is expanded
                "ITEM_PIPELINES": '{"pipelines.detection.DetectionPipeline": 300}',
                "LUREWATCH_KEEP_BENIGN": "1",
                "LUREWATCH_EXPANSION_PAGES": "50",  # two posts a page: whole blogs
                "LUREWATCH_WORDPRESS_SITES": ",".join(CONFIGURED_SITES),
                "LUREWATCH_TITLES": str(titles),
                "LUREWATCH_SEARCHES": str(searches),
                "LUREWATCH_WORDPRESS_PER_PAGE": "2",
                "LUREWATCH_WORDPRESS_READER_NUMBER": "2",
                "LUREWATCH_RENDER_ENABLED": "0",
            },
        )
        yield {
            "hits": read_jsonl(out),
            "stats": stats_of(proc),
            "log": Counter(router.wordpress.log),
            "paths": Counter(router.wordpress.paths),
            "stderr": proc.stderr,
        }


def _by_url(crawl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {h["url"]: h for h in crawl["hits"]}


def test_every_wordpress_hit_post_is_found(crawl: dict[str, Any], world: Dataset) -> None:
    found = _by_url(crawl)
    expected = {p.url for p in world.expected_hits("wordpress")}
    assert expected, "the world has WordPress hit posts"
    assert expected - set(found) == set()


def test_quirk_sites_are_all_covered(crawl: dict[str, Any], world: Dataset) -> None:
    found = _by_url(crawl)
    for name, host, _, options in QUIRKS:
        posts = [p for p in world.posts_on("wordpress") if p.blog.host == host and p.truth.is_hit]
        assert posts and all(p.url in found for p in posts), name
        if options.get("plain_permalinks"):
            assert all("?p=" in p.url for p in posts)


def test_posts_are_unique_and_fields_are_right(crawl: dict[str, Any], world: Dataset) -> None:
    urls = [h["url"] for h in crawl["hits"]]
    assert len(urls) == len(set(urls))
    for hit in crawl["hits"]:
        post = world.post_by_url(hit["url"])
        assert post is not None, hit["url"]
        assert hit["platform"] == "wordpress" and hit["blog"] == post.blog.host
        assert hit["title"] == html.unescape(post.title)
        assert hit["published"] == post.published.isoformat(timespec="seconds")
        # a WordPress term is one per slug, named as first created: two posts of a blog tagged
        # "Spider-Man: Brand New Day" and "spider-man: brand new day" share one term and one name
        assert {slugify(t) for t in post.tags} <= {slugify(t) for t in hit["tags"]}, (
            hit["url"],
            hit["tags"],
        )
        assert set(post.outbound) <= set(hit["outbound_urls"])
        assert "<" not in hit["title"]


def test_every_endpoint_pages_past_page_one(crawl: dict[str, Any]) -> None:
    log: Counter[tuple[str, int]] = crawl["log"]
    used = {endpoint for endpoint, _ in log}
    expected = {
        "reader_tags_v1.2",
        "reader_search",
        "wpcom_site_posts",
        "core_search_pretty",
        "core_search_plain",
        "core_posts_pretty",
        "html_search",
        "search_feed",
    }
    assert expected <= used, used
    for endpoint in expected:
        assert any(page > 1 for e, page in log if e == endpoint), endpoint


def test_fallbacks_are_exercised(crawl: dict[str, Any]) -> None:
    log: Counter[tuple[str, int]] = crawl["log"]
    stats = crawl["stats"]
    assert log[("core_blocked", 1)] >= 1  # 401 rest_not_logged_in seen, then HTML and feed
    assert "'lurewatch/wordpress/fallback/rest_blocked'" in stats
    assert (
        "'lurewatch/wordpress/fallback/rest_route'" in stats
    )  # plain permalinks: /wp-json/ is a 404 page
    assert "'lurewatch/wordpress/errors/rest_not_logged_in'" in stats
    assert "'lurewatch/wordpress/errors/rest_no_route'" in stats  # WordPress 4.9: no wp/v2/search
    assert (
        sum(n for (e, _), n in log.items() if e == "post_page") >= 1
    )  # HTML results fetched as pages


def test_robots_txt_is_honoured(crawl: dict[str, Any], world: Dataset) -> None:
    assert "Forbidden by robots.txt" in crawl["stderr"]
    blocked = [h for h in crawl["hits"] if h["blog"] == "no-robots.example"]
    assert blocked  # found through the Reader (public-api), never fetched from the site
    assert {path for host, path in crawl["paths"] if host == "no-robots.example"} == {
        "/robots.txt"
    }
