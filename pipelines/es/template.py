"""The hit index: component + composable index templates, the first backing index and its write
alias.

Layout (``<alias>`` is ``LUREWATCH_ES_INDEX``, default ``lurewatch-hits``)::

    _component_template/<alias>@mappings   strict mappings (below)
    _component_template/<alias>@settings   shards/replicas
    _component_template/<alias>@custom     optional, yours (e.g. an ILM policy); never written by
    lurewatch _index_template/<alias>                 index_patterns ["<alias>-*"], composed of the
    three above <alias>-000001                          first backing index, ``is_write_index`` for
    the alias

Only core features are used (no ingest pipeline, script, data stream or extra analyzer), so the
same template runs on the stripped test server and on a production cluster; rollover works through
the alias.
"""

from __future__ import annotations

import logging
from typing import Any

from elasticsearch import AsyncElasticsearch, BadRequestError, NotFoundError

from pipelines.exceptions import MappingConflictError

__all__ = ["MAPPINGS", "TEMPLATE_VERSION", "backing_indices", "mapping_conflicts", "setup_index"]

logger = logging.getLogger(__name__)

TEMPLATE_VERSION = 1

_KEYWORD: dict[str, Any] = {"type": "keyword", "ignore_above": 2048}
_DATE: dict[str, Any] = {"type": "date"}

#: Strict mappings: an unknown field is rejected, never silently added.
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"managed_by": "lurewatch", "version": TEMPLATE_VERSION},
    "properties": {
        "@timestamp": _DATE,  # = first_seen: Kibana's time axis counts discoveries
        "first_seen": _DATE,
        "last_seen": _DATE,
        "times_seen": {"type": "integer"},
        "crawl_id": _KEYWORD,
        "status": {"type": "keyword"},  # new | reported | removed | false_positive
        # the post
        "url": _KEYWORD,
        "canonical_url": _KEYWORD,
        "url_host": _KEYWORD,
        "platform": {"type": "keyword"},
        "blog": _KEYWORD,
        "post_id": _KEYWORD,
        "title": {
            "type": "text",
            "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}},
        },
        "text": {"type": "text"},
        "published": _DATE,
        "fetched_at": _DATE,
        "tags": _KEYWORD,
        "search": _KEYWORD,
        "outbound_urls": _KEYWORD,
        "landing_urls": _KEYWORD,
        # detection
        "matched_title": _KEYWORD,
        # a film the page offers that no watchlist entry names (``lurewatch titles suggest``)
        "candidate_title": {
            "type": "keyword",
            "ignore_above": 1024,
            "fields": {"text": {"type": "text"}},
        },
        "fake_stream": {"type": "boolean"},
        "sso_lure": {"type": "boolean"},
        "verdict": {"type": "keyword"},  # benign | unwatched_fake | fake_stream | lure
        "score": {"type": "integer"},
        "reasons": _KEYWORD,
        "templates": _KEYWORD,
        "lure_urls": _KEYWORD,
        "lure_domains": _KEYWORD,
        # evidence of the fetch (set by the crawl when it records it; see pipelines/takedowns)
        "evidence": {
            "type": "object",
            "properties": {
                "html_sha256": _KEYWORD,
                "html_size": {"type": "long"},
                "headers": {"type": "object", "enabled": False},  # kept, never indexed
                "redirect_chain": _KEYWORD,
                "screenshots": {
                    "type": "object",
                    "properties": {
                        "url": _KEYWORD,
                        "path": _KEYWORD,
                        "sha256": _KEYWORD,
                        "size": {"type": "long"},
                    },
                },
            },
        },
        # campaigns (set by `lurewatch takedowns export|campaigns`)
        "campaign_id": _KEYWORD,
        "campaign_size": {"type": "integer"},
        "campaign_signals": _KEYWORD,
        # takedown work (never written by the crawler)
        "review": {"type": "keyword"},  # confirmed | false_positive | removed (an analyst's word)
        "reviewed_at": _DATE,
        "reported_at": _DATE,
        "reported_to": _KEYWORD,
        "report_id": _KEYWORD,
        "request_id": _KEYWORD,
        "channel": _KEYWORD,
        "last_checked": _DATE,
        "check_count": {"type": "integer"},
        "removed_at": _DATE,
        "removal_method": _KEYWORD,
        "removal_observations": _KEYWORD,
        "time_to_removal_seconds": {"type": "long"},
        "reviewed_by": _KEYWORD,
        "notes": {"type": "text"},
    },
}

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",  # green on one node, one replica as soon as there are two
    "refresh_interval": "1s",
}


def _index_template(alias: str) -> dict[str, Any]:
    return {
        "index_patterns": [f"{alias}-*"],
        "composed_of": [f"{alias}@settings", f"{alias}@mappings", f"{alias}@custom"],
        "ignore_missing_component_templates": [f"{alias}@custom"],
        "priority": 200,
        "version": TEMPLATE_VERSION,
        "_meta": {"managed_by": "lurewatch", "alias": alias},
    }


async def backing_indices(client: AsyncElasticsearch, alias: str) -> dict[str, bool]:
    """``{index: is_write_index}`` of ``alias``; empty when the alias does not exist."""
    try:
        found = await client.indices.get_alias(name=alias)
    except NotFoundError:
        return {}
    result = {}
    for index, body in found.body.items():
        meta = body.get("aliases", {}).get(alias, {})
        result[index] = bool(meta.get("is_write_index", len(found.body) == 1))
    return result


def _describe(spec: dict[str, Any]) -> tuple[Any, ...]:
    subfields = tuple(sorted((k, v.get("type")) for k, v in spec.get("fields", {}).items()))
    return spec.get("type", "object"), subfields


def mapping_conflicts(existing: dict[str, Any]) -> list[str]:
    """Why ``existing`` (an index's ``mappings``) cannot take lurewatch's documents; empty if it
    can."""
    problems = []
    props = existing.get("properties", {})
    for name, ours in MAPPINGS["properties"].items():
        theirs = props.get(name)
        if theirs is None:
            continue  # a new field: put_mapping adds it
        if _describe(theirs)[0] != ours["type"]:
            problems.append(
                f"field {name!r} is {_describe(theirs)[0]}, lurewatch needs {ours['type']}"
            )
        elif (
            "fields" in ours
            and dict(_describe(ours)[1]).items() - dict(_describe(theirs)[1]).items()
        ):
            problems.append(f"field {name!r} lacks the sub-fields {sorted(ours['fields'])}")
    return problems


async def _check_index(client: AsyncElasticsearch, index: str) -> None:
    found = await client.indices.get_mapping(index=index)
    problems = mapping_conflicts(found.body[index]["mappings"])
    if problems:
        raise MappingConflictError(
            f"index {index!r} has a conflicting mapping: " + "; ".join(problems)
        )


async def _put_templates(client: AsyncElasticsearch, alias: str) -> None:
    await client.cluster.put_component_template(
        name=f"{alias}@mappings", template={"mappings": MAPPINGS}
    )
    await client.cluster.put_component_template(
        name=f"{alias}@settings", template={"settings": SETTINGS}
    )
    await client.indices.put_index_template(name=alias, **_index_template(alias))


async def setup_index(client: AsyncElasticsearch, alias: str) -> str:
    """Create or update the templates and the alias, idempotently; return what was done.

    Raises :class:`MappingConflictError` (touching nothing) when an index in the way has an
    incompatible mapping, or when a concrete index already holds the alias's name.
    """
    indices = await backing_indices(client, alias)
    if not indices and await client.indices.exists(index=alias):
        raise MappingConflictError(
            f"{alias!r} is a concrete index, not an alias (created before `lurewatch es setup`?); "
            f"reindex it into {alias}-000001 or choose another LUREWATCH_ES_INDEX"
        )
    for index in indices:
        await _check_index(client, index)
    await _put_templates(client, alias)
    if indices:
        await client.indices.put_mapping(index=list(indices), properties=MAPPINGS["properties"])
        logger.info("Elasticsearch alias %s up to date (%d backing indices)", alias, len(indices))
        return f"updated templates and mappings of {alias} ({', '.join(sorted(indices))})"
    return await _create_first_index(client, alias)


async def _create_first_index(client: AsyncElasticsearch, alias: str) -> str:
    first = f"{alias}-000001"
    if await client.indices.exists(index=first):  # alias removed by hand: check and re-attach
        await _check_index(client, first)
        await client.indices.put_mapping(index=first, properties=MAPPINGS["properties"])
        await client.indices.put_alias(index=first, name=alias, is_write_index=True)
        return f"re-attached {first} to write alias {alias}"
    try:
        await client.indices.create(index=first, aliases={alias: {"is_write_index": True}})
    except BadRequestError as exc:
        if (
            exc.error != "resource_already_exists_exception"
        ):  # else another crawl created it just now
            raise
    logger.info("created Elasticsearch index %s behind alias %s", first, alias)
    return f"created {first} with write alias {alias}"
