"""``lurewatch demo``: the whole pipeline on one machine, with no API keys and no internet.

Starts the offline replica, uses Elasticsearch (``ELASTICSEARCH_URL``, else a local node started with
``deploy/es/local`` when Java is available, else JSON Lines only), crawls the three platforms through the
replica in one process, and prints what was found and where it went.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipelines._package_data import package_dir
from pipelines.exceptions import WatchlistError
from pipelines.watchlists import load_searches, load_titles
from replica.server import ReplicaServer

__all__ = ["main"]

#: The repository's test-node script, beside the package: in a checkout (or editable install),
#: not in a wheel.
LOCAL_ES_SCRIPT = package_dir("crawler").parent / "deploy" / "es" / "local"
PLATFORMS = ("tumblr", "wordpress", "blogger")
# the summary table's columns: (name, width)
_COLUMNS = (("pages", 7), ("rendered", 9), ("posts", 7), ("landings", 9), ("hits", 6), ("lures", 6))
REPLICA_SLOTS = {
    "api.tumblr.com": {"concurrency": 4, "delay": 0},
    "www.tumblr.com": {"concurrency": 2, "delay": 0},
}


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _local_elasticsearch() -> str | None:
    """Start (or find) the local test node; None without its script or Java, or if it fails."""
    if not LOCAL_ES_SCRIPT.exists():
        _say(
            "No ELASTICSEARCH_URL, and no deploy/es/local (lurewatch installed without its "
            "repository): running without indexing, hits go to JSON Lines only."
        )
        return None
    if not (shutil.which("java") or Path("/usr/lib/jvm").exists()):
        return None
    _say("Starting a local Elasticsearch node (deploy/es/local start; the first run downloads it)...")
    proc = subprocess.run(  # noqa: S603 - our own deploy script, no shell
        [str(LOCAL_ES_SCRIPT), "start"], capture_output=True, text=True, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        _say(
            f"  Elasticsearch did not start ({proc.stderr.strip()[-300:] or 'no output'}); "
            "hits go to JSON Lines only."
        )
        return None
    return lines[-1].strip()


def _crawl(origin: str, out: Path, stats_file: Path, es_url: str | None, extra: list[str]) -> int:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "-O", str(out), "--stats-file", str(stats_file)]
    cmd += ["-s", f"LUREWATCH_OFFLINE_ORIGIN={origin}", "-s", "LOG_LEVEL=WARNING"]
    # the replica needs no politeness: lift Tumblr's per-host delays and long 429 backoffs
    cmd += ["-s", f"DOWNLOAD_SLOTS={json.dumps(REPLICA_SLOTS)}", "-s", "LUREWATCH_MAX_BACKOFF=1", *extra]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    env.pop("ELASTICSEARCH_URL", None)
    if es_url:
        env["ELASTICSEARCH_URL"] = es_url
    if not Path("/usr/bin/chromium").exists():
        _say("  Chromium not found at /usr/bin/chromium: JavaScript rendering is off for this run.")
        cmd += ["-s", "LUREWATCH_RENDER_ENABLED=0"]
    # the caller's folder, like `lurewatch crawl`: relative -s paths and the spool land there
    return subprocess.run(cmd, env=env, check=False).returncode  # noqa: S603 - our argv, no shell


def _read_hits(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _summary(stats: dict[str, dict[str, Any]], hits: list[dict[str, Any]]) -> list[str]:
    rows = [_table_row("platform", {name: name for name, _ in _COLUMNS})]
    totals = Counter[str]()
    for platform in PLATFORMS:
        s = stats.get(platform, {})
        mine = [h for h in hits if h.get("platform") == platform]
        row = {
            "pages": int(s.get("downloader/response_count", 0)),
            "rendered": int(s.get("lurewatch/render/pages", s.get("playwright/page_count", 0)) or 0),
            "posts": int(s.get(f"lurewatch/{platform}/posts", 0)),
            "landings": int(s.get("lurewatch/landing/static", 0)),
            "hits": len(mine),
            "lures": sum(1 for h in mine if h.get("sso_lure")),
        }
        totals.update(row)
        rows.append(_table_row(platform, row))
    rows.append(_table_row("total", totals))
    return rows


def _table_row(label: str, values: Mapping[str, object]) -> str:
    return f"{label:<10} " + " ".join(f"{values[name]:>{width}}" for name, width in _COLUMNS)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lurewatch demo", description=__doc__)
    parser.add_argument("--out", default="out/demo-hits.jsonl", help="JSON Lines file for the hits")
    parser.add_argument("--no-es", action="store_true", help="do not use Elasticsearch")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    try:
        load_titles(os.environ.get("LUREWATCH_TITLES") or None)
        load_searches(os.environ.get("LUREWATCH_SEARCHES") or None)
    except WatchlistError as exc:
        sys.stderr.write(f"lurewatch demo: broken watchlist: {exc}\n")
        return 2
    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stats_file = out.with_suffix(".stats.json")
    es_url = None if args.no_es else (os.environ.get("ELASTICSEARCH_URL") or _local_elasticsearch())
    with ReplicaServer(port=0, seed=args.seed) as replica:
        _say(f"Replica of Tumblr, WordPress and Blogger serving at {replica.origin}")
        _say("Crawling the three platforms through it (real URLs, routed offline)...")
        extra = [item for pair in (("-s", s) for s in args.settings) for item in pair]
        status = _crawl(replica.origin, out, stats_file, es_url, extra)
        requests_served = replica.hits
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    hits = _read_hits(out)
    _say("")
    for row in _summary(stats, hits):
        _say(row)
    _say(f"\nreplica requests served: {requests_served}")
    top = Counter(h["matched_title"] for h in hits if h.get("matched_title")).most_common(8)
    if top:
        _say("top titles: " + ", ".join(f"{title} ({n})" for title, n in top))
    _say(f"hits written to {out}")
    if es_url:
        index = os.environ.get("LUREWATCH_ES_INDEX", "lurewatch-hits")
        es = Counter[str]()
        for spider_stats in stats.values():
            for key in ("created", "updated", "noop"):
                es[key] += int(spider_stats.get(f"lurewatch/es/docs/{key}", 0) or 0)
            es["spooled"] += int(spider_stats.get("lurewatch/es/spooled", 0) or 0)
        _say(
            f"Elasticsearch at {es_url}, alias {index}: {es['created']} documents created, "
            f"{es['updated'] + es['noop']} updated"
            + (f", {es['spooled']} spooled for `lurewatch es replay`" if es["spooled"] else "")
        )
        _say("Kibana: `lurewatch kibana import`, then open the dashboard 'lurewatch overview'")
    else:
        _say(
            "Elasticsearch not used (no ELASTICSEARCH_URL and no local node): "
            "hits are in the JSON Lines file only"
        )
    if status != 0:
        sys.stderr.write(f"lurewatch demo: the crawl exited with status {status}\n")
    return status
