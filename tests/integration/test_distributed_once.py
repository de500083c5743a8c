"""Distributed mode fetches each page once: two workers on real Redis against a replica that
logs every request it answers (the proof), landing pages and redirect hops included; and a
worker killed part way loses no hit (real Elasticsearch holds them)."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from w3lib.url import canonicalize_url

from replica.http import Request, Response
from replica.server import ReplicaServer
from tests.es.conftest import all_docs
from tests.integration._helpers import finish_all, hit_ids, start_crawl

#: Rendering off: the browser fetches sub-resources of its own; this test counts pages.
NO_RENDER = {"LUREWATCH_RENDER_ENABLED": "0"}


class RequestLog:
    """Every request the replica answered (method, scheme, host, path, query), and how many got
    a good answer (not 429, not 5xx: those are retried, as they should be)."""

    def __init__(self, server: ReplicaServer) -> None:
        self.answered: Counter[tuple[str, ...]] = Counter()
        self.good: Counter[tuple[str, ...]] = Counter()
        self._lock = threading.Lock()
        self._dispatch = server.router.dispatch
        server.router.dispatch = self._record  # type: ignore[method-assign]

    def _record(self, request: Request) -> Response:
        response = self._dispatch(request)
        key = (request.method, request.scheme, request.host.split(":")[0].lower(), request.path)
        key += (request.query_string,)
        with self._lock:
            self.answered[key] += 1
            if response.status < 500 and response.status != 429:
                self.good[key] += 1
        return response

    def fetched_twice(self) -> dict[tuple[str, ...], int]:
        """Pages with more than one good answer; robots.txt aside (the issue's own exception:
        each worker's robots middleware reads it for its own politeness)."""
        return {k: n for k, n in self.good.items() if n > 1 and k[3] != "/robots.txt"}


@pytest.mark.redis
@pytest.mark.crawl
def test_two_workers_fetch_every_replica_page_once_and_find_every_hit(
    redis_url: str, tmp_path: Path
) -> None:
    with ReplicaServer() as replica, ReplicaServer() as alone:
        log = RequestLog(replica)
        env = {
            "LUREWATCH_DISTRIBUTED": "1",
            "REDIS_URL": redis_url,
            "LUREWATCH_CRAWL_ID": f"once-{uuid.uuid4().hex[:8]}",
        }
        workers = [
            start_crawl(replica.origin, tmp_path / f"w{i}.jsonl", "tumblr", NO_RENDER, env)
            for i in range(2)
        ]
        single_run = start_crawl(alone.origin, tmp_path / "single.jsonl", "tumblr", NO_RENDER)
        *crawls, single = finish_all([*workers, single_run], timeout=500)
    assert log.answered, "the replica saw no request"
    assert not log.fetched_twice(), sorted(log.fetched_twice().items())[:10]
    landings = [k for k in log.good if k[2] != "api.tumblr.com" and k[3] != "/robots.txt"]
    assert len(landings) > 20  # landing pages and redirect hops were counted too
    found = {canonicalize_url(h["url"]) for c in crawls for h in c.hits}
    alone_found = {canonicalize_url(h["url"]) for h in single.hits}
    assert len(found) > 50 and found == alone_found  # the hits of one process alone
    for crawl in crawls:  # both workers fetched, and both were served copies of the other's
        assert crawl.total("lurewatch/shared_fetch/fetched") > 0
    served = sum(c.total("lurewatch/shared_fetch/stored") for c in crawls)
    assert served > 0
    # a landing page one worker fetched reached the other's hits too (copies were served)
    landed = [h for c in crawls for h in c.hits if h.get("landing_urls")]
    assert len(landed) > 20


def _count(es: Elasticsearch, alias: str) -> int:
    if not es.options(ignore_status=404).indices.exists_alias(name=alias):
        return 0
    es.indices.refresh(index=alias)
    return int(es.count(index=alias)["count"])


@pytest.mark.redis
@pytest.mark.crawl
@pytest.mark.elasticsearch
def test_a_worker_killed_part_way_loses_no_hit(
    redis_url: str, es: Elasticsearch, es_url: str, alias: str, tmp_path: Path
) -> None:
    with ReplicaServer() as replica, ReplicaServer() as alone:
        settings = {
            **NO_RENDER,
            "ELASTICSEARCH_URL": es_url,
            "LUREWATCH_ES_INDEX": alias,
            "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
            "LUREWATCH_SHARED_FETCH_CLAIM": "15",  # a dead worker's claims expire soon
        }
        env = {
            "LUREWATCH_DISTRIBUTED": "1",
            "REDIS_URL": redis_url,
            "LUREWATCH_CRAWL_ID": f"kill-{uuid.uuid4().hex[:8]}",
        }
        workers = [
            start_crawl(replica.origin, tmp_path / f"w{i}.jsonl", "tumblr", settings, env)
            for i in range(2)
        ]
        single_run = start_crawl(alone.origin, tmp_path / "single.jsonl", "tumblr", NO_RENDER)
        deadline = time.monotonic() + 300
        while _count(es, alias) < 15:  # part way: some hits indexed, most still to come
            assert time.monotonic() < deadline and workers[0].proc.poll() is None
            time.sleep(0.5)
        workers[0].proc.send_signal(signal.SIGKILL)
        workers[0].proc.wait()
        survivor, single = finish_all([workers[1], single_run], timeout=500)
    indexed = {doc["_id"] for doc in all_docs(es, alias)}
    assert hit_ids(single.hits) == indexed  # every hit of one process alone is in the index
    assert survivor.total("lurewatch/distributed/requeued") > 0  # the dead one's work came back
