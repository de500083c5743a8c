"""A browser killed mid-render is relaunched and the render retried; the crawl completes."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import psutil
import pytest

from replica.http import Request
from replica.server import ReplicaServer
from tests.rendering import site
from tests.rendering._run import finish_crawl, start_crawl

pytestmark = [pytest.mark.crawl, pytest.mark.browser]


def _browser_of(pid: int) -> psutil.Process | None:
    """The crawl's Chromium browser process (not its renderers/zygotes), if running."""
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "chrom" in child.name() and not any(
                a.startswith("--type=") for a in child.cmdline()
            ):
                return child
        except psutil.Error:
            continue
    return None


def test_killed_browser_is_restarted_and_its_request_retried(tmp_path: Path) -> None:
    router = site.build_router()
    killed = threading.Event()
    holder: dict[str, int] = {}

    def kill_browser_once(request: Request) -> None:
        if request.path == "/slow" and not killed.is_set():
            browser = _browser_of(holder["pid"])
            if browser is not None:  # the browser our crawl started, found from its own pid
                browser.send_signal(signal.SIGKILL)
                killed.set()

    router.on_request = kill_browser_once
    urls = [f"https://{site.HOST}/{p}" for p in ("plain", "slow", "write")]
    with ReplicaServer(router=router) as server:
        proc = start_crawl(urls, server.origin, tmp_path, {"LUREWATCH_RENDER_TIMEOUT": 5})
        holder["pid"] = proc.pid
        result = finish_crawl(proc, tmp_path)
    assert killed.is_set(), result.log[-9000:-4000]
    slow = result.item(urls[1])
    assert slow.get("rendered") and slow["links"] == ["/after-crash"], slow
    assert all(result.item(u).get("rendered") for u in urls)
    assert result.stat("playwright/browser_count") == 2  # relaunched after the crash
    assert [p for m, h, p in router.log if p == "/slow"].__len__() >= 2  # the render was retried
