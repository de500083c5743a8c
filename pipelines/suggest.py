"""``lurewatch titles suggest``: the films not yet watched that fake streams offer most.

Candidate titles (``candidate_title``, set by :mod:`pipelines.candidates`) are counted from a JSON
Lines crawl output (:func:`from_jsonl`) or from the index (:func:`from_index`: a terms
aggregation, analysts' false positives left out). Spellings of one film ("T0y St0ry 3", "Toy
Story 3") are counted together under their normalised words and shown in the spelling seen most
(plain letters preferred). :func:`yaml_block` writes the ``titles.yaml`` entries to paste.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines._files import read_within
from pipelines.exceptions import InputError
from pipelines.normalise import normalise
from pipelines.safety import strip_controls

__all__ = [
    "EXAMPLES",
    "JSONL_MAXSIZE",
    "Suggestion",
    "count_candidates",
    "from_index",
    "from_jsonl",
    "index_query",
    "yaml_block",
]

#: Example URLs kept per title.
EXAMPLES = 3
#: The largest crawl output read (bytes); a nightly output is a few megabytes.
JSONL_MAXSIZE = 512 * 1024 * 1024
#: Distinct candidate spellings asked of the index (the long tail is cut there).
INDEX_BUCKETS = 2000
_MAX_TITLE = 200  # characters of a candidate shown (page text is hostile)


@dataclass
class Suggestion:
    """A film offered by ``count`` pages, as written most often, with example URLs."""

    title: str
    count: int = 0
    urls: list[str] = field(default_factory=list)
    spellings: dict[str, int] = field(default_factory=dict)

    def add(self, spelling: str, count: int, urls: Iterable[str]) -> None:
        """Count ``count`` more pages written ``spelling``; keep the first example URLs."""
        self.count += count
        self.spellings[spelling] = self.spellings.get(spelling, 0) + count
        for url in urls:
            if len(self.urls) < EXAMPLES and url not in self.urls:
                self.urls.append(url)
        self.title = max(self.spellings, key=lambda s: (_plain(s), self.spellings[s]))


def _plain(spelling: str) -> bool:
    """Written without leetspeak digits inside words ("T0y St0ry 3" is not plain)."""
    return not any(
        any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
        for word in spelling.split()
    )


def _clean(title: Any) -> str:
    return strip_controls(" ".join(str(title).split()))[:_MAX_TITLE]


def count_candidates(
    found: Iterable[tuple[str, int, Iterable[str]]], minimum: int
) -> list[Suggestion]:
    """``(candidate, pages, example urls)`` grouped by normalised words, kept when seen on at
    least ``minimum`` pages, most seen first."""
    groups: dict[str, Suggestion] = {}
    for title, count, urls in found:
        spelling = _clean(title)
        key = normalise(spelling)
        if not key:
            continue
        groups.setdefault(key, Suggestion(spelling)).add(spelling, count, urls)
    kept = [s for s in groups.values() if s.count >= minimum]
    return sorted(kept, key=lambda s: (-s.count, s.title.casefold()))


def _records(path: Path, max_bytes: int) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = read_within(path, max_bytes, "the crawl output limit").decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{path}:{number}: not JSON: {exc}") from None
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: not a JSON object (a crawl item)")
        yield number, record


def from_jsonl(path: Path, minimum: int, *, max_bytes: int = JSONL_MAXSIZE) -> list[Suggestion]:
    """The candidate titles of a JSON Lines crawl output (``lurewatch crawl -O out.jsonl``)."""
    found = []
    for number, record in _records(path, max_bytes):
        title = record.get("candidate_title")
        if title is None:
            continue
        if not isinstance(title, str):
            raise InputError(f"{path}:{number}: candidate_title is not a string")
        url = record.get("url")
        found.append((title, 1, [url] if isinstance(url, str) else []))
    return count_candidates(found, minimum)


def index_query(buckets: int = INDEX_BUCKETS) -> dict[str, Any]:
    """The search body: pages with a candidate title that no analyst called a false positive,
    counted per title, with the latest example URLs."""
    false_positive = [
        {"term": {"status": "false_positive"}},
        {"term": {"review": "false_positive"}},
    ]
    examples = {
        "top_hits": {"size": EXAMPLES, "_source": ["url"], "sort": [{"last_seen": "desc"}]}
    }
    return {
        "size": 0,
        "query": {
            "bool": {
                "filter": [{"exists": {"field": "candidate_title"}}],
                "must_not": false_positive,
            }
        },
        "aggs": {
            "titles": {
                "terms": {"field": "candidate_title", "size": buckets},
                "aggs": {"examples": examples},
            }
        },
    }


def _buckets(answer: dict[str, Any]) -> Iterator[tuple[str, int, list[str]]]:
    for bucket in answer.get("aggregations", {}).get("titles", {}).get("buckets", []):
        hits = bucket.get("examples", {}).get("hits", {}).get("hits", [])
        urls = [
            h["_source"]["url"] for h in hits if isinstance(h.get("_source", {}).get("url"), str)
        ]
        yield str(bucket["key"]), int(bucket["doc_count"]), urls


async def from_index(client: Any, index: str, minimum: int) -> list[Suggestion]:
    """The candidate titles of the index (an ``AsyncElasticsearch``); client errors propagate."""
    answer = await client.search(index=index, **index_query())
    return count_candidates(_buckets(dict(answer.body)), minimum)


def yaml_block(suggestions: Iterable[Suggestion]) -> str:
    """``titles.yaml`` entries (``- title: X``), quoted where YAML needs it."""
    entries = [{"title": s.title} for s in suggestions]
    if not entries:
        return ""
    return yaml.safe_dump(entries, allow_unicode=True, default_flow_style=False, sort_keys=False)
