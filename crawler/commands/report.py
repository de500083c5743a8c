"""``lurewatch report [--since 7d] [--out report.html]``: the HTML report for a customer.

Reads every hit seen, reported or removed within ``--since`` from Elasticsearch and writes one
self-contained page (:mod:`pipelines.takedowns.report`): hits per day per platform, top titles,
top lure domains, campaigns, reported vs removed, time to removal per platform (median, p90 and
its definition). Offline (``LUREWATCH_OFFLINE_ORIGIN``) "now" is the replica's clock, as for the
takedown commands. The file is written whole (temporary file, rename) with mode 0600.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

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
from pipelines.safety import private_dir
from pipelines.takedowns.config import parse_duration
from pipelines.takedowns.report import ReportData, render_report, report_query, summarise
from pipelines.takedowns.store import EsHitStore


async def _gather(settings: BaseSettings, es: EsConfig, since: str) -> ReportData:
    age = parse_duration(since, "--since")
    client = make_client(es)
    http = http_client(settings, takedown_config(settings).rdap_timeout)
    try:
        now: datetime = (await world_clock(settings, http))()
        hits = await EsHitStore(client, es.index).search(report_query(now - age))
    finally:
        await http.aclose()
        await client.close()
    docs: list[dict[str, Any]] = [hit.source for hit in hits]
    return summarise(docs, now - age, now)


def _write(target: Path, page: str) -> None:
    private_dir(target.parent.resolve())
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".report-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Command(LurewatchCommand):
    def syntax(self) -> str:
        return "[--since 7d] [--out report.html]"

    def short_desc(self) -> str:
        return "Write a self-contained HTML report of hits, campaigns and takedowns"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--since", default="7d", metavar="AGE", help="period (default 7d)")
        parser.add_argument("--out", default="report.html", metavar="FILE", help="HTML file")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args:
            raise UsageError()
        try:
            es = es_config(self.settings)
            data = asyncio.run(_gather(self.settings, es, opts.since))
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        except ES_ERRORS as exc:
            self.exitcode = es_failure(exc, es)
            return
        target = Path(opts.out)
        try:
            _write(target, render_report(data))
        except OSError as exc:
            sys.stderr.write(f"error: {target}: cannot write the report: {exc.strerror or exc}\n")
            self.exitcode = ExitCode.OUTPUT
            return
        sys.stdout.write(f"{target}: {data.hits} hits, {len(data.campaigns)} campaigns\n")
        self.exitcode = ExitCode.OK
