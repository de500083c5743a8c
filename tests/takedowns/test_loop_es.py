"""The takedown loop against the real Elasticsearch and the replica: export, export again, recheck.

Hits are indexed as the crawl's pipeline indexes them (``pipelines.es.documents`` + the writer),
built from the replica's ground truth, so the posts they name are served by the replica.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.cli import run_command
from crawler.demo import REPLICA_SLOTS
from pipelines.es.documents import doc_id
from replica.server import ReplicaServer
from tests.es.conftest import all_docs
from tests.takedowns._checks import csv_rows, xarf_validator
from tests.takedowns._world import hit_of, index_hits

pytestmark = pytest.mark.elasticsearch

HOURS = 3


def _settings(replica: ReplicaServer, es_url: str, alias: str, tmp: Path) -> Settings:
    """The project's settings (add-ons, offline routing handler) with this test's values."""
    settings = get_project_settings().copy()
    settings.setdict(_values(replica, es_url, alias, tmp), priority="cmdline")
    return settings


def _values(replica: ReplicaServer, es_url: str, alias: str, tmp: Path) -> dict[str, Any]:
    return {
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(tmp / "data"),
        "LUREWATCH_OFFLINE_ORIGIN": replica.origin,
        "LUREWATCH_REPORTER_NAME": "Ann Analyst",
        "LUREWATCH_REPORTER_EMAIL": "ann@rights.example",
        "LUREWATCH_REPORTER_ORG": "Rights Org",
        "LUREWATCH_RIGHTS_HOLDERS": {"Supergirl": "DC Studios"},
        "LOG_LEVEL": "WARNING",
        "DOWNLOAD_SLOTS": REPLICA_SLOTS,
        "LUREWATCH_MAX_BACKOFF": 1,
    }


def _pick(dataset: Any) -> list[Any]:
    """Up to 12 hits per platform (Tumblr, WordPress.com and self-hosted, Blogger)."""
    chosen: list[Any] = []
    for platform in ("tumblr", "wordpress", "blogger"):
        chosen += dataset.expected_hits(platform)[:12]
    return chosen


def test_export_reports_each_hit_once_then_recheck_finds_exactly_the_removed(
    own_replica: ReplicaServer, es: Elasticsearch, es_url: str, alias: str, tmp_path: Path
) -> None:
    dataset = own_replica.router.dataset  # type: ignore[attr-defined]
    posts = _pick(dataset)
    index_hits(es_url, alias, [hit_of(dataset, p, "2026-11-25T00:00:00Z") for p in posts])
    settings = _settings(own_replica, es_url, alias, tmp_path)
    out = tmp_path / "out"

    started = time.monotonic()
    assert run_command("takedowns", ["export", "--out", str(out)], settings) == 0
    rows = csv_rows(out)
    posts_rows = [r for r in rows if r["subject"] == "post"]
    # every hit reported exactly once across channels
    assert sorted(doc_id(r["reported_url"]) for r in posts_rows) == sorted(
        doc_id(p.url) for p in posts
    )
    channels = {r["channel"] for r in posts_rows}
    assert {"tumblr", "automattic", "google"} <= channels
    assert any(c.startswith(("hosting-", "registrar-")) for c in channels)  # self-hosted sites
    assert any(r["subject"] == "lure_url" for r in rows)  # off-platform lure domains too
    validator = xarf_validator()
    reports = list(out.glob("*/xarf/*.json"))
    assert len(reports) == len(rows)
    for path in reports:
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text()))]
        assert not errors, (path.name, errors)
    for channel_dir in out.iterdir():
        notice = next(channel_dir.glob("notice-*.txt")).read_text(encoding="utf-8")
        for row in (r for r in rows if r["channel"] == channel_dir.name):
            assert row["reported_url"] in notice, (channel_dir.name, row["reported_url"])
    docs = {d["_id"]: d for d in all_docs(es, alias)}
    assert {d["status"] for d in docs.values()} == {"reported"}
    by_request = {r["request_id"]: r for r in posts_rows}
    for doc in docs.values():
        assert by_request[doc["request_id"]]["channel"] == doc["channel"]

    # a second export finds nothing new and writes nothing
    before = sorted(out.rglob("*"))
    assert run_command("takedowns", ["export", "--out", str(out)], settings) == 0
    assert sorted(out.rglob("*")) == before

    # three hours later the platforms removed three posts; one is cloaked (404 to iPhones only)
    desk = own_replica.router.takedowns  # type: ignore[attr-defined]
    desk.advance(HOURS * 3600)
    removed = {
        posts[0].url: "not_found",
        posts[13].url: "terminated",
        posts[-1].url: "gone",
    }
    for url, how in removed.items():
        desk.remove(url, how)
    cloaked = posts[1].url
    desk.cloak(cloaked, "iPhone")

    assert run_command("takedowns", ["recheck", "--older-than", "1h"], settings) == 0
    elapsed = time.monotonic() - started
    docs = {d["_id"]: d for d in all_docs(es, alias)}
    gone = {d["url"] for d in docs.values() if d["status"] == "removed"}
    assert gone == set(removed)
    assert docs[doc_id(cloaked)]["status"] == "reported"
    # the iPhone agent (the second) saw the not-found page, the other the post: not removed
    assert sorted(docs[doc_id(cloaked)]["removal_observations"]) == [
        "0:up:200",
        "1:platform_not_found:404",
    ]
    for url in removed:
        doc = docs[doc_id(url)]
        # on the replica's clock: reported at T, removal verified 3 h (plus the test's own
        # running time) later; the Date header has whole seconds
        assert HOURS * 3600 - 2 <= doc["time_to_removal_seconds"] <= HOURS * 3600 + elapsed + 2
        assert doc["removal_method"]
    assert docs[doc_id(posts[-1].url)]["removal_method"] == "http_410"
    assert all(d.get("last_checked") for d in docs.values())


def test_false_positive_is_kept_through_a_recrawl_and_never_exported(
    own_replica: ReplicaServer, es: Elasticsearch, es_url: str, alias: str, tmp_path: Path
) -> None:
    dataset = own_replica.router.dataset  # type: ignore[attr-defined]
    posts = dataset.expected_hits("tumblr")[:3]
    hits = [hit_of(dataset, p, "2026-11-25T00:00:00Z") for p in posts]
    index_hits(es_url, alias, hits, crawl_id="crawl-1")
    settings = _settings(own_replica, es_url, alias, tmp_path)
    wrong = posts[0].url
    args = ["mark", f"{wrong}?utm_source=x", "--false-positive", "--note", "a real review"]
    assert run_command("hits", args, settings) == 0
    assert run_command("hits", ["mark", "https://nowhere.test/p", "--confirmed"], settings) == 1
    index_hits(
        es_url,
        alias,
        [hit_of(dataset, p, "2026-11-26T00:00:00Z") for p in posts],
        crawl_id="crawl-2",
    )  # the next crawl finds the post again
    doc = es.get(index=alias, id=doc_id(wrong))["_source"]
    assert doc["status"] == "false_positive" and doc["times_seen"] == 2
    assert "a real review" in doc["notes"]
    out = tmp_path / "out"
    assert run_command("takedowns", ["export", "--out", str(out)], settings) == 0
    reported = [r["reported_url"] for r in csv_rows(out) if r["subject"] == "post"]
    assert sorted(reported) == sorted(p.url for p in posts[1:])
