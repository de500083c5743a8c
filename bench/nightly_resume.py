"""Resume overhead of ``lurewatch nightly``: one uninterrupted night against the replica, then the
same night stopped by SIGTERM after some pages and started again (same crawl id, same JOBDIR).

    python bench/nightly_resume.py [--titles 3] [--stop-after 200] [--render]

Prints the wall time of each run, the pages each fetched, the resume overhead (stopped run +
resumed run - uninterrupted run, in seconds and as a share of the uninterrupted run) and whether
the two nights found the same hits (post URLs of the -O outputs). Indexing is off.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo import REPLICA_SLOTS  # noqa: E402
from replica.server import ReplicaServer  # noqa: E402

TITLES = (("Man of Steel", 2013), ("Iron Man 3", 2013), ("Toy Story 5", 2026), ("Dune", 2021))


def _command(origin: str, data: Path, out: Path, titles: Path, render: bool) -> list[str]:
    settings = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LUREWATCH_DATA_DIR": str(data),
        "LUREWATCH_TITLES": str(titles),
        "LUREWATCH_CRAWL_ID": "bench",
        "LUREWATCH_RENDER_ENABLED": "1" if render else "0",
        "LUREWATCH_QUOTA_ENABLED": "0",
        "LUREWATCH_RECHECK_INTERVAL": "0",  # every run fetches every post (no incremental skip)
        "LUREWATCH_PROGRESS_INTERVAL": "1",
        "LUREWATCH_ES_ENABLED": "0",
        "DOWNLOAD_SLOTS": json.dumps(REPLICA_SLOTS),
        "LUREWATCH_MAX_BACKOFF": "1",
        "LOG_LEVEL": "INFO",
    }
    cmd = [sys.executable, "-m", "crawler.cli", "nightly", "-O", str(out)]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def _pages(log: Path) -> int:
    latest: dict[str, int] = {}
    for name, pages in re.findall(r"Progress (\w+): (\d+) pages", log.read_text("utf-8")):
        latest[name] = int(pages)
    return sum(latest.values())


def _total_pages(stdout: str) -> int:
    total = [line.split() for line in stdout.splitlines() if line.startswith("total")]
    return int(total[-1][1]) if total else 0


def _run(cmd: list[str], log: Path, stop_after: int | None = None) -> dict[str, Any]:
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
        stopped_at = None
        if stop_after is not None:
            while proc.poll() is None and _pages(log) < stop_after:
                time.sleep(0.2)
            stopped_at = time.monotonic() - started
            proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate()
    return {
        "seconds": time.monotonic() - started,
        "stopped_at": stopped_at,
        "code": proc.returncode,
        "pages": _total_pages(out),
    }


def _urls(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {json.loads(line)["url"] for line in path.read_text("utf-8").splitlines() if line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=3)
    parser.add_argument("--stop-after", type=int, default=200, help="pages before SIGTERM")
    parser.add_argument("--render", action="store_true", help="rendering on (Chromium)")
    args = parser.parse_args()
    server = ReplicaServer(port=0, seed=2026).start()
    try:
        with tempfile.TemporaryDirectory(prefix="lurewatch-resume-") as tmp:
            work = Path(tmp)
            titles = work / "titles.yaml"
            titles.write_text(
                "".join(f"- title: {t}\n  year: {y}\n" for t, y in TITLES[: args.titles]),
                encoding="utf-8",
            )

            def cmd(data: str, out: str) -> list[str]:
                return _command(server.origin, work / data, work / out, titles, args.render)

            whole = _run(cmd("whole", "whole.jsonl"), work / "whole.log")
            first = _run(cmd("night", "first.jsonl"), work / "first.log", args.stop_after)
            second = _run(cmd("night", "second.jsonl"), work / "second.log")
            same = _urls(work / "whole.jsonl") == (
                _urls(work / "first.jsonl") | _urls(work / "second.jsonl")
            )
            hits = len(_urls(work / "whole.jsonl"))
    finally:
        server.stop()
    overhead = first["seconds"] + second["seconds"] - whole["seconds"]
    print(f"titles {args.titles}, rendering {'on' if args.render else 'off'}")
    print(f"uninterrupted: {whole['seconds']:.1f} s, {whole['pages']} pages, exit {whole['code']}")
    print(
        f"stopped run: SIGTERM at {first['stopped_at']:.1f} s, exited after "
        f"{first['seconds']:.1f} s (exit {first['code']}), {first['pages']} pages"
    )
    print(
        f"resumed run: {second['seconds']:.1f} s, exit {second['code']}, night total "
        f"{second['pages']} pages"
    )
    print(
        f"resume overhead: {overhead:.1f} s ({overhead / whole['seconds']:.0%} of the "
        f"uninterrupted night), {second['pages'] - whole['pages']} pages fetched again"
    )
    print(f"same hits: {same} ({hits} posts)")


if __name__ == "__main__":
    main()
