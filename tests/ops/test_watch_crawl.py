"""``lurewatch watch`` end to end: the replica publishes posts over time on a sped-up clock, three
polls run against it and index into the real Elasticsearch; a post published after the watch
started is indexed, and a post already seen is not fetched again (the replica's request log)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from elasticsearch import Elasticsearch

from pipelines.cursors import WatchState
from pipelines.urls import canonical_post_url
from replica.dataset import Post
from replica.http import Request, Response
from replica.server import ReplicaServer
from tests._crawl import FAST_REPLICA, ROOT, clean_env
from tests.es.conftest import all_docs, fresh_alias

pytestmark = [pytest.mark.crawl, pytest.mark.elasticsearch]

CLOCK = 60.0  # a replica hour a real minute
HOURS = 48.0  # publishing spread over two replica days: the test sees a few hours of it
PLATFORMS = ("tumblr", "blogger")


class RequestLog:
    """Every request the replica answered well (not 429, not 5xx), by host, path and query."""

    def __init__(self, server: ReplicaServer) -> None:
        self.good: Counter[tuple[str, str, str]] = Counter()
        self._lock = threading.Lock()
        self._dispatch = server.router.dispatch
        server.router.dispatch = self._record  # type: ignore[method-assign]

    def _record(self, request: Request) -> Response:
        response = self._dispatch(request)
        key = (request.host.split(":")[0].lower(), request.path, request.query_string)
        if response.status < 500 and response.status != 429:
            with self._lock:
                self.good[key] += 1
        return response

    def fetches(self, url: str) -> int:
        parts = urlsplit(url)
        return self.good[((parts.hostname or "").lower(), parts.path or "/", parts.query)]

    def queries(self, path_end: str) -> list[dict[str, list[str]]]:
        with self._lock:
            keys = list(self.good)
        return [parse_qs(query) for _, path, query in keys if path.endswith(path_end)]


@pytest.fixture
def alias(es: Elasticsearch) -> Iterator[str]:
    yield from fresh_alias(es, "lwwatch")


def _late_post(replica: ReplicaServer) -> Post:
    """A scheduled fake on a watched platform that a search finds, published hours after the
    start (never during the first poll), with landing pages no other post links."""
    dataset = replica.router.dataset
    links = Counter(url for post in dataset.posts for url in post.outbound)
    start = replica.clock.now()
    return next(
        p
        for p in dataset.scheduled()
        if p.platform in PLATFORMS
        and p.truth.fake_stream
        and "search" in p.truth.routes
        and any(f"disguise: {kind}" in p.truth.note for kind in ("plain", "lowercase"))
        and p.outbound
        and all(links[url] == 1 for url in p.outbound)
        and p.timestamp > start + 6 * 3600
    )


def _titles(tmp_path: Path, title: str) -> Path:
    shipped = yaml.safe_load((ROOT / "watchlists" / "titles.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "titles.yaml"
    path.write_text(yaml.safe_dump([e for e in shipped if e["title"] == title]), encoding="utf-8")
    return path


def _watch_command(origin: str, data: Path, titles: Path, alias: str) -> list[str]:
    settings = {
        **FAST_REPLICA,
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LUREWATCH_DATA_DIR": str(data),
        "LUREWATCH_TITLES": str(titles),
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_RECHECK_INTERVAL": str(7 * 86400),  # posts met again: not fetched again
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "crawler.cli", "watch", "--polls", "3"]
    command += ["--interval", "10s", "--spiders", ",".join(PLATFORMS)]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def _indexed(es: Elasticsearch, alias: str) -> set[str]:
    if not es.indices.exists_alias(name=alias):
        return set()
    return {canonical_post_url(doc["url"]) for doc in all_docs(es, alias)}


def test_a_post_published_after_the_start_is_indexed_and_nothing_is_fetched_twice(
    tmp_path: Path, es: Elasticsearch, es_url: str, alias: str
) -> None:
    with ReplicaServer(clock=CLOCK, publish=0.3, publish_hours=HOURS) as replica:
        log = RequestLog(replica)
        post = _late_post(replica)
        assert post.truth.matched_title is not None
        titles = _titles(tmp_path, post.truth.matched_title)
        data = tmp_path / "data"
        command = _watch_command(replica.origin, data, titles, alias)
        with (tmp_path / "watch.log").open("w") as stderr:
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=clean_env({"ELASTICSEARCH_URL": es_url}),
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
            lines = _follow(proc, es, alias, replica, post)
    assert proc.returncode == 0, (tmp_path / "watch.log").read_text()[-4000:]
    assert [line.split()[1] for line in lines] == ["1", "2", "3"]
    key = canonical_post_url(post.url)
    assert key in _indexed(es, alias)
    for url in post.outbound:  # polls 2 and 3 both list the post: one fetch of its landings
        assert log.fetches(url) == 1, url
    cursors = WatchState.load(data / "watch" / "cursors.json").cursors
    assert any(k.startswith("api.tumblr.com/v2/tagged?") for k in cursors)
    feeds = log.queries("/feeds/posts/default")
    assert any("published-min" in q for q in feeds if "q" in q)  # polls 2-3 ask from the cursor


def _follow(
    proc: subprocess.Popen[str],
    es: Elasticsearch,
    alias: str,
    replica: ReplicaServer,
    post: Post,
) -> list[str]:
    """The watch's poll lines; after the first, the post is not indexed yet and the clock moves
    past its publish time."""
    assert proc.stdout is not None
    lines = []
    try:
        for line in proc.stdout:
            if not line.startswith("poll "):
                continue
            lines.append(line)
            if len(lines) == 1:
                assert canonical_post_url(post.url) not in _indexed(es, alias)
                replica.clock.advance(post.timestamp - replica.clock.now() + 1)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return lines
