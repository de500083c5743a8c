"""Shared fixtures (the replica on a random port for end-to-end crawls) and the test tiers.

Tiers are markers: ``elasticsearch``, ``redis`` (added here to every test using a fixture of that
service), ``browser`` and ``crawl`` (set by the test modules). The fast tier needs no service::

    pytest -m "not elasticsearch and not redis and not browser and not crawl"
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from replica.server import ReplicaServer

#: Fixtures that reach a service (tests/es/conftest.py, tests/integration/conftest.py), by marker.
#: A test using one of them, even through another fixture, gets the marker.
SERVICE_FIXTURES = {
    "elasticsearch": frozenset({"es_url", "secure_node"}),
    "redis": frozenset({"redis_url"}),
}


#: Session fixtures too costly to build once per test process: under pytest-xdist (deploy/test runs
#: ``-n``), every test using one of them runs in the same worker (``--dist loadgroup``).
SHARED_FIXTURES = ("replica_crawl",)
#: Markers of modules whose tests share a crawl built once per module (a module-scoped fixture):
#: such a module runs in one worker, so its crawl is not repeated, nor run three times at once.
MODULE_GROUPED = frozenset({"crawl", "browser"})


def _xdist_group(item: pytest.Item, used: set[str]) -> str | None:
    """The xdist group of a test: its costly session fixture, else its module when it crawls."""
    for fixture in SHARED_FIXTURES:
        if fixture in used:
            return fixture
    if any(item.get_closest_marker(name) for name in MODULE_GROUPED):
        return item.nodeid.split("::", 1)[0]
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs Elasticsearch or Redis from the fixtures it uses, and group the
    tests that share a costly crawl into one xdist worker."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in SERVICE_FIXTURES.items():
            if used & fixtures:
                item.add_marker(marker)
        if group := _xdist_group(item, used):
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """The offline replica (seed 2026, scale 1) on a free port of 127.0.0.1, for the session."""
    server = ReplicaServer(port=0, seed=2026).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dataset(replica: ReplicaServer):  # type: ignore[no-untyped-def]
    """The replica's ground truth."""
    return replica.router.dataset  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ReplicaCrawl:
    """One ``lurewatch crawl`` of the whole replica (all spiders, rendering on)."""

    out: Path  # its -O JSON Lines file
    items: list[dict[str, Any]]
    stats: str  # the stats Scrapy dumped at close


@pytest.fixture(scope="session")
def replica_crawl(
    replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory
) -> ReplicaCrawl:
    """The whole replica crawled once for the session: the end-to-end checks and ``titles
    suggest`` read the same output (a whole crawl takes minutes)."""
    from tests._crawl import read_jsonl, run_crawl, stats_of

    out = tmp_path_factory.mktemp("replica-crawl") / "hits.jsonl"
    proc = run_crawl("all", replica.origin, out, timeout=900)  # blog expansion reads more
    return ReplicaCrawl(out, read_jsonl(out), stats_of(proc))
