"""Keep every API within its quota, and switch an API off after a 401/403.

Each request is mapped to a platform by its host (``api.tumblr.com`` -> ``tumblr``,
``www.googleapis.com/customsearch`` -> ``google_cse``, ``api.search.brave.com`` -> ``brave``,
``*.wordpress.com`` -> ``wordpress``, ``*.blogspot.com`` / ``www.blogger.com`` -> ``blogger``, the
host of ``LUREWATCH_SEARXNG_URL`` -> ``searxng``) and counted in the quota ledger
(:mod:`pipelines.quota`) against the platform's budget (``LUREWATCH_QUOTA_<PLATFORM>``), per API
key or, for feeds, per host. A request over a short window (at most ``LUREWATCH_QUOTA_MAX_WAIT``)
waits for it; over a longer one (an hour, a day) it is skipped with a log line and a stat,
and a request that carries ``meta["lurewatch_search"]`` is remembered in the ledger so the next
run runs it first. A 401/403 from an API disables that API for the rest of the run with one
ERROR. The crawl summary logs per platform: requests, quota used and left, requests skipped; stats
are ``lurewatch/quota/<platform>/...``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from pipelines.config import SettingsLike, read_bool, read_float, read_str
from pipelines.quota import (
    FileLedger,
    Ledger,
    QuotaBudget,
    RedisLedger,
    key_fingerprint,
    parse_budget,
)

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["QuotaConfig", "QuotaMiddleware", "platform_of"]

logger = logging.getLogger(__name__)

# platform -> (setting of its budget, setting of its key, counted per host)
PLATFORMS: dict[str, tuple[str, str, bool]] = {
    "tumblr": ("LUREWATCH_QUOTA_TUMBLR", "TUMBLR_API_KEY", False),
    "google_cse": ("LUREWATCH_QUOTA_GOOGLE_CSE", "GOOGLE_CSE_KEY", False),
    "brave": ("LUREWATCH_QUOTA_BRAVE", "BRAVE_API_KEY", False),
    "wordpress": ("LUREWATCH_QUOTA_WORDPRESS", "", True),
    "blogger": ("LUREWATCH_QUOTA_BLOGGER", "", True),
    "searxng": ("LUREWATCH_QUOTA_SEARXNG", "", True),
}
API_PLATFORMS = frozenset({"tumblr", "google_cse", "brave"})  # keyed: a 401/403 turns them off
_MAX_WAITS = 5  # short-window waits per request before it is skipped


def platform_of(url: str, searxng_host: str = "") -> str | None:
    """The quota platform a URL counts against, ``None`` for anything else (landings ...)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.path == "/robots.txt":
        return None
    if searxng_host and host == searxng_host:
        return "searxng"
    if host == "api.tumblr.com":
        return "tumblr"
    if host == "www.googleapis.com" and parts.path.startswith("/customsearch"):
        return "google_cse"
    if host == "api.search.brave.com":
        return "brave"
    if host == "public-api.wordpress.com" or host.endswith(".wordpress.com"):
        return "wordpress"
    if host == "www.blogger.com" or host.endswith(".blogspot.com"):
        return "blogger"
    return None


@dataclass(frozen=True)
class QuotaConfig:
    """The budgets, where the ledger lives, and how long a request may wait for a window."""

    enabled: bool
    budgets: dict[str, QuotaBudget]
    scopes: dict[str, str]  # platform -> key fingerprint ("-" without a key)
    ledger_path: Path
    redis_url: str  # empty: the file ledger
    redis_prefix: str
    max_wait: float
    searxng_host: str

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> QuotaConfig:
        """Read ``LUREWATCH_QUOTA_*``; a bad value raises ``ConfigError`` naming the setting."""
        budgets = {}
        scopes = {}
        for platform, (setting, key_setting, per_host) in PLATFORMS.items():
            spec = read_str(settings, setting)
            budgets[platform] = parse_budget(platform, spec, setting=setting, per_host=per_host)
            key = read_str(settings, key_setting) if key_setting else ""
            scopes[platform] = key_fingerprint(key)
        distributed = read_bool(settings, "LUREWATCH_DISTRIBUTED")
        searxng = read_str(settings, "LUREWATCH_SEARXNG_URL")
        return cls(
            enabled=read_bool(settings, "LUREWATCH_QUOTA_ENABLED"),
            budgets=budgets,
            scopes=scopes,
            ledger_path=Path(read_str(settings, "LUREWATCH_DATA_DIR") or "data")
            / "quota"
            / "ledger.json",
            redis_url=read_str(settings, "REDIS_URL") if distributed else "",
            redis_prefix=read_str(settings, "LUREWATCH_QUOTA_REDIS_PREFIX") or "lurewatch:quota",
            max_wait=read_float(settings, "LUREWATCH_QUOTA_MAX_WAIT", minimum=0, maximum=3600),
            searxng_host=(urlsplit(searxng).hostname or "").lower(),
        )


def open_ledger(config: QuotaConfig) -> Ledger:
    """The Redis ledger in distributed mode, else the file ledger under the data folder."""
    if config.redis_url:
        import redis

        return RedisLedger(redis.Redis.from_url(config.redis_url), prefix=config.redis_prefix)
    return FileLedger(config.ledger_path)


class QuotaMiddleware:
    """Downloader middleware: count, delay or skip API requests against their quota."""

    def __init__(self, crawler: Crawler, config: QuotaConfig, ledger: Ledger) -> None:
        self.crawler = crawler
        self.config = config
        self.ledger = ledger
        self.disabled: dict[str, int] = {}  # platform -> the status that disabled it
        self.seen: set[str] = set()
        self._warned_skip: set[str] = set()
        self._scopes_seen: dict[str, set[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuotaMiddleware:
        config = QuotaConfig.from_settings(crawler.settings)
        middleware = cls(crawler, config, open_ledger(config))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _scope(self, platform: str, request: Request) -> str:
        budget = self.config.budgets[platform]
        if budget.per_host:
            return (urlsplit(request.url).hostname or "").lower()
        return self.config.scopes[platform]

    def _inc(self, platform: str, name: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"lurewatch/quota/{platform}/{name}", count)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if not self.config.enabled:
            return
        platform = platform_of(request.url, self.config.searxng_host)
        if platform is None:
            return
        if platform in self.disabled:
            self._inc(platform, "disabled_skipped")
            raise IgnoreRequest(f"{platform} API disabled after HTTP {self.disabled[platform]}")
        budget = self.config.budgets[platform]
        self.seen.add(platform)
        if not budget.windows:
            self._inc(platform, "requests")
            return
        scope = self._scope(platform, request)
        self._scopes_seen.setdefault(platform, set()).add(scope)
        for _ in range(_MAX_WAITS):
            wait = self.ledger.try_spend(budget, scope)
            if wait <= 0:
                self._inc(platform, "requests")
                return
            if wait > self.config.max_wait:
                break
            self._inc(platform, "waited")
            await asyncio.sleep(wait)
        self._skip(platform, request)

    def _skip(self, platform: str, request: Request) -> None:
        self._inc(platform, "skipped")
        search = request.meta.get("lurewatch_search")
        if isinstance(search, str) and search:
            self.ledger.record_skipped(platform, [search])
        if platform not in self._warned_skip:
            self._warned_skip.add(platform)
            logger.warning(
                "Quota of %s spent (%s): skipping its requests for this run, first %s",
                platform,
                ",".join(w.label for w in self.config.budgets[platform].windows),
                request.url,
            )
        else:
            logger.info("Quota of %s spent: skipped %s", platform, request.url)
        raise IgnoreRequest(f"{platform} quota spent")

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if response.status not in (401, 403) or not self.config.enabled:
            return response
        platform = platform_of(request.url, self.config.searxng_host)
        if platform in API_PLATFORMS and platform not in self.disabled:
            self.disabled[platform] = response.status
            self._inc(platform, "disabled")
            _, key_setting, _ = PLATFORMS[platform]
            logger.error(
                "HTTP %d from the %s API: %s is missing, wrong or revoked; the %s API is off "
                "for the rest of this run",
                response.status,
                platform,
                key_setting,
                platform,
            )
        return response

    def spider_closed(self, spider: Spider) -> None:
        """Log and record per platform: requests, quota used and left, requests skipped."""
        stats = self.crawler.stats
        assert stats is not None
        for platform in sorted(self.seen):
            budget = self.config.budgets[platform]
            requests = stats.get_value(f"lurewatch/quota/{platform}/requests", 0)
            skipped = stats.get_value(f"lurewatch/quota/{platform}/skipped", 0)
            parts: list[str] = []
            scopes = [] if budget.per_host else sorted(self._scopes_seen.get(platform, set()))
            for scope in scopes:
                used = self.ledger.used(budget, scope)
                for window in budget.windows:
                    spent = used.get(window.label, 0)
                    stats.set_value(f"lurewatch/quota/{platform}/used/{window.label}", spent)
                    left = max(0, window.limit - spent)
                    stats.set_value(f"lurewatch/quota/{platform}/left/{window.label}", left)
                    parts.append(f"{window.label} used {spent}/{window.limit}, left {left}")
            logger.info(
                "Quota %s: %d requests, %d skipped%s",
                platform,
                requests,
                skipped,
                ("; " + "; ".join(parts)) if parts else "",
            )
