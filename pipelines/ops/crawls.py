"""The ``lurewatch-crawls`` index: one document per nightly run (its summary), for Kibana."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch

from pipelines.es.client import make_client
from pipelines.es.config import EsConfig
from pipelines.es.replay import ReplayResult, replay_spool
from pipelines.es.spool import Spool
from pipelines.es.stats import CounterStats, EsStats
from pipelines.es.template import setup_index
from pipelines.es.writer import HitWriter

__all__ = [
    "CRAWLS_MAPPING",
    "ensure_crawls_index",
    "index_crawl",
    "prepare_index",
    "record_crawl",
]

_COUNT = {"type": "long"}

#: The mapping of ``lurewatch-crawls`` (strict: a field the code does not know is refused).
CRAWLS_MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "@timestamp": {"type": "date"},
        "crawl_id": {"type": "keyword"},
        "started": {"type": "date"},
        "finished": {"type": "date"},
        "exitcode": {"type": "integer"},
        "failed_checks": {"type": "keyword"},
        "pages": _COUNT,
        "posts": _COUNT,
        "skipped": _COUNT,
        "hits": _COUNT,
        "new_hits": _COUNT,
        "lures": _COUNT,
        "errors": _COUNT,
        "quota_used": _COUNT,
        "platforms": {
            "properties": {
                "platform": {"type": "keyword"},
                "finish_reason": {"type": "keyword"},
                "pages": _COUNT,
                "posts": _COUNT,
                "skipped": _COUNT,
                "hits": _COUNT,
                "new_hits": _COUNT,
                "lures": _COUNT,
                "errors": _COUNT,
                "quota_used": _COUNT,
            }
        },
    },
}


async def ensure_crawls_index(client: AsyncElasticsearch, index: str) -> None:
    """Create ``index`` with :data:`CRAWLS_MAPPING`, or add the fields a newer version has to
    an existing one (its mapping is strict: a document with a field it lacks is refused)."""
    if (await client.indices.exists(index=index)).body:
        await client.indices.put_mapping(index=index, properties=CRAWLS_MAPPING["properties"])
        return
    await client.indices.create(index=index, mappings=CRAWLS_MAPPING)


async def index_crawl(client: AsyncElasticsearch, index: str, doc: dict[str, Any]) -> str:
    """Index a run's summary document; its id is the crawl id and start (a resumed night adds
    one document per run). Returns the id."""
    doc_id = f"{doc['crawl_id']}@{doc['started']}"
    await ensure_crawls_index(client, index)
    await client.index(index=index, id=doc_id, document=doc, refresh="wait_for")
    return doc_id


async def prepare_index(config: EsConfig) -> tuple[ReplayResult, int]:
    """Before a night: the hits index template and alias, then the spool replayed.

    Returns (what the replay did, documents still spooled). Raises the client's errors.
    """
    client = make_client(config)
    try:
        await setup_index(client, config.index)
        stats = EsStats(CounterStats())
        writer = HitWriter(
            client,
            config.index,
            stats,
            max_retries=config.max_retries,
            backoff=config.retry_backoff,
        )
        spool = Spool(config.spool_path)
        result = await replay_spool(writer, spool, stats, config.batch_size)
        return result, spool.count()
    finally:
        await client.close()


async def record_crawl(config: EsConfig, index: str, doc: dict[str, Any]) -> str:
    """Index a run's summary into ``index`` on the cluster of ``config``; returns its id."""
    client = make_client(config)
    try:
        return await index_crawl(client, index, doc)
    finally:
        await client.close()
