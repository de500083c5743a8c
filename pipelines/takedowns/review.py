"""``hits mark``: an analyst's verdict on hits, kept through later crawls.

``false_positive`` sets ``review`` and ``status: false_positive`` (never exported again);
``confirmed`` sets ``review: confirmed`` (exported even below the score threshold, status
unchanged); ``removed`` sets ``status: removed`` with ``removed_at`` and ``removal_method:
manual`` (time to removal counted from ``reported_at`` if the hit was reported). ``review``,
``status`` and the takedown fields are never in a crawl's partial update
(:mod:`pipelines.es.writer`), so a re-crawl keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipelines.es.documents import doc_id
from pipelines.takedowns.recheck import parse_time
from pipelines.takedowns.store import HitStore, StoredHit, iso

__all__ = ["VERDICTS", "MarkResult", "mark_hits", "review_update"]

VERDICTS = ("false_positive", "confirmed", "removed")
_MAX_NOTE = 2000


@dataclass
class MarkResult:
    """Which URLs were marked, unknown, or changed meanwhile."""

    marked: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def review_update(
    hit: StoredHit, verdict: str, now: datetime, note: str, by: str
) -> dict[str, Any]:
    """The partial document recording ``verdict`` on ``hit``."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    doc: dict[str, Any] = {"review": verdict, "reviewed_at": iso(now)}
    if by:
        doc["reviewed_by"] = by
    if note:
        notes = str(hit.get("notes") or "")
        doc["notes"] = f"{notes}\n{iso(now)} {verdict}: {note[:_MAX_NOTE]}".strip()
    if verdict == "false_positive":
        doc["status"] = "false_positive"
    elif verdict == "removed":
        doc.update(status="removed", removed_at=iso(now), removal_method="manual")
        reported = parse_time(hit.get("reported_at"))
        if reported is not None:
            doc["time_to_removal_seconds"] = max(0, round((now - reported).total_seconds()))
    return doc


async def mark_hits(
    store: HitStore, urls: Sequence[str], verdict: str, now: datetime, note: str = "", by: str = ""
) -> MarkResult:
    """Mark the hits of ``urls`` (any spelling of a post URL finds its document)."""
    result = MarkResult()
    ids = {doc_id(url): url for url in urls}
    found = {hit.id: hit for hit in await store.by_ids(ids)}
    for _id, url in ids.items():
        hit = found.get(_id)
        if hit is None:
            result.unknown.append(url)
        elif await store.update(hit, review_update(hit, verdict, now, note, by)):
            result.marked.append(url)
        else:
            result.conflicts.append(url)
    return result
