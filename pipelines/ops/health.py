"""Crawl health: the checks a nightly run passes at each spider's close, as plain functions.

Each check reads one platform's final stats and the thresholds (``LUREWATCH_MONITOR_*``) and
returns a :class:`HealthFailure` naming itself, or ``None``. The Spidermon monitors in
``crawler/monitors/`` are thin wrappers around :data:`CHECKS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pipelines.config import SettingsLike
from pipelines.exceptions import ConfigError

__all__ = ["CHECKS", "HealthFailure", "HealthThresholds", "run_checks"]

Stats = Mapping[str, Any]


@dataclass(frozen=True)
class HealthFailure:
    """A failed check: ``<platform>/<check>: <detail>``."""

    check: str
    platform: str
    detail: str

    def __str__(self) -> str:
        return f"{self.platform}/{self.check}: {self.detail}"


def _rate(value: Any, name: str) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: not a number: {value!r}") from None
    if not 0.0 <= rate <= 1.0:
        raise ConfigError(f"{name}: a rate between 0 and 1, not {value!r}")
    return rate


@dataclass(frozen=True)
class HealthThresholds:
    """The thresholds of the checks (``LUREWATCH_MONITOR_*`` settings)."""

    min_posts: Mapping[str, int]
    max_error_rate: float
    max_retry_rate: float
    expected_http: frozenset[int]
    max_unexpected_http_rate: float

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> HealthThresholds:
        """Read and check the settings; ``ConfigError`` names a bad one."""
        raw = settings.get("LUREWATCH_MONITOR_MIN_POSTS") or {}
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise ConfigError(f"LUREWATCH_MONITOR_MIN_POSTS: not JSON: {raw!r}") from None
        if not isinstance(raw, Mapping):
            raise ConfigError(f"LUREWATCH_MONITOR_MIN_POSTS: a mapping, not {raw!r}")
        try:
            min_posts = {str(k): int(v) for k, v in raw.items()}
            codes = settings.get("LUREWATCH_MONITOR_EXPECTED_HTTP") or []
            if isinstance(codes, str):
                codes = [c for c in codes.split(",") if c.strip()]
            expected = frozenset(int(code) for code in codes)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"LUREWATCH_MONITOR_*: {exc}") from None
        return cls(
            min_posts=min_posts,
            max_error_rate=_rate(
                settings.get("LUREWATCH_MONITOR_MAX_ERROR_RATE"),
                "LUREWATCH_MONITOR_MAX_ERROR_RATE",
            ),
            max_retry_rate=_rate(
                settings.get("LUREWATCH_MONITOR_MAX_RETRY_RATE"),
                "LUREWATCH_MONITOR_MAX_RETRY_RATE",
            ),
            expected_http=expected,
            max_unexpected_http_rate=_rate(
                settings.get("LUREWATCH_MONITOR_MAX_UNEXPECTED_HTTP_RATE"),
                "LUREWATCH_MONITOR_MAX_UNEXPECTED_HTTP_RATE",
            ),
        )


def _int(stats: Stats, key: str) -> int:
    value = stats.get(key) or 0
    return int(value) if isinstance(value, int | float) else 0


def _requests(stats: Stats) -> int:
    return _int(stats, "downloader/request_count")


def check_requests(platform: str, stats: Stats, limits: HealthThresholds) -> HealthFailure | None:
    """A platform that made no request at all (its reason, when the spider gave one)."""
    if _requests(stats):
        return None
    reason = stats.get("lurewatch/disabled_reason") or "no start request"
    return HealthFailure("requests", platform, f"made no request ({reason})")


def check_min_posts(platform: str, stats: Stats, limits: HealthThresholds) -> HealthFailure | None:
    """Fewer posts than ``LUREWATCH_MONITOR_MIN_POSTS[platform]``."""
    minimum = limits.min_posts.get(platform, 0)
    posts = _int(stats, f"lurewatch/{platform}/posts")
    if posts >= minimum:
        return None
    return HealthFailure("min_posts", platform, f"{posts} posts, expected at least {minimum}")


def check_error_rate(
    platform: str, stats: Stats, limits: HealthThresholds
) -> HealthFailure | None:
    """Errors (ERROR log lines, download exceptions, spider exceptions) per request."""
    requests = _requests(stats)
    errors = (
        _int(stats, "log_count/ERROR")
        + _int(stats, "downloader/exception_count")
        + _int(stats, "spider_exceptions/count")
    )
    rate = errors / requests if requests else 0.0
    if rate <= limits.max_error_rate:
        return None
    return HealthFailure(
        "error_rate",
        platform,
        f"{errors} errors in {requests} requests ({rate:.1%} > {limits.max_error_rate:.1%})",
    )


def check_retry_rate(
    platform: str, stats: Stats, limits: HealthThresholds
) -> HealthFailure | None:
    """Retried requests per request."""
    requests = _requests(stats)
    retries = _int(stats, "retry/count")
    rate = retries / requests if requests else 0.0
    if rate <= limits.max_retry_rate:
        return None
    return HealthFailure(
        "retry_rate",
        platform,
        f"{retries} retries in {requests} requests ({rate:.1%} > {limits.max_retry_rate:.1%})",
    )


def check_http_codes(
    platform: str, stats: Stats, limits: HealthThresholds
) -> HealthFailure | None:
    """Responses with a status outside ``LUREWATCH_MONITOR_EXPECTED_HTTP``."""
    prefix = "downloader/response_status_count/"
    unexpected = {
        int(key[len(prefix) :]): _int(stats, key)
        for key in stats
        if key.startswith(prefix)
        and key[len(prefix) :].isdigit()
        and int(key[len(prefix) :]) not in limits.expected_http
    }
    responses = _int(stats, "downloader/response_count")
    count = sum(unexpected.values())
    rate = count / responses if responses else 0.0
    if rate <= limits.max_unexpected_http_rate:
        return None
    codes = ", ".join(f"{code} x{n}" for code, n in sorted(unexpected.items()))
    return HealthFailure(
        "http_codes", platform, f"{count} of {responses} responses unexpected ({codes})"
    )


def check_item_schema(
    platform: str, stats: Stats, limits: HealthThresholds
) -> HealthFailure | None:
    """Hits that do not match the hit schema (Spidermon's item validation counts them)."""
    bad = _int(stats, "spidermon/validation/items/errors")
    if not bad:
        return None
    prefix = "spidermon/validation/fields/errors/"
    fields = sorted(  # <prefix><error>/<field>
        key.rsplit("/", 1)[1]
        for key in stats
        if key.startswith(prefix) and key.count("/") == prefix.count("/") + 1
    )
    where = f" (fields: {', '.join(dict.fromkeys(fields))})" if fields else ""
    return HealthFailure("item_schema", platform, f"{bad} hits fail the hit schema{where}")


def check_quota(platform: str, stats: Stats, limits: HealthThresholds) -> HealthFailure | None:
    """Requests skipped during the crawl because a quota ran out, or 429s given up."""
    skipped = sum(
        _int(stats, key)
        for key in stats
        if key.startswith("lurewatch/quota/") and key.endswith("/skipped")
    )
    lost = _int(stats, "lurewatch/ratelimit/lost")
    exhausted = _int(stats, "lurewatch/ratelimit/perday_exhausted")
    if not (skipped or lost or exhausted):
        return None
    return HealthFailure(
        "quota",
        platform,
        f"quota exhausted: {skipped} requests skipped, {lost} rate-limited requests lost, "
        f"{exhausted} daily limits hit",
    )


Check = Callable[[str, Stats, HealthThresholds], HealthFailure | None]

#: Every check by name, in the order they run.
CHECKS: dict[str, Check] = {
    "requests": check_requests,
    "min_posts": check_min_posts,
    "error_rate": check_error_rate,
    "retry_rate": check_retry_rate,
    "http_codes": check_http_codes,
    "item_schema": check_item_schema,
    "quota": check_quota,
}


def run_checks(platform: str, stats: Stats, limits: HealthThresholds) -> list[HealthFailure]:
    """Every failed check of one platform's final stats."""
    failures = [check(platform, stats, limits) for check in CHECKS.values()]
    return [failure for failure in failures if failure is not None]
