"""Distributed mode: a post several searches find is handled by one worker of all (the first to
claim it), and a dead worker's claims are taken over, so its posts are not lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import redis

from crawler.distributed import SharedPostClaims
from crawler.inflight import worker_id
from crawler.spiders.tumblr import TumblrSpider
from tests.integration.conftest import crawl_id, redis_url  # noqa: F401 - real Redis fixtures
from tests.ops._distributed import worker_crawler


def _worker(redis_url: str, crawl_id: str, tmp_path: Path) -> Any:  # noqa: F811
    crawler = worker_crawler(redis_url, crawl_id, tmp_path)
    SharedPostClaims.from_crawler(crawler)
    spider = TumblrSpider.from_crawler(crawler)
    crawler.spider = spider
    return spider


def _alive(server: Any, crawl_id: str, spider: Any) -> str:  # noqa: F811
    key = f"lurewatch:{crawl_id}:tumblr:alive:{worker_id(spider.crawler)}"
    server.set(key, "1", ex=30)  # what the worker's scheduler does every few seconds
    return key


@pytest.mark.redis
def test_a_post_is_handled_by_the_first_worker_to_claim_it(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    server = redis.Redis.from_url(redis_url)
    one = _worker(redis_url, crawl_id, tmp_path / "one")
    two = _worker(redis_url, crawl_id, tmp_path / "two")
    _alive(server, crawl_id, one)
    _alive(server, crawl_id, two)
    post = "https://www.tumblr.com/post/7001"
    assert one.claim_post(post)
    assert not two.claim_post(post)  # the other worker handles it
    assert not two.claim_post(post + "?utm_source=x")  # the same post, canonically
    assert not one.claim_post(post)  # and its claimer does not handle it twice
    assert two.claim_post("https://www.tumblr.com/post/7002")
    assert one.crawler.stats.get_value("lurewatch/distributed/posts_elsewhere", 0) == 0
    assert two.crawler.stats.get_value("lurewatch/distributed/posts_elsewhere") == 2


@pytest.mark.redis
def test_a_dead_workers_claims_are_taken_over(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    server = redis.Redis.from_url(redis_url)
    dead = _worker(redis_url, crawl_id, tmp_path / "dead")
    survivor = _worker(redis_url, crawl_id, tmp_path / "survivor")
    alive = _alive(server, crawl_id, dead)
    _alive(server, crawl_id, survivor)
    post = "https://www.tumblr.com/post/7003"
    assert dead.claim_post(post)
    assert not survivor.claim_post(post)  # its claimer still lives
    server.delete(alive)  # it died: its requests come back to the survivor's queue
    assert survivor.claim_post(post)  # so the post is handled, not lost
    assert not dead.claim_post(post)
