"""From a crawled :class:`~pipelines.items.Hit` to an Elasticsearch document and its id.

The id is the SHA-256 of the canonical post URL, so a post found again on a later crawl, through another
search, or with tracking parameters added, lands on the same document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from itemadapter import ItemAdapter
from w3lib.url import canonicalize_url, url_query_cleaner

from pipelines.items import EXPORT_FIELDS

__all__ = [
    "NEW_ONLY_FIELDS",
    "TAKEDOWN_FIELDS",
    "TRACKING_PARAMS",
    "build_document",
    "canonical_post_url",
    "doc_id",
    "host_of",
    "utc_now",
]

#: Query parameters that never identify a post: dropped before hashing.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "src",
        "share",
        "si",
        "spm",
        "amp",
        "s_cid",
        "cmpid",
        "campaign",
        "trk",
        "__twitter_impression",
    }
)
#: Set when a document is created, never touched by a re-crawl (analysts own ``status``).
NEW_ONLY_FIELDS: tuple[str, ...] = ("first_seen", "@timestamp", "status")
#: Filled by the takedown work, never by the crawler.
TAKEDOWN_FIELDS: tuple[str, ...] = (
    "reported_at",
    "reported_to",
    "report_id",
    "removed_at",
    "reviewed_by",
    "notes",
)


def utc_now() -> str:
    """The current UTC time, ISO 8601 with milliseconds, as Elasticsearch's ``date`` expects."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _is_tracking(name: str) -> bool:
    return name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMS


def canonical_post_url(url: str) -> str:
    """``url`` canonicalised by w3lib, then https, lower-case host without ``www.`` or default port,
    no trailing slash, no fragment, no tracking parameters (nor Blogger's ``?m=1``)."""
    parts = urlsplit(canonicalize_url(url.strip()))
    host = (parts.hostname or "").removeprefix("www.")
    keep = [name for name, _ in _query_pairs(parts.query) if not _is_tracking(name)]
    if host.endswith(".blogspot.com") or host == "blogspot.com":
        keep = [name for name in keep if name != "m"]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = url_query_cleaner("?" + parts.query, keep, unique=False, keep_fragments=False).lstrip("?")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def _query_pairs(query: str) -> list[tuple[str, str]]:
    pairs = []
    for chunk in filter(None, query.split("&")):
        name, _, value = chunk.partition("=")
        pairs.append((name, value))
    return pairs


def doc_id(url: str) -> str:
    """The document id of a post: hex SHA-256 of :func:`canonical_post_url` (bounded, URL-safe)."""
    return hashlib.sha256(canonical_post_url(url).encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    """Lower-case host of ``url`` without ``www.``; empty when it has none."""
    try:
        return (urlsplit(url.strip()).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _hosts(urls: Iterable[str]) -> list[str]:
    return sorted({h for h in map(host_of, urls) if h})


def build_document(hit: Any, crawl_id: str, seen_at: str | None = None) -> dict[str, Any]:
    """The indexable part of ``hit`` (a ``Hit`` or any item with its fields) plus the derived fields.

    ``first_seen``/``@timestamp``/``status``/``times_seen`` are added by the writer when it creates the
    document; a re-crawl only refreshes what is here.
    """
    fields: Mapping[str, Any] = ItemAdapter(hit).asdict()
    # None kept on purpose: a partial update then clears a value the post no longer has
    doc: dict[str, Any] = {name: fields.get(name) for name in EXPORT_FIELDS}
    for name in ("published", "fetched_at"):
        doc[name] = doc.get(name) or None
    seen = seen_at or doc.get("fetched_at") or utc_now()
    doc.update(
        canonical_url=canonical_post_url(doc["url"]),
        url_host=host_of(doc["url"]),
        lure_domains=_hosts(doc.get("lure_urls") or []),
        last_seen=seen,
        crawl_id=crawl_id,
    )
    return doc
