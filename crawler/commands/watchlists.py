"""``lurewatch watchlists check``: validate the watchlist files a crawl would use, not crawling.

The files are named by ``LUREWATCH_TITLES``, ``_SEARCHES``, ``_TEMPLATES``, ``_LURES`` and
``_THRESHOLDS`` (environment or ``-s``; ``--titles F`` is ``-s LUREWATCH_TITLES=F``, and so on);
unset means the shipped file. Each broken file is one ``error: FILE:LINE: field: problem`` line on
stderr and the exit status is ``FAILED``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.commands._watchlists import WATCHLIST_SETTINGS, load_each, watchlist_paths
from crawler.exitcodes import ExitCode

#: The watchlists whose size ``check`` reports.
_COUNTED = ("titles", "searches")


class Command(LurewatchCommand):
    setting_flags = WATCHLIST_SETTINGS

    def syntax(self) -> str:
        return "check [--titles|--searches|--templates|--lures|--thresholds FILE]"

    def short_desc(self) -> str:
        return "Validate every watchlist file a crawl would use"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        for name, setting in WATCHLIST_SETTINGS.items():
            parser.add_argument(
                f"--{name}", metavar="FILE", help=f"{name} YAML, as -s {setting}=FILE"
            )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args != ["check"]:
            raise UsageError()
        loaded, problems = load_each(self.settings)
        paths = watchlist_paths(self.settings)
        for name in _COUNTED:
            if name in loaded:
                sys.stdout.write(_ok_line(name, paths[name], loaded[name]))
        for problem in problems:
            sys.stderr.write(f"error: {problem}\n")
        self.exitcode = ExitCode.FAILED if problems else ExitCode.OK


def _ok_line(name: str, path: str | None, loaded: Any) -> str:
    size = len(loaded) if isinstance(loaded, list) else 1
    entries = "entry" if size == 1 else "entries"
    return f"ok  {name}: {path or 'shipped'} ({size} {entries})\n"
