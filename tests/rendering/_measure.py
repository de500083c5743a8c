"""Measure renders (not a test): ``python -m tests.rendering._measure [N]``.

Prints the time per render and the browser's RSS.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from replica.server import ReplicaServer
from tests.rendering import site
from tests.rendering._run import finish_crawl, start_crawl


def _tree_rss(pid: int) -> tuple[int, int]:
    """(USS of Chromium processes, USS of the Playwright drivers) under ``pid``, in bytes.

    USS (memory unique to each process) is summed: summed RSS counts Chromium's shared pages once
    per process.
    """
    chromium = driver = 0
    for child in psutil.Process(pid).children(recursive=True):
        try:
            rss = child.memory_full_info().uss
            name = child.name()
        except psutil.Error:
            continue
        if "chrom" in name:
            chromium += rss
        elif "node" in name:
            driver += rss
    return chromium, driver


def main(n: int = 50) -> None:
    urls = [f"https://{site.HOST}/app?n={i}" for i in range(n)]
    router = site.build_router()
    router.add(site.HOST, "/app", lambda _r: site.html(site.APP))
    samples: list[tuple[int, int]] = []
    with ReplicaServer(router=router) as server, tempfile.TemporaryDirectory() as tmp:
        start = time.monotonic()
        proc = start_crawl(
            urls, server.origin, Path(tmp), {"LUREWATCH_RENDER_PAGES_PER_CONTEXT": 10}
        )
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                try:
                    samples.append(_tree_rss(proc.pid))
                except psutil.Error:
                    return

        threading.Thread(target=sample, daemon=True).start()
        result = finish_crawl(proc, Path(tmp))
        done.set()
        wall = time.monotonic() - start
    rendered = result.stat("lurewatch/render/pages")
    elapsed = float(result.stats.get("elapsed_time_seconds", wall))
    chromium = [c for c, _ in samples if c]
    print(
        f"renders: {rendered}/{n}  crawl elapsed: {elapsed:.1f} s  wall incl. startup: {wall:.1f} s"
    )
    print(
        f"time per render (elapsed / renders, concurrency 2): {elapsed / max(rendered, 1):.3f} s"
    )
    print(
        f"chromium USS (summed) MiB: first {chromium[0] / 2**20:.0f}, peak {max(chromium) / 2**20:.0f}, "
        f"last {chromium[-1] / 2**20:.0f} (samples: {len(chromium)})"
    )
    print(f"driver (node) USS MiB peak: {max(d for _, d in samples) / 2**20:.0f}")
    print(
        f"contexts recycled: {result.stat('lurewatch/render/contexts_recycled')}, "
        f"closed: {result.stat('lurewatch/render/contexts_closed')}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
