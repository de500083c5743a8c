"""Crawl health checks: each fails on the stats of a sick run and names itself, and passes on a
healthy run's stats."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.defaults import values
from pipelines.exceptions import ConfigError
from pipelines.ops.health import CHECKS, HealthThresholds, run_checks

LIMITS = HealthThresholds.from_settings(values())  # the shipped defaults

HEALTHY: dict[str, Any] = {
    "downloader/request_count": 200,
    "downloader/response_count": 198,
    "downloader/response_status_count/200": 180,
    "downloader/response_status_count/301": 10,
    "downloader/response_status_count/404": 8,
    "downloader/exception_count": 2,
    "retry/count": 3,
    "log_count/ERROR": 1,
    "lurewatch/tumblr/posts": 58,
    "item_scraped_count": 37,
    "spidermon/validation/items": 37,
    "lurewatch/quota/tumblr/requests": 20,
    "lurewatch/quota/tumblr/planned_skipped": 4,  # planned cuts are by design, not exhaustion
}


def failed(stats: dict[str, Any], limits: HealthThresholds = LIMITS) -> list[str]:
    return [str(failure) for failure in run_checks("tumblr", stats, limits)]


def test_a_healthy_run_passes_every_check() -> None:
    assert failed(HEALTHY) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"downloader/request_count": 0, "lurewatch/disabled_reason": "TUMBLR_API_KEY missing"},
            "tumblr/requests: made no request (TUMBLR_API_KEY missing)",
        ),
        ({"lurewatch/tumblr/posts": 0}, "tumblr/min_posts: 0 posts, expected at least 1"),
        ({"log_count/ERROR": 15}, "tumblr/error_rate: 17 errors in 200 requests"),
        ({"retry/count": 40}, "tumblr/retry_rate: 40 retries in 200 requests"),
        (
            {"downloader/response_status_count/403": 12},
            "tumblr/http_codes: 12 of 198 responses unexpected (403 x12)",
        ),
        (
            {
                "spidermon/validation/items/errors": 2,
                "spidermon/validation/fields/errors/missing_required_field/verdict": 2,
            },
            "tumblr/item_schema: 2 hits fail the hit schema (fields: verdict)",
        ),
        ({"lurewatch/quota/tumblr/skipped": 5}, "tumblr/quota: quota exhausted: 5 requests"),
        ({"lurewatch/ratelimit/lost": 1}, "tumblr/quota: quota exhausted: 0 requests skipped, 1"),
    ],
)
def test_each_check_fails_a_sick_run_and_names_itself(
    change: dict[str, Any], expected: str
) -> None:
    [failure] = failed({**HEALTHY, **change})
    assert failure.startswith(expected)
    assert failure.split("/")[1].split(":")[0] in CHECKS


def test_thresholds_are_settings() -> None:
    strict = HealthThresholds.from_settings(
        {
            **values(),
            "LUREWATCH_MONITOR_MIN_POSTS": '{"tumblr": 100}',  # as -s passes it
            "LUREWATCH_MONITOR_MAX_RETRY_RATE": "0.01",
            "LUREWATCH_MONITOR_EXPECTED_HTTP": "200,301",  # the 404s become unexpected
            "LUREWATCH_MONITOR_MAX_UNEXPECTED_HTTP_RATE": "0",
        }
    )
    checks = {failure.split(":")[0] for failure in failed(HEALTHY, strict)}
    assert checks == {"tumblr/min_posts", "tumblr/retry_rate", "tumblr/http_codes"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LUREWATCH_MONITOR_MAX_ERROR_RATE", "1.5"),
        ("LUREWATCH_MONITOR_MAX_RETRY_RATE", "lots"),
        ("LUREWATCH_MONITOR_MIN_POSTS", "{tumblr"),
        ("LUREWATCH_MONITOR_EXPECTED_HTTP", "200,ok"),
    ],
)
def test_a_bad_threshold_is_refused_naming_the_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match="LUREWATCH_MONITOR_"):
        HealthThresholds.from_settings({**values(), name: value})
