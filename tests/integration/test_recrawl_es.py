"""Crawling the replica twice into the real Elasticsearch: one document per post, history kept.

All three spiders (``lurewatch crawl``), two watchlist titles and rendering off to keep the crawls
short (what is measured is the index, not the browser); each run has its own
``LUREWATCH_CRAWL_ID``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from replica.server import ReplicaServer
from tests.es.conftest import all_docs
from tests.integration._helpers import Crawl, hit_ids, run_lurewatch_crawl

pytestmark = [pytest.mark.crawl]

SPIDERS = "tumblr,wordpress,blogger"


def _crawl(
    replica: ReplicaServer, out: Path, es_url: str, alias: str, data_dir: Path, crawl_id: str
) -> Crawl:
    settings: dict[str, Any] = {
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(data_dir),
        "LUREWATCH_CRAWL_ID": crawl_id,
        "LUREWATCH_MAX_TITLES": 2,
        "LUREWATCH_RENDER_ENABLED": "0",
    }
    return run_lurewatch_crawl(replica.origin, out, SPIDERS, settings)


def _by_id(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {doc["_id"]: doc for doc in docs}


def test_crawling_twice_updates_documents_instead_of_duplicating(
    replica: ReplicaServer,
    es: Elasticsearch,
    es_url: str,
    alias: str,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    first = _crawl(replica, tmp_path / "first.jsonl", es_url, alias, data_dir, "it-run-1")
    assert {h["platform"] for h in first.hits} == {"tumblr", "wordpress", "blogger"}
    assert first.total("lurewatch/es/spooled") == 0
    before = _by_id(all_docs(es, alias))
    # one document per distinct post of the JSON Lines output, and nothing else
    assert set(before) == hit_ids(first.hits)
    assert {d["times_seen"] for d in before.values()} == {1}
    assert {d["status"] for d in before.values()} == {"new"}
    assert {d["crawl_id"] for d in before.values()} == {"it-run-1"}

    # an analyst reports one hit between the crawls
    reported = sorted(before)[0]
    es.update(index=alias, id=reported, doc={"status": "reported"}, refresh=True)

    second = _crawl(replica, tmp_path / "second.jsonl", es_url, alias, data_dir, "it-run-2")
    after = _by_id(all_docs(es, alias))
    assert hit_ids(second.hits) == hit_ids(first.hits)  # the replica is deterministic
    assert len(after) == len(before) == len(hit_ids(second.hits))
    for _id, doc in after.items():
        old = before[_id]
        assert doc["first_seen"] == old["first_seen"] and doc["@timestamp"] == old["@timestamp"], (
            _id
        )
        assert doc["times_seen"] == 2 and doc["crawl_id"] == "it-run-2", _id
        assert doc["last_seen"] > old["last_seen"], _id
        assert doc["status"] == ("reported" if _id == reported else "new"), _id
    assert not list((data_dir / "es-spool").glob("*.jsonl"))  # nothing waits in the spool
