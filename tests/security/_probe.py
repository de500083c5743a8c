"""Run :mod:`tests.security.probe_spider` in a subprocess and read what it found."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests._crawl import ROOT, clean_env, read_jsonl

SPIDER = Path(__file__).with_name("probe_spider.py")


@dataclass
class Probe:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str

    def item(self, url: str) -> dict[str, Any]:
        return next(i for i in self.items if i["url"] == url)

    def stat(self, name: str) -> int:
        return int(self.stats.get(name, 0))


def probe(
    tmp: Path,
    urls: list[str],
    landings: list[str] | None = None,
    settings: dict[str, Any] | None = None,
) -> Probe:
    """``scrapy runspider`` the probe spider: project settings, and ``settings`` as ``-s``."""
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(SPIDER), "-O", str(tmp / "out.jsonl")]
    cmd += ["-a", "urls=" + " ".join(urls), "-a", "landings=" + " ".join(landings or [])]
    cmd += ["-a", f"stats_out={tmp / 'stats.json'}"]
    for name, value in {"LOG_LEVEL": "INFO", **(settings or {})}.items():
        cmd += ["-s", f"{name}={value}"]
    proc = subprocess.run(
        cmd, cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=180
    )
    if proc.returncode != 0:
        raise AssertionError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
    stats_path = tmp / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return Probe(read_jsonl(tmp / "out.jsonl"), stats, proc.stderr)
