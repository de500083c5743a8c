"""Distributed mode's scheduler on real Redis: one round trip per pop or push (Lua scripts), the
shared dupefilter still keeps one copy of a request, what a worker popped is recorded until it is
released, and a dead worker's requests are found through the in-flight registry (no ``SCAN`` over
the shared fetches' keys) and come back once."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.distributed import DistributedAddon
from crawler.inflight import INFLIGHT_META, InFlightScheduler, inflight_registry
from tests.integration.conftest import crawl_id, redis_url  # noqa: F401 - real Redis fixtures


def _scheduler(redis_url: str, crawl_id: str) -> InFlightScheduler:  # noqa: F811
    settings = {
        "ADDONS": {DistributedAddon: 100},
        "LUREWATCH_DISTRIBUTED": True,
        "REDIS_URL": redis_url,
        "LUREWATCH_CRAWL_ID": crawl_id,
    }
    crawler = get_crawler(Spider, settings)
    scheduler = InFlightScheduler.from_crawler(crawler)
    scheduler.open(Spider.from_crawler(crawler, name="demo"))
    return scheduler


def _inflight(server: Any, crawl_id: str, worker: str) -> int:  # noqa: F811
    return int(server.hlen(f"lurewatch:{crawl_id}:demo:inflight:{worker}"))


@pytest.mark.redis
def test_pushes_are_deduplicated_and_pops_are_recorded_until_released(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
) -> None:
    server = redis.Redis.from_url(redis_url)
    one = _scheduler(redis_url, crawl_id)
    assert one.enqueue_request(Request("https://a.example/1"))
    assert one.enqueue_request(Request("https://a.example/2", priority=5))
    assert not one.enqueue_request(Request("https://a.example/1"))  # the shared dupefilter
    assert one.enqueue_request(Request("https://a.example/1", dont_filter=True))
    assert server.zcard(f"lurewatch:{crawl_id}:demo:requests") == 3
    first = one.next_request()
    assert first is not None and first.url == "https://a.example/2"  # priority first
    second = one.next_request()
    assert second is not None and second.url == "https://a.example/1"
    assert _inflight(server, crawl_id, one.worker) == 2
    registry = inflight_registry(f"lurewatch:{crawl_id}:demo")
    assert server.smembers(registry) == {
        f"lurewatch:{crawl_id}:demo:inflight:{one.worker}".encode()
    }
    one.release(first.meta[INFLIGHT_META])
    third = one.next_request()  # the release travels with this pop
    assert third is not None and third.url == "https://a.example/1"
    assert _inflight(server, crawl_id, one.worker) == 2
    assert one.next_request() is None  # empty
    assert one.enqueue_request(Request("https://a.example/3"))
    fourth = one.next_request()  # this worker's own push: asked again at once
    assert fourth is not None and fourth.url == "https://a.example/3"
    one.release(second.meta[INFLIGHT_META])
    one.close("shutdown")  # stopped early: releases recorded, the rest stays for the others
    assert _inflight(server, crawl_id, one.worker) == 2


@pytest.mark.redis
def test_a_dead_workers_requests_come_back_once_and_a_finished_one_leaves_nothing(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
) -> None:
    server = redis.Redis.from_url(redis_url)
    fetches = {f"lurewatch:{crawl_id}:fetch:result:{i}": "x" for i in range(3000)}
    server.mset(fetches)  # the keys that made a SCAN of the keyspace slow
    dead = _scheduler(redis_url, crawl_id)
    for i in range(3):
        dead.enqueue_request(Request(f"https://a.example/{i}"))
    popped = [dead.next_request() for _ in range(3)]
    assert all(popped)
    survivors = [_scheduler(redis_url, crawl_id), _scheduler(redis_url, crawl_id)]
    assert [s.requeue_dead() for s in survivors] == [0, 0]  # it is alive
    dead.release(popped[0].meta[INFLIGHT_META])  # type: ignore[union-attr]
    dead.close("shutdown")  # then it dies (its alive key goes with it)
    assert [s.requeue_dead() for s in survivors] == [2, 0]  # one taker
    back = [survivors[0].next_request(), survivors[1].next_request()]
    assert sorted(r.url for r in back if r) == ["https://a.example/1", "https://a.example/2"]
    for scheduler in survivors:
        scheduler.close("finished")
        assert _inflight(server, crawl_id, scheduler.worker) == 0
    assert not server.smembers(inflight_registry(f"lurewatch:{crawl_id}:demo"))
