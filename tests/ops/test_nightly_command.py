"""``lurewatch nightly`` before it crawls: the lock, the crawl id of the night."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.commands.nightly import Command, night_crawl_id
from crawler.exitcodes import ExitCode
from pipelines.ops.lock import run_lock
from pipelines.ops.summary import ES_CREATED, summarise
from tests._crawl import ROOT, clean_env


def test_a_second_run_is_refused_with_locked_naming_the_holder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with run_lock(str(data / "nightly.lock")):
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "nightly"],
            cwd=ROOT,
            env=clean_env({"LUREWATCH_DATA_DIR": str(data)}),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert proc.returncode == ExitCode.LOCKED, proc.stderr[-2000:]
    [line] = proc.stderr.strip().splitlines()
    assert f"held by pid {os.getpid()}" in line and "another run is going" in line
    assert not (data / "nightly").exists()  # refused before any state was made


def test_every_start_on_one_utc_date_has_the_same_crawl_id() -> None:
    morning = datetime(2026, 12, 3, 0, 5, tzinfo=UTC)
    evening = datetime(2026, 12, 3, 23, 55, tzinfo=UTC)
    assert night_crawl_id(morning) == night_crawl_id(evening) == "nightly-2026-12-03"
    assert night_crawl_id(datetime(2026, 12, 4, tzinfo=UTC)) == "nightly-2026-12-04"


def test_hits_the_nights_replay_created_count_as_new_hits_of_their_platform() -> None:
    command = Command()
    command._replayed_new = Counter({"wordpress": 4, "tumblr": 2})
    for name, before, after in (("wordpress", 3, 7), ("blogger", 5, 5)):
        crawler = get_crawler(Spider)
        crawler.spider = Spider(name)
        crawler.spider.crawler = crawler
        assert crawler.stats is not None
        crawler.stats.set_value(ES_CREATED, before)
        command._count_replayed(crawler.spider)
        assert crawler.stats.get_value(ES_CREATED) == after
        assert summarise(name, crawler.stats.get_stats()).new_hits == after
    assert command._replayed_new == {"tumblr": 2}  # counted once, by the spider that opened
