"""The counters of a night add up over its runs: a resumed run starts from where the stopped one
left them.

At each spider's close its numeric stats are saved to ``<JOBDIR>/lurewatch-stats.json``; when a
later run of the same night opens that spider (same ``JOBDIR``), they are added back first. So
the summary, the ``lurewatch-crawls`` document, the exit status and the monitors of a resumed
run judge the whole night (a platform that finished in the stopped run made its requests then).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from pipelines.ops.summary import carried_stats

__all__ = ["NightStats"]

logger = logging.getLogger(__name__)
FILENAME = "lurewatch-stats.json"


class NightStats:
    """Carries a spider's numeric stats from one run of the night to the next (``JOBDIR``)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NightStats:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured("no JOBDIR")
        extension = cls(crawler, Path(jobdir) / FILENAME)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        try:
            saved: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            logger.warning("%s: earlier counts of the night unreadable (%s)", self.path, exc)
            return
        assert self.crawler.stats is not None
        carried = carried_stats(saved if isinstance(saved, dict) else {})
        for key, value in carried.items():
            self.crawler.stats.inc_value(key, value)  # type: ignore[arg-type] # floats add too
        self.crawler.stats.set_value("lurewatch/nightly/resumed", 1)
        logger.info("resumed: %d counters of earlier runs tonight carried over", len(carried))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = carried_stats(self.crawler.stats.get_stats())
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stats, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)
