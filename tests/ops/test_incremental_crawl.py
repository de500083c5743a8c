"""Two nights of the Tumblr spider against the replica with the re-check interval on, indexing
into the real Elasticsearch: the second night fetches less and the index keeps the same hits; a
post edited between the nights is fetched and judged again. In distributed mode the ledger is in
the real Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from elasticsearch import Elasticsearch

from pipelines.urls import canonical_post_url
from replica.app import build_router
from replica.content import build_dataset
from replica.server import ReplicaServer
from tests.es.conftest import all_docs, fresh_alias
from tests.integration._helpers import Crawl, hit_ids, run_lurewatch_crawl

pytestmark = pytest.mark.crawl  # rendering off

TITLES = "- title: Man of Steel\n  year: 2013\n- title: Iron Man 3\n  year: 2013\n"


@pytest.fixture
def alias(es: Elasticsearch) -> Iterator[str]:
    """A fresh alias on the test node, cleaned up afterwards."""
    yield from fresh_alias(es)


def _night(server: ReplicaServer, tmp: Path, name: str, settings: dict[str, Any]) -> Crawl:
    return run_lurewatch_crawl(server.origin, tmp / f"{name}.jsonl", "tumblr", settings)


@pytest.mark.elasticsearch
def test_a_second_night_skips_unchanged_posts_and_keeps_the_hits(
    tmp_path: Path, es: Elasticsearch, es_url: str, alias: str
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text(TITLES, encoding="utf-8")
    settings = {
        "LUREWATCH_RECHECK_INTERVAL": 7 * 86400,  # on (the test crawls turn it off)
        "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
        "LUREWATCH_TITLES": str(titles),
        "LUREWATCH_RENDER_ENABLED": "0",
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
    }
    router = build_router(dataset=build_dataset(seed=2026))
    with ReplicaServer(router=router) as server:
        first = _night(server, tmp_path, "first", settings)
        first_requests = server.hits
        indexed = {doc["_id"] for doc in all_docs(es, alias)}
        assert first.hits and indexed == hit_ids(first.hits)
        assert first.total("lurewatch/incremental/skipped") == 0

        # one hit is edited on the platform after the first night
        edited_url = sorted(canonical_post_url(hit["url"]) for hit in first.hits)[0]
        (edited,) = [p for p in router.dataset.posts if canonical_post_url(p.url) == edited_url]
        edited.body_html += "<p>Updated: a new mirror was added.</p>"

        second = _night(server, tmp_path, "second", settings)
        second_requests = server.hits - first_requests

    skipped = second.total("lurewatch/incremental/skipped")
    assert skipped > 0
    assert second.total("lurewatch/landing/static") < first.total("lurewatch/landing/static")
    assert second_requests < first_requests
    # the edited post was fetched and judged again; the unchanged hits were not re-emitted ...
    again = {canonical_post_url(hit["url"]) for hit in second.hits}
    assert edited_url in again
    assert len(second.hits) < len(first.hits)
    # ... and the index still holds every hit of the first night, and nothing else
    assert {doc["_id"] for doc in all_docs(es, alias)} == indexed
    assert "Incremental: " in second.log and "skipped (fetched within 7 d" in second.log


@pytest.fixture
def redis_url() -> str:
    """``REDIS_URL`` as exported for the test run; fails (never skips) when it is not up."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: the distributed incremental test needs a Redis server")
    redis.Redis.from_url(url).ping()
    return url


@pytest.mark.redis
def test_in_distributed_mode_the_ledger_is_shared_through_redis(
    tmp_path: Path, redis_url: str
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text(TITLES, encoding="utf-8")
    run = uuid.uuid4().hex[:8]
    prefix = f"lurewatch-test:{run}:seen"
    settings = {
        "LUREWATCH_RECHECK_INTERVAL": 7 * 86400,
        "LUREWATCH_RECHECK_REDIS_PREFIX": prefix,
        "LUREWATCH_TITLES": str(titles),
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_ES_ENABLED": "0",
    }
    client = redis.Redis.from_url(redis_url)
    try:
        with ReplicaServer() as server:
            nights = []
            for night in ("first", "second"):
                env = {
                    "LUREWATCH_DISTRIBUTED": "1",
                    "REDIS_URL": redis_url,
                    "LUREWATCH_CRAWL_ID": f"incr-{run}-{night}",
                    # each night a data folder of its own: only Redis carries the ledger over
                    "LUREWATCH_DATA_DIR": str(tmp_path / night),
                }
                out = tmp_path / f"{night}.jsonl"
                nights.append(run_lurewatch_crawl(server.origin, out, "tumblr", settings, env))
        first, second = nights
        assert first.hits and first.total("lurewatch/incremental/skipped") == 0
        assert list(client.scan_iter(f"{prefix}:*"))
        assert second.total("lurewatch/incremental/skipped") > len(first.hits) // 2
        assert not (tmp_path / "second" / "incremental").exists()
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        for key in client.scan_iter(f"lurewatch:incr-{run}-*"):
            client.delete(key)
