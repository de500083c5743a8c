"""Distributed benchmark: pages/s of one and two worker processes (Redis mode) and of a single
process without Redis, against the replica.

    python -m bench.distributed_bench [--spiders tumblr] [--scale 1] [--redis redis://...]

Each run gets a replica of its own (``python -m replica``, separate process) and a fresh crawl
id; rendering is off (pages, not Chromium, are measured) and the per-host delays are the
replica's (``crawler.demo.REPLICA_SLOTS``). Pages are the responses the workers
got from the network (``downloader/response_count`` minus copies served from Redis:
``lurewatch/shared_fetch/stored`` and ``waited``), over the wall time from the first worker's
start to the last one's end. Each line also gives the workers' CPU time per page and the share
of the machine's CPU left idle during the run: a worker is CPU-bound, so two workers can only be
faster than one when a second core is free (0% idle: other processes had it). Prints one line
per run, the ratios, and the CPU ceiling of two workers on this machine: all its cores busy at
the machine CPU per page of the two-worker run (the replica and Redis run here too, so on two
cores the ceiling sits below 2x). Use ``--scale 30`` or more: at small scales a hostile landing
that stalls until its 10 s timeout is most of the wall time, whatever the workers. Figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.crawl_bench import _start_replica
from crawler.demo import REPLICA_SLOTS

ROOT = Path(__file__).resolve().parent.parent
_COPIES = ("lurewatch/shared_fetch/stored", "lurewatch/shared_fetch/waited")


def _worker(origin: str, spiders: str, out: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--spiders", spiders]
    cmd += ["--stats-file", str(out.with_suffix(".stats.json")), "-O", str(out)]
    settings = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        # the platforms' per-host politeness lifted, as in the tests (crawler.demo)
        "DOWNLOAD_SLOTS": json.dumps(REPLICA_SLOTS),
        "LUREWATCH_MAX_BACKOFF": "1",
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_QUOTA_ENABLED": "0",
        "LUREWATCH_RECHECK_INTERVAL": "0",  # every run fetches every post (no incremental skip)
        "LOG_LEVEL": "WARNING",
    }
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    base = {k: v for k, v in os.environ.items() if not k.startswith("LUREWATCH_")}
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**base, **env},
        stdout=subprocess.DEVNULL,
        stderr=out.with_suffix(".log").open("w"),
        text=True,
    )


def _machine() -> tuple[float, float]:
    """Busy and idle CPU seconds of the whole machine since boot (``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / tick, idle / tick


def _wait(proc: subprocess.Popen[str]) -> float:
    """Wait for ``proc``; its CPU seconds (user + system)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def _pages(stats_file: Path) -> int:
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    total = 0
    for spider in stats.values():
        copies = sum(int(spider.get(name) or 0) for name in _COPIES)
        total += int(spider.get("downloader/response_count") or 0) - copies
    return total


def run(
    spiders: str, scale: int, workers: int, redis_url: str, workdir: Path
) -> tuple[float, float]:
    """Crawl with ``workers`` processes (0: one process, no Redis); print and return pages/s and
    the machine's busy CPU seconds per page (all processes: workers, replica, Redis)."""
    replica, origin = _start_replica(scale)
    try:
        env: dict[str, str] = {}
        if workers:
            crawl_id = f"bench-{uuid.uuid4().hex[:8]}"
            env = {"LUREWATCH_DISTRIBUTED": "1", "REDIS_URL": redis_url}
            env["LUREWATCH_CRAWL_ID"] = crawl_id
        label = f"w{workers}"
        started = time.monotonic()
        busy0, idle0 = _machine()
        procs = [
            _worker(origin, spiders, workdir / f"{label}-{i}.jsonl", env)
            for i in range(max(1, workers))
        ]
        cpu = sum(_wait(p) for p in procs)
        codes = [p.returncode for p in procs]
        seconds = time.monotonic() - started
        busy1, idle1 = _machine()
    finally:
        replica.terminate()
        replica.wait()
    pages = sum(_pages(workdir / f"{label}-{i}.stats.json") for i in range(max(1, workers)))
    rate = pages / seconds
    idle = 100 * (idle1 - idle0) / max(1e-9, busy1 - busy0 + idle1 - idle0)
    mode = f"{workers} worker(s), Redis" if workers else "single process, no Redis"
    print(
        f"{mode:28} pages {pages:6}  seconds {seconds:7.1f}  pages/s {rate:6.2f}  exit {codes}"
        f"  cpu ms/page {1000 * cpu / max(1, pages):5.1f}  machine idle {idle:4.1f}%"
    )
    return rate, (busy1 - busy0) / max(1, pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spiders", default="tumblr")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        single, _ = run(args.spiders, args.scale, 0, args.redis, workdir)
        one, _ = run(args.spiders, args.scale, 1, args.redis, workdir)
        two, machine_per_page = run(args.spiders, args.scale, 2, args.redis, workdir)
    print(f"2 workers / 1 worker: {two / one:.2f}x (target >= 1.6x)")
    print(f"1 worker (Redis) / single process: {one / single:.2f}x")
    # the workers, the replica and Redis share this machine's cores: two workers cannot go
    # faster than all cores busy at the CPU the two-worker run spent per page
    cores = os.cpu_count() or 1
    ceiling = cores / max(1e-9, machine_per_page)
    print(
        f"CPU ceiling of 2 workers on this machine: {ceiling:.2f} pages/s ({cores} cores / "
        f"{1000 * machine_per_page:.1f} ms of machine CPU per page) = "
        f"{ceiling / one:.2f}x one worker"
    )


if __name__ == "__main__":
    main()
