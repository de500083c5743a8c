"""Documents/s through ElasticsearchPipeline versus ``helpers.async_bulk`` of the same documents.

    python bench/es_bench.py [--url http://127.0.0.1:9200] [--docs 20000] [--batch 500]

Both runs start on a fresh, set-up alias of the real server; the pipeline run pays for everything
it does (document building, the real-time ``mget`` of the upsert protocol, stats); the baseline
sends plain ``index`` actions. Prints both rates and their ratio (target >= 0.8). Cleans up after
itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from scrapy import Spider
from scrapy.utils.test import get_crawler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.addon import LurewatchAddon
from pipelines.es.documents import build_document, doc_id
from pipelines.es.template import setup_index
from pipelines.indexing import ElasticsearchPipeline
from pipelines.items import Hit


def hits(count: int) -> list[Hit]:
    return [
        Hit(
            url=f"https://blog{i % 97}.example.com/post/{i}?utm_source=bench",
            platform="tumblr",
            blog=f"blog{i % 97}",
            title=f"Watch Film {i % 50} free online",
            text="full movie hd " * 40,
            fake_stream=True,
            matched_title=f"Film {i % 50}",
            score=80,
            reasons=["title"],
            verdict="fake_stream",
            landing_urls=[f"https://stream{i % 7}.test/{i}"],
            fetched_at="2025-03-01T02:00:00Z",
        )
        for i in range(count)
    ]


async def through_pipeline(
    url: str, alias: str, items: list[Hit], batch: int, data_dir: str
) -> float:
    crawler = get_crawler(
        Spider,
        {
            "ADDONS": {LurewatchAddon: 0},  # lurewatch's defaults, as in a crawl
            "ELASTICSEARCH_URL": url,
            "LUREWATCH_ES_INDEX": alias,
            "LUREWATCH_ES_BATCH_SIZE": batch,
            "LUREWATCH_DATA_DIR": data_dir,
        },
    )
    pipeline = ElasticsearchPipeline.from_crawler(crawler)
    await pipeline.open_spider()  # setup_index: outside the timed part, like the baseline's
    start = time.perf_counter()
    for item in items:
        await pipeline.process_item(item)
    await pipeline.close_spider()
    elapsed = time.perf_counter() - start
    created = crawler.stats.get_value("lurewatch/es/docs/created")
    assert created == len(items), f"pipeline created {created} of {len(items)}"
    return len(items) / elapsed


async def through_bulk(url: str, alias: str, items: list[Hit], batch: int) -> float:
    async with AsyncElasticsearch(url) as client:
        await setup_index(client, alias)
        start = time.perf_counter()
        actions = (
            {"_index": alias, "_id": doc_id(hit.url), "_source": build_document(hit, "bench")}
            for hit in items
        )
        ok, _ = await async_bulk(client, actions, chunk_size=batch)
        elapsed = time.perf_counter() - start
    assert ok == len(items)
    return len(items) / elapsed


async def cleanup(url: str, aliases: list[str]) -> None:
    async with AsyncElasticsearch(url) as client:
        for alias in aliases:
            await client.options(ignore_status=404).indices.delete(index=f"{alias}-*")
            await client.options(ignore_status=404).indices.delete_index_template(name=alias)
            for suffix in ("@mappings", "@settings"):
                await client.options(ignore_status=404).cluster.delete_component_template(
                    name=alias + suffix
                )


async def main(url: str, count: int, batch: int) -> float:
    """Run bulk, pipeline, pipeline, bulk (ABBA, so neither side gets the warm or the busy
    slot)."""
    items = hits(count)
    names = [f"lwbench-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    rates: dict[str, list[float]] = {"pipeline": [], "async_bulk": []}
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            for name, kind in zip(
                names, ("async_bulk", "pipeline", "pipeline", "async_bulk"), strict=True
            ):
                if kind == "pipeline":
                    rates[kind].append(await through_pipeline(url, name, items, batch, data_dir))
                else:
                    rates[kind].append(await through_bulk(url, name, items, batch))
    finally:
        await cleanup(url, names)
    pipeline_rate, bulk_rate = (sum(rates[k]) / 2 for k in ("pipeline", "async_bulk"))
    ratio = pipeline_rate / bulk_rate
    print(f"documents: {count} per run, batch: {batch}, runs: bulk, pipeline, pipeline, bulk")
    print(f"pipeline:   {pipeline_rate:9.0f} docs/s  {[round(r) for r in rates['pipeline']]}")
    print(f"async_bulk: {bulk_rate:9.0f} docs/s  {[round(r) for r in rates['async_bulk']]}")
    print(f"ratio:      {ratio:9.2f} (target >= 0.8)")
    return ratio


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:9200")
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.docs, args.batch))
