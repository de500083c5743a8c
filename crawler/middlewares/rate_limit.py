"""Back off when an API says "slow down" (HTTP 429), reading its rate-limit headers.

For every spider: a 429 pauses the request's downloader slot (one host, e.g. ``api.tumblr.com``)
for as long as the response asks, bounded by ``LUREWATCH_MAX_BACKOFF``, and the request is retried
through Scrapy's :func:`~scrapy.downloadermiddlewares.retry.get_retry_request` (so ``RETRY_TIMES``
/ ``max_retry_times`` bound it). How long to wait, in order of precedence:

1. ``Retry-After`` (seconds or an HTTP date);
2. Tumblr's ``X-Ratelimit-Perday-Reset`` when ``X-Ratelimit-Perday-Remaining`` is 0 (daily
   quota spent);
3. Tumblr's ``X-Ratelimit-Perhour-Reset`` (seconds);
4. the IETF draft's ``RateLimit-Reset`` / ``X-RateLimit-Reset`` (seconds, or a Unix time);
5. otherwise exponential: 1, 2, 4 ... seconds by retry count.

This middleware sits after ``RetryMiddleware`` (a higher order number), so it sees the 429 first
and ``RetryMiddleware`` never double-retries it. Stats: ``lurewatch/ratelimit/...``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.utils.asyncio import call_later

from pipelines.config import SettingsLike, read_float

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["RateLimitConfig", "RateLimitMiddleware", "backoff_seconds"]

logger = logging.getLogger(__name__)

_EPOCH_THRESHOLD = 1_000_000_000  # reset values above this are Unix times, not durations


@dataclass(frozen=True)
class RateLimitConfig:
    """How the middleware behaves: the longest pause it accepts from a server."""

    max_backoff: float  # seconds

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> RateLimitConfig:
        """Read ``LUREWATCH_MAX_BACKOFF``; a bad value raises ``ConfigError``."""
        # at most an hour: a slot paused longer is a stalled crawl
        return cls(
            max_backoff=read_float(settings, "LUREWATCH_MAX_BACKOFF", minimum=0, maximum=3600)
        )


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def _seconds(value: str | None, now: float) -> float | None:
    """A delay from a header value: seconds, a Unix time, or an HTTP date; ``None`` if
    unreadable."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            return parsedate_to_datetime(value).timestamp() - now
        except (TypeError, ValueError, IndexError):
            return None
    return number - now if number > _EPOCH_THRESHOLD else number


def backoff_seconds(
    response: Response, retry_times: int = 0, now: float | None = None
) -> tuple[float, str]:
    """How long ``response`` (a 429) asks us to wait, unbounded, and which header said so."""
    now = time.time() if now is None else now
    candidates: list[tuple[str, str | None]] = [("retry-after", _header(response, "Retry-After"))]
    if _header(response, "X-Ratelimit-Perday-Remaining") == "0":
        candidates.append(("perday", _header(response, "X-Ratelimit-Perday-Reset")))
    candidates += [
        ("perhour", _header(response, "X-Ratelimit-Perhour-Reset")),
        ("reset", _header(response, "RateLimit-Reset") or _header(response, "X-RateLimit-Reset")),
    ]
    for source, value in candidates:
        seconds = _seconds(value, now)
        if seconds is not None:
            return max(0.0, seconds), source
    return float(2**retry_times), "default"


class RateLimitMiddleware:
    """Downloader middleware: pause the slot and retry on HTTP 429."""

    def __init__(self, crawler: Crawler, config: RateLimitConfig) -> None:
        self.crawler = crawler
        self.config = config
        self._paused_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RateLimitMiddleware:
        return cls(crawler, RateLimitConfig.from_settings(crawler.settings))

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if response.status != 429 or request.meta.get("dont_retry"):
            return response
        stats = self.crawler.stats
        assert stats is not None
        wanted, source = backoff_seconds(response, request.meta.get("retry_times", 0))
        wait = min(wanted, self.config.max_backoff)
        stats.inc_value("lurewatch/ratelimit/429")
        stats.inc_value(f"lurewatch/ratelimit/source/{source}")
        if source == "perday":
            stats.inc_value("lurewatch/ratelimit/perday_exhausted")
        slot = self.pause_slot(request, wait)
        logger.info(
            "HTTP 429 from %s: pausing slot %s for %.1fs (%s said %.0fs)",
            request.url,
            slot,
            wait,
            source,
            wanted,
            extra={"spider": self.crawler.spider},
        )
        spider = self.crawler.spider
        assert spider is not None
        retry = get_retry_request(
            request, spider=spider, reason="429", stats_base_key="lurewatch/ratelimit/retry"
        )
        if retry is None:
            # never silently: the caller gets the 429, the log and the stats say it was lost
            stats.inc_value("lurewatch/ratelimit/lost")
            logger.error(
                "HTTP 429 from %s after %d retries: request given up (raise RETRY_TIMES or "
                "LUREWATCH_MAX_BACKOFF)",
                request.url,
                request.meta.get("retry_times", 0),
                extra={"spider": self.crawler.spider},
            )
            return response
        return retry

    def pause_slot(self, request: Request, seconds: float) -> str:
        """Hold back every request of ``request``'s downloader slot for ``seconds``; returns the
        slot key."""
        assert self.crawler.engine is not None and self.crawler.stats is not None
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        resume_at = monotonic() + seconds
        if slot is None or seconds <= 0 or self._paused_until.get(key, 0.0) >= resume_at:
            return str(key)
        self._paused_until[key] = resume_at
        # the downloader does not dispatch from a slot while slot.latercall is pending: replace it
        # by ours
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(seconds, downloader._latercall, slot)
        self.crawler.stats.inc_value("lurewatch/ratelimit/paused")
        self.crawler.stats.inc_value("lurewatch/ratelimit/paused_ms", round(seconds * 1000))
        return str(key)
