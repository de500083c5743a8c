"""Issue 10's "Done means", end to end: a real crawl of the replica into the real Elasticsearch.

``lurewatch crawl`` (all three spiders, rendering on, evidence recorded) -> ``takedowns export``
(every hit reported exactly once across channels, CSV parses, X-ARF validates, each notice names
every URL of its channel) -> a second export is empty -> the replica removes some posts and cloaks
one -> ``takedowns recheck`` marks exactly the removed ones -> time to removal on the replica's
clock -> ``evidence --zip`` and ``report`` on what the loop left. Every command runs as a user runs
it: ``lurewatch`` in a subprocess, settings given with ``-s``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from crawler.defaults import LUREWATCH_TAKEDOWN_MIN_SCORE as MIN_SCORE
from pipelines.es.documents import doc_id
from replica.server import ReplicaServer
from tests._crawl import FAST_REPLICA, ROOT, clean_env
from tests.es.conftest import all_docs
from tests.integration._helpers import hit_ids, run_lurewatch_crawl
from tests.takedowns._checks import csv_rows, xarf_validator

pytestmark = [pytest.mark.crawl, pytest.mark.elasticsearch, pytest.mark.browser]

HOURS = 3
SPIDERS = "tumblr,wordpress,blogger"


def _settings(replica: ReplicaServer, es_url: str, alias: str, data: Path) -> dict[str, Any]:
    return {
        "LUREWATCH_OFFLINE_ORIGIN": replica.origin,
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(data),
        "LUREWATCH_QUOTA_ENABLED": "0",
        "LUREWATCH_REPORTER_NAME": "Ann Analyst",
        "LUREWATCH_REPORTER_EMAIL": "ann@rights.example",
        "LOG_LEVEL": "WARNING",
    }


def _lurewatch(args: list[str], settings: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "crawler.cli", *args]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return subprocess.run(
        cmd, cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300
    )


def _ok(args: list[str], settings: dict[str, Any]) -> str:
    proc = _lurewatch(args, settings)
    assert proc.returncode == 0, (args, proc.stderr[-4000:])
    return proc.stdout


def _check_evidence(docs: dict[str, dict[str, Any]], data: Path) -> None:
    """Every hit has its HTML stored by hash; lure hits have their landing's screenshot."""
    root = data / "evidence"
    for doc in docs.values():
        evidence = doc["evidence"]
        digest = evidence["html_sha256"]
        stored = root / "html" / digest[:2] / f"{digest}.html"
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest, doc["url"]
        assert evidence["redirect_chain"] and evidence["headers"], doc["url"]
        for cookie in evidence["headers"].get("set-cookie", []):
            assert "=<masked>" in cookie
    shots = [s for d in docs.values() for s in d["evidence"].get("screenshots", [])]
    assert shots, "no lure landing was screenshotted"
    for shot in shots:
        png = (root / shot["path"]).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert hashlib.sha256(png).hexdigest() == shot["sha256"]


def _check_export(out: Path, docs: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    rows = csv_rows(out)
    posts = [r for r in rows if r["subject"] == "post"]
    # every hit (over the threshold) reported exactly once across channels
    assert sorted(doc_id(r["reported_url"]) for r in posts) == sorted(docs)
    validator = xarf_validator()
    reports = list(out.glob("*/xarf/*.json"))
    assert len(reports) == len(rows)
    images = 0
    for path in reports:
        report = json.loads(path.read_text())
        errors = [e.message for e in validator.iter_errors(report)]
        assert not errors, (path.name, errors)
        images += sum(1 for e in report.get("evidence", []) if e["content_type"] == "image/png")
    assert images, "no lure post's report carries its landing's screenshot"
    for channel_dir in out.iterdir():
        notice = next(channel_dir.glob("notice-*.txt")).read_text(encoding="utf-8")
        for row in (r for r in rows if r["channel"] == channel_dir.name):
            assert row["reported_url"] in notice, (channel_dir.name, row["reported_url"])
    return posts


def _pick(docs: dict[str, dict[str, Any]]) -> tuple[dict[str, str], str]:
    """One post per platform to remove, and a second Tumblr post to cloak."""
    by_platform: dict[str, list[str]] = {}
    for doc in sorted(docs.values(), key=lambda d: d["url"]):
        by_platform.setdefault(doc["platform"], []).append(doc["url"])
    removed = {
        by_platform["tumblr"][0]: "not_found",
        by_platform["wordpress"][0]: "terminated",
        by_platform["blogger"][0]: "gone",
    }
    return removed, by_platform["tumblr"][1]


def test_crawl_export_recheck_loop_on_the_replica(
    own_replica: ReplicaServer, es: Elasticsearch, es_url: str, alias: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    settings = _settings(own_replica, es_url, alias, data)
    crawl_settings = {
        **settings,
        **FAST_REPLICA,  # no politeness delays towards the replica
        "LUREWATCH_MAX_TITLES": 2,
        "LUREWATCH_CRAWL_ID": "loop-1",
    }
    hits = tmp_path / "hits.jsonl"
    crawl = run_lurewatch_crawl(own_replica.origin, hits, SPIDERS, crawl_settings, timeout=600)
    docs = {d["_id"]: d for d in all_docs(es, alias)}
    assert set(docs) == hit_ids(crawl.hits)
    assert {d["platform"] for d in docs.values()} == {"tumblr", "wordpress", "blogger"}
    _check_evidence(docs, data)

    started = time.monotonic()
    out = tmp_path / "out"
    _ok(["takedowns", "export", "--out", str(out)], settings)
    # the hits over the export threshold (LUREWATCH_TAKEDOWN_MIN_SCORE); the rest stay new
    wanted = {i: d for i, d in docs.items() if d["score"] >= MIN_SCORE}
    assert len(wanted) >= 10
    posts = _check_export(out, wanted)
    docs = {d["_id"]: d for d in all_docs(es, alias)}
    for _id, doc in docs.items():
        assert doc["status"] == ("reported" if _id in wanted else "new"), doc["url"]
    docs = {i: d for i, d in docs.items() if i in wanted}
    by_request = {r["request_id"]: r for r in posts}
    for doc in docs.values():
        assert by_request[doc["request_id"]]["channel"] == doc["channel"]

    before = sorted(out.rglob("*"))
    printed = _ok(["takedowns", "export", "--out", str(out)], settings)
    assert "nothing to export" in printed
    assert sorted(out.rglob("*")) == before

    desk = own_replica.router.takedowns  # type: ignore[attr-defined]
    desk.advance(HOURS * 3600)
    removed, cloaked = _pick(docs)
    for url, how in removed.items():
        desk.remove(url, how)
    desk.cloak(cloaked, "iPhone")
    _ok(["takedowns", "recheck", "--older-than", "1h"], settings)
    elapsed = time.monotonic() - started
    docs = {d["_id"]: d for d in all_docs(es, alias)}
    assert {d["url"] for d in docs.values() if d["status"] == "removed"} == set(removed)
    assert docs[doc_id(cloaked)]["status"] == "reported"
    for url in removed:
        seconds = docs[doc_id(url)]["time_to_removal_seconds"]
        # on the replica's clock: 3 h later, plus the test's own running time
        assert HOURS * 3600 - 2 <= seconds <= HOURS * 3600 + elapsed + 2, (url, seconds)

    lure = next(d for d in docs.values() if d["evidence"].get("screenshots"))
    bundle = tmp_path / "desk.zip"
    _ok(["evidence", lure["url"], "--zip", str(bundle)], settings)
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["missing"] == []
    assert {f["kind"] for f in manifest["files"]} == {"html", "headers", "screenshot"}

    report = tmp_path / "report.html"
    _ok(["report", "--since", "7d", "--out", str(report)], settings)
    page = report.read_text(encoding="utf-8")
    for platform in ("tumblr", "wordpress", "blogger"):
        assert f"<td>{platform}</td>" in page
