"""``DetectionPipeline``: the thin Scrapy adapter over :mod:`pipelines.scoring`.

Each landing page of a :class:`~pipelines.items.Hit` is assessed, then the post itself (with what
its landings revealed); the detection fields are set on the item, benign posts are dropped unless
``LUREWATCH_KEEP_BENIGN``, and every outcome is counted under ``lurewatch/detection/...``.

Judging runs in a worker thread (``asyncio.to_thread``), never on the reactor: downloads go on
while a page is judged. Each page (post or landing) gets ``LUREWATCH_JUDGE_BUDGET`` seconds,
checked between the stages of judging (:class:`~pipelines.budget.Budget`); a page over budget is
judged on the stages done, says so in its reasons and counts as ``over_budget``.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import DropItem

from pipelines.budget import Budget
from pipelines.candidates import add_candidate
from pipelines.config import SettingsLike, read_bool, read_positive, read_str
from pipelines.items import DETECTION_FIELDS, Hit
from pipelines.scoring import Assessment, assess_page, assess_post
from pipelines.watchlists import Watchlists, load_watchlists, watchlist_maxsize

__all__ = ["DetectionConfig", "DetectionPipeline"]

logger = logging.getLogger(__name__)

_STAT = "lurewatch/detection"
_MAX_JUDGE_BUDGET = 300.0  # seconds per page: more would let one page hold a worker for long


@dataclass(frozen=True)
class DetectionConfig:
    """The watchlist files (``None``: the shipped ones) and whether benign posts are kept."""

    titles: str | None
    templates: str | None
    lures: str | None
    thresholds: str | None
    brands: str | None
    max_bytes: int  # per watchlist file
    keep_benign: bool
    judge_budget: float  # seconds per page

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> DetectionConfig:
        """Read ``LUREWATCH_TITLES`` ... ``LUREWATCH_THRESHOLDS``, ``LUREWATCH_WATCHLIST_MAXSIZE``
        and ``LUREWATCH_KEEP_BENIGN``."""
        return cls(
            titles=read_str(settings, "LUREWATCH_TITLES") or None,
            templates=read_str(settings, "LUREWATCH_TEMPLATES") or None,
            lures=read_str(settings, "LUREWATCH_LURES") or None,
            thresholds=read_str(settings, "LUREWATCH_THRESHOLDS") or None,
            brands=read_str(settings, "LUREWATCH_BRANDS") or None,
            max_bytes=watchlist_maxsize(settings),
            keep_benign=read_bool(settings, "LUREWATCH_KEEP_BENIGN"),
            judge_budget=read_positive(
                settings, "LUREWATCH_JUDGE_BUDGET", maximum=_MAX_JUDGE_BUDGET
            ),
        )

    def load_watchlists(self) -> Watchlists:
        """Load and validate the watchlists (``WatchlistError`` names the broken file and line)."""
        return load_watchlists(
            titles=self.titles,
            templates=self.templates,
            lures=self.lures,
            thresholds=self.thresholds,
            max_bytes=self.max_bytes,
            brands=self.brands,
        )


class DetectionPipeline:
    """Judge each post and its landing pages; drop the benign ones (unless kept)."""

    def __init__(
        self,
        watchlists: Watchlists,
        keep_benign: bool = False,
        crawler: Any = None,
        judge_budget: float = math.inf,
    ) -> None:
        self.watchlists = watchlists
        self.keep_benign = keep_benign
        self.crawler = crawler
        self.judge_budget = judge_budget

    @classmethod
    def from_crawler(cls, crawler: Any) -> DetectionPipeline:
        """Load the watchlists now, so a broken file fails the crawl before its first request."""
        config = DetectionConfig.from_settings(crawler.settings)
        watchlists = config.load_watchlists()
        logger.info(
            "detection: %d watched titles, %d templates, %.1f s per page",
            len(watchlists.titles),
            len(watchlists.templates.templates),
            config.judge_budget,
        )
        return cls(watchlists, config.keep_benign, crawler, config.judge_budget)

    def _inc(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{_STAT}/{key}")

    def _judge(self, item: Hit) -> tuple[Assessment, list[str]]:
        """The post's assessment and the outcomes to count (run in a worker thread)."""
        outcomes: list[str] = []
        landings: list[tuple[str, Assessment]] = []
        budgets: list[Budget] = []
        for page in item.landing_pages:
            if page.error or not page.html:
                outcomes.append("landing/unusable")
                continue
            budgets.append(Budget(self.judge_budget))
            url = page.final_url or page.url
            assessment = assess_page(page.html, url, self.watchlists, budget=budgets[-1])
            outcomes.append(f"landing/{assessment.verdict}")
            landings.append((page.url, assessment))
        budgets.append(Budget(self.judge_budget))
        result = assess_post(item, self.watchlists, landings, budget=budgets[-1])
        result = add_candidate(result, item, self.watchlists)  # the film, if none is watched
        outcomes.append(f"posts/{result.verdict}")
        outcomes += ["over_budget" for budget in budgets if budget.exceeded_after is not None]
        return result, outcomes

    async def process_item(self, item: Any) -> Any:
        """Set the detection fields of a :class:`Hit`; other items pass through untouched."""
        if not isinstance(item, Hit):
            return item
        result, outcomes = await asyncio.to_thread(self._judge, item)
        for outcome in outcomes:  # stats are counted here, on the reactor thread
            self._inc(outcome)
        for name in DETECTION_FIELDS:
            setattr(item, name, getattr(result, name))
        if result.verdict == "benign" and not self.keep_benign:
            raise DropItem("benign", log_level="DEBUG")
        if result.verdict != "benign":
            logger.info(
                "%s %s (%d): %s",
                result.verdict,
                item.url,
                result.score,
                "; ".join(result.reasons[:4]),
            )
        return item
