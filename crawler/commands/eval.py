"""``lurewatch eval``: precision, recall and F1 of detection on the labelled corpus, per split.

    lurewatch eval [--manifest tests/corpus/manifest.jsonl] [--split tune|holdout|all|both]

The watchlists are the crawl's (``LUREWATCH_TITLES``, ``_TEMPLATES``, ``_LURES``,
``_THRESHOLDS``: environment or ``-s``; ``--titles F`` is ``-s LUREWATCH_TITLES=F``). The scoring
is :mod:`pipelines.evaluate`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.commands._watchlists import detection_watchlists
from crawler.exitcodes import ExitCode
from pipelines.evaluate import (
    DEFAULT_MANIFEST,
    SPLITS,
    evaluate,
    format_report,
    load_manifest,
    reports,
)
from pipelines.exceptions import WatchlistError


class Command(LurewatchCommand):
    setting_flags: ClassVar[Mapping[str, str]] = {"titles": "LUREWATCH_TITLES"}

    def syntax(self) -> str:
        return "[--manifest FILE.jsonl] [--split tune|holdout|all|both] [--titles F]"

    def short_desc(self) -> str:
        return "Precision and recall of detection on the labelled corpus (tests/corpus)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--manifest", type=Path, default=DEFAULT_MANIFEST, help="the labelled pages"
        )
        parser.add_argument(
            "--split",
            choices=SPLITS,
            default="both",
            help="which split to report (both = tune and holdout separately)",
        )
        parser.add_argument(
            "--titles", metavar="FILE", help="titles YAML, as -s LUREWATCH_TITLES=FILE"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}", print_help=False)
        manifest: Path = opts.manifest
        if not manifest.is_file():
            sys.stderr.write(
                f"lurewatch eval: no labelled corpus at {manifest} (it ships with the "
                "repository, not the package): run in a checkout or pass --manifest FILE\n"
            )
            self.exitcode = ExitCode.USAGE
            return
        try:
            wl = detection_watchlists(self.settings)
        except WatchlistError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.USAGE
            return
        cases = evaluate(load_manifest(manifest), manifest.resolve().parent, wl)
        for report in reports(cases, opts.split):
            sys.stdout.write(format_report(report))
