"""Scale-out over several machines with scrapy-redis: a Scrapy add-on switched on by a setting.

With ``LUREWATCH_DISTRIBUTED=1`` and ``REDIS_URL=redis://host:6379/0``, every worker that runs
``lurewatch crawl`` shares one request queue and one duplicate filter per spider in Redis. Each worker seeds
the same searches (the shared dupefilter keeps one copy of each), then all workers pull from the shared queues
until they are empty. Keys are namespaced by ``LUREWATCH_CRAWL_ID`` (default: today's UTC date, so a nightly
run starts fresh and workers of the same night cooperate) and kept when a worker stops (``SCHEDULER_PERSIST``),
so a worker finishing early does not wipe the queue of the others. Items are indexed idempotently, so a post
reported by two workers is one document.

Requests are pickled into Redis: keep Redis on a trusted network. Landing pages are fetched by the worker
that handles the post (``engine.download_async``), outside the shared queue.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.settings import BaseSettings

from crawler.exceptions import ConfigError

__all__ = ["DistributedAddon", "redis_keys"]

logger = logging.getLogger(__name__)


def redis_keys(crawl_id: str) -> dict[str, str]:
    """The Redis keys of one distributed crawl (``%(spider)s`` is filled in by scrapy-redis)."""
    prefix = f"lurewatch:{crawl_id}:%(spider)s"
    return {"SCHEDULER_QUEUE_KEY": f"{prefix}:requests", "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter"}


class DistributedAddon:
    """Turns on scrapy-redis's scheduler and dupefilter when ``LUREWATCH_DISTRIBUTED`` is true."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("LUREWATCH_DISTRIBUTED"):
            return
        if not settings.get("REDIS_URL"):
            raise ConfigError("LUREWATCH_DISTRIBUTED is on but REDIS_URL is not set (e.g. redis://10.0.0.5:6379/0)")
        crawl_id = settings.get("LUREWATCH_CRAWL_ID") or datetime.now(UTC).strftime("%Y-%m-%d")
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")  # one worker's end must not flush the others' queue
        settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority="addon")
        for name, value in redis_keys(crawl_id).items():
            settings.set(name, value, priority="addon")
        logger.info("Distributed crawl %s: shared queue and dupefilter in Redis", crawl_id)
