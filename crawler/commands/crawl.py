"""``scrapy crawl NAME``: Scrapy's own command, with ``lurewatch crawl``'s checks before it starts.

A bad setting, a broken watchlist, an unwritable output or an unreachable offline origin is refused
in one line (exit status 2, Scrapy's usage error) instead of a traceback from inside the crawler.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.commands.crawlall import Preflight


class Command(Preflight, ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        self.preflight(opts)
