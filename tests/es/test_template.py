"""The template and alias on the real server: idempotent setup, strict mapping, refusal on
conflicts."""

from __future__ import annotations

import pytest
from elasticsearch import AsyncElasticsearch, BadRequestError, Elasticsearch

from crawler.cli import run_command
from crawler.exitcodes import ExitCode
from pipelines.es.template import MAPPINGS, setup_index
from pipelines.exceptions import MappingConflictError
from tests._settings import lurewatch_settings
from tests.es.conftest import run


async def _setup(url: str, alias: str) -> str:
    async with AsyncElasticsearch(url) as client:
        return await setup_index(client, alias)


def test_setup_is_idempotent(es_url: str, es: Elasticsearch, alias: str) -> None:
    assert "created" in run(_setup(es_url, alias))
    assert "updated" in run(_setup(es_url, alias))
    assert list(es.indices.get_alias(name=alias)) == [f"{alias}-000001"]
    mapping = es.indices.get_mapping(index=alias)[f"{alias}-000001"]["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["title"]["fields"]["keyword"]["type"] == "keyword"
    assert set(MAPPINGS["properties"]) <= set(mapping["properties"])


def test_unknown_field_is_rejected(es_url: str, es: Elasticsearch, alias: str) -> None:
    run(_setup(es_url, alias))
    with pytest.raises(BadRequestError) as info:
        es.index(index=alias, id="x", document={"url": "https://a.test/p", "not_a_field": 1})
    assert info.value.error == "strict_dynamic_mapping_exception"


def test_concrete_index_with_the_alias_name_is_refused(
    es_url: str, es: Elasticsearch, alias: str
) -> None:
    es.indices.create(index=alias)
    with pytest.raises(MappingConflictError, match="concrete index"):
        run(_setup(es_url, alias))
    assert not es.indices.exists_index_template(name=alias)  # nothing touched


def test_conflicting_mapping_is_refused_with_the_reason(
    es_url: str, es: Elasticsearch, alias: str, capsys: pytest.CaptureFixture[str]
) -> None:
    es.indices.create(
        index=f"{alias}-legacy",
        mappings={"properties": {"title": {"type": "keyword"}}},
        aliases={alias: {"is_write_index": True}},
    )
    status = run_command(
        "es", ["--url", es_url, "--index", alias, "setup"], settings=lurewatch_settings()
    )
    assert status == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "refusing" in err and "'title' is keyword, lurewatch needs text" in err
    assert not es.indices.exists_index_template(name=alias)


def test_cli_setup_then_status(
    es_url: str, alias: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_command(
            "es", ["--url", es_url, "--index", alias, "setup"], settings=lurewatch_settings()
        )
        == 0
    )
    assert (
        run_command(
            "es", ["--url", es_url, "--index", alias, "status"], settings=lurewatch_settings()
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"created {alias}-000001" in out and "0 documents" in out
