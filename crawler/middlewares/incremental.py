"""Incremental crawls: a post fetched within ``LUREWATCH_RECHECK_INTERVAL`` and unchanged since
is not fetched again.

The decision is taken where the platform's listing is read, before the post costs anything: every
spider ends a post with :meth:`crawler.spiders._base.PlatformSpider.complete_hit`, which asks
:meth:`IncrementalGate.skip` first. A post is skipped when the ledger (:mod:`pipelines.seen`) has
it fetched less than the interval ago with the same content digest; its landing pages are then not
downloaded, and :class:`IncrementalSpiderMiddleware` drops it before detection (counted in
``lurewatch/incremental/skipped``). A skipped post that was a hit is already in the index (hits are
indexed idempotently, one document per canonical URL) and its blog is still expanded, so posts
reached only through it are re-checked too.

Requests for post pages (Tumblr theme pages, WordPress HTML permalinks, Blogger posts found by
discovery) that callbacks yield are dropped by the same middleware when the post was fetched
within the interval: no listing content to compare, the interval alone decides
(``lurewatch/incremental/skipped/post_pages``). They are dropped before the scheduler, not with
``IgnoreRequest`` in a downloader middleware, which would reach the spiders' errbacks as failed
requests (logged and counted as failures). Requests scheduled outside callbacks (cross-blog posts,
blog listings) are not filtered.

At spider close one INFO line sums it up and the posts fetched and judged in this run (a hit, or a
benign post dropped by detection) are written to the ledger; a post that failed in a pipeline is
not, so it is fetched again next time.

``LUREWATCH_RECHECK_INTERVAL = 0`` turns it off (the demo and the test crawls do).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler

from pipelines.config import SettingsLike, read_bool, read_float, read_str
from pipelines.items import Hit
from pipelines.seen import (
    RedisSeenLedger,
    SeenEntry,
    SeenLedger,
    SqliteSeenLedger,
    content_digest,
    recheck_due,
)
from pipelines.urls import canonical_post_url

__all__ = [
    "PAGE_POSTS_META",
    "IncrementalConfig",
    "IncrementalGate",
    "IncrementalSpiderMiddleware",
]

#: ``Response.meta`` key: how many of the page's posts were ``new`` (judged now) and ``old``
#: (skipped as judged within the interval and unchanged); ``lurewatch watch`` stops paging a
#: search whose page brought old posts only (:mod:`crawler.watch.middleware`).
PAGE_POSTS_META = "lurewatch_page_posts"

logger = logging.getLogger(__name__)

_MAX_INTERVAL = 366 * 86400.0  # a year: past it the ledger would only grow


@dataclass(frozen=True)
class IncrementalConfig:
    """The re-check interval (seconds, 0 = off) and where the ledger lives."""

    interval: float
    ledger_path: Path
    redis_url: str  # empty: the SQLite ledger
    redis_prefix: str

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> IncrementalConfig:
        """Read ``LUREWATCH_RECHECK_INTERVAL``; a bad value raises ``ConfigError``."""
        distributed = read_bool(settings, "LUREWATCH_DISTRIBUTED")
        data_dir = Path(read_str(settings, "LUREWATCH_DATA_DIR") or "data")
        return cls(
            interval=read_float(
                settings, "LUREWATCH_RECHECK_INTERVAL", minimum=0, maximum=_MAX_INTERVAL
            ),
            ledger_path=data_dir / "incremental" / "seen.sqlite3",
            redis_url=read_str(settings, "REDIS_URL") if distributed else "",
            redis_prefix=read_str(settings, "LUREWATCH_RECHECK_REDIS_PREFIX"),
        )


def open_seen_ledger(config: IncrementalConfig) -> SeenLedger:
    """The Redis ledger in distributed mode, else the SQLite file under the data folder."""
    if config.redis_url:
        import redis

        return RedisSeenLedger(redis.Redis.from_url(config.redis_url), prefix=config.redis_prefix)
    return SqliteSeenLedger(config.ledger_path)


@runtime_checkable
class _Expanding(Protocol):
    """A spider that lists a blog with a hit (:class:`crawler.spiders._base.PlatformSpider`)."""

    def expand_blog(self, hit: Hit) -> None: ...


class IncrementalGate:
    """One spider's view of the ledger: which posts to skip, and what to record at close."""

    def __init__(
        self, crawler: Crawler, config: IncrementalConfig, ledger: SeenLedger | None
    ) -> None:
        self.crawler = crawler
        self.config = config
        self.ledger = ledger
        self.known: dict[str, SeenEntry] = {}
        self._fetched: dict[str, SeenEntry] = {}  # this run's posts, until their fate is known
        self._judged: dict[str, SeenEntry] = {}  # ... and once it is: written at close
        self._skipped: dict[int, Hit] = {}  # skipped hits not yet dropped by the middleware
        # set by IncrementalSpiderMiddleware: without it a skipped post would reach detection
        # and the index without its landing pages, so nothing is skipped
        self.dropper = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalGate:
        """The gate of ``crawler``'s spider; off (no ledger opened) when the interval is 0."""
        config = IncrementalConfig.from_settings(crawler.settings)
        ledger = open_seen_ledger(config) if config.interval > 0 else None
        gate = cls(crawler, config, ledger)
        if ledger is not None:
            crawler.signals.connect(gate.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(gate.item_scraped, signal=signals.item_scraped)
            crawler.signals.connect(gate.item_dropped, signal=signals.item_dropped)
            crawler.signals.connect(gate.spider_closed, signal=signals.spider_closed)
        return gate

    @property
    def enabled(self) -> bool:
        return self.ledger is not None

    def spider_opened(self, spider: Spider) -> None:
        assert self.ledger is not None
        if not self.dropper:
            logger.warning(
                "Incremental: %s is not in SPIDER_MIDDLEWARES: no post is skipped",
                IncrementalSpiderMiddleware.__name__,
                extra={"spider": spider},
            )
        try:
            self.known = self.ledger.load(since=time.time() - self.config.interval)
        except Exception as exc:  # a damaged or unreachable ledger: this run fetches every post
            self._ledger_failed(spider, "read", exc)
            return
        logger.info(
            "Incremental: %d posts fetched within the re-check interval (%s)",
            len(self.known),
            _duration(self.config.interval),
            extra={"spider": spider},
        )

    def skip(self, hit: Hit) -> SeenEntry | None:
        """The ledger entry of ``hit`` if it is not to be fetched again (else ``None``, and the
        post is remembered as fetched now)."""
        if not self.enabled:
            return None
        url = canonical_post_url(hit.url)
        digest = content_digest(hit.title, hit.html or hit.text, hit.outbound_urls)
        entry = self.known.get(url)
        now = time.time()
        if self.dropper and not recheck_due(entry, digest, now, self.config.interval):
            assert entry is not None
            self._skipped[id(hit)] = hit
            self._stat("skipped")
            self._stat(f"skipped/{hit.platform}")
            return entry
        self._stat("new" if entry is None else "rechecked")
        if entry is not None:
            logger.debug("Incremental: %s changed or due, fetched again", hit.url)
        self._fetched[url] = SeenEntry(now, digest, False, hit.platform, hit.blog)
        return None

    def skip_request(self, request: Request) -> SeenEntry | None:
        """The ledger entry of the post ``request`` asks for if it was fetched within the
        interval (else ``None``). A post page has no listing content to compare: the interval
        alone decides. Landing pages and ``dont_filter`` requests are never skipped."""
        if not self.enabled or not self.dropper:
            return None
        if request.dont_filter or request.meta.get("lurewatch_landing"):
            return None
        entry = self.known.get(canonical_post_url(request.url))
        if entry is None or time.time() - entry.fetched_at >= self.config.interval:
            return None
        self._stat("skipped")
        self._stat(f"skipped/{entry.platform or 'other'}")
        self._stat("skipped/post_pages")
        return entry

    def listed_blogs(self, url: str, entry: SeenEntry) -> list[Hit]:
        """What a skipped post would have led to: its blog if it was a hit, and the blogs of the
        hits among the posts its landing pages were (a self-hosted WordPress post linked from
        it), on the same platform. The spider lists them (blog expansion, once per blog)."""
        listed = []
        if entry.hit and entry.blog:
            listed.append(Hit(url=url, platform=entry.platform, blog=entry.blog))
        for link in entry.links:
            linked = self.known.get(link)
            if linked is None or not linked.hit or not linked.blog:
                continue
            if linked.platform == entry.platform and link != url:
                listed.append(Hit(url=link, platform=linked.platform, blog=linked.blog))
        return listed

    def was_skipped(self, item: Any) -> bool:
        """True once for a hit :meth:`skip` kept from being fetched (the middleware drops it)."""
        return self._skipped.pop(id(item), None) is item

    def item_scraped(self, item: Any, **kwargs: Any) -> None:
        self._judge(item, hit=True)

    def item_dropped(self, item: Any, **kwargs: Any) -> None:
        self._judge(item, hit=False)

    def _judge(self, item: Any, hit: bool) -> None:
        if not isinstance(item, Hit):
            return
        url = canonical_post_url(item.url)
        entry = self._fetched.pop(url, None)
        if entry is not None:
            links = tuple(canonical_post_url(link) for link in item.landing_urls)
            self._judged[url] = replace(entry, hit=hit, links=links)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.ledger is not None
        stats = self.crawler.stats
        assert stats is not None
        skipped = int(stats.get_value("lurewatch/incremental/skipped", 0))
        logger.info(
            "Incremental: %d posts skipped (fetched within %s, unchanged), %d new, %d re-checked;"
            " %d written to the ledger",
            skipped,
            _duration(self.config.interval),
            int(stats.get_value("lurewatch/incremental/new", 0)),
            int(stats.get_value("lurewatch/incremental/rechecked", 0)),
            len(self._judged),
            extra={"spider": spider},
        )
        try:
            self.ledger.save(self._judged, prune_before=time.time() - self.config.interval)
        except Exception as exc:  # the posts of this run are simply fetched again next time
            self._ledger_failed(spider, "written", exc)

    def _ledger_failed(self, spider: Spider, what: str, exc: Exception) -> None:
        self._stat("ledger_errors")
        logger.warning(
            "Incremental: the ledger of fetched posts (%s) could not be %s (%s: %s); nothing is"
            " skipped on its account",
            self.where,
            what,
            type(exc).__name__,
            exc,
            extra={"spider": spider},
        )

    @property
    def where(self) -> str:
        """The ledger's place, for log lines (a Redis URL is not shown: it may hold a
        password)."""
        if self.config.redis_url:
            return f"Redis keys {self.config.redis_prefix}:*"
        return str(self.config.ledger_path)

    def _stat(self, name: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"lurewatch/incremental/{name}")


class IncrementalSpiderMiddleware:
    """Drops the posts the gate skipped, before detection, evidence and indexing see them, and
    the requests for post pages fetched within the interval (a hit's blog is still listed)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalSpiderMiddleware:
        gate = getattr(crawler.spider, "incremental", None)  # the spider is built first
        if isinstance(gate, IncrementalGate):
            gate.dropper = True
        return cls(crawler)

    def _gate(self) -> IncrementalGate | None:
        gate = getattr(self.crawler.spider, "incremental", None)
        return gate if isinstance(gate, IncrementalGate) and gate.enabled else None

    def _keep(self, gate: IncrementalGate | None, out: Any, response: Any) -> bool:
        if gate is None:
            return True
        if not isinstance(out, Request):
            if gate.was_skipped(out):
                _count(response, "old")
                return False
            if isinstance(out, Hit):
                _count(response, "new")
            return True
        entry = gate.skip_request(out)
        if entry is None:
            return True
        _count(response, "old")
        spider = self.crawler.spider
        if isinstance(spider, _Expanding):
            for listed in gate.listed_blogs(canonical_post_url(out.url), entry):
                spider.expand_blog(listed)
        return False

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterator[Any]:
        gate = self._gate()
        for out in result:
            if self._keep(gate, out, response):
                yield out

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        gate = self._gate()
        async for out in result:
            if self._keep(gate, out, response):
                yield out


def _count(response: Any, kind: str) -> None:
    """One more ``kind`` post on ``response``'s page (:data:`PAGE_POSTS_META`)."""
    try:
        meta = response.meta
    except AttributeError:  # no response (start requests), or one tied to no request
        return
    counts = meta.setdefault(PAGE_POSTS_META, {"new": 0, "old": 0})
    counts[kind] += 1


def _duration(seconds: float) -> str:
    if seconds >= 86400 and seconds % 86400 == 0:
        return f"{int(seconds // 86400)} d"
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    return f"{seconds:g} s"
