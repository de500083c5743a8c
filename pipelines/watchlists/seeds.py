"""``seeds.yaml``: blogs known to carry fake streams, searched on every run without any discovery
API (the Blogger spider's keyless path: no Programmable Search, Brave or SearXNG needed).

The file is a mapping ``seeds:`` to a list of ``{url, notes?}``; each ``url`` is a blog's home
page (``https://name.blogspot.com/``; a path is ignored, only the host is kept). A bad entry is a
:class:`WatchlistError` naming the file, line and field, before the first request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipelines.watchlists._common import WATCHLIST_DIR, fail, load
from pipelines.watchlists._yaml import WATCHLIST_MAXSIZE, excerpt, parse_yaml

__all__ = ["MAX_SEEDS", "Seed", "load_seeds", "parse_seeds"]

MAX_SEEDS = 10_000
_KEYS = {"url", "notes"}
#: the blog hosts a seed may name (the platforms the spiders crawl)
_BLOG_SUFFIXES = (".blogspot.com",)


@dataclass(frozen=True)
class Seed:
    """One seeded blog: its host (``name.blogspot.com``)."""

    host: str
    platform: str = "blogger"


def load_seeds(
    path: str | Path | None = None, *, max_bytes: int = WATCHLIST_MAXSIZE
) -> list[Seed]:
    """Load ``seeds.yaml`` (``path`` empty: the shipped file)."""
    path = Path(path) if path else WATCHLIST_DIR / "seeds.yaml"
    return list(load(parse_seeds, path, max_bytes))


def parse_seeds(path: Path, text: str) -> list[Seed]:
    """The seeds in ``text`` (the contents of ``path``), validated; no blog twice."""
    data = parse_yaml(text, path)
    if not isinstance(data, dict) or set(data) != {"seeds"}:
        fail(path, data, None, "must be a mapping with one key, 'seeds': a list of {url, notes?}")
    entries = data["seeds"] if data["seeds"] is not None else []
    if not isinstance(entries, list):
        fail(path, data, "seeds", "must be a list of {url, notes?}", "seeds")
    if len(entries) > MAX_SEEDS:
        fail(path, data, "seeds", f"lists more than {MAX_SEEDS} blogs", "seeds")
    seeds: list[Seed] = []
    first: dict[str, int] = {}
    for index, node in enumerate(entries):
        seed = _parse_seed(path, node, index, entries)
        if seed.host in first:
            problem = f"duplicate blog {seed.host}, first at entry {first[seed.host] + 1}"
            fail(path, node, "url", problem, "url")
        first[seed.host] = index
        seeds.append(seed)
    return seeds


def _parse_seed(path: Path, node: Any, index: int, parent: list[Any]) -> Seed:
    if not isinstance(node, dict):
        fail(path, parent, index, f"entry {index + 1} must be a mapping with 'url'")
    unknown = sorted(set(node) - _KEYS)
    if unknown:
        fail(path, node, unknown[0], f"unknown key (allowed: {', '.join(sorted(_KEYS))})")
    url = node.get("url")
    if not isinstance(url, str) or not url.strip():
        fail(path, node, "url" if "url" in node else None, "must be a blog URL", "url")
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host.endswith(_BLOG_SUFFIXES):
        problem = f"must be an http(s) URL of a *.blogspot.com blog, not {excerpt(url)}"
        fail(path, node, "url", problem, "url")
    return Seed(host=host)
