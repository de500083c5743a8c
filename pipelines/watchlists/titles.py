"""``titles.yaml``: the watched films, each a title, a release year and its aliases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.exceptions import WatchlistError
from pipelines.watchlists._common import WATCHLIST_DIR, fail, load
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, excerpt, line_of, parse_yaml

__all__ = ["MAX_NAME_CHARS", "Title", "load_titles", "parse_titles"]

_TITLE_KEYS = {"title", "year", "aliases", "notes", "imdb", "tags"}
#: Keys ``lurewatch watchlists refresh`` writes on the entries it manages (refresh.py).
_TITLE_KEYS |= {"source", "added", "release", "expires"}
#: A title or alias longer than this is refused (it becomes search queries and tags).
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Title:
    """A watched film: its title, release year and other names (translations, short forms)."""

    title: str
    year: int | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


def _parse_title(path: Path, node: Any, index: int, parent: list[Any]) -> Title:
    if not isinstance(node, dict):
        fail(path, parent, index, f"entry {index + 1} must be a mapping with 'title' and 'year'")
    unknown = sorted(set(node) - _TITLE_KEYS)
    if unknown:
        problem = f"unknown key (allowed: {', '.join(sorted(_TITLE_KEYS))})"
        fail(path, node, unknown[0], problem, unknown[0])
    title = node.get("title")
    if not isinstance(title, str) or not title.strip():
        key = "title" if "title" in node else None
        fail(path, node, key, "must be a non-empty string", "title")
    if len(title) > MAX_NAME_CHARS:
        problem = f"longer than {MAX_NAME_CHARS} characters: {excerpt(title)}"
        fail(path, node, "title", problem, "title")
    year = node.get("year")
    if year is not None and not _is_year(year):
        fail(path, node, "year", f"must be a year such as 2026, not {excerpt(year)}", "year")
    aliases = node.get("aliases", [])
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        fail(path, node, "aliases", "must be a list of non-empty strings", "aliases")
    for alias in aliases:
        if len(alias) > MAX_NAME_CHARS:
            problem = f"longer than {MAX_NAME_CHARS} characters: {excerpt(alias)}"
            fail(path, node, "aliases", problem, "aliases")
    return Title(title=title.strip(), year=year, aliases=tuple(a.strip() for a in aliases))


def _is_year(value: Any) -> bool:
    """An integer from 1888 (the first film) to 2100; a bool is not one."""
    return not isinstance(value, bool) and isinstance(value, int) and 1888 <= value <= 2100


def load_titles(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> list[Title]:
    """Load ``titles.yaml``: a YAML list of ``{title, year, aliases?}``."""
    path = Path(path) if path else WATCHLIST_DIR / "titles.yaml"
    return list(load(parse_titles, path, max_bytes))


def parse_titles(path: Path, text: str) -> list[Title]:
    """The titles in ``text`` (the contents of ``path``), validated; no title and year twice."""
    data = parse_yaml(text, path)
    if isinstance(data, dict) and "titles" in data:  # tolerate a top-level ``titles:`` key
        data = data["titles"]
    if not isinstance(data, list):
        problem = "must be a YAML list of {title, year, aliases?}"
        raise WatchlistError(str(path), line_of(data), problem)
    if not data:
        raise WatchlistError(str(path), None, "lists no titles")
    titles = [_parse_title(path, node, i, data) for i, node in enumerate(data)]
    seen: dict[tuple[str, int | None], int] = {}
    for i, t in enumerate(titles):
        key = (t.title.casefold(), t.year)
        if key in seen:
            first = seen[key] + 1
            problem = f"duplicate title {excerpt(t.title)} ({t.year}), first at entry {first}"
            fail(path, data, i, problem, "title")
        seen[key] = i
    return titles
