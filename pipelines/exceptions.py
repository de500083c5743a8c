"""lurewatch's own exceptions.

Flow control inside a crawl uses Scrapy's exceptions (``DropItem``, ``IgnoreRequest``,
``NotConfigured``, ``CloseSpider``). Everything lurewatch raises itself derives from
:class:`LurewatchError`::

    LurewatchError
    ├── WatchlistError(path, line, field)   a watchlist YAML file is unreadable or invalid
    ├── ConfigError                         contradictory or missing settings / environment
    ├── InputError                          an input file (a crawl output) is unreadable or bad
    └── IndexingError                       Elasticsearch refused what we cannot spool around
        └── MappingConflictError            an existing index's mapping conflicts with ours
"""

from __future__ import annotations

__all__ = [
    "CalendarError",
    "ConfigError",
    "IndexingError",
    "InputError",
    "LurewatchError",
    "MappingConflictError",
    "WatchlistError",
]


class LurewatchError(Exception):
    """Base class of every error lurewatch raises on purpose."""


class WatchlistError(LurewatchError):
    """A watchlist file is broken; the message names the file, the line and the field."""

    def __init__(
        self, path: str, line: int | None, problem: str, field: str | None = None
    ) -> None:
        self.path, self.line, self.problem, self.field = str(path), line, problem, field
        where = f"{self.path}:{line}" if line else self.path
        what = f"{field}: {problem}" if field else problem
        super().__init__(f"{where}: {what}")


class ConfigError(LurewatchError):
    """Settings or environment are missing or contradictory."""


class InputError(LurewatchError):
    """An input file cannot be used (``lurewatch titles suggest --from``): the message names the
    file and the line."""


class CalendarError(LurewatchError):
    """The release calendar (TMDB) could not be read: unreachable, or an unexpected answer."""


class IndexingError(LurewatchError):
    """Elasticsearch refused a request in a way spooling cannot fix (bad credentials, bad
    mapping)."""


class MappingConflictError(IndexingError):
    """An existing index's mapping conflicts with lurewatch's template."""


class RunLockedError(LurewatchError):
    """Another run holds the lock file: its ``pid`` and ``started`` (ISO time) say who."""

    def __init__(self, path: str, pid: int | None, started: str | None) -> None:
        super().__init__(f"{path}: held by pid {pid} since {started}")
        self.path, self.pid, self.started = path, pid, started
