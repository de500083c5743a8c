"""``lurewatch takedowns export|recheck|campaigns``: the takedown feed from the shell.

    lurewatch takedowns export [--out DIR] [--since 7d] [--platform P] [--title T]
                               [--min-score N] [--dry-run]
    lurewatch takedowns recheck [--older-than 6h]
    lurewatch takedowns campaigns

``export`` writes, per abuse channel, ``DIR/<channel>/`` (CSV, JSON, X-ARF v4 reports, a notice)
and marks every exported hit ``reported`` (:mod:`pipelines.takedowns.export`); ``recheck``
re-fetches reported posts through Scrapy and marks the ones taken down ``removed``
(:mod:`pipelines.takedowns.recheck`), then prints time to removal; ``campaigns`` refreshes the
campaign fields only. ``--out``, ``--min-score`` and ``--older-than`` are aliases of
``LUREWATCH_TAKEDOWN_OUT``, ``LUREWATCH_TAKEDOWN_MIN_SCORE`` and ``LUREWATCH_RECHECK_OLDER_THAN``;
the reporter is ``LUREWATCH_REPORTER_NAME``/``_EMAIL``/``_ORG``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import ClassVar

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.cli import LurewatchCommand
from crawler.commands._recheck import run_recheck
from crawler.commands._takedowns import (
    ES_ERRORS,
    contact_finder,
    es_config,
    es_failure,
    http_client,
    takedown_config,
    world_clock,
)
from crawler.exitcodes import ExitCode
from pipelines.es.client import make_client
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError, LurewatchError
from pipelines.takedowns.config import TakedownConfig, parse_duration
from pipelines.takedowns.export import ExportResult, export_hits, refresh_campaigns
from pipelines.takedowns.store import Criteria, EsHitStore

ACTIONS = ("export", "recheck", "campaigns")
Clock = Callable[[], datetime]


def _criteria(opts: argparse.Namespace, config: TakedownConfig, now: Clock) -> Criteria:
    since = None
    if opts.since:
        since = now() - parse_duration(opts.since, "--since")
    return Criteria(
        min_score=config.min_score, since=since, platform=opts.platform, title=opts.title
    )


def _print_export(result: ExportResult, out: str) -> None:
    what = "would mark" if result.dry_run else "marked"
    sys.stdout.write(
        f"export {result.export_id}: {result.selected} hits selected, {what} {result.reported} "
        f"reported, {result.conflicts} changed meanwhile (left for the next export), "
        f"{result.campaigns_updated} campaign fields updated\n"
    )
    if not result.channels:
        sys.stdout.write("nothing to export\n")
    for key, files in sorted(result.channels.items()):
        sys.stdout.write(f"  {key}: {files.directory} ({files.notice.name})\n")
    if result.dry_run:
        sys.stdout.write(f"dry run: files written under {out}, the index is unchanged\n")


async def _export(settings: BaseSettings, opts: argparse.Namespace, es: EsConfig) -> ExitCode:
    config = takedown_config(settings)
    config.reporter.check()
    client = make_client(es)
    http = http_client(settings, config.rdap_timeout)
    try:
        now = await world_clock(settings, http)
        result = await export_hits(
            EsHitStore(client, es.index),
            contact_finder(settings, config, http),
            config,
            _criteria(opts, config, now),
            config.out_dir,
            now=now,
            dry_run=opts.dry_run,
        )
    finally:
        await http.aclose()
        await client.close()
    _print_export(result, str(config.out_dir))
    return ExitCode.OK if not result.conflicts else ExitCode.FAILED


async def _campaigns(settings: BaseSettings, opts: argparse.Namespace, es: EsConfig) -> ExitCode:
    config = takedown_config(settings)
    client = make_client(es)
    try:
        campaigns, hits, updated = await refresh_campaigns(
            EsHitStore(client, es.index), config.campaign_threshold
        )
    finally:
        await client.close()
    distinct = {c.id: c for c in campaigns.values()}
    linked = [c for c in distinct.values() if c.size > 1]
    sys.stdout.write(
        f"{len(hits)} hits in {len(distinct)} campaigns ({len(linked)} with more than one "
        f"hit); {updated} documents updated\n"
    )
    return ExitCode.OK


class Command(LurewatchCommand):
    setting_flags: ClassVar[Mapping[str, str]] = {
        "out": "LUREWATCH_TAKEDOWN_OUT",
        "min_score": "LUREWATCH_TAKEDOWN_MIN_SCORE",
    }

    def syntax(self) -> str:
        return (
            "export [--out DIR] [--since 7d] [--platform P] [--title T] [--min-score N] "
            "[--dry-run] | recheck [--older-than 6h] | campaigns"
        )

    def short_desc(self) -> str:
        return "Takedown feed: export requests per abuse channel, re-check removals, campaigns"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--out", metavar="DIR", help="export directory")
        parser.add_argument("--since", metavar="AGE", help="hits last seen within AGE (7d)")
        parser.add_argument("--platform", choices=("tumblr", "wordpress", "blogger"))
        parser.add_argument("--title", help="only hits of this watched title")
        parser.add_argument("--min-score", type=int, metavar="N", help="detection score >= N")
        parser.add_argument(
            "--dry-run", action="store_true", help="write the files, change nothing in the index"
        )
        parser.add_argument(
            "--older-than", metavar="AGE", help="recheck: reported or checked before AGE (6h)"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if opts.older_than:
            try:
                age = parse_duration(opts.older_than, "--older-than")
            except ConfigError as exc:
                raise UsageError(str(exc), print_help=False) from None
            self.settings.set(
                "LUREWATCH_RECHECK_OLDER_THAN", age.total_seconds(), priority="cmdline"
            )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) != 1 or args[0] not in ACTIONS:
            raise UsageError()
        try:
            es = es_config(self.settings)
            if args[0] == "recheck":
                self.exitcode = run_recheck(self.settings, es)
                return
            action = _export if args[0] == "export" else _campaigns
            self.exitcode = asyncio.run(action(self.settings, opts, es))
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
        except ES_ERRORS as exc:
            self.exitcode = es_failure(exc, es)
        except LurewatchError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.FAILED
