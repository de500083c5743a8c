"""``deploy/nightly``, the job cron and systemd run: dated hits, stats and log under the data
dir."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from replica.server import ReplicaServer
from tests._crawl import ROOT, clean_env

pytestmark = [pytest.mark.crawl, pytest.mark.browser]  # a whole crawl, rendering on


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
