"""``searches.yaml``: how titles become search queries and tags (phrasings, pages per search)."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from pipelines.exceptions import WatchlistError
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load, not_int
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, LineDict, excerpt, line_of, parse_yaml
from pipelines.watchlists.titles import Title

__all__ = [
    "MAX_PHRASINGS",
    "MAX_PHRASING_CHARS",
    "MAX_SEARCH_PAGES",
    "SearchPlan",
    "load_searches",
]

#: ``searches.yaml``: phrasings per list, characters per phrasing, pages per search endpoint.
MAX_PHRASINGS = 50
MAX_PHRASING_CHARS = 200
MAX_SEARCH_PAGES = 100


@dataclass(frozen=True)
class SearchPlan:
    """How titles become searches: query and tag phrasings, with ``{title}`` and ``{year}``."""

    queries: tuple[str, ...] = ("{title}",)
    tags: tuple[str, ...] = ("{title}",)
    max_pages: int = 3  # pages followed per search endpoint
    extra: dict[str, Any] = field(default_factory=dict)

    def queries_for(self, title: Title) -> list[str]:
        return _expand(self.queries, title)

    def tags_for(self, title: Title) -> list[str]:
        return _expand(self.tags, title)


def _expand(phrasings: tuple[str, ...], title: Title) -> list[str]:
    out: list[str] = []
    for phrasing in phrasings:
        if "{year}" in phrasing and not title.year:
            continue
        text = " ".join(phrasing.format(title=title.title, year=title.year or "").split())
        if text and text not in out:
            out.append(text)
    return out


def _string_list(path: Path, data: LineDict, key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not _is_string_list(value):
        fail(path, data, key if key in data else None, "must be a non-empty list of strings", key)
    if len(value) > MAX_PHRASINGS:
        fail(path, data, key, f"more than {MAX_PHRASINGS} phrasings ({len(value)})", key)
    for i in range(len(value)):
        _check_phrasing(path, value, i, key)
    return tuple(value)


def _is_string_list(value: Any) -> TypeGuard[list[str]]:
    """A non-empty list of strings that are not blank."""
    if not isinstance(value, list) or not value:
        return False
    return all(isinstance(v, str) and v.strip() for v in value)


def _check_phrasing(path: Path, phrasings: list[Any], index: int, key: str) -> None:
    """A phrasing is text with ``{title}`` and maybe ``{year}``: no format spec, conversion,
    attribute or index (``{title:>20000000}`` would build 20 MB queries)."""
    phrasing = phrasings[index]
    if len(phrasing) > MAX_PHRASING_CHARS:
        problem = f"phrasing longer than {MAX_PHRASING_CHARS} characters: {excerpt(phrasing)}"
        fail(path, phrasings, index, problem, key)
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(phrasing)]
    except ValueError as exc:
        fail(path, phrasings, index, f"bad placeholder in {excerpt(phrasing)}: {exc}", key)
    for name, spec, conversion in fields:
        if name is not None and (name not in ("title", "year") or spec or conversion):
            problem = f"bad placeholder in {excerpt(phrasing)}: only plain {{title}} and {{year}}"
            fail(path, phrasings, index, problem, key)
    if all(name != "title" for name, _, _ in fields):
        problem = f"phrasing {excerpt(phrasing)} has no {{title}} placeholder"
        fail(path, phrasings, index, problem, key)


def load_searches(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> SearchPlan:
    """Load ``searches.yaml``: ``queries`` and ``tags`` phrasings and ``max_pages``."""
    path = Path(path) if path else WATCHLIST_DIR / "searches.yaml"
    return load(_parse_searches, path, max_bytes)


def _parse_searches(path: Path, text: str) -> SearchPlan:
    data = parse_yaml(text, path)
    if not isinstance(data, LineDict):
        problem = "must be a mapping with 'queries' and 'tags'"
        raise WatchlistError(str(path), line_of(data), problem)
    unknown = sorted(set(data) - {"queries", "tags", "max_pages"})
    if unknown:
        problem = "unknown key (allowed: queries, tags, max_pages)"
        fail(path, data, unknown[0], problem, unknown[0])
    max_pages = data.get("max_pages", 3)
    if not_int(max_pages) or not 1 <= max_pages <= MAX_SEARCH_PAGES:
        problem = f"must be an integer from 1 to {MAX_SEARCH_PAGES}, not {excerpt(max_pages)}"
        fail(path, data, "max_pages", problem, "max_pages")
    return SearchPlan(
        queries=_string_list(path, data, "queries"),
        tags=_string_list(path, data, "tags"),
        max_pages=max_pages,
    )
