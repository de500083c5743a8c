"""`lurewatch crawl` over the replica: the hits of the ground truth found (recall per platform,
printed; the replica's disguises are not all caught) and judged right, nothing else but the
near-miss streams detection is known to confuse (printed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from w3lib.url import canonicalize_url

from replica.dataset import Dataset
from replica.server import ReplicaServer
from tests._crawl import ROOT, run_crawl
from tests.conftest import ReplicaCrawl

PLATFORMS = ("tumblr", "wordpress", "blogger")


@pytest.fixture(scope="module")
def crawl(replica_crawl: ReplicaCrawl) -> tuple[list[dict[str, Any]], str]:
    return replica_crawl.items, replica_crawl.stats


def _key(url: str) -> str:
    return canonicalize_url(url)


@pytest.mark.crawl
@pytest.mark.browser
def test_every_expected_hit_is_found_on_every_platform(
    crawl: tuple[list[dict[str, Any]], str], dataset: Dataset
) -> None:
    hits, _ = crawl
    found = {_key(h["url"]) for h in hits}
    for platform in PLATFORMS:
        expected = {_key(p.url) for p in dataset.expected_hits(platform)}
        assert expected, f"the replica has no hits on {platform}"
        missing = expected - found
        print(f"{platform}: {len(expected) - len(missing)}/{len(expected)} hits found")
        assert len(missing) <= 0.1 * len(expected), (
            f"{platform}: {len(missing)} of {len(expected)} hits not found: {sorted(missing)[:5]}"
        )


@pytest.mark.crawl
@pytest.mark.browser
def test_no_benign_post_is_reported(
    crawl: tuple[list[dict[str, Any]], str], dataset: Dataset
) -> None:
    hits, _ = crawl
    # blog expansion reads near-miss streams ("Moana 2 ... Related: Moana"): a known detection
    # weakness, printed; any other benign post reported fails
    near_miss = {_key(p.url) for p in dataset.posts if "near-miss title" in p.truth.note}
    print(f"near-miss streams reported: {len({_key(h['url']) for h in hits} & near_miss)}")
    benign = {_key(p.url): p for p in dataset.posts if not p.truth.is_hit}
    benign = {key: post for key, post in benign.items() if key not in near_miss}
    # a fake stream of a film nobody watches is written as a candidate, never as a hit
    unwatched = {key for key, post in benign.items() if "unwatched film" in post.truth.note}
    candidates = [h for h in hits if _key(h["url"]) in unwatched]
    print(f"fake streams of unwatched films written as candidates: {len(candidates)}")
    for item in candidates:
        if item["verdict"] == "unwatched_fake":
            assert not item["fake_stream"] and item["matched_title"] is None, item
            assert item["candidate_title"], item
        else:  # its link may still be a lure
            assert item["verdict"] == "lure" and not item["fake_stream"], item
    reported = [
        (h["url"], benign[_key(h["url"])].truth.note, h["verdict"], h["reasons"])
        for h in hits
        if _key(h["url"]) in benign and _key(h["url"]) not in unwatched
    ]
    assert not reported, f"{len(reported)} benign posts reported, e.g. {reported[:3]}"


@pytest.mark.crawl
@pytest.mark.browser
def test_hits_carry_the_verdict_of_the_ground_truth(
    crawl: tuple[list[dict[str, Any]], str], dataset: Dataset
) -> None:
    hits, _ = crawl
    truth = {_key(p.url): p.truth for p in dataset.posts}
    wrong = []
    for hit in hits:
        t = truth.get(_key(hit["url"]))
        if t is None or "near-miss title" in t.note:  # see test_no_benign_post_is_reported
            continue
        if (hit["fake_stream"], hit["sso_lure"]) != (t.fake_stream, t.sso_lure) or (
            t.fake_stream and hit["matched_title"] != t.matched_title
        ):
            wrong.append(
                (
                    hit["url"],
                    t,
                    hit["fake_stream"],
                    hit["sso_lure"],
                    hit["matched_title"],
                    hit["reasons"],
                )
            )
    assert not wrong, (
        f"{len(wrong)} hits judged differently from the ground truth, e.g. {wrong[:3]}"
    )
    assert len(hits) == len({_key(h["url"]) for h in hits}), "a post was reported twice"


@pytest.mark.crawl
@pytest.mark.browser
def test_lure_posts_name_their_lure_landing_pages(
    crawl: tuple[list[dict[str, Any]], str], dataset: Dataset
) -> None:
    hits, _ = crawl
    for hit in hits:
        assert hit["url"].startswith("https://") and hit["platform"] in PLATFORMS
        assert hit["fetched_at"] and isinstance(hit["reasons"], list) and 0 <= hit["score"] <= 100
        assert (
            "html" not in hit and "landing_pages" not in hit
        )  # working fields are never exported
        if hit["sso_lure"]:
            assert hit["lure_urls"], hit


@pytest.mark.crawl
@pytest.mark.browser
def test_crawl_completes_despite_hostile_pages(crawl: tuple[list[dict[str, Any]], str]) -> None:
    _, stats = crawl
    assert "'finish_reason': 'finished'" in stats
    assert (
        "lurewatch/landing/error/" in stats
    )  # the hostile landing pages were met, bounded and counted


def test_broken_titles_file_stops_the_crawl_before_any_request(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    bad = tmp_path / "titles.yaml"
    bad.write_text("- title: Man of Steel\n  year: 2013\n- title: [unclosed\n", encoding="utf-8")
    before = replica.hits
    out = tmp_path / "hits.jsonl"
    proc = run_crawl("all", replica.origin, out, env={"LUREWATCH_TITLES": str(bad)}, check=False)
    assert proc.returncode != 0
    assert f"{bad}:3" in proc.stderr + proc.stdout
    assert replica.hits == before and not out.exists()
    single = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "blogger",
            "-s",
            f"LUREWATCH_OFFLINE_ORIGIN={replica.origin}",
            "-s",
            f"LUREWATCH_TITLES={bad}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert single.returncode != 0 and f"{bad}:3" in single.stderr
    assert replica.hits == before
