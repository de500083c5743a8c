"""Fixtures of the takedown tests: the real Elasticsearch (tests/es) and a private replica."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from replica.server import ReplicaServer
from tests.es.conftest import alias, es, es_url  # noqa: F401 - the real server's fixtures


@pytest.fixture
def own_replica() -> Iterator[ReplicaServer]:
    """A replica of this test's own: its takedowns and clock are changed by the test."""
    server = ReplicaServer(port=0, seed=2026).start()
    yield server
    server.stop()
