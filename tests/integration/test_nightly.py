"""``lurewatch nightly`` against the replica and the real Elasticsearch: ``deploy/nightly`` (the
job cron and systemd run), a night stopped by SIGTERM and resumed, the run lock, a failing
monitor."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from crawler.exitcodes import ExitCode
from replica.server import ReplicaServer
from tests._crawl import FAST_REPLICA, ROOT, clean_env
from tests.integration.conftest import fresh_alias

pytestmark = [pytest.mark.crawl]  # whole crawls in subprocesses


@pytest.mark.browser  # rendering on
def test_nightly_writes_dated_hits_stats_and_log(tmp_path: Path, replica: ReplicaServer) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text("- title: Iron Man 3\n  year: 2013\n", encoding="utf-8")
    data = tmp_path / "data"
    env = clean_env(
        {
            "LUREWATCH_DATA_DIR": str(data),
            # the environment variable, as a scheduler sets it
            "LUREWATCH_OFFLINE_ORIGIN": replica.origin,
            "LUREWATCH_TITLES": str(titles),
        }
    )
    proc = subprocess.run(
        [str(ROOT / "deploy" / "nightly"), "--spiders", "tumblr"],
        cwd=tmp_path,  # the job finds its checkout itself
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    [hits_file] = (data / "hits").glob("hits-*.jsonl")
    [stats_file] = (data / "logs").glob("stats-*.json")
    [log_file] = (data / "logs").glob("crawl-*.log")
    stamp = hits_file.name.removeprefix("hits-").removesuffix(".jsonl")
    assert stats_file.name == f"stats-{stamp}.json" and log_file.name == f"crawl-{stamp}.log"
    hits = [json.loads(line) for line in hits_file.read_text(encoding="utf-8").splitlines()]
    assert hits and {h["matched_title"] for h in hits if h["fake_stream"]} == {"Iron Man 3"}
    assert (
        json.loads(stats_file.read_text(encoding="utf-8"))["tumblr"]["finish_reason"] == "finished"
    )
    assert "Spider closed (finished)" in log_file.read_text(encoding="utf-8")


def _nightly_cmd(origin: str, settings: dict[str, Any], spiders: str) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "nightly", "--spiders", spiders]
    opts = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LOG_LEVEL": "INFO",
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_PROGRESS_INTERVAL": "1",
        **FAST_REPLICA,
        **settings,
    }
    for name, value in opts.items():
        if not name.startswith("_"):  # the test's own keys
            cmd += ["-s", f"{name}={value}"]
    return cmd


def _start(
    origin: str, settings: dict[str, Any], log: Path, spiders: str = "tumblr,wordpress,blogger"
) -> subprocess.Popen[str]:
    with log.open("w", encoding="utf-8") as err:
        return subprocess.Popen(
            _nightly_cmd(origin, settings, spiders),
            cwd=ROOT,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )


def _pages(log: Path) -> int:
    """Pages fetched so far, from the last progress line of each spider."""
    latest: dict[str, int] = {}
    for name, pages in re.findall(r"Progress (\w+): (\d+) pages", log.read_text("utf-8")):
        latest[name] = int(pages)
    return sum(latest.values())


def _wait(proc: subprocess.Popen[str], log: Path, timeout: float = 300) -> tuple[int, str]:
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(log.read_text("utf-8")[-4000:]) from None
    return proc.returncode, out


@pytest.fixture
def night(tmp_path: Path, es: Elasticsearch, es_url: str) -> Iterator[dict[str, Any]]:
    """Settings of a nightly run with its own titles, data folder, hits and crawls indices
    (``_whole``: a second hits alias, for a run to compare with)."""
    titles = tmp_path / "titles.yaml"
    titles.write_text("- title: Iron Man 3\n  year: 2013\n", encoding="utf-8")
    for alias in fresh_alias(es, "lwnight"):
        for whole in fresh_alias(es, "lwwhole"):
            for crawls in fresh_alias(es, "lwcrawls"):
                yield {
                    "LUREWATCH_TITLES": str(titles),
                    "ELASTICSEARCH_URL": es_url,
                    "LUREWATCH_ES_INDEX": alias,
                    "_whole": whole,
                    "LUREWATCH_CRAWLS_INDEX": crawls,
                    "LUREWATCH_ES_BATCH_SIZE": "20",
                }


def _ids(es: Elasticsearch, alias: str) -> set[str]:
    es.indices.refresh(index=alias)
    found = es.search(index=alias, size=10000, source=False, query={"match_all": {}})
    return {hit["_id"] for hit in found["hits"]["hits"]}


def _crawl_docs(es: Elasticsearch, index: str, crawl_id: str) -> list[dict[str, Any]]:
    es.indices.refresh(index=index)
    found = es.search(
        index=index,
        size=100,
        query={"term": {"crawl_id": crawl_id}},
        sort=[{"started": "asc"}, {"finished": "asc"}],
    )
    return [hit["_source"] for hit in found["hits"]["hits"]]


@pytest.mark.elasticsearch
def test_nightly_stopped_by_sigterm_resumes_to_the_same_hits(
    tmp_path: Path, replica: ReplicaServer, es: Elasticsearch, night: dict[str, Any]
) -> None:
    whole = {**night, "LUREWATCH_DATA_DIR": str(tmp_path / "whole"), "LUREWATCH_CRAWL_ID": "w"}
    whole["LUREWATCH_ES_INDEX"] = night["_whole"]
    code, _ = _wait(_start(replica.origin, whole, tmp_path / "whole.log"), tmp_path / "whole.log")
    assert code == ExitCode.OK, (tmp_path / "whole.log").read_text("utf-8")[-3000:]
    expected = _ids(es, whole["LUREWATCH_ES_INDEX"])
    assert expected

    stopped = {**night, "LUREWATCH_DATA_DIR": str(tmp_path / "data"), "LUREWATCH_CRAWL_ID": "s"}
    first_log = tmp_path / "first.log"
    proc = _start(replica.origin, stopped, first_log)
    deadline = time.monotonic() + 120
    while _pages(first_log) < 30 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    code, _ = _wait(proc, first_log)
    assert code == ExitCode.INTERRUPTED, first_log.read_text("utf-8")[-3000:]
    assert _ids(es, stopped["LUREWATCH_ES_INDEX"]) < expected  # part of the night, not all

    second_log = tmp_path / "second.log"
    code, out = _wait(_start(replica.origin, stopped, second_log), second_log)
    log = second_log.read_text("utf-8")
    assert code == ExitCode.OK, log[-3000:]
    assert "resumed: " in log  # the night's counters carried over (JOBDIR of the same night)
    assert _ids(es, stopped["LUREWATCH_ES_INDEX"]) == expected
    first, second = _crawl_docs(es, stopped["LUREWATCH_CRAWLS_INDEX"], "s")
    assert (first["exitcode"], second["exitcode"]) == (ExitCode.INTERRUPTED, ExitCode.OK)
    assert first["crawl_id"] == second["crawl_id"] == "s"
    assert second["new_hits"] == len(expected)  # the night's counters add up over its runs
    lines = out.splitlines()
    header = next(line.split() for line in lines if line.startswith("platform"))
    total = dict(zip(header, lines[-1].split(), strict=False))  # its last cell (finish) is empty
    assert total["platform"] == "total" and int(total["new_hits"]) == len(expected)


def test_a_second_concurrent_nightly_is_refused_naming_the_first(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text("- title: Iron Man 3\n  year: 2013\n", encoding="utf-8")
    settings = {"LUREWATCH_TITLES": str(titles), "LUREWATCH_DATA_DIR": str(tmp_path / "data")}
    first = _start(replica.origin, settings, tmp_path / "first.log", spiders="wordpress")
    lock = tmp_path / "data" / "nightly.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if lock.exists() and f'"pid": {first.pid}' in lock.read_text("utf-8"):
            break
        time.sleep(0.1)
    second = subprocess.run(
        _nightly_cmd(replica.origin, settings, "wordpress"),
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    code, _ = _wait(first, tmp_path / "first.log")
    assert second.returncode == ExitCode.LOCKED, second.stderr[-2000:]
    assert f"held by pid {first.pid}" in second.stderr
    assert code == ExitCode.OK, (tmp_path / "first.log").read_text("utf-8")[-3000:]


@pytest.mark.elasticsearch
def test_a_failing_monitor_fails_the_night_naming_the_check(
    tmp_path: Path, replica: ReplicaServer, es: Elasticsearch, night: dict[str, Any]
) -> None:
    settings = {
        **night,
        "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
        "LUREWATCH_CRAWL_ID": "m",
        "LUREWATCH_MONITOR_MIN_POSTS": '{"wordpress": 100000}',
    }
    code, out = _wait(
        _start(replica.origin, settings, tmp_path / "n.log", "wordpress"), tmp_path / "n.log"
    )
    assert out.startswith("crawl m ") and "(exit status 9)" in out.splitlines()[0]
    log = (tmp_path / "n.log").read_text("utf-8")
    assert code == ExitCode.MONITOR, log[-3000:]
    [line] = [line for line in log.splitlines() if line.startswith("lurewatch nightly: monitor")]
    assert re.fullmatch(
        r"lurewatch nightly: monitor failed: wordpress/min_posts: \d+ posts, "
        r"expected at least 100000",
        line,
    )
    assert "[Spidermon]" in log and "min_posts" in log  # Spidermon ran the suite
    [doc] = _crawl_docs(es, night["LUREWATCH_CRAWLS_INDEX"], "m")
    assert doc["exitcode"] == ExitCode.MONITOR
    assert [check.split(":")[0] for check in doc["failed_checks"]] == ["wordpress/min_posts"]
    assert doc["platforms"][0]["platform"] == "wordpress" and doc["hits"] > 0


def test_nightly_refreshes_the_watchlist_from_the_release_calendar_first(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    titles = tmp_path / "titles.yaml"
    analyst = "- title: Iron Man 3\n  year: 2013\n"
    titles.write_text(analyst, encoding="utf-8")
    settings = {
        "LUREWATCH_TITLES": str(titles),
        "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
        "TMDB_API_KEY": "tmdb-test-key",  # the replica serves TMDB offline
    }
    log = tmp_path / "n.log"
    code, _ = _wait(_start(replica.origin, settings, log, "wordpress"), log)
    text = log.read_text("utf-8")
    assert code == ExitCode.OK, text[-3000:]
    refreshed = text.index("watchlists refreshed from the release calendar")
    assert refreshed < text.index("Spider opened")  # before the crawl starts
    content = titles.read_text("utf-8")
    assert content.startswith(analyst)  # the analyst's entries untouched
    assert 'source: "tmdb/' in content


def test_nightly_without_tmdb_key_says_so_and_crawls(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text("- title: Iron Man 3\n  year: 2013\n", encoding="utf-8")
    settings = {"LUREWATCH_TITLES": str(titles), "LUREWATCH_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "n.log"
    code, _ = _wait(_start(replica.origin, settings, log, "wordpress"), log)
    assert code == ExitCode.OK
    assert "TMDB_API_KEY not set: watchlists refresh skipped" in log.read_text("utf-8")
    assert titles.read_text("utf-8") == "- title: Iron Man 3\n  year: 2013\n"
