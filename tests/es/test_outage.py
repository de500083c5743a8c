"""No hit lost: Elasticsearch goes away mid-crawl, comes back, the spool is replayed exactly
once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch

from crawler.cli import run_command
from crawler.exitcodes import ExitCode
from pipelines.es.documents import doc_id
from pipelines.exceptions import IndexingError
from pipelines.ops.crawls import prepare_index
from tests._settings import lurewatch_settings
from tests.es._helpers import (
    ES_401,
    ES_401_HEADERS,
    TcpProxy,
    feed,
    make_hit,
    make_pipeline,
    stub_server,
)
from tests.es.conftest import all_docs, run

N = 30


def _closed_port_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _assert_each_exactly_once(es: Elasticsearch, alias: str, count: int) -> None:
    docs = all_docs(es, alias)
    ids = Counter(d["_id"] for d in docs)
    assert sorted(ids) == sorted({doc_id(make_hit(i).url) for i in range(count)})
    assert set(ids.values()) == {1} and {d["times_seen"] for d in docs} == {1}


def test_outage_mid_crawl_then_replay_indexes_every_hit_once(
    es_url: str,
    es: Elasticsearch,
    alias: str,
    es_settings: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def crawl() -> dict[str, Any]:
        proxy = TcpProxy(urlsplit(es_url).port or 9200)
        await proxy.start()
        pipeline = make_pipeline(
            {**es_settings, "ELASTICSEARCH_URL": f"http://127.0.0.1:{proxy.port}"}
        )
        await pipeline.open_spider()
        for i in range(N):
            if i == 10:
                await proxy.stop()  # Elasticsearch "goes down" part way
            if i == 20:
                await proxy.start()  # ... and comes back on the same address
            await pipeline.process_item(make_hit(i))
        await pipeline.close_spider()
        await proxy.stop()
        return dict(pipeline.stats._stats.get_stats())

    stats = run(crawl())
    assert stats["lurewatch/es/spooled"] >= 10  # the outage's hits went to the spool, none dropped
    spool = tmp_path / "es-spool" / f"{alias}.jsonl"
    spooled = (
        [json.loads(line) for line in spool.read_text().splitlines()] if spool.exists() else []
    )
    assert all(entry["reason"] for entry in spooled)

    assert (
        run_command(
            "es",
            ["--url", es_url, "--index", alias, "--data-dir", str(tmp_path), "replay"],
            settings=lurewatch_settings(),
        )
        == 0
    )
    _assert_each_exactly_once(es, alias, N)
    assert "0 still spooled" in capsys.readouterr().out
    # replay is idempotent: a second one finds nothing and changes nothing
    assert (
        run_command(
            "es",
            ["--url", es_url, "--index", alias, "--data-dir", str(tmp_path), "replay"],
            settings=lurewatch_settings(),
        )
        == 0
    )
    _assert_each_exactly_once(es, alias, N)


def test_next_crawl_replays_the_spool_at_open(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any], tmp_path: Path
) -> None:
    down = make_pipeline(
        {**es_settings, "ELASTICSEARCH_URL": _closed_port_url(), "LUREWATCH_ES_MAX_RETRIES": 0}
    )
    run(feed(down, [make_hit(i) for i in range(12)]))
    assert down.spool.count() == 12

    up = make_pipeline(es_settings)
    run(feed(up, [make_hit(i) for i in range(12, 15)]))
    assert up.spool.count() == 0
    assert up.stats._stats.get_value("lurewatch/es/replayed") == 12
    _assert_each_exactly_once(es, alias, 15)


def test_bad_credentials_fail_the_crawl_clearly(es_settings: dict[str, Any]) -> None:
    # the stub shows what the client SENT (a Basic header); the real secured node's answers are
    # checked in test_secured_server.py
    with stub_server(401, ES_401, ES_401_HEADERS) as (url, requests):
        pipeline = make_pipeline(
            {
                **es_settings,
                "ELASTICSEARCH_URL": url,
                "ELASTICSEARCH_USERNAME": "lw",
                "ELASTICSEARCH_PASSWORD": "wrong-password",
            }
        )
        with pytest.raises(IndexingError) as info:
            run(pipeline.open_spider())
    message = str(info.value)
    assert "rejected the credentials (HTTP 401, user/password)" in message
    assert (
        "ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD" in message
        and "wrong-password" not in message
    )
    assert requests and requests[0]["headers"]["authorization"].startswith("Basic ")


def test_api_key_is_sent_as_an_api_key_header(
    es_settings: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    # the real server cannot store API keys (its .security index needs analysis-common, absent from
    # the integ-test-zip), so only the stub shows the header a good key travels in
    with stub_server(401, ES_401, ES_401_HEADERS) as (url, requests):
        status = run_command(
            "es",
            ["setup"],
            settings={
                **es_settings,
                "ELASTICSEARCH_URL": url,
                "ELASTICSEARCH_API_KEY": "a2V5OnNlY3JldA==",
            },
        )
    assert status == ExitCode.CONFIG and "a2V5OnNlY3JldA==" not in capsys.readouterr().err
    assert requests and requests[0]["headers"]["authorization"] == "ApiKey a2V5OnNlY3JldA=="


def test_a_nights_replay_counts_the_hits_it_creates_by_platform(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> None:
    """``lurewatch nightly`` replays the spool before it crawls: what that replay creates is
    counted as the night's new hits of each platform (a resumed night's total stays right)."""
    run(feed(make_pipeline(es_settings), [make_hit(i) for i in range(9, 12)]))  # already in
    down = make_pipeline(
        {**es_settings, "ELASTICSEARCH_URL": _closed_port_url(), "LUREWATCH_ES_MAX_RETRIES": 0}
    )
    run(feed(down, [make_hit(i) for i in range(12)]))
    assert down.spool.count() == 12
    config = make_pipeline(es_settings).config

    replayed, left = run(prepare_index(config))
    assert (replayed.sent, left) == (12, 0)
    # hits 0-8 are new (three of each platform), 9-11 were indexed before the outage
    assert replayed.created == {"tumblr": 3, "wordpress": 3, "blogger": 3}
    assert Counter(d["_id"] for d in all_docs(es, alias)) == Counter(
        doc_id(make_hit(i).url) for i in range(12)
    )
    again, _ = run(prepare_index(config))
    assert (again.sent, sum(again.created.values())) == (0, 0)
