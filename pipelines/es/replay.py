"""Replay the spool into Elasticsearch; idempotent, because the writer's upserts are."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, TransportError

from pipelines.es.client import describe_error
from pipelines.es.spool import Spool
from pipelines.es.stats import EsStats
from pipelines.es.writer import HitWriter
from pipelines.exceptions import IndexingError

__all__ = ["ReplayResult", "replay_spool"]

logger = logging.getLogger(__name__)


@dataclass
class ReplayResult:
    """What a replay did."""

    sent: int = 0  # indexed (created, updated or unchanged) or found stale
    failed: int = 0  # written back to the spool
    busy: bool = False  # another replay held the spool
    #: documents new to the index, by their ``platform`` (a night adds them to its new hits)
    created: Counter[str] = field(default_factory=Counter)


async def replay_spool(
    writer: HitWriter, spool: Spool, stats: EsStats, batch_size: int = 500
) -> ReplayResult:
    """Send every spooled document; those refused again go back to the spool with the new reason.

    Transport failures (cluster down again) stop the replay and put the unsent rest back.
    """
    result = ReplayResult()
    with spool.replaying() as files:
        if files is None:
            logger.info("another replay of %s is running; skipping", spool.path)
            return ReplayResult(busy=True)
        for path in files:
            await _replay_file(writer, spool, stats, path, batch_size, result)
    if result.sent or result.failed:
        logger.info("replayed %d spooled documents, %d still spooled", result.sent, result.failed)
    return result


async def _replay_file(
    writer: HitWriter,
    spool: Spool,
    stats: EsStats,
    path: Path,
    batch_size: int,
    result: ReplayResult,
) -> None:
    by_platform: dict[str, list[dict[str, Any]]] = {}
    for doc in await asyncio.to_thread(lambda: list(spool.read(path))):
        by_platform.setdefault(str(doc.get("platform") or ""), []).append(doc)
    # one platform per batch, so what each write creates is counted for its platform
    batches = (
        (platform, batch)
        for platform, platform_docs in by_platform.items()
        for batch in _chunks(platform_docs, batch_size)
    )
    for platform, batch in batches:
        try:
            written = await writer.write(batch)
        except (ApiError, TransportError, IndexingError) as exc:
            rest: list[dict[str, Any]] = [
                *batch,
                *(doc for _, unsent in batches for doc in unsent),
            ]
            result.failed += await asyncio.to_thread(spool.append, rest, describe_error(exc))
            stats.spooled(len(rest))
            logger.warning(
                "replay stopped (%s); %d documents back in the spool",
                describe_error(exc),
                len(rest),
            )
            break
        by_reason = [(f.doc, f"HTTP {f.status} {f.reason}") for f in written.failed]
        for doc, reason in by_reason:
            await asyncio.to_thread(spool.append, [doc], reason)
        stats.spooled(len(by_reason))
        stats.replayed(written.written + written.stale)
        result.sent += written.written + written.stale
        result.failed += len(by_reason)
        result.created[platform] += written.created
    await asyncio.to_thread(path.unlink)


def _chunks(docs: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk
