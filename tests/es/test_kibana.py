"""Kibana saved objects: structure offline, fields and panel queries against the real index."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from crawler.cli import run_command
from crawler.exitcodes import ExitCode
from pipelines.es import kibana
from pipelines.es.documents import doc_id
from tests.es._helpers import feed, make_hit, make_pipeline, stub_server
from tests.es.conftest import all_docs, run

NDJSON = kibana.DEFAULT_NDJSON
OBJECTS = [
    json.loads(line) for line in NDJSON.read_text(encoding="utf-8").splitlines() if line.strip()
]
BY_ID = {(o["type"], o["id"]): o for o in OBJECTS}
DASHBOARD = next(o for o in OBJECTS if o["type"] == "dashboard")
PANELS = json.loads(DASHBOARD["attributes"]["panelsJSON"])
SEARCHES = {o["attributes"]["title"]: o for o in OBJECTS if o["type"] == "search"}


def _layers(panel: dict[str, Any]) -> dict[str, Any]:
    return panel["embeddableConfig"]["attributes"]["state"]["datasourceStates"]["formBased"][
        "layers"
    ]


def _search_source(obj: dict[str, Any]) -> dict[str, Any]:
    return json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])


# structure
def test_every_object_is_well_formed_and_unique() -> None:
    assert {o["type"] for o in OBJECTS} == {"index-pattern", "search", "dashboard"}
    assert len(BY_ID) == len(OBJECTS)
    assert set(SEARCHES) == {
        "New SSO lures",
        "Fake streams by title",
        "Unreported hits",
        "Lifecycle: reported, waiting for removal",
        "Lifecycle: removed",
        "False positives",
    }
    [view] = [o for o in OBJECTS if o["type"] == "index-pattern" and o["id"] == "lurewatch-hits"]
    assert (
        view["attributes"]["title"] == "lurewatch-hits*"
        and view["attributes"]["timeFieldName"] == "@timestamp"
    )
    json.loads(DASHBOARD["attributes"]["optionsJSON"])


def test_every_reference_resolves() -> None:
    for obj in OBJECTS:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in BY_ID, (obj["id"], ref)
    for search in SEARCHES.values():
        names = {r["name"] for r in search["references"]}
        assert _search_source(search)["indexRefName"] in names


def test_lens_panels_reference_their_layers_and_columns() -> None:
    assert [p["title"] for p in PANELS] == [
        "Hits over time by platform",
        "Top matched titles",
        "Top lure domains",
        "Status breakdown",
        "Latest hits",
        "Takedown lifecycle by platform (new, reported, removed, false positive)",
        "Largest campaigns",
    ]
    dashboard_refs = {r["name"] for r in DASHBOARD["references"]}
    for panel in PANELS:
        attributes = panel["embeddableConfig"]["attributes"]
        assert panel["type"] == "lens" and panel["gridData"]["i"] == panel["panelIndex"]
        for layer_id, layer in _layers(panel).items():
            ref_name = f"indexpattern-datasource-layer-{layer_id}"
            assert ref_name in {r["name"] for r in attributes["references"]}
            assert f"{panel['panelIndex']}:{ref_name}" in dashboard_refs
            assert layer["columnOrder"] == list(layer["columns"])
            used = set(
                re.findall(r'"(c-[a-z]+)"', json.dumps(attributes["state"]["visualization"]))
            )
            assert used <= set(layer["columns"]), panel["title"]
            for column in layer["columns"].values():
                order = column.get("params", {}).get("orderBy", {}).get("columnId")
                assert order is None or order in layer["columns"]


# against the real mapping and index
_AGG_TYPES = {
    "date": {"date"},
    "string": {"keyword"},
    "number": {"integer", "long", "float", "double"},
    "boolean": {"boolean"},
}


def _kql_fields(query: str) -> set[str]:
    return set(re.findall(r"([A-Za-z_@][\w.]*):", query))


def _used_fields() -> dict[str, set[str]]:
    """field -> acceptable mapping types, from every object."""
    used: dict[str, set[str]] = {"@timestamp": {"date"}}
    for search in SEARCHES.values():
        for field in [
            *search["attributes"]["columns"],
            *(s[0] for s in search["attributes"]["sort"]),
        ]:
            used.setdefault(field, set())
        for field in _kql_fields(_search_source(search)["query"]["query"]):
            used.setdefault(field, set())
    for panel in PANELS:
        state = panel["embeddableConfig"]["attributes"]["state"]
        for field in _kql_fields(state["query"]["query"]):
            used.setdefault(field, set())
        for layer in _layers(panel).values():
            for column in layer["columns"].values():
                if column["sourceField"] != "___records___":
                    used[column["sourceField"]] = _AGG_TYPES[column["dataType"]]
    return used


@pytest.fixture
def fixture_index(
    es: Elasticsearch, alias: str, es_settings: dict[str, Any]
) -> list[dict[str, Any]]:
    """24 judged hits over 6 days, two of them reported; returns the indexed documents."""
    hits = [make_hit(i, fetched_at=f"2025-03-0{1 + i % 6}T02:00:00Z") for i in range(24)]
    run(feed(make_pipeline(es_settings), hits))
    for i in (0, 5):
        es.update(
            index=alias,
            id=doc_id(make_hit(i).url),
            doc={"status": "reported", "reported_at": "2025-03-08T00:00:00Z"},
        )
    return all_docs(es, alias)


def test_every_field_exists_with_the_right_type(
    es: Elasticsearch, alias: str, fixture_index: Any
) -> None:
    caps = es.field_caps(index=alias, fields="*")["fields"]
    for field, types in _used_fields().items():
        assert field in caps, f"{field} used by the saved objects is not in the mapping"
        assert not types or set(caps[field]) <= types, (field, caps[field], types)
        if types:
            assert all(c["aggregatable"] for c in caps[field].values()), field


def _kql_to_query_string(kql: str) -> dict[str, Any]:
    if not kql:
        return {"match_all": {}}
    text = re.sub(r"([\w@.]+):\*", r"_exists_:\1", kql)
    text = re.sub(r"\band\b", "AND", re.sub(r"\bnot\b", "NOT", text))
    return {"query_string": {"query": text}}


def _metric(column: dict[str, Any]) -> dict[str, Any]:
    if column["operationType"] == "last_value":  # Kibana runs last_value as a sorted top_hits
        return {
            "top_hits": {
                "size": 1,
                "_source": [column["sourceField"]],
                "sort": [{column["params"]["sortField"]: "desc"}],
            }
        }
    return {column["operationType"]: {"field": column["sourceField"]}}


def _layer_aggs(columns: dict[str, Any]) -> dict[str, Any]:
    """The aggregation Kibana builds for a layer: nested buckets, metrics inside the innermost
    one."""
    metrics = {
        cid: _metric(c)
        for cid, c in columns.items()
        if not c["isBucketed"] and c["operationType"] != "count"
    }
    aggs: dict[str, Any] = metrics
    for cid, column in reversed([(k, c) for k, c in columns.items() if c["isBucketed"]]):
        if column["operationType"] == "date_histogram":
            body: dict[str, Any] = {
                "date_histogram": {"field": column["sourceField"], "calendar_interval": "1d"}
            }
        else:
            order = column["params"]["orderBy"]["columnId"]
            key = "_count" if columns[order]["operationType"] == "count" else order
            body = {
                "terms": {
                    "field": column["sourceField"],
                    "size": column["params"]["size"],
                    "order": {key: "desc"},
                }
            }
        aggs = {cid: {**body, "aggs": aggs} if aggs else body}
    return aggs


def _run_panel(es: Elasticsearch, alias: str, title: str) -> dict[str, Any]:
    panel = next(p for p in PANELS if p["title"] == title)
    state = panel["embeddableConfig"]["attributes"]["state"]
    [layer] = _layers(panel).values()
    return es.search(
        index=alias,
        size=0,
        query=_kql_to_query_string(state["query"]["query"]),
        aggs=_layer_aggs(layer["columns"]),
    )["aggregations"]


def test_panel_queries_return_the_expected_counts(
    es: Elasticsearch, alias: str, fixture_index: list[dict[str, Any]]
) -> None:
    docs = fixture_index
    by_day = _run_panel(es, alias, "Hits over time by platform")["c-time"]["buckets"]
    assert len(by_day) == 6 and sum(b["doc_count"] for b in by_day) == len(docs)
    assert Counter(d["platform"] for d in docs if d["first_seen"].startswith("2025-03-01")) == {
        b["key"]: b["doc_count"] for b in by_day[0]["c-platform"]["buckets"]
    }

    titles = _run_panel(es, alias, "Top matched titles")["c-title"]["buckets"]
    assert {b["key"]: b["doc_count"] for b in titles} == Counter(
        d["matched_title"] for d in docs if d["matched_title"]
    )
    domains = _run_panel(es, alias, "Top lure domains")["c-domain"]["buckets"]
    assert {b["key"]: b["doc_count"] for b in domains} == Counter(
        dom for d in docs if d["sso_lure"] for dom in d["lure_domains"]
    )
    statuses = _run_panel(es, alias, "Status breakdown")["c-status"]["buckets"]
    assert {b["key"]: b["doc_count"] for b in statuses} == {"new": 22, "reported": 2}
    rows = _run_panel(es, alias, "Latest hits")["c-url"]["buckets"]
    newest = max(d["first_seen"] for d in docs)
    assert len(rows) == 20 and rows[0]["c-first"]["value_as_string"].startswith(newest[:19])


@pytest.mark.parametrize(
    ("title", "predicate"),
    [
        ("New SSO lures", lambda d: d["sso_lure"] and d["status"] == "new"),
        ("Fake streams by title", lambda d: d["fake_stream"]),
        ("Unreported hits", lambda d: d["status"] == "new" and not d.get("reported_at")),
        ("Lifecycle: reported, waiting for removal", lambda d: d["status"] == "reported"),
    ],
)
def test_saved_searches_find_the_expected_documents(
    es: Elasticsearch, alias: str, title: str, predicate: Any, fixture_index: list[dict[str, Any]]
) -> None:
    search = SEARCHES[title]
    sort = [{field: order} for field, order in search["attributes"]["sort"]]
    found = es.search(
        index=alias,
        size=100,
        sort=sort,
        query=_kql_to_query_string(_search_source(search)["query"]["query"]),
    )["hits"]["hits"]
    assert sorted(h["_id"] for h in found) == sorted(
        d["_id"] for d in fixture_index if predicate(d)
    )
    assert found


# the import command
def test_import_posts_the_ndjson_as_multipart(capsys: pytest.CaptureFixture[str]) -> None:
    answer = {"success": True, "successCount": len(OBJECTS), "successResults": []}
    with stub_server(200, answer) as (url, requests):
        status = run_command(
            "kibana",
            ["import", "--space", "soc"],
            settings={
                "KIBANA_URL": url,
                "KIBANA_USERNAME": "analyst",
                "KIBANA_PASSWORD": "kb-secret",
            },
        )
    assert (
        status == ExitCode.OK
        and f"imported {len(OBJECTS)} saved objects" in capsys.readouterr().out
    )
    [request] = requests
    assert request["method"] == "POST"
    assert request["path"] == "/s/soc/api/saved_objects/_import?overwrite=true"
    assert request["headers"]["kbn-xsrf"] == "true"
    assert request["headers"]["authorization"].startswith("Basic ")
    boundary = request["headers"]["content-type"].split("boundary=")[1]
    part = request["body"].split(f"--{boundary}".encode())[1]
    assert b'name="file"; filename="lurewatch.ndjson"' in part
    assert part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n") == Path(NDJSON).read_bytes().rstrip(b"\n")


def test_import_reports_refused_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    with stub_server(401, {"statusCode": 401, "error": "Unauthorized"}) as (url, _):
        status = run_command(
            "kibana", ["import"], settings={"KIBANA_URL": url, "KIBANA_API_KEY": "kb-key-secret"}
        )
    err = capsys.readouterr().err
    assert (
        status == ExitCode.CONFIG
        and "refused the credentials" in err
        and "kb-key-secret" not in err
    )


def test_import_needs_kibana_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command("kibana", ["import"], settings={}) == ExitCode.CONFIG
    assert "KIBANA_URL not set" in capsys.readouterr().err


def test_credentials_in_the_url_become_basic_auth_and_never_reach_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answer = {"success": True, "successCount": len(OBJECTS), "successResults": []}
    with stub_server(200, answer) as (url, requests):
        host = url.removeprefix("http://")
        status = run_command(
            "kibana", ["import"], settings={"KIBANA_URL": f"http://analyst:kb/se#cret@{host}"}
        )
    out, err = capsys.readouterr()
    [request] = requests
    assert status == ExitCode.OK
    assert request["headers"]["authorization"] == "Basic YW5hbHlzdDprYi9zZSNjcmV0"
    assert "se#cret" not in out + err


@pytest.mark.parametrize(
    "url",
    [
        "http://analyst:kb-secret@[::1",  # unclosed IPv6 bracket: urlsplit raises
        "analyst:kb-secret@127.0.0.1:5601",  # no scheme
        "http://analyst:kb-secret@127.0.0.1:99999",  # port out of range
        "http://analyst:kb-secret@127.0.0.1:5601/?x=1",  # a query
    ],
)
def test_a_malformed_kibana_url_is_one_masked_line(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command("kibana", ["import"], settings={"KIBANA_URL": url}) == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert err.startswith("error: KIBANA_URL: ") and err.count("\n") == 1
    assert "kb-secret" not in err and "analyst:***@" in err
