"""``takedowns recheck``: select reported hits, re-fetch them through Scrapy, record the verdicts.

The fetches are a Scrapy crawl of :class:`RecheckSpider`, so offline routing
(:mod:`crawler.offline`), the SSRF guard and rate limits apply as in any crawl; every request has
``dont_filter`` (the crawl's de-duplication would drop a post already seen), 404/410 answers
reach the spider, and a DNS failure becomes an ``nxdomain`` observation. No item pipeline runs:
the observations go back to :func:`run_recheck`, which judges them
(:func:`pipelines.takedowns.recheck.judge`) and updates the index.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.exceptions import CannotResolveHostError
from scrapy.http import Response
from scrapy.settings import BaseSettings
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawler.commands._takedowns import http_client, takedown_config, world_clock
from crawler.commands._watchlists import detection_watchlists
from crawler.exitcodes import ExitCode
from pipelines.es.client import make_client
from pipelines.es.config import EsConfig
from pipelines.takedowns.recheck import (
    TTR_DEFINITION,
    Observation,
    format_seconds,
    judge,
    recheck_update,
    time_to_removal,
)
from pipelines.takedowns.store import EsHitStore, StoredHit, recheck_query

__all__ = ["RecheckSpider", "run_recheck"]

logger = logging.getLogger(__name__)

_MAX_BODY = 2 * 1024 * 1024
_GONE_STATUSES = [404, 410, 403, 451, 500, 502, 503]


class RecheckSpider(Spider):
    """Fetches each target once per user agent; yields one observation dict per fetch."""

    name = "lurewatch-recheck"
    custom_settings = {  # noqa: RUF012 - Scrapy's own attribute
        "ITEM_PIPELINES": {},  # observations are no hits: no detection, no indexing
        "DOWNLOAD_MAXSIZE": _MAX_BODY,
        "RETRY_TIMES": 1,
    }

    def __init__(self, targets: list[str], agents: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = targets
        self.agents = agents

    async def start(self) -> AsyncIterator[Request]:
        for url in self.targets:
            for agent_no, agent in enumerate(self.agents):
                yield Request(
                    url,
                    headers={"User-Agent": agent},
                    dont_filter=True,
                    callback=self.parse,
                    errback=self.failed,
                    cb_kwargs={"target": url, "agent": agent_no},
                    meta={"handle_httpstatus_list": _GONE_STATUSES, "lurewatch_recheck": True},
                )

    def parse(self, response: Response, target: str, agent: int) -> dict[str, Any]:
        body = response.text if hasattr(response, "text") else ""
        return {"target": target, "agent": agent, "status": response.status, "body": body}

    def failed(self, failure: Failure) -> dict[str, Any]:
        request = failure.request  # type: ignore[attr-defined]
        value = failure.value
        error = (
            "nxdomain"
            if isinstance(value, DNSLookupError | CannotResolveHostError)
            else ("timeout" if isinstance(value, TimeoutError) else type(value).__name__)
        )
        return {**request.cb_kwargs, "status": 0, "body": "", "error": error}


def _crawl(settings: BaseSettings, targets: list[str], agents: list[str]) -> list[Observation]:
    """Run the recheck crawl in this process; return its observations."""
    found: list[Observation] = []

    def collect(item: dict[str, Any]) -> None:
        found.append(
            Observation(
                url=str(item["target"]),
                agent=int(item["agent"]),
                status=int(item.get("status") or 0),
                body=str(item.get("body") or ""),
                error=str(item.get("error") or ""),
            )
        )

    process = AsyncCrawlerProcess(settings)  # type: ignore[arg-type]  # any BaseSettings works
    crawler = process.create_crawler(RecheckSpider)
    crawler.signals.connect(collect, signal=signals.item_scraped)
    process.crawl(crawler, targets=targets, agents=agents)
    process.start()
    return found


async def _select(es: EsConfig, settings: BaseSettings) -> tuple[list[StoredHit], Any]:
    config = takedown_config(settings)
    client = make_client(es)
    http = http_client(settings, config.rdap_timeout)
    try:
        now = await world_clock(settings, http)
        hits = await EsHitStore(client, es.index).search(recheck_query(now() - config.older_than))
    finally:
        await http.aclose()
        await client.close()
    return hits, now()


async def _record(
    es: EsConfig, settings: BaseSettings, hits: list[StoredHit], found: list[Observation]
) -> tuple[int, int, list[dict[str, Any]]]:
    wl = detection_watchlists(settings)
    by_url: dict[str, list[Observation]] = defaultdict(list)
    for obs in found:
        by_url[obs.url].append(obs)
    client = make_client(es)
    http = http_client(settings, takedown_config(settings).rdap_timeout)
    removed = conflicts = 0
    try:
        now = (await world_clock(settings, http))()
        store = EsHitStore(client, es.index)
        for hit in hits:
            verdict = judge(hit.source, by_url.get(str(hit.get("url")), []), wl)
            if not await store.update(hit, recheck_update(hit, verdict, now)):
                conflicts += 1
            elif verdict.removed:
                removed += 1
        done = await store.search({"terms": {"status": ["reported", "removed"]}})
    finally:
        await http.aclose()
        await client.close()
    return removed, conflicts, [hit.source for hit in done]


def _print_figures(hits: list[dict[str, Any]]) -> None:
    for by in ("platform", "channel"):
        sys.stdout.write(f"time to removal by {by}:\n")
        for fig in time_to_removal(hits, by):
            sys.stdout.write(
                f"  {fig.group}: {fig.removed} removed, {fig.still_reported} still reported; "
                f"median {format_seconds(fig.median_seconds)}, "
                f"p90 {format_seconds(fig.p90_seconds)}\n"
            )
    sys.stdout.write(f"({TTR_DEFINITION})\n")


def run_recheck(settings: BaseSettings, es: EsConfig) -> ExitCode:
    """``takedowns recheck``: the whole run; returns the exit status."""
    config = takedown_config(settings)
    detection_watchlists(settings)  # a broken watchlist fails before any fetch
    hits, _ = asyncio.run(_select(es, settings))
    targets = list(dict.fromkeys(str(hit.get("url")) for hit in hits))
    found = _crawl(settings, targets, list(config.user_agents)) if targets else []
    removed, conflicts, done = asyncio.run(_record(es, settings, hits, found))
    sys.stdout.write(
        f"rechecked {len(hits)} reported hits ({len(found)} fetches): {removed} removed, "
        f"{len(hits) - removed - conflicts} still up or unsure, {conflicts} changed meanwhile\n"
    )
    _print_figures(done)
    return ExitCode.OK if not conflicts else ExitCode.FAILED
