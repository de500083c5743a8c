"""``ElasticsearchPipeline``: index every hit, idempotently, without blocking the reactor or losing
a hit.

Batches by size (``LUREWATCH_ES_BATCH_SIZE``) and by time (``LUREWATCH_ES_FLUSH_SECONDS``); upserts
through
:class:`pipelines.es.writer.HitWriter`; anything Elasticsearch does not take (cluster down, a
rejected document) goes to the spool (:mod:`pipelines.es.spool`), which is replayed at the next
open, at close when the cluster answers again, and by ``lurewatch es replay``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, TransportError
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from pipelines.es.client import credential_error, describe_error, make_client
from pipelines.es.config import EsConfig
from pipelines.es.documents import build_document
from pipelines.es.replay import replay_spool
from pipelines.es.spool import Spool
from pipelines.es.stats import EsStats
from pipelines.es.template import setup_index
from pipelines.es.writer import Failure, HitWriter
from pipelines.exceptions import IndexingError

__all__ = ["ElasticsearchPipeline"]

logger = logging.getLogger(__name__)

_MAX_PAUSE = 60.0  # seconds without trying the cluster after a connection failure


def new_crawl_id() -> str:
    """A sortable, unique id for one crawl: ``20250101T020000Z-1a2b3c4d``."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


class ElasticsearchPipeline:
    """Index hits into the ``LUREWATCH_ES_INDEX`` alias; see the module docstring."""

    def __init__(
        self,
        config: EsConfig,
        stats: StatsCollector,
        crawl_id: str,
        client_factory: Callable[[EsConfig], AsyncElasticsearch] = make_client,
    ) -> None:
        self.config, self.crawl_id = config, crawl_id
        self.stats = EsStats(stats)
        self.spool = Spool(config.spool_path)
        self._client_factory = client_factory
        self._client: AsyncElasticsearch | None = None
        self._writer: HitWriter | None = None
        self._buffer: list[dict[str, Any]] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None
        self._paused_until = 0.0
        self._failures_in_row = 0
        self._ready = False  # templates and alias checked on this cluster

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ElasticsearchPipeline:
        """Read the settings: ``NotConfigured`` when indexing is off, ``ConfigError`` when
        wrong."""
        reason = EsConfig.off_reason(crawler.settings)
        if reason:
            raise NotConfigured(reason)
        config = EsConfig.from_settings(crawler.settings)
        assert crawler.stats is not None
        crawl_id = crawler.settings.get("LUREWATCH_CRAWL_ID") or new_crawl_id()
        return cls(config, crawler.stats, crawl_id)

    async def open_spider(self) -> None:
        """Connect, set up the index, replay the spool, start the flush timer."""
        self._client = self._client_factory(self.config)
        self._writer = HitWriter(
            self._client,
            self.config.index,
            self.stats,
            max_retries=self.config.max_retries,
            backoff=self.config.retry_backoff,
        )
        logger.info(
            "indexing hits into %s at %s (crawl %s)",
            self.config.index,
            self.config.safe_url,
            self.crawl_id,
        )
        if await self._setup():
            await self._replay()
        self._timer = asyncio.create_task(self._flush_periodically())

    async def process_item(self, item: Any) -> Any:
        """Buffer the hit; send the batch once full (awaiting it: back-pressure on the crawl)."""
        self._buffer.append(build_document(item, self.crawl_id))
        if len(self._buffer) >= self.config.batch_size:
            await self.flush()
        return item

    async def close_spider(self) -> None:
        """Send the last batch, retry this crawl's spool if the cluster answers, close the
        client."""
        if self._timer is not None:
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
        await self.flush()
        if self._failures_in_row == 0 and self.spool.count():
            await self._replay()
        if self._client is not None:
            await self._client.close()
        left = self.spool.count()
        if left:
            logger.warning(
                "%d hits wait in the spool %s: run `lurewatch es replay`", left, self.spool.path
            )

    async def flush(self) -> None:
        """Send the buffered documents now (one batch at a time)."""
        async with self._lock:
            batch, self._buffer = self._buffer, []
            if batch:
                await self._send(batch)

    async def _setup(self) -> bool:
        assert self._client is not None
        try:
            await setup_index(self._client, self.config.index)
        except (ApiError, TransportError) as exc:
            if clear := credential_error(exc, self.config):
                await self._client.close()
                raise clear from None
            if isinstance(exc, ApiError):
                raise IndexingError(
                    f"cannot set up {self.config.index}: {describe_error(exc)}"
                ) from None
            self._connection_failed(exc)
            return False
        self._ready, self._failures_in_row = True, 0
        return True

    async def _setup_during_crawl(self) -> bool:
        try:
            return await self._setup()
        except IndexingError as exc:
            logger.error("%s", exc)
            return False

    async def _replay(self) -> None:
        assert self._writer is not None
        try:
            await replay_spool(self._writer, self.spool, self.stats, self.config.batch_size)
        except OSError as exc:
            logger.error("cannot replay the spool %s: %s", self.spool.path, exc)

    async def _flush_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.config.flush_seconds)
            # close_spider cancels this task: a batch already taken from the buffer must still be
            # sent (or spooled), so the flush itself is shielded; close_spider's own flush waits
            # for it on the lock
            await asyncio.shield(self.flush())

    async def _send(self, batch: list[dict[str, Any]]) -> None:
        assert self._writer is not None
        if asyncio.get_running_loop().time() < self._paused_until:
            await self._spool(
                batch, "Elasticsearch unreachable (paused after a connection failure)"
            )
            return
        if not self._ready and not await self._setup_during_crawl():
            await self._spool(batch, "Elasticsearch not ready")
            return
        try:
            result = await self._writer.write(batch)
        except (ApiError, TransportError, IndexingError) as exc:
            self.stats.error(getattr(exc, "status_code", None) or type(exc).__name__)
            if isinstance(exc, TransportError) and not isinstance(exc, ApiError):
                self._connection_failed(exc)
            else:
                logger.error(
                    "Elasticsearch refused a batch of %d: %s", len(batch), describe_error(exc)
                )
            await self._spool(
                batch,
                (credential_error(exc, self.config) and "bad credentials") or describe_error(exc),
            )
            return
        self._failures_in_row = 0
        await self._spool_failures(result.failed)

    async def _spool_failures(self, failures: list[Failure]) -> None:
        for failure in failures:
            logger.error(
                "Elasticsearch rejected %s: HTTP %s %s",
                failure.doc.get("url"),
                failure.status,
                failure.reason,
            )
            await self._spool([failure.doc], f"HTTP {failure.status} {failure.reason}")

    async def _spool(self, docs: list[dict[str, Any]], reason: str) -> None:
        count = await asyncio.to_thread(self.spool.append, docs, reason)
        self.stats.spooled(count)

    def _connection_failed(self, exc: Exception) -> None:
        self._failures_in_row += 1
        pause = min(_MAX_PAUSE, 2.0 ** (self._failures_in_row - 1))
        self._paused_until = asyncio.get_running_loop().time() + pause
        logger.warning(
            "Elasticsearch at %s unreachable (%s): hits go to the spool %s, retrying in %.0fs",
            self.config.safe_url,
            describe_error(exc),
            self.spool.path,
            pause,
        )
