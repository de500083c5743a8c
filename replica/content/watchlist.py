"""The two shipped watchlist files the replica's world is written from, read with PyYAML alone.

The replica is reference data: it never calls the project's watchlist loader, so a bug there cannot
shape the world that checks it. It reads the watched titles (``watchlists/titles.yaml``) and the
search phrasings (``watchlists/searches.yaml``) that its spam posts answer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from replica.content.films import Film
from replica.errors import WorldError

__all__ = ["SearchPhrasings", "search_phrasings", "watched_films"]


@dataclass(frozen=True)
class SearchPhrasings:
    """How titles become searches (``{title}``, ``{year}``): free-text queries and tags."""

    queries: tuple[str, ...]
    tags: tuple[str, ...]


def _load(name: str) -> Any:
    try:
        source: Traversable = files("watchlists") / name
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        why = " ".join(str(exc).split())  # YAML's messages span lines
        raise WorldError(f"watchlists/{name}: cannot be read: {why}") from exc


def _film(entry: Any, index: int) -> Film:
    title = entry.get("title") if isinstance(entry, dict) else None
    if not isinstance(title, str) or not title.strip():
        raise WorldError(f"watchlists/titles.yaml: entry {index + 1} has no title")
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise WorldError(f"watchlists/titles.yaml: aliases of {title!r} must be strings")
    return Film(title.strip(), entry.get("year"), tuple(a.strip() for a in aliases))


def watched_films() -> list[Film]:
    """The watched titles, in file order (a top-level ``titles:`` key is tolerated)."""
    data = _load("titles.yaml")
    if isinstance(data, dict) and "titles" in data:
        data = data["titles"]
    if not isinstance(data, list) or not data:
        raise WorldError("watchlists/titles.yaml: must be a non-empty list of titles")
    return [_film(entry, i) for i, entry in enumerate(data)]


def _phrasings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise WorldError(f"watchlists/searches.yaml: {key!r} must be a list of phrasings")
    return tuple(value)


def search_phrasings() -> SearchPhrasings:
    """The query and tag phrasings of ``searches.yaml``."""
    data = _load("searches.yaml")
    if not isinstance(data, dict):
        raise WorldError("watchlists/searches.yaml: must be a mapping with queries and tags")
    return SearchPhrasings(_phrasings(data, "queries"), _phrasings(data, "tags"))
