"""Tumblr crawls against a replica that enforces the quota on a fast clock: its request log
proves a small quota held (never a 429) and the next run resumed the skipped searches; a 429
naming an hour's reset is waited for, not dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipelines.quota import FileLedger
from replica.quota import QuotaKeeper, QuotaWindow
from replica.server import ReplicaServer
from tests._crawl import run_crawl, stats_of

pytestmark = [pytest.mark.crawl]

FACTOR = 360  # a replica hour is 10 real seconds
SETTINGS = {
    "ITEM_PIPELINES": "{}",
    "LUREWATCH_KEEP_BENIGN": "1",
    "LUREWATCH_LANDING_TIMEOUT": "4",
    "DOWNLOAD_TIMEOUT": "8",
    "LUREWATCH_RENDER_ENABLED": "0",
    "LUREWATCH_QUOTA_ENABLED": "1",
}


@pytest.fixture(scope="module")
def quota_replica() -> Iterator[ReplicaServer]:
    """A replica of its own enforcing the quotas, its clock FACTOR times faster."""
    server = ReplicaServer(port=0, seed=2026, clock=FACTOR, quotas=True).start()
    yield server
    server.stop()


def _limit(server: ReplicaServer, *windows: QuotaWindow) -> None:
    keeper: QuotaKeeper = server.router.quota  # type: ignore[attr-defined]
    keeper.set_limits("tumblr", *windows)


def _api_calls(log: list[Any], key: str) -> list[Any]:
    return [e for e in log if e.host == "api.tumblr.com" and e.query.get("api_key") == key]


def test_a_small_daily_quota_is_never_exceeded_and_the_next_run_resumes(
    quota_replica: ReplicaServer, tmp_path: Path
) -> None:
    key = "quota-daily-key"
    _limit(quota_replica, QuotaWindow("perhour", 1000, 3600), QuotaWindow("perday", 8, 86400))
    settings = {
        **SETTINGS,
        "TUMBLR_API_KEY": key,
        "LUREWATCH_DATA_DIR": str(tmp_path),
        "LUREWATCH_QUOTA_TUMBLR": "8/d",
        "LUREWATCH_TUMBLR_ENDPOINTS": "tagged,search,blog",
        "DOWNLOAD_SLOTS": json.dumps({"api.tumblr.com": {"concurrency": 4, "delay": 0}}),
    }
    log = quota_replica.router.tumblr.log  # type: ignore[attr-defined]
    start = len(log)
    proc = run_crawl("tumblr", quota_replica.origin, tmp_path / "one.jsonl", settings, timeout=200)
    first = _api_calls(log[start:], key)
    assert 0 < len(first) <= 8 and {e.status for e in first} == {200}  # the replica never refused
    carried = FileLedger(tmp_path / "quota" / "ledger.json").skipped("tumblr")
    assert carried and "planned_skipped" in stats_of(proc)
    # the next run, with a day's window raised on both sides, starts with what was skipped
    _limit(quota_replica, QuotaWindow("perhour", 1000, 3600), QuotaWindow("perday", 16, 86400))
    settings["LUREWATCH_QUOTA_TUMBLR"] = "16/d"
    start = len(log)
    run_crawl("tumblr", quota_replica.origin, tmp_path / "two.jsonl", settings, timeout=200)
    second = _api_calls(log[start:], key)
    assert 0 < len(second) <= 8 and {e.status for e in second} == {200}
    sent = [e.query.get("tag") or e.query.get("query") for e in second[:4]]
    assert set(sent) <= set(carried)


def test_a_429_with_an_hour_reset_is_waited_for_not_dropped(
    quota_replica: ReplicaServer, tmp_path: Path
) -> None:
    key = "quota-hourly-key"
    _limit(quota_replica, QuotaWindow("perhour", 4, 3600), QuotaWindow("perday", 5000, 86400))
    settings = {
        **SETTINGS,
        "TUMBLR_API_KEY": key,
        "LUREWATCH_DATA_DIR": str(tmp_path),
        "LUREWATCH_TUMBLR_ENDPOINTS": "tagged",
        "LUREWATCH_MAX_TITLES": "2",
        # the reset named is up to an hour of replica time: 10 real seconds; wait 15 at most
        "LUREWATCH_MAX_BACKOFF": "15",
        "DOWNLOAD_SLOTS": json.dumps({"api.tumblr.com": {"concurrency": 1, "delay": 0}}),
    }
    log = quota_replica.router.tumblr.log  # type: ignore[attr-defined]
    start = len(log)
    proc = run_crawl(
        "tumblr", quota_replica.origin, tmp_path / "hits.jsonl", settings, timeout=300
    )
    calls = _api_calls(log[start:], key)
    refused = [e for e in calls if e.status == 429]
    assert refused  # the replica's hourly quota was met
    answered = {json.dumps(e.query, sort_keys=True) for e in calls if e.status == 200}
    for entry in refused:  # every refused request was sent again and answered
        assert json.dumps(entry.query, sort_keys=True) in answered
    stats = stats_of(proc)
    assert "lurewatch/ratelimit/source/perhour" in stats
    assert "lurewatch/ratelimit/lost" not in stats
