"""``DetectionPipeline``: the thin Scrapy adapter over :mod:`pipelines.scoring`.

Each landing page of a :class:`~pipelines.items.Hit` is assessed, then the post itself (with what its landings
revealed); the detection fields are set on the item, benign posts are dropped unless
``LUREWATCH_KEEP_BENIGN``, and every outcome is counted under ``lurewatch/detection/...``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import DropItem

from pipelines.config import SettingsLike, read_bool, read_str
from pipelines.items import DETECTION_FIELDS, Hit
from pipelines.scoring import Assessment, assess_page, assess_post
from pipelines.watchlists import Watchlists, load_watchlists, watchlist_maxsize

__all__ = ["DetectionConfig", "DetectionPipeline"]

logger = logging.getLogger(__name__)

_STAT = "lurewatch/detection"


@dataclass(frozen=True)
class DetectionConfig:
    """The watchlist files (``None``: the shipped ones) and whether benign posts are kept."""

    titles: str | None
    templates: str | None
    lures: str | None
    thresholds: str | None
    max_bytes: int  # per watchlist file
    keep_benign: bool

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> DetectionConfig:
        """Read ``LUREWATCH_TITLES`` ... ``LUREWATCH_THRESHOLDS``, ``LUREWATCH_WATCHLIST_MAXSIZE``
        and ``LUREWATCH_KEEP_BENIGN``."""
        return cls(
            titles=read_str(settings, "LUREWATCH_TITLES") or None,
            templates=read_str(settings, "LUREWATCH_TEMPLATES") or None,
            lures=read_str(settings, "LUREWATCH_LURES") or None,
            thresholds=read_str(settings, "LUREWATCH_THRESHOLDS") or None,
            max_bytes=watchlist_maxsize(settings),
            keep_benign=read_bool(settings, "LUREWATCH_KEEP_BENIGN"),
        )

    def load_watchlists(self) -> Watchlists:
        """Load and validate the watchlists (``WatchlistError`` names the broken file and line)."""
        return load_watchlists(
            titles=self.titles,
            templates=self.templates,
            lures=self.lures,
            thresholds=self.thresholds,
            max_bytes=self.max_bytes,
        )


class DetectionPipeline:
    """Judge each post and its landing pages; drop the benign ones (unless kept)."""

    def __init__(self, watchlists: Watchlists, keep_benign: bool = False, crawler: Any = None) -> None:
        self.watchlists = watchlists
        self.keep_benign = keep_benign
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> DetectionPipeline:
        """Load the watchlists now, so a broken file fails the crawl before its first request."""
        config = DetectionConfig.from_settings(crawler.settings)
        watchlists = config.load_watchlists()
        logger.info(
            "detection: %d watched titles, %d templates",
            len(watchlists.titles),
            len(watchlists.templates.templates),
        )
        return cls(watchlists, config.keep_benign, crawler)

    def _inc(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{_STAT}/{key}")

    def _assess_landings(self, item: Hit) -> list[tuple[str, Assessment]]:
        out = []
        for page in item.landing_pages:
            if page.error or not page.html:
                self._inc("landing/unusable")
                continue
            url = page.final_url or page.url
            assessment = assess_page(page.html, url, self.watchlists)
            self._inc(f"landing/{assessment.verdict}")
            out.append((page.url, assessment))
        return out

    async def process_item(self, item: Any) -> Any:
        """Set the detection fields of a :class:`Hit`; other items pass through untouched."""
        if not isinstance(item, Hit):
            return item
        result = assess_post(item, self.watchlists, self._assess_landings(item))
        for name in DETECTION_FIELDS:
            setattr(item, name, getattr(result, name))
        self._inc(f"posts/{result.verdict}")
        if result.verdict == "benign" and not self.keep_benign:
            raise DropItem("benign", log_level="DEBUG")
        if result.verdict != "benign":
            logger.info(
                "%s %s (%d): %s", result.verdict, item.url, result.score, "; ".join(result.reasons[:4])
            )
        return item
