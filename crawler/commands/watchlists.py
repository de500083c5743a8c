"""``lurewatch watchlists check``: validate the watchlist files a crawl would use, not crawling;
``lurewatch watchlists refresh``: add upcoming and trending films (TMDB) and suggested titles.

The files are named by ``LUREWATCH_TITLES``, ``_SEARCHES``, ``_TEMPLATES``, ``_LURES`` and
``_THRESHOLDS`` (environment or ``-s``; ``--titles F`` is ``-s LUREWATCH_TITLES=F``, and so on);
unset means the shipped file. Each broken file is one ``error: FILE:LINE: field: problem`` line on
stderr and the exit status is ``FAILED``.

``refresh`` rewrites the managed section of ``LUREWATCH_TITLES`` (the analyst's entries above the
marker stay byte for byte: :mod:`pipelines.watchlists.refresh`) and prints what it added, kept,
updated and expired. One ``error:`` line and ``CONFIG`` when ``TMDB_API_KEY`` is missing or
refused (or ``LUREWATCH_TITLES`` unset), ``UNREACHABLE`` when TMDB cannot be read, ``USAGE`` for
a broken titles file (left as it was).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.commands._refresh import refresh_watchlists
from crawler.commands._watchlists import WATCHLIST_SETTINGS, load_each, watchlist_paths
from crawler.exitcodes import ExitCode
from pipelines.exceptions import CalendarError, ConfigError, WatchlistError
from pipelines.watchlists.refresh import RefreshResult

#: The watchlists whose size ``check`` reports.
_COUNTED = ("titles", "searches")


class Command(LurewatchCommand):
    setting_flags = WATCHLIST_SETTINGS

    def syntax(self) -> str:
        return "check|refresh [--titles|--searches|--templates|--lures|--thresholds FILE]"

    def short_desc(self) -> str:
        return "Validate every watchlist file a crawl would use, or refresh titles from TMDB"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        for name, setting in WATCHLIST_SETTINGS.items():
            parser.add_argument(
                f"--{name}", metavar="FILE", help=f"{name} YAML, as -s {setting}=FILE"
            )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args == ["refresh"]:
            self.exitcode = _refresh(self.settings)
            return
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


def _refresh(settings: Any) -> ExitCode:
    try:
        result = refresh_watchlists(settings)
    except ConfigError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return ExitCode.CONFIG
    except CalendarError as exc:
        sys.stderr.write(f"error: TMDB: {exc}\n")
        return ExitCode.UNREACHABLE
    except WatchlistError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return ExitCode.USAGE
    sys.stdout.write(_summary(result))
    return ExitCode.OK


def _summary(result: RefreshResult) -> str:
    lines = [f"refreshed {result.path}" + ("" if result.written else " (unchanged)")]
    for label, names in (
        ("added", result.added),
        ("updated", result.updated),
        ("kept", result.kept),
        ("expired", result.expired),
        ("already watched", result.skipped_watched),
    ):
        lines.append(f"  {label}: {len(names)}" + (f" ({', '.join(names)})" if names else ""))
    return "".join(f"{line}\n" for line in lines)
