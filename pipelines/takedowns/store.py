"""The hit index as the takedown feed sees it: queries and guarded per-document updates.

Every update names the document's ``_seq_no``/``_primary_term`` as read: when a crawl or an
analyst wrote in between, Elasticsearch answers 409 and the update is not applied (the caller
leaves that hit for the next run), so a hit is never marked twice nor a review overwritten.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elasticsearch import AsyncElasticsearch, ConflictError, NotFoundError
from elasticsearch.helpers import async_scan

__all__ = ["Criteria", "EsHitStore", "HitStore", "StoredHit", "iso"]

logger = logging.getLogger(__name__)

#: Statuses a hit moves through; ``false_positive`` is set by an analyst only.
STATUSES = ("new", "reported", "removed", "false_positive")
_MAX_SELECTED = (
    10_000  # one export never holds more hits than this (abuse desks could not read it)
)


def iso(moment: datetime) -> str:
    """``moment`` (aware) as Elasticsearch ``date``: ISO 8601 UTC with milliseconds."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class StoredHit:
    """One hit document with the version it was read at."""

    id: str
    index: str
    seq_no: int
    primary_term: int
    source: dict[str, Any] = field(repr=False)

    def get(self, name: str, default: Any = None) -> Any:
        """A field of the document."""
        return self.source.get(name, default)


@dataclass(frozen=True)
class Criteria:
    """Which hits an export takes: status ``new``, not a false positive, and these filters."""

    min_score: int
    since: datetime | None = None  # last seen at or after
    platform: str | None = None
    title: str | None = None  # the matched (watched) title, case-insensitive


def export_query(criteria: Criteria) -> dict[str, Any]:
    """The query for :class:`Criteria`: a confirmed hit is taken whatever its score."""
    filters: list[dict[str, Any]] = [
        {"term": {"status": "new"}},
        {
            "bool": {
                "should": [
                    {"range": {"score": {"gte": criteria.min_score}}},
                    {"term": {"review": "confirmed"}},
                ],
                "minimum_should_match": 1,
            }
        },
    ]
    if criteria.since is not None:
        filters.append({"range": {"last_seen": {"gte": iso(criteria.since)}}})
    if criteria.platform:
        filters.append({"term": {"platform": criteria.platform}})
    if criteria.title:
        filters.append(
            {"term": {"matched_title": {"value": criteria.title, "case_insensitive": True}}}
        )
    not_fp = [{"term": {"review": "false_positive"}}, {"term": {"status": "false_positive"}}]
    return {"bool": {"filter": filters, "must_not": not_fp}}


def recheck_query(before: datetime) -> dict[str, Any]:
    """Reported hits last checked (or, never checked, reported) before ``before``."""
    stamp = iso(before)
    due = {
        "bool": {
            "should": [
                {"range": {"last_checked": {"lt": stamp}}},
                {
                    "bool": {
                        "must_not": {"exists": {"field": "last_checked"}},
                        "filter": {"range": {"reported_at": {"lt": stamp}}},
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }
    return {"bool": {"filter": [{"term": {"status": "reported"}}, due]}}


class HitStore:
    """What the takedown feed needs from the index (:class:`EsHitStore`; tests use a fake)."""

    async def search(self, query: dict[str, Any]) -> list[StoredHit]:  # pragma: no cover
        raise NotImplementedError

    async def update(self, hit: StoredHit, doc: dict[str, Any]) -> bool:  # pragma: no cover
        """Apply ``doc`` if ``hit`` is unchanged since read; ``False`` on a conflict."""
        raise NotImplementedError

    async def by_ids(self, ids: Iterable[str]) -> list[StoredHit]:  # pragma: no cover
        raise NotImplementedError


class EsHitStore(HitStore):
    """:class:`HitStore` over ``alias`` (every backing index)."""

    def __init__(self, client: AsyncElasticsearch, alias: str) -> None:
        self._client = client
        self._alias = alias

    async def search(self, query: dict[str, Any]) -> list[StoredHit]:
        """Every document matching ``query`` (scrolled; at most :data:`_MAX_SELECTED`)."""
        await self._client.indices.refresh(index=self._alias)
        found: list[StoredHit] = []
        async for doc in self._scan(query):
            found.append(doc)
            if len(found) >= _MAX_SELECTED:
                logger.warning("more than %d hits match: the rest waits", _MAX_SELECTED)
                break
        return sorted(found, key=lambda hit: (str(hit.get("first_seen")), hit.id))

    async def _scan(self, query: dict[str, Any]) -> AsyncIterator[StoredHit]:
        async for doc in async_scan(
            self._client,
            index=self._alias,
            query={"query": query, "seq_no_primary_term": True},
            size=500,
        ):
            yield StoredHit(
                doc["_id"], doc["_index"], doc["_seq_no"], doc["_primary_term"], doc["_source"]
            )

    async def by_ids(self, ids: Iterable[str]) -> list[StoredHit]:
        """The documents with these ids (any backing index)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        return await self.search({"ids": {"values": wanted}})

    async def update(self, hit: StoredHit, doc: dict[str, Any]) -> bool:
        """Partial update of ``hit`` guarded by its ``_seq_no``/``_primary_term``."""
        try:
            await self._client.update(
                index=hit.index,
                id=hit.id,
                doc=doc,
                if_seq_no=hit.seq_no,
                if_primary_term=hit.primary_term,
            )
        except (ConflictError, NotFoundError):
            logger.info("hit %s changed since it was read: left for the next run", hit.id)
            return False
        return True
