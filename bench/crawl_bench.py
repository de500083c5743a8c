"""Crawl benchmark: throughput with and without the item pipelines, peak memory, and rendering
share.

    python -m bench.crawl_bench [--scale 20] [--render-scale 1] [--render-pages 40]

1. Serves the replica at ``--scale`` in a separate process and crawls it with all three spiders,
   rendering off, twice: with the item pipelines, then with ``ITEM_PIPELINES={}``. Prints pages/s
   of each, their ratio, and each crawl's peak RSS (the crawler process, from ``wait4``).
2. Crawls the replica at ``--render-scale`` with rendering on and prints the share of fetched pages
   that went through Chromium.
3. Renders ``--render-pages`` script-built landing pages of the replica in Chromium and prints
   rendered pages/s.

``--efficiency`` instead crawls the replica (scale 1) with quotas on, twice: with full quotas,
then with every API's daily quota cut to a quarter of what the full run spent; prints requests
per found hit and API calls per found hit, overall and per platform, and the recall of
fake-stream posts of both runs.
Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _start_replica(scale: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "replica", "--port", "0", "--scale", str(scale)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    origin = proc.stdout.readline().strip()
    if not origin.startswith("http://"):
        proc.kill()
        raise SystemExit(f"replica did not start (printed {origin!r})")
    return proc, origin


def _crawl(
    origin: str, workdir: Path, label: str, settings: dict[str, str], spiders: str = ""
) -> dict[str, Any]:
    """Run ``lurewatch crawl`` in a child process; return pages, seconds, pages/s and peak RSS."""
    out, stats_file = workdir / f"{label}.jsonl", workdir / f"{label}.stats.json"
    cmd = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        "-O",
        str(out),
        "--stats-file",
        str(stats_file),
    ]
    cmd += ["-s", f"LUREWATCH_OFFLINE_ORIGIN={origin}", "-s", "LOG_LEVEL=WARNING"]
    if spiders:
        cmd += ["--spiders", spiders]
    slots = {
        "api.tumblr.com": {"concurrency": 8, "delay": 0},
        "www.tumblr.com": {"concurrency": 2, "delay": 0},
    }
    for name, value in {
        "DOWNLOAD_SLOTS": json.dumps(slots),
        "LUREWATCH_MAX_BACKOFF": "1",
        **settings,
    }.items():
        cmd += ["-s", f"{name}={value}"]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LUREWATCH_", "ELASTICSEARCH_"))
    }
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    stderr = proc.stderr.read() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"crawl {label} failed:\n{stderr[-3000:]}")
    stats: dict[str, dict[str, Any]] = json.loads(stats_file.read_text())
    pages = sum(int(s.get("downloader/response_count", 0)) for s in stats.values())
    crawl_seconds = max(float(s.get("elapsed_time_seconds", 0)) for s in stats.values())
    rendered = sum(int(s.get("lurewatch/render/pages", 0) or 0) for s in stats.values())
    items = sum(int(s.get("item_scraped_count", 0)) for s in stats.values())
    return {
        "label": label,
        "pages": pages,
        "items": items,
        "seconds": crawl_seconds,
        "wall": wall,
        "pages_per_s": pages / crawl_seconds if crawl_seconds else 0.0,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "rendered": rendered,
    }


def _render_rate(origin: str, workdir: Path, pages: int) -> dict[str, Any]:
    out = workdir / "render.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "render_bench",
        "-O",
        str(out),
        "-a",
        f"pages={pages}",
    ]
    cmd += ["-s", "SPIDER_MODULES=bench.spiders", "-s", f"LUREWATCH_OFFLINE_ORIGIN={origin}"]
    cmd += ["-s", "LOG_LEVEL=WARNING"]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"render benchmark failed:\n{proc.stderr[-3000:]}")
    rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    seconds = max((r["elapsed"] for r in rows), default=wall)
    return {
        "rendered": len(rows),
        "seconds": seconds,
        "pages_per_s": len(rows) / seconds if seconds else 0.0,
    }


_API_PLATFORMS = {"tumblr": ("tumblr",), "blogger": ("google_cse", "brave", "searxng")}
_QUOTA_SETTING = {
    "tumblr": "LUREWATCH_QUOTA_TUMBLR",
    "google_cse": "LUREWATCH_QUOTA_GOOGLE_CSE",
    "brave": "LUREWATCH_QUOTA_BRAVE",
    "searxng": "LUREWATCH_QUOTA_SEARXNG",
}


def _efficiency_run(origin: str, work: Path, label: str, quotas: dict[str, str]) -> dict[str, Any]:
    data = work / f"data-{label}"
    settings = {
        "LUREWATCH_RENDER_ENABLED": "0",
        "AUTOTHROTTLE_ENABLED": "0",
        "LUREWATCH_QUOTA_ENABLED": "1",
        "LUREWATCH_DATA_DIR": str(data),
        **quotas,
    }
    run = _crawl(origin, work, label, settings)
    stats: dict[str, dict[str, Any]] = json.loads((work / f"{label}.stats.json").read_text())
    hits = [json.loads(line) for line in (work / f"{label}.jsonl").read_text().splitlines()]
    run["stats"] = stats
    run["found"] = {h["url"] for h in hits if h.get("fake_stream")}
    run["found_by"] = {
        p: {h["url"] for h in hits if h.get("fake_stream") and h.get("platform") == p}
        for p in stats
    }
    return run


def _efficiency() -> None:
    from replica.server import ReplicaServer

    server = ReplicaServer(port=0, seed=2026, scale=1).start()
    dataset = server.router.dataset  # type: ignore[attr-defined]
    expected = {p.url for p in dataset.expected_hits() if p.truth.fake_stream}
    try:
        with tempfile.TemporaryDirectory(prefix="lurewatch-bench-") as tmp:
            work = Path(tmp)
            full = _efficiency_run(server.origin, work, "quota-full", {})
            spent = {
                api: sum(
                    int(s.get(f"lurewatch/quota/{api}/requests", 0))
                    for s in full["stats"].values()
                )
                for api in _QUOTA_SETTING
            }
            quarter = {
                _QUOTA_SETTING[api]: f"{max(1, count // 4)}/d"
                for api, count in spent.items()
                if count
            }
            cut = _efficiency_run(server.origin, work, "quota-quarter", quarter)
    finally:
        server.stop()
    print(
        f"replica seed 2026 scale 1: {len(expected)} fake-stream posts; quarter quotas {quarter}"
    )
    for run in (full, cut):
        found = len(run["found"] & expected)
        print(f"  {run['label']}: recall {found}/{len(expected)} = {found / len(expected):.3f}")
        for spider, stats in sorted(run["stats"].items()):
            requests = int(stats.get("downloader/request_count", 0))
            api = sum(
                int(stats.get(f"lurewatch/quota/{a}/requests", 0))
                for a in _API_PLATFORMS.get(spider, ())
            )
            hits = len(run["found_by"].get(spider, set()) & expected)
            per = f"{requests / hits:.1f}" if hits else "-"
            api_per = f"{api / hits:.2f}" if hits else "-"
            print(
                f"    {spider:<10} {hits:>4} fakes  {requests:>6} requests ({per}/hit)  "
                f"{api:>5} API calls ({api_per}/hit)"
            )
            for name in _API_PLATFORMS.get(spider, ()):
                counts = {
                    what: int(stats.get(f"lurewatch/quota/{name}/{what}", 0))
                    for what in ("requests", "planned_skipped", "deferred", "followups_skipped")
                }
                if counts["requests"] or counts["planned_skipped"]:
                    print(
                        f"      {name:<10} {counts['requests']:>5} calls, first pages skipped "
                        f"{counts['planned_skipped']}, follow-ups held back {counts['deferred']}, "
                        f"follow-ups skipped {counts['followups_skipped']}"
                    )
        total = sum(int(s.get("downloader/request_count", 0)) for s in run["stats"].values())
        print(
            f"    overall    {found:>4} fakes  {total:>6} requests "
            f"({total / found if found else 0:.1f}/hit)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=int, default=20, help="replica scale for the throughput runs"
    )
    parser.add_argument("--render-scale", type=int, default=1)
    parser.add_argument("--render-pages", type=int, default=40)
    parser.add_argument(
        "--efficiency", action="store_true", help="requests per hit and recall under quotas"
    )
    args = parser.parse_args()
    if args.efficiency:
        _efficiency()
        return
    with tempfile.TemporaryDirectory(prefix="lurewatch-bench-") as tmp:
        work = Path(tmp)
        replica, origin = _start_replica(args.scale)
        try:
            plain = {
                "LUREWATCH_RENDER_ENABLED": "0",
                "AUTOTHROTTLE_ENABLED": "0",
                "LUREWATCH_KEEP_BENIGN": "1",
            }
            with_pipes = _crawl(origin, work, "pipelines-on", plain)
            without = _crawl(origin, work, "pipelines-off", {**plain, "ITEM_PIPELINES": "{}"})
        finally:
            replica.terminate()
        replica, origin = _start_replica(args.render_scale)
        try:
            rendered = _crawl(origin, work, "rendering-on", {"AUTOTHROTTLE_ENABLED": "0"})
            rate = _render_rate(origin, work, args.render_pages)
        finally:
            replica.terminate()
    ratio = with_pipes["pages_per_s"] / without["pages_per_s"] if without["pages_per_s"] else 0.0
    share = rendered["rendered"] / rendered["pages"] if rendered["pages"] else 0.0
    print(f"replica scale {args.scale}, rendering off, all three spiders, AutoThrottle off")
    for run in (with_pipes, without):
        print(
            f"  {run['label']:<14} {run['pages']:>6} pages {run['items']:>6} items "
            f"{run['seconds']:7.1f} s "
            f"{run['pages_per_s']:8.1f} pages/s  peak RSS {run['peak_rss_mb']:6.1f} MB"
        )
    print(
        f"  throughput with pipelines / without: {ratio:.3f}  "
        f"(pipelines cost {100 * (1 - ratio):.1f}%; target <= 15%)"
    )
    print(
        f"  peak RSS: {max(with_pipes['peak_rss_mb'], without['peak_rss_mb']):.1f} MB "
        "(target < 400 MB)"
    )
    print(
        f"replica scale {args.render_scale}, rendering on: "
        f"{rendered['rendered']} of {rendered['pages']} "
        f"fetched pages rendered = {100 * share:.1f}% (target <= 10%), "
        f"peak RSS of the crawler {rendered['peak_rss_mb']:.1f} MB"
    )
    print(f"rendered pages/s (Chromium, {rate['rendered']} pages): {rate['pages_per_s']:.2f}")


if __name__ == "__main__":
    main()
