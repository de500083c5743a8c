"""What every watchlist loader shares: the shipped folder, the parse cache, the error helpers.

Each file is read up to ``max_bytes`` (``LUREWATCH_WATCHLIST_MAXSIZE``) and parsed once per
process while it is unchanged: :func:`load` returns the object it built for the same text, so a
crawl's spiders, pipelines and checks share one parse. Treat the loaded objects as read-only.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pipelines._package_data import package_dir
from pipelines.config import SettingsLike, read_int
from pipelines.exceptions import WatchlistError
from pipelines.watchlists._yaml import LineDict, excerpt, line_of, read_yaml_text

#: The watchlists shipped with the project, as package data (``LUREWATCH_TITLES`` and friends
#: replace single files).
WATCHLIST_DIR = package_dir("watchlists")

#: The largest ``LUREWATCH_WATCHLIST_MAXSIZE`` accepted (bytes).
_MAXSIZE_LIMIT = 64 * 1024 * 1024
#: Parsed files kept for reuse (:func:`load`), least recently used dropped first.
_CACHE_SIZE = 32

_T = TypeVar("_T")
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_cache_lock = threading.Lock()


def watchlist_maxsize(settings: SettingsLike) -> int:
    """``LUREWATCH_WATCHLIST_MAXSIZE``: the largest watchlist file read, in bytes."""
    return read_int(settings, "LUREWATCH_WATCHLIST_MAXSIZE", minimum=1, maximum=_MAXSIZE_LIMIT)


def cached(key: tuple[Any, ...], build: Callable[[], _T]) -> _T:
    """What ``build()`` returned for ``key`` before, else its new result."""
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[no-any-return]
    value = build()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def load(parse: Callable[[Path, str], _T], path: Path, max_bytes: int) -> _T:
    """``parse(path, text)`` of the file's text, or what it returned for the same text before.

    The file is read (bounded) each time, which is cheap; only its parse is reused, keyed by the
    digest of the text, so an edited file is never mistaken for the old one.
    """
    text = read_yaml_text(path, max_bytes)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return cached((parse, str(path), digest), lambda: parse(path, text))


def fail(
    path: Path, node: Any, key: str | int | None, problem: str, field_name: str | None = None
) -> NoReturn:
    """Raise the :class:`WatchlistError` for ``node[key]``: file, line, problem and field."""
    raise WatchlistError(str(path), line_of(node, key), problem, field_name)


def not_int(value: Any) -> bool:
    """Whether ``value`` is anything but an integer (a bool is not one)."""
    return isinstance(value, bool) or not isinstance(value, int)


def mapping(
    path: Path, data: Any, allowed: set[str], required: frozenset[str] | set[str] = frozenset()
) -> LineDict:
    """``data`` must be a mapping with only ``allowed`` keys and every ``required`` one."""
    if not isinstance(data, LineDict):
        keys = ", ".join(sorted(allowed))
        raise WatchlistError(str(path), line_of(data), f"must be a mapping with keys {keys}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        problem = f"unknown key (allowed: {', '.join(sorted(allowed))})"
        fail(path, data, unknown[0], problem, unknown[0])
    for key in sorted(required - set(data)):
        fail(path, data, None, "missing required key", key)
    return data


def strings(path: Path, parent: Any, key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    """``parent[key]`` (or ``parent`` itself when it is a list): non-empty strings, stripped."""
    value = parent.get(key, []) if isinstance(parent, dict) else parent
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(path, parent, key, "must be a list of non-empty strings", key)
    if not value and not allow_empty:
        fail(path, parent, key, "must not be empty", key)
    return tuple(v.strip() for v in value)


def number(
    path: Path, parent: LineDict, key: str, low: float, high: float, default: float | None = None
) -> float:
    """``parent[key]``: a number from ``low`` to ``high`` (``default`` when absent)."""
    value = parent.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        problem = f"must be a number between {low:g} and {high:g}, not {excerpt(value)}"
        fail(path, parent, key, problem, key)
    return float(value)
