"""Run a real crawl in a subprocess (``scrapy crawl`` or ``lurewatch crawl``) and read its JSON
Lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawler.demo import REPLICA_QUOTA, REPLICA_SLOTS

ROOT = Path(__file__).resolve().parent.parent


#: Politeness towards the replica is pointless: lift the platforms' per-host delays in test crawls.
#: Quotas are off (their ledger would sit in the shared data/ folder); quota tests turn them on.
FAST_REPLICA = {
    "DOWNLOAD_SLOTS": json.dumps(REPLICA_SLOTS),
    "LUREWATCH_MAX_BACKOFF": "1",
    **REPLICA_QUOTA,
}


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without lurewatch's own variables (a test sets what it means),
    plus ``extra``: a developer's exported ``ELASTICSEARCH_URL`` or ``REDIS_URL`` must not leak
    into a crawl."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LUREWATCH_", "ELASTICSEARCH_")) and k != "REDIS_URL"
    }
    return {**base, **(extra or {})}


def run_bounded(
    cmd: Sequence[str], env: dict[str, str], timeout: float, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(cmd, capture_output=True, text=True)`` in a process group of its own: on
    timeout the whole group is killed (a command's own children, the demo's crawl or a crawl's
    browser, would otherwise outlive the test and load every later one)."""
    with subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(list(cmd), proc.returncode, stdout, stderr)


def run_crawl(
    spider: str,
    origin: str,
    out: Path,
    settings: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 240,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl SPIDER -O out`` (``spider="all"``: ``lurewatch crawl -O out``) against the
    replica."""
    opts = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LOG_LEVEL": "INFO",
        **FAST_REPLICA,
        **(settings or {}),
    }
    args = ["-O", str(out)]
    for name, value in opts.items():
        args += ["-s", f"{name}={value}"]
    if spider == "all":
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", *args]
    else:
        cmd = [sys.executable, "-m", "scrapy", "crawl", spider, *args]
    proc = run_bounded(cmd, clean_env(env), timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
    return proc


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def stats_of(proc: subprocess.CompletedProcess[str]) -> str:
    """The stats dump Scrapy logs at close (for assertions on counters)."""
    return proc.stderr[proc.stderr.rfind("Dumping Scrapy stats") :]
