"""Elasticsearch goes away in the middle of a real crawl: no hit is lost, none is indexed twice.

The crawl talks to Elasticsearch through :class:`BulkCutoffProxy`, which lets a few bulk requests
through and then goes down for the rest of the crawl; the unindexed hits wait in the spool. Then
Elasticsearch is back and ``lurewatch es replay`` (the real CLI) sends them; and the next crawl
replays a spool by itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch

from pipelines.es.spool import Spool
from replica.server import ReplicaServer
from tests._crawl import ROOT
from tests.es.conftest import all_docs, drop_alias, pipeline_settings
from tests.integration._helpers import BulkCutoffProxy, hit_ids, run_lurewatch_crawl

pytestmark = [pytest.mark.crawl, pytest.mark.browser]  # a whole crawl, rendering on

SPIDERS = "blogger"
ALLOWED_BULKS = 1


def _es_settings(url: str, alias: str, data_dir: Path) -> dict[str, Any]:
    """Small batches so that the crawl sends many bulks, flushed every second; one quick retry."""
    settings = pipeline_settings(url, alias, data_dir)
    return {**settings, "LUREWATCH_ES_BATCH_SIZE": 4, "LUREWATCH_ES_FLUSH_SECONDS": 1}


def _replay(url: str, alias: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``lurewatch es replay`` as a user runs it."""
    cmd = [
        sys.executable,
        "-m",
        "crawler.cli",
        "es",
        "--url",
        url,
        "--index",
        alias,
        "--data-dir",
        str(data_dir),
        "replay",
    ]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def _snapshot(es: Elasticsearch, alias: str) -> dict[str, tuple[int, int]]:
    """``{_id: (_seq_no, times_seen)}``: any write would change it."""
    es.indices.refresh(index=alias)
    found = es.search(index=alias, size=1000, seq_no_primary_term=True, query={"match_all": {}})
    hits = found["hits"]["hits"]
    return {h["_id"]: (h["_seq_no"], h["_source"]["times_seen"]) for h in hits}


def test_outage_mid_crawl_then_replay_indexes_every_hit_exactly_once(
    replica: ReplicaServer,
    es: Elasticsearch,
    es_url: str,
    alias: str,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    upstream = urlsplit(es_url)
    proxy = BulkCutoffProxy(
        (upstream.hostname or "127.0.0.1", upstream.port or 9200), allow=ALLOWED_BULKS
    )
    try:
        crawl = run_lurewatch_crawl(
            replica.origin,
            tmp_path / "hits.jsonl",
            SPIDERS,
            {
                **_es_settings(f"http://127.0.0.1:{proxy.port}", alias, data_dir),
                "LUREWATCH_CRAWL_ID": "it-outage",
                "LUREWATCH_MAX_TITLES": 3,
            },
        )
        assert proxy.down.is_set(), (
            f"the crawl sent only {proxy.bulks} bulk requests: no outage happened"
        )
        expected = hit_ids(crawl.hits)
        indexed_before = {d["_id"] for d in all_docs(es, alias)}
        spool = Spool(data_dir / "es-spool" / f"{alias}.jsonl")
        spooled = spool.count()
        assert crawl.total("lurewatch/es/spooled") == spooled > 0
        assert (
            0 < len(indexed_before) < len(expected)
        )  # part of the hits went in before the outage
        keep = tmp_path / "spool-copy.jsonl"
        shutil.copy(spool.path, keep)  # for the next-crawl test below

        proxy.restart()  # Elasticsearch is back, on the same address
        done = _replay(f"http://127.0.0.1:{proxy.port}", alias, data_dir)
        assert done.returncode == 0, done.stderr
        assert "0 still spooled" in done.stdout
    finally:
        proxy.stop()

    docs = all_docs(es, alias)
    ids = [d["_id"] for d in docs]
    assert (
        len(ids) == len(set(ids)) == len(expected) and set(ids) == expected
    )  # every hit, exactly once
    assert {d["times_seen"] for d in docs} == {1} and {d["crawl_id"] for d in docs} == {
        "it-outage"
    }
    assert spool.count() == 0 and not list(spool.path.parent.glob("*.jsonl"))

    before = _snapshot(es, alias)
    again = _replay(es_url, alias, data_dir)  # idempotent: nothing left, nothing changes
    assert again.returncode == 0 and "replayed 0 documents" in again.stdout, (
        again.stdout + again.stderr
    )
    assert _snapshot(es, alias) == before

    _next_crawl_replays_the_spool(replica, es, es_url, keep, spooled, tmp_path)


def _next_crawl_replays_the_spool(
    replica: ReplicaServer,
    es: Elasticsearch,
    es_url: str,
    spool_copy: Path,
    spooled: int,
    tmp_path: Path,
) -> None:
    """The spool the outage left, under a second alias: the next crawl sends it at start,
    unasked."""
    alias, data_dir = f"lwit-next-{uuid.uuid4().hex[:8]}", tmp_path / "data-next"
    pending = Spool(data_dir / "es-spool" / f"{alias}.jsonl")
    pending.path.parent.mkdir(parents=True)
    shutil.copy(spool_copy, pending.path)
    waiting = hit_ids(list(pending.read(pending.path)))
    try:
        crawl = run_lurewatch_crawl(
            replica.origin,
            tmp_path / "next.jsonl",
            SPIDERS,
            {
                **_es_settings(es_url, alias, data_dir),
                "LUREWATCH_CRAWL_ID": "it-next",
                "LUREWATCH_MAX_TITLES": 1,
            },
        )
        assert pending.count() == 0
        assert crawl.total("lurewatch/es/replayed") == spooled
        docs = {d["_id"]: d for d in all_docs(es, alias)}
        assert set(docs) == waiting | hit_ids(crawl.hits)
        # a spooled post found again by this crawl: created by the replay, then updated by the
        # crawl
        for _id in hit_ids(crawl.hits):
            assert docs[_id]["times_seen"] == (2 if _id in waiting else 1), docs[_id]["url"]
        assert all(docs[_id]["crawl_id"] == "it-outage" for _id in waiting - hit_ids(crawl.hits))
    finally:
        drop_alias(es, alias)
