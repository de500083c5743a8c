"""Issue 12: a crawl stopped with SIGTERM (a scheduler's stop, a reboot) stops, and its output is
the whole, valid file of what it had scraped: no part files left, no truncated line, nothing of an
earlier file mixed in."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.exitcodes import ExitCode
from replica.server import ReplicaServer
from tests._crawl import FAST_REPLICA, ROOT, clean_env

pytestmark = pytest.mark.crawl

_HANG_GUARD = 180  # seconds: a crawl that ignores SIGTERM fails here instead of hanging CI


def _written_lines(folder: Path) -> int:
    """Complete lines the spiders have written so far (their part files)."""
    return sum(
        path.read_bytes().count(b"\n") for path in folder.iterdir() if path.name != "hits.jsonl"
    )


def test_sigterm_mid_crawl_leaves_the_merged_output_of_what_was_scraped(
    tmp_path: Path, replica: ReplicaServer
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "hits.jsonl"
    out.write_text('{"from": "an earlier crawl"}\n', encoding="utf-8")
    args = ["-O", str(out), "--stats-file", str(tmp_path / "stats.json")]
    settings = {
        **FAST_REPLICA,
        "LUREWATCH_OFFLINE_ORIGIN": replica.origin,
        "LUREWATCH_RENDER_ENABLED": "False",
    }
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    env = clean_env({"LUREWATCH_DATA_DIR": str(tmp_path / "data")})
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + _HANG_GUARD
        while _written_lines(out_dir) < 3 and proc.poll() is None:
            assert time.monotonic() < deadline, "the crawl wrote no hit"
            time.sleep(0.2)
        assert proc.poll() is None, "the crawl ended before it could be stopped"
        seen_at_signal = _written_lines(out_dir)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=_HANG_GUARD)
    finally:
        proc.kill()
    assert proc.returncode == ExitCode.INTERRUPTED
    assert "stopped before its end (SIGTERM or SIGINT)" in stderr
    tail = stderr[stderr.find("Traceback") - 1500 :][:5000]
    assert "Traceback" not in stderr, tail
    assert "shutdown" in stderr.lower()  # Scrapy's graceful stop, not a kill
    assert sorted(p.name for p in out_dir.iterdir()) == ["hits.jsonl"]
    hits = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(hits) >= seen_at_signal
    assert all(hit.get("url") for hit in hits)  # every line a whole hit of this crawl
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert "shutdown" in {s.get("finish_reason") for s in stats.values()}
