"""Keep every API within its quota, and switch an API off after a 401/403.

Each request is mapped to a platform by its host (``api.tumblr.com`` -> ``tumblr``,
``www.googleapis.com/customsearch`` -> ``google_cse``, ``api.search.brave.com`` -> ``brave``,
``*.wordpress.com`` -> ``wordpress``, ``*.blogspot.com`` / ``www.blogger.com`` -> ``blogger``, the
host of ``LUREWATCH_SEARXNG_URL`` -> ``searxng``) and counted in the quota ledger
(:mod:`pipelines.quota`) against the platform's budget (``LUREWATCH_QUOTA_<PLATFORM>``), per API
key or, for feeds, per host. A request over a short window (at most ``LUREWATCH_QUOTA_MAX_WAIT``)
waits for it; over a longer one (an hour, a day) it is skipped with a log line and a stat,
and its search is remembered in the ledger so the next run runs it first. While the quota left
is owed to planned first pages (:func:`plan_start_requests`), follow-ups of that API (later pages,
blog listings) are held back and sent when the crawl is idle, most valuable first, as far as the
quota goes; the rest are remembered like skipped searches. Every hit found is recorded in the
ledger (its search and title) so the next run's planner puts them first. A 401/403 from an API
disables that API for the rest of the run with one ERROR. The crawl summary logs per platform:
requests, quota used and left, requests skipped; stats
are ``lurewatch/quota/<platform>/...``.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest

from pipelines.config import SettingsLike, read_bool, read_float, read_str
from pipelines.quota import (
    FileLedger,
    FollowUps,
    Ledger,
    PlannedSearch,
    QuotaBudget,
    RedisLedger,
    first_page_budget,
    hit_keys,
    key_fingerprint,
    paced_limit,
    parse_budget,
    plan_searches,
)

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["QuotaConfig", "QuotaMiddleware", "plan_start_requests", "platform_of", "search_of"]

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
_SPIDER_REPORTS = frozenset({"google_cse", "brave"})
# meta keys; their value is the URL of the request they mark: a next page copying its
# response's meta (Tumblr's search cursor) is not marked
_PLANNED = "lurewatch_quota_planned"  # a first page the planner kept
_COUNTED = "lurewatch_quota_counted"  # that first page has reached the middleware
_RELEASED = "lurewatch_quota_released"  # a held-back follow-up, now let through
_MIDDLEWARES: weakref.WeakKeyDictionary[Crawler, QuotaMiddleware] = weakref.WeakKeyDictionary()


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
    pace: float = 0.0  # seconds between runs (`lurewatch watch`'s interval): 0, not paced

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
            pace=read_float(settings, "LUREWATCH_QUOTA_PACE", minimum=0, maximum=86400),
        )

    def paced(self, ledger: Ledger, platform: str) -> int | None:
        """What this run may spend of ``platform``'s long windows (:func:`paced_limit`)."""
        budget = self.budgets[platform]
        if budget.per_host or not self.pace:
            return None
        now = time.time()
        return paced_limit(budget, ledger.used(budget, self.scopes[platform], now), self.pace, now)


def open_ledger(config: QuotaConfig) -> Ledger:
    """The Redis ledger in distributed mode, else the file ledger under the data folder."""
    if config.redis_url:
        import redis

        return RedisLedger(redis.Redis.from_url(config.redis_url), prefix=config.redis_prefix)
    return FileLedger(config.ledger_path)


def _title_of(request: Request) -> object:
    return request.meta.get("lurewatch_title") or request.cb_kwargs.get("title")


def _release(request: Request) -> date | None:
    year = getattr(_title_of(request), "year", None)
    return date(year, 7, 1) if isinstance(year, int) and 1 <= year <= 9999 else None


def _title_name(request: Request) -> str:
    name = getattr(_title_of(request), "title", "")
    return name if isinstance(name, str) else ""


def search_of(request: Request) -> str:
    """The search a request belongs to: ``meta["lurewatch_search"]``, else the ``query`` of its
    callback (Blogger's discovery), else its URL without the query string (no key in it)."""
    search = request.meta.get("lurewatch_search") or request.cb_kwargs.get("query")
    if isinstance(search, str) and search:
        return search
    parts = urlsplit(request.url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _page_of(request: Request) -> int:
    page = request.meta.get("lurewatch_page") or request.cb_kwargs.get("page") or 1
    return page if isinstance(page, int) else 1


def _kind_of(request: Request) -> int:
    """0: blog expansion or a cross-linked post (``crawler.spiders._base.EXPANSION_META`` /
    ``CROSS_POST_META``: a hit led there); 1: a blog listing; 2: a later page of a search."""
    if request.meta.get("lurewatch_expansion") or request.meta.get("lurewatch_cross_post"):
        return 0
    return 1 if request.meta.get("lurewatch_endpoint") == "blog" else 2


def plan_start_requests(crawler: Crawler, requests: Sequence[Request]) -> list[Request]:
    """The first requests of a crawl in order of value, cut at each API's quota left.

    For every platform whose budget has a window longer than ``LUREWATCH_QUOTA_MAX_WAIT`` (the
    hourly and daily API quotas), :func:`pipelines.quota.plan_searches` orders its requests
    (searches skipped by the last run first, then recent hits, then titles closest to release)
    and keeps as many as the ledger has room for; the rest are logged, counted
    (``lurewatch/quota/<platform>/planned_skipped``) and remembered for the next run. Priorities
    are set so the scheduler keeps the order.
    """
    config = QuotaConfig.from_settings(crawler.settings)
    if not config.enabled:
        return list(requests)
    ledger = open_ledger(config)
    today = datetime.now(UTC).date()
    spider_platform = str(getattr(crawler.spider, "platform", "") or "")
    middleware = _MIDDLEWARES.get(crawler)
    by_platform: dict[str | None, list[Request]] = {}
    for request in requests:
        platform = platform_of(request.url, config.searxng_host)
        budget = config.budgets.get(platform) if platform else None
        planned = (
            budget is not None
            and not budget.per_host
            and any(w.seconds > config.max_wait for w in budget.windows)
        )
        by_platform.setdefault(platform if planned else None, []).append(request)
    kept: list[Request] = list(by_platform.pop(None, []))
    for platform, group in by_platform.items():
        assert platform is not None
        budget = config.budgets[platform]
        used = ledger.used(budget, config.scopes[platform])
        left = min(w.limit - used.get(w.label, 0) for w in budget.windows)
        paced = middleware.allowance(platform) if middleware is not None else None
        left = left if paced is None else min(left, paced)
        searches = [PlannedSearch(search_of(r), _release(r), _title_name(r)) for r in group]
        index = {id(search): request for search, request in zip(searches, group, strict=True)}
        hits = ledger.recent_hits(platform)
        if spider_platform and spider_platform != platform:
            hits = {**ledger.recent_hits(spider_platform), **hits}
        run, skipped = plan_searches(
            searches,
            budget=first_page_budget(left, len(searches)),
            today=today,
            recent_hits=hits,
            skipped_before=ledger.skipped(platform),
        )
        for rank, search in enumerate(run):
            request = index[id(search)]
            meta = {**request.meta, _PLANNED: request.url}
            kept.append(request.replace(priority=request.priority + len(run) - rank, meta=meta))
        if middleware is not None:
            middleware.expect_first_pages(platform, run, short=bool(skipped))
        if skipped:
            ledger.record_skipped(platform, [s.query for s in skipped])
            assert crawler.stats is not None
            crawler.stats.inc_value(f"lurewatch/quota/{platform}/planned_skipped", len(skipped))
            logger.warning(
                "Quota of %s: %d requests left, %d searches skipped for the next run: %s%s",
                platform,
                max(0, left),
                len(skipped),
                ", ".join(repr(s.query) for s in skipped[:5]),
                " ..." if len(skipped) > 5 else "",
            )
    return kept


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
        self._carried: dict[str, set[str]] = {}  # platform -> searches skipped by earlier runs
        self._probes: dict[str, asyncio.Future[None]] = {}  # keyed API -> its first request
        self._verified: set[str] = set()
        self.first_pending: dict[str, int] = {}  # platform -> planned first pages not yet sent
        self.title_ranks: dict[str, dict[str, int]] = {}  # platform -> title -> planner's rank
        self.followups: dict[str, FollowUps] = {}  # platform -> follow-ups held back
        self.short: set[str] = set()  # platforms whose plan was cut: follow-ups go by value
        self._hits_recorded: set[tuple[str, str]] = set()
        self._allowance: dict[str, int | None] = {}  # platform -> this run's paced share
        self._spent: dict[str, int] = {}  # platform -> requests this run counted

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuotaMiddleware:
        config = QuotaConfig.from_settings(crawler.settings)
        middleware = cls(crawler, config, open_ledger(config))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.item_scraped, signal=signals.item_scraped)
        _MIDDLEWARES[crawler] = middleware
        return middleware

    def expect_first_pages(
        self, platform: str, run: Sequence[PlannedSearch], short: bool = False
    ) -> None:
        """The planner kept ``run`` (in order) for ``platform``: owe them the quota first.
        ``short``: the budget did not cover every first page; every follow-up then waits for
        the crawl to be idle and goes by value."""
        self.first_pending[platform] = self.first_pending.get(platform, 0) + len(run)
        if short:
            self.short.add(platform)
        ranks = self.title_ranks.setdefault(platform, {})
        for rank, search in enumerate(run):
            ranks.setdefault(search.title or search.query, rank)
        self.followups.setdefault(platform, FollowUps())

    def allowance(self, platform: str) -> int | None:
        """This run's paced share of ``platform``'s quota, fixed at its first use
        (``LUREWATCH_QUOTA_PACE``; ``None``: not paced)."""
        if platform not in self._allowance:
            self._allowance[platform] = (
                self.config.paced(self.ledger, platform) if self.config.enabled else None
            )
            if self._allowance[platform] is not None:
                assert self.crawler.stats is not None
                self.crawler.stats.set_value(
                    f"lurewatch/quota/{platform}/paced_share", self._allowance[platform]
                )
        return self._allowance[platform]

    def _left(self, platform: str) -> int:
        budget = self.config.budgets[platform]
        used = self.ledger.used(budget, self.config.scopes[platform])
        left = min((w.limit - used.get(w.label, 0) for w in budget.windows), default=1 << 30)
        paced = self.allowance(platform)
        return left if paced is None else min(left, paced - self._spent.get(platform, 0))

    def _hold_back(self, platform: str, request: Request) -> bool:
        """True if ``request``, a follow-up, must wait: the quota left is owed to first pages."""
        if request.meta.get(_PLANNED) == request.url:
            if request.meta.get(_COUNTED) != request.url:  # a retry reaches here again
                request.meta[_COUNTED] = request.url
                self.first_pending[platform] -= 1
            return False
        pending = self.first_pending.get(platform, 0)
        if request.meta.get(_RELEASED) == request.url or platform in self.disabled:
            return False
        if platform not in self.short and (pending <= 0 or self._left(platform) > pending):
            return False
        ranks = self.title_ranks.get(platform, {})
        rank = ranks.get(_title_name(request), ranks.get(search_of(request), len(ranks)))
        page = _page_of(request)
        self.followups[platform].push(request, page=page, title_rank=rank, kind=_kind_of(request))
        self._inc(platform, "deferred")
        return True

    def spider_idle(self, spider: Spider | None = None) -> None:
        """Send the held-back follow-ups, most valuable first, as far as the quota left goes;
        remember the rest as skipped."""
        released = 0
        for platform, queue in self.followups.items():
            if not len(queue):
                continue
            left = 0 if platform in self.disabled else max(0, self._left(platform))
            assert self.crawler.engine is not None
            # what these lead to (expansion of a blog with a hit ...) waits for the next idle
            for request in queue.pop(left):
                meta = {**request.meta, _RELEASED: request.url}
                self.crawler.engine.crawl(request.replace(dont_filter=True, meta=meta))
                released += 1
            rest = queue.pop(len(queue)) if left <= 0 else []
            if rest:
                self._inc(platform, "followups_skipped", len(rest))
                self.ledger.record_skipped(platform, [search_of(r) for r in rest])
                logger.warning(
                    "Quota of %s spent: %d later pages and listings skipped, their searches "
                    "run first next time: %s%s",
                    platform,
                    len(rest),
                    ", ".join(sorted({repr(search_of(r)) for r in rest})[:5]),
                    " ..." if len(rest) > 5 else "",
                )
        if released:
            raise DontCloseSpider

    def item_scraped(self, item: object, spider: Spider | None = None) -> None:
        """Record a hit's search and title in the ledger: the next run's planner puts them
        first."""
        if not self.config.enabled:
            return
        adapter = ItemAdapter(item)
        if not adapter.get("fake_stream") and adapter.get("verdict", "benign") == "benign":
            return
        platform = str(adapter.get("platform") or getattr(spider, "platform", "") or "")
        for key in hit_keys(adapter.get("search"), adapter.get("matched_title")):
            if platform and (platform, key) not in self._hits_recorded:
                self._hits_recorded.add((platform, key))
                self.ledger.record_hits(platform, key, 1)

    def _scope(self, platform: str, request: Request) -> str:
        budget = self.config.budgets[platform]
        if budget.per_host:
            return (urlsplit(request.url).hostname or "").lower()
        return self.config.scopes[platform]

    def _inc(self, platform: str, name: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"lurewatch/quota/{platform}/{name}", count)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        platform = platform_of(request.url, self.config.searxng_host)
        if platform is None:
            return
        if self.config.enabled and self._hold_back(platform, request):
            raise IgnoreRequest(f"{platform} follow-up held back for the planned first pages")
        if platform in API_PLATFORMS:
            await self._probe_key(platform, request)
        if platform in self.disabled:
            self._inc(platform, "disabled_skipped")
            raise IgnoreRequest(f"{platform} API disabled after HTTP {self.disabled[platform]}")
        if not self.config.enabled:
            return
        budget = self.config.budgets[platform]
        self.seen.add(platform)
        if not budget.windows:
            self._inc(platform, "requests")
            return
        scope = self._scope(platform, request)
        self._scopes_seen.setdefault(platform, set()).add(scope)
        paced = self.allowance(platform)  # None for per-host budgets
        if paced is not None and self._spent.get(platform, 0) >= paced:
            self._skip(platform, request, paced=paced)
        waited = 0.0
        while True:
            wait = self.ledger.try_spend(budget, scope)
            if wait <= 0:
                self._inc(platform, "requests")
                self._spent[platform] = self._spent.get(platform, 0) + 1
                self._ran(platform, request)
                return
            # concurrent requests wake together and one wins each window: keep waiting while
            # the total stays within LUREWATCH_QUOTA_MAX_WAIT
            if waited + wait > self.config.max_wait:
                break
            self._inc(platform, "waited")
            await asyncio.sleep(wait)
            waited += wait
        self._skip(platform, request)

    async def _probe_key(self, platform: str, request: Request) -> None:
        """The first request of a keyed API goes alone; the others wait for its answer, so a
        revoked key costs one refused request, not one per request in flight."""
        if platform in self._verified:
            return
        probe = self._probes.get(platform)
        if probe is None:
            self._probes[platform] = asyncio.get_running_loop().create_future()
            request.meta["lurewatch_quota_probe"] = platform
            return
        await asyncio.shield(probe)

    def _probe_done(self, request: Request) -> None:
        platform = request.meta.pop("lurewatch_quota_probe", None)
        if platform is None:
            return
        self._verified.add(platform)
        probe = self._probes.get(platform)
        if probe is not None and not probe.done():
            probe.set_result(None)

    def process_exception(
        self, request: Request, exception: BaseException, spider: Spider | None = None
    ) -> None:
        self._probe_done(request)  # a failed probe (timeout ...) lets the others try

    def _ran(self, platform: str, request: Request) -> None:
        """A search skipped by an earlier run has now been sent: forget it in the ledger."""
        if platform not in self._carried:
            self._carried[platform] = set(self.ledger.skipped(platform))
        search = search_of(request)
        if search in self._carried[platform]:
            self._carried[platform].discard(search)
            self.ledger.clear_skipped(platform, [search])

    def _skip(self, platform: str, request: Request, paced: int | None = None) -> None:
        """Skip ``request``: ``platform``'s quota is spent, or this run's ``paced`` share."""
        self._inc(platform, "skipped" if paced is None else "paced_skipped")
        self.ledger.record_skipped(platform, [search_of(request)])
        what = "spent" if paced is None else "paced"
        if platform in self._warned_skip:
            logger.info("Quota of %s %s: skipped %s", platform, what, request.url)
        elif paced is None:
            logger.warning(
                "Quota of %s spent (%s): skipping its requests for this run, first %s",
                platform,
                ",".join(w.label for w in self.config.budgets[platform].windows),
                request.url,
            )
        else:
            logger.warning(
                "Quota of %s paced: this run's share (%d requests: what is left of its longer "
                "windows, spread over the runs every %g s still to come in them) is spent; "
                "skipping its requests for this run, first %s",
                platform,
                paced,
                self.config.pace,
                request.url,
            )
        self._warned_skip.add(platform)
        raise IgnoreRequest(f"{platform} quota {what}")

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        platform = platform_of(request.url, self.config.searxng_host)
        if response.status not in (401, 403):
            self._probe_done(request)
            return response
        if platform in API_PLATFORMS and platform not in self.disabled:
            self.disabled[platform] = response.status
            self._inc(platform, "disabled")
            _, key_setting, _ = PLATFORMS[platform]
            # the blogger spider reports its discovery backends' refusals itself (one ERROR)
            report = logger.info if platform in _SPIDER_REPORTS else logger.error
            report(
                "HTTP %d from the %s API: %s is missing, wrong or revoked; the %s API is off "
                "for the rest of this run",
                response.status,
                platform,
                key_setting,
                platform,
            )
        self._probe_done(request)
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
            planned = stats.get_value(f"lurewatch/quota/{platform}/planned_skipped", 0)
            followups = stats.get_value(f"lurewatch/quota/{platform}/followups_skipped", 0)
            logger.info(
                "Quota %s: %d requests, %d skipped, %d searches left for the next run by the "
                "plan, %d follow-ups left%s",
                platform,
                requests,
                skipped,
                planned,
                followups,
                ("; " + "; ".join(parts)) if parts else "",
            )
