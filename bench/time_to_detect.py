"""Time to detect in continuous mode: a post published on the replica's clock -> its hit indexed.

``python3 bench/time_to_detect.py [--share 0.3] [--hours 1] [--titles 8] [--unbounded] [--rest N]``
starts the replica
with a share of its posts published over ``--hours`` replica hours, runs ``lurewatch watch`` at the
default poll interval (``LUREWATCH_WATCH_INTERVAL``) against it into a fresh Elasticsearch alias
(``ELASTICSEARCH_URL``, default http://127.0.0.1:9200, deleted afterwards), and prints the
median and p90 of (published on the replica clock -> hit indexed, in replica minutes), with the
requests per platform and API per poll against their quotas and the next pages the polls did not
ask for (``--unbounded``: ``LUREWATCH_WATCH_BOUND_PAGES=0``, every page followed, to compare) and
the searches that sat out polls (``--rest N``: ``LUREWATCH_WATCH_REST``, default the setting's).

The replica's clock is sped up between polls only: during a poll it runs at real speed (a crawl
takes the real time it takes), and when a poll ends the clock jumps to the next poll's start
(one interval after the last start, or at once when the poll took longer). So the figures are
what a deployment would see at that interval, without waiting for it. Quotas are on (their
ledger in a temporary data folder, its windows in real time: stricter than a real deployment,
where the same polls spread over real hours).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import yaml
from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import defaults  # noqa: E402 - the checkout's own packages, after the path
from pipelines.takedowns.config import parse_duration  # noqa: E402
from pipelines.urls import canonical_post_url  # noqa: E402
from replica.dataset import Dataset, Post  # noqa: E402
from replica.server import ReplicaServer  # noqa: E402

_POLL = re.compile(r"^poll (\d+) at \S+: exit (\d+), (\d+) hits in ([\d.]+) s")
_QUOTA = re.compile(r"\] INFO: Quota (\w+): (\d+) requests")
_CUT = re.compile(r"; (\d+) next pages not asked for")
_RESTED = re.compile(r"'lurewatch/watch/searches_rested': (\d+)")
_SLOTS = '{"api.tumblr.com": {"concurrency": 4, "delay": 0}, "www.tumblr.com": {"delay": 0}}'


class IndexWatcher:
    """The real time each wanted post first appears in the alias (polled every second)."""

    def __init__(self, es: Elasticsearch, alias: str, wanted: set[str]) -> None:
        self.es = es
        self.alias = alias
        self.wanted = wanted
        self.first: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(1.0):
            self.check()

    def check(self) -> None:
        if not self.es.indices.exists_alias(name=self.alias):
            return
        now = time.time()
        found = self.es.search(
            index=self.alias, size=10000, source_includes=["url"], query={"match_all": {}}
        )
        for hit in found["hits"]["hits"]:
            key = canonical_post_url(str(hit["_source"].get("url") or ""))
            if key in self.wanted:
                self.first.setdefault(key, now)


class Polls:
    """Poll starts and ends in real time and on the replica's clock; moves the clock on."""

    def __init__(self, replica: ReplicaServer, interval: float) -> None:
        self.replica = replica
        self.interval = interval
        self.real: list[tuple[float, float]] = []  # (start, end) per poll
        self.replica_start: list[float] = []

    def ended(self, seconds: float) -> None:
        now = time.time()
        start = now - seconds
        self.real.append((start, now))
        self.replica_start.append(self.replica.clock.now() - seconds)
        self.replica.clock.advance(max(0.0, self.interval - seconds))

    def replica_time(self, real: float) -> float | None:
        """The replica's time at real time ``real`` during a poll (``None``: between polls)."""
        for (start, end), replica_start in zip(self.real, self.replica_start, strict=True):
            if start - 1 <= real <= end + 2:  # the index refreshes within a second or two
                return replica_start + (real - start)
        return None


def _watched(titles: int) -> set[str]:
    entries = yaml.safe_load((ROOT / "watchlists" / "titles.yaml").read_text(encoding="utf-8"))
    return {str(e["title"]) for e in entries[:titles]}


def _targets(replica: ReplicaServer, watched: set[str], spiders: list[str]) -> list[Post]:
    dataset: Dataset = replica.router.dataset  # type: ignore[attr-defined]  # the ground truth
    return [
        p
        for p in dataset.scheduled()
        if p.truth.is_hit and p.truth.matched_title in watched and p.platform in spiders
    ]


def _command(
    args: argparse.Namespace, origin: str, data: Path, alias: str, polls: int
) -> list[str]:
    settings = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LUREWATCH_DATA_DIR": str(data),
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_MAX_TITLES": str(args.titles),
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_MAX_BACKOFF": "1",
        "DOWNLOAD_SLOTS": _SLOTS,
        "LOG_LEVEL": "INFO",
        "LUREWATCH_WATCH_BOUND_PAGES": "0" if args.unbounded else "1",
        "LUREWATCH_WATCH_REST": str(args.rest),
        # the polls run every 10 s of real time; their quotas are paced as a deployment's are,
        # by the default interval (the replica's clock stands for it)
        "LUREWATCH_QUOTA_PACE": str(parse_duration(defaults.LUREWATCH_WATCH_INTERVAL).seconds),
    }
    command = [sys.executable, "-m", "crawler.cli", "watch", "--polls", str(polls)]
    command += ["--interval", "10s", "--spiders", args.spiders]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _quota_lines(log: Path) -> dict[str, list[int]]:
    per_api: dict[str, list[int]] = defaultdict(list)
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _QUOTA.search(line)
        if match:
            per_api[match.group(1)].append(int(match.group(2)))
    return per_api


def _report(
    args: argparse.Namespace,
    targets: list[Post],
    watcher: IndexWatcher,
    polls: Polls,
    log: Path,
    interval: float,
) -> None:
    detect = []
    for post in targets:
        seen = watcher.first.get(canonical_post_url(post.url))
        moment = polls.replica_time(seen) if seen is not None else None
        if moment is not None:
            detect.append(max(0.0, moment - post.timestamp) / 60)
    durations = [end - start for start, end in polls.real]
    print(f"replica: {args.share:g} of the posts published over {args.hours:g} replica hours")
    print(f"watch: {len(durations)} polls every {interval / 60:g} min, spiders {args.spiders}, ")
    print(f"       {args.titles} titles; poll took {statistics.median(durations):.0f} s (median)")
    print(f"posts to detect (scheduled hits of watched titles): {len(targets)}")
    print(f"detected and indexed: {len(detect)}")
    if detect:
        print(
            f"time to detect (replica minutes): median {statistics.median(detect):.1f}, "
            f"p90 {_percentile(detect, 0.9):.1f}, max {max(detect):.1f}"
        )
    per_hour = 3600 / max(interval, statistics.median(durations))
    quotas = {
        "tumblr": defaults.LUREWATCH_QUOTA_TUMBLR,
        "google_cse": defaults.LUREWATCH_QUOTA_GOOGLE_CSE,
        "brave": defaults.LUREWATCH_QUOTA_BRAVE,
        "wordpress": defaults.LUREWATCH_QUOTA_WORDPRESS,
        "blogger": defaults.LUREWATCH_QUOTA_BLOGGER,
    }
    text = log.read_text(encoding="utf-8", errors="replace")
    cut = sum(int(m.group(1)) for m in _CUT.finditer(text))
    bound = "off (--unbounded)" if args.unbounded else "on"
    print(f"page bound {bound}: {cut} next pages not asked for over the polls")
    rested = sum(int(m.group(1)) for m in _RESTED.finditer(text))
    print(f"rest up to {args.rest} polls: {rested} searches sat out a poll (over the polls)")
    print(f"requests per poll (mean) and per hour at {per_hour:.1f} polls/h vs quota:")
    for api, counts in sorted(_quota_lines(log).items()):
        mean = sum(counts) / max(1, len(durations))
        print(
            f"  {api:<11} {mean:7.1f}/poll {mean * per_hour:8.0f}/h   quota {quotas.get(api, '-')}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.3, help="share of posts published later")
    parser.add_argument("--hours", type=float, default=1.0, help="replica hours of publishing")
    parser.add_argument("--titles", type=int, default=8, help="watched titles (the first N)")
    parser.add_argument("--spiders", default="tumblr,wordpress,blogger")
    parser.add_argument(
        "--unbounded",
        action="store_true",
        help="follow every page (LUREWATCH_WATCH_BOUND_PAGES=0)",
    )
    parser.add_argument(
        "--rest",
        type=int,
        default=defaults.LUREWATCH_WATCH_REST,
        help="polls a quiet search without a date parameter sits out at most (0: none)",
    )
    args = parser.parse_args()
    interval = parse_duration(defaults.LUREWATCH_WATCH_INTERVAL).total_seconds()
    polls = math.ceil(args.hours * 3600 / interval) + 1
    es_url = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    es = Elasticsearch(es_url, request_timeout=30)
    alias = f"lwbench-ttd-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUREWATCH_")}
    env["ELASTICSEARCH_URL"] = es_url
    with ReplicaServer(publish=args.share, publish_hours=args.hours) as replica:
        targets = _targets(replica, _watched(args.titles), args.spiders.split(","))
        watcher = IndexWatcher(es, alias, {canonical_post_url(p.url) for p in targets})
        clock = Polls(replica, interval)
        with tempfile.TemporaryDirectory(prefix="lurewatch-ttd-") as tmp:
            log = Path(tempfile.gettempdir()) / f"{alias}.log"  # kept: the polls' crawl logs
            command = _command(args, replica.origin, Path(tmp) / "data", alias, polls)
            watcher.thread.start()
            try:
                _run(command, env, log, clock)
                time.sleep(2)
                watcher.check()
            finally:
                watcher.stop.set()
            _report(args, targets, watcher, clock, log, interval)
            print(f"log: {log}")
    es.options(ignore_status=404).indices.delete(index=f"{alias}*", expand_wildcards="all")
    for name in (alias, f"{alias}@mappings", f"{alias}@settings"):
        es.options(ignore_status=404).indices.delete_index_template(name=name)
        es.options(ignore_status=404).cluster.delete_component_template(name=name)
    return 0


def _run(command: list[str], env: dict[str, str], log: Path, polls: Polls) -> None:
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            match = _POLL.match(line)
            if match:
                polls.ended(float(match.group(4)))
                sys.stderr.write(line)
        proc.wait()
        proc.stdout.close()
    if proc.returncode != 0:
        sys.stderr.write(f"lurewatch watch exited {proc.returncode}; log: {log}\n")


if __name__ == "__main__":
    sys.exit(main())
