"""``scrapy crawl tumblr`` against the replica: every Tumblr hit found, every endpoint paged, 429s
survived, the placeholder key sent, the JavaScript search page rendered and its results followed,
robots.txt honoured.

Expectations come from the replica's ground truth and request log (``router.tumblr.log``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from parsel import Selector
from w3lib.url import canonicalize_url

from crawler import defaults
from crawler.links import is_platform_url
from pipelines.urls import unwrap
from pipelines.watchlists import load_searches, load_titles
from tests._crawl import read_jsonl, run_crawl, stats_of

pytestmark = [pytest.mark.crawl, pytest.mark.browser]  # a whole crawl, rendering on

API_ENDPOINTS = ("tagged", "blog_posts", "timeline_search")
FAST = {  # no politeness delays against the local replica; short waits for hostile landing pages
    "ITEM_PIPELINES": "{}",
    "LUREWATCH_KEEP_BENIGN": "1",
    "LUREWATCH_MAX_BACKOFF": "0.5",
    "LUREWATCH_LANDING_TIMEOUT": "4",
    "DOWNLOAD_TIMEOUT": "8",
    "DOWNLOAD_SLOTS": json.dumps(
        {
            "api.tumblr.com": {"concurrency": 4, "delay": 0},
            "www.tumblr.com": {"concurrency": 2, "delay": 0},
        }
    ),
}


def searches_file(tmp: Path, max_pages: int) -> Path:
    plan = load_searches()
    path = tmp / "searches.yaml"
    path.write_text(
        yaml.safe_dump(
            {"queries": list(plan.queries), "tags": list(plan.tags), "max_pages": max_pages}
        )
    )
    return path


@pytest.fixture(scope="module")
def crawl(replica: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One full crawl with small API pages (3 posts) so that every endpoint pages."""
    tmp = tmp_path_factory.mktemp("tumblr")
    log = replica.router.tumblr.log
    start = len(log)
    settings = {
        **FAST,
        "LUREWATCH_TUMBLR_LIMIT": "3",
        "LUREWATCH_SEARCHES": str(searches_file(tmp, 8)),
        "LUREWATCH_TUMBLR_ENDPOINTS": "tagged,search,blog",
        # detection judges the posts (every one kept): a blog with a hit is listed, whole
        "ITEM_PIPELINES": json.dumps({"pipelines.detection.DetectionPipeline": 300}),
        "LUREWATCH_EXPANSION_PAGES": "8",
    }  # the browser is tested below, on its own
    proc = run_crawl("tumblr", replica.origin, tmp / "hits.jsonl", settings, timeout=200)
    return {"hits": read_jsonl(tmp / "hits.jsonl"), "log": log[start:], "stats": stats_of(proc)}


def anchor_links(html: str) -> set[str]:
    found = Selector(text=html).css("a::attr(href), iframe::attr(src)").getall()
    return {unwrap(u) for u in found if u.startswith("http") and not is_platform_url(unwrap(u))}


def test_every_tumblr_hit_is_found_with_its_fields(crawl: dict[str, Any], dataset: Any) -> None:
    hits = {canonicalize_url(h["url"]): h for h in crawl["hits"]}
    expected = dataset.expected_hits("tumblr")
    assert expected and not [p.url for p in expected if canonicalize_url(p.url) not in hits]
    assert len(hits) == len(crawl["hits"])  # each post once, whichever endpoints found it
    for post in expected:
        hit = hits[canonicalize_url(post.url)]
        assert hit["platform"] == "tumblr" and hit["blog"] == post.blog.host
        assert hit["post_id"] == post.post_id  # id_string, exact beyond 2**53
        assert hit["published"] == post.published.isoformat(timespec="seconds")
        assert hit["tags"] == post.tags and hit["title"] and hit["text"]
        assert anchor_links(post.body_html) <= set(
            hit["outbound_urls"]
        )  # legacy HTML and NPF blocks alike
        assert not any("t.umblr.com" in u for u in hit["outbound_urls"])


def test_every_api_endpoint_is_paged_past_page_one(crawl: dict[str, Any]) -> None:
    log = crawl["log"]
    assert any(r.endpoint == "tagged" and "before" in r.query and r.count for r in log)
    assert any(r.endpoint == "timeline_search" and "cursor" in r.query and r.count for r in log)
    assert any(r.endpoint == "blog_posts" and "page_number" in r.query and r.count for r in log)
    assert "'lurewatch/tumblr/next_page/tagged'" in crawl["stats"]


def test_rate_limits_are_backed_off_and_retried(crawl: dict[str, Any]) -> None:
    log = crawl["log"]
    api = [r for r in log if r.endpoint in API_ENDPOINTS]
    assert len(api) >= 40  # more than the replica's rate_limit_every: at least one 429 is certain
    limited = [r for r in api if r.status == 429]
    assert limited
    for r in limited:  # each limited request was retried and then answered
        assert any(o.status == 200 and o.path == r.path and o.query == r.query for o in api)
    assert (
        "'lurewatch/ratelimit/retry/count'" in crawl["stats"]
        and "'finish_reason': 'finished'" in crawl["stats"]
    )


def test_the_offline_placeholder_key_is_sent(crawl: dict[str, Any]) -> None:
    api = [r for r in crawl["log"] if r.endpoint in API_ENDPOINTS]
    assert api and {r.query.get("api_key") for r in api} == {
        defaults.LUREWATCH_OFFLINE_PLACEHOLDER_KEY
    }
    assert not [r for r in api if r.status == 401]


def test_hidden_blogs_pages_are_never_fetched(crawl: dict[str, Any], dataset: Any) -> None:
    hidden = {b.host for b in dataset.blogs_on("tumblr") if b.options.get("robots_disallow_all")}
    assert not [r for r in crawl["log"] if r.host in hidden and r.endpoint.startswith("theme")]


@pytest.fixture(scope="module")
def rendered(
    replica: Any, dataset: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """A crawl of the rendered search page alone, for the titles whose results include a hidden
    blog."""
    tmp = tmp_path_factory.mktemp("tumblr_render")
    hidden = {b.host for b in dataset.blogs_on("tumblr") if b.options.get("robots_disallow_all")}
    plan = load_searches()
    titles = [
        t
        for t in load_titles()
        if any(p.blog.host in hidden for p in dataset.search(plan.queries_for(t)[0]))
    ]
    assert titles, "the dataset should hide a blog whose posts the search finds"
    titles_path = tmp / "titles.yaml"
    titles_path.write_text(
        yaml.safe_dump([{"title": t.title, "year": t.year} for t in titles[:3]])
    )
    log = replica.router.tumblr.log
    start = len(log)
    settings = {
        **FAST,
        "LUREWATCH_TUMBLR_ENDPOINTS": "render",
        "LUREWATCH_TITLES": str(titles_path),
    }
    proc = run_crawl("tumblr", replica.origin, tmp / "hits.jsonl", settings, timeout=200)
    return {
        "hits": read_jsonl(tmp / "hits.jsonl"),
        "log": log[start:],
        "stats": stats_of(proc),
        "titles": titles[:3],
        "hidden": hidden,
    }


def test_the_js_search_page_is_rendered_and_its_results_followed(
    rendered: dict[str, Any], replica: Any
) -> None:
    log = rendered["log"]
    pages = [r for r in log if r.endpoint == "search_page"]
    assert len(pages) == len(rendered["titles"])  # one render per title
    # only a browser running the page's script calls the web API (with the page's token, in
    # camelCase)
    calls = [r for r in log if r.endpoint == "web_search_api" and r.status == 200]
    assert len(calls) == len(pages) and not [r for r in log if r.endpoint in API_ENDPOINTS]
    shown = [
        p
        for r in calls
        for p in replica.router.tumblr._search_posts(
            {"q": r.query["query"], "mode": r.query["mode"]}
        )[: int(r.query["limit"])]
    ]
    expected = {canonicalize_url(p.url) for p in shown if p.blog.host not in rendered["hidden"]}
    assert expected and {canonicalize_url(h["url"]) for h in rendered["hits"]} == expected


def test_robots_txt_disallow_is_honoured(rendered: dict[str, Any]) -> None:
    log, hidden = rendered["log"], rendered["hidden"]
    assert not [r for r in log if r.host in hidden and r.endpoint.startswith("theme")]
    assert "'robotstxt/forbidden'" in rendered["stats"]
    assert "'lurewatch/tumblr/failed/post_page/IgnoreRequest'" in rendered["stats"]
