"""``lurewatch watch [--interval 5m] [--polls N] [--spiders a,b]``: continuous mode.

Every ``--interval`` (``LUREWATCH_WATCH_INTERVAL``, from one poll's start to the next's) a poll
runs ``lurewatch crawl`` over the spiders, in a child process: the crawl machinery as it is
(quotas and their ledger, rate limits, detection, indexing into Elasticsearch as hits come, the
spool when the cluster is down), plus the cursors of :mod:`pipelines.cursors`: each search asks
only for what was published since it was last answered, and posts met again are skipped by the
incremental ledger (``LUREWATCH_RECHECK_INTERVAL``). The cursors live in
``<LUREWATCH_DATA_DIR>/watch/cursors.json``.

One watch at a time (``LUREWATCH_WATCH_LOCK``, else exit ``LOCKED``); each poll holds the run
lock of ``lurewatch nightly`` while it runs, so a poll and a night never overlap (a poll that
finds the night running is skipped, one WARNING). Each poll ends with one line on stdout. SIGTERM
or SIGINT ends the watch: between polls at once (exit ``OK``), during a poll after the poll's
crawl has stopped gracefully (exit ``INTERRUPTED``). With ``--polls N`` it ends after N polls, with
the worst status of its polls.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, ClassVar

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.commands.crawlall import PLATFORM_SPIDERS, Preflight
from crawler.exitcodes import ExitCode
from crawler.watch.config import WatchConfig
from pipelines.cursors import WatchState
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError, InputError, RunLockedError
from pipelines.ops.lock import run_lock
from pipelines.ops.summary import summarise

__all__ = ["Command", "IndexingOffError", "LockedError"]

logger = logging.getLogger(__name__)

#: A poll that exits with one of these will not do better next time: the watch ends.
_HOPELESS = (ExitCode.USAGE, ExitCode.CONFIG, ExitCode.OUTPUT)


class LockedError(UsageError):
    """Another watch holds the lock (exit status :attr:`ExitCode.LOCKED`)."""

    exitcode = ExitCode.LOCKED


class IndexingOffError(UsageError):
    """Continuous mode without Elasticsearch (exit status :attr:`ExitCode.CONFIG`)."""

    exitcode = ExitCode.CONFIG


class Command(Preflight, LurewatchCommand):
    """``lurewatch watch``: polls from the cursors, every few minutes (module docstring)."""

    setting_flags: ClassVar[dict[str, str]] = {
        "interval": "LUREWATCH_WATCH_INTERVAL",
        "polls": "LUREWATCH_WATCH_POLLS",
    }

    def syntax(self) -> str:
        return "[--interval 5m] [--polls N] [--spiders a,b] [-s NAME=VALUE ...]"

    def short_desc(self) -> str:
        return "Continuous mode: poll every search from its cursor, indexing hits as they come"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--interval", help="between poll starts: 90s, 5m, 1h (default 5m)")
        parser.add_argument("--polls", help="end after N polls (default 0: until SIGTERM)")
        parser.add_argument(
            "--spiders", default=",".join(PLATFORM_SPIDERS), help="comma-separated spider names"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}", print_help=False)
        try:
            self.config = WatchConfig.from_settings(self.settings)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None
        opts.spiders = self._spider_names(opts.spiders)
        opts.stats_file = ""
        if self.config.recheck <= 0:
            logger.warning(
                "watch: LUREWATCH_RECHECK_INTERVAL is 0: every poll judges every post it meets"
                " again and fetches its landing pages again"
            )
        self.preflight(opts)  # settings, watchlists, the offline origin
        reason = EsConfig.off_reason(self.settings)
        if reason is not None:
            raise IndexingOffError(
                f"continuous mode indexes hits as they come, but indexing is off ({reason})",
                print_help=False,
            )
        self._stack = ExitStack()
        self.config.lock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            self._stack.enter_context(run_lock(str(self.config.lock)))
        except RunLockedError as exc:
            raise LockedError(f"another watch is running: {exc}", print_help=False) from None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self._stop = threading.Event()
        self._child: subprocess.Popen[bytes] | None = None
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _SIGNALS}
        try:
            self.exitcode = self._loop(opts)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._stack.close()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        logger.info("watch: %s received, ending", signal.Signals(signum).name)
        self._stop.set()
        if self._child is not None and self._child.poll() is None:
            self._child.send_signal(signal.SIGTERM)  # the poll's crawl stops gracefully

    def _loop(self, opts: argparse.Namespace) -> ExitCode:
        worst = ExitCode.OK
        poll = 0
        while not self._stop.is_set() and (not self.config.polls or poll < self.config.polls):
            poll += 1
            started = time.monotonic()
            code = self._poll(poll, opts)
            worst = max(worst, code)
            if code in _HOPELESS:
                logger.error("watch: poll %d refused to start (exit %d): ending", poll, code)
                break
            if self.config.polls and poll >= self.config.polls:
                break
            self._stop.wait(max(0.0, started + self.config.interval - time.monotonic()))
        return worst

    def _poll(self, poll: int, opts: argparse.Namespace) -> ExitCode:
        """One poll under the nightly run lock; its exit status (``OK`` when skipped)."""
        try:
            with run_lock(str(self.config.run_lock)):
                return self._crawl(poll, opts)
        except RunLockedError as exc:
            logger.warning("watch: poll %d skipped, a nightly run is going: %s", poll, exc)
            return ExitCode.OK

    def _crawl(self, poll: int, opts: argparse.Namespace) -> ExitCode:
        try:  # the polls are counted in the state file: a search may sit out some of them
            state = WatchState.load(self.config.state)
            state.polls += 1
            state.save(self.config.state)
        except (InputError, OSError) as exc:
            logger.error("watch: poll %d not started: %s", poll, exc)
            return ExitCode.CONFIG
        with tempfile.TemporaryDirectory(prefix="lurewatch-poll-") as tmp:
            stats_file = Path(tmp) / "stats.json"
            command = self._command(opts, stats_file)
            started = time.monotonic()
            self._child = subprocess.Popen(command)  # noqa: S603 - our own CLI, no shell
            code = self._status(self._child.wait())
            self._child = None
            stats = _read_stats(stats_file)
        self._report(poll, code, opts.spiders, stats, time.monotonic() - started)
        return code

    def _status(self, returncode: int) -> ExitCode:
        """The poll's exit status; a crawl killed by a signal was stopped (ours) or failed."""
        if returncode in ExitCode._value2member_map_:
            return ExitCode(returncode)
        return ExitCode.INTERRUPTED if self._stop.is_set() else ExitCode.FAILED

    def _command(self, opts: argparse.Namespace, stats_file: Path) -> list[str]:
        """``lurewatch crawl`` with this watch's ``-s`` options and the cursors' file."""
        command = [sys.executable, "-m", "crawler.cli", "crawl", "--spiders"]
        command += [",".join(opts.spiders), "--stats-file", str(stats_file)]
        # a day's quota spread over the day's polls, unless set otherwise (the user's -s follow)
        assert self.settings is not None
        pace = self.settings.getfloat("LUREWATCH_QUOTA_PACE") or self.config.interval
        command += ["-s", f"LUREWATCH_QUOTA_PACE={pace:g}"]
        for value in opts.set or []:
            command += ["-s", value]
        if opts.loglevel:
            command += ["-L", opts.loglevel]
        if opts.logfile:
            command += ["--logfile", opts.logfile]
        return [*command, "-s", f"LUREWATCH_WATCH_STATE={self.config.state}"]

    def _report(
        self,
        poll: int,
        code: ExitCode,
        spiders: list[str],
        stats: dict[str, dict[str, Any]],
        seconds: float,
    ) -> None:
        rows = [summarise(name, stats.get(name)) for name in spiders]
        parts = [
            f"{r.platform} {r.pages} pages {r.hits} hits {r.skipped} skipped {r.quota_used} quota"
            for r in rows
        ]
        at = datetime.now(UTC).isoformat(timespec="seconds")
        line = (
            f"poll {poll} at {at}: exit {int(code)}, {sum(r.hits for r in rows)} hits "
            f"in {seconds:.1f} s ({'; '.join(parts)})"
        )
        logger.info("watch: %s", line)
        sys.stdout.write(f"{line}\n")
        sys.stdout.flush()


_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _read_stats(path: Path) -> dict[str, dict[str, Any]]:
    """The poll's per-spider stats (empty when the crawl wrote none)."""
    try:
        stats = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stats if isinstance(stats, dict) else {}
