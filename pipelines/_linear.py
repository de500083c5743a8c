"""Regular expressions over text a hostile page (or a watchlist author) controls: RE2, linear time.

Python's :mod:`re` backtracks: a pattern with two ways to match the same characters
(``(?:%41|[^'])+``) takes exponential time on a string that almost matches, and a pattern that
scans to a closing delimiter (``<script>(.*?)</script>``) takes quadratic time on a page that
opens the delimiter many times and never closes it. RE2 (``google-re2``) runs every pattern in
time linear in the text, whatever the pattern, by refusing what cannot be done that way
(backreferences, lookaround). Page content therefore meets RE2 patterns, or Python patterns that
are plain literal alternations (each attempt is constant work).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, cast

import re2

__all__ = ["LinearMatch", "LinearPattern", "compile_linear"]


class LinearMatch(Protocol):
    """The part of a match object detection reads."""

    def group(self, index: int = 0) -> str | None: ...

    def start(self, index: int = 0) -> int: ...

    def end(self, index: int = 0) -> int: ...


class LinearPattern(Protocol):
    """The part of a compiled pattern detection uses (both RE2 and :mod:`re` provide it)."""

    @property
    def pattern(self) -> str: ...

    def search(self, text: str, pos: int = ...) -> LinearMatch | None: ...

    def finditer(self, text: str, pos: int = ...) -> Iterator[Any]: ...

    def sub(self, repl: str, text: str, count: int = ...) -> str: ...


def _options(ignore_case: bool, dot_all: bool) -> Any:
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.dot_nl = dot_all
    options.log_errors = False  # the error is raised to the caller; RE2 would also print it
    return options


def compile_linear(
    pattern: str, *, ignore_case: bool = False, dot_all: bool = False
) -> LinearPattern:
    """``pattern`` compiled with RE2; raises ``ValueError`` (the RE2 message) if RE2 refuses it."""
    try:
        return cast(LinearPattern, re2.compile(pattern, _options(ignore_case, dot_all)))
    except re2.error as exc:
        raise ValueError(_message(exc)) from None


def _message(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else exc
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
