"""Run the rendering test spider in a subprocess against a test replica."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests._crawl import ROOT, clean_env, read_jsonl

SPIDER = Path(__file__).with_name("render_spider.py")


@dataclass
class CrawlResult:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str

    def item(self, url: str) -> dict[str, Any]:
        return next(i for i in self.items if i["url"] == url)

    def stat(self, name: str) -> int:
        return int(self.stats.get(name, 0))


def start_crawl(
    urls: list[str], origin: str, tmp: Path, settings: dict[str, Any] | None = None
) -> subprocess.Popen[str]:
    """``scrapy runspider`` the test spider in the background, with its TMPDIR (for downloads) in
    ``tmp``."""
    opts = {"LUREWATCH_OFFLINE_ORIGIN": origin, "LOG_LEVEL": "INFO", **(settings or {})}
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(SPIDER),
        "-O",
        str(tmp / "out.jsonl"),
        "-a",
        "urls=" + ",".join(urls),
        "-a",
        f"stats_out={tmp / 'stats.json'}",
    ]
    for name, value in opts.items():
        cmd += ["-s", f"{name}={value}"]
    env = clean_env()
    # a short TMPDIR: Chromium's singleton socket path must fit a Unix socket address (108 bytes)
    tmpdir = tempfile.mkdtemp(prefix="lwr-", dir="/tmp")
    (tmp / "tmpdir").symlink_to(tmpdir)
    (tmp / "home").mkdir(exist_ok=True)
    env.update({"TMPDIR": tmpdir, "HOME": str(tmp / "home")})
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish_crawl(
    proc: subprocess.Popen[str], tmp: Path, timeout: float = 120, keep_tmp: bool = False
) -> CrawlResult:
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()  # never leave a crawl (and its browser) behind
        _, err = proc.communicate()
        (tmp / "crawl.log").write_text(err, encoding="utf-8")
        shutil.rmtree((tmp / "tmpdir").resolve(), ignore_errors=True)
        raise AssertionError(f"crawl did not finish in {timeout} s:\n{err[-6000:]}") from None
    if proc.returncode != 0:
        raise AssertionError(f"crawl failed ({proc.returncode}):\n{err[-6000:]}")
    if not keep_tmp:
        shutil.rmtree((tmp / "tmpdir").resolve(), ignore_errors=True)
    stats_path = tmp / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return CrawlResult(read_jsonl(tmp / "out.jsonl"), stats, err)


def crawl(
    urls: list[str],
    origin: str,
    tmp: Path,
    settings: dict[str, Any] | None = None,
    keep_tmp: bool = False,
) -> CrawlResult:
    return finish_crawl(start_crawl(urls, origin, tmp, settings), tmp, keep_tmp=keep_tmp)
