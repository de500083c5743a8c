"""Intent-named counters under ``lurewatch/es/...`` (a Scrapy stats collector, or a plain
counter)."""

from __future__ import annotations

from collections import Counter
from typing import Protocol

__all__ = ["CounterStats", "EsStats"]

PREFIX = "lurewatch/es"


class _Incrementable(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


class CounterStats:
    """A minimal stats collector for the CLI and tests (``Counter`` with Scrapy's
    ``inc_value``)."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        """Add ``count`` to ``key``."""
        self.values[key] += count

    def get_value(self, key: str, default: int = 0) -> int:
        """The value of ``key``."""
        return self.values.get(key, default)


class EsStats:
    """Every indexing outcome, counted: monitors and the benchmark read these keys."""

    def __init__(self, stats: _Incrementable) -> None:
        self._stats = stats

    def _inc(self, key: str, count: int = 1) -> None:
        if count:
            self._stats.inc_value(f"{PREFIX}/{key}", count)

    def result(self, outcome: str, count: int = 1) -> None:
        """Documents ``created`` / ``updated`` / ``noop`` / ``stale`` (older than the indexed
        one)."""
        self._inc(f"docs/{outcome}", count)

    def error(self, kind: str | int | None, count: int = 1) -> None:
        """A per-document or per-request error: an HTTP status or an exception name."""
        self._inc(f"errors/{kind or 'connection'}", count)

    def conflict(self, count: int = 1) -> None:
        """Documents re-planned after a version conflict."""
        self._inc("conflicts", count)

    def flush(self) -> None:
        """A bulk batch was sent."""
        self._inc("flushes")

    def spooled(self, count: int) -> None:
        """Documents written to the spool."""
        self._inc("spooled", count)

    def replayed(self, count: int) -> None:
        """Documents sent from the spool."""
        self._inc("replayed", count)
