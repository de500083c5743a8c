"""The Kibana objects of the nightly runs: the ``lurewatch-crawls*`` data view and the *lurewatch
nightly crawls* dashboard, checked against the real ``lurewatch-crawls`` mapping and documents."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch, Elasticsearch

from pipelines.es import kibana
from pipelines.ops.crawls import CRAWLS_MAPPING, index_crawl
from pipelines.ops.summary import PlatformSummary, crawl_document
from tests.es.conftest import run

OBJECTS = [json.loads(line) for line in kibana.DEFAULT_NDJSON.read_text("utf-8").splitlines()]
BY_ID = {(o["type"], o["id"]): o for o in OBJECTS}
NIGHTLY = BY_ID[("dashboard", "lurewatch-nightly")]
PANELS = json.loads(NIGHTLY["attributes"]["panelsJSON"])
_TYPES = {"date": {"date"}, "number": {"long", "integer"}, "string": {"keyword"}}


def _columns() -> dict[str, str]:
    """sourceField -> dataType of every column of the nightly dashboard."""
    used: dict[str, str] = {}
    for panel in PANELS:
        state = panel["embeddableConfig"]["attributes"]["state"]
        for layer in state["datasourceStates"]["formBased"]["layers"].values():
            for column in layer["columns"].values():
                used[column["sourceField"]] = column["dataType"]
    return used


def test_the_dashboard_reads_the_crawls_data_view() -> None:
    view = BY_ID[("index-pattern", "lurewatch-crawls")]
    assert view["attributes"]["title"] == "lurewatch-crawls*"
    assert view["attributes"]["timeFieldName"] == "@timestamp"
    assert {ref["id"] for ref in NIGHTLY["references"]} == {"lurewatch-crawls"}
    for panel in PANELS:
        refs = panel["embeddableConfig"]["attributes"]["references"]
        assert {ref["id"] for ref in refs} == {"lurewatch-crawls"}, panel["title"]


def test_every_column_is_a_field_of_the_crawls_mapping() -> None:
    properties = CRAWLS_MAPPING["properties"]
    for field, data_type in _columns().items():
        assert properties[field]["type"] in _TYPES[data_type], field


@pytest.fixture
def crawls(es: Elasticsearch) -> Iterator[str]:
    index = f"lwcrawls-{uuid.uuid4().hex[:10]}"
    yield index
    es.options(ignore_status=404).indices.delete(index=index)


def _night(day: int, pages: int, hits: int, exitcode: int = 0) -> dict[str, Any]:
    row = PlatformSummary("tumblr", pages, pages // 2, hits, hits, 1, 0, 3, "finished", day)
    started = f"2026-12-0{day}T02:30:00+00:00"
    failed = ["tumblr/min_posts: 0 posts"] if exitcode else []
    return crawl_document(
        f"nightly-2026-12-0{day}",
        started,
        started.replace("02:30", "03:10"),
        [row],
        exitcode,
        failed,
    )


@pytest.mark.elasticsearch
def test_panels_aggregate_the_indexed_nights(es: Elasticsearch, es_url: str, crawls: str) -> None:
    async def index_all() -> None:
        client = AsyncElasticsearch(es_url)
        try:
            for doc in (_night(1, 100, 10), _night(2, 300, 30, exitcode=9)):
                await index_crawl(client, crawls, doc)
        finally:
            await client.close()

    run(index_all())
    caps = es.field_caps(index=crawls, fields="*")["fields"]
    for field in _columns():
        assert all(cap["aggregatable"] for cap in caps[field].values()), field
    aggs = {"pages": {"sum": {"field": "pages"}}, "hits": {"sum": {"field": "hits"}}}
    aggs["skipped"] = {"sum": {"field": "skipped"}}
    aggs["nights"] = {"terms": {"field": "crawl_id"}}
    aggs["failed"] = {"terms": {"field": "failed_checks"}}
    found = es.search(index=crawls, size=0, aggs=aggs)["aggregations"]
    assert (found["pages"]["value"], found["hits"]["value"]) == (400, 40)
    assert found["skipped"]["value"] == 3  # nights 1 and 2 skipped 1 and 2 posts
    assert {b["key"] for b in found["nights"]["buckets"]} == {
        "nightly-2026-12-01",
        "nightly-2026-12-02",
    }
    assert [b["key"] for b in found["failed"]["buckets"]] == ["tumblr/min_posts: 0 posts"]


@pytest.mark.elasticsearch
def test_an_index_made_before_a_field_was_added_takes_the_new_documents(
    es: Elasticsearch, es_url: str, crawls: str
) -> None:
    properties = dict(CRAWLS_MAPPING["properties"])
    del properties["skipped"]  # lurewatch-crawls as an earlier version made it (strict)
    platforms = dict(properties["platforms"]["properties"])
    del platforms["skipped"]
    properties["platforms"] = {"properties": platforms}
    es.indices.create(index=crawls, mappings={"dynamic": "strict", "properties": properties})

    async def index_one() -> None:
        client = AsyncElasticsearch(es_url)
        try:
            await index_crawl(client, crawls, _night(1, 100, 10))
        finally:
            await client.close()

    run(index_one())
    es.indices.refresh(index=crawls)
    (doc,) = [h["_source"] for h in es.search(index=crawls)["hits"]["hits"]]
    assert doc["skipped"] == 1 and doc["platforms"][0]["skipped"] == 1
    mapping = es.indices.get_mapping(index=crawls)[crawls]["mappings"]
    assert mapping["dynamic"] == "strict" and mapping["properties"]["skipped"]["type"] == "long"
