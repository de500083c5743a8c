"""``scrapy crawlall`` (what ``lurewatch crawl`` runs): every platform spider in one process.

Takes ``scrapy crawl``'s options (``-O/-o FILE``, ``-s NAME=VALUE``, ``-a``). The spiders run
concurrently; with ``-O hits.jsonl`` each writes a part file and the parts are merged into one file
at the end. ``--spiders tumblr,blogger`` picks a subset (an unknown name is refused, with the known
ones); ``--stats-file F`` writes each spider's final stats as JSON. Every watchlist file is checked
before the first crawler starts.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from crawler.commands._feeds import (
    check_writable,
    local_path,
    merge_parts,
    part_uri,
    split_feeds,
    write_atomic,
)
from crawler.commands._watchlists import load_each
from crawler.defaults import install
from crawler.distributed import SHARED_REQUESTS
from crawler.exitcodes import DISABLED_REASON, ExitCode
from crawler.middlewares.rate_limit import RateLimitConfig
from crawler.offline import parse_origin
from crawler.rendering.config import RenderLimits
from crawler.spiders.config import BloggerConfig, SpiderConfig, TumblrConfig, WordPressConfig
from pipelines.detection import DetectionConfig
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError

logger = logging.getLogger(__name__)
_PROBE_TIMEOUT = 3.0  # seconds to wait for the offline origin to accept a connection

#: The configs every crawl builds from its settings (each raises ``ConfigError`` on a bad value).
_CONFIGS = (
    SpiderConfig,
    TumblrConfig,
    WordPressConfig,
    BloggerConfig,
    RenderLimits,
    RateLimitConfig,
    DetectionConfig,
)


class OutputError(UsageError):
    """An output path cannot be written (exit status :attr:`ExitCode.OUTPUT`)."""

    exitcode = ExitCode.OUTPUT


class UnreachableError(UsageError):
    """The offline origin does not answer (exit status :attr:`ExitCode.UNREACHABLE`)."""

    exitcode = ExitCode.UNREACHABLE


def probe_origin(origin: str, timeout: float = _PROBE_TIMEOUT) -> str | None:
    """Why the offline ``origin`` (``http://host:port``) cannot be reached; ``None`` if it can."""
    parts = urlsplit(origin)
    host, port = parts.hostname or "", parts.port or 80
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"offline origin {origin} unreachable: {exc.strerror or exc}"


def crawl_exitcode(stats: dict[str, dict[str, Any]], names: list[str]) -> ExitCode:
    """The exit status of a crawl from each spider's final stats; logs one line per failure.

    A spider that made no request at all is :attr:`ExitCode.NO_REQUESTS` (its reason from the
    ``lurewatch/disabled_reason`` stat, see :func:`crawler.exitcodes.disable`), unless it is a
    distributed worker whose shared queue the other workers emptied (a warning); one whose
    requests all failed is :attr:`ExitCode.UNREACHABLE`; one stopped by a signal is
    ``INTERRUPTED``; one that did not finish is ``FAILED``.
    """
    code = ExitCode.OK
    for name in names:
        spider_stats = stats.get(name)
        if spider_stats is None:
            logger.error("%s: did not finish", name)
            code = max(code, ExitCode.FAILED)
            continue
        requests = int(spider_stats.get("downloader/request_count", 0) or 0)
        responses = int(spider_stats.get("downloader/response_count", 0) or 0)
        shared = int(spider_stats.get(SHARED_REQUESTS, 0) or 0)
        if requests == 0 and shared and not spider_stats.get(DISABLED_REASON):
            # a distributed worker that found the shared queue emptied by the others
            logger.warning(
                "%s: this worker took none of the %d requests of the shared queue "
                "(the other workers crawled them)",
                name,
                shared,
            )
        elif requests == 0:
            reason = spider_stats.get(DISABLED_REASON) or "no start request"
            logger.error("%s: made no request (%s)", name, reason)
            code = max(code, ExitCode.NO_REQUESTS)
        elif responses == 0:
            logger.error("%s: 0 of %d requests got a response", name, requests)
            code = max(code, ExitCode.UNREACHABLE)
        elif spider_stats.get("finish_reason") == "shutdown":
            logger.error("%s: stopped before its end (SIGTERM or SIGINT)", name)
            code = max(code, ExitCode.INTERRUPTED)
    return code


class _Closed(NamedTuple):
    """A closed spider's stats: Scrapy's live dict and what the closing signal said."""

    live: dict[str, Any]
    final: dict[str, Any]


#: The spiders ``lurewatch crawl`` runs by default.
PLATFORM_SPIDERS = ("tumblr", "wordpress", "blogger")


class Preflight:
    """The checks a crawl passes before its first crawler starts (``crawlall`` and ``crawl``).

    Each failure is one :class:`UsageError` line, raised before the crawler process logs anything.
    """

    settings: Settings | None  # as ScrapyCommand declares it
    exitcode: int

    def preflight(self, opts: argparse.Namespace) -> None:
        """Settings, watchlists, outputs and the offline origin, in that order."""
        assert self.settings is not None
        install(self.settings)  # the add-on installs them per crawler: these checks come first
        self._check_settings()
        self._check_watchlists()
        self._check_outputs(opts)
        self._probe_origin()

    def _probe_origin(self) -> None:
        """Refuse to start when the offline origin does not answer (else one error per request)."""
        assert self.settings is not None
        raw = str(self.settings.get("LUREWATCH_OFFLINE_ORIGIN") or "").strip()
        if not raw:
            return
        try:
            origin = parse_origin(raw)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None
        problem = probe_origin(origin)
        if problem:
            raise UnreachableError(problem, print_help=False)

    def _check_outputs(self, opts: argparse.Namespace) -> None:
        """Every output path writable before the first request, else one line naming it."""
        assert self.settings is not None
        paths = [
            local_path(uri)
            for uri in self.settings.getdict("FEEDS")
            if uri not in ("-", "stdout:") and "://" not in uri.replace("file://", "", 1)
        ]
        stats_file = getattr(opts, "stats_file", "")
        if stats_file:
            paths.append(Path(stats_file))
        for path in paths:
            problem = check_writable(path)
            if problem:
                self.exitcode = ExitCode.OUTPUT
                raise OutputError(f"cannot write output {problem}", print_help=False)

    def _spider_names(self, spiders: str) -> list[str]:
        """The ``--spiders`` names, each known to the project (else one ``UsageError`` line)."""
        assert self.settings is not None
        names = [n.strip() for n in spiders.split(",") if n.strip()]
        known = sorted(get_spider_loader(self.settings).list())
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise UsageError(
                f"unknown spider {', '.join(unknown) or repr(spiders)}; "
                f"known spiders: {', '.join(known)}",
                print_help=False,
            )
        return names

    def _check_settings(self) -> None:
        """Fail before any crawler starts on a bad setting (else a traceback per spider)."""
        assert self.settings is not None
        try:
            for config in _CONFIGS:
                config.from_settings(self.settings)
            if EsConfig.off_reason(self.settings) is None:
                EsConfig.from_settings(self.settings)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None

    def _check_watchlists(self) -> None:
        """Fail before any crawler starts when a watchlist is broken (else each spider fails)."""
        assert self.settings is not None
        _, problems = load_each(self.settings)
        if problems:
            raise UsageError(f"broken watchlist: {'; '.join(problems)}", print_help=False)


class Command(Preflight, BaseRunSpiderCommand):
    requires_project = True
    #: each spider's final stats, set by :meth:`run` once it has crawled (nightly reads them)
    spider_stats: dict[str, dict[str, Any]]

    def syntax(self) -> str:
        return "[-O FILE] [--spiders a,b] [--stats-file FILE] [-s NAME=VALUE ...]"

    def short_desc(self) -> str:
        return "Run every platform spider (tumblr, wordpress, blogger) in one process"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--spiders", default=",".join(PLATFORM_SPIDERS), help="comma-separated spider names"
        )
        parser.add_argument(
            "--stats-file", default="", help="write each spider's final stats to this JSON file"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # refused here, before the crawler process starts logging: the error is the only line
        opts.spiders = self._spider_names(opts.spiders)
        self.preflight(opts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("crawlall takes no spider name; use --spiders a,b")
        assert self.crawler_process is not None and self.settings is not None
        names: list[str] = opts.spiders
        feeds, merges = split_feeds(self.settings.getdict("FEEDS"))
        self.settings.set("FEEDS", feeds, priority="cmdline")
        closed: dict[str, _Closed] = {}
        self._recorders = []  # signal receivers are weak references: keep ours alive
        for name in names:
            crawler = self._create_crawler(name)
            self._recorders.append(self._stats_recorder(crawler, closed))
            crawler.signals.connect(self._recorders[-1], signal=signals.spider_closed)
            self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        stats = {name: {**end.live, **end.final} for name, end in closed.items()}
        self.spider_stats = stats
        if not stats:  # no crawler got going: an existing output and stats file stay as they are
            for uri, _ in merges:
                for name in names:
                    local_path(part_uri(uri) % {"name": name}).unlink(missing_ok=True)
            self.exitcode = ExitCode.FAILED
            return
        for uri, options in merges:
            count = merge_parts(uri, options, names)
            logger.info("Wrote %d hits of %d spiders to %s", count, len(names), uri)
        if opts.stats_file:  # written whole (temp file, rename), 0600
            write_atomic(Path(opts.stats_file), json.dumps(stats, default=str, indent=1))
        self.exitcode = crawl_exitcode(stats, names)
        if self.crawler_process.bootstrap_failed and self.exitcode == ExitCode.OK:
            self.exitcode = ExitCode.FAILED

    @staticmethod
    def _stats_recorder(crawler: Crawler, into: dict[str, _Closed]) -> Any:
        def record(spider: Any, reason: str) -> None:
            assert crawler.stats is not None
            stats = crawler.stats.get_stats()
            started = stats.get("start_time")
            elapsed = (
                (datetime.now(UTC) - started).total_seconds()
                if isinstance(started, datetime)
                else None
            )
            # the live dict, read when the process ends: receivers connected after this one (the
            # extensions') still add their last stats to it
            into[spider.name] = _Closed(
                stats, {"finish_reason": reason, "elapsed_time_seconds": elapsed}
            )

        return record
