"""``lurewatch classify``: judge saved pages with the detection engine, one JSON line per page.

    lurewatch classify [--titles FILE] [--url URL] [--render] PATH...
    lurewatch classify [--titles FILE] [--render] --manifest FILE.jsonl

The watchlists are the crawl's (``LUREWATCH_TITLES``, ``_TEMPLATES``, ``_LURES``,
``_THRESHOLDS``: environment or ``-s``; ``--titles F`` is ``-s LUREWATCH_TITLES=F``). ``--render``
uses ``LUREWATCH_CHROMIUM_PATH``; ``--render-timeout`` is ``LUREWATCH_RENDER_TIMEOUT``. Output is
in input order (see :mod:`pipelines.classify`). The exit status is ``FAILED`` if any page failed,
``USAGE`` for bad arguments, a broken watchlist or an unreadable manifest.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.cli import LurewatchCommand
from crawler.commands._watchlists import detection_watchlists
from crawler.exitcodes import ExitCode
from pipelines.classify import Job, Renderer, classify_all, jobs_from_manifest, jobs_from_paths
from pipelines.config import read_float, read_int, read_str
from pipelines.exceptions import ConfigError, WatchlistError
from pipelines.watchlists import Watchlists


class Command(LurewatchCommand):
    setting_flags: ClassVar[Mapping[str, str]] = {
        "titles": "LUREWATCH_TITLES",
        "render_timeout": "LUREWATCH_RENDER_TIMEOUT",
    }

    def syntax(self) -> str:
        return "[--titles F] [--url U] [--render] PATH... | --manifest FILE.jsonl"

    def short_desc(self) -> str:
        return "Judge saved pages with the detection engine (JSON Lines out)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--titles", metavar="FILE", help="titles YAML, as -s LUREWATCH_TITLES=FILE"
        )
        parser.add_argument(
            "--url", help="the URL the pages were served at (else their file URIs)"
        )
        parser.add_argument(
            "--manifest",
            type=Path,
            help="JSON Lines with url and path (relative to the manifest)",
        )
        parser.add_argument(
            "--render", action="store_true", help="render in headless Chromium (no network) first"
        )
        parser.add_argument(
            "--render-timeout",
            type=float,
            metavar="SECONDS",
            help="seconds per page when rendering, as -s LUREWATCH_RENDER_TIMEOUT=SECONDS",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if bool(opts.manifest) == bool(args):
            raise UsageError("give either PATH... or --manifest FILE.jsonl", print_help=False)
        try:
            wl = detection_watchlists(self.settings)
            timeout = read_float(
                self.settings, "LUREWATCH_RENDER_TIMEOUT", minimum=0.001, maximum=300
            )
            jobs = _jobs(opts, args, _manifest_maxsize(self.settings))
        except (WatchlistError, ConfigError) as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.USAGE
            return
        except OSError as exc:
            sys.stderr.write(f"error: cannot read manifest: {exc}\n")
            self.exitcode = ExitCode.USAGE
            return
        renderer = None
        if opts.render:
            renderer = Renderer(timeout, read_str(self.settings, "LUREWATCH_CHROMIUM_PATH"))
        try:
            self.exitcode = _write(jobs, wl, renderer)
        finally:
            if renderer is not None:
                renderer.close()


def _manifest_maxsize(settings: BaseSettings) -> int:
    """``LUREWATCH_MANIFEST_MAXSIZE``: the largest manifest read, in bytes (at most 1 GiB)."""
    return read_int(settings, "LUREWATCH_MANIFEST_MAXSIZE", minimum=1, maximum=1 << 30)


def _jobs(opts: argparse.Namespace, paths: list[str], max_bytes: int) -> list[Job | str]:
    if opts.manifest:
        return list(jobs_from_manifest(opts.manifest, max_bytes=max_bytes))
    return list(jobs_from_paths(paths, opts.url))


def _write(jobs: list[Job | str], wl: Watchlists, renderer: Renderer | None) -> ExitCode:
    """One JSON line per job on stdout, each failure also on stderr."""
    render = renderer.render if renderer is not None else None
    failed = 0
    for record, error in classify_all(jobs, wl, render):
        if error:
            failed += 1
            sys.stderr.write(f"error: {error}\n")
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return ExitCode.FAILED if failed else ExitCode.OK
