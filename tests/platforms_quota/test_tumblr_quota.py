"""``scrapy crawl tumblr`` against the replica under a small quota, with a revoked key, and with
no key: the replica's request log proves the quota held, skipped searches run first next time,
a 401 switches the API off after one ERROR, a missing key is one WARNING naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.quota import FileLedger
from tests._crawl import run_crawl, stats_of

pytestmark = [pytest.mark.crawl]

FAST = {
    "ITEM_PIPELINES": "{}",
    "LUREWATCH_KEEP_BENIGN": "1",
    "LUREWATCH_LANDING_TIMEOUT": "4",
    "DOWNLOAD_TIMEOUT": "8",
    "LUREWATCH_TUMBLR_ENDPOINTS": "tagged,search,blog",
    "LUREWATCH_RENDER_ENABLED": "0",
    "LUREWATCH_QUOTA_ENABLED": "1",
    "DOWNLOAD_SLOTS": json.dumps({"api.tumblr.com": {"concurrency": 4, "delay": 0}}),
}


def api_calls(log: list[Any]) -> list[Any]:
    return [
        entry for entry in log if entry.host == "api.tumblr.com" and entry.path != "/robots.txt"
    ]


def test_a_small_quota_holds_and_skipped_searches_run_first_next_time(
    replica: Any, tmp_path: Path
) -> None:
    log = replica.router.tumblr.log
    settings = {**FAST, "LUREWATCH_DATA_DIR": str(tmp_path), "LUREWATCH_QUOTA_TUMBLR": "8/d"}
    start = len(log)
    proc = run_crawl("tumblr", replica.origin, tmp_path / "one.jsonl", settings, timeout=200)
    first = api_calls(log[start:])
    assert 0 < len(first) <= 8  # the replica's log: the daily quota held
    stats = stats_of(proc)
    assert "lurewatch/quota/tumblr/planned_skipped" in stats
    assert "Quota tumblr:" in proc.stderr and "1d used 8/8, left 0" in proc.stderr
    ledger = FileLedger(tmp_path / "quota" / "ledger.json")
    carried = ledger.skipped("tumblr")
    assert carried
    # the next run (the day's window raised) sends the skipped searches before any other
    settings["LUREWATCH_QUOTA_TUMBLR"] = "16/d"
    start = len(log)
    run_crawl("tumblr", replica.origin, tmp_path / "two.jsonl", settings, timeout=200)
    second = api_calls(log[start:])
    assert 0 < len(second) <= 8  # 16 a day, 8 spent by the first run
    sent = {entry.query.get("tag") or entry.query.get("query") for entry in second[:4]}
    assert sent <= set(carried)


def test_a_revoked_key_switches_the_api_off_after_one_error(replica: Any, tmp_path: Path) -> None:
    log = replica.router.tumblr.log
    settings = {
        **FAST,
        "LUREWATCH_DATA_DIR": str(tmp_path),
        "TUMBLR_API_KEY": "replica-revoked-key",
    }
    start = len(log)
    proc = run_crawl("tumblr", replica.origin, tmp_path / "hits.jsonl", settings, timeout=200)
    refused = [e for e in api_calls(log[start:]) if e.status == 401]
    errors = [line for line in proc.stderr.splitlines() if "ERROR" in line and "401" in line]
    assert len(errors) == 1 and "TUMBLR_API_KEY" in errors[0]
    assert "replica-revoked-key" not in proc.stderr  # the key itself is never logged
    # requests already in flight may still arrive; nothing is sent once the 401 is read
    assert 1 <= len(refused) <= 4
    assert "lurewatch/quota/tumblr/disabled_skipped" in stats_of(proc)


def test_no_key_is_one_warning_naming_it(replica: Any, tmp_path: Path) -> None:
    log = replica.router.tumblr.log
    settings = {
        **FAST,
        "LUREWATCH_DATA_DIR": str(tmp_path),
        "LUREWATCH_OFFLINE_PLACEHOLDER_KEYS": "0",
    }
    start = len(log)
    proc = run_crawl("tumblr", replica.origin, tmp_path / "hits.jsonl", settings, timeout=200)
    lines = [line for line in proc.stderr.splitlines() if "TUMBLR_API_KEY" in line]
    assert len([line for line in lines if " WARNING: " in line]) == 1
    assert not [line for line in lines if " ERROR: " in line]
    assert api_calls(log[start:]) == []
    # the reason `lurewatch crawl` names when it exits NO_REQUESTS
    assert "'lurewatch/disabled_reason': 'TUMBLR_API_KEY missing and rendering off'" in stats_of(
        proc
    )
