"""The replica's quotas on its clock: the documented limits per key, 429s naming the reset as
each platform does, robots.txt of the API hosts, 401 for bad Tumblr keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from replica.clock import ReplicaClock
from replica.http import Request, Response
from replica.quota import DOCUMENTED, QuotaKeeper, QuotaWindow
from replica.server import ReplicaServer

T0 = 1_800_000_000.0  # on an hour boundary


class _Time:
    def __init__(self) -> None:
        self.real = T0

    def __call__(self) -> float:
        return self.real


def test_the_clock_runs_factor_times_faster_and_can_be_moved() -> None:
    real = _Time()
    clock = ReplicaClock(3600, base=real, monotonic=real)
    real.real += 2  # two real seconds: two replica hours (base moves 2, the factor adds the rest)
    assert clock.now() == pytest.approx(T0 + 2 * 3600)
    clock.advance(60)
    assert clock.now() == pytest.approx(T0 + 2 * 3600 + 60)
    assert clock.real_seconds(3600) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="factor"):
        ReplicaClock(0)


def _allowed(keeper: QuotaKeeper, key: str) -> bool:
    verdict = keeper.spend("tumblr", key)
    assert verdict is not None
    return verdict.allowed


def test_tumblr_quota_counts_per_key_and_names_the_hour_reset() -> None:
    real = _Time()
    keeper = QuotaKeeper(ReplicaClock(1, base=real, monotonic=real), DOCUMENTED)
    keeper.set_limits("tumblr", QuotaWindow("perhour", 2, 3600), QuotaWindow("perday", 3, 86400))
    real.real += 600
    assert [_allowed(keeper, "k") for _ in range(3)] == [True, True, False]
    refused = keeper.spend("tumblr", "k")
    assert refused is not None and not refused.allowed
    assert refused.retry_after == 3000  # the hour ends 50 minutes on
    assert _allowed(keeper, "other")  # per key
    real.real += 3000  # the next hour: one left of the day's three (refusals are not counted)
    assert [_allowed(keeper, "k") for _ in range(2)] == [True, False]
    assert keeper.spend("wordpress", "k") is None  # no quota there


def _get(server: ReplicaServer, host: str, path: str, **headers: str) -> Response:
    request = Request(
        method="GET",
        host=host,
        path=path.split("?")[0],
        query_string=path.partition("?")[2],
        headers={k.lower().replace("_", "-"): v for k, v in headers.items()},
        body=b"",
        scheme="https",
    )
    return server.router.dispatch(request)


@pytest.fixture(scope="module")
def quota_replica() -> Iterator[ReplicaServer]:
    """A replica of its own that enforces quotas (the session one serves every other test)."""
    server = ReplicaServer(port=0, seed=2026, quotas=True).start()
    yield server
    server.stop()


def test_a_tumblr_429_carries_the_ratelimit_headers(quota_replica: ReplicaServer) -> None:
    keeper: QuotaKeeper = quota_replica.router.quota  # type: ignore[attr-defined]
    keeper.set_limits("tumblr", QuotaWindow("perhour", 1, 3600), QuotaWindow("perday", 50, 86400))
    first = _get(quota_replica, "api.tumblr.com", "/v2/tagged?tag=dune&api_key=key-a")
    second = _get(quota_replica, "api.tumblr.com", "/v2/tagged?tag=dune&api_key=key-a")
    assert first.status == 200 and second.status == 429
    headers = dict(second.headers)
    assert headers["X-Ratelimit-Perhour-Remaining"] == "0"
    assert 0 < int(headers["X-Ratelimit-Perhour-Reset"]) <= 3600
    assert headers["X-Ratelimit-Perday-Remaining"] == "49"
    assert json.loads(second.body)["meta"]["status"] == 429


def test_programmable_search_stops_after_its_day(quota_replica: ReplicaServer) -> None:
    keeper: QuotaKeeper = quota_replica.router.quota  # type: ignore[attr-defined]
    keeper.set_limits("google_cse", QuotaWindow("perday", 1, 86400, 8 * 3600))
    path = "/customsearch/v1?q=dune+site%3Ablogspot.com&cx=cx"
    assert _get(quota_replica, "www.googleapis.com", path, x_goog_api_key="g1").status == 200
    refused = _get(quota_replica, "www.googleapis.com", path, x_goog_api_key="g1")
    error: dict[str, Any] = json.loads(refused.body)["error"]
    assert refused.status == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["errors"][0]["reason"] == "rateLimitExceeded"


def test_brave_allows_one_request_a_second(quota_replica: ReplicaServer) -> None:
    quota_replica.clock.advance(5)  # a fresh second
    path = "/res/v1/web/search?q=dune"
    token = {"x_subscription_token": "brave-1"}
    answers = [_get(quota_replica, "api.search.brave.com", path, **token) for _ in range(2)]
    if answers[0].status == 429:  # the second turned between the two calls
        answers = [answers[1], _get(quota_replica, "api.search.brave.com", path, **token)]
    assert [a.status for a in answers] == [200, 429]
    headers = dict(answers[1].headers)
    assert headers["Retry-After"] == "1" and headers["X-RateLimit-Remaining"] == "0"


def test_api_hosts_serve_robots_txt_and_bad_tumblr_keys_get_401(
    quota_replica: ReplicaServer,
) -> None:
    for host in ("api.tumblr.com", "www.googleapis.com", "api.search.brave.com"):
        robots = _get(quota_replica, host, "/robots.txt")
        assert robots.status == 200 and b"User-agent: *" in robots.body
    for key in ("invalid-key", "replica-revoked-key"):
        refused = _get(quota_replica, "api.tumblr.com", f"/v2/tagged?tag=dune&api_key={key}")
        assert refused.status == 401


def test_the_shared_replica_enforces_nothing_by_default(replica: ReplicaServer) -> None:
    assert getattr(replica.router, "quota", None) is None
