"""The quota budgets, the file and Redis ledgers, and the search planner."""

from __future__ import annotations

import multiprocessing
import uuid
from datetime import date
from pathlib import Path

import pytest
import redis

from pipelines.exceptions import ConfigError
from pipelines.quota import (
    FileLedger,
    PlannedSearch,
    RedisLedger,
    Window,
    key_fingerprint,
    parse_budget,
    plan_searches,
)

T0 = 1_800_000_000.0  # a Unix time on an hour boundary


def test_parse_budget_reads_windows_and_names_the_setting_on_error() -> None:
    budget = parse_budget("tumblr", "1000/h, 5000/d", setting="LUREWATCH_QUOTA_TUMBLR")
    assert budget.windows == (Window(1000, 3600), Window(5000, 86400))
    assert [w.label for w in budget.windows] == ["1h", "1d"]
    assert parse_budget("brave", "2000/30d", setting="X").windows == (Window(2000, 30 * 86400),)
    assert parse_budget("x", "", setting="X").windows == ()
    for bad in ("1000", "10/w", "0/h", "-1/h", "ten/h"):
        with pytest.raises(ConfigError, match="LUREWATCH_QUOTA_TUMBLR"):
            parse_budget("tumblr", bad, setting="LUREWATCH_QUOTA_TUMBLR")


def test_fingerprint_hides_the_key() -> None:
    assert key_fingerprint("") == "-"
    fingerprint = key_fingerprint("secret-consumer-key")
    assert "secret" not in fingerprint and len(fingerprint) == 12
    assert fingerprint == key_fingerprint("secret-consumer-key") != key_fingerprint("other")


def test_file_ledger_stops_at_the_limit_and_survives_a_restart(tmp_path: Path) -> None:
    budget = parse_budget("tumblr", "3/h,5/d", setting="X")
    path = tmp_path / "quota" / "ledger.json"
    ledger = FileLedger(path)
    assert [ledger.try_spend(budget, "k", T0 + i) for i in range(3)] == [0.0, 0.0, 0.0]
    assert ledger.try_spend(budget, "k", T0 + 10) == pytest.approx(3600 - 10)
    assert ledger.try_spend(budget, "other-key", T0 + 10) == 0.0  # counted per key
    restarted = FileLedger(path)
    assert restarted.used(budget, "k", T0 + 20) == {"1h": 3, "1d": 3}
    # the next hour has room, the day only for two more
    assert restarted.try_spend(budget, "k", T0 + 3600) == 0.0
    assert restarted.try_spend(budget, "k", T0 + 3601) == 0.0
    assert restarted.try_spend(budget, "k", T0 + 3602) > 3600  # the day's window is full
    assert restarted.used(budget, "k", T0 + 3603) == {"1h": 2, "1d": 5}


def test_file_ledger_starts_afresh_on_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text("{not json")
    budget = parse_budget("google_cse", "1/d", setting="X")
    assert FileLedger(path).try_spend(budget, "k", T0) == 0.0
    assert FileLedger(path).try_spend(budget, "k", T0) > 0


def _spend_many(path: str, times: int, queue: multiprocessing.Queue[int]) -> None:
    budget = parse_budget("tumblr", "50/h", setting="X")
    ledger = FileLedger(path)
    queue.put(sum(1 for _ in range(times) if ledger.try_spend(budget, "k", T0) == 0.0))


def test_file_ledger_is_shared_by_processes(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[int] = context.Queue()
    path = str(tmp_path / "ledger.json")
    workers = [context.Process(target=_spend_many, args=(path, 30, queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    granted = sum(queue.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert granted == 50  # 120 asked, exactly the limit granted: no lost update


@pytest.mark.parametrize("kind", ["file", pytest.param("redis", marks=pytest.mark.redis)])
def test_skipped_and_hits_are_remembered(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "file":
        ledger: FileLedger | RedisLedger = FileLedger(tmp_path / "ledger.json")
    else:
        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        ledger = RedisLedger(client, prefix=f"lurewatch-test:{uuid.uuid4().hex}:quota")
    ledger.record_skipped("tumblr", ["b", "a", "b"])
    ledger.record_skipped("tumblr", ["c", "a"])
    assert ledger.skipped("tumblr") == ["b", "a", "c"]
    ledger.clear_skipped("tumblr", ["a"])
    assert ledger.skipped("tumblr") == ["b", "c"]
    ledger.record_hits("tumblr", "dune stream", 2, now=T0)
    ledger.record_hits("tumblr", "nothing", 0, now=T0)
    assert ledger.recent_hits("tumblr") == {"dune stream": T0}


def test_redis_ledger_stops_at_the_limit(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    prefix = f"lurewatch-test:{uuid.uuid4().hex}:quota"
    ledger = RedisLedger(client, prefix=prefix)
    other_worker = RedisLedger(redis.Redis.from_url(redis_url), prefix=prefix)
    budget = parse_budget("google_cse", "2/d", setting="X")
    assert ledger.try_spend(budget, "k", T0) == 0.0
    assert other_worker.try_spend(budget, "k", T0) == 0.0
    assert ledger.try_spend(budget, "k", T0) > 0
    assert other_worker.used(budget, "k", T0) == {"1d": 2}  # the refused one was undone
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_planner_orders_by_value_and_stops_before_the_budget() -> None:
    today = date(2026, 12, 2)
    searches = [
        PlannedSearch("old film", date(2019, 1, 1)),
        PlannedSearch("no date"),
        PlannedSearch("next week", date(2026, 12, 9)),
        PlannedSearch("hit yesterday", date(2020, 1, 1)),
        PlannedSearch("skipped last night", date(2015, 1, 1)),
        PlannedSearch("released today", today),
    ]
    run, skipped = plan_searches(
        searches,
        budget=8,
        cost=2,
        today=today,
        recent_hits={"hit yesterday": T0},
        skipped_before=["skipped last night"],
    )
    assert [s.query for s in run] == [
        "skipped last night",
        "hit yesterday",
        "released today",
        "next week",
    ]
    assert [s.query for s in skipped] == ["old film", "no date"]
    everything, none = plan_searches(searches, budget=None, today=today)
    assert len(everything) == 6 and none == []
