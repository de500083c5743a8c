"""``lurewatch demo``: the whole pipeline on one machine, with no API keys and no internet.

Starts the offline replica, uses Elasticsearch (``ELASTICSEARCH_URL``, else a local node started
with ``deploy/es/local`` when Java is available, else JSON Lines only), crawls the three platforms
through the replica in one process, and prints what was found and where it went. The crawl is a
``lurewatch crawl`` child process: it reads the same environment, and gets the demo's ``-s``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines._package_data import package_dir
from pipelines.es.config import redact_url
from replica.server import ReplicaServer

__all__ = ["PLATFORMS", "REPLICA_QUOTA", "REPLICA_SLOTS", "DemoPlan", "run_demo"]

#: The repository's test-node script, beside the package: in a checkout (or editable install),
#: not in a wheel.
LOCAL_ES_SCRIPT = package_dir("crawler").parent / "deploy" / "es" / "local"
PLATFORMS = ("tumblr", "wordpress", "blogger")
# the summary table's columns: (name, width)
_COLUMNS = (
    ("pages", 7),
    ("rendered", 9),
    ("posts", 7),
    ("landings", 9),
    ("hits", 6),
    ("lures", 6),
)
REPLICA_SLOTS = {
    "api.tumblr.com": {"concurrency": 4, "delay": 0},
    "www.tumblr.com": {"concurrency": 2, "delay": 0},
}
#: Crawls of the replica (demo, tests) spend no quota: the replica is no real API, and the ledger
#: under data/ counts the real keys' requests. The quota tests turn it on with their own folder.
# incremental skip off too: replica crawls share the data folder, and each must see every post
REPLICA_QUOTA = {"LUREWATCH_QUOTA_ENABLED": "0", "LUREWATCH_RECHECK_INTERVAL": "0"}


@dataclass(frozen=True)
class DemoPlan:
    """What the demo does, from the command's settings and options."""

    out: Path  # the JSON Lines file for the hits
    seed: int  # the replica's
    use_es: bool  # False: --no-es, or LUREWATCH_ES_ENABLED off
    es_url: str  # ELASTICSEARCH_URL ("" = start the local node); may hold credentials
    es_index: str  # LUREWATCH_ES_INDEX
    chromium: str  # LUREWATCH_CHROMIUM_PATH
    overrides: tuple[str, ...] = ()  # the demo's -s NAME=VALUE, passed on to its crawl


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
    _say(
        "Starting a local Elasticsearch node "
        "(deploy/es/local start; the first run downloads it)..."
    )
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


def _crawl(plan: DemoPlan, origin: str, stats_file: Path, local_es: str | None) -> int:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "-O", str(plan.out)]
    cmd += ["--stats-file", str(stats_file)]
    cmd += ["-s", f"LUREWATCH_OFFLINE_ORIGIN={origin}", "-s", "LOG_LEVEL=WARNING"]
    # the replica needs no politeness: lift Tumblr's per-host delays and long 429 backoffs
    cmd += ["-s", f"DOWNLOAD_SLOTS={json.dumps(REPLICA_SLOTS)}", "-s", "LUREWATCH_MAX_BACKOFF=1"]
    cmd += [arg for name, value in REPLICA_QUOTA.items() for arg in ("-s", f"{name}={value}")]
    for override in plan.overrides:
        cmd += ["-s", override]
    if not plan.use_es:
        cmd += ["-s", "LUREWATCH_ES_ENABLED=0"]
    elif local_es:
        cmd += ["-s", f"ELASTICSEARCH_URL={local_es}"]  # the local test node: no credentials
    if not Path(plan.chromium).exists():
        _say(f"  Chromium not found at {plan.chromium}: JavaScript rendering is off for this run.")
        cmd += ["-s", "LUREWATCH_RENDER_ENABLED=0"]
    # the caller's folder and environment, like `lurewatch crawl`: relative paths land there
    return subprocess.run(cmd, check=False).returncode  # noqa: S603 - our argv, no shell


def _read_hits(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _summary(stats: dict[str, dict[str, Any]], hits: list[dict[str, Any]]) -> list[str]:
    rows = [_table_row("platform", {name: name for name, _ in _COLUMNS})]
    totals = Counter[str]()
    for platform in PLATFORMS:
        s = stats.get(platform, {})
        mine = [h for h in hits if h.get("platform") == platform]
        row = {
            "pages": int(s.get("downloader/response_count", 0)),
            "rendered": int(
                s.get("lurewatch/render/pages", s.get("playwright/page_count", 0)) or 0
            ),
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


def _es_counts(stats: dict[str, dict[str, Any]]) -> Counter[str]:
    counts = Counter[str]()
    for spider_stats in stats.values():
        for key in ("created", "updated", "noop"):
            counts[key] += int(spider_stats.get(f"lurewatch/es/docs/{key}", 0) or 0)
        counts["spooled"] += int(spider_stats.get("lurewatch/es/spooled", 0) or 0)
    return counts


def _report_es(stats: dict[str, dict[str, Any]], es_url: str, index: str) -> None:
    counts = _es_counts(stats)
    spooled = counts["spooled"]
    _say(
        f"Elasticsearch at {redact_url(es_url)}, alias {index}: {counts['created']} documents "
        f"created, {counts['updated'] + counts['noop']} updated"
        + (f", {spooled} spooled for `lurewatch es replay`" if spooled else "")
    )
    _say("Kibana: `lurewatch kibana import`, then open the dashboard 'lurewatch overview'")


def run_demo(plan: DemoPlan) -> int:
    """Replica, crawl and summary; return the crawl's exit status."""
    plan.out.parent.mkdir(parents=True, exist_ok=True)
    stats_file = plan.out.with_suffix(".stats.json")
    local_es = None
    if plan.use_es and not plan.es_url:
        local_es = _local_elasticsearch()
    es_url = (plan.es_url or local_es) if plan.use_es else None
    with ReplicaServer(port=0, seed=plan.seed) as replica:
        _say(f"Replica of Tumblr, WordPress and Blogger serving at {replica.origin}")
        _say("Crawling the three platforms through it (real URLs, routed offline)...")
        status = _crawl(plan, replica.origin, stats_file, local_es)
        requests_served = replica.hits
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    hits = _read_hits(plan.out)
    _say("")
    for row in _summary(stats, hits):
        _say(row)
    _say(f"\nreplica requests served: {requests_served}")
    top = Counter(h["matched_title"] for h in hits if h.get("matched_title")).most_common(8)
    if top:
        _say("top titles: " + ", ".join(f"{title} ({n})" for title, n in top))
    _say(f"hits written to {plan.out}")
    if es_url:
        _report_es(stats, es_url, plan.es_index)
    else:
        _say(
            "Elasticsearch not used (no ELASTICSEARCH_URL and no local node): "
            "hits are in the JSON Lines file only"
        )
    if status != 0:
        sys.stderr.write(f"lurewatch demo: the crawl exited with status {status}\n")
    return status
