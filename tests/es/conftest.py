"""Fixtures for the Elasticsearch tests: the REAL servers, one alias per test.

``deploy/es/local start`` runs the node most tests use (security off); ``LUREWATCH_ES_SECURITY=on
deploy/es/local start`` runs a second one with security on, for the credential tests (``secure_*``
fixtures).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, NamedTuple, TypeVar

import pytest
from elasticsearch import ApiError, AuthenticationException, Elasticsearch
from elasticsearch import TransportError as EsTransportError

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a fresh event loop (the pipeline's hooks are coroutines)."""
    return asyncio.run(coro)


@pytest.fixture(scope="session")
def es_url() -> str:
    """``ELASTICSEARCH_URL`` (default the local test node); fails, never skips, when it is not
    up."""
    url = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    client = Elasticsearch(url, request_timeout=10)
    try:
        client.cluster.health(wait_for_status="yellow", timeout="10s")
    except EsTransportError as exc:
        pytest.fail(
            f"Elasticsearch not reachable at {url} ({exc}); start it with `deploy/es/local start`"
        )
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


def fresh_alias(es: Elasticsearch, prefix: str = "lwtest") -> Iterator[str]:
    """Yield a fresh alias name (``<prefix>-<hex>``); then delete its indices and templates."""
    name = f"{prefix}-{uuid.uuid4().hex[:10]}"
    yield name
    drop_alias(es, name)


@pytest.fixture
def alias(es: Elasticsearch) -> Iterator[str]:
    """A fresh alias name (``lwtest-<hex>``) on the test node, cleaned up afterwards."""
    yield from fresh_alias(es)


@pytest.fixture
def es_settings(es_url: str, alias: str, tmp_path: Any) -> dict[str, Any]:
    """Pipeline settings for the real server, the test alias and a private data dir."""
    return pipeline_settings(es_url, alias, tmp_path)


def pipeline_settings(url: str, alias: str, data_dir: Any) -> dict[str, Any]:
    """Pipeline settings for ``url``, ``alias`` and ``data_dir``: small batches, one quick
    retry."""
    return {
        "ELASTICSEARCH_URL": url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(data_dir),
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


class SecureNode(NamedTuple):
    """The secured test node and its file-realm superuser."""

    url: str
    user: str
    password: str


SECURE_NODE_ENV = (
    "LUREWATCH_TEST_ES_SECURE_URL",
    "LUREWATCH_TEST_ES_SECURE_USER",
    "LUREWATCH_TEST_ES_SECURE_PASSWORD",
)
_SECURE_NODE_HOWTO = (
    "run deploy/test, or start the node with `LUREWATCH_ES_SECURITY=on LUREWATCH_ES_SECURE_USER=<user> "
    "LUREWATCH_ES_SECURE_PASSWORD=<password> deploy/es/local start` and export "
    + ", ".join(SECURE_NODE_ENV)
    + " (the URL it prints, the same user and password)"
)


@pytest.fixture(scope="session")
def secure_node() -> SecureNode:
    """The secured node of ``LUREWATCH_TEST_ES_SECURE_*``; fails, never skips, if it is missing or
    wrong."""
    missing = [name for name in SECURE_NODE_ENV if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"no secured Elasticsearch test node: {', '.join(missing)} not set; {_SECURE_NODE_HOWTO}"
        )
    node = SecureNode(*(os.environ[name] for name in SECURE_NODE_ENV))
    with Elasticsearch(
        node.url, basic_auth=(node.user, node.password), request_timeout=10
    ) as client:
        try:
            client.cluster.health(wait_for_status="yellow", timeout="10s")
        except (ApiError, EsTransportError) as exc:  # names the user at most, never the password
            pytest.fail(
                f"secured Elasticsearch at {node.url} fails as {node.user} ({exc}); {_SECURE_NODE_HOWTO}"
            )
    with Elasticsearch(node.url, request_timeout=10) as anonymous:
        try:
            anonymous.cluster.health()
        except AuthenticationException:
            return node  # security is on, as it should
    pytest.fail(f"Elasticsearch at {node.url} answers without credentials: not the secured node")


@pytest.fixture(scope="session")
def secure_es(secure_node: SecureNode) -> Iterator[Elasticsearch]:
    """A synchronous client of the secured node, as its superuser."""
    client = Elasticsearch(
        secure_node.url, basic_auth=(secure_node.user, secure_node.password), request_timeout=30
    )
    yield client
    client.close()


@pytest.fixture
def secure_alias(secure_es: Elasticsearch) -> Iterator[str]:
    """A fresh alias name on the secured node, cleaned up afterwards."""
    yield from fresh_alias(secure_es)


@pytest.fixture
def secure_settings(secure_node: SecureNode, secure_alias: str, tmp_path: Any) -> dict[str, Any]:
    """Pipeline settings for the secured node WITHOUT credentials (each test adds the ones it
    tries)."""
    return pipeline_settings(secure_node.url, secure_alias, tmp_path)
