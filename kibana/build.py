"""Regenerate ``kibana/lurewatch.ndjson`` (the saved objects) from readable Python.

Run ``python kibana/build.py``.

Authored in the Kibana 8.8 saved-object format (``formBased`` Lens layers, by-value panels), which
every later 8.x and 9.x Kibana imports and migrates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_VIEW = "lurewatch-hits"
CRAWLS_VIEW = "lurewatch-crawls"  # one document per nightly run (`lurewatch nightly`)
OUT = Path(__file__).with_name("lurewatch.ndjson")
_MIGRATION = {"coreMigrationVersion": "8.8.0"}


def _ref(name: str, view: str = DATA_VIEW) -> dict[str, str]:
    return {"type": "index-pattern", "id": view, "name": name}


def data_view(view: str = DATA_VIEW, name: str = "lurewatch hits") -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": view,
        "attributes": {
            "title": f"{view}*",
            "name": name,
            "timeFieldName": "@timestamp",
        },
        "references": [],
        **_MIGRATION,
        "typeMigrationVersion": "8.0.0",
    }


def search(
    id_: str, title: str, query: str, columns: list[str], sort: list[list[str]]
) -> dict[str, Any]:
    source = {
        "query": {"query": query, "language": "kuery"},
        "filter": [],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
    }
    return {
        "type": "search",
        "id": id_,
        "attributes": {
            "title": title,
            "description": "",
            "columns": columns,
            "sort": sort,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)},
        },
        "references": [_ref("kibanaSavedObjectMeta.searchSourceJSON.index")],
        **_MIGRATION,
        "typeMigrationVersion": "8.0.0",
    }


def count() -> dict[str, Any]:
    return {
        "label": "Hits",
        "dataType": "number",
        "operationType": "count",
        "isBucketed": False,
        "scale": "ratio",
        "sourceField": "___records___",
        "params": {"emptyAsNull": True},
    }


def date_histogram(field: str) -> dict[str, Any]:
    return {
        "label": field,
        "dataType": "date",
        "operationType": "date_histogram",
        "sourceField": field,
        "isBucketed": True,
        "scale": "interval",
        "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False},
    }


def terms(field: str, size: int, order_by: str, label: str) -> dict[str, Any]:
    return {
        "label": label,
        "dataType": "string",
        "operationType": "terms",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": order_by},
            "orderDirection": "desc",
            "otherBucket": False,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
        },
    }


def metric(operation: str, field: str, label: str, data_type: str) -> dict[str, Any]:
    params = (
        {"sortField": "@timestamp", "showArrayValues": True} if operation == "last_value" else {}
    )
    return {
        "label": label,
        "dataType": data_type,
        "operationType": operation,
        "sourceField": field,
        "isBucketed": False,
        "scale": "ratio" if data_type == "number" else "ordinal",
        "params": params,
    }


def lens_panel(
    index: str,
    title: str,
    vis_type: str,
    columns: dict[str, Any],
    visualization: dict[str, Any],
    grid: tuple[int, int, int, int],
    query: str = "",
    view: str = DATA_VIEW,
) -> tuple[dict[str, Any], dict[str, str]]:
    layer = f"layer-{index}"
    ref_name = f"indexpattern-datasource-layer-{layer}"
    attributes = {
        "title": title,
        "type": "lens",
        "visualizationType": vis_type,
        "references": [_ref(ref_name, view)],
        "state": {
            "datasourceStates": {
                "formBased": {
                    "layers": {
                        layer: {
                            "columns": columns,
                            "columnOrder": list(columns),
                            "incompleteColumns": {},
                        }
                    }
                }
            },
            "visualization": {**visualization, "layerId": layer}
            if vis_type in ("lnsDatatable",)
            else _with_layer(visualization, layer),
            "query": {"query": query, "language": "kuery"},
            "filters": [],
            "internalReferences": [],
            "adHocDataViews": {},
        },
    }
    x, y, w, h = grid
    panel = {
        "type": "lens",
        "panelIndex": index,
        "title": title,
        "gridData": {"x": x, "y": y, "w": w, "h": h, "i": index},
        "embeddableConfig": {"attributes": attributes, "enhancements": {}},
    }
    return panel, _ref(f"{index}:{ref_name}", view)


def _with_layer(visualization: dict[str, Any], layer: str) -> dict[str, Any]:
    visualization = json.loads(json.dumps(visualization))
    for entry in visualization.get("layers", []):
        entry["layerId"] = layer
    return visualization


def _top_ten(
    xy: dict[str, Any],
    index: str,
    title: str,
    column: tuple[str, str, str],
    grid: tuple[int, int, int, int],
    query: str = "",
) -> tuple[dict[str, Any], dict[str, str]]:
    """A horizontal bar chart of the ten most frequent values of one field; ``column``: (id, field,
    label)."""
    column_id, field, label = column
    layer = {
        "layerType": "data",
        "seriesType": "bar_horizontal",
        "xAccessor": column_id,
        "accessors": ["c-count"],
    }
    return lens_panel(
        index,
        title,
        "lnsXY",
        {column_id: terms(field, 10, "c-count", label), "c-count": count()},
        {**xy, "preferredSeriesType": "bar_horizontal", "layers": [layer]},
        grid,
        query=query,
    )


def panels() -> list[tuple[dict[str, Any], dict[str, str]]]:
    xy = {
        "legend": {"isVisible": True, "position": "right"},
        "valueLabels": "hide",
        "preferredSeriesType": "bar_stacked",
    }
    return [
        lens_panel(
            "p1",
            "Hits over time by platform",
            "lnsXY",
            {
                "c-time": date_histogram("@timestamp"),
                "c-platform": terms("platform", 5, "c-count", "Platform"),
                "c-count": count(),
            },
            {
                **xy,
                "layers": [
                    {
                        "layerType": "data",
                        "seriesType": "bar_stacked",
                        "xAccessor": "c-time",
                        "splitAccessor": "c-platform",
                        "accessors": ["c-count"],
                    }
                ],
            },
            (0, 0, 48, 12),
        ),
        _top_ten(
            xy,
            "p2",
            "Top matched titles",
            ("c-title", "matched_title", "Matched title"),
            (0, 12, 24, 14),
        ),
        _top_ten(
            xy,
            "p3",
            "Top lure domains",
            ("c-domain", "lure_domains", "Lure domain"),
            (24, 12, 24, 14),
            query="sso_lure:true",
        ),
        lens_panel(
            "p4",
            "Status breakdown",
            "lnsPie",
            {"c-status": terms("status", 4, "c-count", "Status"), "c-count": count()},
            {
                "shape": "donut",
                "layers": [
                    {
                        "layerType": "data",
                        "primaryGroups": ["c-status"],
                        "metrics": ["c-count"],
                        "numberDisplay": "value",
                        "categoryDisplay": "default",
                        "legendDisplay": "show",
                    }
                ],
            },
            (0, 26, 16, 14),
        ),
        lens_panel(
            "p5",
            "Latest hits",
            "lnsDatatable",
            {
                "c-url": terms("url", 20, "c-first", "Post URL"),
                "c-first": metric("max", "@timestamp", "First seen", "date"),
                "c-last": metric("max", "last_seen", "Last seen", "date"),
                "c-verdict": metric("last_value", "verdict", "Verdict", "string"),
                "c-platform": metric("last_value", "platform", "Platform", "string"),
                "c-score": metric("max", "score", "Score", "number"),
            },
            {
                "layerType": "data",
                "columns": [
                    {"columnId": c}
                    for c in ("c-url", "c-first", "c-last", "c-verdict", "c-platform", "c-score")
                ],
            },
            (16, 26, 32, 14),
        ),
        lens_panel(
            "p6",
            "Takedown lifecycle by platform (new, reported, removed, false positive)",
            "lnsXY",
            {
                "c-platform": terms("platform", 5, "c-count", "Platform"),
                "c-status": terms("status", 4, "c-count", "Status"),
                "c-count": count(),
            },
            {
                **xy,
                "layers": [
                    {
                        "layerType": "data",
                        "seriesType": "bar_stacked",
                        "xAccessor": "c-platform",
                        "splitAccessor": "c-status",
                        "accessors": ["c-count"],
                    }
                ],
            },
            (0, 40, 24, 14),
        ),
        _top_ten(
            xy,
            "p7",
            "Largest campaigns",
            ("c-campaign", "campaign_id", "Campaign"),
            (24, 40, 24, 14),
            query="campaign_size > 1",
        ),
    ]


def crawl_panels() -> list[tuple[dict[str, Any], dict[str, str]]]:
    """The nightly runs (``lurewatch-crawls``): what each night covered and found, and its
    outcome."""
    xy = {
        "legend": {"isVisible": True, "position": "right"},
        "valueLabels": "hide",
        "preferredSeriesType": "line",
    }
    sums = {
        f"c-{name.replace('_', '')}": metric("sum", name, label, "number")
        for name, label in (
            ("pages", "Pages"),
            ("hits", "Hits"),
            ("new_hits", "New hits"),
            ("skipped", "Skipped (unchanged)"),
        )
    }
    return [
        lens_panel(
            "n1",
            "Nightly crawls: pages, hits, new hits and posts skipped as unchanged per night",
            "lnsXY",
            {"c-time": date_histogram("@timestamp"), **sums},
            {
                **xy,
                "layers": [
                    {
                        "layerType": "data",
                        "seriesType": "line",
                        "xAccessor": "c-time",
                        "accessors": list(sums),
                    }
                ],
            },
            (0, 0, 48, 12),
            view=CRAWLS_VIEW,
        ),
        lens_panel(
            "n2",
            "Nightly runs: outcome and failed health checks",
            "lnsDatatable",
            {
                "c-crawl": terms("crawl_id", 30, "c-finished", "Crawl"),
                "c-finished": metric("max", "finished", "Finished", "date"),
                "c-exit": metric("last_value", "exitcode", "Exit status", "number"),
                "c-errors": metric("sum", "errors", "Errors", "number"),
                "c-quota": metric("sum", "quota_used", "Quota used", "number"),
                "c-failed": metric("last_value", "failed_checks", "Failed checks", "string"),
            },
            {
                "layerType": "data",
                "columns": [
                    {"columnId": c}
                    for c in ("c-crawl", "c-finished", "c-exit", "c-errors", "c-quota", "c-failed")
                ],
            },
            (0, 12, 48, 14),
            view=CRAWLS_VIEW,
        ),
    ]


def crawls_dashboard() -> dict[str, Any]:
    return _dashboard(
        "lurewatch-nightly",
        "lurewatch nightly crawls",
        "What each nightly run covered and found, and its health checks",
        crawl_panels(),
    )


def dashboard() -> dict[str, Any]:
    return _dashboard(
        "lurewatch-overview",
        "lurewatch overview",
        "Fake streams and SSO lures found by lurewatch",
        panels(),
    )


def _dashboard(
    id_: str, title: str, description: str, built: list[tuple[dict[str, Any], dict[str, str]]]
) -> dict[str, Any]:
    return {
        "type": "dashboard",
        "id": id_,
        "attributes": {
            "title": title,
            "description": description,
            "timeRestore": True,
            "timeFrom": "now-30d",
            "timeTo": "now",
            "refreshInterval": {"pause": True, "value": 0},
            "optionsJSON": json.dumps(
                {"useMargins": True, "syncColors": False, "hidePanelTitles": False}
            ),
            "panelsJSON": json.dumps([panel for panel, _ in built]),
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": json.dumps(
                    {"query": {"query": "", "language": "kuery"}, "filter": []}
                )
            },
        },
        "references": [ref for _, ref in built],
        **_MIGRATION,
        "typeMigrationVersion": "8.7.0",
    }


def objects() -> list[dict[str, Any]]:
    return [
        data_view(),
        search(
            "lurewatch-new-sso-lures",
            "New SSO lures",
            "sso_lure:true and status:new",
            ["url", "platform", "blog", "lure_domains", "templates", "score"],
            [["@timestamp", "desc"]],
        ),
        search(
            "lurewatch-fake-streams-by-title",
            "Fake streams by title",
            "fake_stream:true",
            ["matched_title", "title", "url", "platform", "times_seen"],
            [["matched_title", "asc"], ["@timestamp", "desc"]],
        ),
        search(
            "lurewatch-unreported-hits",
            "Unreported hits",
            "status:new and not reported_at:*",
            ["url", "verdict", "platform", "score", "last_seen"],
            [["score", "desc"], ["@timestamp", "desc"]],
        ),
        search(
            "lurewatch-lifecycle-reported",
            "Lifecycle: reported, waiting for removal",
            "status:reported",
            ["url", "channel", "request_id", "reported_at", "last_checked", "campaign_id"],
            [["reported_at", "asc"]],
        ),
        search(
            "lurewatch-lifecycle-removed",
            "Lifecycle: removed",
            "status:removed",
            ["url", "channel", "removed_at", "removal_method", "time_to_removal_seconds"],
            [["removed_at", "desc"]],
        ),
        search(
            "lurewatch-false-positives",
            "False positives",
            "status:false_positive",
            ["url", "platform", "verdict", "score", "reviewed_by", "reviewed_at"],
            [["@timestamp", "desc"]],
        ),
        dashboard(),
        data_view(CRAWLS_VIEW, "lurewatch nightly crawls"),
        crawls_dashboard(),
    ]


if __name__ == "__main__":
    OUT.write_text(
        "".join(json.dumps(obj, sort_keys=True) + "\n" for obj in objects()), encoding="utf-8"
    )
    print(f"wrote {OUT}")
