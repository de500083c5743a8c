"""``lurewatch evidence URL [--zip FILE]``: a hit's evidence, printed or bundled for an abuse desk.

Prints what the crawl recorded for the hit of ``URL`` (hashes, stored HTML, masked headers,
redirect chains, screenshots; :mod:`pipelines.takedowns.bundle`), or writes it as a zip with a
manifest. ``URL`` may be any spelling of the post's URL (the document id is its canonical URL).
Exit status ``FAILED`` when the URL has no hit, ``OUTPUT`` when the zip cannot be written.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.commands._takedowns import ES_ERRORS, es_config, es_failure
from crawler.exitcodes import ExitCode
from pipelines.es.client import make_client
from pipelines.es.config import EsConfig
from pipelines.evidence import EvidenceConfig, EvidenceStore
from pipelines.exceptions import ConfigError
from pipelines.takedowns.bundle import describe, find_hit, write_bundle
from pipelines.takedowns.store import EsHitStore, StoredHit, iso


async def _find(es: EsConfig, url: str) -> StoredHit | None:
    client = make_client(es)
    try:
        return await find_hit(EsHitStore(client, es.index), url)
    finally:
        await client.close()


class Command(LurewatchCommand):
    def syntax(self) -> str:
        return "URL [--zip FILE]"

    def short_desc(self) -> str:
        return "Print a hit's evidence, or bundle it as a zip for an abuse desk"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--zip", metavar="FILE", help="write the evidence bundle to FILE")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) != 1:
            raise UsageError()
        try:
            es = es_config(self.settings)
            store = EvidenceStore(EvidenceConfig.from_settings(self.settings).root)
            hit = asyncio.run(_find(es, args[0]))
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        except ES_ERRORS as exc:
            self.exitcode = es_failure(exc, es)
            return
        if hit is None:
            sys.stderr.write(f"error: no hit for {args[0]} in {es.index}\n")
            self.exitcode = ExitCode.FAILED
            return
        if not opts.zip:
            for line in describe(hit.source, store):
                sys.stdout.write(f"{line}\n")
            self.exitcode = ExitCode.OK
            return
        self.exitcode = self._bundle(hit, store, Path(opts.zip))

    def _bundle(self, hit: StoredHit, store: EvidenceStore, target: Path) -> ExitCode:
        try:
            bundle = write_bundle(hit.source, store, target, iso(datetime.now(UTC)))
        except OSError as exc:
            sys.stderr.write(f"error: {target}: cannot write the bundle: {exc.strerror or exc}\n")
            return ExitCode.OUTPUT
        sys.stdout.write(f"{target}: {len(bundle.files)} files\n")
        for missing in bundle.missing:
            sys.stderr.write(f"missing from the bundle: {missing}\n")
        return ExitCode.OK
