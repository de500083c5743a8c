"""Fixtures of the quota tests: a Redis URL (from ``REDIS_URL``) for the shared ledger."""

from __future__ import annotations

import os

import pytest
import redis


@pytest.fixture
def redis_url() -> str:
    """``REDIS_URL`` as exported for the test run; fails (never skips) when it is not up."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: the Redis ledger tests need a Redis server")
    redis.Redis.from_url(url).ping()
    return url
