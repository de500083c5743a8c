"""The watched titles (``watchlists/titles.yaml``), read with PyYAML alone.

The replica is reference data: it never calls the project's watchlist loader, so a bug there cannot
shape the world that checks it. It reads which films are watched, and nothing of how the crawler
searches for them (``searches.yaml``): the words of its spam posts are its own
(:mod:`replica.content.seo`).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from replica.content.films import Film
from replica.errors import WorldError

__all__ = ["watched_films"]


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
