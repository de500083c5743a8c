"""DetectionPipeline: watchlists loaded in from_crawler, fields set, benign dropped, outcomes
counted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem

from pipelines.detection import DetectionPipeline
from pipelines.exceptions import WatchlistError
from pipelines.items import Hit, LandingPage
from tests._settings import lurewatch_crawler

LURE_HTML = (
    "<html><head><title>{title} HD Player</title></head><body><h1>Watch {title} Full Movie HD</h1>"
    "<p>Sign in to continue watching</p><a href='https://{host}/auth/facebook'>Continue with Facebook</a>"
    "<form action='https://collect.{host}/gate.php' method='post'><input name='email' type='email'>"
    "<input name='pass' type='password'><button>Sign in with Google</button></form></body></html>"
)


def _pipeline(settings: dict | None = None) -> DetectionPipeline:
    crawler = lurewatch_crawler(Spider, settings)
    crawler.stats.open_spider()
    return DetectionPipeline.from_crawler(crawler)


def _hit(**kw: object) -> Hit:
    base = {
        "url": "https://moviezone-hd.tumblr.com/post/1/watch",
        "platform": "tumblr",
        "title": "Watch Man of Steel (2013) Full Movie Online Free HD",
        "html": "<p>Watch Man of Steel 2013 full movie online free in HD.</p>"
        '<p><a href="https://hd.stream-now.example/w">&#9654; WATCH NOW</a></p>',
    }
    base.update(kw)
    return Hit(**base)  # type: ignore[arg-type]


def test_post_linking_to_lure_is_a_lure() -> None:
    pipe = _pipeline()
    landing = LandingPage(
        "https://hd.stream-now.example/w",
        "https://hd.stream-now.example/w",
        200,
        LURE_HTML.format(title="Man of Steel", host="hd.stream-now.example"),
    )
    item = asyncio.run(pipe.process_item(_hit(landing_pages=[landing])))
    assert item.fake_stream and item.sso_lure and item.verdict == "lure"
    assert item.matched_title == "Man of Steel"
    assert item.lure_urls == ["https://hd.stream-now.example/w"]
    assert "links to lure https://hd.stream-now.example/w" in item.reasons
    assert item.templates and 0 < item.score <= 100
    stats = pipe.crawler.stats.get_stats()
    assert (
        stats["lurewatch/detection/posts/lure"] == 1
        and stats["lurewatch/detection/landing/lure"] == 1
    )


def test_benign_dropped_unless_kept() -> None:
    review = _hit(title="Man of Steel review", html="<p>Man of Steel review: Cavill is great.</p>")
    pipe = _pipeline()
    with pytest.raises(DropItem):
        asyncio.run(pipe.process_item(review))
    assert pipe.crawler.stats.get_value("lurewatch/detection/posts/benign") == 1
    kept = asyncio.run(_pipeline({"LUREWATCH_KEEP_BENIGN": True}).process_item(review))
    assert kept.verdict == "benign" and kept.matched_title is None


def test_failed_landing_is_counted_not_judged() -> None:
    pipe = _pipeline()
    item = asyncio.run(
        pipe.process_item(_hit(landing_pages=[LandingPage("https://x.example/", error="timeout")]))
    )
    assert item.verdict == "fake_stream" and not item.sso_lure
    assert pipe.crawler.stats.get_value("lurewatch/detection/landing/unusable") == 1


def test_broken_watchlist_fails_at_from_crawler(tmp_path: Path) -> None:
    bad = tmp_path / "lures.yaml"
    bad.write_text("providers: {}\n", encoding="utf-8")
    with pytest.raises(WatchlistError, match=r"lures\.yaml:1: providers"):
        _pipeline({"LUREWATCH_LURES": str(bad)})
