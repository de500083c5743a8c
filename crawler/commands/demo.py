"""``lurewatch demo [--out FILE] [--no-es] [--seed N] [-s NAME=VALUE ...]``: the first command.

Reads the crawl's settings (environment and ``-s``): every watchlist file is checked before the
replica starts, ``ELASTICSEARCH_URL``/``LUREWATCH_ES_INDEX`` say where hits are indexed, and the
``-s`` options are passed on to the crawl. The demo itself is :mod:`crawler.demo`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.commands._watchlists import load_each
from crawler.demo import DemoPlan, run_demo
from crawler.exitcodes import ExitCode
from pipelines.config import read_bool, read_str
from pipelines.exceptions import ConfigError


class Command(LurewatchCommand):
    def syntax(self) -> str:
        return "[--out FILE.jsonl] [--no-es] [--seed N] [-s NAME=VALUE ...]"

    def short_desc(self) -> str:
        return "Replica, crawl and summary on this machine: no API keys, no internet"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--out", default="out/demo-hits.jsonl", help="JSON Lines file for the hits"
        )
        parser.add_argument("--no-es", action="store_true", help="do not use Elasticsearch")
        parser.add_argument("--seed", type=int, default=2026, help="the replica's seed")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}", print_help=False)
        _, problems = load_each(self.settings)
        if problems:
            sys.stderr.write(f"lurewatch demo: broken watchlist: {'; '.join(problems)}\n")
            self.exitcode = ExitCode.USAGE
            return
        try:
            plan = DemoPlan(
                out=Path(opts.out).resolve(),
                seed=opts.seed,
                use_es=not opts.no_es and read_bool(self.settings, "LUREWATCH_ES_ENABLED"),
                es_url=read_str(self.settings, "ELASTICSEARCH_URL").strip(),
                es_index=read_str(self.settings, "LUREWATCH_ES_INDEX"),
                chromium=read_str(self.settings, "LUREWATCH_CHROMIUM_PATH"),
                overrides=tuple(opts.set),
            )
        except ConfigError as exc:
            sys.stderr.write(f"lurewatch demo: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        self.exitcode = run_demo(plan)
