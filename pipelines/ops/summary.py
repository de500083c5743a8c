"""The summary of a nightly run: per-platform counts from each spider's final stats.

Plain functions over the stats dictionaries ``lurewatch crawl`` records (one per spider): the
log lines, the table printed on stdout and the document indexed into ``lurewatch-crawls`` are
all built from the same :class:`PlatformSummary` values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "COLUMNS",
    "ES_CREATED",
    "PlatformSummary",
    "carried_stats",
    "crawl_document",
    "summarise",
    "table",
]

#: Stats that do not add up over the runs of a night (times, rates, peaks, flags).
_NOT_CARRIED = (
    "elapsed_time_seconds",
    "memusage/",
    "responses_per_minute",
    "items_per_minute",
    "lurewatch/nightly/",
    "spidermon/validation/validators",
)

#: The stat of the documents new to the index (the pipeline's, plus a night's replayed spool).
ES_CREATED = "lurewatch/es/docs/created"
#: The summary columns, in table order (the names of :class:`PlatformSummary`'s counters).
COLUMNS = ("pages", "posts", "skipped", "hits", "new_hits", "lures", "errors", "quota_used")


@dataclass(frozen=True)
class PlatformSummary:
    """What one platform's spider did in a run (``new_hits`` is ``None`` without indexing;
    ``skipped``: posts the incremental ledger kept from being fetched and judged again)."""

    platform: str
    pages: int
    posts: int
    hits: int
    new_hits: int | None
    lures: int
    errors: int
    quota_used: int
    finish_reason: str
    skipped: int = 0


def carried_stats(stats: Mapping[str, Any]) -> dict[str, int | float]:
    """The counters of ``stats`` that a resumed run of the same night adds to its own."""
    return {
        key: value
        for key, value in stats.items()
        if isinstance(value, int | float)
        and not isinstance(value, bool)
        and not key.startswith(_NOT_CARRIED)
    }


def _int(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key) or 0
    return int(value) if isinstance(value, int | float) else 0


def _quota_used(stats: Mapping[str, Any]) -> int:
    return sum(
        _int(stats, key)
        for key in stats
        if key.startswith("lurewatch/quota/") and key.endswith("/requests")
    )


def _errors(stats: Mapping[str, Any]) -> int:
    return _int(stats, "log_count/ERROR") + _int(stats, "spider_exceptions/count")


def summarise(platform: str, stats: Mapping[str, Any] | None) -> PlatformSummary:
    """One platform's summary from its spider's final stats (``None``: it did not finish)."""
    if stats is None:
        return PlatformSummary(platform, 0, 0, 0, None, 0, 1, 0, "did not finish")
    indexed = any(key.startswith("lurewatch/es/") for key in stats)
    return PlatformSummary(
        platform=platform,
        pages=_int(stats, "downloader/response_count"),
        posts=_int(stats, f"lurewatch/{platform}/posts"),
        hits=_int(stats, "item_scraped_count"),
        new_hits=_int(stats, ES_CREATED) if indexed else None,
        lures=_int(stats, "lurewatch/detection/posts/lure"),
        errors=_errors(stats),
        quota_used=_quota_used(stats),
        finish_reason=str(stats.get("finish_reason") or ""),
        skipped=_int(stats, "lurewatch/incremental/skipped"),
    )


def _total(rows: Sequence[PlatformSummary], column: str) -> int | None:
    values: list[int | None] = [getattr(row, column) for row in rows]
    known = [value for value in values if value is not None]
    if len(known) < len(values):
        return None
    return sum(known)


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


def table(rows: Sequence[PlatformSummary]) -> str:
    """The summary as a plain-text table, one line per platform and a total line."""
    header = ["platform", *COLUMNS, "finish"]
    lines = [
        [row.platform, *(_cell(getattr(row, c)) for c in COLUMNS), row.finish_reason]
        for row in rows
    ]
    lines.append(["total", *(_cell(_total(rows, c)) for c in COLUMNS), ""])
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    out = []
    for line in [header, *lines]:
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:-1], widths[1:-1], strict=True)]
        cells.append(line[-1])
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def crawl_document(
    crawl_id: str,
    started: str,
    finished: str,
    rows: Sequence[PlatformSummary],
    exitcode: int,
    failed_checks: Sequence[str] = (),
) -> dict[str, Any]:
    """The ``lurewatch-crawls`` document of a run: totals, per-platform rows, outcome."""
    doc: dict[str, Any] = {
        "crawl_id": crawl_id,
        "@timestamp": finished,
        "started": started,
        "finished": finished,
        "exitcode": int(exitcode),
        "failed_checks": list(failed_checks),
        "platforms": [asdict(row) for row in rows],
    }
    for column in COLUMNS:
        doc[column] = _total(rows, column)
    return doc
