"""What an incremental second night saves: two crawls of one spider against the replica with the
re-check interval on (``LUREWATCH_RECHECK_INTERVAL``, 7 days), the second the next "night".

    python3 bench/incremental_bench.py [--spider tumblr] [--titles 3] [--changed 1]

Between the nights ``--changed`` posts that were hits get a new sentence on the replica (a post
edited since it was fetched). Prints, for each night: requests the replica served, landing pages
fetched, posts seen, skipped as unchanged, emitted (judged again) and wall time; then the second
night's requests as a share of the first's, and whether the index would hold the same hits (the
first night's hits = the second's plus the skipped hits). Rendering and indexing are off.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo import REPLICA_SLOTS  # noqa: E402
from pipelines.seen import SqliteSeenLedger  # noqa: E402
from pipelines.urls import canonical_post_url  # noqa: E402
from replica.app import build_router  # noqa: E402
from replica.content import build_dataset  # noqa: E402
from replica.server import ReplicaServer  # noqa: E402

TITLES = (("Man of Steel", 2013), ("Iron Man 3", 2013), ("Toy Story 5", 2026), ("Dune", 2021))
STATS = (
    "lurewatch/landing/static",
    "lurewatch/incremental/skipped",
    "lurewatch/incremental/new",
    "lurewatch/incremental/rechecked",
    "lurewatch/incremental/skipped/post_pages",
)


def _command(origin: str, work: Path, spider: str, night: str) -> list[str]:
    settings = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LUREWATCH_DATA_DIR": str(work / "data"),  # one data folder: the nights share the ledger
        "LUREWATCH_TITLES": str(work / "titles.yaml"),
        "LUREWATCH_RECHECK_INTERVAL": str(7 * 86400),
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_QUOTA_ENABLED": "0",
        "LUREWATCH_ES_ENABLED": "0",
        "DOWNLOAD_SLOTS": json.dumps(REPLICA_SLOTS),
        "LUREWATCH_MAX_BACKOFF": "1",
        "LOG_LEVEL": "INFO",
    }
    out = work / f"{night}.jsonl"
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--spiders", spider]
    cmd += ["--stats-file", str(out.with_suffix(".stats.json")), "-O", str(out)]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def _night(server: ReplicaServer, work: Path, spider: str, night: str) -> dict[str, Any]:
    before = server.hits
    started = time.monotonic()
    with (work / f"{night}.log").open("w", encoding="utf-8") as log:
        code = subprocess.call(
            _command(server.origin, work, spider, night), cwd=ROOT, stderr=log, timeout=1800
        )
    if code != 0:
        tail = (work / f"{night}.log").read_text("utf-8")[-3000:]
        raise SystemExit(f"the {night} crawl exited {code}:\n{tail}")
    stats = json.loads((work / f"{night}.stats.json").read_text("utf-8"))
    merged: dict[str, int] = {}
    for per_spider in stats.values():
        for name in (*STATS, f"lurewatch/{spider}/posts"):
            merged[name] = merged.get(name, 0) + int(per_spider.get(name) or 0)
    lines = (work / f"{night}.jsonl").read_text("utf-8").splitlines()
    return {
        "code": code,
        "seconds": time.monotonic() - started,
        "requests": server.hits - before,
        "stats": merged,
        "hits": {canonical_post_url(json.loads(line)["url"]) for line in lines if line},
    }


def _edit(router: Any, urls: set[str], count: int) -> set[str]:
    """Add a sentence to ``count`` of the posts at ``urls`` (sorted): posts edited since."""
    edited: set[str] = set()
    for post in router.dataset.posts:
        if len(edited) < count and canonical_post_url(post.url) in sorted(urls)[:count]:
            post.body_html += "<p>Updated: new mirror added.</p>"
            edited.add(canonical_post_url(post.url))
    return edited


def _print(night: str, run: dict[str, Any], spider: str) -> None:
    stats = run["stats"]
    print(
        f"{night}: exit {run['code']}, {run['seconds']:.1f} s, {run['requests']} replica requests,"
        f" {stats['lurewatch/landing/static']} landing pages, {stats[f'lurewatch/{spider}/posts']}"
        f" posts seen, {stats['lurewatch/incremental/skipped']} skipped as unchanged"
        f" ({stats['lurewatch/incremental/new']} new, {stats['lurewatch/incremental/rechecked']}"
        f" changed or due; {stats['lurewatch/incremental/skipped/post_pages']} of them post page"
        f" requests), {len(run['hits'])} hits emitted"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spider", default="tumblr", choices=("tumblr", "wordpress", "blogger"))
    parser.add_argument("--titles", type=int, default=3)
    parser.add_argument("--changed", type=int, default=1, help="hit posts edited between nights")
    args = parser.parse_args()
    router = build_router(dataset=build_dataset(seed=2026))
    server = ReplicaServer(router=router).start()
    try:
        with tempfile.TemporaryDirectory(prefix="lurewatch-incremental-") as tmp:
            work = Path(tmp)
            (work / "titles.yaml").write_text(
                "".join(f"- title: {t}\n  year: {y}\n" for t, y in TITLES[: args.titles]),
                encoding="utf-8",
            )
            first = _night(server, work, args.spider, "first")
            edited = _edit(router, first["hits"], args.changed)
            second = _night(server, work, args.spider, "second")
            ledger = SqliteSeenLedger(work / "data" / "incremental" / "seen.sqlite3")
            known_hits = {url for url, entry in ledger.load(since=0).items() if entry.hit}
    finally:
        server.stop()
    print(f"spider {args.spider}, titles {args.titles}, rendering off, interval 7 d")
    _print("first night", first, args.spider)
    _print("second night", second, args.spider)
    share = second["requests"] / max(1, first["requests"])
    print(f"second night's requests: {share:.0%} of the first's")
    print(f"edited posts fetched again: {len(edited & second['hits'])} of {len(edited)}")
    print(f"same hits in the ledger as the first night found: {known_hits == first['hits']}")


if __name__ == "__main__":
    main()
