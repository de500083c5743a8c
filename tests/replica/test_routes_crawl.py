"""Recall per discovery route, measured by crawls of the replica (``-s`` prints the figures).

The full crawl is the session's (``replica_crawl``: all spiders, rendering on), shared with the
end-to-end checks.

The replica's truth lists every fake with the routes that can reach it (search, blog expansion,
cross-links). These crawls report how many of each route's fakes were found and assert floors
only: expansion finds disguised posts no search phrasing matches, the player blog no engine
indexed is reached through cross-links, and cross-blog lures are fetched and reported.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from w3lib.url import canonicalize_url

from replica.dataset import Dataset, Post
from replica.server import ReplicaServer
from tests._crawl import read_jsonl, run_crawl
from tests.conftest import ReplicaCrawl

pytestmark = [pytest.mark.crawl]

ROUTES = ("search", "expansion", "cross-link")
FAST = {
    "ITEM_PIPELINES": json.dumps({"pipelines.detection.DetectionPipeline": 300}),
    "LUREWATCH_RENDER_ENABLED": "False",
    "AUTOTHROTTLE_ENABLED": "False",
    "LUREWATCH_LANDING_TIMEOUT": 3,
}
KEYLESS_BLOGGER = {
    **FAST,
    "LUREWATCH_OFFLINE_PLACEHOLDER_KEYS": "0",
    "LUREWATCH_BLOGGER_DISCOVERY": "google_cse,brave,searxng",
    "LUREWATCH_SEARXNG_URL": "https://searx.example.org",
}


def _key(url: str) -> str:
    return canonicalize_url(url)


def _recall(posts: Iterable[Post], found: set[str]) -> tuple[int, int]:
    posts = list(posts)
    return sum(_key(p.url) in found for p in posts), len(posts)


def _report(label: str, fakes: list[Post], found: set[str]) -> dict[str, tuple[int, int]]:
    """Recall per route (a fake reachable by several routes counts in each) and of the fakes
    that only expansion or cross-links reach; printed, returned for the floors."""
    figures = {
        route: _recall((p for p in fakes if route in p.truth.routes), found) for route in ROUTES
    }
    figures["no search"] = _recall((p for p in fakes if "search" not in p.truth.routes), found)
    figures["all"] = _recall(fakes, found)
    line = ", ".join(f"{name} {got}/{total}" for name, (got, total) in figures.items())
    print(f"{label} recall per route: {line}")
    return figures


@pytest.fixture(scope="module")
def full_crawl(replica_crawl: ReplicaCrawl) -> list[Any]:
    return replica_crawl.items


@pytest.mark.browser
def test_recall_per_route_of_a_full_crawl(full_crawl: list[Any], dataset: Dataset) -> None:
    found = {_key(h["url"]) for h in full_crawl if h["fake_stream"]}
    fakes = [p for p in dataset.posts if p.truth.fake_stream]
    figures = _report("full crawl", fakes, found)
    got, total = figures["all"]
    assert got >= 0.85 * total
    got, total = figures["no search"]
    assert total and got >= total // 2  # expansion and cross-links find what no search does


@pytest.mark.browser
def test_expansion_finds_disguised_posts_no_search_matches(
    full_crawl: list[Any], dataset: Dataset
) -> None:
    found = {_key(h["url"]): h for h in full_crawl if h["fake_stream"]}
    hidden = [
        p
        for p in dataset.posts
        if p.truth.note.startswith("hidden_stream:") and "search" not in p.truth.routes
    ]
    reached = [found[_key(p.url)] for p in hidden if _key(p.url) in found]
    assert reached, "no disguised post without SEO words was found"
    how = Counter(h["search"].split(":", 1)[0] if ":" in h["search"] else "query" for h in reached)
    assert how["blog"] >= len(reached) // 2  # mostly through their blog's listing
    print(f"disguised posts no search finds: {len(reached)}/{len(hidden)} found, by {dict(how)}")


@pytest.mark.browser
def test_cross_blog_lures_are_fetched_and_reported(
    full_crawl: list[Any], dataset: Dataset
) -> None:
    linkers = [p for p in dataset.posts if "sign-in trap on another blog" in p.truth.note]
    assert linkers
    by_url = {_key(h["url"]): h for h in full_crawl}
    reported = [by_url[_key(p.url)] for p in linkers if _key(p.url) in by_url]
    assert reported
    traps = {_key(p.url) for p in dataset.posts if p.truth.note.startswith("embedded_lure")}
    for hit in reported:
        assert hit["sso_lure"], hit["url"]
        # the lure named is the other blog's post (a blogspot or self-hosted WordPress page)
        assert {_key(url) for url in hit["lure_urls"]} & traps, hit["lure_urls"]
    print(f"posts linking another blog's sign-in trap reported: {len(reported)}/{len(linkers)}")


@pytest.mark.browser
def test_the_unindexed_player_blog_is_reached_through_cross_links(
    full_crawl: list[Any], dataset: Dataset
) -> None:
    player = [p for p in dataset.expected_hits("blogger") if p.blog.options.get("unindexed")]
    found = {_key(h["url"]): h for h in full_crawl}
    reached = [found[_key(p.url)] for p in player if _key(p.url) in found]
    assert reached
    assert any(h["search"].startswith("link:") for h in reached)
    print(f"player blog hits found: {len(reached)}/{len(player)}")


def test_a_keyless_blogger_crawl_finds_fakes_through_cross_links_and_expansion(
    replica: ReplicaServer, dataset: Dataset, tmp_path: Path
) -> None:
    proc = run_crawl(
        "blogger", replica.origin, tmp_path / "hits.jsonl", KEYLESS_BLOGGER, timeout=300
    )
    items = read_jsonl(tmp_path / "hits.jsonl")
    found = {_key(h["url"]) for h in items if h["fake_stream"]}
    fakes = [p for p in dataset.posts_on("blogger") if p.truth.fake_stream]
    figures = _report("keyless blogger", fakes, found)
    assert figures["no search"][0] >= 1
    searches = {h["search"].split(":", 1)[0] for h in items if h["fake_stream"]}
    assert {"link", "blog"} <= searches  # cross-linked posts and blog listings both found fakes
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    assert any("GOOGLE_CSE_KEY" in line for line in warnings)
