"""``lurewatch nightly``: the scheduled run (systemd timer, cron, Kubernetes CronJob).

In order: the watchlists are validated and the settings checked (``lurewatch crawl``'s
preflight), the run lock is taken (a second run names the holder and exits ``LOCKED``), the
index template is ensured and the spool replayed, the watchlist is refreshed from the release
calendar when that command exists and TMDB is configured, then every spider runs in one
process under a stable crawl id (``nightly-<UTC date>`` unless ``LUREWATCH_CRAWL_ID``) with its
Scrapy ``JOBDIR`` under ``<LUREWATCH_DATA_DIR>/nightly/<crawl id>/``: a run stopped by SIGTERM
resumes where it stopped when started again the same night. The run ends with a summary (per
platform: pages, posts, hits, new hits, lures, errors, quota used) in the log, on stdout as a
table and as a document in ``LUREWATCH_CRAWLS_INDEX`` when Elasticsearch is configured.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

from elasticsearch import ApiError, TransportError
from scrapy import Spider, signals
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler import monitors
from crawler.commands.crawlall import Command as CrawlAllCommand
from crawler.defaults import install
from crawler.exitcodes import ExitCode
from crawler.monitors import FAILED_CHECKS
from pipelines.es.client import describe_error
from pipelines.es.config import EsConfig
from pipelines.exceptions import (
    ConfigError,
    LurewatchError,
    MappingConflictError,
    RunLockedError,
)
from pipelines.ops.crawls import prepare_index, record_crawl
from pipelines.ops.health import HealthThresholds
from pipelines.ops.lock import run_lock
from pipelines.ops.summary import (
    ES_CREATED,
    PlatformSummary,
    crawl_document,
    summarise,
    table,
)

__all__ = ["Command", "LockedError", "night_crawl_id"]

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: The function ``lurewatch watchlists refresh`` exposes for the nightly run (module, name):
#: ``refresh_watchlists(settings) -> RefreshResult``, raising a ``LurewatchError`` when it fails.
REFRESH_HOOK = ("crawler.commands._refresh", "refresh_watchlists")


class LockedError(UsageError):
    """Another run holds the lock (exit status :attr:`ExitCode.LOCKED`)."""

    exitcode = ExitCode.LOCKED


def night_crawl_id(now: datetime | None = None) -> str:
    """The crawl id of tonight's run: the same for every start on one UTC date."""
    return f"nightly-{(now or datetime.now(UTC)).strftime('%Y-%m-%d')}"


def _in_thread(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on its own event loop in a worker thread (the reactor owns this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Command(CrawlAllCommand):
    """``lurewatch nightly``: ``lurewatch crawl`` with a lock, resumable state and a summary."""

    _crawlers: list[Crawler]

    def syntax(self) -> str:
        return "[-O FILE] [--spiders a,b] [--stats-file FILE] [-s NAME=VALUE ...]"

    def short_desc(self) -> str:
        return "The scheduled run: locked, resumable the same night, ends with a summary"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        # the lock first: a second run is refused even while a watchlist is being edited
        BaseRunSpiderCommand.process_options(self, args, opts)
        assert self.settings is not None
        install(self.settings)
        self._stack = ExitStack()
        self._notes: list[tuple[int, str, tuple[Any, ...]]] = []
        self._replayed_new: Counter[str] = Counter()
        self._started = _now()
        data = Path(str(self.settings.get("LUREWATCH_DATA_DIR") or "data"))
        data.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = str(self.settings.get("LUREWATCH_NIGHTLY_LOCK") or "") or str(data / "nightly.lock")
        try:
            self._stack.enter_context(run_lock(lock))
        except RunLockedError as exc:
            self.exitcode = ExitCode.LOCKED
            raise LockedError(f"another run is going: {exc}", print_help=False) from None
        crawl_id = str(self.settings.get("LUREWATCH_CRAWL_ID") or "") or night_crawl_id()
        self.settings.set("LUREWATCH_CRAWL_ID", crawl_id, priority="cmdline")
        self.crawl_id = crawl_id
        try:
            opts.spiders = self._spider_names(opts.spiders)
            self.preflight(opts)  # settings, watchlists, outputs, offline origin
            self._check_monitors()
            monitors.install(self.settings)
            self.jobs = self._job_root(data, crawl_id)
            self._prepare_index()
            self._refresh_watchlists()
        except BaseException:
            self._stack.close()
            raise

    def _note(self, level: int, message: str, *args: Any) -> None:
        """A log line of the preparation, logged once the crawl's logging is set up."""
        self._notes.append((level, message, args))

    def _check_monitors(self) -> None:
        assert self.settings is not None
        try:
            HealthThresholds.from_settings(self.settings)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None

    def _job_root(self, data: Path, crawl_id: str) -> Path:
        """``<data>/nightly/<crawl id>``; other nights' job folders are removed."""
        root = data / "nightly"
        root.mkdir(mode=0o700, exist_ok=True)
        for old in root.iterdir():
            if old.is_dir() and old.name != crawl_id:
                shutil.rmtree(old, ignore_errors=True)
        jobs = root / crawl_id
        if jobs.is_dir():
            self._note(logging.INFO, "resuming crawl %s from %s", crawl_id, jobs)
        jobs.mkdir(mode=0o700, exist_ok=True)
        return jobs

    def _es_config(self) -> EsConfig | None:
        assert self.settings is not None
        if EsConfig.off_reason(self.settings) is not None:
            return None
        return EsConfig.from_settings(self.settings)  # checked by the preflight

    def _prepare_index(self) -> None:
        """Ensure the index template and replay the spool; a cluster that is down is a WARNING
        (the crawl spools its hits), a conflicting mapping refuses the run."""
        config = self._es_config()
        if config is None:
            self._note(
                logging.INFO, "indexing off: no index template to ensure, no spool to replay"
            )
            return
        try:
            replayed, left = _in_thread(lambda: prepare_index(config))
        except MappingConflictError as exc:
            raise UsageError(f"refusing to touch the index: {exc}", print_help=False) from None
        except (ApiError, TransportError, OSError) as exc:
            self._note(
                logging.WARNING,
                "Elasticsearch at %s: %s; hits are spooled",
                config.safe_url,
                describe_error(exc),
            )
            return
        self._note(
            logging.INFO,
            "index %s ready; %d spooled hits replayed, %d left",
            config.index,
            replayed.sent,
            left,
        )
        # hits an earlier run of the night spooled are new hits of the night when they land now
        self._replayed_new = replayed.created

    def _refresh_watchlists(self) -> None:
        """Run ``lurewatch watchlists refresh`` first when it exists and TMDB is configured."""
        assert self.settings is not None
        module, name = REFRESH_HOOK
        try:
            refresh = getattr(import_module(module), name)
        except (ImportError, AttributeError):
            self._note(logging.INFO, "watchlists refresh not available in this version: skipped")
            return
        if not self.settings.get("TMDB_API_KEY"):
            self._note(logging.INFO, "TMDB_API_KEY not set: watchlists refresh skipped")
            return
        settings = self.settings
        try:
            with ThreadPoolExecutor(1) as pool:  # its own event loop, off this thread
                result = pool.submit(refresh, settings).result()
        except LurewatchError as exc:
            self._note(
                logging.WARNING,
                "watchlists refresh failed, crawling the watchlist as it is: %s",
                exc,
            )
            return
        self._note(
            logging.INFO,
            "watchlists refreshed from the release calendar: %s (%d added, %d expired)",
            getattr(result, "path", "?"),
            len(getattr(result, "added", ())),
            len(getattr(result, "expired", ())),
        )

    def _create_crawler(self, spidercls: Any) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        crawler.signals.connect(self._count_replayed, signal=signals.spider_opened)
        jobdir = self.jobs / crawler.spidercls.name
        crawler.settings.set("JOBDIR", str(jobdir), priority="cmdline")
        self._crawlers.append(crawler)
        return crawler

    def _count_replayed(self, spider: Spider) -> None:
        """Add the spooled hits of this platform that the replay created to its new hits (and
        so to the night's counters a later run carries over)."""
        created = self._replayed_new.pop(spider.name, 0)
        if created and spider.crawler.stats is not None:
            spider.crawler.stats.inc_value(ES_CREATED, created)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self._crawlers = []
        for level, message, note_args in self._notes:
            logger.log(level, message, *note_args)
        try:
            super().run(args, opts)
            failed = self._failed_checks()
            rows = [summarise(name, self.spider_stats.get(name)) for name in opts.spiders]
            self._report(rows, failed)
        finally:
            self._stack.close()

    def _failed_checks(self) -> list[str]:
        """The checks the monitors failed, each logged; the exit status becomes MONITOR."""
        failed = [
            check for crawler in self._crawlers for check in getattr(crawler, FAILED_CHECKS, [])
        ]
        for check in failed:
            logger.error("monitor failed: %s", check)
        if failed and self.exitcode == ExitCode.OK:
            self.exitcode = ExitCode.MONITOR
        return failed

    def _report(self, rows: list[PlatformSummary], failed: list[str]) -> None:
        text = table(rows)
        logger.info("Summary of crawl %s:\n%s", self.crawl_id, text)
        sys.stdout.write(f"crawl {self.crawl_id} (exit status {int(self.exitcode)})\n{text}")
        sys.stdout.flush()
        for check in failed:
            sys.stderr.write(f"lurewatch nightly: monitor failed: {check}\n")
        config = self._es_config()
        if config is None:
            return
        assert self.settings is not None
        index = str(self.settings.get("LUREWATCH_CRAWLS_INDEX") or "lurewatch-crawls")
        doc = crawl_document(
            self.crawl_id, self._started, _now(), rows, int(self.exitcode), failed
        )
        try:
            doc_id = _in_thread(lambda: record_crawl(config, index, doc))
        except (ApiError, TransportError, OSError) as exc:
            logger.error("crawl summary not indexed into %s: %s", index, describe_error(exc))
            self.exitcode = max(ExitCode(int(self.exitcode)), ExitCode.FAILED)
            return
        logger.info("crawl summary indexed into %s as %s", index, doc_id)
