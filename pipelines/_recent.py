"""The last few pages a thread parsed, kept for the next stage that judges the same page.

Judging a page parses it once for the verdict (:func:`pipelines.scoring.assess_page`) and again
for the candidate title of a page naming no watched title (:func:`pipelines.candidates.
page_candidate`); the second parse of the same HTML at the same URL gets a copy of the first.
Per thread (judging runs in worker threads) and bounded in entries; each entry holds what the
caller would hold anyway (the page and what was read from it).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["RecentPages"]

T = TypeVar("T")


class RecentPages(Generic[T]):
    """Up to ``size`` values per thread, keyed by a page's URL and HTML; each read returns a
    shallow copy, so a caller rebinding a field (a post's own text) never changes the next
    caller's value."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._local = threading.local()

    def _entries(self) -> OrderedDict[tuple[str, str], T]:
        entries: OrderedDict[tuple[str, str], T] | None = getattr(self._local, "entries", None)
        if entries is None:
            entries = OrderedDict()
            self._local.entries = entries
        return entries

    def get(self, url: str, html: str) -> T | None:
        """A copy of the value kept for ``html`` at ``url``, or ``None``."""
        entries = self._entries()
        value = entries.get((url, html))
        if value is None:
            return None
        entries.move_to_end((url, html))
        return copy.copy(value)

    def put(self, url: str, html: str, value: T) -> None:
        """Keep a copy of ``value`` for ``html`` at ``url`` (the oldest entry goes past
        ``size``)."""
        entries = self._entries()
        entries[(url, html)] = copy.copy(value)
        entries.move_to_end((url, html))
        while len(entries) > self.size:
            entries.popitem(last=False)
