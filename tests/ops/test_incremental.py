"""Incremental crawls: the ledger of fetched posts, the re-check decision and the spider's gate."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy import Request
from scrapy.settings import Settings

from crawler.middlewares.incremental import (
    IncrementalConfig,
    IncrementalSpiderMiddleware,
)
from crawler.spiders.tumblr import TumblrSpider
from crawler.spiders.wordpress import WordPressSpider
from pipelines.exceptions import ConfigError
from pipelines.items import Hit
from pipelines.seen import (
    RedisSeenLedger,
    SeenEntry,
    SqliteSeenLedger,
    content_digest,
    recheck_due,
)
from tests._settings import lurewatch_crawler, lurewatch_settings
from tests.ops._landings import record_landings

DAY = 86400.0
NOW = 1_800_000_000.0
DIGEST = content_digest("Dune 2 full movie", "watch free HD")


def test_a_post_fetched_within_the_interval_and_unchanged_is_not_due() -> None:
    recent = SeenEntry(NOW - DAY, DIGEST, hit=True)
    assert not recheck_due(recent, DIGEST, NOW, 7 * DAY)


@pytest.mark.parametrize(
    ("entry", "digest", "interval"),
    [
        (None, DIGEST, 7 * DAY),  # never fetched
        (SeenEntry(NOW - 7 * DAY, DIGEST), DIGEST, 7 * DAY),  # the interval has passed
        (SeenEntry(NOW - DAY, DIGEST), content_digest("Dune 2 full movie", "new link"), 7 * DAY),
        (SeenEntry(NOW - DAY, DIGEST), DIGEST, 0),  # 0 turns the skip off
    ],
    ids=["new", "due", "changed", "off"],
)
def test_a_post_is_due_when_new_old_changed_or_the_skip_is_off(
    entry: SeenEntry | None, digest: str, interval: float
) -> None:
    assert recheck_due(entry, digest, NOW, interval)


def test_the_digest_ignores_spacing_but_not_words() -> None:
    assert content_digest(" Dune  2 ", "watch\n free") == content_digest("Dune 2", "watch free")
    assert content_digest("Dune 2", "watch free") != content_digest("Dune 3", "watch free")
    assert content_digest("Dune 2", "watch free") != content_digest("Dune 2", "watch freely")
    links = ["https://lure.example/a", "https://imdb.com/t"]
    assert content_digest("D", "w", links) == content_digest("D", "w", links[::-1])
    assert content_digest("D", "w", links) != content_digest("D", "w", ["https://lure.example/b"])


def test_the_sqlite_ledger_keeps_the_newest_entry_prunes_the_stale_and_is_private(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "incremental" / "seen.sqlite3"
    ledger = SqliteSeenLedger(path)
    assert ledger.load(since=0) == {}
    ledger.save(
        {
            "https://a/1": SeenEntry(NOW, "d1", True, "tumblr", "a", ("https://l/1",)),
            "https://a/2": SeenEntry(NOW, "x"),
        },
        prune_before=NOW - DAY,
    )
    other_process = SqliteSeenLedger(path)
    other_process.save({"https://a/1": SeenEntry(NOW - 10, "old")}, prune_before=NOW - DAY)
    other_process.save({"https://a/3": SeenEntry(NOW - 2 * DAY, "stale")}, NOW - DAY)
    entries = ledger.load(since=NOW - DAY)
    assert entries == {
        "https://a/1": SeenEntry(NOW, "d1", True, "tumblr", "a", ("https://l/1",)),
        "https://a/2": SeenEntry(NOW, "x", False, ""),
    }
    assert ledger.load(since=NOW + 1) == {}
    assert path.stat().st_mode & 0o077 == 0


@pytest.fixture
def redis_url() -> str:
    """``REDIS_URL`` as exported for the test run; fails (never skips) when it is not up."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: the Redis seen-ledger test needs a Redis server")
    redis.Redis.from_url(url).ping()
    return url


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    prefix = f"lurewatch-test:{uuid.uuid4().hex}:seen"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_the_redis_ledger_is_shared_by_workers_and_expires_when_due(
    redis_url: str, redis_prefix: str
) -> None:
    now = time.time()
    worker = RedisSeenLedger(redis.Redis.from_url(redis_url), prefix=redis_prefix)
    other = RedisSeenLedger(redis.Redis.from_url(redis_url), prefix=redis_prefix)
    entry = SeenEntry(now, "d", True, "tumblr", "a.tumblr.com", ("https://lure.example/x",))
    worker.save({"https://a.tumblr.com/post/1": entry}, now - DAY)
    worker.save({"https://a.tumblr.com/post/2": SeenEntry(now - 2 * DAY, "d")}, now - DAY)
    assert other.load(since=now - DAY) == {"https://a.tumblr.com/post/1": entry}
    client = redis.Redis.from_url(redis_url)
    ttl = client.ttl(f"{redis_prefix}:https://a.tumblr.com/post/1")
    assert DAY - 5 < ttl <= DAY + 1


def test_the_setting_is_checked_and_distributed_mode_uses_redis(tmp_path: Path) -> None:
    config = IncrementalConfig.from_settings(
        lurewatch_settings({"LUREWATCH_DATA_DIR": str(tmp_path)})
    )
    assert config.interval == 7 * DAY
    assert config.ledger_path == tmp_path / "incremental" / "seen.sqlite3"
    assert config.redis_url == ""
    shared = IncrementalConfig.from_settings(
        lurewatch_settings({"LUREWATCH_DISTRIBUTED": True, "REDIS_URL": "redis://h:6379/0"})
    )
    assert shared.redis_url == "redis://h:6379/0"
    with pytest.raises(ConfigError, match="LUREWATCH_RECHECK_INTERVAL"):
        IncrementalConfig.from_settings(Settings({"LUREWATCH_RECHECK_INTERVAL": "a week"}))
    with pytest.raises(ConfigError, match="LUREWATCH_RECHECK_INTERVAL"):
        IncrementalConfig.from_settings(lurewatch_settings({"LUREWATCH_RECHECK_INTERVAL": -1}))


def _hit(n: int, text: str = "watch free HD", blog: str = "spam.tumblr.com") -> Hit:
    return Hit(
        url=f"https://{blog}/post/{n}",
        platform="tumblr",
        blog=blog,
        title="Dune 2 full movie",
        text=text,
        outbound_urls=["https://lure.example/watch"],
    )


def _spider(
    tmp_path: Path, cls: type[Any] = TumblrSpider, middleware: bool = True, **settings: Any
) -> Any:
    crawler = lurewatch_crawler(
        cls, {"LUREWATCH_DATA_DIR": str(tmp_path), "TUMBLR_API_KEY": "k", **settings}
    )
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    if middleware:  # built after the spider, as a crawl builds its engine
        spider.middleware = IncrementalSpiderMiddleware.from_crawler(crawler)
    spider.scheduled = []
    spider.schedule = spider.scheduled.append
    return record_landings(spider)


def _night(
    tmp_path: Path,
    hits: list[Hit],
    judged: dict[int, bool | None],
    middleware: bool = True,
    **settings: Any,
) -> Any:
    """One crawl of ``hits`` through the spider's gate and the middleware; ``judged``: which
    emitted posts detection kept (True), and which failed in a pipeline (None); it dropped the
    others."""
    spider = _spider(tmp_path, middleware=middleware, **settings)
    gate = spider.incremental
    if gate.enabled:
        gate.spider_opened(spider)

    async def crawl() -> list[Hit]:
        completed = [await spider.complete_hit(hit) for hit in hits]

        async def output() -> Any:
            for hit in completed:
                yield hit

        if not middleware:
            return completed
        dropped = spider.middleware.process_spider_output_async(None, output())
        return [out async for out in dropped]

    spider.emitted = asyncio.run(crawl())
    for hit in spider.emitted:
        fate = judged.get(int(hit.url.rsplit("/", 1)[1]), False)
        if fate is not None:
            (gate.item_scraped if fate else gate.item_dropped)(hit)
    if gate.enabled:
        gate.spider_closed(spider, "finished")
    return spider


def test_a_second_night_skips_unchanged_posts_but_fetches_changed_and_new_ones(
    tmp_path: Path,
) -> None:
    first = _night(tmp_path, [_hit(1), _hit(2, "a fan's review"), _hit(3)], {1: True, 2: False})
    assert [h.url for h in first.emitted] == [_hit(n).url for n in (1, 2, 3)]
    assert len(first.landings) == 3

    hits = [_hit(1), _hit(2, "a fan's review"), _hit(3, "now a new lure link"), _hit(4)]
    second = _night(tmp_path, hits, {3: True, 4: True})
    # 1 (a hit) and 2 (benign) unchanged: not re-fetched, not re-emitted; 3 changed, 4 new
    assert [h.url for h in second.emitted] == [_hit(3).url, _hit(4).url]
    assert len(second.landings) == 2
    stats = second.crawler.stats
    assert stats.get_value("lurewatch/incremental/skipped") == 2
    assert stats.get_value("lurewatch/incremental/skipped/tumblr") == 2
    assert stats.get_value("lurewatch/incremental/new") == 1
    assert stats.get_value("lurewatch/incremental/rechecked") == 1
    # the skipped hit's blog is still listed: posts reached only through it are re-checked too
    assert [r.meta["lurewatch_expansion"] for r in second.scheduled] == ["spam.tumblr.com"]


def test_a_post_no_pipeline_judged_is_fetched_again(tmp_path: Path) -> None:
    _night(tmp_path, [_hit(1), _hit(2)], {1: None, 2: True})  # 1: an item error
    second = _night(tmp_path, [_hit(1), _hit(2)], {})
    assert [h.url for h in second.emitted] == [_hit(1).url]


def test_with_the_skip_off_every_post_is_fetched(tmp_path: Path) -> None:
    _night(tmp_path, [_hit(1), _hit(2)], {1: True})
    off = _night(tmp_path, [_hit(1), _hit(2)], {}, LUREWATCH_RECHECK_INTERVAL=0)
    assert len(off.emitted) == 2 and len(off.landings) == 2
    assert off.crawler.stats.get_value("lurewatch/incremental/skipped") is None


def test_a_post_fetched_longer_ago_than_the_interval_is_fetched_again(tmp_path: Path) -> None:
    ledger = SqliteSeenLedger(tmp_path / "incremental" / "seen.sqlite3")
    hit = _hit(1)
    digest = content_digest(hit.title, hit.text, hit.outbound_urls)
    old = SeenEntry(time.time() - 8 * DAY, digest, True)
    ledger.save({_hit(1).url: old}, prune_before=0)
    assert ledger.load(since=0)  # there, but older than the 7 days
    night = _night(tmp_path, [_hit(1)], {1: True})
    assert len(night.emitted) == 1 and len(night.landings) == 1
    (entry,) = ledger.load(since=0).values()
    assert entry.fetched_at > old.fetched_at + 7 * DAY and entry.hit


def test_wordpress_spider_passes_a_skipped_post_through_its_own_completion(
    tmp_path: Path,
) -> None:
    spider = _spider(tmp_path, cls=WordPressSpider)
    gate = spider.incremental
    url = "https://movies.wordpress.com/2026/01/dune"
    links = ["https://lure.example/x"]
    digest = content_digest("Dune", "free", links)
    gate.known = {url: SeenEntry(time.time(), digest, False, "wordpress")}
    blog = "movies.wordpress.com"
    hit = Hit(url=url, platform="wordpress", blog=blog, title="Dune", text="free")
    hit.outbound_urls = links
    done = asyncio.run(spider.complete_hit(hit))
    assert done is hit and spider.landings == [] and spider.scheduled == []
    assert gate.was_skipped(hit) and not gate.was_skipped(hit)  # dropped once


def test_requests_for_post_pages_fetched_within_the_interval_are_dropped(tmp_path: Path) -> None:
    spider = _spider(tmp_path)
    gate = spider.incremental
    now = time.time()
    hit_page = "https://spam.tumblr.com/post/1"
    gate.known = {
        hit_page: SeenEntry(now - DAY, "d", True, "tumblr", "spam.tumblr.com"),
        "https://fan.tumblr.com/post/2": SeenEntry(now - DAY, "d", False, "tumblr", "fan"),
        "https://old.tumblr.com/post/3": SeenEntry(now - 8 * DAY, "d", True, "tumblr", "old"),
    }
    requests = [
        Request(hit_page + "?utm_source=x"),  # the same post
        Request("https://fan.tumblr.com/post/2"),
        Request("https://old.tumblr.com/post/3"),  # due again
        Request("https://new.tumblr.com/post/4"),  # never fetched
        Request(hit_page, dont_filter=True),
        Request(hit_page, meta={"lurewatch_landing": True}),  # a landing page is never skipped
    ]
    kept = list(spider.middleware.process_spider_output(None, iter(requests)))
    assert kept == requests[2:]
    stats = spider.crawler.stats
    assert stats.get_value("lurewatch/incremental/skipped/post_pages") == 2
    assert stats.get_value("lurewatch/incremental/skipped") == 2
    # the hit's blog is still listed (its new posts are found), the benign one's is not
    assert [r.meta["lurewatch_expansion"] for r in spider.scheduled] == ["spam.tumblr.com"]


def test_a_skipped_post_still_lists_the_blogs_of_the_hits_its_landings_led_to(
    tmp_path: Path,
) -> None:
    # night 1: post 1 links a post of another blog (crawled through its landing page, a hit)
    linking = _hit(1)
    linking.outbound_urls = ["https://other.tumblr.com/post/9"]
    _night(tmp_path, [linking, _hit(9, blog="other.tumblr.com")], {1: False, 9: True})
    second = _night(tmp_path, [linking], {})
    assert second.emitted == [] and second.landings == []
    listed = [r.meta.get("lurewatch_expansion") for r in second.scheduled]
    assert [blog for blog in listed if blog] == ["other.tumblr.com"]


def test_a_damaged_ledger_is_one_warning_and_every_post_is_fetched(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ledger = tmp_path / "incremental" / "seen.sqlite3"
    ledger.parent.mkdir()
    ledger.write_bytes(b"not a database" * 100)
    night = _night(tmp_path, [_hit(1)], {1: True})
    assert len(night.emitted) == 1 and len(night.landings) == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(str(ledger) in w and "could not be read" in w for w in warnings), warnings
    assert night.crawler.stats.get_value("lurewatch/incremental/ledger_errors") == 2


def test_without_the_middleware_nothing_is_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _night(tmp_path, [_hit(1)], {1: True})
    # e.g. a SPIDER_MIDDLEWARES given with -s that leaves it out: a skipped post would reach
    # detection and the index without its landing pages
    bare = _night(tmp_path, [_hit(1)], {1: True}, middleware=False)
    assert len(bare.emitted) == 1 and len(bare.landings) == 1
    assert bare.emitted[0].landing_pages
    assert any("is not in SPIDER_MIDDLEWARES" in r.getMessage() for r in caplog.records)
