"""The watchlist files named by the settings, as every command loads and checks them.

``LUREWATCH_TITLES``, ``_SEARCHES``, ``_TEMPLATES``, ``_LURES``, ``_THRESHOLDS``, ``_BRANDS`` and
``_SEEDS`` name the files (empty: the file shipped with lurewatch), so ``watchlists check``,
``classify``, ``eval``, ``demo`` and ``crawl`` judge the very same files, each read up to
``LUREWATCH_WATCHLIST_MAXSIZE`` bytes (and parsed once per process: :mod:`pipelines.watchlists`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scrapy.settings import BaseSettings

from pipelines import watchlists as wl
from pipelines.brands import load_brands
from pipelines.exceptions import ConfigError, WatchlistError
from pipelines.watchlists.seeds import load_seeds

__all__ = ["WATCHLIST_SETTINGS", "detection_watchlists", "load_each", "watchlist_paths"]

#: Each watchlist file and the setting naming it.
WATCHLIST_SETTINGS: Mapping[str, str] = {
    "titles": "LUREWATCH_TITLES",
    "searches": "LUREWATCH_SEARCHES",
    "templates": "LUREWATCH_TEMPLATES",
    "lures": "LUREWATCH_LURES",
    "thresholds": "LUREWATCH_THRESHOLDS",
    "brands": "LUREWATCH_BRANDS",
    "seeds": "LUREWATCH_SEEDS",
}
#: The loader of each watchlist (each validates its file and raises ``WatchlistError``).
_LOADERS: Mapping[str, Callable[..., Any]] = {
    "titles": wl.load_titles,
    "searches": wl.load_searches,
    "templates": wl.load_templates,
    "lures": wl.load_lures,
    "thresholds": wl.load_thresholds,
    "brands": load_brands,
    "seeds": load_seeds,
}


def watchlist_paths(settings: BaseSettings) -> dict[str, str | None]:
    """The file of each watchlist by name; ``None`` for the shipped one."""
    return {name: settings.get(setting) or None for name, setting in WATCHLIST_SETTINGS.items()}


def load_each(settings: BaseSettings) -> tuple[dict[str, Any], list[str]]:
    """Each watchlist the settings name: those that loaded, by name, and an error per broken file.

    Each error reads ``FILE:LINE: field: problem`` (or names a bad
    ``LUREWATCH_WATCHLIST_MAXSIZE``).
    """
    loaded: dict[str, Any] = {}
    problems: list[str] = []
    try:
        max_bytes = wl.watchlist_maxsize(settings)
    except ConfigError as exc:
        return loaded, [str(exc)]
    for name, path in watchlist_paths(settings).items():
        try:
            loaded[name] = _LOADERS[name](path, max_bytes=max_bytes)
        except WatchlistError as exc:
            problems.append(str(exc))
    return loaded, problems


def detection_watchlists(settings: BaseSettings) -> wl.Watchlists:
    """The four watchlists detection judges with, loaded and validated (``WatchlistError``,
    ``ConfigError``)."""
    paths = watchlist_paths(settings)
    return wl.load_watchlists(
        titles=paths["titles"],
        templates=paths["templates"],
        lures=paths["lures"],
        thresholds=paths["thresholds"],
        max_bytes=wl.watchlist_maxsize(settings),
        brands=paths["brands"],
    )
