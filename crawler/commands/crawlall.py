"""``scrapy crawlall`` (what ``lurewatch crawl`` runs): every platform spider in one process.

Takes ``scrapy crawl``'s options (``-O/-o FILE``, ``-s NAME=VALUE``, ``-a``). The spiders run
concurrently; with ``-O hits.jsonl`` each writes a part file and the parts are merged into one file
at the end. ``--spiders tumblr,blogger`` picks a subset (an unknown name is refused, with the known
ones); ``--stats-file F`` writes each spider's final stats as JSON. Every watchlist file is checked
before the first crawler starts.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from crawler.commands._feeds import merge_parts, split_feeds
from crawler.commands._watchlists import load_each
from crawler.defaults import install
from crawler.exitcodes import ExitCode
from crawler.middlewares.rate_limit import RateLimitConfig
from crawler.rendering.config import RenderLimits
from crawler.spiders.config import BloggerConfig, SpiderConfig, TumblrConfig, WordPressConfig
from pipelines.detection import DetectionConfig
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError
from pipelines.safety import open_private

logger = logging.getLogger(__name__)

#: The configs every crawl builds from its settings (each raises ``ConfigError`` on a bad value).
_CONFIGS = (
    SpiderConfig,
    TumblrConfig,
    WordPressConfig,
    BloggerConfig,
    RenderLimits,
    RateLimitConfig,
    DetectionConfig,
)

#: The spiders ``lurewatch crawl`` runs by default.
PLATFORM_SPIDERS = ("tumblr", "wordpress", "blogger")


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-O FILE] [--spiders a,b] [--stats-file FILE] [-s NAME=VALUE ...]"

    def short_desc(self) -> str:
        return "Run every platform spider (tumblr, wordpress, blogger) in one process"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--spiders", default=",".join(PLATFORM_SPIDERS), help="comma-separated spider names"
        )
        parser.add_argument(
            "--stats-file", default="", help="write each spider's final stats to this JSON file"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        install(self.settings)  # the add-on installs them per crawler: these checks come first
        # refused here, before the crawler process starts logging: the error is the only line
        opts.spiders = self._spider_names(opts.spiders)
        self._check_settings()
        self._check_watchlists()

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("crawlall takes no spider name; use --spiders a,b")
        assert self.crawler_process is not None and self.settings is not None
        names: list[str] = opts.spiders
        feeds, merges = split_feeds(self.settings.getdict("FEEDS"))
        self.settings.set("FEEDS", feeds, priority="cmdline")
        stats: dict[str, dict[str, Any]] = {}
        self._recorders = []  # signal receivers are weak references: keep ours alive
        for name in names:
            crawler = self._create_crawler(name)
            self._recorders.append(self._stats_recorder(crawler, stats))
            crawler.signals.connect(self._recorders[-1], signal=signals.spider_closed)
            self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        for uri, options in merges:
            count = merge_parts(uri, options, names)
            logger.info("Wrote %d hits of %d spiders to %s", count, len(names), uri)
        if opts.stats_file:
            with open_private(Path(opts.stats_file), "w", encoding="utf-8") as out:  # 0600
                json.dump(stats, out, default=str, indent=1)
        if self.crawler_process.bootstrap_failed or len(stats) < len(names):
            self.exitcode = ExitCode.FAILED

    def _spider_names(self, spiders: str) -> list[str]:
        """The ``--spiders`` names, each known to the project (else one ``UsageError`` line)."""
        assert self.settings is not None
        names = [n.strip() for n in spiders.split(",") if n.strip()]
        known = sorted(get_spider_loader(self.settings).list())
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise UsageError(
                f"unknown spider {', '.join(unknown) or repr(spiders)}; "
                f"known spiders: {', '.join(known)}",
                print_help=False,
            )
        return names

    def _check_settings(self) -> None:
        """Fail before any crawler starts on a bad setting (else a traceback per spider)."""
        assert self.settings is not None
        try:
            for config in _CONFIGS:
                config.from_settings(self.settings)
            if EsConfig.off_reason(self.settings) is None:
                EsConfig.from_settings(self.settings)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None

    def _check_watchlists(self) -> None:
        """Fail before any crawler starts when a watchlist is broken (else each spider fails)."""
        assert self.settings is not None
        _, problems = load_each(self.settings)
        if problems:
            raise UsageError(f"broken watchlist: {'; '.join(problems)}", print_help=False)

    @staticmethod
    def _stats_recorder(crawler: Crawler, into: dict[str, dict[str, Any]]) -> Any:
        def record(spider: Any, reason: str) -> None:
            assert crawler.stats is not None
            stats = crawler.stats.get_stats()
            started = stats.get("start_time")
            elapsed = (
                (datetime.now(UTC) - started).total_seconds()
                if isinstance(started, datetime)
                else None
            )
            into[spider.name] = {**stats, "finish_reason": reason, "elapsed_time_seconds": elapsed}

        return record
