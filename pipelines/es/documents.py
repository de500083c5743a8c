"""From a crawled :class:`~pipelines.items.Hit` to an Elasticsearch document and its id.

The id is the SHA-256 of the canonical post URL (:func:`pipelines.urls.canonical_post_url`, the
identity the spiders de-duplicate by), so a post found again on a later crawl, through another
search, or with tracking parameters added, lands on the same document.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pipelines.items import EXPORT_FIELDS
from pipelines.urls import canonical_post_url, host_of

__all__ = [
    "EVIDENCE_FIELDS",
    "NEW_ONLY_FIELDS",
    "TAKEDOWN_FIELDS",
    "build_document",
    "doc_id",
    "utc_now",
]

#: Set when a document is created, never touched by a re-crawl (analysts own ``status``).
NEW_ONLY_FIELDS: tuple[str, ...] = ("first_seen", "@timestamp", "status")
#: Filled by the takedown work, never by the crawler.
TAKEDOWN_FIELDS: tuple[str, ...] = (
    "review",
    "reviewed_at",
    "reported_at",
    "reported_to",
    "report_id",
    "request_id",
    "channel",
    "last_checked",
    "check_count",
    "removed_at",
    "removal_method",
    "removal_observations",
    "time_to_removal_seconds",
    "reviewed_by",
    "notes",
    "campaign_id",
    "campaign_size",
    "campaign_signals",
)
#: The evidence of a fetch, when the crawl recorded it (an ``evidence`` mapping on the item).
EVIDENCE_FIELDS: tuple[str, ...] = (
    "html_sha256",
    "html_size",
    "headers",
    "redirect_chain",
    "screenshots",
)


def utc_now() -> str:
    """The current UTC time, ISO 8601 with milliseconds, as Elasticsearch's ``date`` expects."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def doc_id(url: str) -> str:
    """The document id of a post: hex SHA-256 of :func:`canonical_post_url` (bounded, URL-safe)."""
    return hashlib.sha256(canonical_post_url(url).encode("utf-8")).hexdigest()


def _site_host(url: str) -> str:
    """The host of ``url`` as its canonical URL names it (no ``www.``, ``m.``, country domain)."""
    return host_of(canonical_post_url(url))


def _hosts(urls: Iterable[str]) -> list[str]:
    return sorted({h for h in map(_site_host, urls) if h})


def _item_fields(hit: Any) -> Mapping[str, Any]:
    """The fields of a dataclass item or a mapping (no ItemAdapter: it imports Scrapy)."""
    if isinstance(hit, Mapping):
        return hit
    if dataclasses.is_dataclass(hit) and not isinstance(hit, type):
        return {field.name: getattr(hit, field.name) for field in dataclasses.fields(hit)}
    raise TypeError(f"not an item: {type(hit).__name__}")


def build_document(hit: Any, crawl_id: str, seen_at: str | None = None) -> dict[str, Any]:
    """The indexable part of ``hit`` (a ``Hit`` or any item with its fields) plus the derived
    fields.

    ``first_seen``/``@timestamp``/``status``/``times_seen`` are added by the writer when it creates
    the document; a re-crawl only refreshes what is here.
    """
    fields = _item_fields(hit)
    # None kept on purpose: a partial update then clears a value the post no longer has
    doc: dict[str, Any] = {name: fields.get(name) for name in EXPORT_FIELDS}
    for name in ("published", "fetched_at"):
        doc[name] = doc.get(name) or None
    seen = seen_at or doc.get("fetched_at") or utc_now()
    doc.update(
        canonical_url=canonical_post_url(doc["url"]),
        url_host=_site_host(doc["url"]),
        lure_domains=_hosts(doc.get("lure_urls") or []),
        last_seen=seen,
        crawl_id=crawl_id,
    )
    evidence = _evidence(fields.get("evidence"))
    if evidence:
        doc["evidence"] = evidence
    return doc


def _evidence(value: Any) -> dict[str, Any] | None:
    """The :data:`EVIDENCE_FIELDS` of an item's ``evidence`` (a mapping or dataclass), if any."""
    if not value:
        return None
    fields = _item_fields(value)
    return {name: fields[name] for name in EVIDENCE_FIELDS if fields.get(name) is not None}
