"""A periodic progress line per spider (pages/min, hits, queue size) and, on a terminal, a live
table of every spider of the run (rich).

Every ``LUREWATCH_PROGRESS_INTERVAL`` seconds (0: off) each spider logs
``Progress <spider>: <pages> pages (<rate>/min), <hits> hits, <queued> queued, <active> in
flight``. When stdout is a terminal and ``LUREWATCH_PROGRESS_DISPLAY`` is on, the same figures
are shown in one rich table that refreshes in place (stdout only: the log is unchanged).
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from typing import Any

from rich.live import Live
from rich.table import Table
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

__all__ = ["Display", "Progress", "ProgressRow"]

logger = logging.getLogger(__name__)


@dataclass
class ProgressRow:
    """One spider's figures at one tick."""

    pages: int = 0
    rate: float = 0.0
    hits: int = 0
    queued: int = 0
    active: int = 0
    done: bool = False

    def line(self, name: str) -> str:
        return (
            f"Progress {name}: {self.pages} pages ({self.rate:.1f}/min), {self.hits} hits, "
            f"{self.queued} queued, {self.active} in flight"
        )


class Display:
    """The live rich table shared by every spider of the process (one terminal, one table)."""

    _lock = threading.Lock()
    _instance: Display | None = None

    def __init__(self) -> None:
        self.rows: dict[str, ProgressRow] = {}
        self.live = Live(self._render(), refresh_per_second=2, transient=False)
        self.live.start()

    @classmethod
    def shared(cls) -> Display:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _render(self) -> Any:
        table = Table(title="lurewatch crawl")
        for column in ("spider", "pages", "pages/min", "hits", "queued", "in flight", ""):
            table.add_column(column, justify="left" if column == "spider" else "right")
        for name, row in sorted(getattr(self, "rows", {}).items()):
            table.add_row(
                name,
                str(row.pages),
                f"{row.rate:.1f}",
                str(row.hits),
                str(row.queued),
                str(row.active),
                "done" if row.done else "",
            )
        return table

    def update(self, name: str, row: ProgressRow) -> None:
        with self._lock:
            self.rows[name] = row
            self.live.update(self._render())
            if all(r.done for r in self.rows.values()):
                self.live.stop()
                Display._instance = None


def _queued(crawler: Crawler) -> int:
    slot = getattr(crawler.engine, "_slot", None) or getattr(crawler.engine, "slot", None)
    scheduler = getattr(slot, "scheduler", None)
    try:
        return len(scheduler) if scheduler is not None else 0
    except TypeError:
        return 0


def _active(crawler: Crawler) -> int:
    downloader = getattr(crawler.engine, "downloader", None)
    return len(getattr(downloader, "active", ()) or ())


class Progress:
    """The progress extension (enabled by :func:`crawler.monitors.install`)."""

    def __init__(self, crawler: Crawler, interval: float, display: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.display = display
        self.task: Any = None
        self._previous = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("LUREWATCH_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("LUREWATCH_PROGRESS_INTERVAL is 0")
        display = crawler.settings.getbool("LUREWATCH_PROGRESS_DISPLAY") and sys.stdout.isatty()
        extension = cls(crawler, interval, display)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def row(self) -> ProgressRow:
        """The figures now; the rate is over the last interval."""
        assert self.crawler.stats is not None
        pages = int(self.crawler.stats.get_value("response_received_count", 0) or 0)
        rate = (pages - self._previous) * 60.0 / self.interval
        self._previous = pages
        return ProgressRow(
            pages=pages,
            rate=rate,
            hits=int(self.crawler.stats.get_value("item_scraped_count", 0) or 0),
            queued=_queued(self.crawler),
            active=_active(self.crawler),
        )

    def spider_opened(self, spider: Spider) -> None:
        self.task = create_looping_call(self.tick, spider)
        self.task.start(self.interval, now=False)

    def tick(self, spider: Spider) -> None:
        row = self.row()
        logger.info(row.line(spider.name), extra={"spider": spider})
        if self.display:
            Display.shared().update(spider.name, row)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.display:
            row = self.row()
            row.done = True
            Display.shared().update(spider.name, row)
