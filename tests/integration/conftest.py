"""Fixtures for the integration tests: real Elasticsearch (tests/es), real Redis, a private
replica."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from replica.server import ReplicaServer
from tests.es.conftest import drop_alias, es, es_url, fresh_alias  # noqa: F401 - the real server's fixtures

__all__ = ["drop_alias"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_redis(url: str, proc: subprocess.Popen[bytes]) -> None:
    client = redis.Redis.from_url(url)
    for _ in range(100):
        if proc.poll() is not None:
            pytest.fail(f"redis-server exited with {proc.returncode}")
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    pytest.fail(f"redis-server did not answer at {url}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``REDIS_URL`` (deploy/test and .ci/run export one); otherwise our own redis-server on a free
    port."""
    if url := os.environ.get("REDIS_URL"):
        redis.Redis.from_url(url).ping()  # fails the test, never skips, when it is not up
        yield url
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "redis-server is not installed (apt-get install redis-server) and REDIS_URL is not set"
        )
    port, workdir = _free_port(), tmp_path_factory.mktemp("redis")
    args = [
        server,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def crawl_id(redis_url: str) -> Iterator[str]:
    """A unique ``LUREWATCH_CRAWL_ID``; its Redis keys (``lurewatch:<id>:*``) are deleted
    afterwards."""
    value = f"it-{uuid.uuid4().hex[:10]}"
    yield value
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"lurewatch:{value}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def alias(es) -> Iterator[str]:  # type: ignore[no-untyped-def] # noqa: F811 - es from tests.es.conftest
    """A fresh alias (``lwit-<hex>``); its indices and templates are deleted afterwards."""
    yield from fresh_alias(es, "lwit")


@pytest.fixture
def fresh_replica() -> Iterator[ReplicaServer]:
    """A replica of its own (same seed as the session one), so request counts are this test's
    alone."""
    server = ReplicaServer(port=0, seed=2026).start()
    yield server
    server.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private LUREWATCH_DATA_DIR (the spool lives in it)."""
    path = tmp_path / "data"
    path.mkdir()
    return path
