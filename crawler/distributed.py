"""Scale-out over several machines with scrapy-redis: a Scrapy add-on switched on by a setting.

With ``LUREWATCH_DISTRIBUTED=1`` and ``REDIS_URL=redis://host:6379/0``, every worker that runs
``lurewatch crawl`` shares one request queue and one duplicate filter per spider in Redis. Each
worker seeds the same searches (the shared dupefilter keeps one copy of each), then all workers
pull from the shared queues until they are empty. Keys are namespaced by ``LUREWATCH_CRAWL_ID``
(default: today's UTC date, so a nightly run starts fresh and workers of the same night cooperate)
and kept when a worker stops (``SCHEDULER_PERSIST``), so a worker finishing early does not wipe the
queue of the others. Items are indexed idempotently, so a post reported by two workers is one
document.

Requests are pickled into Redis: keep Redis on a trusted network. Landing pages are fetched by the
worker that handles the post (``engine.download_async``), outside the shared queue.

Our spiders are plain spiders, not scrapy-redis's ``RedisSpider`` (whose idle hook keeps a worker
open), so Scrapy would close a worker as soon as *its* view of the shared queue is empty: a worker
that starts a moment after another finds every seed already taken (dupefilter) and the queue
momentarily drained, and quits before doing anything. :class:`SharedQueueKeepAlive` fixes that:
each busy worker holds a short-lived ``lurewatch:<crawl id>:<spider>:busy:<worker>`` key, and an
idle worker stays open (``DontCloseSpider``) while the shared queue is not empty or another worker
is busy, polling at Scrapy's 5 s heartbeat.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings

from pipelines.config import read_bool, read_str
from pipelines.exceptions import ConfigError

__all__ = ["DistributedAddon", "SharedQueueKeepAlive", "redis_keys"]

logger = logging.getLogger(__name__)

_BUSY_TTL = 30  # seconds: a crashed worker stops holding the others open after this
_BUSY_REFRESH = 1.0  # seconds between refreshes of a busy worker's key
_MAX_IDLE_WAIT = 600.0  # seconds an idle worker waits for busy workers before closing anyway


def redis_keys(crawl_id: str) -> dict[str, str]:
    """The Redis keys of one distributed crawl (``%(spider)s`` is filled in by scrapy-redis)."""
    prefix = f"lurewatch:{crawl_id}:%(spider)s"
    return {
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "LUREWATCH_BUSY_KEY": f"{prefix}:busy",
    }


class DistributedAddon:
    """Turns on scrapy-redis's scheduler and dupefilter when ``LUREWATCH_DISTRIBUTED`` is true.

    Runs after :class:`crawler.addon.LurewatchAddon` (a higher ``ADDONS`` order), so lurewatch's
    defaults are in; unset settings read as off and empty all the same.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        """Switch the scheduler and dupefilter to Redis; ``ConfigError`` without ``REDIS_URL``."""
        if not read_bool(settings, "LUREWATCH_DISTRIBUTED"):
            return
        if not read_str(settings, "REDIS_URL"):
            raise ConfigError(
                "LUREWATCH_DISTRIBUTED is on but REDIS_URL is not set "
                "(e.g. redis://10.0.0.5:6379/0)"
            )
        crawl_id = read_str(settings, "LUREWATCH_CRAWL_ID") or datetime.now(UTC).strftime(
            "%Y-%m-%d"
        )
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        # one worker's end must not flush the others' queue
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority="addon")
        for name, value in redis_keys(crawl_id).items():
            settings.set(name, value, priority="addon")
        # plain spiders would close while another worker still fills the shared queue (see the
        # module docstring)
        settings.set_in_component_priority_dict("EXTENSIONS", SharedQueueKeepAlive, 100)
        logger.info("Distributed crawl %s: shared queue and dupefilter in Redis", crawl_id)


class SharedQueueKeepAlive:
    """Keeps an idle worker open while the shared queue has requests or another worker is busy."""

    def __init__(self, crawler: Crawler, busy_key: str) -> None:
        from scrapy_redis.connection import (
            get_redis_from_settings,
        )  # imported only in distributed mode

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.busy_key = busy_key
        self.worker = uuid.uuid4().hex[:12]
        self._refreshed = 0.0
        self._idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedQueueKeepAlive:
        """Enabled by :class:`DistributedAddon`; ``NotConfigured`` outside distributed mode."""
        settings = crawler.settings
        busy_key = read_str(settings, "LUREWATCH_BUSY_KEY")
        if not read_bool(settings, "LUREWATCH_DISTRIBUTED") or not busy_key:
            raise NotConfigured("LUREWATCH_DISTRIBUTED is off")
        ext = cls(crawler, busy_key)
        crawler.signals.connect(ext.busy, signal=signals.response_received)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _own_key(self, spider: Spider) -> str:
        return f"{self.busy_key % {'spider': spider.name}}:{self.worker}"

    def busy(self, spider: Spider, **_: Any) -> None:
        """A response arrived: mark this worker busy (at most once per second, with a TTL)."""
        self._idle_since = None
        now = time.monotonic()
        if now - self._refreshed >= _BUSY_REFRESH:
            self._refreshed = now
            self.server.set(self._own_key(spider), "1", ex=_BUSY_TTL)

    def idle(self, spider: Spider) -> None:
        """Raise ``DontCloseSpider`` while there is, or may soon be, shared work."""
        self.server.delete(self._own_key(spider))
        self._refreshed = 0.0
        now = time.monotonic()
        self._idle_since = self._idle_since or now
        if now - self._idle_since > _MAX_IDLE_WAIT:
            return
        queued = self._queued()
        pattern = f"{self.busy_key % {'spider': spider.name}}:*"
        others = next(self.server.scan_iter(match=pattern, count=100), None)
        if queued or others:
            logger.debug(
                "worker %s idle, waiting for the shared queue (queued=%s)", self.worker, queued
            )
            raise DontCloseSpider

    def _queued(self) -> bool:
        scheduler = self.crawler.engine.scheduler  # the engine runs by the time spider_idle fires
        return bool(scheduler is not None and scheduler.has_pending_requests())

    def closed(self, spider: Spider) -> None:
        self.server.delete(self._own_key(spider))
