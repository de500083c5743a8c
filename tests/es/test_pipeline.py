"""ElasticsearchPipeline on the real server: idempotent re-crawls, kept analyst fields, batching,
stats."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from scrapy.exceptions import NotConfigured

from pipelines.es.documents import doc_id
from pipelines.indexing import ElasticsearchPipeline
from tests.es._helpers import feed, make_hit, make_pipeline
from tests.es.conftest import all_docs, run

HITS = 23  # not a multiple of the batch size: the last batch goes out at close


def test_pipeline_is_off_without_url() -> None:
    with pytest.raises(NotConfigured, match="ELASTICSEARCH_URL not set"):
        make_pipeline({})


def test_crawling_twice_updates_instead_of_duplicating(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> None:
    first = make_pipeline({**es_settings, "LUREWATCH_CRAWL_ID": "crawl-1"})
    run(feed(first, (make_hit(i, fetched_at="2025-03-01T02:00:00Z") for i in range(HITS))))
    before = {d["_id"]: d for d in all_docs(es, alias)}
    es.update(
        index=f"{alias}-000001",
        id=doc_id(make_hit(3).url),
        doc={"status": "reported", "reported_at": "2025-03-01T09:00:00Z", "report_id": "T-1"},
        refresh=True,
    )

    second = make_pipeline({**es_settings, "LUREWATCH_CRAWL_ID": "crawl-2"})
    run(
        feed(
            second, (make_hit(i, fetched_at="2025-03-02T02:00:00Z", score=99) for i in range(HITS))
        )
    )
    after = {d["_id"]: d for d in all_docs(es, alias)}

    assert len(before) == len(after) == HITS
    for _id, doc in after.items():
        assert doc["first_seen"] == before[_id]["first_seen"] == "2025-03-01T02:00:00Z"
        assert doc["@timestamp"] == doc["first_seen"]
        assert (doc["times_seen"], doc["last_seen"], doc["score"], doc["crawl_id"]) == (
            2,
            "2025-03-02T02:00:00Z",
            99,
            "crawl-2",
        )
    reported = after[doc_id(make_hit(3).url)]
    assert (reported["status"], reported["report_id"]) == ("reported", "T-1")
    assert {d["status"] for i, d in after.items() if i != doc_id(make_hit(3).url)} == {"new"}
    stats = second.stats._stats.get_stats()
    assert stats["lurewatch/es/docs/updated"] == HITS and "lurewatch/es/spooled" not in stats


def test_same_post_twice_in_one_crawl_counts_once(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> None:
    pipeline = make_pipeline({**es_settings, "LUREWATCH_CRAWL_ID": "c"})
    variants = [
        "https://blog1.example.com/post/1",
        "http://www.blog1.example.com/post/1/?utm_campaign=x",
    ]
    run(
        feed(pipeline, [make_hit(1, url=url) for url in variants * 4])
    )  # within and across batches
    docs = all_docs(es, alias)
    assert len(docs) == 1 and docs[0]["times_seen"] == 1


def test_older_replayed_document_does_not_roll_back(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> None:
    run(
        feed(
            make_pipeline({**es_settings, "LUREWATCH_CRAWL_ID": "new"}),
            [make_hit(1, fetched_at="2025-03-05T00:00:00Z", score=70)],
        )
    )
    run(
        feed(
            make_pipeline({**es_settings, "LUREWATCH_CRAWL_ID": "old"}),
            [make_hit(1, fetched_at="2025-03-01T00:00:00Z", score=10)],
        )
    )
    [doc] = all_docs(es, alias)
    assert (doc["crawl_id"], doc["score"], doc["times_seen"]) == ("new", 70, 1)


def _timer_only_pipeline(es_settings: dict[str, Any]) -> ElasticsearchPipeline:
    """A pipeline whose batches never fill: only its 50 ms timer flushes."""
    return make_pipeline(
        {**es_settings, "LUREWATCH_ES_BATCH_SIZE": 1000, "LUREWATCH_ES_FLUSH_SECONDS": 0.05}
    )


def test_time_based_flush_sends_a_partial_batch(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> None:
    async def scenario() -> int:
        pipeline = _timer_only_pipeline(es_settings)
        await pipeline.open_spider()
        await pipeline.process_item(make_hit(1))
        for _ in range(200):  # wait for the timer, not for close_spider
            await asyncio.sleep(0.05)
            if pipeline.stats._stats.get_value("lurewatch/es/docs/created"):
                break
        sent = pipeline.stats._stats.get_value("lurewatch/es/docs/created")
        await pipeline.close_spider()
        return int(sent or 0)

    assert run(scenario()) == 1
    assert len(all_docs(es, alias)) == 1


def test_credentials_never_reach_the_logs(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    import base64

    secrets = {"api": "lw-api-key-VERY-secret", "pw": "lw-password-VERY-secret"}
    caplog.set_level(logging.DEBUG)
    run(
        feed(
            make_pipeline({**es_settings, "ELASTICSEARCH_API_KEY": secrets["api"]}),
            [make_hit(i) for i in range(7)],
        )
    )
    run(
        feed(
            make_pipeline(
                {
                    **es_settings,
                    "ELASTICSEARCH_USERNAME": "lw",
                    "ELASTICSEARCH_PASSWORD": secrets["pw"],
                }
            ),
            [make_hit(i) for i in range(7)],
        )
    )
    text = caplog.text + repr([r.__dict__ for r in caplog.records])
    assert "indexing hits into" in text  # the capture did see the pipeline's logs
    for secret in (*secrets.values(), base64.b64encode(f"lw:{secrets['pw']}".encode()).decode()):
        assert secret not in text
    assert len(all_docs(es, alias)) == 7


def test_closing_during_a_timed_flush_loses_nothing(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> None:
    """The spider closes while the timer's flush is on the wire: that batch still arrives."""

    async def scenario() -> None:
        pipeline = _timer_only_pipeline(es_settings)
        await pipeline.open_spider()
        assert pipeline._writer is not None
        real_write, on_the_wire = pipeline._writer.write, asyncio.Event()

        async def slow_write(batch: list[dict[str, Any]]) -> Any:
            on_the_wire.set()
            await asyncio.sleep(0.5)
            return await real_write(batch)

        pipeline._writer.write = slow_write  # type: ignore[method-assign]
        for i in range(5):
            await pipeline.process_item(make_hit(i))
        await asyncio.wait_for(on_the_wire.wait(), 10)  # the timer took the batch
        await pipeline.close_spider()

    run(scenario())
    assert len(all_docs(es, alias)) == 5
