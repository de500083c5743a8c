"""Shared fixtures: the replica on a random port for end-to-end crawls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from replica.server import ReplicaServer


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """The offline replica (seed 2026, scale 1) on 127.0.0.1 and a free port, for the whole session."""
    server = ReplicaServer(port=0, seed=2026).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dataset(replica: ReplicaServer):  # type: ignore[no-untyped-def]
    """The replica's ground truth."""
    return replica.router.dataset  # type: ignore[attr-defined]
