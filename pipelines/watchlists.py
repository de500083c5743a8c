"""Watchlists: the titles to look for and the search phrasings used to find them.

Plain functions over YAML files; every problem raises :class:`~crawler.exceptions.WatchlistError` naming
file, line and field, so a broken watchlist stops a run before its first request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.exceptions import WatchlistError
from pipelines._yaml import LineDict, LineList, line_of, load_yaml

__all__ = [
    "WATCHLIST_DIR",
    "SearchPlan",
    "Title",
    "load_searches",
    "load_titles",
]

#: The watchlists shipped with the project (``LUREWATCH_TITLES`` and friends replace single files).
WATCHLIST_DIR = Path(__file__).resolve().parent.parent / "watchlists"

_TITLE_KEYS = {"title", "year", "aliases", "notes", "imdb", "tags"}


@dataclass(frozen=True)
class Title:
    """A watched film: its title, release year and alternative names (translations, short forms)."""

    title: str
    year: int | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


def _fail(path: Path, node: Any, key: str | int | None, problem: str, field_name: str | None = None) -> None:
    raise WatchlistError(str(path), line_of(node, key), problem, field_name)


def _parse_title(path: Path, node: Any, index: int, parent: LineList) -> Title:
    if not isinstance(node, dict):
        _fail(path, parent, index, f"entry {index + 1} must be a mapping with 'title' and 'year'")
    unknown = sorted(set(node) - _TITLE_KEYS)
    if unknown:
        _fail(path, node, unknown[0], f"unknown key (allowed: {', '.join(sorted(_TITLE_KEYS))})", unknown[0])
    title = node.get("title")
    if not isinstance(title, str) or not title.strip():
        _fail(path, node, "title" if "title" in node else None, "must be a non-empty string", "title")
    year = node.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1888 <= year <= 2100):
        _fail(path, node, "year", f"must be a year such as 2026, not {year!r}", "year")
    aliases = node.get("aliases", [])
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        _fail(path, node, "aliases", "must be a list of non-empty strings", "aliases")
    return Title(title=title.strip(), year=year, aliases=tuple(a.strip() for a in aliases))


def load_titles(path: str | Path | None = None) -> list[Title]:
    """Load ``titles.yaml``: a YAML list of ``{title, year, aliases?}``."""
    path = Path(path) if path else WATCHLIST_DIR / "titles.yaml"
    data = load_yaml(path)
    if isinstance(data, dict) and "titles" in data:  # tolerate a top-level ``titles:`` key
        data = data["titles"]
    if not isinstance(data, list):
        raise WatchlistError(str(path), line_of(data), "must be a YAML list of {title, year, aliases?}")
    if not data:
        raise WatchlistError(str(path), None, "lists no titles")
    titles = [_parse_title(path, node, i, data) for i, node in enumerate(data)]
    seen: dict[tuple[str, int | None], int] = {}
    for i, t in enumerate(titles):
        key = (t.title.casefold(), t.year)
        if key in seen:
            _fail(path, data, i, f"duplicate title {t.title!r} ({t.year}), first at entry {seen[key] + 1}", "title")
        seen[key] = i
    return titles


@dataclass(frozen=True)
class SearchPlan:
    """How titles become searches: free-text query phrasings and tag phrasings, with ``{title}``/``{year}``."""

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
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, data, key if key in data else None, "must be a non-empty list of strings", key)
    for i, phrasing in enumerate(value):
        if "{title}" not in phrasing:
            _fail(path, value, i, f"phrasing {phrasing!r} has no {{title}} placeholder", key)
        try:
            phrasing.format(title="x", year=2026)
        except (KeyError, IndexError, ValueError) as exc:
            _fail(path, value, i, f"bad placeholder in {phrasing!r}: {exc}", key)
    return tuple(value)


def load_searches(path: str | Path | None = None) -> SearchPlan:
    """Load ``searches.yaml``: ``queries`` and ``tags`` phrasings and ``max_pages``."""
    path = Path(path) if path else WATCHLIST_DIR / "searches.yaml"
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise WatchlistError(str(path), line_of(data), "must be a mapping with 'queries' and 'tags'")
    unknown = sorted(set(data) - {"queries", "tags", "max_pages"})
    if unknown:
        _fail(path, data, unknown[0], "unknown key (allowed: queries, tags, max_pages)", unknown[0])
    max_pages = data.get("max_pages", 3)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        _fail(path, data, "max_pages", f"must be a positive integer, not {max_pages!r}", "max_pages")
    return SearchPlan(
        queries=_string_list(path, data, "queries"), tags=_string_list(path, data, "tags"), max_pages=max_pages
    )
