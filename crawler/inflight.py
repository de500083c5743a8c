"""Distributed mode: a killed worker loses no request (and so no hit).

scrapy-redis pops a request from the shared queue and forgets it: if the worker that popped it
dies, the request is gone (and the shared dupefilter keeps everyone else from asking again).
Here each worker keeps what it popped and has not finished in a Redis hash
(``lurewatch:<crawl id>:<spider>:inflight:<worker>``, request fingerprint -> the request as
scrapy-redis encodes it) and says it is alive (``...:alive:<worker>``, a key with a short TTL
refreshed every few seconds).

- :class:`InFlightScheduler` (scrapy-redis's scheduler) records each popped request, and every
  few seconds looks for in-flight hashes of workers no longer alive: it takes such a hash over
  (``RENAME``: one taker only) and puts its requests back into the shared queue
  (``dont_filter``: the dupefilter has seen them). The hashes are listed in one set
  (``...:inflights``), so finding them costs one round trip, not a ``SCAN`` of every key (the
  shared fetches' copies are most of them: 10,000 after a few crawls);
- :class:`InFlightMiddleware` (spider middleware) releases a request once its callback's output
  is consumed and every item it yielded is through the item pipelines (``item_scraped``,
  ``item_dropped``, ``item_error``): with ``LUREWATCH_ES_BATCH_SIZE=1`` (the distributed
  default) that is once the hit is indexed or spooled. A worker that finishes cleanly deletes
  its hash; one stopped early (SIGTERM) leaves it for the others.

Requests fetched again after a takeover cost no second download when the dead worker had
fetched them already (:class:`crawler.distributed.SharedFetchMiddleware` keeps the response).

The scheduler's calls block the reactor, so each costs one round trip at most: a pop, its
in-flight record and the releases since the last pop are one Lua script; the dupefilter's check
and the push of a new request another; after an empty pop the queue is asked again only after
:data:`_EMPTY_WAIT` (or at once when this worker queued something meanwhile). Releases wait for
the next pop (at most :data:`_CHECK_EVERY`): a worker killed meanwhile has a finished request or
two fetched again by the others, from the stored copy, and nothing lost.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, cast

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from pipelines.config import read_bool, read_str

__all__ = [
    "INFLIGHT_META",
    "InFlightMiddleware",
    "InFlightScheduler",
    "inflight_registry",
    "worker_id",
]

logger = logging.getLogger(__name__)

#: ``Request.meta`` key: the in-flight entry a request (and its redirects) belongs to.
INFLIGHT_META = "lurewatch_inflight"
_ALIVE_TTL = 30  # seconds without a heartbeat after which a worker counts as dead
_CHECK_EVERY = 5.0  # seconds between heartbeats and looks for dead workers' requests
#: seconds after an empty pop before the shared queue is asked again (this worker's own pushes
#: end the wait): the engine asks after every response, an empty queue each time a round trip
_EMPTY_WAIT = 0.05
_MAX_RELEASES = 200  # releases waiting for the next pop before they go on their own
#: KEYS: queue, in-flight hash, registry; ARGV: the new entry's id, then the ids to release.
_POP = """
if #ARGV > 1 then redis.call('HDEL', KEYS[2], unpack(ARGV, 2)) end
local got = redis.call('ZRANGE', KEYS[1], 0, 0)
if #got == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], ARGV[1], got[1])
redis.call('SADD', KEYS[3], KEYS[2])
return got[1]
"""
#: KEYS: dupefilter, queue; ARGV: fingerprint ('' for dont_filter), score, encoded request.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


def inflight_registry(prefix: str) -> str:
    """The set listing the in-flight hashes under ``prefix`` (one spider's keys)."""
    return f"{prefix}:inflights"


def worker_id(crawler: Crawler) -> str:
    """This process's worker id in distributed mode (one per crawler)."""
    wid = getattr(crawler, "_lurewatch_worker", None)
    if wid is None:
        wid = uuid.uuid4().hex[:12]
        crawler._lurewatch_worker = wid  # type: ignore[attr-defined]
    return str(wid)


class InFlightScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler that remembers popped requests until they are done."""

    crawler: Crawler
    _checked: float  # monotonic time of the last heartbeat
    _empty_until: float  # monotonic time before which an empty queue is not asked again
    _released: list[str]  # finished requests' ids, released with the next pop

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InFlightScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker = worker_id(crawler)
        scheduler.prefix = read_str(crawler.settings, "LUREWATCH_INFLIGHT_KEY")
        scheduler._checked = 0.0
        scheduler._empty_until = 0.0
        scheduler._released = []
        scheduler._pop = scheduler.server.register_script(_POP)
        scheduler._push = scheduler.server.register_script(_PUSH)
        return scheduler  # type: ignore[no-any-return]

    def _key(self, kind: str, worker: str) -> str:
        return f"{self.prefix % {'spider': self.spider.name}}:{kind}:{worker}"

    def _registry(self) -> str:
        return inflight_registry(self.prefix % {"spider": self.spider.name})

    def _scripted(self) -> bool:
        """The queue and dupefilter are the ones the scripts know (the add-on's)."""
        return isinstance(self.queue, PriorityQueue) and isinstance(self.df, RFPDupeFilter)

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self._heartbeat()

    def _heartbeat(self) -> None:
        now = time.monotonic()
        if now - self._checked < _CHECK_EVERY:
            return
        self._checked = now
        self.server.set(self._key("alive", self.worker), "1", ex=_ALIVE_TTL)
        self._flush_releases()
        self.requeue_dead()

    def requeue_dead(self) -> int:
        """Put the in-flight requests of dead workers back into the shared queue."""
        registry = self._registry()
        own = self._key("inflight", self.worker)
        requeued = 0
        for raw in sorted(self.server.smembers(registry)):
            key = raw.decode()
            worker = key.rsplit(":", 1)[1]
            if key == own or self.server.exists(self._key("alive", worker)):
                continue
            taken = f"{key}-taken-by-{self.worker}"
            try:
                self.server.rename(key, taken)  # one survivor takes it
            except redis.ResponseError:  # taken by another worker, or released and gone
                self.server.srem(registry, key)
                logger.debug("in-flight requests of %s taken by another worker", worker)
                continue
            self.server.srem(registry, key)
            for encoded in self.server.hvals(taken):
                request = self.queue._decode_request(encoded)
                request.dont_filter = True
                self.queue.push(request)
                requeued += 1
            self.server.delete(taken)
            logger.warning(
                "worker %s is gone: %d of its requests back in the shared queue", worker, requeued
            )
        if requeued and self.stats:
            self.stats.inc_value("lurewatch/distributed/requeued", requeued)
        return requeued

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's check and push, in one round trip."""
        if not self._scripted():
            return bool(super().enqueue_request(request))
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        data = self.queue._encode_request(request)
        keys = [self.df.key, self.queue.key]
        if not self._push(keys=keys, args=[fingerprint, -request.priority, data]):
            self.df.log(request, self.spider)
            return False
        self._empty_until = 0.0
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        self._heartbeat()
        if not self._scripted():
            return self._next_unscripted()
        if time.monotonic() < self._empty_until:
            return None
        fid = uuid.uuid4().hex
        keys = [self.queue.key, self._key("inflight", self.worker), self._registry()]
        released, self._released = self._released, []
        encoded = self._pop(keys=keys, args=[fid, *released])
        if not encoded:
            self._empty_until = time.monotonic() + _EMPTY_WAIT
            return None
        request = self.queue._decode_request(encoded)
        request.meta[INFLIGHT_META] = fid
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return cast(Request, request)

    def _next_unscripted(self) -> Request | None:
        request = super().next_request()
        if request is not None:
            fid = uuid.uuid4().hex
            request.meta[INFLIGHT_META] = fid
            encoded = self.queue._encode_request(request)
            self.server.hset(self._key("inflight", self.worker), fid, encoded)
            self.server.sadd(self._registry(), self._key("inflight", self.worker))
        return request  # type: ignore[no-any-return]

    def has_pending_requests(self) -> bool:
        self._heartbeat()
        return bool(super().has_pending_requests())

    def release(self, fid: str) -> None:
        """The request ``fid`` is done: its output and items are through (recorded in Redis with
        the next pop)."""
        self._released.append(fid)
        if len(self._released) >= _MAX_RELEASES:
            self._flush_releases()

    def _flush_releases(self) -> None:
        released, self._released = self._released, []
        if released:
            self.server.hdel(self._key("inflight", self.worker), *released)

    def close(self, reason: str) -> None:
        own = self._key("inflight", self.worker)
        if reason == "finished":
            self._released = []
            self.server.delete(own)
            self.server.srem(self._registry(), own)
        else:  # stopped early: what is still in flight stays for the others
            self._flush_releases()
        self.server.delete(self._key("alive", self.worker))
        super().close(reason)


class InFlightMiddleware:
    """Releases a popped request once its output and its items are through."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._pending: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InFlightMiddleware:
        """On in distributed mode only (:class:`crawler.distributed.DistributedAddon`)."""
        if not read_bool(crawler.settings, "LUREWATCH_DISTRIBUTED"):
            raise NotConfigured("LUREWATCH_DISTRIBUTED is off")
        mw = cls(crawler)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(mw._item_done, signal=signal)
        return mw

    def _done(self, fid: str) -> None:
        self._pending[fid] -= 1
        if self._pending[fid] <= 0:
            del self._pending[fid]
            scheduler = self.crawler.engine.scheduler if self.crawler.engine else None
            if isinstance(scheduler, InFlightScheduler):
                scheduler.release(fid)

    def _item_done(self, item: Any, response: Response | None = None, **_: Any) -> None:
        fid = response.meta.get(INFLIGHT_META) if response is not None else None
        if fid and fid in self._pending:
            self._done(fid)

    def _track(self, response: Response, output: Any) -> Any:
        fid = response.meta.get(INFLIGHT_META)
        if fid and not isinstance(output, Request):
            self._pending[fid] += 1  # an item: done when through the pipelines
        return output

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        fid = response.meta.get(INFLIGHT_META)
        if fid:
            self._pending[fid] += 1
        try:
            for output in result:
                yield self._track(response, output)
        finally:
            if fid:
                self._done(fid)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        fid = response.meta.get(INFLIGHT_META)
        if fid:
            self._pending[fid] += 1
        try:
            async for output in result:
                yield self._track(response, output)
        finally:
            if fid:
                self._done(fid)
