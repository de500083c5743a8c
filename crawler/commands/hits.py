"""``lurewatch hits mark URL... --false-positive | --confirmed | --removed [--note TEXT]``.

An analyst's verdict on hits (:mod:`pipelines.takedowns.review`): a false positive is never
exported again and stays one through later crawls; a confirmed hit is exported even below the
score threshold; a removed one counts in time to removal. ``--by NAME`` records who decided.
Exit status ``FAILED`` when a URL has no hit or changed meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.cli import LurewatchCommand
from crawler.commands._takedowns import (
    ES_ERRORS,
    es_config,
    es_failure,
    http_client,
    takedown_config,
    world_clock,
)
from crawler.exitcodes import ExitCode
from pipelines.es.client import make_client
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError
from pipelines.takedowns.review import MarkResult, mark_hits
from pipelines.takedowns.store import EsHitStore


async def _mark(
    settings: BaseSettings, es: EsConfig, urls: list[str], verdict: str, note: str, by: str
) -> MarkResult:
    client = make_client(es)
    http = http_client(settings, takedown_config(settings).rdap_timeout)
    try:
        now: datetime = (await world_clock(settings, http))()
        return await mark_hits(EsHitStore(client, es.index), urls, verdict, now, note, by)
    finally:
        await http.aclose()
        await client.close()


class Command(LurewatchCommand):
    def syntax(self) -> str:
        return "mark URL... --false-positive | --confirmed | --removed [--note TEXT] [--by NAME]"

    def short_desc(self) -> str:
        return "Review hits: mark false positives, confirmed hits, removals"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        verdict = parser.add_mutually_exclusive_group()
        for name in ("false-positive", "confirmed", "removed"):
            verdict.add_argument(
                f"--{name}",
                dest="verdict",
                action="store_const",
                const=name.replace("-", "_"),
                help=f"mark the hits {name.replace('-', ' ')}",
            )
        parser.add_argument("--note", default="", help="why (appended to the hit's notes)")
        parser.add_argument("--by", default="", help="who decided (reviewed_by)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) < 2 or args[0] != "mark" or not opts.verdict:
            raise UsageError()
        try:
            es = es_config(self.settings)
            result = asyncio.run(
                _mark(self.settings, es, args[1:], opts.verdict, opts.note, opts.by)
            )
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        except ES_ERRORS as exc:
            self.exitcode = es_failure(exc, es)
            return
        for url in result.marked:
            sys.stdout.write(f"{opts.verdict}: {url}\n")
        for url in result.unknown:
            sys.stderr.write(f"no hit for {url}\n")
        for url in result.conflicts:
            sys.stderr.write(f"changed meanwhile, not marked (try again): {url}\n")
        self.exitcode = ExitCode.FAILED if result.unknown or result.conflicts else ExitCode.OK
