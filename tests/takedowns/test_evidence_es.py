"""``lurewatch evidence URL [--zip FILE]`` against the real Elasticsearch.

The hit is indexed with the evidence the crawl's pipeline records (files stored by content hash
under the data folder), so the command reads what a crawl leaves behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from crawler.cli import run_command
from crawler.evidence import EvidencePipeline
from pipelines.items import Hit
from tests._settings import lurewatch_crawler
from tests.takedowns._world import index_hits

pytestmark = pytest.mark.elasticsearch

POST = "https://fakes.tumblr.com/post/77/watch-supergirl"
LURE = "https://supergirl-hd.example/login"
PNG = b"\x89PNG\r\n\x1a\n" + b"fake pixels" * 10


def _evidenced_hit(data_dir: Path) -> Hit:
    crawler = lurewatch_crawler(
        settings={"LUREWATCH_DATA_DIR": str(data_dir), "LUREWATCH_RENDER_ENABLED": False}
    )
    crawler._apply_settings()
    pipeline = EvidencePipeline.from_crawler(crawler)
    hit = Hit(
        url=POST,
        platform="tumblr",
        html='<p>Watch =HYPERLINK("x") Supergirl</p>\x1b[31m',
        verdict="lure",
        sso_lure=True,
        score=90,
        reasons=["password form posts to other host"],
        lure_urls=[LURE],
        fetched_at="2026-11-25T00:00:00Z",
    )
    hit.evidence = {
        "headers": {"set-cookie": ["sid=<masked>"], "server": ["nginx\x1b[2J"]},
        "redirect_chain": [POST],
    }
    hit = asyncio.run(pipeline.process_item(hit))
    shot = asyncio.run(pipeline._keep(LURE, PNG))  # what a taken screenshot leaves behind
    assert shot is not None
    hit.evidence["screenshots"] = [shot]
    return hit


def _settings(es_url: str, alias: str, data_dir: Path) -> dict[str, Any]:
    return {
        "ELASTICSEARCH_URL": es_url,
        "LUREWATCH_ES_INDEX": alias,
        "LUREWATCH_DATA_DIR": str(data_dir),
    }


def test_evidence_prints_and_bundles_what_the_crawl_recorded(
    es: Elasticsearch,
    es_url: str,
    alias: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "data"
    hit = _evidenced_hit(data_dir)
    index_hits(es_url, alias, [hit])
    settings = _settings(es_url, alias, data_dir)

    assert run_command("evidence", [f"{POST}?utm_source=feed"], settings) == 0
    printed = capsys.readouterr().out
    digest = hashlib.sha256(hit.html.encode()).hexdigest()
    assert f"html: sha256 {digest}" in printed
    assert "header: set-cookie: sid=<masked>" in printed
    assert "\x1b" not in printed  # hostile bytes never reach the terminal
    assert f"screenshot: {LURE} sha256 {hashlib.sha256(PNG).hexdigest()}" in printed

    target = tmp_path / "desk" / "evidence.zip"
    assert run_command("evidence", [POST, "--zip", str(target)], settings) == 0
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["hit"]["url"] == POST and manifest["missing"] == []
        names = {f["name"] for f in manifest["files"]}
        assert {"post.html", "headers.json"} <= names
        for entry in manifest["files"]:
            data = archive.read(entry["name"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
        assert archive.read("post.html").decode() == hit.html
        shots = [f for f in manifest["files"] if f["kind"] == "screenshot"]
        assert [s["url"] for s in shots] == [LURE]
        assert archive.read(shots[0]["name"]) == PNG
        assert json.loads(archive.read("headers.json"))["set-cookie"] == ["sid=<masked>"]


def test_a_tampered_file_is_left_out_and_named_and_an_unknown_url_fails(
    es: Elasticsearch,
    es_url: str,
    alias: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "data"
    hit = _evidenced_hit(data_dir)
    index_hits(es_url, alias, [hit])
    settings = _settings(es_url, alias, data_dir)
    png = data_dir / "evidence" / hit.evidence["screenshots"][0]["path"]
    png.write_bytes(b"changed after the crawl")
    target = tmp_path / "evidence.zip"
    assert run_command("evidence", [POST, "--zip", str(target)], settings) == 0
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert [f["kind"] for f in manifest["files"]] == ["html", "headers"]
        assert len(manifest["missing"]) == 1 and LURE in manifest["missing"][0]
    assert "missing from the bundle: screenshot" in capsys.readouterr().err

    assert run_command("evidence", ["https://nobody.tumblr.com/post/1"], settings) == 1
    assert "error: no hit for https://nobody.tumblr.com/post/1" in capsys.readouterr().err
