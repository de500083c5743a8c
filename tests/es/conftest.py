"""Fixtures for the Elasticsearch tests: the REAL server (``deploy/es/local start``), one alias per test."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from elasticsearch import Elasticsearch
from elasticsearch import TransportError as EsTransportError

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a fresh event loop (the pipeline's hooks are coroutines)."""
    return asyncio.run(coro)


@pytest.fixture(scope="session")
def es_url() -> str:
    """``ELASTICSEARCH_URL`` (default the local test node); fails, never skips, when it is not up."""
    url = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    client = Elasticsearch(url, request_timeout=10)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="10s")
    except EsTransportError as exc:
        pytest.fail(f"Elasticsearch not reachable at {url} ({exc}); start it with `deploy/es/local start`")
    finally:
        client.close()
    return url


@pytest.fixture(scope="session")
def es(es_url: str) -> Iterator[Elasticsearch]:
    """A synchronous client for assertions."""
    client = Elasticsearch(es_url, request_timeout=30)
    yield client
    client.close()


def drop_alias(es: Elasticsearch, alias: str) -> None:
    """Delete everything ``lurewatch es setup`` may have created for ``alias``."""
    es.options(ignore_status=404).indices.delete(index=f"{alias}*", expand_wildcards="all")
    es.options(ignore_status=404).indices.delete_index_template(name=alias)
    for suffix in ("@mappings", "@settings", "@custom"):
        es.options(ignore_status=404).cluster.delete_component_template(name=f"{alias}{suffix}")


@pytest.fixture
def alias(es: Elasticsearch) -> Iterator[str]:
    """A fresh alias name (``lwtest-<hex>``); its indices and templates are deleted afterwards."""
    name = f"lwtest-{uuid.uuid4().hex[:10]}"
    yield name
    drop_alias(es, name)


@pytest.fixture
def es_settings(es_url: str, alias: str, tmp_path: Any) -> dict[str, Any]:
    """Pipeline settings for the real server, the test alias and a private data dir."""
    return {
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(tmp_path),
        "LUREWATCH_ES_BATCH_SIZE": 5,
        "LUREWATCH_ES_FLUSH_SECONDS": 30,
        "LUREWATCH_ES_MAX_RETRIES": 1,
        "LUREWATCH_ES_RETRY_BACKOFF": 0.05,
        "LUREWATCH_ES_TIMEOUT": 10,
    }


def all_docs(es: Elasticsearch, alias: str) -> list[dict[str, Any]]:
    """Every document behind ``alias`` (after a refresh), sources with ``_id`` added."""
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, size=1000, query={"match_all": {}})["hits"]["hits"]
    return [{**hit["_source"], "_id": hit["_id"]} for hit in hits]
