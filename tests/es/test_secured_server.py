"""Credentials against the REAL secured node (``LUREWATCH_ES_SECURITY=on deploy/es/local start``).

The node has security on over plain HTTP and one file-realm superuser
(``LUREWATCH_TEST_ES_SECURE_*``); what lurewatch does with wrong, missing and right credentials is
checked on its real 401s and writes.
"""

from __future__ import annotations

import base64
import logging
import uuid
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from crawler.cli import run_command
from crawler.exitcodes import ExitCode
from pipelines.exceptions import IndexingError
from tests.es._helpers import feed, make_hit, make_pipeline
from tests.es.conftest import SecureNode, all_docs, run

HITS = 12


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _as(node: SecureNode, password: str | None = None) -> dict[str, str]:
    return {
        "ELASTICSEARCH_USERNAME": node.user,
        "ELASTICSEARCH_PASSWORD": password or node.password,
    }


def _wrong() -> str:
    return f"wrong-{uuid.uuid4().hex}"  # never the right one, never seen before


def test_wrong_password_fails_the_crawl_clearly(
    secure_node: SecureNode, secure_settings: dict[str, Any]
) -> None:
    wrong = _wrong()
    pipeline = make_pipeline({**secure_settings, **_as(secure_node, wrong)})
    with pytest.raises(IndexingError) as info:
        run(pipeline.open_spider())
    message = str(info.value)
    assert (
        f"Elasticsearch at {secure_node.url} rejected the credentials (HTTP 401, user/password)"
        in message
    )
    assert "ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD" in message
    assert wrong not in message and secure_node.password not in message


def test_no_credentials_are_named_as_such(
    secure_node: SecureNode, secure_settings: dict[str, Any]
) -> None:
    with pytest.raises(
        IndexingError, match=r"rejected the credentials \(HTTP 401, no credentials\)"
    ):
        run(make_pipeline(secure_settings).open_spider())


@pytest.mark.parametrize(
    "api_key",
    [
        "bad-key-xyz",  # not even base64
        base64.b64encode(
            b"lwTestKeyId00000000:lw-test-api-key-VERY-secret"
        ).decode(),  # well formed, unknown
    ],
)
def test_bad_api_key_in_the_cli(
    api_key: str, secure_settings: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    status = run_command(
        "es", ["setup"], settings={**secure_settings, "ELASTICSEARCH_API_KEY": api_key}
    )
    out, err = capsys.readouterr()
    assert status == ExitCode.CONFIG
    assert "rejected the credentials (HTTP 401, API key)" in err and "ELASTICSEARCH_API_KEY" in err
    assert api_key not in err + out and "VERY-secret" not in err + out


def test_right_password_sets_up_and_indexes(
    secure_node: SecureNode,
    secure_es: Elasticsearch,
    secure_alias: str,
    secure_settings: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = {**secure_settings, **_as(secure_node)}
    assert run_command("es", ["setup"], settings=settings) == ExitCode.OK
    assert secure_es.indices.exists_alias(name=secure_alias)
    assert secure_es.indices.exists_index_template(name=secure_alias)
    capsys.readouterr()

    pipeline = make_pipeline(settings)
    run(feed(pipeline, [make_hit(i) for i in range(HITS)]))
    stats = pipeline.stats._stats.get_stats()
    assert stats["lurewatch/es/docs/created"] == HITS and "lurewatch/es/spooled" not in stats
    assert pipeline.spool.count() == 0
    docs = all_docs(secure_es, secure_alias)
    assert len(docs) == HITS and {d["times_seen"] for d in docs} == {1}

    assert run_command("es", ["status"], settings=settings) == ExitCode.OK
    assert f"{HITS} documents" in capsys.readouterr().out


def test_credentials_never_reach_the_logs(
    secure_node: SecureNode,
    secure_es: Elasticsearch,
    secure_alias: str,
    secure_settings: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = _wrong()
    caplog.set_level(logging.DEBUG)
    with pytest.raises(IndexingError):
        run(feed(make_pipeline({**secure_settings, **_as(secure_node, wrong)}), [make_hit(0)]))
    run(
        feed(
            make_pipeline({**secure_settings, **_as(secure_node)}), [make_hit(i) for i in range(7)]
        )
    )

    text = caplog.text + repr([r.__dict__ for r in caplog.records])
    assert "indexing hits into" in text  # the capture did see the pipeline's logs
    assert "[status:401" in text  # ... and the client's log of the rejected request
    for secret in (
        wrong,
        secure_node.password,
        _basic(secure_node.user, wrong),
        _basic(secure_node.user, secure_node.password),
    ):
        assert secret not in text
    assert len(all_docs(secure_es, secure_alias)) == 7
