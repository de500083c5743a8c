"""Scale-out: an idle worker kept open for the others looks at the shared queue again within
half a second, not at Scrapy's 5 s heartbeat (the requests other workers queue, and their end,
would go unseen meanwhile)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import redis
from scrapy import Spider
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.test import get_crawler

from crawler.distributed import DistributedAddon, SharedQueueKeepAlive
from tests.integration.conftest import crawl_id, redis_url  # noqa: F401 - real Redis fixtures


class _NextCall:
    """The engine's ``nextcall`` (Scrapy's ``CallLaterOnce``): the delays it was scheduled with."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def schedule(self, delay: float = 0) -> None:
        self.delays.append(delay)


@pytest.mark.redis
def test_an_idle_worker_waiting_for_another_looks_again_within_half_a_second(
    redis_url: str,  # noqa: F811
    crawl_id: str,  # noqa: F811
) -> None:
    settings = {
        "ADDONS": {DistributedAddon: 100},
        "LUREWATCH_DISTRIBUTED": True,
        "REDIS_URL": redis_url,
        "LUREWATCH_CRAWL_ID": crawl_id,
    }
    crawler = get_crawler(Spider, settings)
    keep_alive = SharedQueueKeepAlive.from_crawler(crawler)
    nextcall = _NextCall()
    scheduler = SimpleNamespace(has_pending_requests=lambda: False)
    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(nextcall=nextcall), scheduler=scheduler)
    spider = Spider("demo")
    other = f"lurewatch:{crawl_id}:demo:busy:other-worker"
    server = redis.Redis.from_url(redis_url)
    server.set(other, "1", ex=30)
    with pytest.raises(DontCloseSpider):  # the other worker still works
        keep_alive.idle(spider)
    assert nextcall.delays and max(nextcall.delays) <= 0.5
    server.delete(other)
    keep_alive.idle(spider)  # nobody busy, nothing queued: it closes, nothing scheduled
    assert len(nextcall.delays) == 1
