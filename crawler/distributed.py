"""Scale-out over several machines with scrapy-redis: a Scrapy add-on switched on by a setting.

With ``LUREWATCH_DISTRIBUTED=1`` and ``REDIS_URL=redis://host:6379/0``, every worker that runs
``lurewatch crawl`` shares one request queue and one duplicate filter per spider in Redis. Each
worker seeds the same searches (the shared dupefilter keeps one copy of each), then all workers
pull from the shared queues until they are empty. Keys are namespaced by ``LUREWATCH_CRAWL_ID``
(default: today's UTC date, so a nightly run starts fresh and workers of the same night cooperate)
and kept when a worker stops (``SCHEDULER_PERSIST``), so a worker finishing early does not wipe the
queue of the others; what a killed worker had popped goes back to the queue
(:mod:`crawler.inflight`). Items are indexed idempotently, so a post reported by two workers is one
document.

Requests are pickled into Redis: keep Redis on a trusted network.

Every download is fetched once by all workers together (:class:`SharedFetchMiddleware`): posts and
API pages come through the shared queue, but landing pages are fetched by the worker that
handles the post (``engine.download_async``), redirects hop by hop, renders in Chromium, and
robots.txt by each worker. Before any of them goes out, the worker claims its fingerprint in Redis
(``SET NX`` with a TTL); the winner fetches and stores the response (each redirect hop, the
rendered page as its own entry); the others wait for it and get the stored copy, so each worker's
hit still carries its landing pages and is judged the same. A claim whose worker died expires
(``LUREWATCH_SHARED_FETCH_CLAIM``) and is taken over. Quotas are shared too: the ledger is in
Redis in distributed mode (:mod:`crawler.middlewares.quota`).

Our spiders are plain spiders, not scrapy-redis's ``RedisSpider`` (whose idle hook keeps a worker
open), so Scrapy would close a worker as soon as *its* view of the shared queue is empty: a worker
that starts a moment after another finds every seed already taken (dupefilter) and the queue
momentarily drained, and quits before doing anything. :class:`SharedQueueKeepAlive` fixes that:
each busy worker holds a short-lived ``lurewatch:<crawl id>:<spider>:busy:<worker>`` key, and an
idle worker stays open (``DontCloseSpider``) while the shared queue is not empty or another worker
is busy, looking again every 0.5 s (Scrapy's own heartbeat, 5 s, left a worker idle while the
others queued requests, and at the end of the crawl).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import BaseSettings

from crawler.inflight import inflight_registry, worker_id
from pipelines.config import read_bool, read_int, read_str
from pipelines.exceptions import ConfigError

if TYPE_CHECKING:
    from redis.asyncio import Redis as AsyncRedis

__all__ = [
    "POST_CLAIMS",
    "SHARED_REQUESTS",
    "DistributedAddon",
    "SharedFetchMiddleware",
    "SharedPostClaims",
    "SharedQueueKeepAlive",
    "redis_keys",
]

logger = logging.getLogger(__name__)

_BUSY_TTL = 30  # seconds: a crashed worker stops holding the others open after this
_BUSY_REFRESH = 1.0  # seconds between refreshes of a busy worker's key
_MAX_IDLE_WAIT = 600.0  # seconds an idle worker waits for busy workers before closing anyway
_WAIT_STEP = 0.05  # seconds between looks at a fetch another worker holds
#: seconds after which an idle worker looks at the shared queue again (Scrapy's own heartbeat:
#: 5 s, during which the requests other workers queue, and their end, go unseen)
_IDLE_RECHECK = 0.5
#: keys a ``SCAN`` step looks at: the shared fetches' claims and copies are most keys (10,000
#: after a few crawls), and a step is a round trip
_SCAN_COUNT = 1000
#: The stat of the requests all workers of a distributed crawl scheduled for a spider (the size of
#: its shared dupefilter when this worker closed).
SHARED_REQUESTS = "lurewatch/distributed/shared_requests"
_POST_CLAIMS_KEEP = 2 * 86400  # seconds a crawl's post claims stay (a crawl id is a night's)
#: The crawler attribute a spider's ``claim_post`` asks in distributed mode.
POST_CLAIMS = "lurewatch_post_claims"
#: KEYS: the spider's claimed posts (hash); ARGV: post key, this worker, the alive-key prefix,
#: seconds to keep. 1: this worker handles the post; 0: a live worker claimed it.
_CLAIM_POST = """
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if holder == ARGV[2] then return 0 end
if holder and redis.call('EXISTS', ARGV[3] .. holder) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""


def redis_keys(crawl_id: str) -> dict[str, str]:
    """The Redis keys of one distributed crawl (``%(spider)s`` is filled in by scrapy-redis)."""
    prefix = f"lurewatch:{crawl_id}:%(spider)s"
    return {
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "LUREWATCH_BUSY_KEY": f"{prefix}:busy",
        "LUREWATCH_SHARED_FETCH_KEY": f"lurewatch:{crawl_id}:fetch",
        "LUREWATCH_INFLIGHT_KEY": prefix,
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
        # scrapy-redis's scheduler, remembering popped requests until done (crawler/inflight.py)
        settings.set("SCHEDULER", "crawler.inflight.InFlightScheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        # one worker's end must not flush the others' queue
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority="addon")
        for name, value in redis_keys(crawl_id).items():
            settings.set(name, value, priority="addon")
        # plain spiders would close while another worker still fills the shared queue (see the
        # module docstring)
        settings.set_in_component_priority_dict("EXTENSIONS", SharedQueueKeepAlive, 100)
        # a post several searches find is handled by one worker, not by each that sees it
        settings.set_in_component_priority_dict("EXTENSIONS", SharedPostClaims, 100)
        # nearest the engine: sees the callback's final output (crawler/inflight.py)
        from crawler.inflight import InFlightMiddleware  # imports scrapy-redis: only here

        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", InFlightMiddleware, 10)
        # a hit is indexed (or spooled) before its request counts as done: none lost with a
        # killed worker (a batch still in memory would be)
        settings.set("LUREWATCH_ES_BATCH_SIZE", 1, priority="addon")
        # after RedirectMiddleware (600) in request order: each redirect hop is its own entry;
        # before the render guard (950): a stored render costs no browser
        settings.set_in_component_priority_dict(
            "DOWNLOADER_MIDDLEWARES", SharedFetchMiddleware, 900
        )
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
        self.inflight_key = read_str(crawler.settings, "LUREWATCH_INFLIGHT_KEY")
        self.worker = worker_id(crawler)
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

    def _registry(self, spider: Spider) -> str:
        return f"{self.busy_key % {'spider': spider.name}}-workers"

    def busy(self, spider: Spider, **_: Any) -> None:
        """A response arrived: mark this worker busy (at most once per second, with a TTL)."""
        self._idle_since = None
        now = time.monotonic()
        if now - self._refreshed >= _BUSY_REFRESH:
            self._refreshed = now
            pipe = self.server.pipeline(transaction=False)
            pipe.set(self._own_key(spider), "1", ex=_BUSY_TTL)
            pipe.sadd(self._registry(spider), self.worker)
            pipe.execute()

    def idle(self, spider: Spider) -> None:
        """Raise ``DontCloseSpider`` while there is, or may soon be, shared work."""
        pipe = self.server.pipeline(transaction=False)
        pipe.delete(self._own_key(spider))
        pipe.srem(self._registry(spider), self.worker)
        pipe.execute()
        self._refreshed = 0.0
        now = time.monotonic()
        self._idle_since = self._idle_since or now
        if now - self._idle_since > _MAX_IDLE_WAIT:
            return
        queued = self._queued()
        if queued or self._others_busy(spider) or self._dead_inflight(spider):
            logger.debug(
                "worker %s idle, waiting for the shared queue (queued=%s)", self.worker, queued
            )
            self._look_again_soon()
            raise DontCloseSpider

    def _others_busy(self, spider: Spider) -> bool:
        """Another worker holds its busy key: those listed first (one round trip each way), then,
        only when none is, a ``SCAN`` (a worker that did not list itself)."""
        prefix = self.busy_key % {"spider": spider.name}
        listed = sorted(m.decode() for m in self.server.smembers(self._registry(spider)))
        if listed:
            pipe = self.server.pipeline(transaction=False)
            for worker in listed:
                pipe.exists(f"{prefix}:{worker}")
            alive = [w for w, n in zip(listed, pipe.execute(), strict=True) if n]
            gone = set(listed) - set(alive)
            if gone:
                self.server.srem(self._registry(spider), *gone)
            if alive:
                return True
        keys = self.server.scan_iter(match=f"{prefix}:*", count=_SCAN_COUNT)
        return next(keys, None) is not None

    def _dead_inflight(self, spider: Spider) -> bool:
        """A dead worker's in-flight requests are not taken back yet (crawler/inflight.py)."""
        if not self.inflight_key:
            return False
        prefix = self.inflight_key % {"spider": spider.name}
        own = f"{prefix}:inflight:{self.worker}"
        listed = (m.decode() for m in self.server.smembers(inflight_registry(prefix)))
        return any(k != own and self._dead(k) and self.server.exists(k) for k in listed)

    def _look_again_soon(self) -> None:
        """Have the engine ask the scheduler again in :data:`_IDLE_RECHECK` seconds."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no engine (yet): it will look at its own heartbeat
            return
        slot = getattr(engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule(_IDLE_RECHECK)

    def _dead(self, inflight_key: str) -> bool:
        """The worker of an in-flight hash no longer says it is alive (crawler/inflight.py)."""
        prefix, _, worker = inflight_key.rpartition(":inflight:")
        return "-taken-by-" not in worker and not self.server.exists(f"{prefix}:alive:{worker}")

    def _queued(self) -> bool:
        scheduler = self.crawler.engine.scheduler  # the engine runs by the time spider_idle fires
        return bool(scheduler is not None and scheduler.has_pending_requests())

    def closed(self, spider: Spider) -> None:
        """Drop this worker's busy key; record how many requests all workers scheduled.

        A worker can close having taken none of them (the others emptied a small queue first):
        :func:`crawler.commands.crawlall.crawl_exitcode` reads :data:`SHARED_REQUESTS` to tell
        that from a spider that had nothing to crawl.
        """
        self.server.delete(self._own_key(spider))
        self.server.srem(self._registry(spider), self.worker)
        dupefilter = read_str(self.crawler.settings, "SCHEDULER_DUPEFILTER_KEY")
        if dupefilter and self.crawler.stats is not None:
            shared = int(self.server.scard(dupefilter % {"spider": spider.name}) or 0)
            self.crawler.stats.set_value(SHARED_REQUESTS, shared)


class SharedPostClaims:
    """A post is handled by one worker of all: the first to claim it (several searches find the
    same post; two workers each handled about half of the replica's posts again, landing pages
    judged twice, though fetched once).

    Claims are a hash per spider (post key -> worker). A claim held by a dead worker (its alive
    key, :mod:`crawler.inflight`, gone) is taken over: its requests come back to the queue and
    their posts must be handled again. Each claim is one round trip (a Lua script).
    """

    def __init__(self, crawler: Crawler, inflight_key: str, keep: int) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.inflight_key = inflight_key
        self.keep = keep
        self.worker = worker_id(crawler)
        self._script = self.server.register_script(_CLAIM_POST)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPostClaims:
        """Enabled by :class:`DistributedAddon`; ``NotConfigured`` outside distributed mode."""
        settings = crawler.settings
        inflight_key = read_str(settings, "LUREWATCH_INFLIGHT_KEY")
        if not read_bool(settings, "LUREWATCH_DISTRIBUTED") or not inflight_key:
            raise NotConfigured("LUREWATCH_DISTRIBUTED is off")
        claims = cls(crawler, inflight_key, _POST_CLAIMS_KEEP)
        setattr(crawler, POST_CLAIMS, claims)
        return claims

    def claim(self, spider: str, post: str) -> bool:
        """True when this worker is to handle ``post`` (a canonical post URL)."""
        prefix = self.inflight_key % {"spider": spider}
        args = [post, self.worker, f"{prefix}:alive:", self.keep]
        if self._script(keys=[f"{prefix}:posts"], args=args):
            return True
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("lurewatch/distributed/posts_elsewhere")
        return False


class SharedFetchMiddleware:
    """One fetch per request fingerprint across all workers (see the module docstring)."""

    def __init__(self, crawler: Crawler, key: str, claim_ttl: int, result_ttl: int) -> None:
        self.crawler = crawler
        self.url = read_str(crawler.settings, "REDIS_URL")
        self._server: AsyncRedis | None = None
        self.key = key
        self.claim_ttl = claim_ttl
        self.result_ttl = result_ttl
        self.worker = uuid.uuid4().hex[:12]
        assert crawler.request_fingerprinter is not None
        self.fingerprinter = crawler.request_fingerprinter

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFetchMiddleware:
        """Enabled by :class:`DistributedAddon`; ``NotConfigured`` outside distributed mode."""
        settings = crawler.settings
        key = read_str(settings, "LUREWATCH_SHARED_FETCH_KEY")
        if not read_bool(settings, "LUREWATCH_DISTRIBUTED") or not key:
            raise NotConfigured("LUREWATCH_DISTRIBUTED is off")
        claim = read_int(settings, "LUREWATCH_SHARED_FETCH_CLAIM", minimum=1)
        keep = read_int(settings, "LUREWATCH_SHARED_FETCH_KEEP", minimum=60)
        middleware = cls(crawler, key, claim, keep)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def server(self) -> AsyncRedis:
        """An asyncio Redis client, made on first use inside the running loop: a claim or a
        stored copy is a round trip the reactor awaits, not one it blocks on (the blocking
        client spent about 40% of a worker's event loop waiting for Redis)."""
        if self._server is None:
            from redis.asyncio import Redis

            self._server = Redis.from_url(self.url, socket_timeout=30)
        return self._server

    async def spider_closed(self) -> None:
        """Close the client's connections."""
        if self._server is not None:
            await self._server.aclose()
            self._server = None

    def _id(self, request: Request) -> str:
        rendered = "r" if request.meta.get("playwright") else "s"
        return f"{rendered}{self.fingerprinter.fingerprint(request).hex()}"

    def _stat(self, name: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"lurewatch/shared_fetch/{name}")

    async def process_request(self, request: Request) -> Response | None:
        """Claim the fetch, or wait for the worker that holds the claim and return its copy."""
        fid = self._id(request)
        claim = f"{self.key}:claim:{fid}"
        result = f"{self.key}:result:{fid}"
        waited = False
        while True:
            if await self.server.set(claim, self.worker, nx=True, ex=self.claim_ttl):
                request.meta["lurewatch_shared_fetch"] = fid
                self._stat("taken_over" if waited else "fetched")  # taken over: claimer died
                return None
            holder, stored = cast(list[bytes | None], await self.server.mget(claim, result))
            own = holder is not None and holder.decode() == self.worker
            if own and request.meta.get("retry_times"):
                request.meta["lurewatch_shared_fetch"] = fid  # a retry of our own fetch
                return None
            if stored is not None:
                self._stat("waited" if waited else "stored")
                return _response(request, stored)
            waited = True  # another worker's fetch, or our own still in flight
            await asyncio.sleep(_WAIT_STEP)

    async def process_response(self, request: Request, response: Response) -> Response:
        """Store the response this worker fetched for the others."""
        fid = request.meta.get("lurewatch_shared_fetch")
        if fid and "shared" not in response.flags:
            stored = _stored(response)
            await self.server.set(f"{self.key}:result:{fid}", stored, ex=self.result_ttl)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        """A failed fetch is stored as failed: the others do not try it again."""
        fid = request.meta.get("lurewatch_shared_fetch")
        if fid:
            failed = json.dumps({"error": type(exception).__name__})
            await self.server.set(f"{self.key}:result:{fid}", failed, ex=self.result_ttl)


def _stored(response: Response) -> bytes:
    """A response as one Redis value: a JSON line (URL, status, headers), then the body's raw
    bytes (no base64: a third smaller in Redis, nothing to encode or decode)."""
    head = {
        "url": response.url,
        "status": response.status,
        "headers": [
            [k.decode("latin-1"), v.decode("latin-1")]
            for k, values in response.headers.items()
            for v in values
        ],
    }
    return json.dumps(head).encode("utf-8") + b"\n" + response.body


def _response(request: Request, stored: bytes) -> Response:
    line, _, body = stored.partition(b"\n")  # a JSON dump holds no raw newline
    data = json.loads(line)
    if "error" in data:
        raise IgnoreRequest(f"fetched by another worker, which failed: {data['error']}")
    headers = Headers()
    for name, value in data["headers"]:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=data["url"], body=body)
    return cls(
        url=data["url"],
        status=data["status"],
        headers=headers,
        body=body,
        flags=["shared"],
        request=request,
    )
