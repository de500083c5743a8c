"""Distributed mode fetches each page once: two workers on real Redis against a replica that
logs every request it answers (the proof), landing pages and redirect hops included."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest
from w3lib.url import canonicalize_url

from replica.http import Request, Response
from replica.server import ReplicaServer
from tests.integration._helpers import finish, start_crawl

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
        crawls = [finish(w, timeout=500) for w in workers]
        single = finish(single_run, timeout=500)
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
