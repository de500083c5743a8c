"""The planner over first pages and follow-ups: a short budget covers every title once before
any title twice, follow-ups wait for the planned first pages, hits found are recorded for the
next run's order."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.statscollectors import MemoryStatsCollector

from crawler.middlewares.quota import QuotaMiddleware, plan_start_requests
from pipelines.items import Hit
from pipelines.quota import (
    FileLedger,
    FollowUps,
    PlannedSearch,
    first_page_budget,
    key_fingerprint,
    paced_limit,
    parse_budget,
    plan_searches,
)
from pipelines.watchlists import Title
from tests._settings import lurewatch_crawler

TODAY = date(2026, 12, 2)
API = "https://api.tumblr.com/v2/tagged"


def test_a_short_budget_covers_every_title_before_a_second_phrasing() -> None:
    near = [PlannedSearch(f"near {n}", date(2026, 11, 20), "Near") for n in range(3)]
    far = [PlannedSearch(f"far {n}", date(2001, 1, 1), "Far") for n in range(2)]
    run, skipped = plan_searches(far + near, budget=3, today=TODAY)
    assert [s.query for s in run] == ["near 0", "far 0", "near 1"]
    assert [s.query for s in skipped] == ["far 1", "near 2"]


def test_a_title_with_a_recent_hit_leads_its_round() -> None:
    searches = [
        PlannedSearch("near", date(2026, 12, 1), "Near"),
        PlannedSearch("old", date(1990, 1, 1), "Old"),
    ]
    run, _ = plan_searches(searches, budget=1, today=TODAY, recent_hits={"title:Old": 1.0})
    assert [s.query for s in run] == ["old"]


def test_follow_ups_come_out_lower_page_first_then_by_the_title_rank() -> None:
    queue = FollowUps()
    queue.push("b-page3", page=3, title_rank=0)
    queue.push("c-page2", page=2, title_rank=5)
    queue.push("a-page2", page=2, title_rank=1)
    assert queue.pop(2) == ["a-page2", "c-page2"]
    assert len(queue) == 1 and queue.pop(5) == ["b-page3"]


def test_a_short_budget_keeps_a_share_for_what_hits_lead_to() -> None:
    assert first_page_budget(100, 90) == 100  # every first page fits: nothing is held back
    assert first_page_budget(64, 180) == 44  # 30% kept for expansion and later pages
    assert first_page_budget(1, 5) == 1 and first_page_budget(0, 5) == 0


def test_expansion_of_a_blog_with_a_hit_comes_before_later_pages() -> None:
    queue = FollowUps()
    queue.push("page2", page=2, title_rank=0, kind=2)
    queue.push("listing", page=1, title_rank=3, kind=1)
    queue.push("expansion", page=1, title_rank=9, kind=0)
    assert queue.pop(3) == ["expansion", "listing", "page2"]


class _Engine:
    def __init__(self) -> None:
        self.crawled: list[Request] = []

    def crawl(self, request: Request) -> None:
        self.crawled.append(request)


def _crawler(tmp_path: Path, quota: str, extra: dict[str, Any] | None = None) -> Crawler:
    crawler = lurewatch_crawler(
        Spider,
        {
            "LUREWATCH_DATA_DIR": str(tmp_path),
            "LUREWATCH_QUOTA_ENABLED": True,
            "LUREWATCH_QUOTA_TUMBLR": quota,
            "TUMBLR_API_KEY": "test-key",
            **(extra or {}),
        },
    )
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.engine = _Engine()  # type: ignore[assignment]
    return crawler


def _first(tag: str, title: str) -> Request:
    meta = {"lurewatch_search": tag, "lurewatch_title": Title(title=title, year=2026)}
    return Request(f"{API}?tag={tag.replace(' ', '+')}", meta=meta)


def _follow_up(tag: str, title: str, page: int) -> Request:
    request = _first(tag, title)
    return request.replace(
        url=f"{request.url}&before={page}", meta={**request.meta, "lurewatch_page": page}
    )


async def _send(middleware: QuotaMiddleware, request: Request) -> bool:
    """True if the request went out (the middleware let it through and it got its answer)."""
    try:
        await middleware.process_request(request)
    except IgnoreRequest:
        return False
    middleware._probe_done(request)
    return True


def test_follow_ups_wait_for_the_planned_first_pages_then_take_what_is_left(
    tmp_path: Path,
) -> None:
    crawler = _crawler(tmp_path, "4/d")
    middleware = QuotaMiddleware.from_crawler(crawler)
    firsts = [_first("dune", "Dune"), _first("alien", "Alien"), _first("dune movie", "Dune")]
    planned = plan_start_requests(crawler, firsts)
    assert len(planned) == 3  # 4 a day: every first page, one request to spare

    async def scenario() -> list[bool]:
        sent = [await _send(middleware, planned[0])]
        # one to spare beyond the 2 first pages still owed: the first follow-up goes, the next
        # two wait
        sent += [await _send(middleware, _follow_up("dune", "Dune", 2))]
        sent += [await _send(middleware, _follow_up("alien", "Alien", 3))]
        sent += [await _send(middleware, _follow_up("alien", "Alien", 2))]
        sent += [await _send(middleware, request) for request in planned[1:]]
        return sent

    assert asyncio.run(scenario()) == [True, True, False, False, True, True]
    assert crawler.stats.get_value("lurewatch/quota/tumblr/deferred") == 2
    middleware.spider_idle(crawler.spider)  # the day's 4 are spent: both are remembered
    assert crawler.engine.crawled == []  # type: ignore[attr-defined]
    assert crawler.stats.get_value("lurewatch/quota/tumblr/followups_skipped") == 2
    assert FileLedger(tmp_path / "quota" / "ledger.json").skipped("tumblr") == ["alien"]


def test_held_back_follow_ups_go_out_at_idle_while_quota_is_left(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path, "3/d")
    middleware = QuotaMiddleware.from_crawler(crawler)
    planned = plan_start_requests(crawler, [_first("dune", "Dune"), _first("alien", "Alien")])

    async def scenario() -> list[bool]:
        sent = [await _send(middleware, planned[0])]
        sent += [await _send(middleware, _follow_up("alien", "Alien", 3))]
        sent += [await _send(middleware, _follow_up("dune", "Dune", 2))]
        # the second first page never reaches the downloader (robots.txt, offsite ...)
        return sent

    assert asyncio.run(scenario()) == [True, True, False]
    with pytest.raises(DontCloseSpider):
        middleware.spider_idle(crawler.spider)
    released: list[Any] = crawler.engine.crawled  # type: ignore[attr-defined]
    assert [r.meta["lurewatch_page"] for r in released] == [2]
    assert released[0].dont_filter  # the dupefilter saw it once already
    assert asyncio.run(_send(middleware, released[0]))


def test_a_hit_records_its_search_and_title_for_the_next_plan(tmp_path: Path) -> None:
    crawler = _crawler(tmp_path, "1/d")
    middleware = QuotaMiddleware.from_crawler(crawler)
    found = Hit(
        url="https://x.tumblr.com/post/1", platform="tumblr", search="alien", fake_stream=True
    )
    found.matched_title = "Alien"
    benign = Hit(url="https://y.tumblr.com/post/2", platform="tumblr", search="dune")
    middleware.item_scraped(found, crawler.spider)
    middleware.item_scraped(benign, crawler.spider)
    hits = FileLedger(tmp_path / "quota" / "ledger.json").recent_hits("tumblr")
    assert set(hits) == {"alien", "title:Alien"}
    # the next run's single request goes to the title that found a hit
    planned = plan_start_requests(crawler, [_first("dune", "Dune"), _first("alien 2", "Alien")])
    assert [r.meta["lurewatch_search"] for r in planned] == ["alien 2"]


def test_under_a_cut_plan_every_follow_up_waits_for_idle_and_goes_by_value(
    tmp_path: Path,
) -> None:
    crawler = _crawler(tmp_path, "4/d")
    middleware = QuotaMiddleware.from_crawler(crawler)
    firsts = [_first(f"tag {n}", f"Title {n}") for n in range(6)]
    planned = plan_start_requests(crawler, firsts)
    assert len(planned) == 2  # 4 left for 6 first pages: 30% kept for follow-ups
    later = _follow_up("tag 0", "Title 0", 2)
    expansion = _first("blog:spam.tumblr.com", "Title 1")
    expansion.meta["lurewatch_expansion"] = "spam.tumblr.com"
    next_page = planned[0].replace(
        url=planned[0].url + "&page=2", meta={**planned[0].meta, "lurewatch_page": 2}
    )

    async def scenario() -> list[bool]:
        sent = [await _send(middleware, request) for request in planned]
        # a next page copying its first page's meta is a follow-up, not a planned page
        for request in (later, expansion, next_page):
            sent.append(await _send(middleware, request))
        return sent

    assert asyncio.run(scenario()) == [True, True, False, False, False]
    with pytest.raises(DontCloseSpider):
        middleware.spider_idle(crawler.spider)
    released: list[Any] = crawler.engine.crawled  # type: ignore[attr-defined]
    assert released[0].meta.get("lurewatch_expansion") == "spam.tumblr.com"
    assert len(released) == 2  # the quota left


def test_a_paced_share_spreads_what_a_day_has_left_over_the_runs_still_to_come() -> None:
    budget = parse_budget("tumblr", "1000/h,5000/d", setting="LUREWATCH_QUOTA_TUMBLR")
    noon = datetime(2026, 12, 3, 12, tzinfo=UTC).timestamp()
    # 3,000 left today, 144 five-minute runs to come: 21 each; the hour's 1,000 over 12: 84
    assert paced_limit(budget, {"1d": 2000, "1h": 0}, 300, noon) == 21
    assert paced_limit(budget, {"1d": 0, "1h": 990}, 300, noon) == 1  # ceil(10 / 12)
    # the last run of the day may spend what is left
    assert paced_limit(budget, {"1d": 4900}, 300, noon + 43200 - 60) == 100
    assert paced_limit(budget, {"1d": 5000}, 300, noon) == 0
    assert paced_limit(budget, {}, 0, noon) is None  # not paced
    brave = parse_budget("brave", "1/s", setting="LUREWATCH_QUOTA_BRAVE")
    assert paced_limit(brave, {}, 300, noon) is None  # windows shorter than a run: the ledger's


def _paced_run(crawler: Crawler, titles: int) -> int:
    """One run: its first pages, a follow-up each, then what the idle spider releases; the
    number of requests that went out."""
    middleware = QuotaMiddleware.from_crawler(crawler)
    firsts = [_first(f"film {n}", f"Film {n}") for n in range(titles)]
    requests = plan_start_requests(crawler, firsts)
    requests += [_follow_up(f"film {n}", f"Film {n}", 2) for n in range(titles)]

    async def sent(batch: list[Request]) -> int:
        return sum([await _send(middleware, request) for request in batch])

    total = asyncio.run(sent(requests))
    with contextlib.suppress(DontCloseSpider):  # held-back follow-ups go as the share allows
        middleware.spider_idle(crawler.spider)
    return total + asyncio.run(sent(crawler.engine.crawled))  # type: ignore[attr-defined]


def test_a_paced_run_spends_only_its_share_and_the_next_run_gets_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    noon = datetime(2026, 12, 3, 12, tzinfo=UTC).timestamp()
    sent_by_run = []
    for hour in (0, 1):
        monkeypatch.setattr(time, "time", lambda hour=hour: noon + 3600 * hour)
        crawler = _crawler(tmp_path, "120/d", {"LUREWATCH_QUOTA_PACE": 3600})
        sent_by_run.append(_paced_run(crawler, titles=30))
        assert crawler.stats is not None
        assert crawler.stats.get_value("lurewatch/quota/tumblr/paced_share") == 10
    # 120 left over the 12 runs every hour still to come today, then 110 over 11: 10 each
    assert sent_by_run == [10, 10]
    used = FileLedger(tmp_path / "quota" / "ledger.json").used(
        parse_budget("tumblr", "120/d", setting="LUREWATCH_QUOTA_TUMBLR"),
        key_fingerprint("test-key"),
        noon + 3600,
    )
    assert sum(used.values()) == 20
    # not paced: the first run takes what the day's quota allows
    monkeypatch.setattr(time, "time", lambda: noon)
    assert _paced_run(_crawler(tmp_path / "unpaced", "120/d"), titles=30) == 60
