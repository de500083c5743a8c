"""Idempotent, script-free upserts of hit documents.

The test server has no painless, so ``times_seen`` cannot be incremented by a script. Instead, per
batch:

1. ``mget`` (real-time) the batch's ids in every backing index of the alias, with ``_seq_no`` and
   ``_primary_term``;
2. a new id becomes a ``create`` on the alias (``require_alias``) carrying ``first_seen``,
   ``@timestamp``, ``status: new`` and ``times_seen: 1``;
3. a known id becomes an ``update`` with a partial ``doc`` in its own index, guarded by
   ``if_seq_no``/``if_primary_term``: ``times_seen`` + 1 only when the crawl id differs, so a
   replayed or repeated document of the same crawl changes nothing; ``first_seen``, ``status`` and
   the takedown fields are never in the partial doc, so they are kept;
4. a 409 (someone wrote in between) or 404 re-plans just those documents from step 1.

429 and 5xx answers are retried with exponential backoff by the bulk helper; other per-document
errors are returned as :class:`Failure` for the caller to log, count and spool.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_streaming_bulk, expand_action

from pipelines.es.documents import doc_id
from pipelines.es.stats import EsStats
from pipelines.es.template import backing_indices
from pipelines.exceptions import IndexingError

__all__ = ["Failure", "HitWriter", "WriteResult"]

logger = logging.getLogger(__name__)

RETRY_STATUS = (429, 500, 502, 503, 504)
_CONFLICT_STATUS = (404, 409)
_LOOKUP_FIELDS = ["crawl_id", "last_seen", "times_seen"]


@dataclass(frozen=True)
class Failure:
    """A document Elasticsearch did not take, with why."""

    doc: dict[str, Any]
    status: int | None
    reason: str


@dataclass
class WriteResult:
    """Outcome of one :meth:`HitWriter.write`."""

    created: int = 0
    updated: int = 0
    noop: int = 0
    stale: int = 0
    failed: list[Failure] = field(default_factory=list)

    @property
    def written(self) -> int:
        """Documents now in the index as sent (created, updated or already identical)."""
        return self.created + self.updated + self.noop


@dataclass(frozen=True)
class _Found:
    index: str
    seq_no: int
    primary_term: int
    source: dict[str, Any]


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _is_stale(doc: dict[str, Any], found: _Found) -> bool:
    ours, theirs = _parse_time(doc.get("last_seen")), _parse_time(found.source.get("last_seen"))
    if ours is None or theirs is None:
        return False
    if ours.tzinfo is None or theirs.tzinfo is None:
        ours, theirs = ours.replace(tzinfo=None), theirs.replace(tzinfo=None)
    return ours < theirs


def plan_action(
    alias: str, _id: str, doc: dict[str, Any], found: _Found | None
) -> dict[str, Any] | None:
    """The bulk action for ``doc`` given what the index holds; ``None`` when the index is newer."""
    if found is None:
        source = {
            **doc,
            "first_seen": doc["last_seen"],
            "@timestamp": doc["last_seen"],
            "status": "new",
            "times_seen": 1,
        }
        return {
            "_op_type": "create",
            "_index": alias,
            "_id": _id,
            "require_alias": True,
            "_source": source,
        }
    same_crawl = found.source.get("crawl_id") == doc.get("crawl_id")
    if not same_crawl and _is_stale(doc, found):
        return None
    times_seen = int(found.source.get("times_seen") or 0) + (0 if same_crawl else 1)
    return {
        "_op_type": "update",
        "_index": found.index,
        "_id": _id,
        "if_seq_no": found.seq_no,
        "if_primary_term": found.primary_term,
        "doc": {**doc, "times_seen": max(times_seen, 1)},
    }


def _latest_by_id(docs: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One document per id: a batch can hold the same post twice (found by two searches)."""
    latest: dict[str, dict[str, Any]] = {}
    for doc in docs:
        _id = doc_id(doc["url"])
        if _id not in latest or str(doc.get("last_seen")) >= str(latest[_id].get("last_seen")):
            latest[_id] = doc
    return latest


class HitWriter:
    """Writes hit documents to ``alias`` with the upsert protocol above."""

    def __init__(
        self,
        client: AsyncElasticsearch,
        alias: str,
        stats: EsStats,
        *,
        max_retries: int = 3,
        backoff: float = 1.0,
        conflict_rounds: int = 3,
        indices_ttl: float = 30.0,
    ) -> None:
        self._client, self._alias, self._stats = client, alias, stats
        self._max_retries, self._backoff, self._conflict_rounds = (
            max_retries,
            backoff,
            conflict_rounds,
        )
        self._indices_ttl = indices_ttl
        self._indices: list[str] = []
        self._indices_at = float("-inf")

    async def write(self, docs: Iterable[dict[str, Any]]) -> WriteResult:
        """Upsert ``docs``; transport failures raise, per-document failures come back in the
        result."""
        pending, result = _latest_by_id(docs), WriteResult()
        for round_ in range(self._conflict_rounds + 1):
            if not pending:
                break
            if round_:
                self._stats.conflict(len(pending))
            pending = await self._write_round(pending, result, refresh_indices=round_ > 0)
        result.failed += [
            Failure(doc, 409, "version conflict persisted") for doc in pending.values()
        ]
        return result

    async def _write_round(
        self, pending: dict[str, dict[str, Any]], result: WriteResult, refresh_indices: bool
    ) -> dict[str, dict[str, Any]]:
        found = await self._lookup(list(pending), await self._backing(refresh_indices))
        actions = []
        for _id, doc in pending.items():
            action = plan_action(self._alias, _id, doc, found.get(_id))
            if action is None:
                result.stale += 1
                self._stats.result("stale")
            else:
                actions.append(action)
        return await self._bulk(actions, pending, result)

    async def _bulk(
        self,
        actions: list[dict[str, Any]],
        pending: dict[str, dict[str, Any]],
        result: WriteResult,
    ) -> dict[str, dict[str, Any]]:
        retry: dict[str, dict[str, Any]] = {}
        if not actions:
            return retry
        self._stats.flush()
        async for ok, info in async_streaming_bulk(
            self._client,
            actions,
            chunk_size=len(actions),
            max_retries=self._max_retries,
            initial_backoff=self._backoff,
            max_backoff=60.0,
            retry_on_status=RETRY_STATUS,
            raise_on_error=False,
            raise_on_exception=True,
            expand_action_callback=_expand_action,
        ):
            item = next(iter(info.values()))
            status = int(item.get("status", 500))
            if ok:
                self._count(item.get("result", "created"), result)
            elif status in _CONFLICT_STATUS:
                retry[item["_id"]] = pending[item["_id"]]
            else:
                result.failed.append(Failure(pending[item["_id"]], status, _reason(item)))
                self._stats.error(status)
        return retry

    def _count(self, outcome: str, result: WriteResult) -> None:
        outcome = outcome if outcome in ("created", "updated", "noop") else "updated"
        setattr(result, outcome, getattr(result, outcome) + 1)
        self._stats.result(outcome)

    async def _backing(self, refresh: bool) -> list[str]:
        if refresh or time.monotonic() - self._indices_at > self._indices_ttl:
            self._indices = sorted(await backing_indices(self._client, self._alias))
            self._indices_at = time.monotonic()
        if not self._indices:
            raise IndexingError(f"alias {self._alias!r} does not exist: run `lurewatch es setup`")
        return self._indices

    async def _lookup(self, ids: list[str], indices: list[str]) -> dict[str, _Found]:
        docs = [{"_index": index, "_id": _id} for _id in ids for index in indices]
        response = await self._client.mget(docs=docs, source_includes=_LOOKUP_FIELDS)
        found: dict[str, _Found] = {}
        for doc in response.body["docs"]:
            if doc.get("found"):
                found[doc["_id"]] = _Found(
                    doc["_index"], doc["_seq_no"], doc["_primary_term"], doc["_source"]
                )
        return found


def _expand_action(data: Any) -> Any:
    """``expand_action`` plus the per-action ``require_alias`` flag, so a missing alias is an
    error, not an auto-created index without our mapping."""
    data = dict(data)
    require_alias = data.pop("require_alias", None)
    header, body = expand_action(data)
    if require_alias:
        next(iter(header.values()))["require_alias"] = True
    return header, body


def _reason(item: dict[str, Any]) -> str:
    error = item.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    return str(error)
